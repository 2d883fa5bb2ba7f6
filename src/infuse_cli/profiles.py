"""Profiles: one journal and one settings file per person a caregiver looks after.

A profile exists when its journal folder (``<data>/profiles/NAME``) or its settings
file (``<config>/profiles/NAME.toml``) does; ``default`` always exists. Names are
letters, digits, ``-`` and ``_``, and unique without regard to case.
"""

from __future__ import annotations

import contextlib
import re

from infuse_cli import paths
from infuse_cli.core.errors import InfuseError, UsageError, shown

NAME = r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}"
DEFAULT = "default"


def check_name(name: str) -> str:
    if not re.fullmatch(NAME, name):
        raise UsageError(
            f"'{shown(name)}' is not a profile name infuse can use: letters, digits, - and _,"
            " starting with a letter or digit, up to 40 characters."
        )
    return name


def names() -> list[str]:
    """Every profile, ``default`` first, the rest in order."""
    found: set[str] = set()
    with contextlib.suppress(OSError):
        found |= {
            p.name
            for p in (paths.data_dir() / paths.PROFILES).iterdir()
            if p.is_dir() and not p.is_symlink() and re.fullmatch(NAME, p.name)
        }
    with contextlib.suppress(OSError):
        found |= {
            p.stem for p in (paths.config_dir() / paths.PROFILES).glob("*.toml") if re.fullmatch(NAME, p.stem)
        }
    found.discard(DEFAULT)
    return [DEFAULT, *sorted(found, key=str.casefold)]


def exists(name: str) -> bool:
    return name == DEFAULT or name in names()


def require(name: str | None) -> None:
    """Refuse a profile that does not exist, with the closest name and the command that
    creates it; nothing is created."""
    if name is None or exists(name):
        return
    known = names()
    same = [k for k in known if k.casefold() == name.casefold()]
    if same:
        raise InfuseError(
            f"There is no profile called '{shown(name)}'; did you mean '{same[0]}'? Profile names"
            f" are the same in any case: use --profile {same[0]}."
        )
    import difflib

    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]}?" if close else ""
    raise InfuseError(
        f"There is no profile called '{shown(name)}'.{hint} To make it: infuse profiles add {name}"
    )


def add(name: str) -> None:
    check_name(name)
    clash = [k for k in names() if k.casefold() == name.casefold()]
    if clash:
        raise InfuseError(f"The profile '{clash[0]}' already exists; profile names are the same in any case.")
    paths.ensure_private_dir(paths.profile_data_dir(name))
