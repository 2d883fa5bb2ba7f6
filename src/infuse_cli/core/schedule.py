"""The schedule engine: a regimen, the doses already given and today → dated events.

Pure: no I/O, no clock, no printing.  Every rule comes from the regimen data;
nothing here knows a therapy by name.

Choices where the label leaves room (documented in the README):

* A repeating phase counts every projected date from one anchor — the last
  dose actually given in that phase, else the phase's own start — as
  ``anchor + k × interval`` in a single step, so month ends do not drift
  (31 Aug → 28 Feb → 31 Aug, never 28 Aug).
* A dose given late resets the count: the next one counts from the date it
  was actually given.  An overdue dose is assumed to be given today for the
  dates after it, and is said to be overdue.
* The minimum interval is measured from the most recent infusion day before
  the dose (for a split first dose, from its second infusion): the cautious reading.
* Inside a phase, each infusion counts from the one before it (infusion 2
  of a split dose is 2 weeks after infusion 1 as actually given).
* A recorded dose is placed by its amount when the amount tells: one that is not
  the amount of the infusion day it would fill, but is the amount of the next
  phase's first day, ends the phase it would have continued and begins the next
  (a 600 mg Ocrevus dose after one 300 mg infusion is a later dose, not infusion 2
  of the first dose). What the journal then lacks is said (``Projection.assumed``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Sequence
from typing import Literal

import msgspec
from msgspec.structs import replace

from infuse_cli.core.dates import add_days, describe_span, human, shift
from infuse_cli.core.errors import InfuseError, shown
from infuse_cli.core.reason import AnchorWhat, Citation, Reason, Rule
from infuse_cli.core.schema import IntervalOption, Phase, Source, Span, Therapy, Timing


class Visit(msgspec.Struct, frozen=True):
    """Minutes at the clinic for one infusion day under one timing option."""

    option: str
    condition: str
    premed: int
    infusion: int
    infusion_max: int
    observation: int
    ref: str
    covers: str = "visit"  # "infusion": only the infusion's minutes are known; the visit is longer

    @property
    def low(self) -> int:
        return self.premed + self.infusion + self.observation

    @property
    def high(self) -> int:
        return self.premed + self.infusion_max + self.observation


BookWhy = Literal["", "weekend", "holiday", "course", "clinic", "booked"]


class Infusion(msgspec.Struct, frozen=True, kw_only=True):
    """One infusion day: the label's target date and everything said about it."""

    date: dt.date  # the label's target
    phase_id: str
    phase: str  # "first dose, infusion 2 of 2", "course 2, day 1 of 3"
    amount: float
    unit: str
    number: int | None  # the therapy's infusion day count (1 = the very first), when known
    occurrence: int  # repeat number inside its phase (0-based)
    day: int  # infusion number inside the occurrence (0-based)
    days: int  # infusions in the occurrence
    why: Reason
    course: bool = False  # a course of consecutive days (booked as a block)
    earliest: dt.date | None = None
    book: dt.date | None = None
    given: dt.date | None = None  # when it was actually given (history)
    overdue_days: int = 0
    earliest_why: Reason | None = None  # the minimum gap, with its evidence
    too_soon_days: int = 0  # given this many days before the label's minimum interval allowed
    off_label: str = ""  # an interval option the label does not give: its name, shown on every date
    cumulative: float = 0.0
    visits: tuple[Visit, ...] = ()
    delayed_from: dt.date | None = None  # what-if: the date before the delay
    book_why: BookWhy = ""  # why the suggested day differs from the label's date

    @property
    def dose(self) -> str:
        amount = int(self.amount) if float(self.amount).is_integer() else self.amount
        return f"{amount} {self.unit}"


class Marker(msgspec.Struct, frozen=True):
    """Where the projection stops, and why (a cap, a course given only as needed)."""

    # no_schedule: the therapy has none to project (given on demand, or no US-labelled MS dose)
    kind: Literal["cap", "as_needed", "finished", "no_schedule"]
    text: str
    date: dt.date | None = None  # for as_needed: the earliest the label allows


class Projection(msgspec.Struct, frozen=True):
    therapy_id: str
    infusions: list[Infusion]  # given and upcoming, in order
    end: Marker | None = None
    notes: list[str] = []
    given_total: float | None = None  # toward a lifetime limit: what has been given so far
    assumed: list[str] = []  # recorded doses placed in a later phase by their amount, and the fix

    def upcoming(self, today: dt.date) -> list[Infusion]:
        return [
            i
            for i in self.infusions
            if i.given is None and (i.date > today or i.overdue_days or i.date == today)
        ]


