"""From journal entries to what the schedule engine needs, and each entry's phase.

A therapy's entries count as its whole history from the treatment's start when

* one of them is marked as the first infusion (the latest such mark starts it), or
* its oldest entry records a dose that only a first phase of the regimen gives
  (Ocrevus 300 mg, Briumvi 150 mg): that entry is taken as infusion 1, or
* its oldest entries are a course of consecutive days exactly as long as the first
  phase's course, a length no later phase has (Lemtrada's 5 days): they are taken as
  that first course.

Otherwise the newest entry is taken as the most recent maintenance dose, like
``--last``, and earlier entries count toward a lifetime limit. Whatever was
assumed is said (``Basis.assumed``) with the command that corrects it.

Recorded doses with a unit count toward a lifetime limit in place of the label's
standard amount; a dose that cannot be read, or is in another unit, is reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Literal

import msgspec

from infuse_cli.core.dates import human
from infuse_cli.core.errors import InfuseError, shown
from infuse_cli.core.schedule import Infusion, project
from infuse_cli.core.schema import Therapy


class Recorded(msgspec.Struct, frozen=True, kw_only=True):
    """What the engine needs of one journal entry."""

    id: int
    date: dt.date
    first: bool = False
    dose: str = ""


class Basis(msgspec.Struct, frozen=True, kw_only=True):
    given: list[dt.date] = []  # the whole history from the first infusion
    amounts: list[float | None] = []  # recorded amounts, in step with ``given`` (None: the label's)
    last: dt.date | None = None  # or only the most recent dose
    prior_total: float = 0.0  # amount given before `last` (for a lifetime limit)
    warning: str = ""
    how: Literal["marked", "dose", "course", "latest"] = "marked"
    assumed: str = ""  # what was assumed about the start, and the command that corrects it
    first_id: int | None = None  # the entry taken as infusion 1


# --- doses as written ------------------------------------------------------------------

_DOSE = r"(?a)^\s*([0-9]+(?:[.,][0-9]+)?)\s*([a-zA-Z/²^0-9 .]*?)\s*$"
_UNITS = {
    "mg": "mg",
    "g": "g",
    "mg/m²": "mg/m²",
    "mg/m2": "mg/m²",
    "mg/m^2": "mg/m²",
    "mg/sqm": "mg/m²",
    "mg/day": "mg/day",
    "mg/d": "mg/day",
    "mg per day": "mg/day",
    "mg a day": "mg/day",
}


class DoseError(InfuseError):
    """A dose that cannot be read as a number and a unit."""


def parse_dose(text: str) -> tuple[float, str] | None:
    """'600 mg' → (600, 'mg'); '14 mg/m2' → (14, 'mg/m²'); '' → None.

    A number without a unit, a unit infuse does not know, or anything else raises
    :class:`DoseError` with one sentence saying how to write it."""
    if not text.strip():
        return None
    m = re.match(_DOSE, text)
    unit = _UNITS.get(" ".join(m.group(2).lower().split())) if m else None
    if m is None or unit is None:
        raise DoseError(
            f"infuse cannot read the dose '{shown(text)}'; write a number and a unit,"
            " such as '600 mg' or '12 mg/m2' (or leave --dose out)."
        )
    number = m.group(1)
    if re.fullmatch(r"[0-9]{1,3},[0-9]{3}", number):
        raise DoseError(f"'{shown(text)}' could be read two ways; write it without a comma, e.g. '1000 mg'.")
    amount = float(number.replace(",", "."))
    if not 0 < amount < 1e6:
        raise DoseError(f"The dose '{shown(text)}' is not a dose a label gives; check the number.")
    return (amount * 1000, "mg") if unit == "g" else (amount, unit)


def check_dose(therapy: Therapy, text: str) -> None:
    """Refuse a dose that cannot be read, or one in a unit the therapy's doses are not in."""
    found = parse_dose(text)
    if found is not None and found[1] != therapy.regimen.unit and therapy.regimen.unit:
        raise DoseError(
            f"{therapy.brand} doses are written in {therapy.regimen.unit}, e.g."
            f" '{_dose_amount(therapy):g} {therapy.regimen.unit}'; '{shown(text)}' is in {found[1]}."
        )


def _amount(therapy: Therapy, rec: Recorded, notes: list[str]) -> float | None:
    """The recorded amount in the regimen's unit; None (and a note) when it cannot be used."""
    try:
        found = parse_dose(rec.dose)
    except DoseError:
        notes.append(
            f"The dose written on {human(rec.date)} ('{shown(rec.dose)}') cannot be read, so the"
            f" label's usual amount is counted for it. Fix it: infuse log edit {rec.id} --dose '…'"
        )
        return None
    if found is None:
        return None
    amount, unit = found
    if unit != therapy.regimen.unit:
        if therapy.regimen.cap is not None:
            notes.append(
                f"The dose on {human(rec.date)} is in {unit}, but the lifetime limit is in"
                f" {therapy.regimen.unit}, so the label's usual amount is counted for it."
            )
        return None
    return amount


