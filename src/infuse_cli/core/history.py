"""From journal entries to what the schedule engine needs, and each entry's phase.

The entries of one therapy count as its whole history from the treatment's start
only when one of them is marked as the first infusion (the latest such mark
starts the history). Otherwise the newest entry is taken as the most recent
maintenance dose, like ``--last``, and earlier entries only count toward a
lifetime limit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import msgspec

from infuse_cli.core.schedule import NoSchedule, project
from infuse_cli.core.schema import Therapy


class Basis(msgspec.Struct, frozen=True, kw_only=True):
    given: list[dt.date] = []  # the whole history from the first infusion
    last: dt.date | None = None  # or only the most recent dose
    prior_total: float = 0.0  # amount given before `last` (for a lifetime limit)
    warning: str = ""


def basis(therapy: Therapy, dates: Sequence[dt.date], firsts: Sequence[bool]) -> Basis | None:
    """How the journal's dates for one therapy feed the engine; None when there are none."""
    if not dates:
        return None
    pairs = sorted(zip(dates, firsts, strict=True))
    starts = [i for i, (_, first) in enumerate(pairs) if first]
    if starts:
        return Basis(given=[d for d, _ in pairs[starts[-1] :]])
    return from_latest(therapy, len(pairs), pairs[-1][0])


def from_latest(therapy: Therapy, count: int, newest: dt.date) -> Basis:
    """The basis when no first infusion is marked: the newest entry, and how many before it."""
    amount = _dose_amount(therapy)
    prior = amount * (count - 1)
    return Basis(last=newest, prior_total=prior, warning=_cap_warning(therapy, prior + amount))


def _dose_amount(therapy: Therapy) -> float:
    if not therapy.regimen.phases:
        return 0.0
    last = therapy.regimen.phases[-1]
    return last.amount if last.course_days else (last.doses[0].amount if last.doses else 0.0)


def _cap_warning(therapy: Therapy, total: float) -> str:
    cap = therapy.regimen.cap
    if cap is None or total < 0.8 * cap.max_total:
        return ""
    return (
        f"The journal's doses add up to {total:g} {cap.unit}, {total / cap.max_total:.0%} of the"
        f" label's lifetime limit of {cap.max_total:g} {cap.unit}. Talk to your care team."
    )


def phases(
    therapy: Therapy, dates: Sequence[dt.date], firsts: Sequence[bool], today: dt.date
) -> dict[dt.date, str]:
    """Each journal date's phase ('first dose, infusion 2 of 2', 'course 2, day 3 of 3')."""
    b = basis(therapy, dates, firsts)
    if b is None or not b.given:
        return {}
    try:
        proj = project(therapy, today, given=b.given, count=1)
    except NoSchedule:
        return {}
    return {i.given: i.phase for i in proj.infusions if i.given is not None}
