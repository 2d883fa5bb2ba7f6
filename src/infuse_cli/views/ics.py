"""Calendar export (RFC 5545) with icalendar.

All-day events on the booking days, stable UIDs (exporting again and
importing updates events instead of duplicating them), an alarm some days
before, and descriptions with the dose, time at the clinic and what to bring.
icalendar escapes every text value, so newlines and commas in user or
catalogue text cannot break out of a property; control characters, which
RFC 5545 does not allow in a text value, are replaced by spaces.

A booking (``infuse appointment add``) with a time is a timed event at that
local time, written as a "floating" time (no time zone: the journal records
none, so the event is at 09:30 wherever the calendar is read). It ends after
the longest time at the clinic the catalogue gives for that visit; where the
catalogue gives none (a test), after ``DEFAULT_MINUTES``. A booking's place
is the event's LOCATION, with or without a time.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from infuse_cli.core.dates import add_days, human

if TYPE_CHECKING:
    from infuse_cli.core.records import Appointment
    from infuse_cli.core.schedule import Infusion
    from infuse_cli.core.timeline import Event as TimelineEvent
    from infuse_cli.core.upcoming import Upcoming

PRODID = "-//infuse//infuse calendar export//EN"
# A timed booking the catalogue gives no clinic time for (a test) ends an hour after it
# starts: a calendar's usual length for an appointment, not a clinic's time.
DEFAULT_MINUTES = 60


def _clean(text: str) -> str:
    """Text with every control character (newlines too) replaced by a space: RFC 5545
    allows none in a text value, and a line break in a title or place is never meant."""
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)


def _span(
    day: dt.date, at: Appointment | None, minutes: int | None
) -> tuple[dt.date, dt.date] | tuple[dt.datetime, dt.datetime]:
    """The event's start and end: from the booking's local time on the day (floating) for
    ``minutes`` (else ``DEFAULT_MINUTES``); without a time, the whole day."""
    if at is not None and at.time:
        try:
            start = dt.datetime.combine(day, dt.time.fromisoformat(at.time))
        except ValueError:  # a time infuse did not write (a journal edited by hand): all day
            pass
        else:
            return start, start + dt.timedelta(minutes=minutes or DEFAULT_MINUTES)
    return day, add_days(day, 1)


def visit_minutes(inf: Infusion) -> int | None:
    """The longest time at the clinic the catalogue gives for this infusion's usual visit."""
    return inf.visits[0].high if inf.visits and inf.visits[0].high > 0 else None


def booking_text(at: Appointment) -> str:
    """', 09:30, City clinic' (what the booking says of when and where), or ''."""
    return "".join(f", {part}" for part in (at.time, at.place) if part)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "event"


def uid_of(who: str, therapy: str, what: str) -> str:
    """An event's identity: whose calendar, which therapy, and what the event is."""
    return f"{_slug(who)}.{therapy}.{what}@infuse"


def infusion_key(inf: Infusion, seq: int | None) -> str:
    """What an infusion is, as days pass and doses are logged: its place in the history
    (the therapy's infusion number), else the label's date of that dose."""
    number = inf.number if inf.number is not None else seq
    return f"infusion.n{number}" if number is not None else f"infusion.{inf.phase_id}.{inf.date.isoformat()}"


def event_key(e: TimelineEvent, infusions: dict[dt.date, str]) -> str:
    """What a monitoring event, reminder or booking is (``infusions``: each infusion's key by
    the label's date). A test is the test and the label's date it belongs to, not its place
    in a list; a reminder or a check for an infusion belongs to that infusion. A test booking
    is the test and the day booked: its time, place and note can change (rebooked at 09:00,
    at another lab) and it is still the same event."""
    if e.booking is not None:
        return f"{e.kind}.booked-{_slug(e.booking.test)}.{e.booking.date.isoformat()}"
    anchor = infusions.get(e.of) if e.of is not None else None
    return f"{e.kind}.{_slug(e.what)}.{anchor or e.date.isoformat()}"


