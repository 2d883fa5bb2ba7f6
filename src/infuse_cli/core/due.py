"""What is due: infusions to book or attend, tests, vaccine deadlines, the next visit's
checklist, coverage to renew and the person's own reminders, most urgent first.

Pure: it takes the plan, the journal's records and today, and returns typed items.

Tests the monitoring ledger follows (a result of one is recorded) are dated as the ledger
dates them, from the last test recorded, so `due` and `labs` agree on what is overdue and by
how much; the plan's label dates stand in for the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Literal

import msgspec

from infuse_cli.core.dates import add_days, human, shift
from infuse_cli.core.records import COVERAGE_KINDS, Appointment, Coverage, Reminder
from infuse_cli.core.schema import Span

if TYPE_CHECKING:
    from infuse_cli.core.ledger import Program
    from infuse_cli.core.schedule import Infusion
    from infuse_cli.core.timeline import Event
    from infuse_cli.core.upcoming import Upcoming

Kind = Literal[
    "book", "infusion", "appointment", "test", "vaccine", "prepare", "checklist", "coverage", "reminder"
]
# Among items on the same day: what must be done first comes first.
_RANK = {k: i for i, k in enumerate(Kind.__args__)}  # type: ignore[attr-defined]


class Item(msgspec.Struct, frozen=True, kw_only=True):
    """One thing due: what, the day it is for, and how late it is (0: not late)."""

    kind: Kind
    date: dt.date  # the day it is for (booked day, the label's date, when renewal starts …)
    what: str  # what it is, in a few words: "Ocrevus infusion", "Prior authorization"
    overdue_days: int = 0
    by: dt.date | None = None  # the deadline behind it (the label's date, the day coverage ends)
    booked: bool = False  # an infusion or test on a day actually booked
    suggested: dt.date | None = None  # a booking day infuse suggests
    time: str = ""
    place: str = ""
    count: int = 0  # checklist: steps not yet ticked
    ref: int | None = None  # the journal entry behind it (appointment, coverage, reminder)


class Due(msgspec.Struct, frozen=True, kw_only=True):
    """One person's due list: ``items`` inside the window (most urgent first), and ``later``,
    what lies beyond it but should be known now (the next infusion; coverage ending before it)."""

    today: dt.date
    until: dt.date
    items: list[Item]
    later: list[Item] = []
    therapy: str = ""  # the brand planned, "" when none
    profile: str = ""

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.overdue_days)


def occurrence(r: Reminder, today: dt.date) -> dt.date | None:
    """The reminder's next day on or after today (each counted from the first date, so
    31 Jan every month is 28 or 29 Feb, then 31 Mar); None for a one-off that has passed."""
    if r.date >= today or not r.every_n:
        return r.date if r.date >= today else None
    unit = r.every_unit
    days_per = {"days": 1, "weeks": 7, "months": 28}[unit] * r.every_n
    k = max(0, (today - r.date).days // days_per - 2)
    while True:
        day = shift(r.date, Span(n=r.every_n * k, unit=unit))  # type: ignore[arg-type]
        if day >= today:
            return day
        k += 1


def occurrences(r: Reminder, start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day of the reminder from ``start`` to ``end`` (inclusive)."""
    out: list[dt.date] = []
    day = occurrence(r, start)
    while day is not None and day <= end:
        out.append(day)
        if not r.every_n:
            break
        day = occurrence(r, add_days(day, 1))
    return out


def coverage_notes(infusions: Sequence[Infusion], coverage: Sequence[Coverage]) -> list[str]:
    """A note for each coverage that ends before an upcoming infusion (booked or suggested)."""
    out = []
    for c in coverage:
        after = next((i for i in infusions if (i.book or i.date) > c.until), None)
        if after is None:
            continue
        day = after.book or after.date
        what = COVERAGE_KINDS.get(c.kind, c.kind)
        out.append(
            f"Your {what} ends on {human(c.until)}, before the infusion on {human(day)}; start renewing it"
            f" by {human(c.renew_from)} (infuse coverage list)."
        )
    return out


