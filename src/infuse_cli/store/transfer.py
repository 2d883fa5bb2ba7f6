"""Export and import of the whole journal (all or nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from infuse_cli.core.records import (
    Export,
    ExportInfusion,
    ExportQuestion,
    ExportReaction,
    ExportRelapse,
    ExportResult,
    ExportSymptom,
    InfusionEntry,
    Reaction,
    Relapse,
    Symptom,
    TestResult,
)
from infuse_cli.store import between
from infuse_cli.store.connection import JournalError
from infuse_cli.store.queries import (
    add_infusion,
    add_question,
    add_reaction,
    infusions,
    mark_asked,
    reactions,
    user_questions,
)

if TYPE_CHECKING:
    import sqlite3  # imported where it is used: a command with no journal to open skips it

FORMAT = "infuse-journal"
SCHEMA = 4  # 2: each record carries its identity (id); 3: results, symptoms and relapses;
# 4: appointments, coverage and the person's own reminders


def export(conn: sqlite3.Connection | None) -> Export:
    entries = infusions(conn)
    by_id = {e.id: e for e in entries}
    out_inf = [
        ExportInfusion(
            id=e.uid,
            drug=e.drug,
            date=e.date,
            dose=e.dose,
            site=e.site,
            start_time=e.start_time,
            duration_min=e.duration_min,
            note=e.note,
            first=e.first,
        )
        for e in entries
    ]
    out_re = []
    for r in reactions(conn):
        linked = by_id.get(r.infusion_id) if r.infusion_id is not None else None
        out_re.append(
            ExportReaction(
                id=r.uid,
                date=r.date,
                symptom=r.symptom,
                severity=r.severity,
                hours_after=r.hours_after,
                note=r.note,
                infusion=(linked.drug, linked.date) if linked else None,
            )
        )
    out_q = [
        ExportQuestion(id=q.uid, text=q.text, drug=q.drug, added=q.added, asked=q.asked, answer=q.answer)
        for q in user_questions(conn)
    ]
    by_uid = {e.uid: e for e in entries}
    return Export(
        schema=SCHEMA,
        format=FORMAT,
        infusions=out_inf,
        reactions=out_re,
        questions=out_q,
        results=[
            ExportResult(
                id=r.uid, test=r.test, date=r.date, value=r.value, unit=r.unit, status=r.status, note=r.note
            )
            for r in between.results(conn)
        ],
        symptoms=[
            ExportSymptom(id=x.uid, name=x.name, date=x.date, severity=x.severity, note=x.note)
            for x in between.symptoms(conn)
        ],
        relapses=[
            ExportRelapse(
                id=x.uid,
                date=x.date,
                note=x.note,
                steroid=(by_uid[x.steroid].drug, by_uid[x.steroid].date) if x.steroid in by_uid else None,
            )
            for x in between.relapses(conn)
        ],
        **_plans_out(conn),
    )


def _plans_out(conn: sqlite3.Connection | None) -> dict[str, Any]:
    """Bookings (past ones too), coverage and own reminders, as the export writes them."""
    from infuse_cli.core.records import ExportAppointment, ExportCoverage, ExportReminder
    from infuse_cli.store import plans

    def out(kind: type, record: Any) -> Any:
        fields = msgspec.structs.asdict(record)
        fields["id"] = fields.pop("uid")
        return kind(**fields)

    return {
        "appointments": [out(ExportAppointment, a) for a in plans.appointments(conn)],
        "coverage": [out(ExportCoverage, c) for c in plans.coverage(conn)],
        "reminders": [out(ExportReminder, r) for r in plans.reminders(conn)],
    }


def _known_uids(conn: sqlite3.Connection, table: str) -> set[str]:
    """Every identity in ``table``, removed records too (a removed entry is not brought back)."""
    return {r[0] for r in conn.execute(f"SELECT uid FROM {table} WHERE uid IS NOT NULL")}


def import_all(conn: sqlite3.Connection, data: Export) -> Imported:
    """Add what is not there yet; return (infusions, reactions, questions) added.

    A record is "already there" when the journal has its identity (even if it was edited
    or removed since). A record without one (an export from before identities), or with
    one the journal has never seen, is matched by content against the journal's records
    that the file does not name, each claimed once: so two entries that look alike stay
    two, and the same history kept on two machines is not doubled. Infusions are also
    one a day per therapy: the same day with other details is refused."""
    infusions = _import_infusions(conn, data)
    reactions_added, unlinked = _import_reactions(conn, data)
    questions = _import_questions(conn, data)
    return Imported(infusions, reactions_added, questions, unlinked, *_import_between(conn, data))


class Imported(msgspec.Struct, frozen=True):
    """What an import added, and how many reactions named an infusion neither the file nor
    the journal has (they are kept, without that link)."""

    infusions: int
    reactions: int
    questions: int
    unlinked: int = 0
    results: int = 0
    symptoms: int = 0
    relapses: int = 0
    appointments: int = 0
    coverage: int = 0
    reminders: int = 0


def _import_infusions(conn: sqlite3.Connection, data: Export) -> int:
    added = 0
    known = _known_uids(conn, "infusions")
    for e in data.infusions:
        if e.id and e.id in known:
            continue
        row = conn.execute(
            "SELECT dose, site, start_time, duration_min, note, first FROM infusions"
            " WHERE drug = ? AND date = ? AND deleted IS NULL",
            (e.drug, e.date.isoformat()),
        ).fetchone()
        if row is None:
            fields = msgspec.structs.asdict(e)
            fields.pop("id")
            add_infusion(conn, InfusionEntry(id=0, uid=e.id, **fields))
            known.add(e.id)
            added += 1
        elif tuple(row) != (e.dose, e.site, e.start_time, e.duration_min, e.note, int(e.first)):
            # The same day with other details is not "already there": refuse it all.
            raise JournalError(
                f"The file has a {e.drug} infusion on {e.date.isoformat()} that differs from the one"
                " in the journal; nothing was imported. Edit one of them first (infuse log edit)."
            )
    return added


def _import_reactions(conn: sqlite3.Connection, data: Export) -> tuple[int, int]:
    from collections import Counter

    added = unlinked = 0
    named = {r.id for r in data.reactions if r.id}
    known = _known_uids(conn, "reactions")
    unclaimed = Counter(
        (r.date, r.symptom, r.severity, r.hours_after, r.note) for r in reactions(conn) if r.uid not in named
    )
    for r in data.reactions:
        if r.id and r.id in known:
            continue
        key = (r.date, r.symptom, r.severity, r.hours_after, r.note)
        if unclaimed[key] > 0:
            unclaimed[key] -= 1  # this one is already there
            continue
        link = None
        if r.infusion is not None:
            row = conn.execute(
                "SELECT id FROM infusions WHERE drug = ? AND date = ? AND deleted IS NULL",
                (r.infusion[0], r.infusion[1].isoformat()),
            ).fetchone()
            link = row[0] if row else None
            unlinked += link is None
        fields = msgspec.structs.asdict(r)
        for name in ("id", "infusion"):
            fields.pop(name)
        add_reaction(conn, Reaction(id=0, infusion_id=link, uid=r.id, **fields))
        known.add(r.id)
        added += 1
    return added, unlinked


def _import_questions(conn: sqlite3.Connection, data: Export) -> int:
    from collections import Counter

    added = 0
    named = {q.id for q in data.questions if q.id}
    known = _known_uids(conn, "questions")
    have = Counter((q.text, q.drug) for q in user_questions(conn) if q.uid not in named)
    for q in data.questions:
        if q.id and q.id in known:
            continue
        if have[(q.text, q.drug)] > 0:
            have[(q.text, q.drug)] -= 1
            continue
        number = add_question(conn, q.text, q.drug, q.added, uid=q.id)
        known.add(q.id)
        if q.asked is not None:
            mark_asked(conn, number, q.asked, q.answer)
        added += 1
    return added


def _import_between(conn: sqlite3.Connection, data: Export) -> tuple[int, int, int, int, int, int]:
    """Results, symptoms and relapses: each added unless its identity (or, without one, an
    equal record the file does not name) is already in the journal."""
    from collections import Counter

    def fresh(table: str, items: list[Any], key: Any, have: list[Any]) -> list[Any]:
        named = {x.id for x in items if x.id}
        known = _known_uids(conn, table)
        unclaimed = Counter(key(x) for x in have if x.uid not in named)
        out = []
        for x in items:
            if x.id and x.id in known:
                continue
            if unclaimed[key(x)] > 0:
                unclaimed[key(x)] -= 1
                continue
            known.add(x.id)
            out.append(x)
        return out

    new_results = fresh(
        "results",
        data.results,
        lambda r: (r.test, r.date, r.value, r.unit, r.status, r.note),
        between.results(conn),
    )
    for r in new_results:
        between.add_result(conn, TestResult(id=0, uid=r.id, **_fields(r)))
    new_symptoms = fresh(
        "symptoms", data.symptoms, lambda x: (x.name, x.date, x.severity, x.note), between.symptoms(conn)
    )
    for x in new_symptoms:
        between.add_symptom(conn, Symptom(id=0, uid=x.id, **_fields(x)))
    new_relapses = fresh("relapses", data.relapses, lambda x: (x.date, x.note), between.relapses(conn))
    for x in new_relapses:
        steroid = ""
        if x.steroid is not None:
            row = conn.execute(
                "SELECT uid FROM infusions WHERE drug = ? AND date = ? AND deleted IS NULL",
                (x.steroid[0], x.steroid[1].isoformat()),
            ).fetchone()
            steroid = row[0] if row else ""
        between.add_relapse(conn, Relapse(id=0, uid=x.id, date=x.date, note=x.note, steroid=steroid))
    return len(new_results), len(new_symptoms), len(new_relapses), *_import_plans(conn, data, fresh)


def _import_plans(conn: sqlite3.Connection, data: Export, fresh: Any) -> tuple[int, int, int]:
    from infuse_cli.core.records import Appointment, Coverage, Reminder
    from infuse_cli.store import plans

    new_a = fresh("appointments", data.appointments, _same, plans.appointments(conn))
    for a in new_a:
        plans.add_appointment(conn, Appointment(id=0, uid=a.id, **_fields(a)))
    new_c = fresh("coverage", data.coverage, _same, plans.coverage(conn))
    for c in new_c:
        plans.add_coverage(conn, Coverage(id=0, uid=c.id, **_fields(c)))
    new_r = fresh("reminders", data.reminders, _same, plans.reminders(conn))
    for r in new_r:
        plans.add_reminder(conn, Reminder(id=0, uid=r.id, **_fields(r)))
    return len(new_a), len(new_c), len(new_r)


def _same(record: Any) -> tuple[Any, ...]:
    """What makes two records the same, whatever their identities."""
    fields = msgspec.structs.asdict(record)
    for name in ("id", "uid"):
        fields.pop(name, None)
    return tuple(fields.values())


def _fields(record: Any) -> dict[str, Any]:
    fields = msgspec.structs.asdict(record)
    fields.pop("id")
    return fields
