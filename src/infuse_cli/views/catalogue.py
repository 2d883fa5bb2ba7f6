"""Views of the catalogue: the therapy list, one therapy's card, a comparison."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from infuse_cli.core.compare import min_gap_text, missed_dose_text
from infuse_cli.core.dates import describe_span
from infuse_cli.core.facts import clinic_minutes, clinic_text, how_often, minutes_text
from infuse_cli.core.schedule import cite, gap_cite, is_us_label
from infuse_cli.core.schema import Cited, Monitor, Therapy, Timing
from infuse_cli.views.doc import Block, Bullets, Doc, Fields, Heading, Para, Table
from infuse_cli.views.output import SCHEMA

if TYPE_CHECKING:
    from infuse_cli.core.catalogue import Catalogue
    from infuse_cli.core.compare import Comparison

DISCLAIMER = (
    "infuse informs; it is not medical advice. Your care team's plan wins: ask them before changing anything."
)


def _clinic(t: Therapy) -> str:
    return clinic_text(t) or "—"


def drugs_doc(therapies: list[Therapy], catalogue: Catalogue, title: str) -> Doc:
    rows = []
    for t in therapies:
        name = f"{t.brand} ({t.generic})"
        status = t.status + (", local" if catalogue.is_local(t) else "")
        rows.append([name, t.target, how_often(t), _clinic(t), status])
    doc: Doc = [Heading(title)]
    if rows:
        doc.append(Table(["Therapy", "Target", "How often", "At the clinic", "Status"], rows))
        doc.append(
            Para(
                "Time at the clinic includes premedication and observation as the labels"
                " give them. More: infuse info NAME; side by side: infuse compare A B.",
                tone="muted",
            )
        )
    else:
        doc.append(Para("No therapy matches those filters.", tone="note", label="Note"))
    return doc


def drugs_json(therapies: list[Therapy], catalogue: Catalogue) -> list[dict[str, Any]]:
    out = []
    for t in therapies:
        span = clinic_minutes(t)
        out.append(
            {
                "schema": SCHEMA,
                "id": t.id,
                "brand": t.brand,
                "generic": t.generic,
                "target": t.target,
                "route": t.route,
                "status": t.status,
                "approved_for": t.approved_for,
                "how_often": how_often(t),
                "clinic_minutes": list(span) if span else None,
                "local": catalogue.is_local(t),
            }
        )
    return out


def info_json(t: Therapy, catalogue: Catalogue) -> dict[str, Any]:
    data: dict[str, Any] = {"schema": SCHEMA, "local": catalogue.is_local(t)}
    data.update(msgspec.to_builtins(t))
    span = clinic_minutes(t)
    data["how_often"] = how_often(t)
    data["clinic_minutes"] = list(span) if span else None
    return data


def _where(t: Therapy, source: str, ref: str) -> str:
    """' (§2.1)' for the therapy's own US label; otherwise the source's name too, so a
    summary or another country's reading is never taken for the label."""
    found = next((s for s in t.sources if s.id == source), None)
    if found is not None and is_us_label(found) and not found.cite_as:
        return f" ({ref})" if ref else ""
    return f" ({cite(t, source, ref)})"


def _cited(t: Therapy, items: list[Cited], refs: bool = True) -> list[str]:
    out = []
    for c in items:
        text = c.what + (f" — {c.detail}" if c.detail else "")
        if refs:
            text += _where(t, c.source, c.ref)
        out.append(text)
    return out


def _monitor_line(t: Therapy, m: Monitor) -> str:
    parts = [m.what]
    when = []
    if m.at:
        when.append("at " + ", ".join(describe_span(s) for s in m.at) + " after the first dose")
    if m.every is not None:
        start = f", starting {describe_span(m.first)} after the first dose" if m.first else ""
        if m.after_last_dose:
            start = " after the last dose"
        when.append(f"every {describe_span(m.every)}{start}")
    if m.before_each_dose:
        when.append("before each dose")
    if m.until is not None:
        when.append(f"until {describe_span(m.until)} after the last dose")
    if when:
        parts.append("; ".join(when))
    text = ": ".join(parts)
    if m.detail:
        text += f" — {m.detail}"
    return text + _where(t, m.source, m.ref)


