"""The journal: one SQLite file per profile. The only module that speaks SQL.

* Created on the first write, 0600 in a 0700 folder; read-only commands never create it.
* Autocommit mode (``isolation_level=None``) with an explicit ``BEGIN IMMEDIATE … COMMIT``
  around each command's writes, so a write is all or nothing.
* Migrations are an append-only list keyed by ``PRAGMA user_version``; each runs with its
  version bump in one transaction. A journal from a newer infuse is refused, untouched.
* Foreign keys on; a busy timeout, so two commands at once both succeed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from infuse_cli import paths
from infuse_cli.core.errors import InfuseError, NewerJournal

if TYPE_CHECKING:
    import sqlite3  # imported where it is used: a command with no journal to open skips it

BUSY_MS = 15_000

# A random (version 4) UUID, made by SQLite for the records a migration gives one to.
_UID_SQL = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)"
    " || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-'"
    " || hex(randomblob(6)))"
)


def new_uid() -> str:
    """A random (version 4) UUID for a new record."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# Append only: never edit a migration that has shipped.
MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE infusions (
            id INTEGER PRIMARY KEY,
            drug TEXT NOT NULL,
            date TEXT NOT NULL,
            dose TEXT NOT NULL DEFAULT '',
            site TEXT NOT NULL DEFAULT '',
            start_time TEXT NOT NULL DEFAULT '',
            duration_min INTEGER,
            note TEXT NOT NULL DEFAULT '',
            first INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            deleted TEXT
        )""",
        "CREATE UNIQUE INDEX infusions_one_a_day ON infusions(drug, date) WHERE deleted IS NULL",
        "CREATE INDEX infusions_by_date ON infusions(date)",
        "CREATE INDEX infusions_by_drug ON infusions(drug, date)",
        """CREATE TABLE reactions (
            id INTEGER PRIMARY KEY,
            infusion_id INTEGER REFERENCES infusions(id) ON DELETE SET NULL,
            date TEXT NOT NULL,
            symptom TEXT NOT NULL,
            severity INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 10),
            hours_after REAL,
            note TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL
        )""",
        "CREATE INDEX reactions_by_date ON reactions(date)",
    ],
    [
        """CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            drug TEXT NOT NULL DEFAULT '',
            added TEXT NOT NULL,
            asked TEXT,
            answer TEXT NOT NULL DEFAULT ''
        )""",
        """CREATE TABLE checklist_ticks (
            visit TEXT NOT NULL,
            item TEXT NOT NULL,
            ticked TEXT NOT NULL,
            PRIMARY KEY (visit, item)
        )""",
    ],
    # 3: reactions can be removed and brought back, like infusions; each therapy's marked
    # first infusion is found without reading its whole history.
    [
        "ALTER TABLE reactions ADD COLUMN deleted TEXT",
        "CREATE INDEX infusions_first ON infusions(drug, date) WHERE first = 1 AND deleted IS NULL",
    ],
    # 4: every record has a stable identity (a UUID), which export writes and import uses:
    # two entries that look alike stay two, and importing a file again adds nothing.
    [
        *(f"ALTER TABLE {t} ADD COLUMN uid TEXT" for t in ("infusions", "reactions", "questions")),
        *(f"UPDATE {t} SET uid = {_UID_SQL}" for t in ("infusions", "reactions", "questions")),
        *(f"CREATE UNIQUE INDEX {t}_uid ON {t}(uid)" for t in ("infusions", "reactions", "questions")),
    ],
]
VERSION = len(MIGRATIONS)


SAVED: list[Path] = []  # journals this run has committed a change to


class JournalError(InfuseError):
    pass


class Infusion(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    drug: str
    date: dt.date
    dose: str = ""
    site: str = ""
    start_time: str = ""
    duration_min: int | None = None
    note: str = ""
    first: bool = False  # the first infusion of this treatment
    uid: str = ""  # its identity across machines (given when it is added)


class Reaction(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    infusion_id: int | None
    date: dt.date
    symptom: str
    severity: int
    hours_after: float | None = None
    note: str = ""
    uid: str = ""


def journal_path(profile: str | None = None) -> Path:
    base = paths.data_dir()
    if profile and profile != "default":
        return base / "profiles" / profile / "journal.sqlite3"
    return base / "journal.sqlite3"


def _damaged(path: Path) -> JournalError:
    return JournalError(
        f"The file at {path} is not an infuse journal, or it is damaged; it was left as it was."
        f" To put a backup in its place: infuse restore FILE{_newest_backup(path)}."
    )


def _newest_backup(path: Path) -> str:
    """' (the newest backup: …/backups/x.sqlite3)', or '' when there is none."""
    try:
        found = sorted((path.parent / "backups").glob("*.sqlite3"), key=lambda p: p.stat().st_mtime)
    except OSError:
        return ""
    return f" (the newest backup: {found[-1]})" if found else ""


def _intact(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a journal whose pages are damaged (its header may still look right)."""
    import sqlite3

    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError:
        rows = [("damaged",)]
    if [r[0] for r in rows] != ["ok"]:
        conn.close()
        raise JournalError(
            f"The journal at {path} is damaged (its integrity check failed), so nothing was written"
            f" and it was left as it was. To put a backup in its place: infuse restore FILE"
            f"{_newest_backup(path)}."
        )


