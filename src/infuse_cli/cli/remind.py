"""`infuse remind …`: your own reminders, and the daily check of what is due."""

import typer

from infuse_cli.cli.common import Group
from infuse_cli.cli.remind_setup import add_to

remind = typer.Typer(
    cls=Group,
    help=(
        "Your own reminders, and a daily check that shows what is due as a desktop notification."
        "\n\n\b\nExamples:\n  infuse remind install\n  infuse remind status\n  infuse remind uninstall"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
add_to(remind)


def register(app: typer.Typer) -> None:
    app.add_typer(remind, name="remind")
