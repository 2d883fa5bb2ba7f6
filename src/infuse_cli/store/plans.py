"""The journal's records of what lies ahead: bookings, coverage and the person's own reminders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from infuse_cli.core.records import Appointment, Coverage, Reminder
from infuse_cli.store.connection import _day, _fits, _now, new_uid

if TYPE_CHECKING:
    import datetime as dt
    import sqlite3

# Each kind: its table, its columns (after id), and how a row becomes a record.
_APPOINTMENT = "id, date, time, place, drug, test, note, uid"
_COVERAGE = "id, kind, until, renew_days, drug, note, uid"
_REMINDER = "id, text, date, every_n, every_unit, before, uid"


def _appointment(row: tuple) -> Appointment:  # type: ignore[type-arg]
    return Appointment(
        id=row[0],
        date=_day(row[1]),
        time=row[2],
        place=row[3],
        drug=row[4],
        test=row[5],
        note=row[6],
        uid=row[7],
    )


def _coverage(row: tuple) -> Coverage:  # type: ignore[type-arg]
    return Coverage(
        id=row[0], kind=row[1], until=_day(row[2]), renew_days=row[3], drug=row[4], note=row[5], uid=row[6]
    )


def _reminder(row: tuple) -> Reminder:  # type: ignore[type-arg]
    return Reminder(
        id=row[0],
        text=row[1],
        date=_day(row[2]),
        every_n=row[3],
        every_unit=row[4],
        before=row[5],
        uid=row[6],
    )


def add_appointment(conn: sqlite3.Connection, a: Appointment) -> int:
    _fits(a.time, a.place, a.drug, a.test, note=a.note)
    cur = conn.execute(
        "INSERT INTO appointments (date, time, place, drug, test, note, created, uid)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (a.date.isoformat(), a.time, a.place, a.drug, a.test, a.note, _now(), a.uid or new_uid()),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def add_coverage(conn: sqlite3.Connection, c: Coverage) -> int:
    _fits(c.kind, c.drug, note=c.note)
    cur = conn.execute(
        "INSERT INTO coverage (kind, until, renew_days, drug, note, created, uid)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (c.kind, c.until.isoformat(), c.renew_days, c.drug, c.note, _now(), c.uid or new_uid()),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def add_reminder(conn: sqlite3.Connection, r: Reminder) -> int:
    _fits(note=r.text)
    cur = conn.execute(
        "INSERT INTO reminders (text, date, every_n, every_unit, before, created, uid)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (r.text, r.date.isoformat(), r.every_n, r.every_unit, r.before, _now(), r.uid or new_uid()),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def appointments(conn: sqlite3.Connection | None, since: dt.date | None = None) -> list[Appointment]:
    """Bookings (on or after ``since``, when given), soonest first."""
    if conn is None:
        return []
    where, args = "deleted IS NULL", []
    if since is not None:
        where += " AND date >= ?"
        args.append(since.isoformat())
    rows = conn.execute(
        f"SELECT {_APPOINTMENT} FROM appointments WHERE {where} ORDER BY date, time, id", args
    )
    return [_appointment(r) for r in rows]


def coverage(conn: sqlite3.Connection | None) -> list[Coverage]:
    """Coverage records, the one ending first first."""
    if conn is None:
        return []
    rows = conn.execute(f"SELECT {_COVERAGE} FROM coverage WHERE deleted IS NULL ORDER BY until, id")
    return [_coverage(r) for r in rows]


def reminders(conn: sqlite3.Connection | None) -> list[Reminder]:
    """The person's own reminders, by their first date."""
    if conn is None:
        return []
    rows = conn.execute(f"SELECT {_REMINDER} FROM reminders WHERE deleted IS NULL ORDER BY date, id")
    return [_reminder(r) for r in rows]


TABLES = {"appointment": "appointments", "coverage": "coverage", "reminder": "reminders"}


def exists(conn: sqlite3.Connection | None, kind: str, entry_id: int) -> bool:
    if conn is None:
        return False
    row = conn.execute(
        f"SELECT 1 FROM {TABLES[kind]} WHERE id = ? AND deleted IS NULL", (entry_id,)
    ).fetchone()
    return row is not None


def remove(conn: sqlite3.Connection, kind: str, entry_id: int) -> None:
    conn.execute(f"UPDATE {TABLES[kind]} SET deleted = ? WHERE id = ?", (_now(), entry_id))