def cite(therapy: Therapy, source_id: str, ref: str) -> str:
    """'Ocrevus label §2.3', or the source's title for a page that is not a label."""
    return citation(therapy, source_id, ref).text


def citation(therapy: Therapy, source_id: str, ref: str) -> Citation:
    """Where a rule is written: the label (or the source's short name) and the section."""
    key = (id(therapy), source_id, ref)
    found = _CITES.get(key)
    if found is None or found[0] is not therapy:
        found = _CITES[key] = (therapy, _citation(therapy, source_id, ref))
    return found[1]


# Memos keyed on the therapy's identity; each entry holds the therapy, so the
# identity cannot be reused by another object while the entry exists.
_CITES: dict[tuple[int, str, str], tuple[Therapy, Citation]] = {}


def _citation(therapy: Therapy, source_id: str, ref: str) -> Citation:
    source = next((s for s in therapy.sources if s.id == source_id), None)
    section = ref or None
    if source is None:
        return Citation(f"{therapy.brand} label", section)
    if is_us_label(source) and not source.cite_as:
        return Citation(f"{therapy.brand} label", section, source.url)
    return Citation(source.cite_as or source.title, section, source.url)


def is_us_label(source: Source) -> bool:
    """A US prescribing information (the only text output calls "the label")."""
    return source.region == "US" and bool(source.label_revised or source.id == "label")


def gap_cite(therapy: Therapy, phase: Phase) -> str:
    """The evidence for a phase's minimum gap: its own source, else the phase's."""
    return gap_citation(therapy, phase).text


def gap_citation(therapy: Therapy, phase: Phase) -> Citation:
    if phase.min_interval_source:
        return citation(therapy, phase.min_interval_source, phase.min_interval_ref)
    return citation(therapy, phase.source, phase.ref)


def visits_for(therapy: Therapy, phase_id: str, number: int | None) -> tuple[Visit, ...]:
    """The timing rows that apply to an infusion day: the standard one first."""
    if number is not None and not any(t.from_dose or t.to_dose for t in therapy.timing):
        number = 0  # the count does not matter for this therapy: share one answer
    key = (id(therapy), phase_id, number)
    found = _VISITS.get(key)
    if found is None or found[0] is not therapy:
        found = _VISITS[key] = (therapy, _visits_for(therapy, phase_id, number))
    return found[1]


_VISITS: dict[tuple[int, str, int | None], tuple[Therapy, tuple[Visit, ...]]] = {}


def _visits_for(therapy: Therapy, phase_id: str, number: int | None) -> tuple[Visit, ...]:
    rows: list[Timing] = []
    for t in therapy.timing:
        if t.phase and t.phase != phase_id:
            continue
        if number is None:
            if t.to_dose is not None:  # unknown count: assume past any 'first N' rows
                continue
        elif (t.from_dose and number < t.from_dose) or (t.to_dose and number > t.to_dose):
            continue
        rows.append(t)
    rows.sort(key=lambda t: (t.option != "standard", t.option))
    return tuple(
        Visit(
            option=t.option,
            condition=t.condition,
            premed=t.premed_minutes,
            infusion=t.infusion_minutes,
            infusion_max=t.infusion_minutes_max or t.infusion_minutes,
            observation=t.observation_minutes,
            ref=cite(therapy, t.source, t.ref),
            covers=t.covers,
        )
        for t in rows
    )


def _label(phase: Phase, day: int, days: int, occurrence: int) -> str:
    name = phase.name
    if phase.course_days:
        course = name if phase.repeat == "once" else f"{name} {occurrence + 1}"
        return f"{course}, day {day + 1} of {days}"
    if days > 1:
        return f"{name}, infusion {day + 1} of {days}"
    return name


def _gap(prev: Span, cur: Span) -> Span:
    """The offset from one dose to the next inside a phase."""
    if prev.n == 0:
        return cur
    return Span(n=cur.n - prev.n, unit=cur.unit)


