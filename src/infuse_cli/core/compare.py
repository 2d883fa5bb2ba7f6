"""Therapies side by side: label facts, and what a person weighs over a year.

The yearly figures come from the schedule engine: each therapy is projected
from a common start as if every dose were on time, and the first and second
years are counted.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from infuse_cli.core.dates import describe_span, shift
from infuse_cli.core.errors import UsageError, shown
from infuse_cli.core.facts import clinic_text, how_often
from infuse_cli.core.schedule import cite, gap_cite, project
from infuse_cli.core.schema import Monitor, Span, Therapy
from infuse_cli.core.timeline import monitoring

GROUPS = ("overview", "schedule", "visit", "year", "monitoring", "risks")
_YEAR = Span(n=12, unit="months")


Value = str | int | float | None


class Row(msgspec.Struct, frozen=True):
    """One row: a value per therapy. Figures are numbers; nothing to say is None, which
    views show as ``none_means`` ("—", or "as needed" for a therapy given only when needed)."""

    label: str
    values: list[Value]
    none_means: str = "—"


class Group(msgspec.Struct, frozen=True):
    id: str
    title: str
    rows: list[Row]


class Comparison(msgspec.Struct, frozen=True):
    therapies: list[Therapy]
    groups: list[Group]


class YearFigures(msgspec.Struct, frozen=True):
    infusion_days: int
    clinic_hours: float
    visits: int
    tests: int


def parse_groups(only: str | None) -> list[str]:
    if not only:
        return list(GROUPS)
    wanted = [w.strip().lower() for w in only.split(",") if w.strip()]
    if not wanted:
        raise UsageError(f"--only needs at least one row group: {', '.join(GROUPS)}.")
    unknown = [w for w in wanted if w not in GROUPS]
    if unknown:
        raise UsageError(f"'{shown(unknown[0])}' is not a row group; choose from {', '.join(GROUPS)}.")
    return wanted


def year_figures(therapy: Therapy, start: dt.date) -> tuple[YearFigures, YearFigures] | None:
    """Infusion days, hours at the clinic, visits and monitoring tests in the
    first and the second year after ``start``, every dose on time."""
    end = shift(start, (_YEAR, 2))
    proj = project(therapy, start - dt.timedelta(days=1), start=start, until=end, count=10**6)
    if proj.end is not None and proj.end.kind == "no_schedule":
        return None
    events = monitoring(therapy, proj.infusions, (start, end), first=start)
    out = []
    for k in (0, 1):
        lo, hi = shift(start, (_YEAR, k)), shift(start, (_YEAR, k + 1))
        days = [i for i in proj.infusions if lo <= i.date < hi]
        minutes = sum(i.visits[0].high if i.visits else 0 for i in days)
        tests = [e for e in events if lo <= e.date < hi]
        out.append(YearFigures(len(days), minutes / 60, len({i.date for i in days}), len(tests)))
    return out[0], out[1]


def compare(therapies: list[Therapy], groups: list[str], start: dt.date) -> Comparison:
    built: list[Group] = []
    figures = [year_figures(t, start) for t in therapies]

    def row(label: str, values: list[str]) -> Row:
        return Row(label, [v or None for v in values])

    for gid in groups:
        ts = therapies
        if gid == "overview":
            rows = [
                row("Generic name", [t.generic for t in ts]),
                row("Kind", [t.drug_class for t in ts]),
                row("Target", [t.target for t in ts]),
                row("Given as", [f"{t.route}, {t.setting}" for t in ts]),
                row("Status", [t.status for t in ts]),
                row("Approved for", [", ".join(t.approved_for) for t in ts]),
                Row("FDA approval (MS)", [t.approval.year or None for t in ts]),
            ]
            built.append(Group(gid, "What it is", rows))
        elif gid == "schedule":
            rows = [
                row("How often", [how_often(t) for t in ts]),
                row("Dosing", [t.regimen.summary for t in ts]),
                row("Minimum gap", [min_gap_text(t) for t in ts]),
                row("Missed dose", [missed_dose_text(t) for t in ts]),
                row(
                    "Lifetime limit",
                    [t.regimen.cap.text if t.regimen.cap else "none on the label" for t in ts],
                ),
            ]
            built.append(Group(gid, "Schedule", rows))
        elif gid == "visit":
            rows = [
                row("Time at the clinic", [clinic_text(t) for t in ts]),
                row("Premedication", ["; ".join(p.what for p in t.premedication) for t in ts]),
                row(
                    "Drowsy afterwards?",
                    [
                        "possibly: plan a ride home"
                        if any(p.sedating for p in t.premedication)
                        else "not from the premedication"
                        for t in ts
                    ],
                ),
            ]
            built.append(Group(gid, "The visit", rows))
        elif gid == "year":

            def fig(label: str, attr: str, k: int) -> Row:
                values: list[Value] = []
                for f in figures:
                    v = None if f is None else getattr(f[k], attr)
                    values.append(round(v, 1) if isinstance(v, float) else v)
                return Row(label, values, none_means="as needed")

            rows = [
                fig("Infusion days, year 1", "infusion_days", 0),
                fig("Infusion days, year 2", "infusion_days", 1),
                fig("Hours at clinic, year 1", "clinic_hours", 0),
                fig("Hours at clinic, year 2", "clinic_hours", 1),
                fig("Monitoring tests, year 1", "tests", 0),
                fig("Monitoring tests, year 2", "tests", 1),
            ]
            built.append(Group(gid, "Over a year (every dose on time)", rows))
        elif gid == "monitoring":
            rows = [
                row("Before starting", ["; ".join(c.what for c in t.tests_before) for t in ts]),
                row("Ongoing", ["; ".join(_monitor(m) for m in t.monitoring) for t in ts]),
                row("Programs", ["; ".join(p.name for p in t.programs) for t in ts]),
            ]
            built.append(Group(gid, "Tests and monitoring", rows))
        elif gid == "risks":
            rows = [
                row(
                    "Boxed warnings",
                    ["; ".join(c.what for c in t.serious_risks if c.boxed) or "none" for t in ts],
                ),
                row(
                    "Other serious risks",
                    ["; ".join(c.what for c in t.serious_risks if not c.boxed) for t in ts],
                ),
                row("Common side effects", ["; ".join(c.what for c in t.side_effects) for t in ts]),
                row("Should not take it", ["; ".join(c.what for c in t.contraindications) for t in ts]),
            ]
            built.append(Group(gid, "Risks", rows))
    return Comparison(therapies, built)


def min_gap_text(t: Therapy) -> str:
    """'5 months between later infusions (Briumvi label §2.3)', or what the label states."""
    gaps = [
        f"{describe_span(p.min_interval)} ({p.name}) — {gap_cite(t, p)}"
        for p in t.regimen.phases
        if p.min_interval
    ]
    if gaps:
        return "; ".join(gaps)
    none = t.regimen.no_min_interval
    if none is None:
        return ""
    return _stated(t, none.source, none.ref, none.read, none.note)


def missed_dose_text(t: Therapy) -> str:
    """The label's missed-dose rule with its source, or that it states none."""
    m = t.regimen.missed_dose
    if m is None:
        return ""
    if m.none:
        return _stated(t, m.source, m.ref, m.read, m.text)
    return f"{m.text} — {cite(t, m.source, m.ref)}"


def _stated(t: Therapy, source: str, ref: str, read: bool, note: str) -> str:
    where = cite(t, source, ref)
    if read:
        return f"none stated on the label ({where}, read)" + (f". {note}" if note else "")
    return (
        f"not confirmed: {where} could not be read" + (f". {note}" if note else "") + ". Ask your care team."
    )


def _monitor(m: Monitor) -> str:
    parts = [m.what]
    if m.every is not None:
        parts.append(
            f"every {describe_span(m.every)}" + (" after the last dose" if m.after_last_dose else "")
        )
    if m.before_each_dose:
        parts.append("before each dose")
    if m.until is not None:
        parts.append(f"until {describe_span(m.until)} after the last dose")
    return ", ".join(parts)