def _open(path: Path) -> sqlite3.Connection:
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_MS / 1000)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        # The format and the tables are read in one snapshot: another command may be
        # creating the journal at this moment, and between two separate reads it could
        # add the tables after the format was read as 0 ("new").
        conn.execute("BEGIN")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError:
        conn.close()
        raise _damaged(path) from None
    if version > VERSION:
        conn.close()
        raise NewerJournal(
            f"The journal at {path} was written by a newer infuse (format {version}; this one"
            f" reads up to {VERSION}). It was not touched: please update infuse."
        )
    try:
        ours = _our_shape(version, conn)
        conn.execute("COMMIT")
    except sqlite3.DatabaseError:
        ours = False
    if not ours:
        conn.close()
        raise _damaged(path)
    return conn


# Each format's tables and columns, so that another program's SQLite file (which may have
# tables of the same names and a user_version too) is never taken for a journal.
_COLUMNS_BY_VERSION: list[tuple[int, str, frozenset[str]]] = [
    (
        1,
        "infusions",
        frozenset(
            [
                "id",
                "drug",
                "date",
                "dose",
                "site",
                "start_time",
                "duration_min",
                "note",
                "first",
                "created",
                "deleted",
            ]
        ),
    ),
    (
        1,
        "reactions",
        frozenset(["id", "infusion_id", "date", "symptom", "severity", "hours_after", "note", "created"]),
    ),
    (2, "questions", frozenset(["id", "text", "drug", "added", "asked", "answer"])),
    (2, "checklist_ticks", frozenset(["visit", "item", "ticked"])),
    (3, "reactions", frozenset({"deleted"})),
    (4, "infusions", frozenset({"uid"})),
    (4, "reactions", frozenset({"uid"})),
    (4, "questions", frozenset({"uid"})),
]
_SHAPE_SQL = (
    "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p WHERE m.type = 'table'"
)


def _our_shape(version: int, conn: sqlite3.Connection) -> bool:
    """An empty file (a new journal), or one whose tables have infuse's columns for its format."""
    columns: dict[str, set[str]] = {}
    for table, column in conn.execute(_SHAPE_SQL):
        columns.setdefault(table, set()).add(column)
    if version == 0:
        return not columns
    return all(
        wanted <= columns.get(table, set())
        for since, table, wanted in _COLUMNS_BY_VERSION
        if version >= since
    )


