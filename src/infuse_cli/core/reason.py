"""Why a date is what it is: the rule, the date it counts from, the span, and the source.

A reason is a value: views word it (``infuse_cli.views.why``), JSON carries its parts.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

from infuse_cli.core.schema import Span

Rule = Literal[
    # infusion days
    "start_given",  # the first infusion, on the start date given
    "first_recorded",  # the first infusion the journal records
    "after_anchor",  # a phase's first dose: `span` after `anchor`
    "repeat",  # `span` after `anchor` (`steps` intervals of `every`, and the phase's own offset)
    "repeat_from",  # every `every` from `anchor`: `span` (the phase's offset), then `steps` × `every`
    "after_previous",  # `span` after the infusion before it (`anchor`)
    "minimum_gap",  # moved to `span` after the infusion before it (`anchor`); `usual` was the date
    "minimum_interval",  # the earliest day: `span` after the infusion before it (`anchor`)
    "what_if",  # moved `span` (what if) from `anchor`
    # tests, vaccines and reminders
    "after_first_dose",  # `span` after the first dose (`anchor`)
    "every_after_last_dose",  # every `every` after the last dose (`anchor`)
    "every",  # every `every`, from the first dose (`anchor`), `until` after the last dose
    "before_each_dose",  # before the dose on `anchor`
    "before_first_dose",  # at least `span` before the first dose (`anchor`)
    "drowsy_premedication",  # `item` can make you drowsy; the infusion is on `anchor`
    "needed_before_dose",  # needed before the dose on `anchor`
    # the person's own records
    "own_reminder",  # the person's own reminder, from `anchor` (every `every`, when it repeats)
    "booked",  # a booking the person recorded (infuse appointment)
    "coverage_renewal",  # `span` before `item` ends on `anchor`
]

AnchorWhat = Literal[
    "first_infusion",  # the person's first infusion (a start date, or the journal's first)
    "last_dose",  # the last dose given (--last)
    "dose",  # a dose given (or moved) off its rhythm: later doses count from it
    "overdue_dose",  # an overdue dose, assumed given today
    "treatment_start",  # a phase counted from the treatment's first infusion
    "phase_start",  # the first infusion of `phase` (a phase of several infusion days)
    "phase",  # `phase`, a phase of one infusion day
    "phase_end",  # the last day of `phase`
]


class Citation(msgspec.Struct, frozen=True):
    """Where a rule is written: 'Ocrevus label' and '§2.3', with the source's address."""

    source: str
    section: str | None = None
    url: str | None = None

    @property
    def text(self) -> str:
        """'Ocrevus label §2.3': how a citation reads."""
        return f"{self.source} {self.section or ''}".strip()


class Reason(msgspec.Struct, frozen=True, kw_only=True):
    """Why a date is what it is, as values (see :data:`Rule` for what each field means)."""

    rule: Rule
    anchor: dt.date | None = None
    anchor_what: AnchorWhat | None = None
    phase: str | None = None  # the phase the anchor belongs to, by its name in the data
    span: Span | None = None
    every: Span | None = None
    steps: int | None = None
    until: Span | None = None
    usual: dt.date | None = None  # before the minimum gap moved it
    item: str | None = None  # what the rule is about (a premedication)
    off_label: bool = False  # an interval the label does not give (the source is the option's)
    cite: Citation | None = None