def info_doc(t: Therapy, catalogue: Catalogue) -> Doc:
    doc: Doc = [Heading(f"{t.brand} ({t.generic})")]
    if catalogue.is_local(t):
        doc.append(
            Para("This is a local therapy file from your own config folder.", tone="note", label="Local")
        )
    if t.label_status is not None:
        ls = t.label_status
        doc.append(
            Para(f"{ls.what} {ls.detail} ({cite(t, ls.source, ls.ref)})", tone="warn", label="Label update")
        )
    doc.append(Para(t.summary))
    doc += [
        Heading("What it is", 2),
        Fields(_what_it_is(t)),
        Heading("Schedule", 2),
        Fields(_schedule_fields(t)),
        Heading("The visit", 2),
        Fields(_visit_fields(t)),
    ]
    if t.premedication:
        doc.append(
            Bullets(
                [
                    f"{p.what}: {p.when}" + (" (can cause drowsiness)" if p.sedating else "")
                    for p in t.premedication
                ]
            )
        )
    _info_sections(doc, t)
    doc.append(Heading("Sources", 2))
    doc.append(
        Bullets(
            [
                f"{s.title}"
                + (f", revised {s.label_revised}" if s.label_revised else "")
                + f" — {s.url} (supports: {s.supports})"
                for s in t.sources
            ]
        )
    )
    doc.append(Para(f"Reviewed {t.reviewed.isoformat()}. {DISCLAIMER}", tone="muted"))
    return doc


def _what_it_is(t: Therapy) -> list[tuple[str, str]]:
    approval = (
        str(t.approval.year)
        if t.approval.year
        else ("approved; the year is not stated" if t.status == "approved" else "not FDA-approved for MS")
    )
    if t.approval.note:
        approval += f" ({t.approval.note})"
    return [
        ("Kind", t.drug_class),
        ("Target", t.target),
        ("Given as", f"{t.route}, {t.setting}"),
        ("Maker", t.maker),
        ("Status", t.status),
        ("Approved for", ", ".join(t.approved_for) or "—"),
        ("FDA approval", approval),
    ]


def _schedule_fields(t: Therapy) -> list[tuple[str, str]]:
    r = t.regimen
    sched: list[tuple[str, str]] = [("How often", how_often(t)), ("Dosing", r.summary)]
    for p in r.phases:
        sched.append((p.name[:1].upper() + p.name[1:], _phase_line(t, p, r.unit)))
    for o in r.options:
        status = "off-label: only if your care team chose it" if o.status == "off-label" else o.status
        sched.append((o.name, f"every {describe_span(o.every)} — {status}. {o.note}"))
    if r.phases:
        sched.append(("Minimum gap", min_gap_text(t) or "not recorded"))
    if r.missed_dose:
        sched.append(("Missed dose", missed_dose_text(t)))
    if r.cap:
        sched.append(("Lifetime limit", r.cap.text))
    if r.note:
        sched.append(("Note", r.note))
    return sched


def _visit_fields(t: Therapy) -> list[tuple[str, str]]:
    visit: list[tuple[str, str]] = [("Time at the clinic", _clinic(t))]
    visit += [_timing_row(t, tm) for tm in t.timing]
    if t.late_reactions is not None:
        lr = t.late_reactions
        visit.append(("After you leave", f"{lr.text} ({cite(t, lr.source, lr.ref)})"))
    return visit


def _timing_row(t: Therapy, tm: Timing) -> tuple[str, str]:
    """'Infusion (first dose, infusions 1–2)' and its minutes, with what comes before and after."""
    label = "Infusion" if t.route == "IV infusion" else "Injection"
    scope = [
        x
        for x in (
            tm.phase and _phase_name(t, tm.phase),
            _dose_range(tm.from_dose, tm.to_dose),
            tm.option if tm.option != "standard" else "",
        )
        if x
    ]
    head = f"{label} ({', '.join(scope)})" if scope else label
    parts = [minutes_text(tm.infusion_minutes, tm.infusion_minutes_max)]
    if tm.premed_minutes:
        parts.append(f"premedication {minutes_text(tm.premed_minutes)} before")
    if tm.observation_minutes:
        parts.append(f"observation {minutes_text(tm.observation_minutes)} after")
    line = ", ".join(parts)
    if tm.covers == "infusion":
        line += " (the infusion itself; the visit is longer)"
    if tm.condition:
        line += f" — {tm.condition}"
    return head, line


