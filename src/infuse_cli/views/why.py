"""Reasons in words, and as JSON: why a date is what it is.

The core gives a :class:`~infuse_cli.core.reason.Reason` (the rule, the day it counts
from, the span, the source); this is the one place that words it
('24 weeks after the first infusion (Mon 6 Jul 2026) — Ocrevus label §2.3').
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from infuse_cli.core.dates import describe_span, human

if TYPE_CHECKING:
    import datetime as dt

    from infuse_cli.core.reason import Reason
    from infuse_cli.core.schema import Span


def why_text(r: Reason) -> str:
    """The reason in one line: what the rule says, then its source."""
    body = _BODY[r.rule](r)
    if r.cite is None:
        return body
    source = r.cite.text
    if r.off_label:
        source = f"off-label extended interval, {source}"
    return f"{body} — {source}"


def source_text(r: Reason | None) -> str:
    """Where the rule is written: 'Ocrevus label §2.3' ('' when nothing is cited)."""
    return r.cite.text if r is not None and r.cite is not None else ""


def why_json(r: Reason) -> dict[str, object]:
    """The reason's parts (ISO dates, spans as amount and unit, null where there is none),
    with ``text``: the same line the terminal shows."""
    c = r.cite
    return {
        "rule": r.rule,
        "anchor": _iso(r.anchor),
        "anchor_what": r.anchor_what,
        "phase": r.phase,
        "span": _span(r.span),
        "every": _span(r.every),
        "steps": r.steps,
        "until": _span(r.until),
        "usual": _iso(r.usual),
        "item": r.item,
        "off_label": r.off_label,
        "source": c.source if c else None,
        "section": c.section if c else None,
        "url": c.url if c else None,
        "text": why_text(r),
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _span(span: Span | None) -> dict[str, object] | None:
    return {"amount": span.n, "unit": span.unit} if span is not None else None


def _s(span: Span | None) -> str:
    assert span is not None
    return describe_span(span)


def _d(day: dt.date | None) -> str:
    assert day is not None
    return human(day)


_PHASE_ANCHORS = ("treatment_start", "phase_start", "phase", "phase_end")


def _anchor(r: Reason) -> str:
    """The day a date counts from, in words: 'the first infusion of the first dose'."""
    return {
        "first_infusion": "your first infusion",
        "last_dose": "your last dose",
        "dose": "the dose",
        "overdue_dose": "the overdue dose, if given today",
        "treatment_start": "the first infusion",
        "phase_start": f"the first infusion of the {r.phase}",
        "phase": f"the {r.phase}",
        "phase_end": f"the last day of the {r.phase}",
    }.get(r.anchor_what or "", "")


def _repeat(r: Reason) -> str:
    # Name the interval when the date is more than one interval from its anchor.
    tail = f", every {_s(r.every)}" if (r.steps or 0) > 1 or r.anchor_what in _PHASE_ANCHORS else ""
    if r.anchor_what == "dose":
        return f"{_s(r.span)} after the dose on {_d(r.anchor)}{tail}"
    return f"{_s(r.span)} after {_anchor(r)} ({_d(r.anchor)}){tail}"


def _every(r: Reason) -> str:
    until = f" until {_s(r.until)} after the last dose" if r.until is not None else ""
    return f"every {_s(r.every)}{until}"


_BODY: dict[str, Callable[[Reason], str]] = {
    "start_given": lambda r: "your first infusion (the start date given)",
    "first_recorded": lambda r: "your first recorded infusion",
    "after_anchor": lambda r: f"{_s(r.span)} after {_anchor(r)} ({_d(r.anchor)})",
    "repeat": _repeat,
    "repeat_from": lambda r: f"every {_s(r.every)} from {_anchor(r)} ({_d(r.anchor)})",
    "after_previous": lambda r: f"{_s(r.span)} after the infusion before it",
    "minimum_gap": lambda r: (
        f"{_s(r.span)} after the infusion before it, the minimum gap (its usual date was {_d(r.usual)})"
    ),
    "minimum_interval": lambda r: "the minimum gap",
    "what_if": lambda r: (
        f"moved {_s(r.span)} (what if) from "
        + (f"today ({_d(r.anchor)}), as it has been due since {_d(r.usual)}" if r.usual else _d(r.anchor))
        + "; the dates after it count from the day it is given"
    ),
    "after_first_dose": lambda r: f"{_s(r.span)} after the first dose",
    "every_after_last_dose": lambda r: f"every {_s(r.every)} after the last dose ({_d(r.anchor)})",
    "every": _every,
    "before_each_dose": lambda r: "before each dose",
    "before_first_dose": lambda r: f"at least {_s(r.span)} before the first dose ({_d(r.anchor)})",
    "drowsy_premedication": lambda r: f"{r.item} can make you drowsy; infusion on {_d(r.anchor)}",
    "needed_before_dose": lambda r: f"needed before the dose on {_d(r.anchor)}",
    "own_reminder": lambda r: (
        "your own reminder" + (f", every {_s(r.every)} from {_d(r.anchor)}" if r.every else "")
    ),
    "booked": lambda r: "your booking (infuse appointment list)",
    "coverage_renewal": lambda r: (
        f"{_s(r.span)} before your {r.item} ends on {_d(r.anchor)} (infuse coverage list)"
    ),
}