def due(
    today: dt.date,
    days: int,
    *,
    plan: Upcoming | None,
    lead_days: int,
    appointments: Sequence[Appointment] = (),
    coverage: Sequence[Coverage] = (),
    reminders: Sequence[Reminder] = (),
    checklist: Sequence[tuple[str, dt.date, int]] = (),
    tests: dict[str, str] | None = None,
    programs: Sequence[Program] = (),
    profile: str = "",
) -> Due:
    """Everything due from today to ``days`` ahead. ``checklist``: (section, its first day,
    steps not ticked) for the next visit; ``tests``: test id → name, for test bookings;
    ``programs``: the monitoring ledger's programs (every therapy's, as `infuse labs` shows)."""
    until = add_days(today, days)
    items: list[Item] = []
    later: list[Item] = []
    nxt = None
    followed, dated = _ledger_tests(programs, today, until)
    items += followed
    if plan is not None and plan.basis != "preview":
        items += _infusions(plan, today, until, lead_days, later, appointments)
        items += _events(plan, today, until, dated)
        nxt = plan.infusions[0] if plan.infusions else None
    for a in appointments:
        if a.test and today <= a.date <= until:
            name = (tests or {}).get(a.test, a.test)
            items.append(
                Item(
                    kind="appointment",
                    date=a.date,
                    what=name,
                    booked=True,
                    time=a.time,
                    place=a.place,
                    ref=a.id,
                )
            )
    items += [Item(kind="checklist", date=d, what=s, count=n) for s, d, n in checklist if n and d <= until]
    items += _coverage(coverage, today, until, nxt, later)
    for r in reminders:
        day = occurrence(r, today)
        if day is not None and day <= add_days(today, max(days, r.before)):
            items.append(Item(kind="reminder", date=day, what=r.text, ref=r.id))
    items.sort(key=lambda i: _urgency(i, today))
    brand = plan.therapy.brand if plan is not None else ""
    return Due(today=today, until=until, items=items, later=later, therapy=brand, profile=profile)


def _urgency(i: Item, today: dt.date) -> tuple[int, int, dt.date, int]:
    """Overdue first (the most overdue at the top); then by day, where anything already
    begun counts as today; on one day, booking the infusion before its preparation."""
    return (0 if i.overdue_days else 1, -i.overdue_days, max(i.date, today), _RANK[i.kind])


def _infusions(
    plan: Upcoming,
    today: dt.date,
    until: dt.date,
    lead: int,
    later: list[Item],
    booked: Sequence[Appointment],
) -> list[Item]:
    out: list[Item] = []
    brand = plan.therapy.brand
    for inf in plan.infusions:
        if inf.course and inf.day > 0:
            continue  # a course is booked as one block, from its first day
        day = inf.book or inf.date
        what = f"{brand} infusion"
        if inf.book_why == "booked":
            a = next((a for a in booked if a.date == day and a.drug == plan.therapy.id and not a.test), None)
            item = Item(
                kind="infusion",
                date=day,
                what=what,
                booked=True,
                by=inf.date,
                time=a.time if a else "",
                place=a.place if a else "",
                ref=a.id if a else None,
            )
        elif inf.overdue_days:
            item = Item(kind="book", date=today, what=what, overdue_days=inf.overdue_days, by=inf.date)
        elif (inf.date - today).days <= lead:
            item = Item(kind="book", date=today, what=what, by=inf.date, suggested=inf.book)
        else:
            item = Item(kind="infusion", date=day, what=what, by=inf.date, suggested=inf.book)
        if item.date <= until:
            out.append(item)
        elif not out and not later:
            later.append(item)  # the next infusion, beyond the window: worth knowing
            break
        else:
            break
    return out


_OWN = ("own_reminder", "booked", "coverage_renewal")
_DATED = ("every", "after_last_dose", "before_each_dose")  # rules under which the ledger dates tests


