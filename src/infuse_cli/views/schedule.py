"""Views of the schedule: `infuse next` in words and in JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infuse_cli.core.dates import distance, human
from infuse_cli.core.facts import minutes_text
from infuse_cli.views.doc import Bullets, Doc, Fields, Heading, Para
from infuse_cli.views.why import source_text, why_json, why_text

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from infuse_cli.core.schedule import Infusion, Visit
    from infuse_cli.core.timeline import Event
    from infuse_cli.core.upcoming import Program, Upcoming

# 2: `why` (and `earliest_why`) are objects with the reason's parts, not sentences.
SCHEMA = 2

DISCLAIMER = "infuse informs; your care team's plan wins. Ask them before changing anything."


OFF_LABEL = "off-label: only if your care team chose it"


def _if(condition: str) -> str:
    return f" {condition}" if condition else ""


def clinic(inf: Infusion) -> str:
    return visits_text(inf.visits)


def visits_text(visits: Sequence[Visit]) -> str:
    """'about 1.5 h (premedication + infusion) if …; after-reaction: about 2.5 h if …'."""
    if not visits:
        return ""
    v = visits[0]
    if v.covers == "infusion":
        text = f"the infusion itself about {minutes_text(v.infusion, v.infusion_max)}; the visit is longer"
    else:
        text = f"about {minutes_text(v.low, v.high)}"
        parts = [
            p
            for p, m in (
                ("premedication", v.premed),
                ("infusion", v.infusion),
                ("observation", v.observation),
            )
            if m
        ]
        if len(parts) > 1:
            text += f" ({' + '.join(parts)})"
    text += _if(v.condition)
    for alt in visits[1:]:
        text += f"; {alt.option}: about {minutes_text(alt.low, alt.high)}" + _if(alt.condition)
    return text


def _book_line(inf: Infusion) -> str:
    whose = "the off-label date" if inf.off_label else "the label's date"
    tail = f" ({OFF_LABEL})" if inf.off_label else ""
    if inf.book_why == "booked" and inf.book is not None:
        return f"{human(inf.book)} — booked (infuse appointment list); {whose}: {human(inf.date)}{tail}"
    if inf.book is None or inf.book == inf.date:
        return f"{human(inf.date)} ({whose}, a working day){tail}"
    if inf.course and inf.day > 0:
        return f"{human(inf.book)} (the course runs on consecutive working days)"
    reason = {
        "weekend": "is a weekend",
        "holiday": "is a public holiday",
        "course": "starts a course whose days would not all be working days in a row",
        "clinic": "is not one of your clinic's days (infuse config get clinic_days)",
    }.get(inf.book_why, "is not a working day")
    return f"{human(inf.book)} — {whose}, {human(inf.date)}, {reason}{tail}"


def infusion_fields(inf: Infusion, today: dt.date, travel: int = 0) -> list[tuple[str, str]]:
    rows = [("What", f"{inf.phase} · {inf.dose}")]
    if inf.off_label:
        rows.append(("Off-label", f"{inf.off_label}: {OFF_LABEL}, not the label's schedule"))
    if inf.overdue_days:
        rows.append(("Status", f"OVERDUE by {inf.overdue_days} days — contact your care team to book it"))
    else:
        rows.append(("Book", _book_line(inf)))
    if inf.earliest is not None:
        rows.append(
            ("Earliest", f"{human(inf.earliest)} (the minimum gap — {source_text(inf.earliest_why)})")
        )
    if inf.delayed_from is not None:
        rows.append(("What if", f"moved from {human(inf.delayed_from)}"))
    if inf.visits:
        rows.append(("At the clinic", clinic(inf)))
        if travel and inf.visits[0].covers == "visit":
            v = inf.visits[0]
            total = minutes_text(v.low + 2 * travel, v.high + 2 * travel)
            rows.append(("Door to door", f"about {total} with {travel} min of travel each way"))
    rows.append(("Why", why_text(inf.why)))
    return rows


def no_schedule_doc(up: Upcoming, title: str) -> Doc:
    """A therapy infuse does not project ahead (given on demand, or no US-labelled MS dose)."""
    assert up.end is not None
    return [Heading(f"{title}: {up.therapy.brand}"), *context(up), Para(up.end.text)]


def next_doc(up: Upcoming, travel: int = 0) -> Doc:
    t = up.therapy
    doc: Doc = [Heading(f"Next infusions: {t.brand}")]
    doc += context(up)
    if up.basis == "journal":
        doc.append(
            Para(
                "From your journal (infuse log list). To plan from other dates, give --start or --last.",
                tone="muted",
            )
        )
    if up.basis == "preview":
        doc.append(
            Para(
                "No infusion is recorded yet, so this is the schedule if your first infusion were"
                f" today. To plan from real dates: infuse next --drug {t.id} --start YYYY-MM-DD"
                " (your first infusion) or --last YYYY-MM-DD (your most recent dose).",
                tone="note",
                label="Note",
            )
        )
    for inf in up.infusions:
        day = inf.date if inf.overdue_days else (inf.book or inf.date)
        moved = f" (label's date {human(inf.date)})" if day != inf.date else ""
        if inf.overdue_days and inf.delayed_from is not None:  # what if an overdue dose waited longer
            when = f"{distance(day, up.today)} (what if); due since {human(inf.delayed_from)}"
        elif inf.overdue_days:
            when = f"overdue by {inf.overdue_days} days"
        else:
            when = distance(day, up.today)
        title = f"{human(day)}{moved} — {when}"
        doc.append(Heading(title, 2))
        doc.append(Fields(infusion_fields(inf, up.today, travel)))
    if up.end is not None and up.end.kind != "finished":
        doc.append(Para(up.end.text, tone="note", label="Then"))
    elif not up.infusions:
        doc.append(Para("No further infusion is planned by the label.", tone="note", label="Note"))
    if up.events:
        doc.append(Heading("Tests, vaccines and reminders", 2))
        doc.append(
            Bullets(
                [_event_line(e) for e in up.events],
                marks=[_mark(e) for e in up.events],
            )
        )
        if up.programs:
            doc.append(Heading("Repeating tests: the next few above; where each series ends", 2))
            doc.append(Bullets(program_lines(up.programs)))
    for note in up.notes:
        doc.append(Para(note, tone="warn", label="Warning"))
    doc.append(Para(DISCLAIMER, tone="muted"))
    return doc


def context(up: Upcoming) -> list[Para]:
    """Where the therapy came from, what the plan assumed, the lifetime total."""
    out = []
    if up.chosen:
        out.append(Para(f"Therapy: {up.chosen}", tone="muted"))
    if up.assumed:
        out.append(Para(up.assumed, tone="note", label="Assumed"))
    out += [Para(a, tone="note", label="Assumed") for a in up.placed]
    cap = up.therapy.regimen.cap
    if cap is not None and up.given_total is not None and up.basis != "preview":
        out.append(
            Para(
                f"{up.given_total:g} of {cap.max_total:g} {cap.unit} given so far"
                f" ({up.given_total / cap.max_total:.0%} of the label's lifetime limit).",
                tone="muted",
                label="Lifetime total",
            )
        )
    return out


def event_day(e: Event) -> str:
    """'Mon 5 Jan 2027 (label's date Sat 3 Jan 2027)' for a test moved to a working day."""
    if e.book is not None and e.book != e.date:
        return f"{human(e.book)} (label's date {human(e.date)})"
    return human(e.date)


