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
    os.chmod(path, 0o700)
    return path


def output_path(path: Path, example: str) -> Path:
    """Where a file the user named will be written: a link is followed (the link is kept),
    and a folder, a device or a missing folder is refused with a plain sentence."""
    from infuse_cli.core.errors import InfuseError

    target = path.expanduser()
    if target.is_symlink():
        target = target.resolve()
    if not str(path) or target.is_dir():
        raise InfuseError(f"{target} is a folder; give a file name, such as {example}.")
    if target.exists() and not target.is_file():
        raise InfuseError(f"{target} is not a regular file; give a file name, such as {example}.")
    if not target.parent.is_dir():
        raise InfuseError(f"The folder {target.parent} does not exist.")
    return target
