"""Backup and restore, through SQLite's own backup, under the writers' lock."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from infuse_cli import paths
from infuse_cli.core.errors import NewerJournal
from infuse_cli.store.connection import (
    SAVED,
    VERSION,
    DamagedJournal,
    JournalError,
    _intact,
    _keep_private,
    _migrate,
    _open,
    _our_shape,
    _why,
    journal_path,
    writing,
)

if TYPE_CHECKING:
    import sqlite3  # imported where it is used: a command with no journal to open skips it


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


def _copy(source: sqlite3.Connection, target: Path, doing: str = "", scratch: bool = False) -> None:
    """Copy a database with SQLite's backup API into ``target``: a temp file (0600) in the
    same folder, then an atomic rename, so ``target`` is never half-written. A ``scratch``
    copy (read once, then deleted) is not synced to the disk."""
    import sqlite3

    paths.sweep_for(target)
    tmp = paths.temp_for(target)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        dst = sqlite3.connect(tmp)
        try:
            if scratch:
                dst.execute("PRAGMA synchronous = OFF")
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


def backup_to(profile: str | None, target: Path) -> Path:
    """Copy the journal with SQLite's own backup (consistent even while in use)."""
    path = journal_path(profile)
    if not path.exists():
        raise JournalError("There is no journal to back up yet.")
    target = paths.output_path(target, "journal-backup.sqlite3")
    if target.exists():
        raise JournalError(
            f"{target} already exists; a backup never replaces a file. Give a new name, or leave"
            " the name out: infuse backup (it keeps each backup in the backups folder)."
        )
    src = _open(path)
    _intact(src, path)
    try:
        _copy(src, target)
    finally:
        src.close()
    _keep_private(path)
    return target


def check_journal_file(path: Path) -> dict[str, int]:
    """Raise unless ``path`` is a whole infuse journal this version can read; return how many
    entries of each kind it holds (infusions, and from format 5 results, symptoms, relapses)."""
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
            ok = ok and conn.execute(_bad_dates(version)).fetchone()[0] == 0
            kinds = ["infusions", *(["results", "symptoms", "relapses"] if version >= 5 else [])]
            count: dict[str, int] = {}
            for kind in kinds if ok else []:
                count[kind] = conn.execute(f"SELECT count(*) FROM {kind} WHERE deleted IS NULL").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise JournalError(
            f"{path} is not an infuse journal (or it is damaged); nothing was changed."
        ) from None
    if not ok:
        raise JournalError(f"{path} is not a whole infuse journal; nothing was changed.")
    return count


# Dates no infuse writes (SQLite's date() is NULL for 2026-13-45 and moves 2026-02-30 on).
def _bad_dates(version: int) -> str:
    """A query counting the dates no infuse writes, in the tables of that journal format."""
    tables = ["infusions", "reactions", *(["results", "symptoms", "relapses"] if version >= 5 else [])]
    return "SELECT " + " + ".join(f"(SELECT count(*) FROM {t} WHERE date(date) IS NOT date)" for t in tables)


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
            _copy(src, staged, f"Cannot restore {source}", scratch=True)
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
        folder = paths.ensure_private_dir(path.parent / paths.BACKUPS)
        try:
            return _replace_contents(profile, path, staged, folder, source)
        except DamagedJournal:  # no command can write to it, so no write can be lost
            return _replace_damaged(path, staged, folder)
    finally:
        for leftover in (staged, staged.with_name(staged.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


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


_TABLES = (
    "infusions",
    "reactions",
    "questions",
    "checklist_ticks",
    "results",
    "symptoms",
    "relapses",
    "appointments",
    "coverage",
    "reminders",
)
