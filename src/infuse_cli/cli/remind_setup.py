"""`infuse remind install|uninstall|status`: the daily check that shows what is due as a
desktop notification (the commands are added to the `remind` group by ``add_to``)."""

import sys
from typing import Annotated

import typer

from infuse_cli.cli.common import JsonOpt, PlainOpt, ask, profile

CronOpt = Annotated[
    bool, typer.Option("--cron", help="Print a crontab line to add instead (systemd machines).")
]


def install(
    all_profiles: Annotated[
        bool, typer.Option("--all-profiles", help="Check every profile, not only this one.")
    ] = False,
    at: Annotated[
        str, typer.Option("--at", metavar="HH:MM", help="The time of the daily check (24-hour clock).")
    ] = "09:00",
    cron: CronOpt = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask; write at once.")] = False,
) -> None:
    """Set up a daily check that shows what is due as a desktop notification.

    It runs `infuse due --notify` every day and at login, and catches up a day the
    machine was off. Linux with systemd: a user timer and service in
    ~/.config/systemd/user. macOS: a launchd agent in ~/Library/LaunchAgents.
    Elsewhere (or with --cron) it prints the crontab line to add and changes nothing.
    It lists the files and asks first.

    \b
    Examples:
      infuse remind install
      infuse --profile mum remind install --at 08:30
      infuse remind install --all-profiles --yes
    """
    from infuse_cli.services import notify
    from infuse_cli.views import dailycheck as view
    from infuse_cli.views.output import note

    plan = notify.plan(profile(), all_profiles, at, cron)
    if plan.kind == "cron":
        sys.stdout.write(view.cron_text(plan, cron))
        return
    sys.stdout.write(view.will_write(plan))
    if not yes and not ask("Write these files?"):
        note("Nothing was changed.")
        raise typer.Exit(1)
    files = notify.install(plan)
    for sentence in view.written(plan, files):
        note(sentence)


def uninstall() -> None:
    """Remove the daily check: disable the timer (or agent) and delete the files infuse wrote.

    Only files infuse wrote are deleted; a file of the same name that infuse did not
    write is left as it is.

    \b
    Examples:
      infuse remind uninstall
    """
    from infuse_cli.services import notify
    from infuse_cli.views.output import note

    removed = notify.uninstall()
    if not removed:
        note("No daily check is installed; nothing was removed.")
        return
    note("Removed " + " and ".join(str(p) for p in removed) + ". The daily check is off.")


def status(cron: CronOpt = False, json: JsonOpt = False, plain: PlainOpt = False) -> None:
    """Whether the daily check is installed, its files, and whether its timer is enabled.

    \b
    Examples:
      infuse remind status
      infuse remind status --json
    """
    from infuse_cli.services import notify
    from infuse_cli.views import dailycheck as view
    from infuse_cli.views.output import show, show_json

    found = notify.status(cron)
    if json:
        show_json(view.status_json(found))
    else:
        show(view.status_doc(found), plain)


def add_to(group: typer.Typer) -> None:
    """Add install, uninstall and status to ``group`` (the `remind` group)."""
    group.command("install")(install)
    group.command("uninstall")(uninstall)
    group.command("status")(status)
