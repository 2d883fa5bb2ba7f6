"""The root Typer app: --version, the commands, and the one error boundary."""

import sys
from typing import Annotated, Any

import typer

from infuse_cli import __version__
from infuse_cli.cli.common import Group, profile_names
from infuse_cli.core.errors import InfuseError


def _fail(message: str, code: int) -> None:
    from infuse_cli.views.text import literal

    sys.stderr.write(f"Error: {literal(message)}\n")
    sys.exit(code)


class Stopped(Exception):
    """Ctrl-C, carried past Typer (which would turn it into a silent exit 130)."""


class PipeClosed(Exception):
    """The reader of our output went away (``infuse … | head -1``)."""


def _quiet_stdout() -> None:
    """Send whatever is still buffered for stdout nowhere: the reader has gone."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _click_errors() -> tuple[type[Exception], type[Exception]]:
    """Click's UsageError and ClickException, wherever this Typer keeps Click (its own copy
    in 0.26-0.29, or click itself): both are bases of the public ``typer.BadParameter``."""
    bases = {cls.__name__: cls for cls in typer.BadParameter.__mro__}
    return bases["UsageError"], bases["ClickException"]


def _usage_failed(err: Any) -> None:
    """Bad usage: one sentence and where to look, exit 2 (``infuse`` alone: the help, exit 0)."""
    if type(err).__name__ == "NoArgsIsHelpError":  # `infuse` alone: show the help
        sys.stdout.write(err.format_message().rstrip() + "\n")
        sys.exit(0)
    hint = ""
    if err.ctx is not None:
        hint = f" Try '{err.ctx.command_path} --help'."
    message = err.format_message().strip()
    if not message.endswith((".", "?", "!")):
        message += "."
    _fail(f"{message}{hint}", 2)


def _link_loop(err: RuntimeError) -> None:
    if "symlink loop" in str(err).lower():  # Python 3.11 and 3.12
        _fail("A path infuse was given is a loop of links; nothing was changed.", 1)


def _machine_fault(err: OSError) -> None:
    # Faults of the machine (a full disk, a read-only or missing folder) reached
    # where no command expected them: one sentence, not a traceback.
    where = f"{err.filename}: " if err.filename else ""
    _fail(f"infuse could not go on ({where}{err.strerror or err}); nothing was changed.", 1)


def _damaged_journal(err: Exception) -> None:
    # A journal damaged mid-file (its header intact) fails only when a page is read.
    if type(err).__module__ == "sqlite3" and type(err).__name__ == "DatabaseError":
        _fail(
            f"The journal could not be read ({err}); it is damaged and was left as it was."
            " To put a backup in its place: infuse restore FILE.",
            1,
        )


def _fail_for(err: Exception) -> None:
    """Exit with one sentence for an expected failure; return (to re-raise) for a bug."""
    usage_error, click_error = _click_errors()
    if isinstance(err, InfuseError):
        _fail(str(err), err.exit_code)
    elif isinstance(err, usage_error):
        _usage_failed(err)
    elif isinstance(err, click_error):
        _fail(err.format_message(), 1)  # type: ignore[attr-defined]
    elif isinstance(err, RecursionError):
        return
    elif isinstance(err, RuntimeError):
        _link_loop(err)
    elif isinstance(err, OSError):
        _machine_fault(err)
    else:
        _damaged_journal(err)


def _stopped() -> None:
    from infuse_cli.entry import stopped

    stopped()


def _reader_gone() -> None:
    _quiet_stdout()
    sys.exit(0)


def _finish() -> None:
    """After a command ran: its output written out, and the files it wrote named."""
    sys.stdout.flush()
    written = sys.modules.get("infuse_cli.paths")
    if written is not None:
        written.report()


class InfuseGroup(Group):
    """Turns every expected failure into ``Error: <one sentence>`` and an exit code.

    Lives in the command group, so the console script, ``python -m infuse_cli``
    and the test runner all pass through it.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Stopped() from None
        except BrokenPipeError:
            raise PipeClosed() from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        journal = sys.modules.get("infuse_cli.store")
        if journal is not None:  # a test runs many commands in one process
            journal.SAVED.clear()
        opened = sys.modules.get("infuse_cli.store.connection")
        if opened is not None:
            opened._SHAPED.clear()
        try:
            rv = super().main(*args, **kwargs)
            _finish()
        except (typer.Abort, KeyboardInterrupt, Stopped):
            _stopped()
        except (BrokenPipeError, PipeClosed):
            _reader_gone()
        except Exception as err:
            _fail_for(err)
            raise
        if rv == 130:  # Typer's exit for a Ctrl-C while the command line was read
            _stopped()
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


def _new_app(completion: bool = False) -> typer.Typer:
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
        add_completion=completion,
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
            autocompletion=profile_names,
            help="Keep a separate journal, e.g. for each person you look after (or INFUSE_PROFILE).",
        ),
    ] = None,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="Plain text for any command: no colour, box drawing or emoji (or INFUSE_PLAIN=1,"
            " or: infuse config set plain true).",
        ),
    ] = False,
) -> None:
    """Root options."""
    import os

    from infuse_cli.cli.common import set_profile
    from infuse_cli.views.output import plain_everywhere

    # `infuse profiles …` manages profiles, so it may name one that does not exist yet.
    set_profile(profile, check=ctx.invoked_subcommand != "profiles")
    if not plain and (sys.stdout.isatty() or os.environ.get("FORCE_COLOR")):  # where colour could be
        import contextlib

        from infuse_cli import config
        from infuse_cli.cli.common import profile as chosen

        with contextlib.suppress(InfuseError):  # a broken settings file: the command that reads it says so
            plain = config.load(chosen()).plain
    plain_everywhere(plain)