def _migrate(conn: sqlite3.Connection) -> None:
    for index in range(len(MIGRATIONS)):
        if conn.execute("PRAGMA user_version").fetchone()[0] > index:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] > index:
                conn.execute("COMMIT")  # another process got here first
                continue
            for statement in MIGRATIONS[index]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {index + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite may already have rolled back (a full disk)
                conn.execute("ROLLBACK")
            raise


def _create(path: Path) -> None:
    """Make the empty journal file owner-only before SQLite writes anything to it."""
    paths.ensure_private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        pass


@contextmanager
def reading(profile: str | None = None) -> Iterator[sqlite3.Connection | None]:
    """A connection to read, or None when there is no journal yet (nothing is created)."""
    path = journal_path(profile)
    if not path.exists():
        yield None
        return
    conn = _open(path)
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] < VERSION:
            # A journal from an older infuse is read as it is: brought up to date in a copy
            # in memory, never on disk (it may be on read-only media, or read by an older
            # infuse too). The next write updates the file itself.
            import sqlite3

            memory = sqlite3.connect(":memory:", isolation_level=None)
            try:
                conn.backup(memory)
            finally:
                conn.close()
            conn = memory
            _migrate(conn)
        yield conn
    finally:
        conn.close()


@contextmanager
def writing(profile: str | None = None, replacing_from: Path | None = None) -> Iterator[sqlite3.Connection]:
    """One transaction for one command's writes: all of it is kept, or none.

    ``replacing_from`` (for restore) attaches that journal as ``staged``, with foreign keys
    off on this connection, so that every table can be replaced in SQLite itself."""
    import sqlite3

    path = journal_path(profile)
    created = not path.exists()
    conn = None
    try:
        for _attempt in range(20):
            try:
                if created:
                    _create(path)
                inode = os.stat(path).st_ino
                conn = _open(path)
            except PermissionError:
                raise JournalError(f"infuse cannot write to {path.parent}: permission denied.") from None
            except OSError as err:
                raise JournalError(f"infuse cannot write to {path.parent}: {err.strerror or err}.") from None
            if not created:
                _intact(conn, path)
            paths.sweep(path.parent, ".*journal.sqlite3.*.tmp*")  # left by a killed restore
            paths.sweep(path.parent / "backups", ".*.sqlite3.*.tmp*")
            _migrate(conn)
            if replacing_from is not None:
                conn.execute("PRAGMA foreign_keys = OFF")
                conn.execute("ATTACH DATABASE ? AS staged", (str(replacing_from),))
            _begin(conn, "IMMEDIATE")
            if _same_file(path, inode):
                break
            if not created and not path.exists():
                raise JournalError(
                    f"The journal at {path} was deleted (infuse forget) while this command waited"
                    " for it; nothing was written."
                )
            # A restore put another journal in place while this one waited for the lock:
            # write into the journal that is there now.
            conn.execute("ROLLBACK")
            conn.close()
        assert conn is not None
        try:
            yield conn
            try:
                conn.execute("COMMIT")
            finally:
                if not conn.in_transaction:
                    SAVED.append(path)  # a Ctrl-C from here on stops after the change was kept
            if not created:  # after the write: a refused write says only why
                _keep_private(path)
        except BaseException:
            if conn.in_transaction:  # SQLite may already have rolled back (a full disk)
                conn.execute("ROLLBACK")
            raise
    except sqlite3.OperationalError as err:
        text = str(err).lower()
        if "readonly" in text or "read-only" in text:
            raise JournalError(f"The journal at {path} is read-only; nothing was changed.") from None
        if ("disk" in text and "full" in text) or "i/o" in text:
            if conn is not None:
                conn.close()
            _roll_back(path)
            raise JournalError(
                f"The journal could not be written: {_why(err)}; nothing was changed."
            ) from None
        if "locked" in text or "busy" in text:
            raise JournalError("The journal is busy in another infuse command; try again.") from None
        raise
    except sqlite3.DatabaseError:
        raise _damaged(path) from None
    except BaseException:
        if created:  # a first write that failed leaves no journal behind
            if conn is not None:
                conn.close()
            for leftover in (path, path.with_name(path.name + "-journal")):
                leftover.unlink(missing_ok=True)
        raise
    finally:
        if conn is not None:
            conn.close()


