"""The journal's records: infusions, reactions, the person's questions, checklist ticks."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import msgspec

from infuse_cli.core.records import (
    InfusionEntry,
    Reaction,
    UserQuestion,
)
from infuse_cli.store.connection import JournalError, _day, _fits, _now, new_uid

if TYPE_CHECKING:
    import sqlite3  # imported where it is used: a command with no journal to open skips it

_COLUMNS = "id, drug, date, dose, site, start_time, duration_min, note, first, uid"


def _infusion(row: tuple) -> InfusionEntry:  # type: ignore[type-arg]
    return InfusionEntry(
        id=row[0],
        drug=row[1],
        date=_day(row[2]),
        dose=row[3],
        site=row[4],
        start_time=row[5],
        duration_min=row[6],
        note=row[7],
        first=bool(row[8]),
        uid=row[9] or "",
    )


def _values(entry: InfusionEntry) -> tuple[object, ...]:
    """An entry's column values, in the order of the INSERT and UPDATE below."""
    return (
        entry.drug,
        entry.date.isoformat(),
        entry.dose,
        entry.site,
        entry.start_time,
        entry.duration_min,
        entry.note,
        int(entry.first),
    )


def add_infusion(conn: sqlite3.Connection, entry: InfusionEntry) -> int:
    import sqlite3

    _fits(entry.dose, entry.site, entry.start_time, note=entry.note)
    try:
        cur = conn.execute(
            "INSERT INTO infusions (drug, date, dose, site, start_time, duration_min, note, first,"
            " created, uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*_values(entry), _now(), entry.uid or new_uid()),
        )
    except sqlite3.IntegrityError:
        raise JournalError(
            f"An infusion of {entry.drug} on {entry.date.isoformat()} is already in the journal;"
            " nothing was added."
        ) from None
    assert cur.lastrowid is not None
    return cur.lastrowid


def infusions(
    conn: sqlite3.Connection | None,
    drug: str | None = None,
    since: dt.date | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[InfusionEntry]:
    if conn is None:
        return []
    sql = f"SELECT {_COLUMNS} FROM infusions WHERE deleted IS NULL"
    args: list[object] = []
    if drug:
        sql += " AND drug = ?"
        args.append(drug)
    if since:
        sql += " AND date >= ?"
        args.append(since.isoformat())
    sql += " ORDER BY date DESC, id DESC" if newest_first else " ORDER BY date, id"
    if limit:
        sql += " LIMIT ?"
        args.append(limit)
    return [_infusion(r) for r in conn.execute(sql, args)]


def get_infusion(conn: sqlite3.Connection | None, entry_id: int) -> InfusionEntry:
    row = (
        None
        if conn is None
        else conn.execute(
            f"SELECT {_COLUMNS} FROM infusions WHERE id = ? AND deleted IS NULL", (entry_id,)
        ).fetchone()
    )
    if row is None:
        raise JournalError(f"There is no infusion number {entry_id} in the journal.")
    return _infusion(row)


def update_infusion(conn: sqlite3.Connection, entry: InfusionEntry) -> None:
    import sqlite3

    _fits(entry.dose, entry.site, entry.start_time, note=entry.note)
    try:
        conn.execute(
            "UPDATE infusions SET drug = ?, date = ?, dose = ?, site = ?, start_time = ?,"
            " duration_min = ?, note = ?, first = ? WHERE id = ? AND deleted IS NULL",
            (*_values(entry), entry.id),
        )
    except sqlite3.IntegrityError:
        raise JournalError(
            f"Another infusion of {entry.drug} on {entry.date.isoformat()} is already in the"
            " journal; nothing was changed."
        ) from None


def remove_infusion(conn: sqlite3.Connection, entry_id: int) -> None:
    conn.execute("UPDATE infusions SET deleted = ? WHERE id = ?", (_now(), entry_id))


def undo_remove(conn: sqlite3.Connection) -> InfusionEntry:
    import sqlite3

    row = conn.execute(
        f"SELECT {_COLUMNS} FROM infusions WHERE deleted IS NOT NULL ORDER BY deleted DESC, id DESC"
    ).fetchone()
    if row is None:
        raise JournalError("There is no removed infusion to bring back.")
    entry = _infusion(row)
    try:
        conn.execute("UPDATE infusions SET deleted = NULL WHERE id = ?", (entry.id,))
    except sqlite3.IntegrityError:
        raise JournalError(
            f"Infusion {entry.id} cannot come back: another infusion of {entry.drug} on"
            f" {entry.date.isoformat()} is in the journal now."
        ) from None
    return entry


def history_since_first(conn: sqlite3.Connection | None, drug: str, cap: int = 1000) -> list[InfusionEntry]:
    """The entries of ``drug`` from its latest marked first infusion on (empty if none is
    marked, or if there are more than ``cap``: phases are then not worked out)."""
    if conn is None:
        return []
    row = conn.execute(
        "SELECT max(date) FROM infusions WHERE drug = ? AND first = 1 AND deleted IS NULL", (drug,)
    ).fetchone()
    if row is None or row[0] is None:
        return []
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM infusions WHERE drug = ? AND date >= ? AND deleted IS NULL"
        " ORDER BY date, id LIMIT ?",
        (drug, row[0], cap + 1),
    ).fetchall()
    return [] if len(rows) > cap else [_infusion(r) for r in rows]


