"""Where output goes, and in which form: rich, plain or JSON."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from infuse_cli.views.doc import Doc

SCHEMA = 1


def wants_rich(plain: bool) -> bool:
    """Rich on a terminal; plain when piped, with NO_COLOR, TERM=dumb or --plain.
    FORCE_COLOR asks for rich even when piped."""
    if plain:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def width() -> int:
    return shutil.get_terminal_size((80, 24)).columns


def show(doc: Doc, plain: bool = False) -> None:
    if wants_rich(plain):
        from infuse_cli.views import rich as rich_view

        rich_view.render(doc)
    else:
        from infuse_cli.views import plain as plain_view

        sys.stdout.write(plain_view.render(doc, width()))


def show_json(data: Any) -> None:
    """Exactly one JSON document on stdout: stable keys, ISO dates."""
    import msgspec

    sys.stdout.write(msgspec.json.format(msgspec.json.encode(data), indent=2).decode() + "\n")


def note(text: str) -> None:
    """A note or warning for stderr (kept out of --json's stdout)."""
    sys.stderr.write(text + "\n")