def _begin(conn: sqlite3.Connection, kind: str) -> None:
    """Start a write transaction, waiting up to BUSY_MS for other commands' writes.

    SQLite's own wait runs in steps of a quarter second, so that Ctrl-C stops it within
    one step (a signal is seen only between steps)."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_MS / 1000
    conn.execute("PRAGMA busy_timeout = 250")
    try:
        while True:
            try:
                conn.execute(f"BEGIN {kind}")
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) and "busy" not in str(err):
                    raise
                if time.monotonic() > deadline:
                    raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")


@contextmanager
def held(journals: list[Path]) -> Iterator[None]:
    """Hold every journal in ``journals`` against writers (waiting for any write under
    way to finish), so that they can be deleted with no write half done or lost."""
    import sqlite3

    conns = []
    try:
        for path in journals:
            try:
                conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_MS / 1000)
            except sqlite3.Error:
                continue
            conns.append(conn)
            try:
                _begin(conn, "EXCLUSIVE")
            except sqlite3.OperationalError as err:
                if "locked" in str(err) or "busy" in str(err):
                    raise JournalError(
                        f"Another infuse command is writing to {path}; nothing was deleted. Try again."
                    ) from None
            except sqlite3.DatabaseError:
                pass  # not a journal infuse can write: nothing to wait for
        yield
    finally:
        for conn in conns:
            conn.close()


def _keep_private(path: Path) -> None:
    """The journal, the folders down to it, its backups folder and backups: owner-only."""
    backups = path.parent / "backups"
    paths.tighten(*_between(paths.data_dir(), path), backups, *_listed(backups, ".sqlite3"))


def _listed(folder: Path, suffix: str) -> list[Path]:
    try:
        return [folder / name for name in os.listdir(folder) if name.endswith(suffix)]
    except OSError:
        return []


def _between(top: Path, path: Path) -> list[Path]:
    """``top``, each folder from it down to ``path``, and ``path``."""
    out = [path]
    here = path.parent
    while here != top and top in here.parents:
        out.append(here)
        here = here.parent
    return [top, *reversed(out)]


def _roll_back(path: Path) -> None:
    """After a failed write (a full disk), have SQLite put back what the write had begun
    to change, now rather than at the next command, so the file is as it was."""
    import sqlite3

    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(path)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()


def _same_file(path: Path, inode: int) -> bool:
    try:
        return os.stat(path).st_ino == inode
    except OSError:
        return False


def _day(text: str) -> dt.date:
    """A date the journal holds; one no infuse wrote is one sentence, not a traceback."""
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise JournalError(
            f"The journal holds a date infuse cannot read ({str(text)[:20]!r}); it was left as it was."
            " To put a backup in its place: infuse restore FILE."
        ) from None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------- sizes

SHORT_MAX = 200  # a dose, a site, a time, a symptom
NOTE_MAX = 4000  # a note or an answer: about a page
QUESTION_MAX = 2000


def _fits(*short: str, note: str = "", question: str = "") -> None:
    """Refuse free text longer than infuse keeps (so lists stay quick to read and show)."""
    for text, what, top in (
        *((t, "detail", SHORT_MAX) for t in short),
        (note, "note", NOTE_MAX),
        (question, "question", QUESTION_MAX),
    ):
        if len(text) > top:
            raise JournalError(
                f"A {what} of {len(text):,} characters is longer than infuse keeps ({top:,} characters"
                f"{' for a dose, site, time or symptom' if what == 'detail' else ''}); nothing was written."
            )


# ---------------------------------------------------------------- infusions

_COLUMNS = "id, drug, date, dose, site, start_time, duration_min, note, first, uid"


def _infusion(row: tuple) -> Infusion:  # type: ignore[type-arg]
    return Infusion(
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


def _values(entry: Infusion) -> tuple[object, ...]:
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


def add_infusion(conn: sqlite3.Connection, entry: Infusion) -> int:
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
) -> list[Infusion]:
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


def get_infusion(conn: sqlite3.Connection | None, entry_id: int) -> Infusion:
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


def update_infusion(conn: sqlite3.Connection, entry: Infusion) -> None:
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


def undo_remove(conn: sqlite3.Connection) -> Infusion:
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


def history_since_first(conn: sqlite3.Connection | None, drug: str, cap: int = 1000) -> list[Infusion]:
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


def edge(conn: sqlite3.Connection | None, drug: str, newest: bool) -> Infusion | None:
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


def before(conn: sqlite3.Connection | None, drug: str, day: dt.date) -> Infusion | None:
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


def latest_drug(conn: sqlite3.Connection | None) -> str | None:
    """The therapy of the most recent infusion in the journal."""
    if conn is None:
        return None
    row = conn.execute(
        "SELECT drug FROM infusions WHERE deleted IS NULL ORDER BY date DESC, id DESC LIMIT 1"
    ).fetchone()
    return row[0] if row else None


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


class UserQuestion(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    text: str
    drug: str = ""
    added: dt.date
    asked: dt.date | None = None
    answer: str = ""
    uid: str = ""


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


class ExportInfusion(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str = ""  # the record's identity (exports from before format 2 have none)
    drug: str
    date: dt.date
    dose: str = ""
    site: str = ""
    start_time: str = ""
    duration_min: int | None = None
    note: str = ""
    first: bool = False


class ExportReaction(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str = ""
    date: dt.date
    symptom: str
    severity: int
    hours_after: float | None = None
    note: str = ""
    infusion: tuple[str, dt.date] | None = None  # (drug, date) of the infusion it followed


class ExportQuestion(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str = ""
    text: str
    drug: str = ""
    added: dt.date
    asked: dt.date | None = None
    answer: str = ""


class Export(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    schema: int
    format: str
    profile: str = ""  # whose journal it is (informative; import adds to the profile in use)
    infusions: list[ExportInfusion]
    reactions: list[ExportReaction] = []
    questions: list[ExportQuestion] = []


FORMAT = "infuse-journal"
SCHEMA = 2  # 2: each record carries its identity (id)


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
    return Export(schema=SCHEMA, format=FORMAT, infusions=out_inf, reactions=out_re, questions=out_q)


def _known_uids(conn: sqlite3.Connection, table: str) -> set[str]:
    """Every identity in ``table``, removed records too (a removed entry is not brought back)."""
    return {r[0] for r in conn.execute(f"SELECT uid FROM {table} WHERE uid IS NOT NULL")}


def import_all(conn: sqlite3.Connection, data: Export) -> tuple[int, int, int]:
    """Add what is not there yet; return (infusions, reactions, questions) added.

    A record is "already there" when the journal has its identity (even if it was edited
    or removed since). A record without one (an export from before identities), or with
    one the journal has never seen, is matched by content against the journal's records
    that the file does not name, each claimed once: so two entries that look alike stay
    two, and the same history kept on two machines is not doubled. Infusions are also
    one a day per therapy: the same day with other details is refused."""
    from collections import Counter

    added_inf = added_re = added_q = 0
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
            add_infusion(conn, Infusion(id=0, uid=e.id, **fields))
            known.add(e.id)
            added_inf += 1
        elif tuple(row) != (e.dose, e.site, e.start_time, e.duration_min, e.note, int(e.first)):
            # The same day with other details is not "already there": refuse it all.
            raise JournalError(
                f"The file has a {e.drug} infusion on {e.date.isoformat()} that differs from the one"
                " in the journal; nothing was imported. Edit one of them first (infuse log edit)."
            )

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
        add_reaction(
            conn,
            Reaction(
                id=0,
                infusion_id=link,
                date=r.date,
                symptom=r.symptom,
                severity=r.severity,
                hours_after=r.hours_after,
                note=r.note,
                uid=r.id,
            ),
        )
        known.add(r.id)
        added_re += 1

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
        added_q += 1
    return added_inf, added_re, added_q


# ---------------------------------------------------------------- backup / restore


def _read_only_uri(path: Path) -> str:
    from urllib.parse import quote

    return f"file:{quote(str(path.resolve()))}?mode=ro"


def unique_name(folder: Path, stem: str) -> Path:
    """``folder/stem-YYYYMMDD-HHMMSS.sqlite3``, with -2, -3 … so no backup is ever overwritten."""
    base = f"{stem}-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}"
    candidate = folder / f"{base}.sqlite3"
    n = 2
    while candidate.exists():
        candidate = folder / f"{base}-{n}.sqlite3"
        n += 1
    return candidate


def _copy(source: sqlite3.Connection, target: Path, doing: str = "") -> None:
    """Copy a database with SQLite's backup API into ``target``: a temp file (0600) in the
    same folder, then an atomic rename, so ``target`` is never half-written."""
    import sqlite3

    paths.sweep_for(target)
    tmp = paths.temp_for(target)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        dst = sqlite3.connect(tmp)
        try:
            source.backup(dst)
        finally:
            dst.close()
        os.replace(tmp, target)
    except BaseException as err:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise JournalError(
                f"{doing or f'Cannot write {target}'}: {err.strerror or err}; nothing was changed."
            ) from None
        if isinstance(err, sqlite3.Error):
            raise JournalError(
                f"{doing or f'Cannot write {target}'}: {_why(err)}; nothing was changed."
            ) from None
        raise


def _why(err: Exception) -> str:
    """SQLite's reason, in plain words."""
    text = str(err).lower()
    if "full" in text:
        return "the disk is full (or the file is too big for this folder's limits)"
    if "readonly" in text or "read-only" in text:
        return "the place is read-only"
    if "i/o" in text:
        return "the disk reported an error (it may be full)"
    return str(err)


