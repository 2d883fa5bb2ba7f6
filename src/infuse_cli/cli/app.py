"""The root Typer app: --version, the commands, and the one error boundary."""

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from infuse_cli import __version__
from infuse_cli.core.errors import InfuseError


def _fail(message: str, code: int) -> None:
    from infuse_cli.views.text import literal

    sys.stderr.write(f"Error: {literal(message)}\n")
    sys.exit(code)


class InfuseGroup(TyperGroup):
    """Turns every expected failure into ``Error: <one sentence>`` and an exit code.

    Lives in the command group, so the console script, ``python -m infuse_cli``
    and the test runner all pass through it.
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from typer import _click
        from typer.exceptions import Abort

        kwargs["standalone_mode"] = False
        try:
            rv = super().main(*args, **kwargs)
        except InfuseError as err:
            _fail(str(err), err.exit_code)
        except _click.exceptions.UsageError as err:
            if type(err).__name__ == "NoArgsIsHelpError":  # `infuse` alone: show the help
                sys.stdout.write(err.format_message().rstrip() + "\n")
                sys.exit(0)
            hint = ""
            if err.ctx is not None:
                hint = f" Try '{err.ctx.command_path} --help'."
            message = err.format_message().rstrip(".")
            _fail(f"{message}.{hint}", 2)
        except _click.exceptions.ClickException as err:
            _fail(err.format_message(), 1)
        except (Abort, KeyboardInterrupt):
            sys.stderr.write("\nStopped. Nothing was changed.\n")
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as err:
            # A journal damaged mid-file (its header intact) fails only when a page is read.
            if type(err).__module__ == "sqlite3" and type(err).__name__ == "DatabaseError":
                _fail(
                    f"The journal could not be read ({err}); it is damaged and was left as it was."
                    " To put a backup in its place: infuse restore FILE.",
                    1,
                )
            raise
        sys.exit(rv if isinstance(rv, int) else 0)


def _columns() -> int:
    """The terminal's width for help text (Click alone never wraps narrower than 50)."""
    import os

    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.stdout.fileno()).columns
        except (OSError, ValueError, AttributeError):
            columns = 80
    return max(columns, 20)


def _new_app() -> typer.Typer:
    return typer.Typer(
        cls=InfuseGroup,
        name="infuse",
        help=(
            "An offline companion for people with MS who receive infused therapies: when is my"
            " next infusion, what do I bring, what do I ask, how do these therapies compare?"
            "\n\n\b\nExamples:\n  infuse drugs\n  infuse info ocrevus\n  infuse compare tysabri briumvi"
            "\n\ninfuse informs; it is not medical advice. Your care team's plan wins."
        ),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"], "terminal_width": _columns()},
    )


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"infuse {__version__}\n")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            metavar="NAME",
            help="Keep a separate journal, e.g. for each person you look after (or INFUSE_PROFILE).",
        ),
    ] = None,
) -> None:
    """Root options."""
    from infuse_cli.cli.common import set_profile

    # `infuse profiles …` manages profiles, so it may name one that does not exist yet.
    set_profile(profile, check=ctx.invoked_subcommand != "profiles")


# Each command and the module that registers it. A run builds only the module its
# command lives in: Typer turns every registered command into a Click command on every
# run, which for the whole app costs about 5 ms of start-up.
COMMANDS: dict[str, str] = {
    "drugs": "catalogue",
    "info": "catalogue",
    "compare": "catalogue",
    "next": "schedule",
    "plan": "schedule",
    "paths": "journal",
    "forget": "journal",
    "log": "journal",
    "export": "transfer",
    "import": "transfer",
    "backup": "transfer",
    "restore": "transfer",
    "journal": "reactions",
    "reaction": "reactions",
    "config": "settings",
    "profiles": "settings",
    "checklist": "prep",
    "questions": "prep",
    "labs": "prep",
    "glossary": "prep",
    "resources": "prep",
    "prep": "prep",
}
_ORDER = ("catalogue", "schedule", "prep", "journal", "transfer", "reactions", "settings")


def build(command: str | None = None, bare: bool = False) -> typer.Typer:
    """The app with every command, or (given a known command) only that command,
    or (``bare``, for ``infuse --version``) only the root options."""
    from importlib import import_module

    new = _new_app()
    new.callback(invoke_without_command=bare)(root)
    modules = [] if bare else [COMMANDS[command]] if command in COMMANDS else list(_ORDER)
    for name in modules:
        import_module(f"infuse_cli.cli.{name}").register(new)
    if command in COMMANDS:  # Typer builds a Click command for each one registered, every run
        new.registered_commands = [
            c for c in new.registered_commands if (c.name or getattr(c.callback, "__name__", "")) == command
        ]
        new.registered_groups = [g for g in new.registered_groups if g.name == command]
    return new


def _command_in(argv: list[str]) -> str | None:
    """The command word in ``argv``, skipping root options (and --profile's value)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if word == "--profile":
            skip = True
            continue
        if word.startswith("-"):
            continue
        return word
    return None


def __getattr__(name: str) -> typer.Typer:
    """``app``: the whole app, built on first use (tests, the CLI reference)."""
    if name == "app":
        full = build()
        globals()["app"] = full
        return full
    raise AttributeError(name)


def main() -> None:
    argv = sys.argv[1:]
    command = _command_in(argv)
    build(command, bare=command is None and "--version" in argv)()
