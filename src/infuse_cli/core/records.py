"""The journal's records as typed values: what the store reads and writes, what the core
and the views take. The export's shapes are here too: they are the journal in a file."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec


class InfusionEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    drug: str
    date: dt.date
    dose: str = ""
    site: str = ""
    start_time: str = ""
    duration_min: int | None = None
    note: str = ""
    first: bool = False  # the first infusion of this treatment
    uid: str = ""  # its identity across machines (given when it is added)


class Reaction(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    infusion_id: int | None
    date: dt.date
    symptom: str
    severity: int
    hours_after: float | None = None
    note: str = ""
    uid: str = ""


class UserQuestion(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    text: str
    drug: str = ""
    added: dt.date
    asked: dt.date | None = None
    answer: str = ""
    uid: str = ""


class TestResult(msgspec.Struct, frozen=True, kw_only=True):
    """A test done on a day: its value and unit, or its status (positive, negative …), or
    only that it was done. ``test`` is the catalogue's id."""

    id: int
    test: str
    date: dt.date
    value: float | None = None
    unit: str = ""
    status: str = ""
    note: str = ""
    uid: str = ""


class Symptom(msgspec.Struct, frozen=True, kw_only=True):
    """How a symptom felt on a day between infusions (0 none … 10 worst)."""

    id: int
    name: str
    date: dt.date
    severity: int
    note: str = ""
    uid: str = ""


class Relapse(msgspec.Struct, frozen=True, kw_only=True):
    """A relapse; ``steroid`` is the identity of the steroid course logged for it, if any."""

    id: int
    date: dt.date
    note: str = ""
    steroid: str = ""
    uid: str = ""


class ExportInfusion(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str = ""  # the record's identity (exports from before format 2 have none)
    drug: str
    date: dt.date
    dose: str = ""
    site: str = ""
    start_time: str = ""
    duration_min: int | None = None
    note: str = ""
    first: bool = False


class ExportReaction(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str = ""
    date: dt.date
    symptom: str
    severity: int
    hours_after: float | None = None
    note: str = ""
    infusion: tuple[str, dt.date] | None = None  # (drug, date) of the infusion it followed


class Appointment(msgspec.Struct, frozen=True, kw_only=True):
    """A booking actually made: an infusion (``test`` empty) or a test, on a day."""

    id: int
    date: dt.date
    time: str = ""  # HH:MM, when known
    place: str = ""
    drug: str = ""  # the therapy it is for ("" = the profile's therapy)
    test: str = ""  # a test's catalogue id: a booking for that test, not an infusion
    note: str = ""
    uid: str = ""


CoverageKind = Literal["prior-auth", "copay", "plan-year"]
COVERAGE_KINDS: dict[str, str] = {
    "prior-auth": "prior authorization",
    "copay": "co-pay program",
    "plan-year": "insurance plan year",
}


class Coverage(msgspec.Struct, frozen=True, kw_only=True):
    """Something that pays for the infusions and ends on a day: its renewal starts earlier."""

    id: int
    kind: str  # one of COVERAGE_KINDS
    until: dt.date  # the last day it covers
    renew_days: int = 45  # start renewing this many days before it ends
    drug: str = ""
    note: str = ""
    uid: str = ""

    @property
    def renew_from(self) -> dt.date:
        return self.until - dt.timedelta(days=self.renew_days)


class Reminder(msgspec.Struct, frozen=True, kw_only=True):
    """The person's own date (a neurologist visit, an MRI), once or every so often."""

    id: int
    text: str
    date: dt.date  # the first (or only) time
    every_n: int = 0  # 0: once
    every_unit: str = ""  # days, weeks or months
    before: int = 0  # start reminding this many days ahead
    uid: str = ""


class ExportQuestion(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str = ""
    text: str
    drug: str = ""
    added: dt.date
    asked: dt.date | None = None
    answer: str = ""


class ExportResult(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str = ""
    test: str
    date: dt.date
    value: float | None = None
    unit: str = ""
    status: str = ""
    note: str = ""


class ExportSymptom(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str = ""
    name: str
    date: dt.date
    severity: int
    note: str = ""


class ExportRelapse(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str = ""
    date: dt.date
    note: str = ""
    steroid: tuple[str, dt.date] | None = None  # (drug, date) of the steroid course logged for it


class ExportAppointment(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str = ""
    date: dt.date
    time: str = ""
    place: str = ""
    drug: str = ""
    test: str = ""
    note: str = ""


class ExportCoverage(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str = ""
    kind: str
    until: dt.date
    renew_days: int = 45
    drug: str = ""
    note: str = ""


class ExportReminder(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str = ""
    text: str
    date: dt.date
    every_n: int = 0
    every_unit: str = ""
    before: int = 0


class Export(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    schema: int
    format: str
    profile: str = ""  # whose journal it is (informative; import adds to the profile in use)
    infusions: list[ExportInfusion]
    reactions: list[ExportReaction] = []
    questions: list[ExportQuestion] = []
    results: list[ExportResult] = []
    symptoms: list[ExportSymptom] = []
    relapses: list[ExportRelapse] = []
    appointments: list[ExportAppointment] = []
    coverage: list[ExportCoverage] = []
    reminders: list[ExportReminder] = []
