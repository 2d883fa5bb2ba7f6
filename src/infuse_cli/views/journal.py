"""Views of the journal."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from infuse_cli.core.dates import human
from infuse_cli.views.doc import Doc, Heading, Para, Table
from infuse_cli.views.output import SCHEMA

if TYPE_CHECKING:
    from infuse_cli.core.catalogue import Catalogue
    from infuse_cli.store import Infusion


def _brand(cat: Catalogue, drug: str) -> str:
    t = cat.therapies.get(drug)
    return t.brand if t else drug


def log_doc(entries: list[Infusion], phases: dict[tuple[str, dt.date], str], cat: Catalogue) -> Doc:
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
        rows.append(
            [
                str(e.id),
                human(e.date),
                _brand(cat, e.drug),
                phases.get((e.drug, e.date), "first infusion" if e.first else ""),
                details,
            ]
        )
    doc.append(Table(["#", "Date", "Therapy", "Phase", "Notes"], rows))
    return doc


def log_json(entries: list[Infusion], phases: dict[tuple[str, dt.date], str]) -> list[dict[str, Any]]:
    return [
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
            "phase": phases.get((e.drug, e.date)),
        }
        for e in entries
    ]


_MARK = {"milder": "v", "stronger": "^", "same": "=", "first": "*", "none recorded": "-"}


def journal_doc(view: Any, nexts: dict[str, Any], cat: Catalogue, today: dt.date, limit: int = 0) -> Doc:
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
    for day, kind, rec in items:
        if kind == "infusion":
            lines.append(
                f"{human(day)}: {_brand(cat, rec.drug)} infusion (#{rec.id})"
                + (f" — {rec.note}" if rec.note else "")
            )
            marks.append("*")
        else:
            extra = f", {rec.hours_after:g} h after" if rec.hours_after is not None else ""
            lines.append(
                f"{human(day)}: {rec.symptom}, {rec.severity}/10{extra}"
                + (f" — {rec.note}" if rec.note else "")
            )
            marks.append("!")
    for drug, inf in nexts.items():
        lines.append(
            f"{human(inf.book or inf.date)}: next {_brand(cat, drug)} infusion (planned)"
            + (f" — OVERDUE by {inf.overdue_days} days" if inf.overdue_days else "")
        )
        marks.append(">")
    doc.append(Bullets(lines, marks=marks))
    doc.append(Para("* infusion   ! reaction   > planned", tone="muted", label="Marks"))
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


def journal_json(view: Any, nexts: dict[str, Any]) -> dict[str, Any]:
    items = []
    for day, kind, rec in view.items:
        base = {"date": day.isoformat(), "kind": kind, "id": rec.id}
        if kind == "infusion":
            base.update(drug=rec.drug, note=rec.note)
        else:
            base.update(
                symptom=rec.symptom,
                severity=rec.severity,
                hours_after=rec.hours_after,
                infusion_id=rec.infusion_id,
                note=rec.note,
            )
        items.append(base)
    return {
        "schema": SCHEMA,
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
    }