# Each command and the module that registers it. A run builds only the module its
# command lives in: Typer turns every registered command into a Click command on every
# run, which for the whole app costs about 5 ms of start-up.
COMMANDS: dict[str, str] = {
    "drugs": "catalogue",
    "info": "catalogue",
    "compare": "catalogue",
    "next": "schedule",
    "plan": "schedule",
    "trip": "trip",
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
    "checklist": "checklist",
    "questions": "questions",
    "labs": "labs",
    "symptom": "symptoms",
    "relapse": "symptoms",
    "cycle": "symptoms",
    "glossary": "reference",
    "resources": "reference",
    "prep": "sheet",
    "due": "due",
    "appointment": "plans",
    "coverage": "plans",
    "remind": "remind",
}
_ORDER = (
    "due",
    "catalogue",
    "schedule",
    "trip",
    "checklist",
    "questions",
    "labs",
    "symptoms",
    "plans",
    "remind",
    "reference",
    "sheet",
    "journal",
    "transfer",
    "reactions",
    "settings",
)


def build(
    command: str | None = None, bare: bool = False, completion: bool = False, sub: str | None = None
) -> typer.Typer:
    """The app with every command, or (given a known command) only that command,
    or (``bare``, for ``infuse --version``) only the root options. ``completion`` adds
    --install-completion and --show-completion and answers the shell's completion
    requests; it is built only when one of those is asked for, so other runs pay nothing."""
    from importlib import import_module

    new = _new_app(completion)
    new.callback(invoke_without_command=bare)(root)
    modules = [] if bare else [COMMANDS[command]] if command in COMMANDS else list(_ORDER)
    for name in modules:
        import_module(f"infuse_cli.cli.{name}").register(new)
    if command in COMMANDS:  # Typer builds a Click command for each one registered, every run
        new.registered_commands = [
            c for c in new.registered_commands if (c.name or getattr(c.callback, "__name__", "")) == command
        ]
        new.registered_groups = [_only(g, sub) for g in new.registered_groups if g.name == command]
    return new


def _only(group: Any, sub: str | None) -> Any:
    """A command group with only the subcommand this run asks for (a group whose first
    command runs when none is named, `infuse labs`, keeps that one); the group's help
    (no subcommand named, or --help) keeps them all. The group itself is not changed."""
    import copy

    from infuse_cli.cli.common import DefaultGroup

    inner = group.typer_instance
    names = [c.name for c in inner.registered_commands]
    if sub not in names:
        is_default = inner.info.cls is DefaultGroup and sub != "--help" and names
        if not is_default:
            return group
        sub = names[0]
    pruned = copy.copy(inner)
    pruned.registered_commands = [c for c in inner.registered_commands if c.name == sub]
    found = copy.copy(group)
    found.typer_instance = pruned
    return found


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


def _replace_unencodable(err: UnicodeError) -> tuple[str, int]:
    """Write what an ASCII or Latin-1 terminal cannot show as its nearest plain form."""
    assert isinstance(err, UnicodeEncodeError)
    bad = err.object[err.start : err.end]
    plain = "".join(_PLAIN.get(ch, "?") for ch in bad)
    return plain, err.end


_PLAIN = {
    "\u2014": "-", "\u2013": "-", "\u2212": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"',
    "\u201d": '"', "\u2026": "...", "\u2022": "*", "\u00b7": "*", "\u2192": "->", "\u2190": "<-",
    "\u2265": ">=", "\u2264": "<=", "\u00d7": "x", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    "\u2713": "v", "\u2717": "x", "\u00a7": "S", "\u00b2": "2", "\u00b5": "u", "\u03bc": "u",
    "\u00e9": "e", "\u00b0": " deg", "\u2011": "-", "\u2010": "-",
}  # fmt: skip


def _streams() -> None:
    """Make the standard streams safe before any command runs.

    * Any encoding: characters the terminal's encoding lacks are replaced, never a traceback.
    * A closed stream's descriptor is filled with /dev/null, so no file infuse opens can
      take it and receive text meant for the screen. A closed stdout is then refused: a
      command that cannot show its answer does nothing."""
    import contextlib
    import os

    closed = [name for name in ("stdin", "stdout", "stderr") if getattr(sys, name) is None]
    for name in closed:
        number = ("stdin", "stdout", "stderr").index(name)
        fd = os.open(os.devnull, os.O_RDWR)
        if fd != number:
            os.dup2(fd, number)
            os.close(fd)
        setattr(sys, name, open(number, "r" if number == 0 else "w", closefd=False))  # noqa: SIM115
    if "stdout" in closed:
        sys.stderr.write("Error: The output is closed, so infuse cannot show anything; nothing was done.\n")
        sys.exit(1)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower()
        if encoding not in ("utf-8", "utf8"):
            import codecs

            codecs.register_error("infuse-plain", _replace_unencodable)
            with contextlib.suppress(AttributeError, ValueError):
                stream.reconfigure(errors="infuse-plain")  # type: ignore[union-attr]


COMPLETION = ("--install-completion", "--show-completion")


def main() -> None:
    import os

    _streams()
    argv = sys.argv[1:]
    if "_INFUSE_COMPLETE" in os.environ or any(word in COMPLETION for word in argv):
        build(completion=True)(prog_name="infuse")  # the shell asks for completions, or how to get them
        return
    command = _command_in(argv)
    sub = _subcommand_in(argv, command)
    build(command, bare=command is None and "--version" in argv, sub=sub)()


def _subcommand_in(argv: list[str], command: str | None) -> str | None:
    """The word after the command ("--help" when help is asked for anywhere)."""
    if command is None:
        return None
    if "--help" in argv or "-h" in argv:
        return "--help"
    rest = argv[argv.index(command) + 1 :]
    return rest[0] if rest and not rest[0].startswith("-") else None
