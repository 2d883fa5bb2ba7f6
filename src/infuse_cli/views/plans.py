"""Bookings, coverage and own reminders: as tables, as one line each, as JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

from infuse_cli.core.dates import distance, human
from infuse_cli.core.records import COVERAGE_KINDS, Appointment, Coverage, Reminder
from infuse_cli.views.doc import Doc, Heading, Para, Table
from infuse_cli.views.output import SCHEMA


def every_text(r: Reminder) -> str:
    if not r.every_n:
        return "once"
    unit = r.every_unit[:-1] if r.every_n == 1 else r.every_unit
    return f"every {r.every_n} {unit}"


def appointment_line(a: Appointment) -> str:
    what = f"test: {a.test}" if a.test else f"{a.drug} infusion"
    at = "".join(f", {p}" for p in (a.time, a.place) if p)
    return f"{human(a.date)}{at} ({what})"


def coverage_line(c: Coverage) -> str:
    return f"{COVERAGE_KINDS.get(c.kind, c.kind)} until {human(c.until)}, renew from {human(c.renew_from)}"


def reminder_line(r: Reminder) -> str:
    return f"{r.text} — {human(r.date)}, {every_text(r)}"


LINES: dict[str, Any] = {
    "appointment": appointment_line,
    "coverage": coverage_line,
    "reminder": reminder_line,
}


def appointments_doc(found: list[Appointment], today: dt.date) -> Doc:
    rows = [
        [
            str(a.id),
            human(a.date),
            a.time or "—",
            a.test or f"{a.drug} infusion",
            a.place or "—",
            distance(a.date, today),
        ]
        for a in found
    ]
    empty = "No appointment booked. Add one: infuse appointment add --date DATE --time HH:MM"
    return _doc("Appointments", ["#", "Date", "Time", "For", "Place", "When"], rows, empty)


def coverage_doc(found: list[Coverage], today: dt.date) -> Doc:
    rows = [
        [
            str(c.id),
            COVERAGE_KINDS.get(c.kind, c.kind),
            human(c.until),
            human(c.renew_from),
            "ended" if c.until < today else distance(c.until, today),
            c.note or "—",
        ]
        for c in found
    ]
    return _doc(
        "Coverage",
        ["#", "Kind", "Covers until", "Renew from", "Ends", "Note"],
        rows,
        "No coverage recorded. Add one: infuse coverage add prior-auth --until DATE",
    )


def reminders_doc(found: list[Reminder], today: dt.date) -> Doc:
    from infuse_cli.core.due import occurrence

    rows = []
    for r in found:
        nxt = occurrence(r, today)
        when = f"{human(nxt)} ({distance(nxt, today)})" if nxt else "passed"
        rows.append([str(r.id), r.text, every_text(r), when, f"{r.before} days" if r.before else "—"])
    return _doc(
        "Your reminders",
        ["#", "Reminder", "Repeats", "Next", "Ahead"],
        rows,
        "No reminders. Add one: infuse remind add 'Neurologist visit' --date DATE",
    )


def _doc(title: str, columns: list[str], rows: list[list[str]], empty: str) -> Doc:
    if not rows:
        return [Heading(title), Para(empty, tone="muted")]
    return [Heading(title), Table(columns, rows)]


def appointment_json(a: Appointment) -> dict[str, Any]:
    return {
        "id": a.id,
        "date": a.date.isoformat(),
        "time": a.time or None,
        "place": a.place or None,
        "drug": a.drug or None,
        "test": a.test or None,
        "note": a.note,
    }


def coverage_json(c: Coverage) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": c.kind,
        "until": c.until.isoformat(),
        "renew_days": c.renew_days,
        "renew_from": c.renew_from.isoformat(),
        "drug": c.drug or None,
        "note": c.note,
    }


def reminder_json(r: Reminder) -> dict[str, Any]:
    every = {"n": r.every_n, "unit": r.every_unit} if r.every_n else None
    return {"id": r.id, "text": r.text, "date": r.date.isoformat(), "every": every, "before": r.before}


JSON: dict[str, Any] = {"appointment": appointment_json, "coverage": coverage_json, "reminder": reminder_json}
DOCS: dict[str, Any] = {"appointment": appointments_doc, "coverage": coverage_doc, "reminder": reminders_doc}


def listed_json(kind: str, found: list[Any]) -> dict[str, Any]:
    key = {"appointment": "appointments", "coverage": "coverage", "reminder": "reminders"}[kind]
    return {"schema": SCHEMA, key: [JSON[kind](e) for e in found]}
