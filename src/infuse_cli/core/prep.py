"""Visit preparation: checklist items chosen by rules in the data, one selector for all.

A rule says when an item applies (a first infusion, a sedating premedication,
time in the chair, a multi-day course, a restricted program, a therapy); the
selector checks the facts of the visit against it.  No therapy is named here.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from infuse_cli.core.catalogue import bundled_data_dir, decode, read_toml
from infuse_cli.core.schedule import visits_for
from infuse_cli.core.schema import Therapy

SECTIONS = ("week_before", "day_before", "morning_of", "bring", "during", "after", "next_days")


class When(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """Every condition given must hold; an empty rule always applies."""

    first_infusion: bool | None = None
    chair_hours_at_least: float | None = None
    multi_day_course: bool | None = None
    premed_sedating: bool | None = None
    premed_steroid: bool | None = None
    program: bool | None = None
    route: str | None = None
    drugs: list[str] = []


class Item(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    id: str
    section: str
    text: str
    why: str = ""
    when: When = When()


class Checklist(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    items: list[Item]


class VisitFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What is true of one visit, from the catalogue and the person's history."""

    drug: str
    first_infusion: bool
    chair_hours: float
    multi_day_course: bool
    premed_sedating: bool
    premed_steroid: bool
    program: bool
    route: str


def visit_facts(therapy: Therapy, first_infusion: bool, phase_id: str = "") -> VisitFacts:
    phase = next((p for p in therapy.regimen.phases if p.id == phase_id), None)
    if phase is None and therapy.regimen.phases:
        phase = therapy.regimen.phases[0] if first_infusion else therapy.regimen.phases[-1]
    visits = visits_for(therapy, phase.id if phase else "", 1 if first_infusion else None)
    hours = max((v.high for v in visits), default=0) / 60
    return VisitFacts(
        drug=therapy.id,
        first_infusion=first_infusion,
        chair_hours=hours,
        multi_day_course=any(p.course_days > 1 for p in therapy.regimen.phases),
        premed_sedating=any(p.sedating for p in therapy.premedication),
        premed_steroid=any(p.kind == "steroid" for p in therapy.premedication),
        program=bool(therapy.programs),
        route=therapy.route,
    )


def applies(rule: When, facts: VisitFacts) -> bool:
    checks = (
        (rule.first_infusion, facts.first_infusion),
        (rule.multi_day_course, facts.multi_day_course),
        (rule.premed_sedating, facts.premed_sedating),
        (rule.premed_steroid, facts.premed_steroid),
        (rule.program, facts.program),
    )
    if any(want is not None and want != have for want, have in checks):
        return False
    if rule.chair_hours_at_least is not None and facts.chair_hours < rule.chair_hours_at_least:
        return False
    if rule.route is not None and rule.route != facts.route:
        return False
    return not rule.drugs or facts.drug in rule.drugs


def load_checklist(data_dir: Path | None = None) -> Checklist:
    path = (data_dir or bundled_data_dir()) / "checklists.toml"
    checklist: Checklist = decode(read_toml(path), Checklist, path)
    return checklist


def select(checklist: Checklist, facts: VisitFacts, sections: tuple[str, ...] = SECTIONS) -> list[Item]:
    return [i for i in checklist.items if i.section in sections and applies(i.when, facts)]
