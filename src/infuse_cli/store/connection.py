"""Opening the journal: migrations, the writers' lock, permissions, and its limits."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

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
    # 5: between infusions: test results (or that a test was done), symptoms on any day,
    # relapses (each may name the steroid course logged for it, by that entry's identity).
    [
        """CREATE TABLE results (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            test TEXT NOT NULL,
            date TEXT NOT NULL,
            value REAL,
            unit TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            deleted TEXT
        )""",
        "CREATE INDEX results_by_test ON results(test, date)",
        """CREATE TABLE symptoms (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            date TEXT NOT NULL,
            severity INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 10),
            note TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            deleted TEXT
        )""",
        "CREATE INDEX symptoms_by_date ON symptoms(date)",
        """CREATE TABLE relapses (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            date TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            steroid TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            deleted TEXT
        )""",
    ],
    # 6: reminders that reach the person: bookings actually made, coverage that ends,
    # and the person's own dates.
    [
        """CREATE TABLE appointments (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            date TEXT NOT NULL,
            time TEXT NOT NULL DEFAULT '',
            place TEXT NOT NULL DEFAULT '',
            drug TEXT NOT NULL DEFAULT '',
            test TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            deleted TEXT
        )""",
        "CREATE INDEX appointments_by_date ON appointments(date)",
        """CREATE TABLE coverage (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            until TEXT NOT NULL,
            renew_days INTEGER NOT NULL CHECK (renew_days BETWEEN 0 AND 365),
            drug TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            deleted TEXT
        )""",
        """CREATE TABLE reminders (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            text TEXT NOT NULL,
            date TEXT NOT NULL,
            every_n INTEGER NOT NULL DEFAULT 0 CHECK (every_n >= 0),
            every_unit TEXT NOT NULL DEFAULT '',
            before INTEGER NOT NULL DEFAULT 0 CHECK (before >= 0),
            created TEXT NOT NULL,
            deleted TEXT
        )""",
    ],
]
VERSION = len(MIGRATIONS)


SAVED: list[Path] = []  # journals this run has committed a change to


class JournalError(InfuseError):
    pass


class DamagedJournal(JournalError):
    """The journal's file is damaged or not infuse's, so no command can write to it."""


def journal_path(profile: str | None = None) -> Path:
    return paths.journal_file(profile)


def _damaged(path: Path) -> JournalError:
    return DamagedJournal(
        f"The file at {path} is not an infuse journal, or it is damaged; it was left as it was."
        f" To put a backup in its place: infuse restore FILE{_newest_backup(path)}."
    )


def _newest_backup(path: Path) -> str:
    """' (the newest backup: …/backups/x.sqlite3)', or '' when there is none."""
    try:
        found = sorted((path.parent / paths.BACKUPS).glob("*.sqlite3"), key=lambda p: p.stat().st_mtime)
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
        raise DamagedJournal(
            f"The journal at {path} is damaged (its integrity check failed), so nothing was written"
            f" and it was left as it was. To put a backup in its place: infuse restore FILE"
            f"{_newest_backup(path)}."
        )


_SHAPED: set[tuple[str, int, int]] = set()  # journals whose tables were found infuse's, this run


def _open(path: Path) -> sqlite3.Connection:
    import sqlite3

    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_MS / 1000)
    except sqlite3.DatabaseError:  # a folder, or a file this user may not open
        if path.is_file() and not os.access(path, os.R_OK | os.W_OK):
            raise JournalError(
                f"infuse may not open the journal at {path} (it belongs to another user, or its"
                " permissions forbid it); it was left as it was."
            ) from None
        raise _damaged(path) from None
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
        # One run may open a journal several times (`due --all-profiles`: four times a
        # profile); its shape, once checked at this format, is not read again.
        seen = (str(path), os.stat(path).st_ino, version)
        ours = seen in _SHAPED or _our_shape(version, conn)
        if ours:
            _SHAPED.add(seen)
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
    (
        5,
        "results",
        frozenset({"id", "uid", "test", "date", "value", "unit", "status", "note", "created", "deleted"}),
    ),
    (5, "symptoms", frozenset({"id", "uid", "name", "date", "severity", "note", "created", "deleted"})),
    (5, "relapses", frozenset({"id", "uid", "date", "note", "steroid", "created", "deleted"})),
    (
        6,
        "appointments",
        frozenset({"id", "uid", "date", "time", "place", "drug", "test", "note", "created", "deleted"}),
    ),
    (6, "coverage", frozenset({"id", "uid", "kind", "until", "renew_days", "drug", "note", "created"})),
    (
        6,
        "reminders",
        frozenset({"id", "uid", "text", "date", "every_n", "every_unit", "before", "created", "deleted"}),
    ),
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
        conn = _open_for_writing(path, created, replacing_from)
        try:
            yield conn
            _commit(conn, path, created)
        except BaseException:
            if conn.in_transaction:  # SQLite may already have rolled back (a full disk)
                conn.execute("ROLLBACK")
            raise
    except sqlite3.OperationalError as err:
        refused = _refused(err, path, conn)
        if refused is None:
            raise
        raise refused from None
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


def _commit(conn: sqlite3.Connection, path: Path, created: bool) -> None:
    try:
        conn.execute("COMMIT")
    finally:
        if not conn.in_transaction:
            SAVED.append(path)  # a Ctrl-C from here on stops after the change was kept
    if not created:  # after the write: a refused write says only why
        _keep_private(path)


def _open_for_writing(path: Path, created: bool, replacing_from: Path | None) -> sqlite3.Connection:
    """The journal at ``path``, brought up to this version, in a write transaction."""
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
        try:
            if not created:
                _intact(conn, path)
            paths.sweep(path.parent, ".*journal.sqlite3.*.tmp*")  # left by a killed restore
            paths.sweep(path.parent / paths.BACKUPS, ".*.sqlite3.*.tmp*")
            _migrate(conn)
            if replacing_from is not None:
                conn.execute("PRAGMA foreign_keys = OFF")
                conn.execute("ATTACH DATABASE ? AS staged", (str(replacing_from),))
            _begin(conn, "IMMEDIATE")
            if _same_file(path, inode):
                return conn
            if not created and not path.exists():
                raise JournalError(
                    f"The journal at {path} was deleted (infuse forget) while this command waited"
                    " for it; nothing was written."
                )
            # A restore put another journal in place while this one waited for the lock:
            # write into the journal that is there now.
            conn.execute("ROLLBACK")
        except BaseException:
            conn.close()
            raise
        conn.close()
    raise JournalError(
        f"The journal at {path} kept being replaced while this command waited; nothing was written."
    )


def _refused(err: Exception, path: Path, conn: sqlite3.Connection | None) -> JournalError | None:
    """What SQLite's refusal to write means, in one sentence; None for a fault infuse does not know."""
    text = str(err).lower()
    if "readonly" in text or "read-only" in text:
        return JournalError(f"The journal at {path} is read-only; nothing was changed.")
    if ("disk" in text and "full" in text) or "i/o" in text:
        if conn is not None:
            conn.close()
        _roll_back(path)
        return JournalError(f"The journal could not be written: {_why(err)}; nothing was changed.")
    if "locked" in text or "busy" in text:
        return JournalError("The journal is busy in another infuse command; try again.")
    return None


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
    backups = path.parent / paths.BACKUPS
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