def first_mark(conn: sqlite3.Connection | None, drug: str) -> dt.date | None:
    """The latest entry of ``drug`` marked as the first infusion of a treatment."""
    if conn is None:
        return None
    row = conn.execute(
        "SELECT max(date) FROM infusions WHERE drug = ? AND first = 1 AND deleted IS NULL", (drug,)
    ).fetchone()
    return _day(row[0]) if row and row[0] else None


def edge(conn: sqlite3.Connection | None, drug: str, newest: bool) -> InfusionEntry | None:
    """The oldest (or newest) entry of ``drug``."""
    if conn is None:
        return None
    order = "DESC" if newest else "ASC"
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM infusions WHERE drug = ? AND deleted IS NULL"
        f" ORDER BY date {order}, id {order} LIMIT 1",
        (drug,),
    ).fetchone()
    return _infusion(row) if row else None


def before(conn: sqlite3.Connection | None, drug: str, day: dt.date) -> InfusionEntry | None:
    """The entry of ``drug`` just before ``day``."""
    if conn is None:
        return None
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM infusions WHERE drug = ? AND date < ? AND deleted IS NULL"
        " ORDER BY date DESC, id DESC LIMIT 1",
        (drug, day.isoformat()),
    ).fetchone()
    return _infusion(row) if row else None


def latest(conn: sqlite3.Connection | None, drug: str) -> tuple[int, dt.date | None]:
    """How many entries ``drug`` has, and the newest date."""
    if conn is None:
        return 0, None
    count, newest = conn.execute(
        "SELECT count(*), max(date) FROM infusions WHERE drug = ? AND deleted IS NULL", (drug,)
    ).fetchone()
    return int(count), _day(newest) if newest else None


def journal_drugs(conn: sqlite3.Connection | None) -> list[str]:
    """Every therapy the journal records, the most recently given first."""
    if conn is None:
        return []
    # Each therapy's newest entry, read backwards along the (drug, date) index: a long
    # journal is not read whole.
    rows = conn.execute(
        "SELECT drug, (SELECT date FROM infusions AS i WHERE i.drug = d.drug AND deleted IS NULL"
        " ORDER BY date DESC LIMIT 1) AS newest FROM (SELECT DISTINCT drug FROM infusions) AS d"
        " WHERE newest IS NOT NULL ORDER BY newest DESC, drug"
    )
    return [r[0] for r in rows]


def count_infusions(conn: sqlite3.Connection | None) -> int:
    if conn is None:
        return 0
    return int(conn.execute("SELECT count(*) FROM infusions WHERE deleted IS NULL").fetchone()[0])


# ---------------------------------------------------------------- reactions


def add_reaction(conn: sqlite3.Connection, r: Reaction) -> int:
    _fits(r.symptom, note=r.note)
    cur = conn.execute(
        "INSERT INTO reactions (infusion_id, date, symptom, severity, hours_after, note, created, uid)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            r.infusion_id,
            r.date.isoformat(),
            r.symptom,
            r.severity,
            r.hours_after,
            r.note,
            _now(),
            r.uid or new_uid(),
        ),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def reactions(conn: sqlite3.Connection | None) -> list[Reaction]:
    if conn is None:
        return []
    rows = conn.execute(
        "SELECT id, infusion_id, date, symptom, severity, hours_after, note, uid FROM reactions"
        " WHERE deleted IS NULL ORDER BY date, id"
    )
    return [
        Reaction(
            id=r[0],
            infusion_id=r[1],
            date=_day(r[2]),
            symptom=r[3],
            severity=r[4],
            hours_after=r[5],
            note=r[6],
            uid=r[7] or "",
        )
        for r in rows
    ]


