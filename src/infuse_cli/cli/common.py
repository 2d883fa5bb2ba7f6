"""What every command shares: today, the catalogue, the output options."""

from __future__ import annotations

from typing import Annotated, Any

import typer
import typer.core

from infuse_cli.context import catalogue as catalogue
from infuse_cli.context import profile as profile
from infuse_cli.context import set_profile as set_profile
from infuse_cli.context import today as today
from infuse_cli.core.errors import UsageError, shown


class Group(typer.core.TyperGroup):
    """A command group whose list of commands wraps each description instead of cutting it
    short with "..." (at 40 columns Click would leave a word or two of each)."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class DefaultGroup(Group):
    """A group that runs its first command when the word after it is not one of its
    commands: `infuse labs --drug lemtrada` is `infuse labs show --drug lemtrada`."""

    def parse_args(self, ctx: Any, args: list[str]) -> Any:
        names = self.list_commands(ctx)
        if names and (not args or (args[0] not in self.commands and args[0] not in ("-h", "--help"))):
            args = [names[0], *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # in the order they were added: the default first


JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


def therapy_names(incomplete: str) -> list[str]:
    """For shell completion: the therapies whose name starts with what was typed."""
    from infuse_cli.cache import load_catalogue

    typed = incomplete.casefold()
    return sorted(t.id for t in load_catalogue() if t.id.startswith(typed))


def profile_names(incomplete: str) -> list[str]:
    """For shell completion: the profiles whose name starts with what was typed."""
    from infuse_cli import profiles

    return [name for name in ["default", *profiles.names()] if name.startswith(incomplete.casefold())]


TherapyArg = Annotated[
    str | None,
    typer.Argument(
        metavar="THERAPY",  # Typer adds the brackets of an optional argument in the usage line
        help="The therapy, as --drug gives it (e.g. ocrevus).",
        show_default=False,
        autocompletion=therapy_names,
    ),
]


def one_therapy(named: str | None, drug: str | None) -> str | None:
    """The therapy given as an argument or with --drug (the same one, if both)."""
    if named and drug and named.strip().casefold() != drug.strip().casefold():
        raise UsageError(
            f"Give the therapy once: '{shown(named)}' as an argument or '{shown(drug)}' with --drug."
        )
    return drug if drug is not None else named  # an empty --drug "" stays empty, and is refused


PlainOpt = Annotated[bool, typer.Option("--plain", help="Plain text: no colour, box drawing or emoji.")]


def text(value: str, option: str) -> str:
    """User text as it will be stored: it must be UTF-8 (a terminal can pass other bytes)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"{option} contains characters that are not UTF-8 text.") from None
    return value


def confirm_deletion(found: list, what: str) -> None:  # type: ignore[type-arg]
    """List the files, ask for 'yes'; anything else stops with exit 1 and deletes nothing."""
    import sys

    from infuse_cli.views.output import note

    sys.stdout.write(f"This deletes {what}:\n")
    for path in found:
        sys.stdout.write(f"  {path}\n")
    sys.stdout.write("Type yes to delete them: ")
    sys.stdout.flush()
    if sys.stdin.readline().strip().lower() != "yes":
        sys.stdout.write("\n")
        note("Nothing was deleted.")
        raise typer.Exit(1)


def ask(question: str, err: bool = False) -> bool:
    """A yes/no question; no answer (end of input, no terminal) is no. ``err``: asked on
    stderr (stdout is kept for one JSON document)."""
    try:
        return bool(typer.confirm(question, default=False, err=err))
    except typer.Abort:
        return False


DrugOpt = Annotated[
    str | None,
    typer.Option(
        "--drug",
        "-d",
        metavar="DRUG",
        autocompletion=therapy_names,
        help="The therapy (default: your setting, else your journal's latest).",
    ),
]
FirstOpt = Annotated[
    bool | None,
    typer.Option(
        "--first/--not-first",
        help="Whether the next infusion is your first of this treatment (default: from your journal).",
        show_default=False,
    ),
]


def format_opt(*allowed: str, default: str = "") -> Any:
    """A --format option whose help names exactly the formats the command takes."""
    names = ", ".join(allowed[:-1]) + f" or {allowed[-1]}"
    tail = f" (default: {default})" if default else ""
    return typer.Option("--format", "-f", metavar="FORMAT", help=f"{names}{tail}.", show_default=False)


def choose_format(fmt: str | None, json: bool, allowed: tuple[str, ...]) -> str:
    """The output format asked for (--json wins), checked against those the command takes."""
    if json:
        return "json"
    value = (allowed[0] if fmt is None else fmt).strip().lower()
    value = {"markdown": "md", "txt": "text"}.get(value, value)
    if value not in allowed:
        raise UsageError(f"--format is '{shown(fmt or '')}'; choose one of {', '.join(allowed)}.")
    return value


def emit(view: Any, fmt: str, plain: bool) -> None:
    """Show a view's result: data as JSON, a document as Markdown or as text."""
    import sys

    from infuse_cli.views import output

    if fmt == "json":
        output.show_json(view)
    elif fmt == "md":
        from infuse_cli.views.page import markdown

        sys.stdout.write(markdown(view))
    else:
        output.show(view, plain)


def therapies() -> dict[str, Any]:
    """Every therapy by its id."""
    return {t.id: t for t in catalogue()}
