"""Every path infuse uses for the user's own files, in one place.

``INFUSE_HOME`` (if set) holds everything: ``data/``, ``config/``, ``cache/``.
Otherwise platformdirs' user data, config and cache folders for "infuse".
Folders are created 0700 and files 0600 (health data), and only when
something is written: read-only commands create nothing.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

APP = "infuse"


def _home() -> Path | None:
    value = os.environ.get("INFUSE_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "data"
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def config_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "config"
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False)


def cache_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "cache"
    from platformdirs import user_cache_path

    return user_cache_path(APP, appauthor=False)


def user_therapies_dir() -> Path:
    return config_dir() / "therapies"


# Every file infuse keeps, by profile. The default profile lives at the top of each folder;
# another profile has a folder of its own under "profiles".
JOURNAL = "journal.sqlite3"
BACKUPS = "backups"
PROFILES = "profiles"
SETTINGS = "config.toml"


def _named(profile: str | None) -> str | None:
    return profile if profile and profile != "default" else None


def profile_data_dir(profile: str | None) -> Path:
    """Where a profile's journal and its backups are kept."""
    name = _named(profile)
    return data_dir() / PROFILES / name if name else data_dir()


def journal_file(profile: str | None) -> Path:
    return profile_data_dir(profile) / JOURNAL


def backups_dir(profile: str | None) -> Path:
    return profile_data_dir(profile) / BACKUPS


def settings_file(profile: str | None) -> Path:
    name = _named(profile)
    return config_dir() / PROFILES / f"{name}.toml" if name else config_dir() / SETTINGS


def where(profile: str | None) -> dict[str, str]:
    """Every place infuse keeps something for ``profile``, by name (for `infuse paths`)."""
    return {
        "journal": str(journal_file(profile)),
        "config": str(config_dir()),
        "therapies": str(user_therapies_dir()),
        "cache": str(cache_dir()),
        "backups": str(backups_dir(profile)),
    }


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` as 0700, and every missing folder above it as 0700 too
    (``mkdir(parents=True)`` would leave those to the umask). An existing
    ``path`` is tightened to 0700; existing parents are left as they are."""
    missing = []
    here = path
    while not here.exists():
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        os.chmod(folder, 0o700)
    if not missing and path.is_dir():
        tighten(path)  # an existing folder: tightened, or (another owner's) said once
    return path


def read_regular(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path``, refused (one sentence) unless it is a regular file of at most
    ``limit`` bytes: a FIFO, a device or a folder would block or never end."""
    import stat

    from infuse_cli.core.errors import InfuseError

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except IsADirectoryError:
        raise InfuseError(f"{path} is a folder, not {what}.") from None
    except OSError as err:
        raise InfuseError(f"Cannot read {path}: {err.strerror or err}.") from None
    too_big = f"{path} is larger than infuse reads ({limit // 1024 // 1024} MB); nothing was read."
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InfuseError(f"{path} is a folder, not {what}.")
        if not stat.S_ISREG(info.st_mode):
            raise InfuseError(f"{path} is not a regular file (a pipe or a device?); infuse reads only files.")
        if info.st_size > limit:
            raise InfuseError(too_big)
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise InfuseError(too_big)
        return b"".join(chunks)
    except OSError as err:
        raise InfuseError(f"Cannot read {path}: {err.strerror or err}.") from None
    finally:
        os.close(fd)


def sweep(folder: Path, pattern: str) -> None:
    """Remove temporary files (``pattern``) left in ``folder`` by runs that were killed:
    each temporary name carries its process id, and one whose process is gone is stale."""
    import re

    try:
        found = list(folder.glob(pattern))
    except OSError:
        return
    for path in found:
        pids = [int(p) for p in re.findall(r"\.([0-9]{1,10})\.tmp", path.name)]
        if pids and not any(_alive(pid) for pid in pids):
            with contextlib.suppress(OSError):
                path.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OverflowError, OSError):
        return True  # someone else's process, or a number we cannot ask about: leave it
    return True


_REPORTED: dict[Path, str] = {}


def tighten(*items: Path) -> None:
    """Keep personal folders 0700 and files 0600: anything looser is tightened; where
    that fails (another owner), it is said once on stderr and the command goes on."""
    import stat

    for item in items:
        try:
            mode = os.stat(item).st_mode
        except OSError:
            continue
        want = 0o700 if stat.S_ISDIR(mode) else 0o600
        if not stat.S_ISDIR(mode) and not stat.S_ISREG(mode):
            continue
        if stat.S_IMODE(mode) & ~want == 0:
            continue
        try:
            os.chmod(item, stat.S_IMODE(mode) & want)
        except OSError:
            _REPORTED.setdefault(
                item,
                f"Note: {item} can be read by others (mode {stat.S_IMODE(mode):04o}) and infuse"
                f" could not make it private; ask the owner to run: chmod {want:o} {item}",
            )


def report() -> None:
    """Say once, after a command that succeeded, what could not be made private (a command
    that failed says only why it failed)."""
    import sys

    for line in _REPORTED.values():
        sys.stderr.write(line + "\n")
    _REPORTED.clear()


def output_path(path: Path, example: str) -> Path:
    """Where a file the user named will be written: a link is followed (the link is kept),
    and a folder, a device, a missing folder or a loop of links is refused with a plain sentence."""
    from infuse_cli.core.errors import InfuseError

    target = path.expanduser()
    try:
        if target.is_symlink():
            target = target.resolve(strict=False)
        if not str(path) or target.is_dir():
            raise InfuseError(f"{target} is a folder; give a file name, such as {example}.")
        if target.exists() and not target.is_file():
            raise InfuseError(f"{target} is not a regular file; give a file name, such as {example}.")
        if target.parent.exists() and not target.parent.is_dir():
            raise InfuseError(f"{target.parent} is a file, not a folder; nothing was written.")
        if not target.parent.is_dir():
            raise InfuseError(f"The folder {target.parent} does not exist.")
    except RuntimeError:  # Python 3.11 and 3.12 report a loop of links this way
        raise InfuseError(f"{path} is a loop of links; give another file name.") from None
    except OSError as err:
        raise InfuseError(f"Cannot write {path}: {err.strerror or err}.") from None
    return target


def temp_for(target: Path) -> Path:
    """A hidden temporary name next to ``target`` for an atomic write, kept under the
    255-byte limit on a file name however long ``target``'s own name is."""
    name = target.name.encode("utf-8", "surrogateescape")[:200].decode("utf-8", "ignore")
    return target.with_name(f".{name}.{os.getpid()}.tmp")


def sweep_for(target: Path) -> None:
    """Remove stale temporary files of earlier, killed writes of ``target``."""
    import glob

    stem = temp_for(target).name.rsplit(".", 2)[0]  # ".NAME" without ".PID.tmp"
    sweep(target.parent, glob.escape(stem) + ".*.tmp*")


def write_private(path: Path, data: bytes, example: str = "infusions.ics") -> Path:
    """Write ``data`` to ``path`` atomically (temp file, then rename), owner-only.
    On any failure, or Ctrl-C, the temporary file is removed and ``path`` is as it was."""
    from infuse_cli.core.errors import InfuseError

    target = output_path(path, example)
    sweep_for(target)
    tmp = temp_for(target)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise InfuseError(f"Cannot write {target}: {err.strerror or err}.") from None
        raise
    return target
