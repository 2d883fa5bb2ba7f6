"""The journal's records between infusions: test results, symptoms and relapses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from infuse_cli.core.records import Relapse, Symptom, TestResult
from infuse_cli.store.connection import JournalError, _day, _fits, _now, new_uid

if TYPE_CHECKING:
    import sqlite3  # imported where it is used: a command with no journal to open skips it


# ---------------------------------------------------------------- test results

_RESULT = "id, test, date, value, unit, status, note, uid"


def _result(row: tuple) -> TestResult:  # type: ignore[type-arg]
    return TestResult(
        id=row[0],
        test=row[1],
        date=_day(row[2]),
        value=row[3],
        unit=row[4],
        status=row[5],
        note=row[6],
        uid=row[7],
    )


def add_result(conn: sqlite3.Connection, r: TestResult) -> int:
    _fits(r.test, r.unit, r.status, note=r.note)
    cur = conn.execute(
        "INSERT INTO results (test, date, value, unit, status, note, created, uid)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (r.test, r.date.isoformat(), r.value, r.unit, r.status, r.note, _now(), r.uid or new_uid()),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def has_results(conn: sqlite3.Connection | None) -> bool:
    """Whether any test result is recorded (one row read at most)."""
    if conn is None:
        return False
    return conn.execute("SELECT 1 FROM results WHERE deleted IS NULL LIMIT 1").fetchone() is not None


def results(
    conn: sqlite3.Connection | None, tests: tuple[str, ...] = (), since: dt.date | None = None
) -> list[TestResult]:
    """Results (of ``tests``, when given), oldest first."""
    if conn is None:
        return []
    where = ["deleted IS NULL"]
    args: list[object] = []
    if tests:
        where.append(f"test IN ({', '.join('?' for _ in tests)})")
        args += tests
    if since is not None:
        where.append("date >= ?")
        args.append(since.isoformat())
    rows = conn.execute(f"SELECT {_RESULT} FROM results WHERE {' AND '.join(where)} ORDER BY date, id", args)
    return [_result(r) for r in rows]


def latest_results(conn: sqlite3.Connection | None, test: str, n: int) -> tuple[list[TestResult], int]:
    """The latest ``n`` results of ``test`` (oldest first), and how many there are in all."""
    if conn is None:
        return [], 0
    rows = conn.execute(
        f"SELECT {_RESULT} FROM results WHERE test = ? AND deleted IS NULL"
        " ORDER BY date DESC, id DESC LIMIT ?",
        (test, n),
    ).fetchall()
    total = conn.execute(
        "SELECT count(*) FROM results WHERE test = ? AND deleted IS NULL", (test,)
    ).fetchone()[0]
    return [_result(r) for r in reversed(rows)], int(total)


def result_days(conn: sqlite3.Connection | None, tests: Iterable[str]) -> dict[str, list[dt.date]]:
    """The days each of ``tests`` was done, oldest first (what the monitoring ledger needs)."""
    out: dict[str, list[dt.date]] = {}
    wanted = sorted(set(tests))
    if conn is None or not wanted:
        return out
    rows = conn.execute(
        f"SELECT test, date FROM results WHERE test IN ({', '.join('?' for _ in wanted)}) AND deleted IS NULL"
        " ORDER BY test, date",
        wanted,
    )
    for test, day in rows:
        out.setdefault(test, []).append(_day(day))
    return out


def get_result(conn: sqlite3.Connection | None, result_id: int) -> TestResult:
    row = (
        conn.execute(
            f"SELECT {_RESULT} FROM results WHERE id = ? AND deleted IS NULL", (result_id,)
        ).fetchone()
        if conn is not None
        else None
    )
    if row is None:
        raise JournalError(
            f"There is no test result number {result_id} in the journal (see: infuse labs list)."
        )
    return _result(row)


def result_on(conn: sqlite3.Connection | None, test: str, day: dt.date, other_than: int = 0) -> bool:
    """Whether a result of ``test`` is recorded on ``day`` (other than entry ``other_than``)."""
    if conn is None:
        return False
    row = conn.execute(
        "SELECT 1 FROM results WHERE test = ? AND date = ? AND id != ? AND deleted IS NULL",
        (test, day.isoformat(), other_than),
    ).fetchone()
    return row is not None


def update_result(conn: sqlite3.Connection, r: TestResult) -> None:
    _fits(r.test, r.unit, r.status, note=r.note)
    conn.execute(
        "UPDATE results SET test = ?, date = ?, value = ?, unit = ?, status = ?, note = ?"
        " WHERE id = ? AND deleted IS NULL",
        (r.test, r.date.isoformat(), r.value, r.unit, r.status, r.note, r.id),
    )


def remove_result(conn: sqlite3.Connection, result_id: int) -> None:
    conn.execute("UPDATE results SET deleted = ? WHERE id = ?", (_now(), result_id))


# ---------------------------------------------------------------- symptoms

_SYMPTOM = "id, name, date, severity, note, uid"


def _symptom(row: tuple) -> Symptom:  # type: ignore[type-arg]
    return Symptom(id=row[0], name=row[1], date=_day(row[2]), severity=row[3], note=row[4], uid=row[5])


def add_symptom(conn: sqlite3.Connection, s: Symptom) -> int:
    _fits(s.name, note=s.note)
    cur = conn.execute(
        "INSERT INTO symptoms (name, date, severity, note, created, uid) VALUES (?, ?, ?, ?, ?, ?)",
        (s.name, s.date.isoformat(), s.severity, s.note, _now(), s.uid or new_uid()),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def symptoms(conn: sqlite3.Connection | None, since: dt.date | None = None) -> list[Symptom]:
    """Symptom entries, oldest first."""
    if conn is None:
        return []
    rows = conn.execute(
        f"SELECT {_SYMPTOM} FROM symptoms WHERE deleted IS NULL AND date >= ? ORDER BY date, id",
        ((since or dt.date.min).isoformat(),),
    )
    return [_symptom(r) for r in rows]


def get_symptom(conn: sqlite3.Connection | None, symptom_id: int) -> Symptom:
    row = (
        conn.execute(
            f"SELECT {_SYMPTOM} FROM symptoms WHERE id = ? AND deleted IS NULL", (symptom_id,)
        ).fetchone()
        if conn is not None
        else None
    )
    if row is None:
        raise JournalError(
            f"There is no symptom entry number {symptom_id} in the journal (see: infuse symptom list)."
        )
    return _symptom(row)


def remove_symptom(conn: sqlite3.Connection, symptom_id: int) -> Symptom:
    found = get_symptom(conn, symptom_id)
    conn.execute("UPDATE symptoms SET deleted = ? WHERE id = ?", (_now(), symptom_id))
    return found


# ---------------------------------------------------------------- relapses

_RELAPSE = "id, date, note, steroid, uid"


def _relapse(row: tuple) -> Relapse:  # type: ignore[type-arg]
    return Relapse(id=row[0], date=_day(row[1]), note=row[2], steroid=row[3], uid=row[4])


def add_relapse(conn: sqlite3.Connection, r: Relapse) -> int:
    _fits(note=r.note)
    cur = conn.execute(
        "INSERT INTO relapses (date, note, steroid, created, uid) VALUES (?, ?, ?, ?, ?)",
        (r.date.isoformat(), r.note, r.steroid, _now(), r.uid or new_uid()),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def relapses(conn: sqlite3.Connection | None, since: dt.date | None = None) -> list[Relapse]:
    """Relapses, oldest first."""
    if conn is None:
        return []
    rows = conn.execute(
        f"SELECT {_RELAPSE} FROM relapses WHERE deleted IS NULL AND date >= ? ORDER BY date, id",
        ((since or dt.date.min).isoformat(),),
    )
    return [_relapse(r) for r in rows]


def get_relapse(conn: sqlite3.Connection | None, relapse_id: int) -> Relapse:
    row = (
        conn.execute(
            f"SELECT {_RELAPSE} FROM relapses WHERE id = ? AND deleted IS NULL", (relapse_id,)
        ).fetchone()
        if conn is not None
        else None
    )
    if row is None:
        raise JournalError(
            f"There is no relapse number {relapse_id} in the journal (see: infuse relapse list)."
        )
    return _relapse(row)


def between_entries(conn: sqlite3.Connection | None) -> list[TestResult | Symptom | Relapse]:
    """Every test result, symptom and relapse, for the journal's one timeline."""
    found: list[TestResult | Symptom | Relapse] = [*results(conn), *symptoms(conn)]
    return found + relapses(conn)


def remove_relapse(conn: sqlite3.Connection, relapse_id: int) -> Relapse:
    found = get_relapse(conn, relapse_id)
    conn.execute("UPDATE relapses SET deleted = ? WHERE id = ?", (_now(), relapse_id))
    return found
