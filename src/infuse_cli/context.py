"""What one run of infuse knows, without the command line: today, the profile, the catalogue.

The commands (``cli/``) set these once; the services read them. Nothing here imports
Typer, so a quick path (``infuse due --short``) can use the services without it.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

from infuse_cli.core.errors import UsageError, shown

if TYPE_CHECKING:
    from infuse_cli.core.catalogue import Catalogue


def today() -> dt.date:
    """Today, read once here: INFUSE_TODAY=YYYY-MM-DD replaces the clock."""
    value = os.environ.get("INFUSE_TODAY")
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"INFUSE_TODAY is '{shown(value)}'; it should be a date like 2026-07-06.") from None


def catalogue() -> Catalogue:
    """The catalogue, read once per run."""
    if not _CATALOGUE:
        from infuse_cli.cache import load_catalogue

        _CATALOGUE.append(load_catalogue())
    return _CATALOGUE[0]


_CATALOGUE: list[Catalogue] = []


_PROFILE: list[str | None] = [None]


def set_profile(name: str | None, check: bool = True) -> None:
    """The profile of this run: --profile, else INFUSE_PROFILE, else the default. One
    that does not exist is refused (``check``), so a typo never starts a new journal."""
    name = name or os.environ.get("INFUSE_PROFILE") or None
    if name is not None:
        from infuse_cli import profiles

        profiles.check_name(name)
        if name == profiles.DEFAULT:
            name = None
        elif check:
            profiles.require(name)
    _PROFILE[0] = name
    _CATALOGUE.clear()  # a new run (tests run many in one process) reads the catalogue afresh


def profile() -> str | None:
    return _PROFILE[0]


def use_profile(name: str | None) -> None:
    """Switch to another profile already known to exist (``infuse due --all-profiles``);
    the catalogue read for this run is kept."""
    _PROFILE[0] = name
