"""Symptoms lined up by dose cycle: each entry placed in the interval between two doses,
with the days since the dose before and the days until the dose after, and the counts that
show a wearing-off pattern (how many cycles reach a severity in the days before a dose).

Pure: it takes dates and records and returns records. It counts; it interprets nothing."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence

import msgspec

from infuse_cli.core.records import Symptom

THRESHOLD = 6  # a severity of this or more is counted
WINDOW = 7  # the days before a dose that are counted apart from the rest
LAST = 10  # counts cover at most this many of the latest complete cycles
TOP = 3  # without a symptom named, the most frequent this many are counted


def key(name: str) -> str:
    """How symptom names compare: trimmed, any case."""
    return name.strip().casefold()


class Placed(msgspec.Struct, frozen=True, kw_only=True):
    """A symptom entry within its cycle."""

    id: int
    date: dt.date
    name: str
    severity: int
    days_since: int  # since the dose that opened the cycle (0: the day of the dose)
    days_before: int | None  # until the dose that closed it (None: the open cycle)


class Cycle(msgspec.Struct, frozen=True, kw_only=True):
    """From one dose up to (not including) the day of the next; ``end`` None: still open."""

    start: dt.date
    end: dt.date | None
    entries: list[Placed]

    @property
    def days(self) -> int | None:
        return (self.end - self.start).days if self.end is not None else None


class Count(msgspec.Struct, frozen=True, kw_only=True):
    """Of the latest ``cycles`` complete cycles: how many had an entry of ``name`` at
    ``threshold`` or more within ``window`` days before the dose (``near``), and how many
    had one on the other days of the cycle (``other``)."""

    name: str
    entries: int  # entries of this symptom in all cycles
    cycles: int
    near: int
    other: int
    threshold: int = THRESHOLD
    window: int = WINDOW


class Lined(msgspec.Struct, frozen=True, kw_only=True):
    cycles: list[Cycle]  # oldest first; the last is open
    before: list[Symptom]  # entries before the first dose: in no cycle
    counts: list[Count]  # strongest pattern first
    since_last: int  # days from the last dose to today


def line_up(
    doses: Sequence[dt.date], entries: Sequence[Symptom], today: dt.date, symptom: str | None = None
) -> Lined:
    """Place ``entries`` (of ``symptom`` only, when named) in the cycles the ``doses`` make,
    and count each symptom's pattern (``symptom``, else the ``TOP`` most frequent)."""
    days = sorted(set(doses))
    if not days:
        raise ValueError("line_up needs at least one dose")
    wanted = sorted(
        (e for e in entries if symptom is None or key(e.name) == key(symptom)), key=lambda e: (e.date, e.id)
    )
    placed: list[list[Placed]] = [[] for _ in days]
    before: list[Symptom] = []
    for e in wanted:
        i = bisect_right(days, e.date) - 1
        if i < 0:
            before.append(e)
            continue
        end = days[i + 1] if i + 1 < len(days) else None
        placed[i].append(
            Placed(
                id=e.id,
                date=e.date,
                name=e.name,
                severity=e.severity,
                days_since=(e.date - days[i]).days,
                days_before=(end - e.date).days if end is not None else None,
            )
        )
    cycles = [
        Cycle(start=d, end=days[i + 1] if i + 1 < len(days) else None, entries=placed[i])
        for i, d in enumerate(days)
    ]
    names = _frequent(wanted, 1 if symptom is not None else TOP)
    counts = sorted((count(cycles, n) for n in names), key=_strength, reverse=True)
    return Lined(cycles=cycles, before=before, counts=counts, since_last=(today - days[-1]).days)


def _frequent(entries: Sequence[Symptom], top: int) -> list[str]:
    """The ``top`` most frequent symptoms (ties: the most recent first), each by its latest
    spelling."""
    seen: dict[str, tuple[int, dt.date, str]] = {}
    for e in entries:
        n, _, _ = seen.get(key(e.name), (0, e.date, e.name))
        seen[key(e.name)] = (n + 1, e.date, e.name.strip())
    ranked = sorted(seen.values(), key=lambda v: (v[0], v[1]), reverse=True)
    return [name for _, _, name in ranked[:top]]


def count(
    cycles: Sequence[Cycle],
    name: str,
    threshold: int = THRESHOLD,
    window: int = WINDOW,
    last: int = LAST,
) -> Count:
    closed = [c for c in cycles if c.end is not None][-last:]
    mine = [[e for e in c.entries if key(e.name) == key(name)] for c in closed]
    high = [[e for e in es if e.severity >= threshold] for es in mine]
    return Count(
        name=name,
        entries=sum(1 for c in cycles for e in c.entries if key(e.name) == key(name)),
        cycles=len(closed),
        near=sum(1 for es in high if any(_near(e, window) for e in es)),
        other=sum(1 for es in high if any(not _near(e, window) for e in es)),
        threshold=threshold,
        window=window,
    )


def _near(e: Placed, window: int) -> bool:
    return e.days_before is not None and e.days_before <= window


def _strength(c: Count) -> tuple[int, int, int]:
    return (c.near - c.other, c.near, c.entries)


def highest_by_day(c: Cycle, name: str, days: int) -> tuple[list[int | None], int | None]:
    """The highest severity of ``name`` on each of the ``days`` days before the dose that
    closes ``c`` (the first item ``days`` before it, the last the day before), and the highest
    earlier in the cycle."""
    cells: list[int | None] = [None] * days
    earlier: int | None = None
    for e in c.entries:
        if key(e.name) != key(name) or e.days_before is None:
            continue
        if e.days_before > days:
            earlier = e.severity if earlier is None else max(earlier, e.severity)
            continue
        i = days - e.days_before
        here = cells[i]
        cells[i] = e.severity if here is None else max(here, e.severity)
    return cells, earlier