def first_only_amounts(therapy: Therapy) -> set[float]:
    """Amounts that only the first phase gives (Ocrevus 300 mg, Briumvi 150 mg)."""
    phases = therapy.regimen.phases
    if len(phases) < 2:
        return set()
    first = {d.amount for d in phases[0].doses} | ({phases[0].amount} if phases[0].course_days else set())
    later = {d.amount for p in phases[1:] for d in p.doses} | {p.amount for p in phases[1:] if p.course_days}
    return first - later


def looks_first(therapy: Therapy, dose: str) -> bool:
    """Whether a recorded dose is one only a first phase gives."""
    try:
        found = parse_dose(dose)
    except DoseError:
        return False
    return found is not None and found[1] == therapy.regimen.unit and found[0] in first_only_amounts(therapy)


def first_course_days(therapy: Therapy) -> int:
    """The first phase's course length when no later phase has a course that long
    (Lemtrada's 5 days); 0 otherwise."""
    phases = therapy.regimen.phases
    if len(phases) < 2 or not phases[0].course_days:
        return 0
    days = phases[0].course_days
    return 0 if any(p.course_days == days for p in phases[1:]) else days


def opening_size(therapy: Therapy) -> int:
    """How many of the oldest entries :func:`opening` needs to see."""
    return first_course_days(therapy) + 1


def opening(therapy: Therapy, oldest: Sequence[Recorded]) -> Literal["", "dose", "course"]:
    """How the oldest entries (oldest first) tell the treatment's start: 'dose' (the oldest
    records a dose only a first phase gives), 'course' (they begin with a course of
    consecutive days exactly as long as the first phase's course, and no later phase's),
    or '' (they do not tell)."""
    if not oldest:
        return ""
    if looks_first(therapy, oldest[0].dose):
        return "dose"
    days = first_course_days(therapy)
    if not days:
        return ""
    run = 1
    while run < len(oldest) and (oldest[run].date - oldest[run - 1].date).days == 1:
        run += 1
    return "course" if run == days else ""


# --- the basis ---------------------------------------------------------------------------


def basis(therapy: Therapy, entries: Sequence[Recorded], notes: list[str] | None = None) -> Basis | None:
    """How one therapy's journal entries (any order) feed the engine; None when there are none.

    ``notes`` collects doses that could not be counted as written."""
    if not entries:
        return None
    notes = [] if notes is None else notes
    ordered = sorted(entries, key=lambda e: (e.date, e.id))
    marks = [i for i, e in enumerate(ordered) if e.first]
    if marks:
        since = ordered[marks[-1] :]
        return Basis(
            given=[e.date for e in since],
            amounts=[_amount(therapy, e, notes) for e in since],
            how="marked",
            first_id=since[0].id,
        )
    oldest = ordered[0]
    told = opening(therapy, ordered[: opening_size(therapy)])
    if not told:
        return from_latest(therapy, ordered, notes)
    if told == "dose":
        said = (
            f"Your first {therapy.brand} entry ({human(oldest.date)}, {oldest.dose.strip()}) is"
            " taken as your first infusion, from its dose."
        )
    else:
        days = first_course_days(therapy)
        course = therapy.regimen.phases[0].name
        said = (
            f"Your first {therapy.brand} entries ({human(oldest.date)} to"
            f" {human(ordered[days - 1].date)}, {days} days in a row) are taken as your {course},"
            f" from their number of days: only the {course} has {days}."
        )
    return Basis(
        given=[e.date for e in ordered],
        amounts=[_amount(therapy, e, notes) for e in ordered],
        how=told,
        first_id=oldest.id,
        assumed=f"{said} If it was not, mark the right one: infuse log edit ID --first",
    )


