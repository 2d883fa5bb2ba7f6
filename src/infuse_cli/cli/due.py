"""`infuse due`: the home screen — everything due or overdue in the next days."""

from typing import Annotated

import typer

from infuse_cli.cli.common import JsonOpt, PlainOpt, profile, today


def due(
    days: Annotated[
        int,
        typer.Option("--days", "-n", min=1, max=366, metavar="N", help="How far ahead to look (default 14)."),
    ] = 14,
    all_profiles: Annotated[
        bool, typer.Option("--all-profiles", "-a", help="Everyone you look after: every profile, named.")
    ] = False,
    short: Annotated[
        bool,
        typer.Option(
            "--short", help="One line, or nothing when nothing is due (for a shell's start-up file)."
        ),
    ] = False,
    notify: Annotated[
        bool, typer.Option("--notify", help="Also show it as a desktop notification (infuse remind install).")
    ] = False,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """Everything due or overdue in the next days, most urgent first.

    Infusions to book or attend, tests, vaccine deadlines, the next visit's checklist,
    coverage to renew and your own reminders, each on one line. An infusion within the
    booking lead time (infuse config set lead_days 21) with no booking says "book it".

    \b
    Examples:
      infuse due
      infuse due --days 30
      infuse due --all-profiles
      infuse due --short        # in ~/.bashrc: one line at each new terminal
      infuse due --notify       # what the daily check runs (infuse remind install)
    """
    from infuse_cli.services.due import due_everyone, due_for

    if short:
        import sys

        from infuse_cli.quick import short_line

        line = short_line(all_profiles, days)
        if line:
            sys.stdout.write(line + "\n")
        return
    lists = due_everyone(today(), days) if all_profiles else [due_for(today(), days, profile() or "")]
    _show(lists, days, all_profiles, notify, json, plain)


def _show(lists: list, days: int, named: bool, notify: bool, json: bool, plain: bool) -> None:  # type: ignore[type-arg]
    from infuse_cli.views import due as view
    from infuse_cli.views.output import note, show, show_json

    lines = view.notify_lines(lists, named)
    if notify and lines:
        from infuse_cli.services.notify import notify as send

        said = send(lines)
        if said is not None:
            note(said)  # no desktop notifier: the lines follow on stdout
    if json:
        show_json(view.due_json(lists, days))
    else:
        show(view.due_doc(lists, days, named), plain)


def register(app: typer.Typer) -> None:
    app.command("due")(due)
