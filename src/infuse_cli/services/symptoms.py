"""Symptoms and relapses between infusions: recording them, listing them, and symptoms lined
up by dose cycle (``infuse cycle``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import msgspec

from infuse_cli.core.errors import InfuseError, shown

if TYPE_CHECKING:
    from infuse_cli.core.cycle import Lined
    from infuse_cli.core.records import InfusionEntry, Relapse, Symptom
    from infuse_cli.core.schema import Therapy
    from infuse_cli.services.plan import Choice
    from infuse_cli.store import Connection

LINK_DAYS = 30  # a steroid course this many days after a relapse, or fewer, is linked to it


def _parse(text: str, today: dt.date) -> dt.date:
    """A day typed by the person, read in the date order of their settings."""
    from infuse_cli import config
    from infuse_cli.context import profile
    from infuse_cli.core.dates import parse_date

    return parse_date(text, today, config.load(profile()).date_order or None)


def day(text: str, today: dt.date, what: str) -> dt.date:
    """A day typed by the person: not in the future."""
    found = _parse(text, today)
    if found > today:
        raise InfuseError(f"{found.isoformat()} is in the future; record {what} once it has happened.")
    return found


def symptom_name(text: str) -> str:
    """A symptom's name as it is kept: trimmed, never empty."""
    name = text.strip()
    if not name:
        raise InfuseError("The symptom needs a name, e.g. infuse symptom add fatigue --severity 6.")
    return name


def add_symptom(name: str, severity: int, date: str, note: str, today: dt.date) -> Symptom:
    """Check everything, then write one entry (nothing is written on any fault)."""
    from infuse_cli import store
    from infuse_cli.context import profile
    from infuse_cli.core.records import Symptom

    name = symptom_name(name)
    if not 0 <= severity <= 10:
        raise InfuseError(f"The severity is {severity}; give a number from 0 (none) to 10 (the worst).")
    when = day(date, today, "a symptom")
    entry = Symptom(id=0, name=name, date=when, severity=severity, note=note, uid=store.new_uid())
    with store.writing(profile()) as conn:
        number = store.add_symptom(conn, entry)
    return msgspec.structs.replace(entry, id=number)


def symptoms(name: str | None, since: str | None, today: dt.date) -> list[Symptom]:
    """Symptom entries (of ``name``, in any case), oldest first."""
    from infuse_cli import store
    from infuse_cli.context import profile
    from infuse_cli.core.cycle import key

    start = _parse(since, today) if since is not None else None
    wanted = key(symptom_name(name)) if name is not None else None
    with store.reading(profile()) as conn:
        found = store.symptoms(conn, start)
    return [s for s in found if wanted is None or key(s.name) == wanted]


def symptom(symptom_id: int) -> Symptom:
    from infuse_cli import store
    from infuse_cli.context import profile

    with store.reading(profile()) as conn:
        return store.get_symptom(conn, symptom_id)


def remove_symptom(symptom_id: int) -> Symptom:
    from infuse_cli import store
    from infuse_cli.context import profile

    with store.writing(profile()) as conn:
        return store.remove_symptom(conn, symptom_id)


# ---------------------------------------------------------------- relapses


class Linked(msgspec.Struct, frozen=True):
    """A relapse and the steroid course logged for it (None: none); ``automatic``: infuse
    found the course itself (the only one logged in the 30 days after)."""

    relapse: Relapse
    course: InfusionEntry | None = None
    automatic: bool = False


def steroids() -> dict[str, Therapy]:
    """The therapies given for a relapse, when the care team decides (IV methylprednisolone):
    the catalogue's on-demand therapies."""
    from infuse_cli.context import catalogue

    return {t.id: t for t in catalogue() if t.regimen.shape == "on_demand"}


def _courses(entries: list[InfusionEntry]) -> list[InfusionEntry]:
    """The first entry of each course: entries on consecutive days are one course."""
    firsts: list[InfusionEntry] = []
    previous: dt.date | None = None
    for e in sorted(entries, key=lambda e: (e.date, e.id)):
        if previous is None or (e.date - previous).days > 1:
            firsts.append(e)
        previous = e.date
    return firsts


def _steroid_on(conn: Connection | None, when: dt.date, relapse: dt.date) -> InfusionEntry:
    from infuse_cli import store

    if when < relapse:
        raise InfuseError(
            f"The steroid course on {when.isoformat()} is before the relapse on {relapse.isoformat()};"
            " give the day the relapse began, or leave out --steroid."
        )
    kinds = steroids()
    found = [e for e in store.infusions(conn, since=when) if e.date == when and e.drug in kinds]
    if not found:
        brands = " or ".join(sorted(t.brand for t in kinds.values()))
        raise InfuseError(
            f"No {brands} infusion is logged on {when.isoformat()}; log it first"
            f" (infuse log add {min(kinds)} --date {when.isoformat()}) or leave out --steroid."
        )
    return found[0]