def _info_sections(doc: Doc, t: Therapy) -> None:
    """Tests before starting, monitoring, programs, side effects, risks, who should not take it."""
    _section(doc, "Before you start", _cited(t, t.tests_before) + _cited(t, t.vaccines))  # type: ignore[arg-type]
    _section(doc, "Monitoring", [_monitor_line(t, m) for m in t.monitoring])
    if t.programs:
        _section(doc, "Restricted programs", [f"{p.name}: {p.what}" for p in t.programs])
    _section(doc, "Common side effects", _cited(t, t.side_effects, refs=False))
    risks = [
        ("Boxed warning: " if c.boxed else "") + line
        for c, line in zip(t.serious_risks, _cited(t, t.serious_risks), strict=True)
    ]
    _section(doc, "Serious risks", risks)
    _section(doc, "Who should not take it", _cited(t, t.contraindications))
    if t.notes:
        _section(doc, "Notes", _cited(t, t.notes))


def _section(doc: list[Block], title: str, items: list[str]) -> None:
    doc.append(Heading(title, 2))
    doc.append(
        Bullets(items)
        if items
        else Para("None in infuse's data; the label may list some: ask your care team.", tone="muted")
    )


def _phase_name(t: Therapy, pid: str) -> str:
    return next((p.name for p in t.regimen.phases if p.id == pid), pid)


def _dose_range(lo: int | None, hi: int | None) -> str:
    if lo and hi:
        return f"infusion {lo}" if lo == hi else f"infusions {lo}–{hi}"
    if lo:
        return f"infusion {lo} onward"
    if hi:
        return f"first {hi} infusions"
    return ""


def _amount(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _phase_line(t: Therapy, p: Any, unit: str) -> str:
    if p.course_days:
        what = f"{_amount(p.amount)} {unit} on {p.course_days} consecutive days"
    else:
        doses = [
            f"{_amount(d.amount)} {unit}" + (f" {describe_span(d.at)} later" if d.at.n else "")
            for d in p.doses
        ]
        what = ", then ".join(doses)
    when = ""
    if p.anchor != "start" or p.after.n:
        ref = {
            "start": "the first dose",
            "phase_start": "the start of the phase before",
            "phase_end": "the end of the phase before",
        }[p.anchor]
        when = f"; {describe_span(p.after)} after {ref}"
    if p.repeat == "every" and p.every is not None:
        when += f"; then every {describe_span(p.every)}"
    elif p.repeat == "as_needed":
        when += "; only if needed"
    ref = _where(t, p.source, p.ref.strip("()"))
    if p.min_interval is not None:
        gap = f"; at least {describe_span(p.min_interval)} apart"
        if p.min_interval_source:
            return f"{what}{when}{ref}{gap} ({gap_cite(t, p)})"
        when += gap
    return what + when + ref


def compare_doc(c: Comparison) -> Doc:
    names = [t.brand for t in c.therapies]
    rows: list[list[str]] = []
    groups: dict[int, str] = {}
    for g in c.groups:
        groups[len(rows)] = g.title
        for row in g.rows:
            rows.append([row.label, *(_shown(v, row.none_means) for v in row.values)])
    doc: Doc = [Heading("Compare: " + " · ".join(names))]
    doc.append(Table(["", *names], rows, groups=groups, first_is_label=True))
    doc.append(
        Para("Figures per year assume every dose on time from the same start. " + DISCLAIMER, tone="muted")
    )
    return doc


def _shown(value: object, none_means: str) -> str:
    if value is None:
        return none_means
    if isinstance(value, float):
        return f"{value:.0f}"
    return str(value)


def compare_json(c: Comparison) -> dict[str, Any]:
    """Values as they are: numbers for figures, null where there is nothing to say (with
    ``none_means`` saying what a person would read there: "—" or "as needed")."""
    ids = [t.id for t in c.therapies]
    return {
        "schema": SCHEMA,
        "therapies": ids,
        "groups": [
            {
                "id": g.id,
                "title": g.title,
                "rows": [
                    {
                        "label": r.label,
                        "values": dict(zip(ids, r.values, strict=True)),
                        "none_means": r.none_means,
                    }
                    for r in g.rows
                ],
            }
            for g in c.groups
        ],
    }