def backup_to(profile: str | None, target: Path) -> Path:
    """Copy the journal with SQLite's own backup (consistent even while in use)."""
    path = journal_path(profile)
    if not path.exists():
        raise JournalError("There is no journal to back up yet.")
    target = paths.output_path(target, "journal-backup.sqlite3")
    src = _open(path)
    _intact(src, path)
    try:
        _copy(src, target)
    finally:
        src.close()
    _keep_private(path)
    return target


def check_journal_file(path: Path) -> int:
    """Raise unless ``path`` is a whole infuse journal this version can read; return its entry count."""
    import sqlite3

    if not path.exists():
        raise JournalError(f"There is no file at {path}; nothing was changed.")
    if not path.is_file():
        raise JournalError(f"{path} is not a file; nothing was changed.")
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > VERSION:
                raise NewerJournal(f"{path} was written by a newer infuse; nothing was changed.")
            ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"  # integrity_check costs 8x
            ok = ok and version >= 1 and _our_shape(version, conn)
            ok = ok and conn.execute("PRAGMA encoding").fetchone()[0] == "UTF-8"  # as infuse writes
            ok = ok and conn.execute(_BAD_DATES).fetchone()[0] == 0
            count = conn.execute("SELECT count(*) FROM infusions").fetchone()[0] if ok else 0
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise JournalError(
            f"{path} is not an infuse journal (or it is damaged); nothing was changed."
        ) from None
    if not ok:
        raise JournalError(f"{path} is not a whole infuse journal; nothing was changed.")
    return int(count)


