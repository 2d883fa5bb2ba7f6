"""Properties of every date rule, for any start from 1900 to 2200."""

from __future__ import annotations

import calendar
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from infuse_cli.core import catalogue
from infuse_cli.core.dates import shift
from infuse_cli.core.schedule import book_day, project, with_booking
from infuse_cli.core.schema import Span

CAT = catalogue.load()
SCHEDULED = [x for x in CAT if x.regimen.phases and x.regimen.shape not in ("on_demand", "none")]
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))
therapies = st.sampled_from(SCHEDULED)


@given(day=dates, months=st.integers(min_value=0, max_value=1200))
def test_month_arithmetic_never_fails_and_clamps_to_the_month_end(day: dt.date, months: int) -> None:
    moved = shift(day, Span(n=months, unit="months"))
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    assert (moved.year, moved.month) == (year, month + 1)
    assert moved.day == min(day.day, calendar.monthrange(year, month + 1)[1])


@given(day=dates, weeks=st.integers(min_value=0, max_value=520))
def test_weeks_are_seven_days(day: dt.date, weeks: int) -> None:
    assert (shift(day, Span(n=weeks, unit="weeks")) - day).days == 7 * weeks


@settings(max_examples=60, deadline=None)
@given(therapy=therapies, start=dates, count=st.integers(min_value=1, max_value=12))
def test_infusions_are_in_order_and_respect_the_minimum_interval(therapy, start, count) -> None:
    proj = project(therapy, start - dt.timedelta(days=1), start=start, count=count)
    days = [i.date for i in proj.infusions]
    assert days == sorted(days)
    for inf in proj.infusions:
        if inf.earliest is not None:
            assert inf.date >= inf.earliest


@settings(max_examples=60, deadline=None)
@given(therapy=therapies, start=dates, count=st.integers(min_value=1, max_value=15))
def test_count_gives_that_many_infusion_days_unless_the_regimen_ends(therapy, start, count) -> None:
    proj = project(therapy, start - dt.timedelta(days=1), start=start, count=count)
    ahead = [i for i in proj.infusions if i.given is None]
    if len(ahead) < count:
        assert proj.end is not None and proj.end.kind in ("cap", "as_needed", "finished")
    else:
        assert len(ahead) == count


@settings(max_examples=60, deadline=None)
@given(therapy=therapies, start=dates)
def test_booking_days_are_working_days_not_before_the_earliest(therapy, start) -> None:
    proj = project(therapy, start - dt.timedelta(days=1), start=start, count=6)
    for inf in with_booking(proj.infusions):
        assert inf.book is not None
        if inf.book != inf.date:
            assert inf.book.weekday() < 5
            assert abs((inf.book - inf.date).days) <= 31
        if inf.earliest is not None:
            assert inf.book >= inf.earliest


@given(day=dates, holidays=st.sets(dates, max_size=5))
def test_a_booking_day_is_the_nearest_working_day(day: dt.date, holidays: set[dt.date]) -> None:
    booked = book_day(day, None, holidays)
    distance = abs((booked - day).days)
    for n in range(distance):
        for d in (day + dt.timedelta(days=n), day - dt.timedelta(days=n)):
            assert d.weekday() >= 5 or d in holidays
