"""Errors that reach the user: each carries its exit code and one plain sentence."""

from __future__ import annotations


class InfuseError(Exception):
    """A request that cannot be done. ``str(err)`` is shown as ``Error: …``."""

    exit_code = 1


class UsageError(InfuseError):
    """The command line itself is wrong (bad option value)."""

    exit_code = 2


class DataError(InfuseError):
    """A catalogue or content file is broken or incomplete."""


class UnknownTherapy(InfuseError):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        msg = f"No therapy called '{shown(name)}' is in the catalogue."
        if suggestions:
            msg += f" Did you mean {_or(suggestions)}?"
        else:
            msg += " Run 'infuse drugs' to see them all."
        super().__init__(msg)


class AmbiguousTherapy(InfuseError):
    def __init__(self, name: str, choices: list[str]) -> None:
        self.name = name
        self.choices = choices
        super().__init__(
            f"'{shown(name)}' fits {len(choices)} therapies: {_and(choices)}. Name the one you mean."
        )


class NewerJournal(InfuseError):
    exit_code = 3


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def shown(text: str, limit: int = 40) -> str:
    """User text made short and printable for a message (no control characters)."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return clean if len(clean) <= limit else clean[: limit - 3] + "..."
