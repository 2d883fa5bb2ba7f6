"""`infuse trip` in words and in JSON: what falls inside the trip, and the days around it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infuse_cli.core.dates import describe_span, distance, human
from infuse_cli.views.doc import Doc, Fields, Heading, Para
from infuse_cli.views.schedule import context
from infuse_cli.views.why import source_text, why_json, why_text

if TYPE_CHECKING:
    import datetime as dt

    from infuse_cli.core.trip import Quoted, Side, Trip, TripItem
    from infuse_cli.services.trip import TripPlan

SCHEMA = 1

CARE_TEAM = (
    "This only proposes: your plan is unchanged. Agree any change to a dose or a test with your"
    " care team before you book it."
)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def span_text(trip: Trip) -> str:
    return f"{human(trip.start)} to {human(trip.end)} ({_days(trip.days)})"


def nothing_line(tp: TripPlan) -> str:
    return f"Nothing of your {tp.up.therapy.brand} plan falls inside the trip, {span_text(tp.trip)}."


def trip_doc(tp: TripPlan) -> Doc:
    trip, up = tp.trip, tp.up
    if up.end is not None and up.end.kind == "no_schedule":
        return [Para(up.end.text)]
    if not trip.items:
        return [Para(nothing_line(tp))]
    doc: Doc = [Heading(f"Trip: {up.therapy.brand}, {span_text(trip)}")]
    doc += context(up)
    if up.basis == "journal":
        doc.append(
            Para(
                "From your journal (infuse log list); give --start or --last to plan from other dates.",
                tone="muted",
            )
        )
    if up.basis == "preview":
        doc.append(
            Para(
                "No infusion is recorded yet, so this is the plan if your first infusion were today;"
                " give --start or --last for real dates.",
                tone="note",
                label="Note",
            )
        )
    for item in trip.items:
        doc.append(Heading(_title(item, trip.today), 2))
        doc.append(Fields(_rows(item, trip)))
    for note in up.notes:
        doc.append(Para(note, tone="warn", label="Warning"))
    doc.append(Para(CARE_TEAM, tone="note", label="Note"))
    return doc


def _title(item: TripItem, today: dt.date) -> str:
    what = {
        "infusion": f"infusion: {item.what} · {item.dose}",
        "test": f"test: {item.what}",
        "deadline": f"deadline: {item.what}",
    }[item.kind]
    if item.days > 1:
        what += f", {item.days} days in a row"
    when = f"overdue by {_days(item.overdue_days)}" if item.overdue_days else distance(item.date, today)
    return f"{human(item.date)} — {what} ({when})"


def _rows(item: TripItem, trip: Trip) -> list[tuple[str, str]]:
    day = "On" if item.with_infusion is not None else "Label's date"
    rows = [(day, f"{human(item.date)} — {why_text(item.why)}")]
    if item.overdue_days:
        rows.append(("Status", f"OVERDUE by {_days(item.overdue_days)} — contact your care team to book it"))
    elif item.booked and item.book is not None:
        rows.append(("Booked for", _booked(item, item.book, trip)))
    elif item.book is not None and item.book != item.date:
        rows.append(("Planned for", human(item.book)))
    if item.with_infusion is not None:
        rows.append(
            (
                "Around the trip",
                "done on the infusion day, before the dose: it moves with the infusion"
                f" of {human(item.with_infusion)}.",
            )
        )
        return rows
    if item.before is not None:
        rows.append(("Before the trip", _before(item, item.before)))
    if item.after is not None:
        rows.append(("After the trip", _after(item, item.after)))
    return rows


def _booked(item: TripItem, book: dt.date, trip: Trip) -> str:
    """The booked day, and whether it is the one that clashes with the trip."""
    text = f"{human(book)} (infuse appointment list)"
    if not trip.start <= book <= trip.end:
        return f"{text}, outside the trip."
    text += ", inside the trip"
    if book > item.date:
        return f"{text}; it is {_days((book - item.date).days)} after the label's date, the latest on time."
    return f"{text}."


def _on_label(side: Side) -> str:
    """', N days before the label's date' or ', on the label's date'."""
    assert side.days_from_label is not None
    if side.days_from_label == 0:
        return ", on the label's date"
    return f", {_days(-side.days_from_label)} before the label's date"


def _before(item: TripItem, side: Side) -> str:
    rule = _rule(side.rule)
    if side.status == "passed":
        return "the days before the trip have already passed."
    if side.status == "too_soon":
        assert side.first is not None
        return f"none: the earliest day the label allows is {human(side.first)}, inside the trip — {rule}."
    if side.status == "allowed":
        assert side.first is not None and side.last is not None
        until = human(side.last)
        if item.kind != "deadline" and side.last == item.date:
            until += " (the label's date: later would be late)"
        if item.kind == "deadline":
            text = f"any day up to {until} meets it — {rule}."
        elif side.first == side.last == item.date:  # no earlier day: only the label's date itself
            return f"allowed on {human(item.date)}, the label's date, only (later would be late): {rule}."
        else:
            text = f"allowed from {human(side.first)} to {until}: {rule}."
        if side.book is not None and side.days_from_label is not None:
            text += f" {_nearest(item)} is {human(side.book)}{_on_label(side)}."
        return text
    if side.status == "late":  # the label's date has passed: the soonest day is the least late
        return _late_before(item, side)
    # early: the label allows no day before its date
    day = side.book or side.last
    assert day is not None and side.days_from_label is not None
    kind = side.rule.kind if side.rule is not None else ""
    if kind == "start_date":
        return (
            f"{human(day)}, {_eve(item)}, would be {_days(-side.days_from_label)} sooner than the start"
            " date given; the dates after it, and the vaccine deadlines, would move with it."
        )
    if kind == "no_window":
        head = f"the label gives this a date, not a window ({rule})."
    else:
        head = f"the label allows no earlier day — {rule}."
    eve = _eve(item) if side.last is None or side.last != item.date else _up_to_label(item)
    return f"{head} {human(day)}, {eve}, would be {_days(-side.days_from_label)} early."


def _late_before(item: TripItem, side: Side) -> str:
    head = f"late: the label's date ({human(item.date)}) has passed."
    if side.book is None or side.days_from_label is None:
        return f"{head} No working day is left before the trip. Missed dose: {_rule(side.rule)}."
    text = (
        f"{head} {human(side.book)}, the soonest working day, would be"
        f" {_days(side.days_from_label)} late. Missed dose: {_rule(side.rule)}."
    )
    if side.next_due is not None:
        text += f" The next dose would then be due on {human(side.next_due)}."
    return text


def _after(item: TripItem, side: Side) -> str:
    rule = _rule(side.rule)
    if side.status == "too_late":
        return f"too late: it is due by {human(item.date)} — {rule}."
    if side.status == "allowed":  # the label's date is after the trip: the first days back are on time
        assert side.first is not None and side.last is not None and side.book is not None
        return (
            f"allowed from {human(side.first)} to {human(side.last)} (the label's date, the latest on"
            f" time): {rule}. {_first_back(item)} is {human(side.book)}{_on_label(side)}."
        )
    day = side.book or side.first
    assert day is not None and side.days_from_label is not None
    late = f"{human(day)}, {_back(item)}, would be {_days(side.days_from_label)} late"
    if item.kind == "test":
        return f"{late}; ask your care team whether that is all right."
    if side.rule is not None and side.rule.kind == "start_date":
        return (
            f"{human(day)}, {_back(item)}, would be {_days(side.days_from_label)} later than the"
            " start date given; the dates after it would move with it."
        )
    text = f"{late}: the label's date is the latest on time. Missed dose: {rule}."
    if side.next_due is not None:
        text += f" The next dose would then be due on {human(side.next_due)}."
    return text


def _nearest(item: TripItem) -> str:
    if item.days > 1:
        return f"The latest start of {item.days} working days in a row before the trip"
    return "The working day nearest the trip"


def _first_back(item: TripItem) -> str:
    if item.days > 1:
        return f"The first start of {item.days} working days in a row after the trip"
    return "The first working day back"


def _up_to_label(item: TripItem) -> str:
    if item.days > 1:
        return f"the latest start of {item.days} working days in a row up to the label's date"
    return "the last working day up to the label's date"


def _eve(item: TripItem) -> str:
    if item.days > 1:
        return f"the latest start of {item.days} working days in a row before the trip"
    return "the last working day before the trip"


def _back(item: TripItem) -> str:
    if item.days > 1:
        return f"the first start of {item.days} working days in a row after the trip"
    return "the first working day back"


def _rule(q: Quoted | None) -> str:
    """The rule quoted with where it is written: '"…" (Tysabri label §2.1)'."""
    if q is None:
        return "the label gives no rule for this"
    source = q.cite.text if q.cite is not None else ""
    if q.text:
        return f'"{q.text}" ({source})' if source else f'"{q.text}"'
    r = q.reason
    assert r is not None
    if q.kind == "minimum_gap" and r.span is not None and r.anchor is not None:
        gap = describe_span(r.span)
        return f"{gap} after the infusion before it ({human(r.anchor)}), the minimum gap — {source_text(r)}"
    return why_text(r)


# --------------------------------------------------------------------------- JSON


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _reason(r: Any) -> dict[str, object] | None:
    """A reason's parts, without the sentence the terminal shows."""
    if r is None:
        return None
    parts = why_json(r)
    parts.pop("text", None)
    return parts


