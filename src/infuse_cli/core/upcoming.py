"""What `infuse next` and `infuse plan` show: upcoming infusion days with booking
days, and (on request) monitoring, vaccine and reminder events around them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Sequence
from typing import Literal

import msgspec
from msgspec.structs import replace

from infuse_cli.core.dates import add_days, shift
from infuse_cli.core.schedule import Infusion, Marker, as_needed_from, project, with_booking
from infuse_cli.core.schema import Span, Therapy
from infuse_cli.core.timeline import Event, monitoring, reminders, vaccine_deadlines

Basis = Literal["start", "last", "journal", "preview"]


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
    chosen: str = ""  # where the therapy came from when it was not typed
    given_total: float | None = None  # toward a lifetime limit


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
    with_events: bool = False,
    remind_days: int = 7,
    warnings: Sequence[str] = (),
    assumed: str = "",
    chosen: str = "",
) -> Upcoming:
    """Upcoming infusion days for one therapy, and the events around them.

    ``basis`` 'preview' shows the schedule as if the first infusion were
    ``start`` (today): that day is listed rather than assumed given.
    ``months``: everything from the start of this month for that many months.
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
    )
    booked = with_booking(proj.infusions, holidays)
    ahead = [i for i in booked if i.given is None]
    past = [i for i in booked if i.given is not None]
    end = proj.end
    if end is not None and end.kind == "as_needed" and ahead and ahead[-1].book not in (None, ahead[-1].date):
        # "No sooner than" counts from the day the plan books, not the label's date.
        end = as_needed_from(therapy, ahead[-1].book) or end  # type: ignore[arg-type]
    events: list[Event] = []
    if with_events and (ahead or past):
        horizon = ahead[-1].book or ahead[-1].date if ahead else today
        horizon = max(horizon, shift(today, Span(n=12, unit="months")))
        known = (past[0].given if past and past[0].number == 1 else None) or (
            (ahead[0].book or ahead[0].date) if ahead and ahead[0].number == 1 else None
        )
        anchor = known or last or (past[0].given if past else None) or ahead[0].date
        assert anchor is not None
        events += monitoring(
            therapy,
            booked,
            (today, horizon),
            first=anchor,
            first_known=known is not None,
            ongoing=proj.end is None or proj.end.kind != "finished",
            last_dose=(
                (booked[-1].given or booked[-1].book or booked[-1].date)
                if proj.end is not None and proj.end.kind in ("cap", "finished") and booked
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
        events.sort(key=lambda e: (e.date, e.kind, e.what))
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
        chosen=chosen,
        given_total=proj.given_total,
    )
