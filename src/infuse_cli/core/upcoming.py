"""What `infuse next` and `infuse plan` show: upcoming infusion days with booking
days, and (on request) monitoring, vaccine and reminder events around them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Sequence
from typing import Literal

import msgspec
from msgspec.structs import replace

from infuse_cli.core.dates import add_days, describe_span, shift
from infuse_cli.core.records import Appointment
from infuse_cli.core.schedule import (
    WORKDAYS,
    Infusion,
    Marker,
    as_needed_from,
    book_day,
    project,
    with_booking,
)
from infuse_cli.core.schema import Span, Therapy
from infuse_cli.core.timeline import Event, monitoring, reminders, vaccine_deadlines

Basis = Literal["start", "last", "journal", "preview"]


class Program(msgspec.Struct, frozen=True):
    """One repeating test ahead: how often, how many to go, and when the label's series ends."""

    what: str
    every: str
    left: int | None  # None: it goes on (with treatment, or with no end given)
    ends: dt.date | None  # None: it goes on while treatment does


class Upcoming(msgspec.Struct, frozen=True):
    therapy: Therapy
    today: dt.date
    basis: Basis
    infusions: list[Infusion]  # upcoming only, with booking days
    events: list[Event]  # monitoring, vaccines, reminders (with --all)
    end: Marker | None
    notes: list[str]
    history: list[Infusion] = []  # doses already given (or assumed given), for context
    remind_days: int = 7
    assumed: str = ""  # what the plan assumed about the history, and how to correct it
    placed: list[str] = []  # recorded doses placed in a later phase by their amount, with the fix
    chosen: str = ""  # where the therapy came from when it was not typed
    given_total: float | None = None  # toward a lifetime limit
    programs: list[Program] = []  # repeating tests ahead, and when each series ends
    seq_base: int | None = None  # journal entries before these, when their numbers are unknown
    bookings: list[Appointment] = []  # the infusion bookings the plan's booked days come from


def upcoming(
    therapy: Therapy,
    today: dt.date,
    *,
    basis: Basis,
    start: dt.date | None = None,
    last: dt.date | None = None,
    given: Sequence[dt.date] = (),
    given_amounts: Sequence[float | None] = (),
    prior_total: float = 0.0,
    count: int = 3,
    until: dt.date | None = None,
    months: int | None = None,
    delay_days: int = 0,
    option: str | None = None,
    holidays: Container[dt.date] = (),
    clinic_days: Container[int] = WORKDAYS,
    booked: Sequence[dt.date] = (),
    with_events: bool = False,
    remind_days: int = 7,
    warnings: Sequence[str] = (),
    assumed: str = "",
    chosen: str = "",
    per_program: int | None = None,
    seq_base: int | None = None,
) -> Upcoming:
    """Upcoming infusion days for one therapy, and the events around them.

    ``basis`` 'preview' shows the schedule as if the first infusion were
    ``start`` (today): that day is listed rather than assumed given.
    ``months``: everything from the start of this month for that many months.
    Monitoring runs to the end its label gives (e.g. 48 months after the last dose),
    limited only by ``months``; ``per_program`` keeps only the next so many events of
    each test (``next --all``), and ``programs`` says when each one ends.
    """
    if months is not None:
        until = shift(today.replace(day=1), Span(n=months, unit="months"))
    engine_today = add_days(today, -1) if basis == "preview" else today
    proj = project(
        therapy,
        engine_today,
        start=start,
        last=last,
        given=given,
        given_amounts=given_amounts,
        prior_total=prior_total,
        option=option,
        count=count,
        until=until,
        delay_days=delay_days,
        booked=booked,
    )
    booked_days = with_booking(proj.infusions, holidays, clinic_days)
    ahead = [i for i in booked_days if i.given is None]
    past = [i for i in booked_days if i.given is not None]
    end = proj.end
    if end is not None and end.kind == "as_needed" and ahead and ahead[-1].book not in (None, ahead[-1].date):
        # "No sooner than" counts from the day the plan books, not the label's date.
        end = as_needed_from(therapy, ahead[-1].book) or end
    events: list[Event] = []
    programs: list[Program] = []
    if with_events and (ahead or past):
        horizon = _horizon(therapy, ahead, past, today, until if months is not None else None)
        known = (past[0].given if past and past[0].number == 1 else None) or (
            (ahead[0].book or ahead[0].date) if ahead and ahead[0].number == 1 else None
        )
        anchor = known or last or (past[0].given if past else None) or ahead[0].date
        assert anchor is not None
        events += monitoring(
            therapy,
            booked_days,
            (today, horizon),
            first=anchor,
            first_known=known is not None,
            ongoing=proj.end is None,  # the plan stopped at its window: more doses follow
            last_dose=(
                (booked_days[-1].given or booked_days[-1].book or booked_days[-1].date)
                if proj.end is not None and proj.end.kind in ("cap", "finished") and booked_days
                else None
            ),
        )
        if known is not None and known >= today:
            for e in vaccine_deadlines(therapy, known):
                passed = (today - e.date).days
                events.append(replace(e, overdue_days=passed) if passed > 0 else e)
        events += [e for e in reminders(therapy, ahead, remind_days) if e.date >= today]
        if months is not None and until is not None:
            events = [e for e in events if e.date < until]
        events = [_on_a_working_day(e, holidays) for e in events]
        events.sort(key=lambda e: (e.date, e.kind, e.what))
        programs = _programs(therapy, events)  # after the window's events, before --count
        if per_program is not None:
            events = _first_of_each(events, per_program)
    notes = list(dict.fromkeys([*warnings, *proj.notes]))
    return Upcoming(
        therapy,
        today,
        basis,
        ahead,
        events,
        end,
        notes,
        past,
        remind_days,
        assumed=assumed,
        placed=proj.assumed,
        chosen=chosen,
        given_total=proj.given_total,
        programs=programs,
        seq_base=seq_base,
    )


