"""Views of the journal."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from infuse_cli.core.dates import human
from infuse_cli.views.doc import Bullets, Doc, Heading, Para, Table
from infuse_cli.views.output import SCHEMA

if TYPE_CHECKING:
    from infuse_cli.core.catalogue import Catalogue
    from infuse_cli.core.records import InfusionEntry
    from infuse_cli.core.schema import Therapy
    from infuse_cli.services.plan import Record


def _brand(cat: Catalogue, drug: str) -> str:
    t = cat.therapies.get(drug)
    return t.brand if t else drug


def _gap(f: Any) -> str:
    """'+182 d, 3 late' — days since the infusion before, and days after the label's date."""
    if f is None or f.since_days is None:
        return ""
    text = f"+{f.since_days} d"
    if f.late_days:
        text += f", {f.late_days} late"
    return text


def record_notes(rec: Record, cat: Catalogue) -> list[Para]:
    """Per therapy: the lifetime total, and what was assumed about the start with its fix."""
    out = [
        Para(f"{_brand(cat, d)}: {t} of the label's lifetime limit.", tone="note", label="Total")
        for d, t in rec.totals.items()
    ]
    out += [Para(a, tone="note", label="Assumed") for a in rec.assumed.values()]
    out += [Para(a, tone="note", label="Assumed") for said in rec.placed.values() for a in said]
    out += [Para(n, tone="warn", label="Dose") for n in dict.fromkeys(rec.notes)]
    return out


def log_doc(entries: list[InfusionEntry], rec: Record, cat: Catalogue) -> Doc:
    doc: Doc = [Heading("Your infusions")]
    if not entries:
        doc.append(
            Para(
                "No infusion is recorded yet. Add one: infuse log add --drug NAME --date YYYY-MM-DD",
                tone="note",
                label="Note",
            )
        )
        return doc
    rows = []
    for e in entries:
        details = "; ".join(x for x in (e.dose, e.site, e.note) if x)
        f = rec.facts.get(e.id)
        phase = f.phase if f is not None and f.phase else ("first infusion" if e.first else "")
        rows.append([str(e.id), human(e.date), _brand(cat, e.drug), phase, _gap(f), details])
    doc.append(Table(["#", "Date", "Therapy", "Phase", "Since last", "Notes"], rows))
    doc += record_notes(rec, cat)
    return doc


def log_json(entries: list[InfusionEntry], rec: Record) -> list[dict[str, Any]]:
    out = []
    for e in entries:
        f = rec.facts.get(e.id)
        out.append(
            {
                "schema": SCHEMA,
                "id": e.id,
                "drug": e.drug,
                "date": e.date.isoformat(),
                "dose": e.dose,
                "site": e.site,
                "start_time": e.start_time,
                "duration_min": e.duration_min,
                "note": e.note,
                "first": e.first,
                "phase": (f.phase or None) if f is not None else None,
                "days_since_previous": f.since_days if f is not None else None,
                "days_late": f.late_days if f is not None else None,
                "lifetime_total": rec.totals.get(e.drug),
                "assumed": rec.assumed.get(e.drug),
            }
        )
    return out


_MARK = {"milder": "v", "stronger": "^", "same": "=", "first": "*", "none recorded": "-"}