def from_latest(therapy: Therapy, ordered: Sequence[Recorded], notes: list[str]) -> Basis:
    """The basis when no first infusion can be told: the newest entry, the ones before it
    counted toward a lifetime limit."""
    standard = _dose_amount(therapy)
    amounts = [_amount(therapy, e, notes) for e in ordered]
    prior = sum(standard if a is None else a for a in amounts[:-1])
    newest = ordered[-1]
    said = []
    if len(therapy.regimen.phases) > 1:
        said.append(
            f"No {therapy.brand} entry is marked as your first infusion, so your newest"
            f" ({human(newest.date)}) is taken as a dose of the {therapy.regimen.phases[-1].name}."
        )
    first_n = max((t.to_dose for t in therapy.timing if t.to_dose), default=0)
    if first_n:
        said.append(
            f"infuse does not know how many {therapy.brand} infusions you have had, so it takes you"
            f" to be past the first {first_n}, whose visit times differ."
        )
    if any(m.at or (m.every and not m.after_last_dose) for m in therapy.monitoring):
        said.append(
            "Check-ins and repeating tests counted from your first dose are not dated, since your"
            " first is not recorded."
        )
    assumed = ""
    if said:
        assumed = " ".join(said) + (
            " To correct this, mark your first infusion (infuse log edit ID --first) or set"
            " the day you started: infuse config set started YYYY-MM-DD"
        )
    return Basis(
        last=newest.date,
        prior_total=prior,
        amounts=[amounts[-1]],
        how="latest",
        assumed=assumed,
    )


def _dose_amount(therapy: Therapy) -> float:
    if not therapy.regimen.phases:
        return 0.0
    last = therapy.regimen.phases[-1]
    return last.amount if last.course_days else (last.doses[0].amount if last.doses else 0.0)


def cap_text(therapy: Therapy, total: float) -> str:
    """'120 of 140 mg/m² (86%)' toward the lifetime limit; '' without one."""
    cap = therapy.regimen.cap
    if cap is None:
        return ""
    return f"{total:g} of {cap.max_total:g} {cap.unit} ({total / cap.max_total:.0%})"


def phases(therapy: Therapy, entries: Sequence[Recorded], today: dt.date) -> dict[int, str]:
    """Each entry's phase by id ('first dose, infusion 2 of 2', 'course 2, day 3 of 3'),
    for histories whose start is known."""
    placed = _placed(therapy, entries, today)[0] or {}
    return {k: inf.phase for k, inf in placed.items()}


def _placed(
    therapy: Therapy, entries: Sequence[Recorded], today: dt.date
) -> tuple[dict[int, Infusion] | None, list[str]]:
    """Each entry's infusion day in the engine's walk by id, and what the walk assumed in
    placing them (a dose placed by its amount); None when the entries do not tell the start."""
    b = basis(therapy, entries)
    if b is None or not b.given:
        return None, []
    try:
        proj = project(therapy, today, given=b.given, given_amounts=b.amounts, count=1)
    except InfuseError:
        return {}, []
    ordered = sorted(entries, key=lambda e: (e.date, e.id))
    start = next(i for i, e in enumerate(ordered) if e.id == b.first_id)
    given = [i for i in proj.infusions if i.given is not None]
    return {e.id: inf for e, inf in zip(ordered[start:], given, strict=False)}, proj.assumed


class EntryFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What the record says of one infusion: its phase, the days since the one before,
    and how many days after the label's date it was given (0: on time or early)."""

    phase: str = ""
    since_days: int | None = None
    late_days: int | None = None


def entry_facts(
    therapy: Therapy,
    entries: Sequence[Recorded],
    today: dt.date,
    start_known: bool = True,
    assumed: list[str] | None = None,
) -> dict[int, EntryFacts]:
    """Each entry's facts by id. Phases and lateness come from the engine when the start
    is known (``entries`` then hold the history from it); otherwise lateness is against
    the last phase's interval, from each entry to the next. ``assumed`` collects what the
    engine assumed in placing the entries (a dose placed in a later phase by its amount)."""
    from infuse_cli.core.dates import shift

    ordered = sorted(entries, key=lambda e: (e.date, e.id))
    placed, said = _placed(therapy, ordered, today) if start_known else (None, [])
    if assumed is not None:
        assumed.extend(said)
    named = {k: inf.phase for k, inf in (placed or {}).items()}
    targets: dict[int, dt.date] = {}
    if placed is not None:
        for k, inf in placed.items():
            if inf.occurrence or inf.day or inf.phase_id != therapy.regimen.phases[0].id:
                targets[k] = inf.date
    else:
        last = therapy.regimen.phases[-1] if therapy.regimen.phases else None
        if last is not None and last.every is not None and not last.course_days:
            for prev, e in zip(ordered, ordered[1:], strict=False):
                targets[e.id] = shift(prev.date, last.every)
    out: dict[int, EntryFacts] = {}
    for i, e in enumerate(ordered):
        since = (e.date - ordered[i - 1].date).days if i else None
        target = targets.get(e.id)
        late = max(0, (e.date - target).days) if target is not None else None
        out[e.id] = EntryFacts(phase=named.get(e.id, ""), since_days=since, late_days=late)
    return out