def _ledger_tests(programs: Sequence[Program], today: dt.date, until: dt.date) -> tuple[list[Item], set[str]]:
    """Each followed test with a result recorded: its next date as the ledger gives it ("Next
    due", or "Overdue since" with how late), when it has passed or falls by ``until``: one line
    per test, however many windows were missed before. A test never recorded is left to the
    plan's label dates, so recording one test does not change what is said of another.
    Also the tests the ledger dates, whose label dates the plan's events leave to it (a test
    done early in its window is not asked for again)."""
    out: list[Item] = []
    dated: set[str] = set()
    for p in sorted(programs, key=lambda p: p.next_due or dt.date.max):
        if p.rule not in _DATED or p.what in dated or not p.recorded:
            continue  # a test never recorded keeps the label's dates (the plan's events)
        dated.add(p.what)
        if p.next_due is not None and p.next_due <= until:
            late = max(0, (today - p.next_due).days)
            out.append(Item(kind="test", date=p.next_due, what=p.what, overdue_days=late, by=p.next_due))
    return out, dated


def _events(plan: Upcoming, today: dt.date, until: dt.date, dated: Collection[str] = ()) -> list[Item]:
    out: list[Item] = []
    seen: set[tuple[str, str]] = set()
    for e in plan.events:
        day = e.book or e.date
        if e.why.rule in _OWN or day > until or (day < today and not e.overdue_days):
            continue  # the person's own records are items of their own
        kind: Kind = "test" if e.kind == "monitoring" else "vaccine" if e.kind == "vaccine" else "prepare"
        if kind == "test" and e.what in dated:
            continue  # the ledger dates it, from the last test recorded
        if (kind, e.what) in seen:
            continue
        seen.add((kind, e.what))
        out.append(Item(kind=kind, date=day, what=e.what, overdue_days=e.overdue_days, by=e.of))
    return out


def _coverage(
    coverage: Sequence[Coverage], today: dt.date, until: dt.date, nxt: Infusion | None, later: list[Item]
) -> list[Item]:
    out: list[Item] = []
    next_day = (nxt.book or nxt.date) if nxt is not None else None
    for c in coverage:
        what = COVERAGE_KINDS.get(c.kind, c.kind).capitalize()
        late = (today - c.renew_from).days if c.until >= today else (today - c.until).days
        item = Item(
            kind="coverage",
            date=max(c.renew_from, min(today, c.until)),
            what=what,
            overdue_days=max(0, late) if c.until < today else 0,
            by=c.until,
            ref=c.id,
            suggested=c.renew_from,
        )
        if c.renew_from <= until or c.until < today:
            out.append(item)
        elif next_day is not None and c.until < next_day:
            later.append(item)  # ends before the next infusion: renewal is not due yet, but matters
    return out


def own_events(
    plan: Upcoming,
    appointments: Sequence[Appointment],
    coverage: Sequence[Coverage],
    reminders: Sequence[Reminder],
    until: dt.date | None,
    months: int | None,
    tests: dict[str, str] | None = None,
) -> list[Event]:
    """The plan's events with the person's own added: test bookings, the day each coverage's
    renewal should start, and their reminders, up to the plan's end (or a year from today)."""
    from infuse_cli.core.reason import Reason
    from infuse_cli.core.timeline import Event

    today = plan.today
    if months is not None:
        until = shift(today.replace(day=1), Span(n=months, unit="months"))
    last = max([i.book or i.date for i in plan.infusions] + [e.date for e in plan.events], default=today)
    end = until or max(last, shift(today, Span(n=12, unit="months")))
    out = list(plan.events)
    for a in appointments:
        if a.test and today <= a.date <= end:
            at = "".join(f", {p}" for p in (a.time, a.place) if p)
            name = (tests or {}).get(a.test, a.test)
            why = Reason(rule="booked", anchor=a.date)
            out.append(Event(a.date, "reminder", f"Booked: {name}{at}", why, booking=a))
    for c in coverage:
        if today <= c.renew_from <= end:
            kind = COVERAGE_KINDS.get(c.kind, c.kind)
            why = Reason(
                rule="coverage_renewal", anchor=c.until, span=Span(n=c.renew_days, unit="days"), item=kind
            )
            out.append(Event(c.renew_from, "reminder", f"Start renewing your {kind}", why))
    for r in reminders:
        every = Span(n=r.every_n, unit=r.every_unit) if r.every_n else None  # type: ignore[arg-type]
        why = Reason(rule="own_reminder", anchor=r.date, every=every)
        out += [Event(day, "reminder", r.text, why) for day in occurrences(r, today, end)]
    out.sort(key=lambda e: (e.date, e.kind, e.what))
    return out