# Dates no infuse writes (SQLite's date() is NULL for 2026-13-45 and moves 2026-02-30 on).
_BAD_DATES = (
    "SELECT (SELECT count(*) FROM infusions WHERE date(date) IS NOT date)"
    " + (SELECT count(*) FROM reactions WHERE date(date) IS NOT date)"
)


def restore_from(profile: str | None, source: Path, checked: bool = False) -> Path | None:
    """Put ``source`` (checked first) in place of the journal; the old one is kept as a backup.

    ``source`` is read once, through SQLite and read-only, into a copy of infuse's own (brought
    up to this version); it is never changed. The journal file stays where it is: its contents
    are replaced in one write transaction, with the copy of the old contents made inside it.
    So a write by another command either comes first (and is in the kept copy) or waits and
    goes into the restored journal; none is acknowledged and lost. A damaged journal (which
    refuses every write, so none can be lost) is kept byte for byte and the file is replaced.
    ``checked``: the caller has just run check_journal_file."""
    import sqlite3

    if not checked:
        check_journal_file(source)
    path = journal_path(profile)
    with contextlib.suppress(OSError):
        if path.exists() and os.path.samefile(source, path):
            raise JournalError(f"{source} is the journal itself, so there is nothing to restore.")
    paths.ensure_private_dir(path.parent)
    staged = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        src = sqlite3.connect(_read_only_uri(source), uri=True)
        try:
            _copy(src, staged, f"Cannot restore {source}")
        finally:
            src.close()
        conn = _open(staged)  # an older journal is brought up to this version first
        try:
            _migrate(conn)
        except sqlite3.Error as err:
            raise JournalError(f"Cannot restore {source}: {_why(err)}; nothing was changed.") from None
        finally:
            conn.close()
        if not path.exists():
            os.replace(staged, path)
            return None
        folder = paths.ensure_private_dir(path.parent / "backups")
        if _refuses_writes(path):
            return _replace_damaged(path, staged, folder)
        return _replace_contents(profile, path, staged, folder, source)
    finally:
        for leftover in (staged, staged.with_name(staged.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


def _refuses_writes(path: Path) -> bool:
    """Whether the journal is damaged (or not infuse's), so that no command can write to it."""
    try:
        conn = _open(path)
    except JournalError:
        return True
    try:
        _intact(conn, path)  # closes it when it fails
    except JournalError:
        return True
    conn.close()
    return False


def _replace_contents(profile: str | None, path: Path, staged: Path, folder: Path, source: Path) -> Path:
    import sqlite3

    kept: Path | None = None
    saved = len(SAVED)
    try:
        with writing(profile, replacing_from=staged.resolve()) as conn:
            kept = unique_name(folder, "before-restore")  # named under the lock: no two alike
            # Through SQLite, never a plain open() of the file: closing any descriptor of a
            # file drops every POSIX lock this process holds on it, this write lock too.
            reader = _open(path)
            try:
                _copy(reader, kept)
            finally:
                reader.close()
            try:
                for table in _TABLES:
                    columns = ", ".join(r[1] for r in conn.execute(f"PRAGMA main.table_info({table})"))
                    conn.execute(f"DELETE FROM main.{table}")
                    conn.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM staged.{table}")
            except sqlite3.Error as err:
                raise JournalError(
                    f"Cannot restore {source}: it holds entries infuse would not write ({err});"
                    " nothing was changed."
                ) from None
        return kept
    except BaseException:
        if kept is not None and path not in SAVED[saved:]:  # nothing was replaced: no copy to keep
            kept.unlink(missing_ok=True)
        raise


def _replace_damaged(path: Path, staged: Path, folder: Path) -> Path:
    import shutil

    kept = unique_name(folder, "before-restore")
    try:
        shutil.copyfile(path, kept)
        os.chmod(kept, 0o600)
        os.replace(staged, path)
    except OSError as failure:
        kept.unlink(missing_ok=True)
        raise JournalError(f"Cannot restore: {failure.strerror or failure}; nothing was changed.") from None
    return kept


_TABLES = ("infusions", "reactions", "questions", "checklist_ticks")
