"""`infuse remind …`: your own dates (a neurologist visit, an MRI), once or repeating."""

from typing import Annotated

import typer

from infuse_cli.cli.common import Group, JsonOpt, PlainOpt, text, today
from infuse_cli.cli.plans import IdArg, YesOpt, _list, _remove, _said
from infuse_cli.cli.remind_setup import add_to

remind = typer.Typer(
    cls=Group,
    help=(
        "Your own reminders, and a daily check that shows what is due as a desktop notification."
        "\n\n\b\nExamples:\n  infuse remind add 'Neurologist visit' --date 2027-01-12 --before 7"
        "\n  infuse remind add 'MRI' --date 2027-03-01 --every '12 months'\n  infuse remind list"
        "\n  infuse remind install"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


@remind.command("add")
def remind_add(
    words: Annotated[str, typer.Argument(metavar="TEXT", help="What to remember, in your words.")],
    date: Annotated[str, typer.Option("--date", metavar="DATE", help="The day (the first, if it repeats).")],
    every: Annotated[
        str | None, typer.Option("--every", metavar="N UNIT", help="Repeat: '3 months', '6 weeks', '1 year'.")
    ] = None,
    before: Annotated[
        int,
        typer.Option("--before", min=0, max=365, metavar="DAYS", help="Show it in due this many days ahead."),
    ] = 0,
    json: JsonOpt = False,
) -> None:
    """Add your own reminder: it shows in due, plan, the prep sheet and the calendar.

    Repeats count from the first date, in calendar months: 31 Jan every month is
    28 Feb (29 in a leap year), then 31 Mar.

    \b
    Examples:
      infuse remind add "Neurologist visit" --date 2027-01-12 --before 7
      infuse remind add "MRI with contrast" --date 2027-03-01 --every "12 months"
    """
    from infuse_cli.services.plans import add_reminder
    from infuse_cli.views.plans import reminder_json, reminder_line

    r = add_reminder(text(words, "TEXT"), date, every, before, today())
    _said(reminder_json(r) if json else f"Added {reminder_line(r)} (number {r.id}).", json)


@remind.command("list")
def remind_list(json: JsonOpt = False, plain: PlainOpt = False) -> None:
    """Your own reminders and when each is next.

    \b
    Examples:
      infuse remind list
    """
    _list("reminder", json, plain)


@remind.command("rm")
def remind_rm(reminder_id: IdArg, yes: YesOpt = False, json: JsonOpt = False) -> None:
    """Remove one of your reminders (it asks first).

    \b
    Examples:
      infuse remind rm 1
    """
    _remove("reminder", reminder_id, yes, json)


add_to(remind)


def register(app: typer.Typer) -> None:
    app.add_typer(remind, name="remind")
