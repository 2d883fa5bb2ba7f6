"""Everything infuse wrote on this machine, found by name so that nothing else is touched.

infuse writes only these files (see the README's "Privacy and your data"):

* journals: ``<data>/journal.sqlite3`` and ``<data>/profiles/<name>/journal.sqlite3``,
  with SQLite's side files (``-journal``, ``-wal``, ``-shm``);
* backups it named itself, next to each journal: ``backups/*.sqlite3``;
* settings: ``<config>/config.toml`` and ``<config>/profiles/<name>.toml``;
* caches of the catalogue and the content files: ``<cache>/{catalogue,checklists,…}.msgpack``;
* the daily check (``remind install``): its systemd timer and service, or its launchd agent,
  each recognised by its contents; forgetting everything disables it first.

Files you asked for by name (calendars, exports, visit sheets, backups to a path of
your own) live where you put them; infuse keeps no list of them. Therapy files you
added to ``<config>/therapies/`` are yours and are kept. Folders are removed only
when they are left empty.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from infuse_cli import paths

_SIDE = ("", "-journal", "-wal", "-shm")
CACHES = ("catalogue", "checklists", "questions", "glossary", "resources")


def _journal_dirs(profile: str | None, everyone: bool) -> list[Path]:
    data = paths.data_dir()
    if not everyone:
        return [paths.profile_data_dir(profile)]
    found = [data]
    with contextlib.suppress(OSError):
        found += sorted(p for p in (data / paths.PROFILES).iterdir() if p.is_dir() and not p.is_symlink())
    return found


def files(profile: str | None, everyone: bool) -> list[Path]:
    """The files infuse wrote for one profile (or for everyone), that exist now."""
    out: list[Path] = []
    for folder in _journal_dirs(profile, everyone):
        journal = folder / paths.JOURNAL
        out += [folder / f"{paths.JOURNAL}{side}" for side in _SIDE]
        if journal.is_symlink():  # the journal itself, wherever the link points
            target = journal.resolve()
            out += [target.with_name(target.name + side) for side in _SIDE]
        with contextlib.suppress(OSError):
            out += sorted(folder.glob(f".*{paths.JOURNAL}.*.tmp*"))  # left by a killed restore
            out += sorted((folder / paths.BACKUPS).glob("*.sqlite3"))
            out += sorted((folder / paths.BACKUPS).glob(".*.tmp*"))
    config = paths.config_dir()
    if everyone:
        out.append(paths.settings_file(None))
        with contextlib.suppress(OSError):
            out += sorted(config.glob(f".{paths.SETTINGS}.*.tmp"))  # left by a killed `config set`
            out += sorted((config / paths.PROFILES).glob("*.toml"))
            out += sorted((config / paths.PROFILES).glob(".*.toml.*.tmp"))
        cache = paths.cache_dir()
        for name in CACHES:
            out.append(cache / f"{name}.msgpack")
            with contextlib.suppress(OSError):
                out += sorted(cache.glob(f".{name}.msgpack.*.tmp"))
        from infuse_cli.services import notify

        out += notify.installed()
    else:
        from infuse_cli.config import config_path

        settings = config_path(profile)
        out.append(settings)
        with contextlib.suppress(OSError):
            out += sorted(settings.parent.glob(f".{settings.name}.*.tmp"))
    return [p for p in out if _present(p)]


def _present(path: Path) -> bool:
    try:
        return path.is_symlink() or path.is_file()
    except PermissionError:  # in a folder this user may not look into: count it as there
        return True
    except OSError:
        return False


def journals(found: list[Path]) -> list[Path]:
    """The journals among ``found`` (the files a link names included)."""
    seen: dict[Path, None] = {}
    for path in found:
        if path.name.endswith(".sqlite3") and path.parent.name != paths.BACKUPS and path.is_file():
            seen.setdefault(path.resolve(), None)
    return list(seen)


def links(profile: str | None, everyone: bool) -> list[Path]:
    """Journals that are symbolic links (forget deletes the file each one names, too)."""
    return [d / paths.JOURNAL for d in _journal_dirs(profile, everyone) if (d / paths.JOURNAL).is_symlink()]


def folders(profile: str | None, everyone: bool) -> list[Path]:
    """Folders infuse made, deepest first, to remove when they are empty."""
    out: list[Path] = []
    for folder in _journal_dirs(profile, everyone):
        out += [folder / paths.BACKUPS, folder]
    data = paths.data_dir()
    if everyone:
        out += [data / paths.PROFILES, data]
        config = paths.config_dir()
        out += [config / paths.PROFILES, config, paths.cache_dir()]
    return sorted(set(out), key=lambda p: -len(p.parts))


def remove(found: list[Path], empty: list[Path]) -> int:
    from infuse_cli.core.dailycheck import AGENT, TIMER

    if any(p.name in (TIMER, AGENT) for p in found):
        from infuse_cli.services import notify

        notify.stop()  # the daily check is disabled before its files go
    removed = 0
    for path in found:
        with contextlib.suppress(OSError):  # not allowed: it stays, and is reported as left
            path.unlink()
            removed += 1
    for folder in empty:
        with contextlib.suppress(OSError):  # not empty, or not there: leave it
            if not folder.is_symlink():
                os.rmdir(folder)
    return removed
