"""Dates as people type them, and as infuse writes them."""

from __future__ import annotations

import datetime as dt

import pytest

from infuse_cli.core.dates import distance, human, parse_date
from infuse_cli.core.errors import UsageError

TODAY = dt.date(2026, 1, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-07-06", dt.date(2026, 7, 6)),
        ("today", TODAY),
        ("Yesterday", dt.date(2026, 1, 4)),
        ("2026-2-3", dt.date(2026, 2, 3)),
        ("13/04/2026", dt.date(2026, 4, 13)),  # only one reading: 13 cannot be a month
        ("04/13/2026", dt.date(2026, 4, 13)),
        ("03/03/2026", dt.date(2026, 3, 3)),  # both readings are the same day
    ],
)
def test_dates_people_type(text: str, expected: dt.date) -> None:
    assert parse_date(text, TODAY) == expected


def test_an_ambiguous_date_is_refused_with_both_readings() -> None:
    with pytest.raises(UsageError) as err:
        parse_date("03/04/2026", TODAY)
    message = str(err.value)
    # 5 Jan 2026 is a Monday: 3 Apr 2026 is a Friday, 4 Mar 2026 a Wednesday.
    assert "Fri 3 Apr 2026" in message and "Wed 4 Mar 2026" in message
    assert "2026-04-03" in message and "2026-03-04" in message


def test_the_configured_order_resolves_an_ambiguous_date() -> None:
    assert parse_date("03/04/2026", TODAY, order="dmy") == dt.date(2026, 4, 3)
    assert parse_date("03/04/2026", TODAY, order="mdy") == dt.date(2026, 3, 4)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2026-02-30", "February 2026 has no day 30"),
        ("2027-02-29", "February 2027 has no day 29"),
        ("2026-13-01", "there is no month 13"),
        ("0000-01-01", "there is no year 0"),
        ("next tuesday", "write it as YYYY-MM-DD"),
        ("", "write it as YYYY-MM-DD"),
    ],
)
def test_impossible_dates_are_refused_clearly(text: str, words: str) -> None:
    with pytest.raises(UsageError) as err:
        parse_date(text, TODAY)
    assert words in str(err.value)


def test_29_february_in_a_leap_year_is_fine() -> None:
    assert parse_date("2028-02-29", TODAY) == dt.date(2028, 2, 29)


def test_human_dates_show_the_weekday_and_distance() -> None:
    assert human(dt.date(2026, 7, 6)) == "Mon 6 Jul 2026"
    assert distance(dt.date(2026, 2, 8), TODAY) == "in 34 days"
    assert distance(dt.date(2026, 1, 6), TODAY) == "tomorrow"
    assert distance(dt.date(2025, 12, 24), TODAY) == "12 days ago"
