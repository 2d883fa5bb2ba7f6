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
