"""`infuse profiles`: the caregiver's overview."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infuse_cli.core.dates import human
from infuse_cli.views.doc import Doc, Heading, Para, Table
from infuse_cli.views.output import SCHEMA

if TYPE_CHECKING:
    from infuse_cli.services.plan import ProfileRow


def _next(inf: Any) -> str:
    if inf is None:
        return "—"
    if inf.overdue_days:
        return f"OVERDUE by {inf.overdue_days} days"
    return human(inf.book or inf.date)


def profiles_doc(rows: list[ProfileRow]) -> Doc:
    table = [[r.name, r.therapy or "—", human(r.last) if r.last else "—", _next(r.next)] for r in rows]
    return [
        Heading("Profiles"),
        Table(["Profile", "Therapy", "Last infusion", "Next"], table),
        Para("Add one: infuse profiles add NAME. Use one: infuse --profile NAME next", tone="muted"),
    ]


def profiles_json(rows: list[ProfileRow]) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "profiles": [
            {
                "name": r.name,
                "therapy": r.therapy,
                "last": r.last.isoformat() if r.last else None,
                "next": (r.next.book or r.next.date).isoformat() if r.next is not None else None,
                "overdue_days": r.next.overdue_days if r.next is not None else None,
            }
            for r in rows
        ],
    }
