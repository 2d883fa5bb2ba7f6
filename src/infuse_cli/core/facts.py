"""Short derived facts for listings: how often, and time at the clinic."""

from __future__ import annotations

from infuse_cli.core.dates import describe_span
from infuse_cli.core.schedule import visits_for
from infuse_cli.core.schema import Therapy


def how_often(therapy: Therapy) -> str:
    """'every 6 months', '5 days, then 3 days 12 months later', 'for a relapse'."""
    r = therapy.regimen
    phases = r.phases
    repeating = [p for p in phases if p.repeat == "every" and p.every is not None]
    if r.shape == "on_demand":
        return "for a relapse, when needed"
    if not phases:
        return "no US-labelled MS schedule"
    if r.shape == "courses":
        courses = [p for p in phases if p.course_days]
        if len(courses) >= 2:
            return (
                f"{courses[0].course_days} days, then {courses[1].course_days} days"
                f" {describe_span(courses[1].after)} later"
            )
    if repeating:
        every = repeating[-1].every
        assert every is not None
        text = f"every {describe_span(every)}"
        if r.shape == "split_then_interval":
            text += " after a split first dose"
        if r.cap is not None:
            text += ", to a lifetime limit"
        return text
    return r.summary


def clinic_minutes(therapy: Therapy) -> tuple[int, int] | None:
    """The shortest and longest visit (premedication + infusion + observation)."""
    lows: list[int] = []
    highs: list[int] = []
    for pid in [p.id for p in therapy.regimen.phases] or [""]:
        for number in (1, None):
            for v in visits_for(therapy, pid, number):
                lows.append(v.low)
                highs.append(v.high)
    if not lows:
        return None
    return min(lows), max(highs)


def clinic_text(therapy: Therapy) -> str:
    """Time at the clinic in words, with each condition the label attaches to it:
    '1.5–5.5 h; from infusion 3: …'. Empty when the label gives no time."""
    span = clinic_minutes(therapy)
    if span is None:
        return ""
    if any(t.covers == "infusion" for t in therapy.timing):
        text = f"{minutes_text(*span)} for the infusion itself; the visit is longer"
    else:
        text = minutes_text(*span)
    for t in therapy.timing:
        if t.condition:
            scope = f"from infusion {t.from_dose}, " if t.from_dose and t.from_dose > 1 else ""
            low = t.premed_minutes + t.infusion_minutes + t.observation_minutes
            high = t.premed_minutes + (t.infusion_minutes_max or t.infusion_minutes) + t.observation_minutes
            text += f"; {scope}{minutes_text(low, high)} {t.condition}"
    return text


def minutes_text(low: int, high: int | None = None) -> str:
    """'45 min', '1.5 h', '2–4.5 h', '3 h 15 min' (hours from 90 minutes up)."""
    high = low if high is None else high

    def one(m: int, unit: bool) -> str:
        if m < 60:
            return f"{m} min"
        if m % 30 == 0:
            return f"{m / 60:g}" + (" h" if unit else "")
        return f"{m // 60} h {m % 60} min"

    if high < 90:
        return f"{low} min" if low == high else f"{low}–{high} min"
    if low == high:
        return one(low, True)
    both_round = low % 30 == 0 and high % 30 == 0
    return (
        f"{one(low, not both_round)}–{one(high, True)}"
        if both_round
        else (f"{one(low, True)} – {one(high, True)}")
    )