def project(
    therapy: Therapy,
    today: dt.date,
    *,
    start: dt.date | None = None,
    given: Sequence[dt.date] = (),
    given_amounts: Sequence[float | None] = (),
    last: dt.date | None = None,
    prior_total: float = 0.0,
    option: str | None = None,
    count: int = 3,
    until: dt.date | None = None,
    delay_days: int = 0,
    booked: Sequence[dt.date] = (),
) -> Projection:
    """Infusion days for ``therapy``, given and upcoming, in order.

    Exactly one way in:

    * ``start`` — the first infusion was (or will be) on this date; every dose
      up to and including today is assumed given on time;
    * ``given`` — the dates actually given, in order, from the very first dose;
    * ``last`` — the most recent dose, in the regimen's last (maintenance) phase.

    ``given_amounts`` are the recorded amounts of ``given`` (or of ``last``), in step
    with them; None, or a missing one, is the label's amount for that dose.

    Stops after ``count`` upcoming infusion days, or (with ``until``) at the
    first upcoming day after that date, or where the regimen ends: a lifetime
    cap, a course given only as needed, or the last planned dose.
    ``delay_days`` moves the next upcoming dose (what if); every date after it follows.
    ``booked`` are the days actually booked for the next upcoming infusion days, in order (a
    course's later days follow its first): each dose is on its booked day, and the doses
    after it count from it. A booking before the day the label allows gets a note.
    """
    chosen = _chosen_option(therapy, option)  # an unknown option is refused, schedule or not
    if not therapy.regimen.phases or therapy.regimen.shape in ("on_demand", "none"):
        return Projection(therapy.id, [], end=Marker("no_schedule", _no_schedule_text(therapy)))
    _check_inputs(therapy, start, given, last)
    w = _Walk(
        therapy,
        today,
        count,
        until,
        prior_total,
        chosen=chosen,
        start=start,
        last=last,
        pending=list(given),
        recorded=list(given_amounts),
        delay_left=delay_days,
        booked=sorted(booked),
    )
    phases = therapy.regimen.phases
    first = 0
    if last is not None:
        first = len(phases) - 1
        _begin_from_last(w, last)
    for pi in range(first, len(phases)):
        if _walk_phase(w, pi, first):
            return w.result()
        if w.end is not None:
            break
    if w.end is None:
        w.end = Marker("finished", "These are all the doses the label plans.")
    return w.result()


class _Series(msgspec.Struct, frozen=True):
    """The day a repeating phase counts from."""

    base: dt.date
    extra: Span | None  # the phase's own offset from it ('6 months after the first dose')
    k0: int  # the occurrence it stands for
    what: AnchorWhat
    phase: str | None = None  # the phase the day belongs to, by name


def _check_inputs(
    therapy: Therapy, start: dt.date | None, given: Sequence[dt.date], last: dt.date | None
) -> None:
    """Exactly one way into the schedule."""
    if sum(x is not None and x != () for x in (start, tuple(given) or None, last)) != 1:
        raise InfuseError("A schedule needs exactly one of: a start date, the doses given, or the last dose.")


def _chosen_option(therapy: Therapy, option: str | None) -> IntervalOption | None:
    """The interval option asked for, by its id; an unknown one is an error."""
    if option is None:
        return None
    options = therapy.regimen.options
    chosen = next((o for o in options if o.id == option), None)
    if chosen is None:
        names = ", ".join(o.id for o in options) or "none"
        raise InfuseError(
            f"{therapy.brand} has no interval option called '{shown(option)}' (options: {names})."
        )
    return chosen


def _begin_from_last(w: _Walk, last: dt.date) -> None:
    """A walk that starts at the last dose, in the regimen's last phase."""
    phases = w.therapy.regimen.phases
    w.prev_day = last
    w.firsts.append(last)
    w.lasts.append(last)
    w.number = None
    # The last dose itself counts toward a lifetime limit, on top of what came before it.
    last_amount = w.recorded[0] if w.recorded and w.recorded[0] is not None else None
    w.total = w.prior_total + (last_amount or phases[-1].amount or phases[-1].doses[0].amount)
    w.given_base = w.total
    if w.therapy.regimen.cap is not None and not w.prior_total:
        w.notes.append(
            "From the last dose alone infuse cannot count the lifetime total; this assumes"
            " it was the first dose. Record every dose in the journal, or ask your care team."
        )


def _walk_phase(w: _Walk, pi: int, first: int) -> bool:
    """Every occurrence of phase ``pi``; True when the projection has shown enough."""
    phase = w.therapy.regimen.phases[pi]
    occurrence = 0
    series: _Series | None = None
    if w.last is not None and pi == first:  # the last dose is this phase's occurrence 0
        occurrence, series = 1, _Series(w.last, None, 0, "last_dose")
    offsets = _offsets(phase)
    while True:
        if phase.repeat == "as_needed" and occurrence > 0 and not w.pending:
            w.end = _as_needed(w.therapy, phase, w.prev_day)
            return False
        target, why, series = _occurrence_start(w, pi, first, occurrence, series)
        if w.end is not None:
            return False
        w.end = _cap_reached(w, offsets)
        if w.end is not None:
            return False
        nxt = w.therapy.regimen.phases[pi + 1] if pi + 1 < len(w.therapy.regimen.phases) else None
        done, series = _walk_days(w, phase, offsets, occurrence, (target, why), series, nxt)
        if done:
            return True
        w.lasts.append(w.prev_day)  # type: ignore[arg-type]
        if w.cut:  # a recorded dose belongs to the next phase: this one ends here
            w.cut = False
            return False
        occurrence += 1
        if phase.repeat == "once":
            return False