def _rule_json(q: Quoted | None) -> dict[str, object] | None:
    if q is None:
        return None
    c = q.cite
    return {
        "kind": q.kind,
        "text": q.text or None,  # the source's own words, where the data has them
        "reason": _reason(q.reason),
        "reset": q.reset,
        "source": c.source if c else None,
        "section": c.section if c else None,
        "url": c.url if c else None,
    }


def _side_json(side: Side | None) -> dict[str, object] | None:
    if side is None:
        return None
    return {
        "status": side.status,
        "first": _iso(side.first),
        "last": _iso(side.last),
        "book": _iso(side.book),
        "days_from_label": side.days_from_label,
        "next_due": _iso(side.next_due),
        "rule": _rule_json(side.rule),
    }


def trip_json(tp: TripPlan) -> dict[str, Any]:
    trip, up = tp.trip, tp.up
    return {
        "schema": SCHEMA,
        "drug": up.therapy.id,
        "today": trip.today.isoformat(),
        "basis": up.basis,
        "trip": {"from": trip.start.isoformat(), "to": trip.end.isoformat(), "days": trip.days},
        "schedule": up.end.kind if up.end is not None and up.end.kind == "no_schedule" else "projected",
        "items": [
            {
                "kind": i.kind,
                "what": i.what,
                "dose": i.dose or None,
                "date": i.date.isoformat(),
                "book": _iso(i.book),
                "days": i.days,
                "latest": _iso(i.latest),
                "overdue_days": i.overdue_days,
                "with_infusion": _iso(i.with_infusion),
                "why": _reason(i.why),
                "before": _side_json(i.before),
                "after": _side_json(i.after),
            }
            for i in trip.items
        ],
    }