_FAR = Span(n=120, unit="months")


def _horizon(
    therapy: Therapy, ahead: list[Infusion], past: list[Infusion], today: dt.date, window_end: dt.date | None
) -> dt.date:
    """The last day events are worked out for: the window asked for, else the end of the
    longest monitoring series (so a program runs to its end), at least a year."""
    if window_end is not None:
        return add_days(window_end, -1)
    base = (ahead[-1].book or ahead[-1].date) if ahead else (past[-1].given or past[-1].date)
    ends = [shift(base, m.until) for m in therapy.monitoring if m.until is not None]
    if any(m.every is not None and m.until is None for m in therapy.monitoring):
        ends.append(shift(today, _FAR))  # a series with no end: as far as anyone plans
    return max([base, shift(today, Span(n=12, unit="months")), *ends])


def _on_a_working_day(e: Event, holidays: Container[dt.date]) -> Event:
    """A test suggested on a working day; infusion-day tests and deadlines keep their date."""
    if e.kind != "monitoring" or e.tag == "before_dose":
        return e
    booked = book_day(e.date, None, holidays)
    return replace(e, book=booked) if booked != e.date else e


def _programs(therapy: Therapy, events: list[Event]) -> list[Program]:
    """Each repeating test ahead; how many are left and when its series ends, when the
    label's end is in view (the treatment's end known: a finished course, a reached limit)."""
    out = []
    for m in therapy.monitoring:
        if m.every is None:
            continue
        mine = [e for e in events if e.kind == "monitoring" and e.what == m.what]
        if not mine:
            continue
        ends = mine[-1].date if mine[-1].tag == "last" else None
        every = describe_span(m.every) + (" after the last dose" if m.after_last_dose else "")
        out.append(Program(m.what, every, len(mine) if ends else None, ends))
    return out


def _first_of_each(events: list[Event], n: int) -> list[Event]:
    """The next ``n`` events of each repeating test; deadlines and reminders all."""
    seen: dict[str, int] = {}
    out = []
    for e in events:
        if e.kind == "monitoring":
            seen[e.what] = seen.get(e.what, 0) + 1
            if seen[e.what] > n:
                continue
        out.append(e)
    return out