def _occurrence_start(
    w: _Walk, pi: int, first: int, occurrence: int, series: _Series | None
) -> tuple[dt.date, Reason, _Series | None]:
    """The first day of an occurrence: its target, why, and the series it counts in.
    A phase given only as needed, with nothing recorded, ends the walk here."""
    therapy = w.therapy
    phases = therapy.regimen.phases
    phase = phases[pi]
    source = citation(therapy, phase.source, phase.ref)
    if pi == first and occurrence == 0 and w.last is None:
        target = w.start if w.start is not None else w.pending[0]
        rule: Rule = "start_given" if w.start is not None else "first_recorded"
        return (
            target,
            Reason(rule=rule, anchor=target, cite=source),
            _Series(target, None, 0, "first_infusion"),
        )
    if occurrence == 0:
        anchor = _phase_anchor(w, phase)
        what, named = _anchor_what(phase, phases[pi - 1])
        why = Reason(
            rule="after_anchor", anchor=anchor, anchor_what=what, phase=named, span=phase.after, cite=source
        )
        if phase.repeat == "as_needed" and not w.pending:
            w.end = _as_needed(therapy, phase, w.prev_day)
        return shift(anchor, phase.after), why, _Series(anchor, phase.after, 0, what, named)
    every = _every(w, phase)
    assert series is not None
    steps = occurrence - series.k0
    target = shift(series.base, *([series.extra] if series.extra else []), (every, steps))
    return target, _repeat_reason(therapy, phase, every, series, steps, w.chosen), series


def _phase_anchor(w: _Walk, phase: Phase) -> dt.date:
    """The day a phase counts from: the very first dose, the first or the last day of
    the occurrence before it."""
    if phase.anchor == "start":
        return w.firsts[0]
    if phase.anchor == "phase_start":
        return w.firsts[-1]
    return w.lasts[-1]


def _every(w: _Walk, phase: Phase) -> Span:
    """A repeating phase's interval: the chosen option's, else the label's."""
    if w.chosen is not None and w.chosen.phase == phase.id:
        return w.chosen.every
    assert phase.every is not None
    return phase.every


def _cap_reached(w: _Walk, offsets: list[tuple[Span, float]]) -> Marker | None:
    """The lifetime limit, when another occurrence would pass it (nothing left to record)."""
    cap = w.therapy.regimen.cap
    if cap is None or w.pending or w.total + sum(a for _, a in offsets) <= cap.max_total + 1e-9:
        return None
    return Marker(
        "cap",
        f"The lifetime limit of {_num(cap.max_total)} {cap.unit} would be passed by"
        f" another dose ({_num(w.total)} {cap.unit} so far), so no further dose is"
        f" projected — {cite(w.therapy, cap.source, cap.ref)}.",
    )


def _walk_days(
    w: _Walk,
    phase: Phase,
    offsets: list[tuple[Span, float]],
    occurrence: int,
    start: tuple[dt.date, Reason],
    series: _Series | None,
    nxt: Phase | None = None,
) -> tuple[bool, _Series | None]:
    """Each infusion day of one occurrence; True when the projection has shown enough.
    A recorded dose whose amount places it in ``nxt`` (the next phase) ends the occurrence
    early (``w.cut``)."""
    day_target, why = start
    for j, (gap, amount) in enumerate(offsets):
        if j > 0 and nxt is not None and _belongs_to_next(w, amount, nxt):
            _say_cut(w, phase, nxt, (j, len(offsets), occurrence), amount)
            w.cut = True
            return False, series
        if j > 0:
            assert w.prev_day is not None
            day_target = shift(w.prev_day, gap)
            source = citation(w.therapy, phase.source, phase.ref)
            why = Reason(rule="after_previous", anchor=w.prev_day, span=gap, cite=source)
        inf = _planned(w, phase, (j, len(offsets), occurrence), day_target, amount, why)
        pushed = inf.earliest is not None and inf.date < inf.earliest
        if pushed:
            inf = _pushed_by_gap(w.therapy, phase, inf)
        inf, actual, moved = _settle(w, phase, inf)
        w.total += inf.amount
        inf = replace(inf, cumulative=w.total, visits=visits_for(w.therapy, phase.id, w.number))
        if j == 0:
            w.firsts.append(actual)
            # A dose the minimum gap pushed later is a late dose: the ones after it
            # count from it (the labels' reset rule).
            if (moved or pushed) and phase.repeat == "every":
                overdue = (
                    inf.overdue_days and inf.delayed_from is None
                )  # a what-if moved it: counted from that day
                series = _Series(actual, None, occurrence, "overdue_dose" if overdue else "dose")
        w.prev_day = actual
        if w.number is not None:
            w.number += 1
        if w.add(inf):
            return True, series
    return False, series


