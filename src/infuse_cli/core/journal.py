"""The journal as one timeline, and how reactions changed from infusion to infusion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

import msgspec

from infuse_cli.core.records import InfusionEntry, Reaction, Relapse, Symptom, TestResult

Kind = Literal["infusion", "reaction", "result", "symptom", "relapse"]
Entry = InfusionEntry | Reaction | TestResult | Symptom | Relapse
Change = Literal["first", "milder", "stronger", "same", "none recorded"]


class Step(msgspec.Struct, frozen=True, kw_only=True):
    """One infusion and the worst reaction after it."""

    drug: str
    date: dt.date
    worst: int | None  # None: no reaction recorded
    symptoms: list[str]
    change: Change


class Timeline(msgspec.Struct, frozen=True, kw_only=True):
    items: list[tuple[dt.date, Kind, Entry]]
    trends: dict[str, list[Step]]
    total: int = 0  # entries in the whole timeline (items may hold only the latest)


_ORDER: dict[str, int] = {"infusion": 0, "reaction": 1, "result": 2, "symptom": 3, "relapse": 4}


def timeline(
    entries: Sequence[InfusionEntry],
    reactions: Sequence[Reaction],
    keep: int = 0,
    between: Sequence[TestResult | Symptom | Relapse] = (),
) -> Timeline:
    """Infusions, reactions and (``between``) test results, symptoms and relapses in date
    order; per therapy, each infusion's worst reaction (those recorded against it) and
    whether it was milder or stronger than the one before. ``keep``: only the latest so
    many entries (0: all); the changes still count every infusion before them."""
    items: list[tuple[dt.date, Kind, Entry]]
    items = [(e.date, "infusion", e) for e in entries]
    items += [(r.date, "reaction", r) for r in reactions]
    items += [(x.date, _kind(x), x) for x in between]
    items.sort(key=lambda x: (x[0], _ORDER[x[1]]))
    total = len(items)
    if keep:
        items = items[-keep:]
    per_drug: dict[str, int] = {}
    for e in entries:
        per_drug[e.drug] = per_drug.get(e.drug, 0) + 1
    seen: dict[str, int] = {}
    by_infusion: dict[int, list[Reaction]] = {}
    for r in reactions:
        if r.infusion_id is not None:
            by_infusion.setdefault(r.infusion_id, []).append(r)
    trends: dict[str, list[Step]] = {}
    last_worst: dict[str, int] = {}  # per therapy: the latest infusion's worst reaction
    for e in sorted(entries, key=lambda x: x.date):
        found = by_infusion.get(e.id, [])
        worst = max((r.severity for r in found), default=None)
        steps = trends.setdefault(e.drug, [])
        before = last_worst.get(e.drug)
        if worst is not None:
            last_worst[e.drug] = worst
        seen[e.drug] = seen.get(e.drug, 0) + 1
        if keep and per_drug[e.drug] - seen[e.drug] >= keep:
            continue  # older than the latest ``keep``: counted, not kept
        if worst is None:
            change: Change = "none recorded"
        elif before is None:
            change = "first"
        else:
            change = "milder" if worst < before else "stronger" if worst > before else "same"
        steps.append(
            Step(
                drug=e.drug,
                date=e.date,
                worst=worst,
                symptoms=sorted({r.symptom for r in found}),
                change=change,
            )
        )
    return Timeline(items=items, trends=trends, total=total)


def _kind(x: TestResult | Symptom | Relapse) -> Kind:
    return "result" if isinstance(x, TestResult) else "symptom" if isinstance(x, Symptom) else "relapse"
