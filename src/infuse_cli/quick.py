"""`infuse due --short`, run at every new terminal, without the command line's machinery.

A shell's start-up file runs it each time a terminal opens, so it skips Typer and Rich
(about two thirds of infuse's start-up). Only the exact forms below take this path;
anything else (``--help``, a typo, an unknown profile) goes through the full command
line, which gives the same answer or the proper error.

    infuse [--profile NAME] due --short [--all-profiles] [--days N]
"""

from __future__ import annotations


def _parsed(argv: list[str]) -> tuple[str | None, bool, int] | None:
    """(profile, everyone, days) for the forms this path takes; None for anything else."""
    words = list(argv)
    name = None
    if words[:1] == ["--profile"] and len(words) > 2:
        name, words = words[1], words[2:]
    if words[:1] != ["due"] or "--short" not in words:
        return None
    rest = [w for w in words[1:] if w not in ("--short", "--all-profiles")]
    days = 14
    if rest[:1] == ["--days"] and len(rest) == 2 and rest[1].isdigit() and 1 <= int(rest[1]) <= 366:
        days, rest = int(rest[1]), []
    if rest or words.count("--short") > 1 or words.count("--all-profiles") > 1:
        return None
    return name, "--all-profiles" in words, days


def short_line(everyone: bool, days: int) -> str:
    """The one line (or '') for the profile in use, or for everyone; a fault is one line too,
    since a start-up file should never fill a new terminal with an error."""
    from infuse_cli.context import today
    from infuse_cli.core.errors import InfuseError
    from infuse_cli.services.due import due_everyone, due_for
    from infuse_cli.views.due import short

    try:
        from infuse_cli.context import profile

        lists = due_everyone(today(), days) if everyone else [due_for(today(), days, profile() or "")]
    except InfuseError:
        return "infuse: could not check what is due — infuse due says why"
    return short(lists)


def run(argv: list[str]) -> bool:
    """Answer ``argv`` here and return True, or return False to use the full command line."""
    found = _parsed(argv)
    if found is None:
        return False
    import sys

    from infuse_cli.context import set_profile, today
    from infuse_cli.core.errors import InfuseError

    name, everyone, days = found
    try:
        set_profile(name)
        today()
    except InfuseError:
        return False  # the full command line says what is wrong
    if sys.stdout is None:
        return False
    text = short_line(everyone, days)
    if text:
        encoding = (getattr(sys.stdout, "encoding", None) or "").lower()
        if encoding not in ("utf-8", "utf8"):
            text = text.replace("—", "-")
        try:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            pass
    return True