def _belongs_to_next(w: _Walk, amount: float, nxt: Phase) -> bool:
    """Whether the next recorded dose has an amount that is not ``amount`` (the infusion day
    it would fill) but is the amount of the next phase's first day."""
    written = w.recorded[0] if w.pending and w.recorded else None
    if written is None:
        return False
    return not _same(written, amount) and _same(written, _offsets(nxt)[0][1])


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 1e-9


def _say_cut(w: _Walk, phase: Phase, nxt: Phase, place: tuple[int, int, int], amount: float) -> None:
    """What was assumed when a recorded dose ended a phase early, and how to correct it."""
    j, days, occurrence = place
    unit = w.therapy.regimen.unit
    written = f"{_num(w.recorded[0] or 0)} {unit}"
    what = "days" if phase.course_days else "infusions"
    name = phase.name if phase.repeat == "once" or not phase.course_days else f"{phase.name} {occurrence + 1}"
    w.assumed.append(
        f"Your {written} dose on {human(w.pending[0])} is taken as a dose of the {nxt.name}, from"
        f" its amount: the {name} would have gone on with {_num(amount)} {unit}. So {j} of the"
        f" {name}'s {days} {what} {'is' if j == 1 else 'are'} taken as given. If one is missing"
        f" from your journal, add it: infuse log add --drug {w.therapy.id} --date YYYY-MM-DD"
        f" --dose '{_num(amount)} {unit}'; if the amount was written wrong: infuse log edit ID --dose '…'"
    )


