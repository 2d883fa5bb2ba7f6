"""A trip: what of the plan falls inside it, and the days the label's rules allow around it.

Pure: the projection's upcoming infusions, the timeline's events (tests, vaccine
deadlines), the trip's first and last day and today in; typed records out. It proposes
and never changes the plan: the dates here are the label's, the days around them only
what its rules allow (or, where the label allows none, how early or late a day would be).

Choices where the label leaves room (documented in the README):

* "Before the trip" runs from the label's earliest day (its minimum gap) to the day
  before the trip, or to the label's date where that comes first (later is late). Where
  the label states no minimum gap (Tysabri: every 4 weeks, no shorter minimum) no earlier
  day is allowed by the label; the last working day before the trip (or up to the label's
  date) is shown with how many days early it would be.
* The latest on-time day of a dose is its label date: no label in the catalogue gives a
  grace window. "After the trip" is the first working day after it, with how many days
  late that is and the label's missed-dose rule (or its statement that it has none).
* A booking (``infuse appointment``) inside the trip is the day that clashes with it; the
  days around the trip are still measured against the label's date and minimum gap, not
  against the booked day. So with the label's date before the trip, the days before the
  trip run to the label's date (or, once it has passed, are late, as soon as possible
  under the missed-dose rule); with the label's date after the trip, the first days back
  up to it are on time.
* A test given on the infusion day moves with the infusion; a test with a date but no
  window in the data is shown with the days just outside the trip, as days early or late.
* A first infusion's date is the start date given, not a label rule: the days around the
  trip are shown as days sooner or later than it (the plan's later dates follow it).
* A vaccine deadline may be met any day before the trip; after it is too late.
* Reminders are not listed: they follow the infusion days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Sequence
from typing import Literal

import msgspec

from infuse_cli.core.dates import add_days, human, shift
from infuse_cli.core.errors import InfuseError
from infuse_cli.core.reason import Citation, Reason
from infuse_cli.core.schedule import Infusion, citation, is_working_day
from infuse_cli.core.schema import Therapy
from infuse_cli.core.timeline import Event

LONGEST = 366  # days: a longer absence is planned with `infuse plan`, not around a trip
_SEARCH = 31  # days searched for a working day (as booking does)

ItemKind = Literal["infusion", "test", "deadline"]
RuleKind = Literal[
    "minimum_gap",  # the label's minimum gap gives the earliest day (``reason``)
    "no_minimum_gap",  # the label states no minimum gap (``text``: its note)
    "no_earlier_day",  # the label gives the date only (``reason``: why the date is what it is)
    "start_date",  # a first infusion: its date is the start date given, not a label rule
    "missed_dose",  # the label's missed-dose rule, or its statement that it has none (``text``)
    "label_date",  # on time up to the label's date, the latest day still on time (``reason``)
    "deadline",  # complete by the date (``reason``)
    "no_window",  # a test with a date and no window in the data (``reason``)
]
# allowed: the label's rules allow these days; too_soon: its earliest day is inside the trip;
# early / late: a day the label does not allow, with how far off it is; too_late: past a
# deadline; passed: the days before the trip are already gone.
SideStatus = Literal["allowed", "too_soon", "early", "late", "too_late", "passed"]


class TripError(InfuseError):
    """A trip's dates that cannot be planned around (exit 1)."""


class Quoted(msgspec.Struct, frozen=True, kw_only=True):
    """A rule as its source words it (``text``, from the data) or as the schedule works it
    out (``reason``), and where it is written."""

    kind: RuleKind
    text: str = ""
    reason: Reason | None = None
    cite: Citation | None = None
    reset: bool = False  # a missed-dose rule: the doses after it count from the day it is given


class Side(msgspec.Struct, frozen=True, kw_only=True):
    """The days on one side of the trip for one item."""

    status: SideStatus
    first: dt.date | None = None  # the first day of the range on this side (None: no bound given)
    last: dt.date | None = None  # the last day of the range (None: no bound)
    book: dt.date | None = None  # a working day in it: the nearest the trip
    days_from_label: int | None = None  # book − the label's date (negative: before it)
    next_due: dt.date | None = None  # under a reset rule: the next dose, counted from ``book``
    rule: Quoted | None = None


