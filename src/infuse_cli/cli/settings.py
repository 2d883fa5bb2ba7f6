"""`infuse config set|get|list`."""

from typing import Annotated

import typer

from infuse_cli.cli.common import Group, JsonOpt, PlainOpt, profile

config_app = typer.Typer(
    cls=Group,
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
        typer.Argument(
            metavar="KEY",
            help="therapy, country, remind_days, date_order, travel_minutes, started, plain, clinic_days,"
            " lead_days or interval ('infuse config list' says what each does).",
        ),
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
    current = config.load(profile(), checked=False)  # so a value out of range can be set right
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


profiles_app = typer.Typer(
    cls=Group,
    help=(
        "The people whose journals you keep: list, add, remove."
        "\n\n\b\nExamples:\n  infuse profiles\n  infuse profiles add sam\n  infuse --profile sam next"
    ),
    invoke_without_command=True,
    rich_markup_mode=None,
)


@profiles_app.callback()
def profiles_list(ctx: typer.Context, json: JsonOpt = False, plain: PlainOpt = False) -> None:
    """Every profile with its therapy, last infusion and next date.

    \b
    Examples:
      infuse profiles
      infuse profiles --json
    """
    if ctx.invoked_subcommand is not None:
        return
    from infuse_cli.cli.common import today
    from infuse_cli.services import plan as services
    from infuse_cli.views.output import show, show_json
    from infuse_cli.views.profiles import profiles_doc, profiles_json

    rows = services.overview(today())
    if json:
        show_json(profiles_json(rows))
    else:
        show(profiles_doc(rows), plain)


@profiles_app.command("add")
def profiles_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Letters, digits, - and _.")],
) -> None:
    """Make a profile: a journal and settings of its own.

    \b
    Examples:
      infuse profiles add sam
    """
    from infuse_cli import profiles
    from infuse_cli.views.output import note

    profiles.add(name)
    note(f"Added the profile '{name}'. Use it: infuse --profile {name} log add --drug NAME --date DATE")


@profiles_app.command("rm")
def profiles_rm(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask; delete at once.")] = False,
) -> None:
    """Remove a profile: its journal, backups and settings (asks first).

    \b
    Examples:
      infuse profiles rm sam
    """

    from infuse_cli import forget as gone
    from infuse_cli import profiles
    from infuse_cli.core.errors import InfuseError
    from infuse_cli.views.output import note

    profiles.check_name(name)
    if name == profiles.DEFAULT:
        raise InfuseError("The default profile cannot be removed; infuse forget deletes what it holds.")
    profiles.require(name)
    found = gone.files(name, False)
    if not yes:
        from infuse_cli.cli.common import confirm_deletion

        confirm_deletion(found, f"the profile '{name}' and {len(found)} files")
    gone.remove(found, gone.folders(name, False))
    if profiles.exists(name):
        raise InfuseError(
            f"Some of the profile '{name}' could not be deleted; infuse paths shows where it is."
        )
    note(f"Removed the profile '{name}'.")


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
    app.add_typer(profiles_app, name="profiles")