def _planned(
    w: _Walk, phase: Phase, place: tuple[int, int, int], day: dt.date, amount: float, why: Reason
) -> Infusion:
    """An infusion day as the label plans it (day ``j`` of ``days`` in ``occurrence``)."""
    j, days, occurrence = place
    regimen = w.therapy.regimen
    chosen = w.chosen if w.chosen is not None and w.chosen.phase == phase.id else None
    label = _label(phase, j, days, occurrence) if chosen is None else chosen.name
    if regimen.cap is not None and w.number is not None and amount:
        # Doses so far, and as many more label doses as the limit leaves room for
        # (recorded doses may differ from the label's amount).
        room = int((regimen.cap.max_total - w.total + 1e-9) // amount)
        label += f", dose {w.number} of {w.number - 1 + room}"
    earliest = _earliest(phase, w.prev_day) if j == 0 else None
    return Infusion(
        date=day,
        phase_id=phase.id,
        phase=label,
        amount=amount,
        unit=regimen.unit,
        number=w.number,
        occurrence=occurrence,
        day=j,
        days=days,
        why=why,
        course=bool(phase.course_days),
        earliest=earliest,
        earliest_why=(
            Reason(
                rule="minimum_interval",
                anchor=w.prev_day,
                span=phase.min_interval,
                cite=gap_citation(w.therapy, phase),
            )
            if earliest is not None
            else None
        ),
        off_label=chosen.name if chosen is not None and chosen.status != "approved" else "",
    )


def _pushed_by_gap(therapy: Therapy, phase: Phase, inf: Infusion) -> Infusion:
    """A late dose before this one pushed the label's minimum gap past the target:
    the earliest date the label allows is the date."""
    assert inf.earliest is not None and inf.earliest_why is not None
    why = replace(inf.earliest_why, rule="minimum_gap", usual=inf.date)
    return replace(inf, date=inf.earliest, why=why)


def _settle(w: _Walk, phase: Phase, inf: Infusion) -> tuple[Infusion, dt.date, bool]:
    """The day an infusion happens (or is assumed to): recorded, assumed given on time,
    moved (what if), overdue (as soon as possible: today) or as planned; and whether
    that moved it, so that the doses after it count from it."""
    if w.pending:
        actual = w.pending.pop(0)
        return _recorded(w, phase, inf, actual), actual, True
    target = inf.date
    if w.start is not None and target <= w.today and not w.upcoming:
        return replace(inf, given=target), target, False
    if w.booked and not (inf.course and inf.day > 0):
        actual = w.booked.pop(0)
        _check_booking(w, phase, inf, actual)
        return replace(inf, book=actual, book_why="booked"), actual, True
    if (
        w.booked
        and inf.course
        and w.prev_day is not None
        and 0 < (w.booked[0] - w.prev_day).days <= _COURSE_STEP
    ):
        # A later day of a course, booked too: within a few days of the day before it (a
        # weekend may come between), it is this day's booking, not the next course's.
        actual = w.booked.pop(0)
        return replace(inf, book=actual, book_why="booked"), actual, True
    if w.delay_left:
        # From the label's date; a dose already overdue is moved from today, the soonest it
        # can now be given, and its label date is kept as ``usual``.
        start = max(target, w.today)
        actual = add_days(start, w.delay_left)
        why = Reason(
            rule="what_if",
            anchor=start,
            span=Span(n=w.delay_left, unit="days"),
            usual=target if target < w.today else None,
        )
        inf = replace(
            inf, date=actual, delayed_from=target, overdue_days=max(0, (w.today - target).days), why=why
        )
        w.delay_left = 0
        return inf, actual, True
    if target < w.today:
        # As soon as possible; the next counts from then.
        return replace(inf, overdue_days=(w.today - target).days), w.today, True
    return inf, target, False


_COURSE_STEP = 4  # days from one booked course day to the next: the next day, or over a long weekend


def _check_booking(w: _Walk, phase: Phase, inf: Infusion, booked: dt.date) -> None:
    """A note when a booking is earlier than the label allows: before the minimum gap since
    the previous dose, or (a course) before the label's date for the course; or, where the
    label states no minimum gap, before the label's date."""
    floor = (inf.earliest or inf.date) if inf.course else inf.earliest
    if floor is None and booked < inf.date and w.prev_day is not None:
        every = f"{describe_span(phase.every)} after the dose before — " if phase.every else ""
        w.notes.append(
            f"Your booking on {human(booked)} is {(inf.date - booked).days} days before the label's date,"
            f" {human(inf.date)} ({every}{cite(w.therapy, phase.source, phase.ref)}; the label states no"
            " shorter gap). Please check the date with your care team."
        )
        return
    if floor is None or booked >= floor:
        return
    if inf.earliest is not None and booked < inf.earliest and phase.min_interval is not None:
        rule = (
            f"the label asks for at least {describe_span(phase.min_interval)} between doses"
            f" — {gap_cite(w.therapy, phase)}"
        )
    else:
        rule = (
            f"the label gives this course on {human(inf.date)} — {cite(w.therapy, phase.source, phase.ref)}"
        )
    w.notes.append(
        f"Your booking on {human(booked)} is before {human(floor)}, the earliest day the label allows"
        f" ({rule}). Please check the date with your care team."
    )


def _recorded(w: _Walk, phase: Phase, inf: Infusion, actual: dt.date) -> Infusion:
    """A dose from the journal as this infusion day, with what the journal says
    that the label would not (a course with a gap, a dose given too soon)."""
    written = w.recorded.pop(0) if w.recorded else None
    inf = replace(inf, given=actual, amount=inf.amount if written is None else written)
    if inf.day > 0 and phase.course_days and w.prev_day is not None and (actual - w.prev_day).days > 3:
        w.notes.append(
            f"The journal has {human(actual)} as {inf.phase}, {(actual - w.prev_day).days} days"
            " after the day before it; a course runs on consecutive days. If days of a"
            f" course are missing, add them (infuse log add --drug {w.therapy.id} --date …)."
        )
    if inf.earliest is not None and actual < inf.earliest:
        short = (inf.earliest - actual).days
        inf = replace(inf, too_soon_days=short)
        w.notes.append(
            f"The dose on {human(actual)} came {short} days sooner than the"
            f" minimum of {describe_span(phase.min_interval)} after the"  # type: ignore[arg-type]
            f" infusion before it ({gap_cite(w.therapy, phase)})."
            " Ask your care team whether later dates change."
        )
    return inf


class _Walk(msgspec.Struct):
    """What the walk through a regimen has seen so far, and what it still has to place."""

    therapy: Therapy
    today: dt.date
    count: int
    until: dt.date | None
    prior_total: float
    chosen: IntervalOption | None = None
    start: dt.date | None = None
    last: dt.date | None = None
    pending: list[dt.date] = []  # recorded doses not yet placed
    recorded: list[float | None] = []  # their recorded amounts, in step
    delay_left: int = 0  # what if: days the next upcoming dose moves
    booked: list[dt.date] = []  # days booked for the next upcoming infusion days, in order
    total: float = 0.0
    infusions: list[Infusion] = []
    notes: list[str] = []
    firsts: list[dt.date] = []  # first day of each occurrence so far
    lasts: list[dt.date] = []  # last day of each occurrence so far
    prev_day: dt.date | None = None
    number: int | None = 1
    upcoming: int = 0
    end: Marker | None = None
    given_base: float = 0.0  # given before the first infusion listed (a --last history)
    cut: bool = False  # a recorded dose ended the current phase early (it belongs to the next)
    assumed: list[str] = []  # what that placement assumed, with the fix

    def __post_init__(self) -> None:
        self.total = self.prior_total

    def add(self, inf: Infusion) -> bool:
        """Keep ``inf``; True when the projection has shown enough."""
        day = inf.book if inf.book_why == "booked" and inf.book is not None else inf.date
        if inf.given is None and self.until is not None and day > self.until:  # a booked day is the day
            return True
        self.infusions.append(inf)
        if inf.given is None:
            self.upcoming += 1
            if self.until is None and self.upcoming >= self.count:
                return True
        return False

    def result(self) -> Projection:
        cap = self.therapy.regimen.cap
        total = None
        notes = self.notes
        if cap is not None:
            given = [i for i in self.infusions if i.given is not None]
            total = given[-1].cumulative if given else self.given_base
            unit = f"{_num(cap.max_total)} {cap.unit}"
            if total > cap.max_total + 1e-9:
                notes = [
                    *notes,
                    f"The recorded doses add up to {_num(total)} {cap.unit}, more than the label's"
                    f" lifetime limit of {unit}. Please talk to your care team.",
                ]
            elif total >= 0.8 * cap.max_total:
                notes = [
                    *notes,
                    f"Your doses so far add up to {_num(total)} {cap.unit} ({total / cap.max_total:.0%}),"
                    f" near the label's lifetime limit of {unit} —"
                    f" {cite(self.therapy, cap.source, cap.ref)}. Talk to your care team.",
                ]
        return Projection(self.therapy.id, self.infusions, self.end, notes, total, self.assumed)


def as_needed_from(therapy: Therapy, prev_day: dt.date) -> Marker | None:
    """The 'only if needed' marker counted from ``prev_day`` (e.g. a course's booked last day)."""
    phase = next((p for p in therapy.regimen.phases if p.repeat == "as_needed"), None)
    return _as_needed(therapy, phase, prev_day) if phase is not None else None


def _as_needed(therapy: Therapy, phase: Phase, prev_day: dt.date | None) -> Marker:
    earliest = _earliest(phase, prev_day) or (shift(prev_day, phase.after) if prev_day else None)
    gap = describe_span(phase.min_interval or phase.after)
    when = f", no sooner than {human(earliest)} ({gap} after the last dose)" if earliest else ""
    src = gap_cite(therapy, phase) if phase.min_interval else cite(therapy, phase.source, phase.ref)
    return Marker(
        "as_needed",
        f"{phase.name[:1].upper()}{phase.name[1:]}: given only if your care team decides one is"
        f" needed{when}"
        f" — {src}.",
        earliest,
    )


def _repeat_reason(
    therapy: Therapy,
    phase: Phase,
    every: Span,
    series: _Series,
    steps: int,
    chosen: IntervalOption | None,
) -> Reason:
    """'6 months after the dose on Tue 12 May 2026 — Ocrevus label §2.3', as values: the
    whole span from the series' day, or (its own offset in other units) every interval."""
    off_label = chosen is not None and chosen.phase == phase.id
    source = (
        citation(therapy, chosen.source, chosen.ref)
        if chosen is not None and off_label
        else citation(therapy, phase.source, phase.ref)
    )
    extra = series.extra
    reason = Reason(
        rule="repeat",
        anchor=series.base,
        anchor_what=series.what,
        phase=series.phase,
        span=Span(n=every.n * steps + (extra.n if extra is not None else 0), unit=every.unit),
        every=every,
        steps=steps,
        off_label=off_label,
        cite=source,
    )
    if extra is not None and extra.unit != every.unit:
        return replace(reason, rule="repeat_from", span=extra)
    return reason


def _offsets(phase: Phase) -> list[tuple[Span, float]]:
    if phase.course_days:
        one = Span(n=1, unit="days")
        return [(Span(n=0, unit="days"), phase.amount)] + [(one, phase.amount)] * (phase.course_days - 1)
    out: list[tuple[Span, float]] = []
    prev: Span | None = None
    for d in phase.doses:
        out.append((d.at if prev is None else _gap(prev, d.at), d.amount))
        prev = d.at
    return out


def _earliest(phase: Phase, prev_day: dt.date | None) -> dt.date | None:
    if phase.min_interval is None or prev_day is None:
        return None
    return shift(prev_day, phase.min_interval)


def _anchor_what(phase: Phase, prev: Phase) -> tuple[AnchorWhat, str | None]:
    """What a phase counts from ('the first infusion of the first dose'), and the phase
    that day belongs to."""
    if phase.anchor == "phase_start":
        return ("phase_start" if len(_offsets(prev)) > 1 else "phase"), prev.name
    if phase.anchor == "phase_end":
        return "phase_end", prev.name
    return "treatment_start", None


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _no_schedule_text(therapy: Therapy) -> str:
    r = therapy.regimen
    if r.shape == "on_demand":
        return f"{r.summary} infuse does not project {therapy.brand} ahead."
    return f"{therapy.brand} has no US-labelled schedule for MS to project. {r.summary}"


# --------------------------------------------------------------------------- booking


WORKDAYS = frozenset(range(5))  # Monday to Friday


def is_working_day(day: dt.date, holidays: Container[dt.date] = (), days: Container[int] = WORKDAYS) -> bool:
    """A day the clinic is open: one of ``days`` (weekday numbers, Monday 0) and not a holiday."""
    return day.weekday() in days and day not in holidays


def book_day(
    target: dt.date,
    earliest: dt.date | None,
    holidays: Container[dt.date] = (),
    run: int = 1,
    search: int = 31,
    days: Container[int] = WORKDAYS,
) -> dt.date:
    """The suggested booking day: the target on a working day, else the nearest
    working day not before ``earliest`` (ties go to the later day).

    ``run`` > 1 books a course of consecutive days: every day of it must be a
    working day.  ``days`` are the clinic's days (Monday 0).  If no such day lies
    within ``search`` days, the target is kept.
    """

    def fits(start: dt.date) -> bool:
        if earliest is not None and start < earliest:
            return False
        return all(is_working_day(add_days(start, i), holidays, days) for i in range(run))

    if fits(target):
        return target
    for n in range(1, search + 1):
        later, sooner = add_days(target, n), add_days(target, -n)
        if fits(later):
            return later
        if fits(sooner):
            return sooner
    return max(target, earliest) if earliest is not None else target


def with_booking(
    infusions: Sequence[Infusion], holidays: Container[dt.date] = (), days: Container[int] = WORKDAYS
) -> list[Infusion]:
    """Each upcoming infusion with its suggested booking day on one of the clinic's ``days``
    (Monday 0); course days follow day 1. A day actually booked is kept."""
    out: list[Infusion] = []
    course_start: dt.date | None = None
    started = False  # a course whose first day is given or overdue: its days keep their dates
    for inf in infusions:
        if inf.given is not None or inf.book_why == "booked":
            started = inf.course
            out.append(inf)
            continue
        if inf.overdue_days:  # as soon as possible: today (the later dates count from it)
            started = inf.course
            booked = inf.date if inf.delayed_from else add_days(inf.date, inf.overdue_days)
            out.append(replace(inf, book=booked))
            continue
        if inf.day > 0 and started:
            out.append(replace(inf, book=inf.date))
            continue
        started = False
        consecutive = inf.course and inf.days > 1
        # A course never starts before the label's date ("12 months after"): it moves later.
        earliest = (inf.earliest or inf.date) if inf.course else inf.earliest
        if inf.day == 0 or course_start is None:
            run = inf.days if consecutive else 1
            booked = book_day(inf.date, earliest, holidays, run=run, days=days)
            course_start = booked if consecutive else None
        elif consecutive and course_start is not None:
            booked = add_days(course_start, inf.day)
        else:
            booked = book_day(inf.date, earliest, holidays, days=days)
        out.append(replace(inf, book=booked, book_why=_moved_why(inf, booked, holidays, days)))
    return out


def _moved_why(
    inf: Infusion, booked: dt.date, holidays: Container[dt.date], days: Container[int] = WORKDAYS
) -> BookWhy:
    """Why the suggested day is not the label's date: 'weekend', 'holiday', 'clinic' (not
    one of the clinic's days), 'course'."""
    if booked == inf.date:
        return ""
    if inf.date.weekday() >= 5 and inf.date.weekday() not in days:
        return "weekend"
    if inf.date in holidays:
        return "holiday"
    if inf.date.weekday() not in days:
        return "clinic"
    return "course"  # a course's days must all be working days in a row