def _event_line(e: Event) -> str:
    passed = " (this date has passed: ask your care team)" if e.overdue_days else ""
    return f"{event_day(e)}: {e.what}{passed} — {why_text(e.why)}"


def program_lines(programs: Sequence[Program]) -> list[str]:
    """'Complete blood count: every month until Nov 2030 (48 to go)'."""
    out = []
    for p in programs:
        if p.ends:
            out.append(f"{p.what}: every {p.every} until {p.ends.strftime('%b %Y')} ({p.left} to go)")
        elif "after the last dose" in p.every:
            out.append(f"{p.what}: every {p.every}; the label gives no end")
        else:
            out.append(f"{p.what}: every {p.every}, while treatment goes on")
    return out


def _mark(e: Event) -> str:
    return {"monitoring": "+", "vaccine": "v", "reminder": "^"}.get(e.kind, "-")


def infusion_json(inf: Infusion, today: dt.date) -> dict[str, Any]:
    v = inf.visits[0] if inf.visits else None
    return {
        "date": inf.date.isoformat(),
        "kind": "infusion",
        "book": (inf.book or inf.date).isoformat(),
        "earliest": inf.earliest.isoformat() if inf.earliest else None,
        "earliest_why": why_json(inf.earliest_why) if inf.earliest_why else None,
        "off_label": inf.off_label or None,
        "dose": inf.dose,
        "phase": inf.phase,
        "why": why_json(inf.why),
        "book_why": inf.book_why or None,
        "weekday": inf.date.strftime("%a"),
        "days_from_today": (inf.date - today).days,
        "overdue": bool(inf.overdue_days),
        "overdue_days": inf.overdue_days,
        "delayed_from": inf.delayed_from.isoformat() if inf.delayed_from else None,
        "clinic_minutes": [v.low, v.high] if v else None,
        "number": inf.number,
    }


def event_json(e: Event, today: dt.date) -> dict[str, Any]:
    return {
        "date": e.date.isoformat(),
        "kind": e.kind,
        "book": (e.book or e.date).isoformat(),
        "earliest": None,
        "dose": None,
        "phase": None,
        "what": e.what,
        "why": why_json(e.why),
        "overdue": bool(e.overdue_days),
        "overdue_days": e.overdue_days,
        "days_from_today": (e.date - today).days,
    }


def next_json(up: Upcoming) -> dict[str, Any]:
    events = [infusion_json(i, up.today) for i in up.infusions]
    events += [event_json(e, up.today) for e in up.events]
    events.sort(key=lambda e: (e["date"], e["kind"] != "infusion"))
    return {
        "schema": SCHEMA,
        "drug": up.therapy.id,
        "today": up.today.isoformat(),
        "basis": up.basis,
        "events": events,
        "end": (
            {
                "kind": up.end.kind,
                "text": up.end.text,
                "date": up.end.date.isoformat() if up.end.date else None,
            }
            if up.end
            else None
        ),
        "notes": up.notes,
        "programs": [
            {"what": p.what, "every": p.every, "left": p.left, "ends": p.ends.isoformat() if p.ends else None}
            for p in up.programs
        ],
        "assumed": up.assumed or None,
        "placed": up.placed,
        "therapy_from": up.chosen or None,
        "lifetime_total": (
            {"given": up.given_total, "limit": cap.max_total, "unit": cap.unit}
            if (cap := up.therapy.regimen.cap) is not None and up.given_total is not None
            else None
        ),
    }