def add_relapse(date: str, note: str, steroid: str | None, today: dt.date) -> Linked:
    """Record a relapse, linked to the steroid course logged on ``steroid``'s day; without it,
    to the only course logged in the 30 days after the relapse, if there is exactly one."""
    from infuse_cli import store
    from infuse_cli.context import profile
    from infuse_cli.core.records import Relapse

    began = day(date, today, "a relapse")
    when = _parse(steroid, today) if steroid is not None else None
    with store.writing(profile()) as conn:
        if when is not None:
            course: InfusionEntry | None = _steroid_on(conn, when, began)
        else:
            kinds = steroids()
            near = [
                e
                for e in store.infusions(conn, since=began)
                if e.drug in kinds and (e.date - began).days <= LINK_DAYS
            ]
            firsts = _courses(near)
            course = firsts[0] if len(firsts) == 1 else None
        same = [x for x in store.relapses(conn, began) if x.date == began]
        if same:
            raise InfuseError(
                f"A relapse is already recorded on {began.isoformat()} (number {same[0].id}); nothing was"
                " added. To change it: infuse relapse rm ID, then add it again."
            )
        link = course.uid if course is not None else ""
        r = Relapse(id=0, date=began, note=note, steroid=link, uid=store.new_uid())
        number = store.add_relapse(conn, r)
    return Linked(
        msgspec.structs.replace(r, id=number), course, automatic=when is None and course is not None
    )


def relapses(since: str | None, today: dt.date) -> list[Linked]:
    """Relapses, oldest first, each with the steroid course logged for it."""
    from infuse_cli import store
    from infuse_cli.context import profile

    start = _parse(since, today) if since is not None else None
    with store.reading(profile()) as conn:
        found = store.relapses(conn, start)
        by_uid = {e.uid: e for e in store.infusions(conn)} if any(r.steroid for r in found) else {}
    return [Linked(r, by_uid.get(r.steroid)) for r in found]


def relapse(relapse_id: int) -> Relapse:
    from infuse_cli import store
    from infuse_cli.context import profile

    with store.reading(profile()) as conn:
        return store.get_relapse(conn, relapse_id)


def remove_relapse(relapse_id: int) -> Relapse:
    from infuse_cli import store
    from infuse_cli.context import profile

    with store.writing(profile()) as conn:
        return store.remove_relapse(conn, relapse_id)


# ---------------------------------------------------------------- cycles


class Cycles(msgspec.Struct, frozen=True):
    choice: Choice  # the therapy, and how it was chosen
    symptom: str | None  # as asked (--symptom), else None
    lined: Lined
    today: dt.date

    @property
    def shown(self) -> str | None:
        """The symptom the picture and the sentence are about: the strongest pattern's."""
        return self.lined.counts[0].name if self.lined.counts else None


def _cycle_therapy(drug: str | None) -> Choice:
    """--drug, else the setting, else the journal's latest therapy given on a schedule (a
    steroid course for a relapse has no cycle of its own)."""
    from infuse_cli.services.plan import choose_therapy

    return choose_therapy(drug, "cycle")


def cycles(drug: str | None, symptom: str | None, today: dt.date) -> Cycles:
    """Symptom entries lined up by the cycles of the chosen therapy's recorded doses."""
    from infuse_cli import store
    from infuse_cli.context import catalogue, profile
    from infuse_cli.core.cycle import line_up

    wanted = symptom_name(symptom) if symptom is not None else None
    with store.reading(profile()) as conn:
        if not store.count_infusions(conn):
            raise InfuseError(
                "No infusions are recorded in the journal, so there are no cycles to line up;"
                " record them first: infuse log add THERAPY --date DATE."
            )
        choice = _cycle_therapy(drug)
        therapy = choice.therapy
        # A course on consecutive days (Lemtrada's) is one dose: its first day starts a cycle.
        doses = [e.date for e in _courses(store.infusions(conn, therapy.id))]
        entries = store.symptoms(conn)
        recorded = store.journal_drugs(conn)
    if not doses:
        known = catalogue().therapies
        given = ", ".join(known[d].brand if d in known else shown(d) for d in recorded)
        raise InfuseError(
            f"No {therapy.brand} infusion is recorded in the journal (it records {given});"
            " name one of those with --drug."
        )
    return Cycles(choice, wanted, line_up(doses, entries, today, wanted), today)
