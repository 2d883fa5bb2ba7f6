"""Date arithmetic in the label's own units, parsing what people type, and wording.

Weeks are 7 days; months are calendar months (31 Aug + 6 months = 28 Feb, or 29
in a leap year), via dateutil's ``relativedelta``.  Nothing here reads a clock:
``today`` is always passed in.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import TYPE_CHECKING, Literal

from infuse_cli.core.errors import InfuseError, UsageError, shown
from infuse_cli.core.schema import Span

if TYPE_CHECKING:
    pass

DateOrder = Literal["dmy", "mdy"]

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class DateOutOfRange(InfuseError):
    pass


def shift(day: dt.date, *spans: tuple[Span, int] | Span) -> dt.date:
    """``day`` moved by each span (or ``(span, times)``), combined into one step.

    Combining matters for months: 31 Aug + (6 + 6) months is 31 Aug, whereas
    (31 Aug + 6 months) + 6 months would drift to 28 Aug.  Months move first,
    then days (as ``relativedelta`` does).
    """
    months = days = 0
    for item in spans:
        span, times = item if isinstance(item, tuple) else (item, 1)
        if span.unit == "months":
            months += span.n * times
        else:
            days += span.n * times * (7 if span.unit == "weeks" else 1)
    try:
        if months:
            from dateutil.relativedelta import relativedelta

            moved: dt.date = day + relativedelta(months=months)
            return moved + dt.timedelta(days=days) if days else moved
        return day + dt.timedelta(days=days)
    except (OverflowError, ValueError):
        raise DateOutOfRange("That date falls outside the calendar infuse can work with.") from None


def add_days(day: dt.date, n: int) -> dt.date:
    try:
        return day + dt.timedelta(days=n)
    except OverflowError:
        raise DateOutOfRange("That date falls outside the calendar infuse can work with.") from None


def describe_span(span: Span) -> str:
    unit = span.unit if span.n != 1 else span.unit[:-1]
    return f"{span.n} {unit}"


def human(day: dt.date) -> str:
    """'Mon 6 Jul 2026': weekday and an unambiguous date."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def distance(day: dt.date, today: dt.date) -> str:
    """'today', 'tomorrow', 'in 34 days', 'yesterday', '12 days ago'."""
    n = (day - today).days
    if n == 0:
        return "today"
    if n == 1:
        return "tomorrow"
    if n == -1:
        return "yesterday"
    return f"in {n} days" if n > 0 else f"{-n} days ago"


_ISO = r"^(\d{4})-(\d{1,2})-(\d{1,2})$"
_NUMERIC = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"


# The dates infuse takes: none before 1900 (no one now living was given these therapies
# then), none more than 100 years ahead. A year outside is a slip of the keyboard, and a
# booking near the calendar's end (9999) would leave no room for the doses after it.
EARLIEST_YEAR = 1900
YEARS_AHEAD = 100


def in_reach(day: dt.date, today: dt.date) -> bool:
    return EARLIEST_YEAR <= day.year <= today.year + YEARS_AHEAD


def parse_date(text: str, today: dt.date, order: DateOrder | None = None) -> dt.date:
    """A date as people type it: ISO ``YYYY-MM-DD``, ``today``, ``yesterday``.

    ``03/04/2026`` is refused with both readings unless ``order`` says which
    comes first; a numeric date that can only be read one way is accepted.
    A date before 1900 or more than 100 years ahead is refused.
    """
    day = _parse(text, today, order)
    if not in_reach(day, today):
        when = f"before {EARLIEST_YEAR}" if day < today else f"more than {YEARS_AHEAD} years ahead"
        raise UsageError(f"'{shown(text.strip())}' is {when}; check the year.")
    return day


def _parse(text: str, today: dt.date, order: DateOrder | None) -> dt.date:
    raw = text.strip()
    word = raw.lower()
    if word == "today":
        return today
    if word == "yesterday":
        return add_days(today, -1)
    if word == "tomorrow":
        return add_days(today, 1)
    text_shown = shown(raw)
    m = re.match(_ISO, raw)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]), text_shown)
    m = re.match(_NUMERIC, raw)
    if m:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        if order == "dmy":
            return _make(year, b, a, text_shown)
        if order == "mdy":
            return _make(year, a, b, text_shown)
        readings = []
        for month, day in ((b, a), (a, b)):
            with contextlib.suppress(ValueError):
                readings.append(dt.date(year, month, day))
        if len(set(readings)) == 1:
            return readings[0]
        if len(readings) == 2:
            first, second = readings
            raise UsageError(
                f"'{text_shown}' could be {human(first)} or {human(second)}; write it as "
                f"{first.isoformat()} or {second.isoformat()}, or set your date order with "
                "'infuse config set date_order dmy' (or mdy)."
            )
        raise UsageError(f"'{text_shown}' is not a date on the calendar.")
    raise UsageError(
        f"'{text_shown}' is not a date infuse understands; write it as YYYY-MM-DD, like 2026-07-06."
    )


def _make(year: int, month: int, day: int, text_shown: str) -> dt.date:
    if not 1 <= year <= 9999:
        raise UsageError(f"'{text_shown}' is not a date on the calendar: there is no year {year}.")
    if not 1 <= month <= 12:
        raise UsageError(f"'{text_shown}' is not a date on the calendar: there is no month {month}.")
    try:
        return dt.date(year, month, day)
    except ValueError:
        name = _MONTH_NAMES[month - 1]
        raise UsageError(
            f"'{text_shown}' is not a date on the calendar: {name} {year} has no day {day}."
        ) from None


_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