def get_reaction(conn: sqlite3.Connection | None, reaction_id: int) -> Reaction:
    found = [r for r in reactions(conn) if r.id == reaction_id]
    if not found:
        raise JournalError(f"There is no reaction number {reaction_id} in the journal.")
    return found[0]


def update_reaction(conn: sqlite3.Connection, r: Reaction) -> None:
    _fits(r.symptom, note=r.note)
    conn.execute(
        "UPDATE reactions SET date = ?, symptom = ?, severity = ?, hours_after = ?, note = ?"
        " WHERE id = ? AND deleted IS NULL",
        (r.date.isoformat(), r.symptom, r.severity, r.hours_after, r.note, r.id),
    )


def remove_reaction(conn: sqlite3.Connection, reaction_id: int) -> None:
    conn.execute("UPDATE reactions SET deleted = ? WHERE id = ?", (_now(), reaction_id))


def undo_remove_reaction(conn: sqlite3.Connection) -> Reaction:
    row = conn.execute(
        "SELECT id FROM reactions WHERE deleted IS NOT NULL ORDER BY deleted DESC, id DESC"
    ).fetchone()
    if row is None:
        raise JournalError("There is no removed reaction to bring back.")
    conn.execute("UPDATE reactions SET deleted = NULL WHERE id = ?", (row[0],))
    return get_reaction(conn, row[0])


# ---------------------------------------------------------------- questions


def add_question(conn: sqlite3.Connection, text: str, drug: str, added: dt.date, uid: str = "") -> int:
    _fits(question=text)
    cur = conn.execute(
        "INSERT INTO questions (text, drug, added, uid) VALUES (?, ?, ?, ?)",
        (text, drug, added.isoformat(), uid or new_uid()),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def user_questions(conn: sqlite3.Connection | None, drug: str | None = None) -> list[UserQuestion]:
    """Your own questions, oldest first; with ``drug``, those for it and those for any therapy."""
    if conn is None:
        return []
    rows = conn.execute(
        "SELECT id, text, drug, added, asked, answer, uid FROM questions"
        " WHERE ? IS NULL OR drug IN ('', ?) ORDER BY id",
        (drug, drug),
    )
    return [
        UserQuestion(
            id=r[0],
            text=r[1],
            drug=r[2],
            added=_day(r[3]),
            asked=_day(r[4]) if r[4] else None,
            answer=r[5],
            uid=r[6] or "",
        )
        for r in rows
    ]


def mark_asked(conn: sqlite3.Connection, question_id: int, day: dt.date, answer: str) -> UserQuestion:
    found = [q for q in user_questions(conn) if q.id == question_id]
    if not found:
        raise JournalError(
            f"Your questions have no number {question_id}; 'infuse questions' lists them."
            " Nothing was changed."
        )
    answer = answer or found[0].answer  # marking again without an answer keeps the one noted
    _fits(note=answer)
    conn.execute(
        "UPDATE questions SET asked = ?, answer = ? WHERE id = ?", (day.isoformat(), answer, question_id)
    )
    return msgspec.structs.replace(found[0], asked=day, answer=answer)


# ---------------------------------------------------------------- checklist progress


def ticks(conn: sqlite3.Connection | None, visit: str) -> set[str]:
    """The checklist items already done for one upcoming visit."""
    if conn is None:
        return set()
    return {r[0] for r in conn.execute("SELECT item FROM checklist_ticks WHERE visit = ?", (visit,))}


def tick(conn: sqlite3.Connection, visit: str, item: str, drug: str) -> None:
    """Mark an item done; progress kept for other visits of the same therapy is dropped."""
    conn.execute(
        "DELETE FROM checklist_ticks WHERE substr(visit, 1, length(?)) = ? AND visit != ?",
        (drug + ":", drug + ":", visit),
    )
    conn.execute(
        "INSERT OR REPLACE INTO checklist_ticks (visit, item, ticked) VALUES (?, ?, ?)", (visit, item, _now())
    )


def reset_ticks(conn: sqlite3.Connection, visit: str) -> int:
    return conn.execute("DELETE FROM checklist_ticks WHERE visit = ?", (visit,)).rowcount


# ---------------------------------------------------------------- export / import
