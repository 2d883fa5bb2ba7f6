"""`infuse config set|get|list`."""

from typing import Annotated

import typer

from infuse_cli.cli.common import JsonOpt, PlainOpt, profile

config_app = typer.Typer(
    help=(
        "Your settings: therapy, country, reminders."
        "\n\nAlso the date order for dates like 03/04/2026 and your travel time."
        "\n\n\b\nExamples:\n  infuse config set therapy ocrevus\n  infuse config set country US"
        "\n  infuse config list"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


@config_app.command("set")
def set_(
    key: Annotated[
        str,
        typer.Argument(metavar="KEY", help="therapy, country, remind_days, date_order or travel_minutes."),
    ],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The new value; an empty string clears it.")],
) -> None:
    """Change one setting.

    \b
    Examples:
      infuse config set therapy ocrevus
      infuse config set date_order dmy
      infuse --profile mum config set therapy tysabri
    """
    from msgspec.structs import replace

    from infuse_cli import config
    from infuse_cli.views.output import note

    stored = config.check(key, value)
    current = config.load(profile())
    path = config.save(profile(), replace(current, **{key: stored}))
    note(f"Set {key} = {stored!r} in {path}.")


@config_app.command("get")
def get(key: Annotated[str, typer.Argument(metavar="KEY")]) -> None:
    """Print one setting.

    \b
    Examples:
      infuse config get therapy
    """
    import sys

    from infuse_cli import config
    from infuse_cli.core.errors import UsageError

    if key not in config.KEYS:
        raise UsageError(f"'{key}' is not a setting; the settings are: {', '.join(config.KEYS)}.")
    sys.stdout.write(f"{getattr(config.load(profile()), key)}\n")


@config_app.command("list")
def list_(json: JsonOpt = False, plain: PlainOpt = False) -> None:
    """Every setting, its value and what it does.

    \b
    Examples:
      infuse config list
      infuse config list --json
    """
    import msgspec

    from infuse_cli import config
    from infuse_cli.views.doc import Fields, Heading, Para
    from infuse_cli.views.output import show, show_json

    current = config.load(profile())
    if json:
        show_json({"schema": 1, "profile": profile() or "default", **msgspec.to_builtins(current)})
        return
    rows = [(k, f"{str(getattr(current, k)) or '(not set)'} — {config.HELP[k]}") for k in config.KEYS]
    show(
        [Heading("Settings"), Fields(rows), Para(f"File: {config.config_path(profile())}", tone="muted")],
        plain,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
