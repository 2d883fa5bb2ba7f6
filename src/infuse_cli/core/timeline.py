"""Monitoring and preparation events around the infusion days.

From the catalogue's monitoring data: fixed check-ins after the first dose,
repeating tests until a set time after the last dose, tests before each dose,
vaccine deadlines before a first dose, and reminders before infusion days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

import msgspec

from infuse_cli.core.dates import add_days, shift
from infuse_cli.core.reason import Reason
from infuse_cli.core.records import Appointment
from infuse_cli.core.schedule import Infusion, citation
from infuse_cli.core.schema import Span, Therapy

Kind = Literal["monitoring", "vaccine", "reminder"]


class Event(msgspec.Struct, frozen=True):
    date: dt.date  # the label's date
    kind: Kind
    what: str
    why: Reason
    overdue_days: int = 0
    book: dt.date | None = None  # a suggested working day, when the label's date is not one
    tag: str = ""  # "before_dose": on an infusion day; "last": the label's series ends here
    of: dt.date | None = None  # the label's date of the infusion it belongs to (its identity)
    booking: Appointment | None = None  # a test booking: the booking itself (its time, place, note)


def monitoring(
    therapy: Therapy,
    infusions: list[Infusion],
    window: tuple[dt.date, dt.date],
    *,
    first: dt.date,
    first_known: bool = True,
    ongoing: bool = True,
    last_dose: dt.date | None = None,
) -> list[Event]:
    """Dated monitoring events inside ``window`` (inclusive).

    ``first`` is the first dose (``first_known``), or the best anchor there is
    (the last dose given) — then check-ins fixed 'N months after the first
    dose' are left out, since their dates cannot be known.  The last of
    ``infusions`` anchors 'until … after the last dose'.  ``ongoing`` says more
    doses may follow, so a series with no end runs to the window's end.
    ``last_dose`` is the last dose of the treatment when its end is known (a
    lifetime limit reached, the planned doses done); a series that counts
    from the last dose (``after_last_dose``) is dated only then.
    """
    lo, hi = window
    last = _day_of(infusions[-1]) if infusions else first
    events: list[Event] = []
    memo: dict[tuple[Span | None, Span, dt.date], list[dt.date]] = {}
    for m in therapy.monitoring:
        src = citation(therapy, m.source, m.ref)
        for span in m.at if first_known else ():
            day = shift(first, span)
            why = Reason(rule="after_first_dose", anchor=first, span=span, cite=src)
            events.append(Event(day, "monitoring", m.what, why))
        if m.every is not None and m.after_last_dose:
            if last_dose is not None:
                end = shift(last_dose, m.until) if m.until is not None else hi
                k = 1
                why = Reason(rule="every_after_last_dose", anchor=last_dose, every=m.every, cite=src)
                while (day := shift(last_dose, (m.every, k))) <= min(end, hi):
                    final = m.until is not None and shift(last_dose, (m.every, k + 1)) > end
                    events.append(Event(day, "monitoring", m.what, why, tag="last" if final else ""))
                    k += 1
        elif m.every is not None and first_known:
            # A series that ends "N after the last dose" runs to the window's end while more
            # doses follow; once the treatment's end is known, to its own end.
            end = hi if ongoing or m.until is None else shift(last, m.until)
            why = Reason(rule="every", anchor=first, every=m.every, until=m.until, cite=src)
            days = _series(first, m.first, m.every, min(end, hi), memo)
            for i, day in enumerate(days):
                final = m.until is not None and not ongoing and i == len(days) - 1 and end <= hi
                events.append(Event(day, "monitoring", m.what, why, tag="last" if final else ""))
        if m.before_each_dose:
            for inf in infusions:
                if inf.day == 0 or not inf.course:  # every infusion; a course once
                    day = _day_of(inf)
                    why = Reason(rule="before_each_dose", anchor=day, cite=src)
                    events.append(Event(day, "monitoring", m.what, why, tag="before_dose", of=inf.date))
    return sorted((e for e in events if lo <= e.date <= hi), key=lambda e: (e.date, e.what))


def _series(
    first: dt.date,
    start: Span | None,
    every: Span,
    until: dt.date,
    memo: dict[tuple[Span | None, Span, dt.date], list[dt.date]],
) -> list[dt.date]:
    """The days of a repeating test up to ``until``: ``start`` after the first dose (else one
    interval after it), then every ``every``, each counted from the first dose (no drift).
    Tests that share a rhythm and an end share one list."""
    key = (start, every, until)
    found = memo.get(key)
    if found is None:
        found = []
        k = 0
        while (day := shift(first, *([start] if start else []), (every, k + (0 if start else 1)))) <= until:
            found.append(day)
            k += 1
        memo[key] = found
    return found


def vaccine_deadlines(therapy: Therapy, first_dose: dt.date) -> list[Event]:
    """Vaccines to complete before a first dose, dated from the label's lead times."""
    out = []
    for v in therapy.vaccines:
        if v.before_start is None:
            continue
        day = shift(first_dose, (v.before_start, -1))
        why = Reason(
            rule="before_first_dose",
            anchor=first_dose,
            span=v.before_start,
            cite=citation(therapy, v.source, v.ref),
        )
        out.append(Event(day, "vaccine", v.what, why))
    return out


def reminders(therapy: Therapy, infusions: Iterable[Infusion], days_before: int) -> list[Event]:
    """'Arrange a ride' (a sedating premedication) and 'labs due' before infusion days."""
    sedating = [p for p in therapy.premedication if p.sedating]
    labs = [m for m in therapy.monitoring if m.before_each_dose and m.kind in ("lab", "imaging")]
    out: list[Event] = []
    for inf in infusions:
        # Every infusion day gets its preparation (infusion 2 of a split dose too); a
        # course of consecutive days gets it once, before its first day.
        if inf.given is not None or (inf.day != 0 and inf.course):
            continue
        when = _day_of(inf)
        day = add_days(when, -days_before)
        if sedating:
            p = sedating[0]
            why = Reason(
                rule="drowsy_premedication", anchor=when, item=p.what, cite=citation(therapy, p.source, p.ref)
            )
            out.append(Event(day, "reminder", "Arrange a ride home", why, of=inf.date))
        for m in labs:
            why = Reason(rule="needed_before_dose", anchor=when, cite=citation(therapy, m.source, m.ref))
            what = f"Book before the dose: {m.what}" if m.kind == "imaging" else f"Labs due: {m.what}"
            out.append(Event(day, "reminder", what, why, of=inf.date))
    return out


def _day_of(inf: Infusion) -> dt.date:
    """The day an infusion happens (or is assumed to): given, else booked, else target."""
    return inf.given or inf.book or inf.date