def _day_lines(inf: Infusion, day: dt.date, at: Appointment | None) -> list[str]:
    """Why the event is on its day: overdue, booked (when and where), or moved off the label's date."""
    if inf.overdue_days:
        return [
            f"Overdue by {inf.overdue_days} days (due {human(inf.date)}): contact your care team to book it."
        ]
    if inf.book_why == "booked":
        when = booking_text(at) if at is not None else ""
        lines = [
            f"Booked: {human(day)}{when} (infuse appointment list); the label's date is {human(inf.date)}."
        ]
        return [*lines, f"Note: {at.note}"] if at is not None and at.note else lines
    if inf.book and inf.book != inf.date:
        whose = "off-label date" if inf.off_label else "label's date"
        return [f"The {whose} is {human(inf.date)}; this is the nearest working day."]
    return []


def calendar_bytes(plans: list[Upcoming], *, today: dt.date, profile: str | None = None) -> bytes:
    from icalendar import Alarm, Calendar, Event

    from infuse_cli.cache import load_content
    from infuse_cli.core.prep import in_sections, select, visit_facts
    from infuse_cli.views.schedule import clinic
    from infuse_cli.views.why import why_text

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    who = profile or "default"
    cal.add("x-wr-calname", f"infuse: {profile}" if profile else "infuse")
    title = f"{profile}: " if profile else ""
    stamp = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)
    checklist = load_content("checklists")

    def add(
        uid: str,
        day: dt.date,
        summary: str,
        lines: list[str],
        categories: list[str],
        remind_days: int,
        at: Appointment | None = None,
        minutes: int | None = None,
    ) -> None:
        summary = _clean(summary)
        start, end = _span(day, at, minutes)
        ev = Event()
        ev.add("uid", uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", start)
        ev.add("dtend", end)
        ev.add("summary", summary)
        place = _clean(at.place).strip() if at is not None else ""
        if place:
            ev.add("location", place)
        ev.add("description", "\n".join(_clean(line) for line in lines))
        ev.add("categories", categories)
        # Booked at a time, the person is busy then; an all-day event leaves the day free.
        ev.add("transp", "OPAQUE" if isinstance(start, dt.datetime) else "TRANSPARENT")
        if remind_days:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Reminder: {summary}")
            alarm.add("trigger", dt.timedelta(days=-remind_days))
            ev.add_component(alarm)
        cal.add_component(ev)

    for up in plans:
        t = up.therapy
        booked = {a.date: a for a in up.bookings}
        for k, inf in enumerate(up.infusions):
            day = today if inf.overdue_days else (inf.book or inf.date)
            summary = f"{title}{t.brand} infusion: {inf.phase} ({inf.dose})"
            lines = [f"Dose: {inf.dose} ({inf.phase})"]
            at = booked.get(day) if inf.book_why == "booked" and not inf.overdue_days else None
            if inf.overdue_days:
                summary = f"OVERDUE {summary}"
            lines += _day_lines(inf, day, at)
            if inf.off_label:
                summary += " (off-label)"
                lines.append(f"{inf.off_label}: off-label, only if your care team chose it.")
            if inf.visits:
                lines.append(f"At the clinic: {clinic(inf)}")
            lines.append(f"Why this date: {why_text(inf.why)}")
            facts = visit_facts(t, inf.number == 1, inf.phase_id, inf.number)
            bring = [i.text for i in in_sections(select(checklist.items, facts), ("bring",))]
            if bring:
                lines.append("Bring: " + "; ".join(bring))
            lines.append("infuse informs; your care team's plan wins.")
            seq = up.seq_base + k + 1 if up.seq_base is not None else None
            uid = uid_of(who, t.id, infusion_key(inf, seq))
            add(uid, day, summary, lines, ["infuse", "infusion"], up.remind_days, at, visit_minutes(inf))
        seen: Counter[str] = Counter()
        keys = {
            inf.date: infusion_key(inf, up.seq_base + k + 1 if up.seq_base is not None else None)
            for k, inf in enumerate(up.infusions)
        }
        for e in up.events:
            key = event_key(e, keys)
            seen[key] += 1
            uid = uid_of(who, t.id, key + (f".{seen[key]}" if seen[key] > 1 else ""))
            summary = f"{title}{t.brand}: {e.what}"
            lines = [why_text(e.why)]
            if e.booking is not None and e.booking.note:
                lines.append(f"Note: {e.booking.note}")
            add(uid, e.book or e.date, summary, lines, ["infuse", e.kind], up.remind_days, e.booking)
    data: bytes = cal.to_ical()
    return data


def write_ics(path: Path, plans: list[Upcoming], *, today: dt.date, profile: str | None = None) -> None:
    from infuse_cli.paths import write_private

    write_private(path, calendar_bytes(plans, today=today, profile=profile))
