"""`infuse due`: one line per thing due, most urgent first; the one-line summary for a
shell's start-up file; the JSON document. Imports nothing heavy (``--short`` is quick)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from infuse_cli.core.dates import distance, human

if TYPE_CHECKING:
    import datetime as dt

    from infuse_cli.core.due import Due, Item
    from infuse_cli.views.doc import Doc

SCHEMA = 1


def _when(day: dt.date, today: dt.date) -> str:
    return f"{human(day)} ({distance(day, today)})"


def _at(i: Item, today: dt.date) -> str:
    """'Wed 16 Dec 2026, 10:00, City clinic (in 14 days)'."""
    where = "".join(f", {part}" for part in (i.time, i.place) if part)
    return f"{human(i.date)}{where} ({distance(i.date, today)})"


def line(i: Item, today: dt.date) -> str:
    """One item as a sentence a tired reader takes in at a glance."""
    late = f"overdue by {i.overdue_days} day{'s' if i.overdue_days != 1 else ''}"
    if i.kind == "book":
        assert i.by is not None
        if i.overdue_days:
            return f"Book the {i.what}: {late} (the label's date was {human(i.by)}); contact your care team"
        tail = f"; suggested day {human(i.suggested)}" if i.suggested and i.suggested != i.by else ""
        return f"Book the {i.what}: due {_when(i.by, today)}{tail}"
    if i.kind == "infusion":
        if i.booked:
            return f"{i.what} booked: {_at(i, today)}"
        return f"{i.what} due {_when(i.date, today)}, not booked yet"
    if i.kind == "appointment":
        return f"Test booked: {i.what}, {_at(i, today)}"
    if i.kind == "checklist":
        steps = f"{i.count} step{'s' if i.count != 1 else ''}"
        return f"Checklist, {i.what.lower()}: {steps} to do from {_when(i.date, today)} (infuse checklist)"
    if i.kind == "coverage":
        assert i.by is not None
        if i.overdue_days:
            return f"{i.what} ended on {human(i.by)}: {late}; renew it before the next infusion"
        start = i.suggested or i.date
        if start <= today:
            return f"Renew your {i.what.lower()} now: it ends {_when(i.by, today)}"
        return f"Renew your {i.what.lower()}: it ends {human(i.by)}; start {_when(start, today)}"
    if i.overdue_days:
        return f"{_KIND[i.kind]}{i.what}: {late} (since {human(i.date)})"
    return f"{_KIND[i.kind]}{i.what}: {_when(i.date, today)}"


_KIND = {"test": "Test due: ", "vaccine": "Vaccine deadline: ", "prepare": "", "reminder": "Reminder: "}


def due_doc(lists: Sequence[Due], days: int, named: bool) -> Doc:
    from infuse_cli.views.doc import Bullets, Heading, Para

    doc: Doc = []
    for d in lists:
        title = f"Due in the next {days} days" + (f": {d.profile}" if named else "")
        doc.append(Heading(title, level=2 if named else 1))
        if d.items:
            marks = ["OVERDUE" if i.overdue_days else "" for i in d.items]
            doc.append(Bullets([line(i, d.today) for i in d.items], marks=marks))
        else:
            doc.append(Para("Nothing is due." + (f" ({d.therapy})" if d.therapy else ""), tone="good"))
        if d.later:
            doc.append(Para("Further ahead:", tone="muted"))
            doc.append(Bullets([line(i, d.today) for i in d.later]))
    doc.append(Para("infuse informs; your care team's plan wins.", tone="muted"))
    return doc


def short(lists: Sequence[Due]) -> str:
    """'infuse: 2 due, 1 overdue — infuse due', or '' when nothing is due."""
    total = sum(len(d.items) for d in lists)
    if not total:
        return ""
    late = sum(d.overdue for d in lists)
    counts = f"{total - late} due" + (f", {late} overdue" if late else "")
    if total == late:
        counts = f"{late} overdue"
    return f"infuse: {counts} — infuse due"


def notify_lines(lists: Sequence[Due], named: bool) -> list[str]:
    """The lines of a desktop notification: each item, with whose it is."""
    return [
        (f"{d.profile}: " if named else "") + ("OVERDUE: " if i.overdue_days else "") + line(i, d.today)
        for d in lists
        for i in d.items
    ]


def _item_json(i: Item) -> dict[str, Any]:
    return {
        "kind": i.kind,
        "date": i.date.isoformat(),
        "what": i.what,
        "overdue_days": i.overdue_days,
        "by": i.by.isoformat() if i.by else None,
        "booked": i.booked,
        "suggested": i.suggested.isoformat() if i.suggested else None,
        "time": i.time or None,
        "place": i.place or None,
        "steps": i.count if i.kind == "checklist" else None,
        "id": i.ref,
    }


def due_json(lists: Sequence[Due], days: int) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "days": days,
        "profiles": [
            {
                "profile": d.profile or None,
                "today": d.today.isoformat(),
                "until": d.until.isoformat(),
                "therapy": d.therapy or None,
                "due": sum(1 for i in d.items if not i.overdue_days),
                "overdue": d.overdue,
                "items": [_item_json(i) for i in d.items],
                "later": [_item_json(i) for i in d.later],
            }
            for d in lists
        ],
    }
