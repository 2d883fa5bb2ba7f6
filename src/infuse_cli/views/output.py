"""Where output goes, and in which form: rich, plain or JSON."""

from __future__ import annotations

import os
import sys
from typing import Any

from infuse_cli.views.doc import Doc

SCHEMA = 1


_PLAIN_EVERYWHERE = [False]  # `infuse --plain …`, INFUSE_PLAIN=1 or the `plain` setting


def plain_everywhere(value: bool) -> None:
    _PLAIN_EVERYWHERE[0] = value


def wants_rich(plain: bool) -> bool:
    """Rich on a terminal; plain when piped, with NO_COLOR, TERM=dumb or --plain (after the
    command, or before it: `infuse --plain next`), INFUSE_PLAIN=1 or the `plain` setting.
    FORCE_COLOR asks for rich even when piped."""
    if plain or _PLAIN_EVERYWHERE[0] or os.environ.get("INFUSE_PLAIN", "") not in ("", "0"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def width() -> int:
    """COLUMNS if set, else the terminal's width, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
        if columns > 0:
            return columns
    except ValueError:
        pass
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns or 80
    except (OSError, ValueError, AttributeError):
        return 80


def show(doc: Doc, plain: bool = False) -> None:
    from infuse_cli.views import text

    look = text.colour() if wants_rich(plain) else text.PLAIN
    sys.stdout.write(text.render(doc, width(), look))


def show_json(data: Any) -> None:
    """Exactly one JSON document on stdout: stable keys, ISO dates, UTF-8."""
    import msgspec

    write_utf8(msgspec.json.format(msgspec.json.encode(data), indent=2).decode() + "\n")


def write_utf8(text: str) -> None:
    """Data for programs (JSON, CSV, an HTML page) goes out as UTF-8 whatever the
    terminal's encoding, so nothing in it is replaced by its nearest plain form."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def note(text: str) -> None:
    """A note or warning for stderr (kept out of --json's stdout)."""
    from infuse_cli.views.text import literal

    sys.stderr.write(literal(text) + "\n")