class TripItem(msgspec.Struct, frozen=True, kw_only=True):
    """One infusion (or course), test or deadline that falls inside the trip."""

    kind: ItemKind
    what: str
    date: dt.date  # the label's date (a course: its first day)
    why: Reason
    book: dt.date | None = None  # the plan's suggested day
    days: int = 1  # a course of consecutive days: how many
    dose: str = ""
    latest: dt.date | None = None  # the latest day still on time (a dose: its date; a deadline)
    overdue_days: int = 0
    with_infusion: dt.date | None = None  # a test on an infusion day: that infusion's label date
    booked: bool = False  # ``book`` is a booking the person made (infuse appointment)
    before: Side | None = None
    after: Side | None = None


class Trip(msgspec.Struct, frozen=True, kw_only=True):
    start: dt.date
    end: dt.date
    today: dt.date
    items: list[TripItem]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def check_trip(start: dt.date, end: dt.date, today: dt.date) -> None:
    """A trip that can be planned around: it ends on or after its first day, has not
    already ended, and lasts at most a year."""
    if end < start:
        raise TripError(
            f"The trip ends ({human(end)}) before it starts ({human(start)});"
            " give its first day, then its last."
        )
    if end < today:
        raise TripError(
            f"That trip ended on {human(end)}, before today ({human(today)});"
            " give the dates of a trip still to come."
        )
    if (end - start).days + 1 > LONGEST:
        raise TripError(
            f"That trip lasts {(end - start).days + 1} days; infuse plans around trips of up to"
            f" {LONGEST} days (for longer, see infuse plan)."
        )


def plan_trip(
    therapy: Therapy,
    infusions: Sequence[Infusion],
    events: Sequence[Event],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    holidays: Container[dt.date] = (),
) -> Trip:
    """Every upcoming infusion (a course as one), test and deadline inside [start, end],
    in date order, each with the days before and after the trip its rules allow."""
    check_trip(start, end, today)
    span = _Span(start, end, today, holidays)
    items = [_infusion_item(therapy, group, span) for group in _groups(infusions) if span.touches(group)]
    items += [_event_item(e, span) for e in events if e.kind != "reminder" and span.touches_event(e)]
    items.sort(key=lambda i: (i.date, i.kind != "infusion", i.what))
    return Trip(start=start, end=end, today=today, items=items)


