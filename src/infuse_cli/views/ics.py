"""Calendar export (RFC 5545) with icalendar.

All-day events on the booking days, stable UIDs (exporting again and
importing updates events instead of duplicating them), an alarm some days
before, and descriptions with the dose, time at the clinic and what to bring.
icalendar escapes every text value, so newlines and commas in user or
catalogue text cannot break out of a property.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from infuse_cli.core.dates import add_days, human

if TYPE_CHECKING:
    from infuse_cli.core.schedule import Infusion
    from infuse_cli.core.upcoming import Upcoming

PRODID = "-//infuse//infuse calendar export//EN"


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
        uid: str, day: dt.date, summary: str, lines: list[str], categories: list[str], remind_days: int
    ) -> None:
        ev = Event()
        ev.add("uid", uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", day)
        ev.add("dtend", add_days(day, 1))
        ev.add("summary", summary)
        ev.add("description", "\n".join(lines))
        ev.add("categories", categories)
        ev.add("transp", "TRANSPARENT")
        if remind_days:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Reminder: {summary}")
            alarm.add("trigger", dt.timedelta(days=-remind_days))
            ev.add_component(alarm)
        cal.add_component(ev)

    for up in plans:
        t = up.therapy
        for k, inf in enumerate(up.infusions):
            day = today if inf.overdue_days else (inf.book or inf.date)
            summary = f"{title}{t.brand} infusion: {inf.phase} ({inf.dose})"
            lines = [f"Dose: {inf.dose} ({inf.phase})"]
            if inf.overdue_days:
                summary = f"OVERDUE {summary}"
                lines.append(
                    f"Overdue by {inf.overdue_days} days (due {human(inf.date)}):"
                    " contact your care team to book it."
                )
            elif inf.book_why == "booked":
                lines.append(f"Booked (infuse appointment list); the label's date is {human(inf.date)}.")
            elif inf.book and inf.book != inf.date:
                whose = "off-label date" if inf.off_label else "label's date"
                lines.append(f"The {whose} is {human(inf.date)}; this is the nearest working day.")
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
            add(uid, day, summary, lines, ["infuse", "infusion"], up.remind_days)
        seen: Counter[str] = Counter()
        keys = {
            inf.date: infusion_key(inf, up.seq_base + k + 1 if up.seq_base is not None else None)
            for k, inf in enumerate(up.infusions)
        }
        for e in up.events:
            # A test is the test and the label's date it belongs to, not its place in a list;
            # a reminder or a check for an infusion belongs to that infusion.
            anchor = keys.get(e.of) if e.of is not None else None
            key = f"{e.kind}.{_slug(e.what)}.{anchor or e.date.isoformat()}"
            seen[key] += 1
            uid = uid_of(who, t.id, key + (f".{seen[key]}" if seen[key] > 1 else ""))
            summary = f"{title}{t.brand}: {e.what}"
            add(uid, e.book or e.date, summary, [why_text(e.why)], ["infuse", e.kind], up.remind_days)
    data: bytes = cal.to_ical()
    return data


def write_ics(path: Path, plans: list[Upcoming], *, today: dt.date, profile: str | None = None) -> None:
    from infuse_cli.paths import write_private

    write_private(path, calendar_bytes(plans, today=today, profile=profile))
