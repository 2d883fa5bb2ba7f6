"""Views of tests between infusions: the monitoring ledger (a grid and a line per program),
recorded results, one test's history with a small chart, and the test catalogue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from infuse_cli.core.dates import describe_span, distance, human
from infuse_cli.views.doc import Bullets, Doc, Grid, Heading, Para, Table

if TYPE_CHECKING:
    from infuse_cli.core.labtests import Band, Tests
    from infuse_cli.core.ledger import Program
    from infuse_cli.core.records import TestResult
    from infuse_cli.core.schema import Therapy
    from infuse_cli.services.labs import History, Ledger

SCHEMA = 1
CARE_TEAM = "Discuss results with your care team: infuse shows only what the label says."
_WORSE = {"missed": 3, "due": 2, "done": 1, "ahead": 0}


def grid(program: Program) -> Grid:
    """Each window at the month of its label date; where two share a month, the one that
    needs attention shows."""
    cells: dict[int, list[str]] = {}
    for w in program.windows:
        row = cells.setdefault(w.label.year, [""] * 12)
        here = row[w.label.month - 1]
        if not here or _WORSE[w.state] > _WORSE[here]:
            row[w.label.month - 1] = w.state
    return Grid([(str(year), cells[year]) for year in sorted(cells)])


def _month(day: dt.date) -> str:
    return day.strftime("%b %Y")


def program_line(p: Program, today: dt.date) -> str:
    """'Complete blood count: 20 of 60 done, 3 missed, until Mar 2030. Next due …'."""
    if p.rule == "not_started":
        return f"{p.what}: starts {'after the last dose' if p.every else 'with the first dose'}."
    if p.rule == "no_interval":
        last = (
            f"last recorded {human(p.last_done)} ({p.recorded} in all)"
            if p.last_done
            else "none recorded yet"
        )
        return f"{p.what}: the label gives no fixed interval; {last}."
    total = len(p.windows)
    if p.rule == "before_each_dose":
        head = f"{p.what}: {p.done} of {total} doses done, {p.missed} missed"
    elif p.until is not None:
        head = f"{p.what}: {p.done} of {total} done, {p.missed} missed, until {_month(p.until)}"
    else:
        span = describe_span(p.every) if p.every else ""
        after = " after the last dose" if p.rule == "after_last_dose" else " while on treatment"
        head = f"{p.what}: {p.done} done, {p.missed} missed so far; every {span}{after}"
    if p.next_due is None:
        return head + ". Nothing more is due."
    before = "before the dose on " if p.rule == "before_each_dose" else ""
    if p.next_due < today:
        late = (today - p.next_due).days
        return head + f". Overdue since {human(p.next_due)} (by {late} day{'s' if late != 1 else ''})."
    return head + f". Next due {before}{human(p.next_due)} ({distance(p.next_due, today)})."


def ledger_blocks(therapy: Therapy, programs: Sequence[Program], today: dt.date, level: int = 2) -> Doc:
    if not programs:
        return []
    doc: Doc = [Heading(f"Monitoring ledger: {therapy.brand}", level)]
    for p in programs:
        doc.append(Para(program_line(p, today), tone="warn" if p.missed else "normal"))
        if p.windows:
            doc.append(grid(p))
    return doc


def program_json(p: Program) -> dict[str, Any]:
    return {
        "therapy": p.therapy,
        "what": p.what,
        "rule": p.rule,
        "tests": p.tests,
        "every": {"n": p.every.n, "unit": p.every.unit} if p.every else None,
        "done": p.done,
        "missed": p.missed,
        "windows_total": len(p.windows),
        "until": p.until.isoformat() if p.until else None,
        "next_due": p.next_due.isoformat() if p.next_due else None,
        "last_done": p.last_done.isoformat() if p.last_done else None,
        "recorded": p.recorded,
        "source": p.cite.text if p.cite else None,
        "windows": [
            {
                "label": w.label.isoformat(),
                "start": w.start.isoformat() if w.start != dt.date.min else None,
                "end": (w.end - dt.timedelta(days=1)).isoformat(),
                "state": w.state,
                "done_on": w.done_on.isoformat() if w.done_on else None,
            }
            for w in p.windows
        ],
    }


def value_text(r: TestResult) -> str:
    """'0.68 index, positive', '120 mg/dL', or 'done'."""
    parts = []
    if r.value is not None:
        parts.append(f"{r.value:g} {r.unit}".strip() if r.unit != "index" else f"index {r.value:g}")
    if r.status:
        parts.append(r.status)
    return ", ".join(parts) or "done"


def results_doc(results: Sequence[TestResult], tests: Tests, title: str) -> Doc:
    doc: Doc = [Heading(title)]
    if not results:
        doc.append(
            Para(
                "No test results are recorded. To add one: infuse labs add tsh 2.1 --date 2026-11-03",
                tone="note",
            )
        )
        return doc
    rows = []
    for r in results:
        t = tests.get(r.test)
        rows.append([str(r.id), human(r.date), t.name if t else r.test, value_text(r), r.note])
    doc.append(Table(["ID", "Date", "Test", "Result", "Note"], rows))
    return doc


def result_json(r: TestResult) -> dict[str, Any]:
    return {
        "id": r.id,
        "uid": r.uid,
        "test": r.test,
        "date": r.date.isoformat(),
        "value": r.value,
        "unit": r.unit or None,
        "status": r.status or None,
        "note": r.note,
    }


def band_words(b: Band, therapies: dict[str, Therapy]) -> str:
    from infuse_cli.core.schedule import cite

    t = therapies.get(b.therapy)
    source = cite(t, b.source, b.ref) if t is not None else b.source
    return f"{b.words} (Source: {source})"


_BAR = 20  # cells of the longest bar


def history_doc(found: History, therapies: dict[str, Therapy], bars: bool) -> Doc:
    """A dated table with the change since the result before and the label's band each
    falls in; with ``bars``, a bar per result scaled to the largest (numbers only without)."""
    test, results = found.test, found.results
    doc: Doc = [Heading(f"Results over time: {test.name}")]
    if not results:
        doc.append(
            Para(f"No {test.name} result is recorded. To add one: infuse labs add {test.id} …", tone="note")
        )
        return doc
    if found.total > len(results):
        doc.append(
            Para(
                f"The latest {len(results)} of {found.total:,} results; --limit 0 shows them all.",
                tone="muted",
            )
        )
    # Bars on one scale: the latest result's unit (no exact factor joins the others).
    unit = next((r.unit for r in reversed(results) if r.value is not None), "")
    top = max((r.value for r in results if r.value is not None and r.unit == unit), default=0.0)
    columns = ["Date", "Result", "Change", *(["Chart"] if bars and top > 0 else []), "Label band"]
    rows = []
    previous = found.before if found.before is not None and found.before.value is not None else None
    for r, bands in zip(results, found.bands, strict=True):
        row = [human(r.date), value_text(r), _change(previous, r)]
        if bars and top > 0:
            row.append("█" * max(1, round(_BAR * r.value / top)) if r.value and r.unit == unit else "")
        row.append("; ".join(band_words(b, therapies) for b in bands) or "—")
        rows.append(row)
        if r.value is not None:
            previous = r
    doc.append(Table(columns, rows))
    units = sorted({r.unit for r in results if r.value is not None and r.unit})
    if len(units) > 1:
        doc.append(
            Para(
                f"Results are in {' and '.join(units)}; infuse converts only by an exact factor, so"
                " results in different units are not compared.",
                tone="note",
            )
        )
    if not test.bands:
        doc.append(
            Para(f"The label as read states no band for {test.name}; infuse shows none.", tone="muted")
        )
    if test.note:
        doc.append(Para(test.note, tone="muted"))
    doc.append(Para(CARE_TEAM, tone="note", label="Note"))
    return doc


def _change(previous: TestResult | None, r: TestResult) -> str:
    if previous is None or r.value is None or previous.value is None or previous.unit != r.unit:
        return "—"
    delta = r.value - previous.value
    if delta == 0:
        return "no change"
    return f"{'up' if delta > 0 else 'down'} {abs(delta):g}"


def history_json(found: History) -> dict[str, Any]:
    test, results, bands = found.test, found.results, found.bands
    out = []
    previous: TestResult | None = None
    for r, in_bands in zip(results, bands, strict=True):
        change = (
            r.value - previous.value
            if previous is not None
            and r.value is not None
            and previous.value is not None
            and previous.unit == r.unit
            else None
        )
        out.append(
            result_json(r)
            | {
                "change": change,
                "bands": [
                    {"words": b.words, "therapy": b.therapy, "source": b.source, "section": b.ref}
                    for b in in_bands
                ],
            }
        )
        if r.value is not None:
            previous = r
    return {"schema": SCHEMA, "test": test.id, "name": test.name, "unit": test.unit or None, "results": out}


def tests_doc(tests: Tests) -> Doc:
    rows = []
    for t in tests.tests:
        units = ", ".join(t.all_units) if t.all_units else ", ".join(t.statuses) or "done"
        rows.append(
            [t.id, t.name, units if t.result != "status_index" else f"{', '.join(t.statuses)}; index"]
        )
    return [
        Heading("Tests infuse can record"),
        Table(["Name", "Test", "Reported as"], rows),
        Bullets(
            ["Names are forgiving: any case, and common names such as 'jcv', 'thyroid' or 'kidney test'."]
        ),
    ]


def tests_json(tests: Tests) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "tests": [
            {
                "id": t.id,
                "name": t.name,
                "kind": t.kind,
                "result": t.result,
                "aliases": t.aliases,
                "unit": t.unit or None,
                "units": t.all_units,
                "statuses": t.statuses,
                "loinc": t.loinc or None,
                "satisfies": [{"therapy": s.therapy, "what": s.what} for s in t.satisfies],
                "bands": [
                    {
                        "below": b.below,
                        "above": b.above,
                        "words": b.words,
                        "therapy": b.therapy,
                        "section": b.ref,
                    }
                    for b in t.bands
                ],
            }
            for t in tests.tests
        ],
    }


def _label_due(found: Ledger) -> list[Any]:
    """The label's next date of each test the ledger does not follow (the ledger's own
    next dates count from what was done)."""
    from infuse_cli.services.visit import due_tests

    followed = {p.what for p in found.programs if p.windows or p.rule == "no_interval"}
    return [e for e in due_tests(found.visit) if e.what not in followed]


def labs_doc(ledgers: Sequence[Ledger]) -> Doc:
    from infuse_cli.views.prep import labs_blocks

    doc: Doc = []
    for found in ledgers:
        v = found.visit
        dated = v.inputs.basis != "preview"
        doc.append(Heading(f"Tests: {v.therapy.brand}"))
        if not dated:
            doc.append(
                Para(
                    "For dates, record your infusions (infuse log add) or give --start or --last.",
                    tone="note",
                    label="Note",
                )
            )
        doc += ledger_blocks(v.therapy, found.programs, v.inputs.today)
        if dated and not found.programs and any(m.every or m.before_each_dose for m in v.therapy.monitoring):
            doc.append(
                Para(
                    "Record the tests you have had (infuse labs add TEST --date DATE), and infuse marks"
                    " each window of the label's schedule done, missed or due.",
                    tone="muted",
                )
            )
        programs = v.plan.programs if v.plan and dated else ()
        followed = any(p.windows for p in found.programs)
        doc += labs_blocks(
            v.therapy, _label_due(found), dated, v.inputs.today, programs=programs, followed=followed
        )
    return doc


def labs_json(ledgers: Sequence[Ledger]) -> dict[str, Any]:
    """The label's tests and next dates (``due``), and the ledger of what was done."""
    from infuse_cli.services.visit import due_tests
    from infuse_cli.views.prep import labs_json as label_json

    therapies = []
    for found in ledgers:
        v = found.visit
        dated = v.inputs.basis != "preview"
        programs = v.plan.programs if v.plan and dated else ()
        data = label_json(v.therapy, due_tests(v), dated, v.inputs.today, programs)
        data["ledger"] = [program_json(p) for p in found.programs]
        therapies.append(data)
    if len(therapies) == 1:
        return therapies[0]
    return {"schema": therapies[0]["schema"], "today": therapies[0]["today"], "therapies": therapies}
