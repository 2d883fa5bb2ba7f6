"""Typed records for the therapy catalogue (``data/therapies/*.toml``).

Declared once here; :mod:`infuse_cli.core.catalogue` decodes every file into
these records and rejects anything that does not fit.  Every record that
carries a number also carries ``source`` (the ``id`` of an entry in the
therapy's ``sources`` list) and ``ref`` (the label section, e.g. "§2.3").
"""

# No `from __future__ import annotations` here: these records are decoded from the cache
# on every run, and msgspec would have to compile each string annotation first.
import datetime as dt
from typing import Literal

import msgspec

Unit = Literal["days", "weeks", "months"]
Status = Literal["approved", "off-label", "rarely-used"]
MSForm = Literal["CIS", "RRMS", "SPMS", "PPMS"]
Anchor = Literal["start", "phase_start", "phase_end"]
Repeat = Literal["once", "every", "as_needed"]


class Span(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """A length of time exactly as the label words it."""

    n: int
    unit: Unit


class Source(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    id: str
    url: str
    title: str
    supports: str
    label_revised: str = ""  # "YYYY-MM" as printed on the label; "" for a web page
    revised_note: str = ""  # how the revision date was read, or why it could not be
    accessed: str = ""
    cite_as: str = ""  # a short name for citations, e.g. "Ocrevus HCP dosing page"
    # Where the text applies: "US" for the US label and US pages; "UK", "EU", … for
    # another country's reading, which output never calls "the label".
    region: str = "US"


class Cited(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """A plain-words fact with its evidence."""

    what: str
    source: str
    ref: str = ""
    detail: str = ""
    boxed: bool = False  # a boxed warning on the label


class Approval(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    year: int | None = None
    source: str
    ref: str = ""
    note: str = ""


class Dose(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """One infusion day inside a phase, ``at`` after the phase starts."""

    at: Span
    amount: float


class Phase(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """A part of the regimen: a split first dose, a course, maintenance.

    The phase starts ``after`` its ``anchor``: the treatment start, the first
    day (``phase_start``) or the last day (``phase_end``) of the phase before.
    Either ``doses`` lists the infusion days, or ``course_days`` gives a course
    of consecutive days of ``amount`` each.
    """

    id: str
    name: str
    anchor: Anchor
    after: Span
    source: str
    ref: str = ""
    doses: list[Dose] = []
    course_days: int = 0
    amount: float = 0
    repeat: Repeat = "once"
    every: Span | None = None
    min_interval: Span | None = None  # between the start of consecutive doses/courses
    # The minimum interval's own evidence, when it is not the phase's source.
    min_interval_source: str = ""
    min_interval_ref: str = ""
    note: str = ""


class IntervalOption(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """An alternative maintenance interval (e.g. extended-interval dosing)."""

    id: str
    name: str
    phase: str
    every: Span
    status: Status
    note: str
    source: str
    ref: str = ""


class MissedDose(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """The label's missed-dose rule, or ``none = true``: the label (the section in
    ``ref``, read) states no rule."""

    source: str
    ref: str = ""
    text: str = ""
    reset: bool = False  # True: the next dose counts from the date the late dose was given
    none: bool = False
    read: bool = True  # False: the label's section could not be read; ``text`` says what is known


class Stated(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """A label read for a rule it turned out not to state (``read``), or a section
    that could not be read (``read = false``): which section, and a note."""

    source: str
    ref: str
    read: bool = True
    note: str = ""


class Cap(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """A lifetime cumulative limit."""

    max_total: float
    unit: str
    text: str
    source: str
    ref: str = ""


class Regimen(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    shape: Literal["split_then_interval", "interval", "courses", "capped_interval", "on_demand", "none"]
    unit: str  # the dose unit: "mg", "mg/m²", "mg/day"
    summary: str
    source: str
    ref: str = ""
    phases: list[Phase] = []
    options: list[IntervalOption] = []
    missed_dose: MissedDose | None = None
    no_min_interval: Stated | None = None  # the label states no minimum gap (section read)
    cap: Cap | None = None
    note: str = ""


class Timing(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """Minutes at the clinic for one kind of visit.

    Applies to the regimen phase ``phase`` (empty: every phase) and, when
    given, to the therapy's infusions number ``from_dose`` to ``to_dose``.
    """

    infusion_minutes: int
    source: str
    ref: str = ""
    phase: str = ""
    option: str = "standard"
    condition: str = ""
    infusion_minutes_max: int | None = None
    premed_minutes: int = 0
    observation_minutes: int = 0
    from_dose: int | None = None
    to_dose: int | None = None
    # "visit": the minutes are the visit; "infusion": only the infusion itself is known,
    # and the visit (checks before the dose, the line placed) takes longer.
    covers: Literal["visit", "infusion"] = "visit"
    note: str = ""


class Premed(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    what: str
    when: str
    source: str
    ref: str = ""
    kind: Literal["steroid", "antihistamine", "antipyretic", "antiviral", "other"] = "other"
    sedating: bool = False
    required: bool = True


class Monitor(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """An ongoing check.

    Dated by any of: ``at`` (fixed times after the first dose), ``every`` (a
    series starting ``first`` after the first dose, or ``every`` after it),
    ``before_each_dose``; a series stops ``until`` after the last dose.
    """

    what: str
    source: str
    ref: str = ""
    kind: Literal["lab", "imaging", "exam", "program", "other"] = "lab"
    at: list[Span] = []
    first: Span | None = None
    every: Span | None = None
    until: Span | None = None
    before_each_dose: bool = False
    # The series counts from the last dose (a check after treatment stops), not the first.
    after_last_dose: bool = False
    detail: str = ""


class LateReactions(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """How long after an infusion the label says a reaction can still start."""

    hours: int
    text: str
    source: str
    ref: str = ""


class Vaccine(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    what: str
    source: str
    ref: str = ""
    before_start: Span | None = None  # complete at least this long before the first dose
    detail: str = ""


class Program(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    name: str
    what: str
    source: str
    ref: str = ""


class Therapy(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """One therapy's card. ``label_status`` says, where it applies, what of the current
    US label could not be read, shown at the top of ``infuse info``."""

    id: str
    brand: str
    generic: str
    maker: str
    drug_class: str
    target: str
    route: Literal["IV infusion", "subcutaneous injection"]
    setting: str
    status: Status
    approved_for: list[MSForm]
    approval: Approval
    summary: str
    regimen: Regimen
    reviewed: dt.date
    sources: list[Source]
    aliases: list[str] = []
    timing: list[Timing] = []
    premedication: list[Premed] = []
    tests_before: list[Cited] = []
    monitoring: list[Monitor] = []
    side_effects: list[Cited] = []
    reaction_symptoms: list[Cited] = []
    serious_risks: list[Cited] = []
    contraindications: list[Cited] = []
    programs: list[Program] = []
    vaccines: list[Vaccine] = []
    notes: list[Cited] = []
    late_reactions: LateReactions | None = None
    label_status: Cited | None = None
