"""The root Typer app: --version, the commands, and the one error boundary."""

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from infuse_cli import __version__
from infuse_cli.core.errors import InfuseError


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"Error: {message}\n")
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
        sys.exit(rv if isinstance(rv, int) else 0)


app = typer.Typer(
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
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"infuse {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
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

    set_profile(profile)


from infuse_cli.cli import catalogue as _catalogue  # noqa: E402
from infuse_cli.cli import journal as _journal  # noqa: E402
from infuse_cli.cli import reactions as _reactions  # noqa: E402
from infuse_cli.cli import schedule as _schedule  # noqa: E402
from infuse_cli.cli import settings as _settings  # noqa: E402
from infuse_cli.cli import transfer as _transfer  # noqa: E402

_catalogue.register(app)
_schedule.register(app)
_journal.register(app)
_settings.register(app)
_transfer.register(app)
_reactions.register(app)


def main() -> None:
    app()
