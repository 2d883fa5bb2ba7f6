"""Views of symptoms and relapses between infusions, and of symptoms lined up by dose cycle:
a picture of each cycle's last four weeks and one sentence of counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from infuse_cli.core.dates import distance, human
from infuse_cli.views.doc import DayGrid, Doc, Heading, Para, Table

if TYPE_CHECKING:
    from infuse_cli.core.cycle import Count, Cycle, Placed
    from infuse_cli.core.records import InfusionEntry, Symptom
    from infuse_cli.core.schema import Therapy
    from infuse_cli.services.symptoms import Cycles, Linked

SCHEMA = 1
DAYS = 28  # the days before each dose the picture shows
ROWS = 12  # the latest complete cycles the picture shows
CARE_TEAM = "Show this to your care team."


# ---------------------------------------------------------------- symptoms


def symptom_json(s: Symptom) -> dict[str, Any]:
    return {
        "id": s.id,
        "uid": s.uid,
        "name": s.name,
        "date": s.date.isoformat(),
        "severity": s.severity,
        "note": s.note,
    }


def symptoms_doc(found: Sequence[Symptom], name: str | None) -> Doc:
    doc: Doc = [Heading(f"Symptoms: {name}" if name else "Symptoms between infusions")]
    if not found:
        doc.append(
            Para(
                "No symptom entries are recorded. To add one: infuse symptom add fatigue --severity 6",
                tone="note",
            )
        )
        return doc
    rows = [[str(s.id), human(s.date), s.name, f"{s.severity}/10", s.note] for s in found]
    doc.append(Table(["ID", "Date", "Symptom", "Severity", "Note"], rows))
    return doc


# ---------------------------------------------------------------- relapses


def course_words(course: InfusionEntry, therapies: dict[str, Therapy]) -> str:
    """'Solu-Medrol on Mon 3 Nov 2025'."""
    t = therapies.get(course.drug)
    return f"{t.brand if t else course.drug} on {human(course.date)}"


def relapse_json(found: Linked) -> dict[str, Any]:
    r, course = found.relapse, found.course
    return {
        "id": r.id,
        "uid": r.uid,
        "date": r.date.isoformat(),
        "note": r.note,
        "steroid": (
            {"uid": course.uid, "drug": course.drug, "date": course.date.isoformat()}
            if course is not None
            else None
        ),
    }


def relapses_doc(found: Sequence[Linked], therapies: dict[str, Therapy]) -> Doc:
    doc: Doc = [Heading("Relapses")]
    if not found:
        doc.append(Para("No relapses are recorded. To add one: infuse relapse add --date DATE", tone="note"))
        return doc
    rows = [
        [
            str(x.relapse.id),
            human(x.relapse.date),
            course_words(x.course, therapies) if x.course is not None else "—",
            x.relapse.note,
        ]
        for x in found
    ]
    doc.append(Table(["ID", "Date", "Steroid course", "Note"], rows))
    return doc


def relapse_said(found: Linked, therapies: dict[str, Therapy]) -> str:
    """The sentence after `relapse add`."""
    r = found.relapse
    said = f"Recorded a relapse on {r.date.isoformat()} (number {r.id})"
    if found.course is None:
        return said + "."
    course = course_words(found.course, therapies)
    if found.automatic:
        return (
            f"{said}, linked to {course}: the only steroid course logged in the 30 days after it."
            " To link another, remove it and add it again with --steroid DATE."
        )
    return f"{said}, linked to {course}."


# ---------------------------------------------------------------- cycles


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def pattern_sentence(c: Count) -> str:
    """Counts only: 'Fatigue 6 or more on 9 of the last 10 cycles in the 7 days before a dose
    (3 of 10 in the other days).'"""
    if c.cycles == 0:
        return f"{_capital(c.name)}: no cycle is complete yet (one dose is recorded), so nothing is counted."
    last = f"the last {c.cycles} cycles" if c.cycles > 1 else "the 1 complete cycle"
    return (
        f"{_capital(c.name)} {c.threshold} or more on {c.near} of {last} in the {c.window} days before"
        f" a dose ({c.other} of {c.cycles} in the other days)."
    )