class _Span(msgspec.Struct, frozen=True):
    start: dt.date
    end: dt.date
    today: dt.date
    holidays: Container[dt.date]

    def inside(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def touches(self, group: list[Infusion]) -> bool:
        return any(self.inside(i.date) or self.inside(_day_of(i, self.today)) for i in group)

    def touches_event(self, e: Event) -> bool:
        return self.inside(e.date) or self.inside(e.book)

    @property
    def eve(self) -> dt.date:
        """The last day before the trip."""
        return add_days(self.start, -1)

    @property
    def back(self) -> dt.date:
        """The first day after the trip."""
        return add_days(self.end, 1)

    def latest_fit(self, first: dt.date, last: dt.date, run: int = 1) -> dt.date | None:
        """The latest working day in [first, last] that starts ``run`` working days in a row
        ending on or before ``last``."""
        day = add_days(last, 1 - run)
        for _ in range(_SEARCH + 1):
            if day < first:
                return None
            if all(is_working_day(add_days(day, k), self.holidays) for k in range(run)):
                return day
            day = add_days(day, -1)
        return None

    def earliest_fit(self, first: dt.date, run: int = 1) -> dt.date:
        """The first day from ``first`` that starts ``run`` working days in a row."""
        day = first
        for _ in range(_SEARCH + 1):
            if all(is_working_day(add_days(day, k), self.holidays) for k in range(run)):
                return day
            day = add_days(day, 1)
        return first


def _day_of(inf: Infusion, today: dt.date) -> dt.date | None:
    """The day the plan has an infusion on: an overdue dose today, else its booking day."""
    return today if inf.overdue_days and inf.delayed_from is None else inf.book


def _groups(infusions: Sequence[Infusion]) -> list[list[Infusion]]:
    """Infusion days, a course of consecutive days as one group (it moves as a block)."""
    out: list[list[Infusion]] = []
    for inf in infusions:
        if inf.given is not None:
            continue
        prev = out[-1][0] if out else None
        if (
            inf.course
            and inf.day > 0
            and prev is not None
            and (prev.phase_id, prev.occurrence) == (inf.phase_id, inf.occurrence)
        ):
            out[-1].append(inf)
        else:
            out.append([inf])
    return out


def _infusion_item(therapy: Therapy, group: list[Infusion], span: _Span) -> TripItem:
    inf = group[0]
    run = inf.days - inf.day if inf.course else 1  # the course's days still to come
    return TripItem(
        kind="infusion",
        what=inf.phase,
        date=inf.date,
        why=inf.why,
        book=_day_of(inf, span.today),
        days=run,
        dose=inf.dose,
        latest=inf.date,
        overdue_days=inf.overdue_days,
        booked=inf.book_why == "booked",
        before=_before(therapy, inf, span, run),
        after=_after(therapy, inf, span, run),
    )


def _before(therapy: Therapy, inf: Infusion, span: _Span, run: int) -> Side:
    """The days before the trip the label allows for this dose, if any: up to the label's
    date at the latest (a booking inside the trip may be later than it)."""
    last = add_days(span.start, -run)  # the whole course done before the trip starts
    rule = _earliest_rule(therapy, inf)
    if inf.overdue_days or span.eve < span.today or last < span.today:
        return Side(status="passed", rule=rule)
    on_time = min(last, inf.date)  # the label's date is the latest start still on time
    end = add_days(on_time, run - 1)  # ... and the last day of a course that starts then
    if on_time < span.today:  # the label's date has passed (a booking after it): late
        return _late_before(therapy, inf, span, run, last)
    if inf.earliest is not None:
        if inf.earliest > last:
            return Side(status="too_soon", first=inf.earliest, rule=rule)
        first = max(inf.earliest, span.today)
        book = span.latest_fit(first, end, run)
        return Side(
            status="allowed",
            first=first,
            last=on_time,
            book=book,
            days_from_label=_off(book, inf.date),
            rule=rule,
        )
    book = span.latest_fit(span.today, end, run)
    if book == inf.date:  # no earlier day, but the label's date itself is before the trip
        return Side(status="allowed", first=book, last=book, book=book, days_from_label=0, rule=rule)
    return Side(
        status="early", last=on_time, book=book, days_from_label=_off(book or on_time, inf.date), rule=rule
    )


def _late_before(therapy: Therapy, inf: Infusion, span: _Span, run: int, last: dt.date) -> Side:
    """The label's date has passed but the booked day is later, inside the trip: every day
    before the trip is late, the soonest the least."""
    book = span.earliest_fit(span.today, run)
    book_in = book if book <= last else None
    rule, next_due = _missed(therapy, inf, book_in)
    return Side(
        status="late",
        first=span.today,
        last=last,
        book=book_in,
        days_from_label=_off(book_in or span.today, inf.date),
        next_due=next_due,
        rule=rule,
    )


def _missed(therapy: Therapy, inf: Infusion, book: dt.date | None) -> tuple[Quoted | None, dt.date | None]:
    """The label's missed-dose rule, and under a reset rule the next dose counted from ``book``."""
    missed = therapy.regimen.missed_dose
    if missed is None:
        return None, None
    rule = Quoted(
        kind="missed_dose",
        text=missed.text,
        cite=citation(therapy, missed.source, missed.ref),
        reset=missed.reset,
    )
    phase = next((p for p in therapy.regimen.phases if p.id == inf.phase_id), None)
    if book is None or not missed.reset or phase is None or phase.every is None:
        return rule, None
    return rule, shift(book, phase.every)


def _earliest_rule(therapy: Therapy, inf: Infusion) -> Quoted:
    """Why a dose can (or cannot) come sooner: the label's minimum gap, its statement that
    it gives none, or (a first infusion, a dose inside a phase) no earlier day at all."""
    if inf.why.rule == "start_given":
        return Quoted(kind="start_date", reason=inf.why, cite=inf.why.cite)
    if inf.earliest_why is not None:
        return Quoted(kind="minimum_gap", reason=inf.earliest_why, cite=inf.earliest_why.cite)
    stated = therapy.regimen.no_min_interval
    if stated is not None and inf.day == 0 and inf.why.rule in ("repeat", "repeat_from", "minimum_gap"):
        return Quoted(
            kind="no_minimum_gap", text=stated.note, cite=citation(therapy, stated.source, stated.ref)
        )
    return Quoted(kind="no_earlier_day", reason=inf.why, cite=inf.why.cite)


def _after(therapy: Therapy, inf: Infusion, span: _Span, run: int) -> Side:
    """The first days after the trip: on time up to the label's date (a booking inside the
    trip before it), else late by how much, with the label's missed-dose rule."""
    first = max(span.back, inf.earliest) if inf.earliest is not None else span.back
    book = span.earliest_fit(first, run)
    if book <= inf.date:  # the label's date is after the trip: the first days back are on time
        on_time = Quoted(kind="label_date", reason=inf.why, cite=inf.why.cite)
        return Side(
            status="allowed",
            first=first,
            last=inf.date,
            book=book,
            days_from_label=_off(book, inf.date),
            rule=on_time,
        )
    if inf.why.rule == "start_given":  # no dose is missed: the treatment would start later
        start = Quoted(kind="start_date", reason=inf.why, cite=inf.why.cite)
        return Side(status="late", first=first, book=book, days_from_label=_off(book, inf.date), rule=start)
    rule, after_it = _missed(therapy, inf, book)
    return Side(
        status="late",
        first=first,
        book=book,
        days_from_label=_off(book, inf.date),
        next_due=after_it,
        rule=rule,
    )


def _event_item(e: Event, span: _Span) -> TripItem:
    if e.kind == "vaccine":
        return _deadline(e, span)
    kind: ItemKind = "test"
    if e.tag == "before_dose":  # on the infusion day: it moves with the infusion
        return TripItem(kind=kind, what=e.what, date=e.date, why=e.why, book=e.book, with_infusion=e.of)
    rule = Quoted(kind="no_window", reason=e.why, cite=e.why.cite)
    early = span.latest_fit(span.today, span.eve)
    before = (
        Side(
            status="early",
            last=span.eve,
            book=early,
            days_from_label=_off(early or span.eve, e.date),
            rule=rule,
        )
        if span.eve >= span.today
        else Side(status="passed", rule=rule)
    )
    late = span.earliest_fit(span.back)
    after = Side(status="late", first=span.back, book=late, days_from_label=_off(late, e.date), rule=rule)
    return TripItem(
        kind=kind,
        what=e.what,
        date=e.date,
        why=e.why,
        book=e.book,
        overdue_days=e.overdue_days,
        before=before,
        after=after,
    )


def _deadline(e: Event, span: _Span) -> TripItem:
    """A vaccine to complete by a date: any day before the trip; after it, too late."""
    rule = Quoted(kind="deadline", reason=e.why, cite=e.why.cite)
    if span.eve < span.today:
        before = Side(status="passed", rule=rule)
    else:
        book = span.latest_fit(span.today, span.eve)
        before = Side(
            status="allowed",
            first=span.today,
            last=span.eve,
            book=book,
            days_from_label=_off(book, e.date),
            rule=rule,
        )
    after = Side(status="too_late", first=span.back, days_from_label=_off(span.back, e.date), rule=rule)
    return TripItem(
        kind="deadline",
        what=e.what,
        date=e.date,
        why=e.why,
        latest=e.date,
        overdue_days=e.overdue_days,
        before=before,
        after=after,
    )


def _off(day: dt.date | None, label: dt.date) -> int | None:
    return (day - label).days if day is not None else None