def journal_doc(
    view: Any,
    nexts: dict[str, Any],
    cat: Catalogue,
    today: dt.date,
    limit: int = 0,
    rec: Record | None = None,
) -> Doc:
    """The timeline, latest ``limit`` entries of each list (0: all), oldest first."""
    from infuse_cli.views.doc import Bullets

    doc: Doc = [Heading("Your journal")]
    if not view.items:
        doc.append(
            Para(
                "Nothing is recorded yet. Add an infusion: infuse log add --drug NAME --date YYYY-MM-DD",
                tone="note",
                label="Note",
            )
        )
        return doc
    lines = []
    marks = []
    items = view.items
    if limit and view.total > len(items):
        doc.append(
            Para(
                f"The latest {len(items)} of {view.total} entries; --limit 0 shows them all.",
                tone="muted",
            )
        )
    facts = rec.facts if rec is not None else {}
    for day, kind, item in items:
        if kind == "infusion":
            f = facts.get(item.id)
            about = ", ".join(x for x in ((f.phase if f else ""), _gap(f)) if x)
            lines.append(
                f"{human(day)}: {_brand(cat, item.drug)} infusion (#{item.id})"
                + (f", {about}" if about else "")
                + (f" — {item.note}" if item.note else "")
            )
            marks.append("*")
        elif kind == "reaction":
            extra = f", {item.hours_after:g} h after" if item.hours_after is not None else ""
            lines.append(
                f"{human(day)}: {item.symptom}, {item.severity}/10{extra}"
                + (f" — {item.note}" if item.note else "")
            )
            marks.append("x")
        else:
            lines.append(
                f"{human(day)}: {_between_line(kind, item)}" + (f" — {item.note}" if item.note else "")
            )
            marks.append(_BETWEEN_MARK[kind])
    for drug, inf in nexts.items():
        lines.append(
            f"{human(inf.book or inf.date)}: next {_brand(cat, drug)} infusion (planned)"
            + (f" — OVERDUE by {inf.overdue_days} days" if inf.overdue_days else "")
        )
        marks.append("!" if inf.overdue_days else ">")
    doc.append(Bullets(lines, marks=marks))
    doc.append(
        Para(
            "* infusion   x reaction   + test   s symptom   R relapse   > planned   ! overdue (as in"
            " plan and next)",
            tone="muted",
            label="Marks",
        )
    )
    if rec is not None:
        doc += record_notes(rec, cat)
    for drug, steps in view.trends.items():
        if not any(s.worst is not None for s in steps):
            continue
        doc.append(Heading(f"Reactions after each {_brand(cat, drug)} infusion", 2))
        doc.append(
            Bullets(
                [
                    f"{human(s.date)}: "
                    + (
                        f"worst {s.worst}/10 ({', '.join(s.symptoms)})"
                        if s.worst is not None
                        else "no reaction recorded"
                    )
                    + f" — {s.change}"
                    for s in steps
                ],
                marks=[_MARK[s.change] for s in steps],
            )
        )
    return doc


JOURNAL_SCHEMA = 2  # 2: items may be test results, symptoms and relapses too

_BETWEEN_MARK = {"result": "+", "symptom": "s", "relapse": "R"}


def _between_line(kind: str, item: Any) -> str:
    if kind == "result":
        from infuse_cli.services.labs import tests
        from infuse_cli.views.labs import value_text

        test = tests().get(item.test)
        return f"{test.name if test else item.test}: {value_text(item)} (test #{item.id})"
    if kind == "symptom":
        return f"{item.name}, {item.severity}/10 (symptom #{item.id})"
    return f"relapse (#{item.id})" + (", steroid course logged" if item.steroid else "")


def _between_json(kind: str, item: Any) -> dict[str, Any]:
    if kind == "result":
        from infuse_cli.views.labs import result_json

        return {k: v for k, v in result_json(item).items() if k not in ("id", "uid", "date")}
    if kind == "symptom":
        return {"name": item.name, "severity": item.severity, "note": item.note}
    return {"note": item.note, "steroid": item.steroid or None}


def journal_json(view: Any, nexts: dict[str, Any], rec: Record | None = None) -> dict[str, Any]:
    items = []
    facts = rec.facts if rec is not None else {}
    for day, kind, item in view.items:
        base = {"date": day.isoformat(), "kind": kind, "id": item.id}
        if kind == "infusion":
            f = facts.get(item.id)
            base.update(
                drug=item.drug,
                note=item.note,
                phase=(f.phase or None) if f else None,
                days_since_previous=f.since_days if f else None,
                days_late=f.late_days if f else None,
            )
        elif kind != "reaction":
            base.update(_between_json(kind, item))
        else:
            base.update(
                symptom=item.symptom,
                severity=item.severity,
                hours_after=item.hours_after,
                infusion_id=item.infusion_id,
                note=item.note,
            )
        items.append(base)
    return {
        "schema": JOURNAL_SCHEMA,
        "items": items,
        "next": {
            d: {
                "date": i.date.isoformat(),
                "book": (i.book or i.date).isoformat(),
                "overdue_days": i.overdue_days,
            }
            for d, i in nexts.items()
        },
        "trends": {
            d: [
                {"date": s.date.isoformat(), "worst": s.worst, "symptoms": s.symptoms, "change": s.change}
                for s in steps
            ]
            for d, steps in view.trends.items()
        },
        "assumed": rec.assumed if rec is not None else {},
        "placed": rec.placed if rec is not None else {},
        "lifetime_totals": rec.totals if rec is not None else {},
    }


def symptoms_view(t: Therapy, json: bool) -> Doc | dict[str, Any]:
    """The reaction symptoms a therapy's label lists, as a document or (``json``) as data."""
    items = [s.what for s in t.reaction_symptoms]
    if json:
        return {"schema": 1, "drug": t.id, "symptoms": items}
    doc: Doc = [Heading(f"Reaction symptoms on the {t.brand} label")]
    doc.append(Bullets(items) if items else Para("The label lists none; describe it in your own words."))
    free = "Free text is fine too. Severe or sudden symptoms: call your care team or emergency services."
    doc.append(Para(free, tone="note", label="Note"))
    return doc