def _chosen(found: Cycles) -> str:
    if found.choice.how == "journal":
        return f"{found.choice.therapy.brand}, from your journal (another: --drug)."
    return found.choice.said()


def _open(found: Cycles, name: str) -> str:
    """The cycle still open: since the last dose, what was recorded."""
    from infuse_cli.core.cycle import key

    last = found.lined.cycles[-1]
    mine = [e for e in last.entries if key(e.name) == key(name)]
    since = f"Since the last dose on {human(last.start)} ({distance(last.start, found.today)})"
    if not mine:
        return f"{since}: no {name} entries."
    top = max(e.severity for e in mine)
    days = len({e.date for e in mine})
    return f"{since}: {name} up to {top}, on {days} day{'s' if days != 1 else ''}."


def picture(cycles: Sequence[Cycle], name: str) -> DayGrid:
    from infuse_cli.core.cycle import highest_by_day

    closed = [c for c in cycles if c.end is not None][-ROWS:]
    rows = []
    for c in closed:
        assert c.end is not None
        cells, earlier = highest_by_day(c, name, DAYS)
        rows.append((human(c.end), cells, earlier))
    return DayGrid("Dose on", rows)


def cycle_doc(found: Cycles) -> Doc:
    lined, name = found.lined, found.shown
    doc: Doc = [Heading(f"Symptoms by dose cycle: {found.choice.therapy.brand}")]
    if said := _chosen(found):
        doc.append(Para(said, tone="muted"))
    if name is None:
        asked = f"No {found.symptom} entries are recorded" if found.symptom else "No symptoms are recorded"
        doc.append(
            Para(f"{asked}. To add one: infuse symptom add fatigue --severity 6 --date DATE", tone="note")
        )
        return doc
    if any(c.end is not None for c in lined.cycles):
        doc.append(
            Heading(f"{_capital(name)}: the highest severity on each of the {DAYS} days before a dose", 2)
        )
        doc.append(picture(lined.cycles, name))
    doc.append(Para(_open(found, name)))
    doc.append(Para(f"{pattern_sentence(lined.counts[0])} {CARE_TEAM}", label="Counted"))
    others = lined.counts[1:]
    if others:
        also = ", ".join(f"{c.name} ({c.entries} {'entry' if c.entries == 1 else 'entries'})" for c in others)
        doc.append(Para(f"Also recorded: {also}. To see one: infuse cycle --symptom NAME", tone="muted"))
    if lined.before:
        n = len(lined.before)
        doc.append(
            Para(
                f"{n} {'entry is' if n == 1 else 'entries are'} from before the first recorded"
                f" {found.choice.therapy.brand} dose ({human(lined.cycles[0].start)}), so in no cycle.",
                tone="muted",
            )
        )
    return doc


def _placed_json(e: Placed) -> dict[str, Any]:
    return {
        "id": e.id,
        "date": e.date.isoformat(),
        "name": e.name,
        "severity": e.severity,
        "days_since": e.days_since,
        "days_before": e.days_before,
    }


def _count_json(c: Count) -> dict[str, Any]:
    return {
        "symptom": c.name,
        "entries": c.entries,
        "cycles": c.cycles,
        "near_dose": c.near,
        "other_days": c.other,
        "threshold": c.threshold,
        "window_days": c.window,
    }


def cycle_json(found: Cycles) -> dict[str, Any]:
    lined = found.lined
    return {
        "schema": SCHEMA,
        "today": found.today.isoformat(),
        "therapy": found.choice.therapy.id,
        "symptom": found.symptom,
        "shown": found.shown,
        "cycles": [
            {
                "start": c.start.isoformat(),
                "end": c.end.isoformat() if c.end is not None else None,
                "days": c.days,
                "entries": [_placed_json(e) for e in c.entries],
            }
            for c in lined.cycles
        ],
        "before_first_dose": [symptom_json(s) for s in lined.before],
        "counts": [_count_json(c) for c in lined.counts],
    }
