"""`infuse trip`: the plan's infusions, tests and deadlines inside a trip, from the same
inputs as `infuse next` (the therapy, --start/--last or the journal, the holidays)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:
    import datetime as dt

    from infuse_cli.core.trip import Trip
    from infuse_cli.core.upcoming import Upcoming


class TripPlan(msgspec.Struct, frozen=True):
    """The trip's items, and the plan they come from (its therapy, basis and notes)."""

    trip: Trip
    up: Upcoming


def trip_dates(first: str, last: str) -> tuple[dt.date, dt.date]:
    """The trip's first and last day, read as `next --last` reads a date, and checked."""
    from infuse_cli import config
    from infuse_cli.cli.common import profile, today
    from infuse_cli.core.dates import parse_date
    from infuse_cli.core.trip import check_trip

    now = today()
    order = config.load(profile()).date_order or None
    start, end = parse_date(first, now, order), parse_date(last, now, order)
    check_trip(start, end, now)
    return start, end


def trip_plan(
    drug: str | None,
    start: str | None,
    last: str | None,
    trip_from: str,
    trip_to: str,
    country: str | None = None,
) -> TripPlan:
    """What falls inside the trip from ``trip_from`` to ``trip_to`` (as typed), planned as
    `infuse next` plans: --start, --last, else the journal."""
    from infuse_cli.core.dates import add_days
    from infuse_cli.core.trip import plan_trip
    from infuse_cli.services.plan import Inputs

    first, final = trip_dates(trip_from, trip_to)  # the trip's own dates are checked first
    inp = Inputs(drug, start, last, command="trip")
    # A year past the trip: the doses after it date the tests and deadlines inside it (a first
    # infusion just after the trip dates the vaccine deadlines before it).
    until = add_days(final, 366)
    up = inp.upcoming(country, None, count=10**6, until=until, with_events=True)
    if up.end is not None and up.end.kind == "no_schedule":
        return TripPlan(plan_trip(inp.therapy, [], [], first, final, inp.today), up)
    holidays = inp.holidays(country)
    trip = plan_trip(inp.therapy, up.infusions, up.events, first, final, inp.today, holidays)
    return TripPlan(trip, up)
