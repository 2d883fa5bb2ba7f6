"""`infuse next` and `infuse plan`."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from infuse_cli.cli.common import JsonOpt, PlainOpt, TherapyArg, one_therapy, profile, therapy_names

if TYPE_CHECKING:
    from infuse_cli.core.upcoming import Upcoming

DrugOpt = Annotated[
    str | None,
    typer.Option(
        "--drug", "-d", metavar="DRUG", autocompletion=therapy_names, help="The therapy, e.g. ocrevus."
    ),
]
StartOpt = Annotated[
    str | None,
    typer.Option(
        "--start", metavar="DATE", help="Your first infusion of this treatment was (or will be) on this date."
    ),
]
LastOpt = Annotated[
    str | None,
    typer.Option("--last", metavar="DATE", help="Your most recent maintenance dose was on this date."),
]
CountryOpt = Annotated[
    str | None,
    typer.Option(
        "--country",
        metavar="CC",
        help="Skip this country's public holidays when suggesting booking days, e.g. US.",
    ),
]
RemindOpt = Annotated[
    int | None,
    typer.Option(
        "--remind-days",
        min=0,
        max=60,
        metavar="DAYS",
        help="Reminders and calendar alarms this many days before (default: your setting, else 7).",
    ),
]
IcsOpt = Annotated[
    Path | None,
    typer.Option(
        "--ics", metavar="FILE", help="Also write the events to this calendar file (.ics).", dir_okay=False
    ),
]


from infuse_cli.services.plan import Inputs  # noqa: E402  (the plan inputs live in the service layer)


def next_(
    therapy: TherapyArg = None,
    drug: DrugOpt = None,
    start: StartOpt = None,
    last: LastOpt = None,
    count: Annotated[
        int,
        typer.Option("--count", "-n", metavar="N", min=1, max=500, help="How many infusion days to show."),
    ] = 3,
    all_events: Annotated[
        bool, typer.Option("--all", help="Add monitoring, vaccine and reminder events.")
    ] = False,
    delay: Annotated[
        int,
        typer.Option(
            "--delay", min=0, max=3650, metavar="DAYS", help="What if the next dose were DAYS late?"
        ),
    ] = 0,
    interval_option: Annotated[
        str | None,
        typer.Option(
            "--interval-option",
            metavar="NAME",
            help="An alternative interval the catalogue lists, e.g. extended (off-label).",
        ),
    ] = None,
    country: CountryOpt = None,
    remind_days: RemindOpt = None,
    ics: IcsOpt = None,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """When is my next infusion?

    Dates from the label's rules and your own dates, each with a suggested
    booking day, the time at the clinic and why the date is what it is.

    \b
    Examples:
      infuse next --drug ocrevus
      infuse next --drug ocrevus --start 2026-01-05
      infuse next --drug tysabri --last 2026-05-12 --count 6 --all
      infuse next --drug ocrevus --last 2026-05-12 --delay 14
      infuse next --drug briumvi --start 2026-02-02 --ics briumvi.ics
    """
    drug = one_therapy(therapy, drug)
    from infuse_cli.views.output import note, show, show_json

    inp = Inputs(drug, start, last)
    up = inp.upcoming(
        country,
        remind_days,
        count=count,
        delay_days=delay,
        option=interval_option,
        with_events=all_events,
        per_program=count,
    )
    if up.end is not None and up.end.kind == "no_schedule":
        _explain(up, json, plain, ics is not None)
        return
    if ics is not None:
        from infuse_cli.views.ics import write_ics

        write_ics(ics, [up], today=inp.today, profile=profile())
        note(f"Calendar written to {ics}.")
    if json:
        for n in up.notes:
            note(f"Warning: {n}")
        from infuse_cli.views.schedule import next_json

        show_json(next_json(up))
    else:
        from infuse_cli.views.schedule import next_doc

        show(next_doc(up, inp.config.travel_minutes), plain)


def plan(
    therapy: TherapyArg = None,
    drug: DrugOpt = None,
    start: StartOpt = None,
    last: LastOpt = None,
    months: Annotated[
        int,
        typer.Option(
            "--months", "-m", metavar="N", min=1, max=120, help="How many months to show, from this month."
        ),
    ] = 12,
    country: CountryOpt = None,
    remind_days: RemindOpt = None,
    ics: IcsOpt = None,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """A calendar of the months ahead.

    A month grid like `cal`, with infusion days, tests and reminders marked by
    symbols, then the same days as a list.

    \b
    Examples:
      infuse plan --drug ocrevus --last 2026-05-12
      infuse plan --drug lemtrada --start 2026-03-02 --months 24 --plain
      infuse plan --drug tysabri --last 2026-05-12 --ics tysabri.ics
    """
    drug = one_therapy(therapy, drug)
    import sys

    from infuse_cli.views import plan as view
    from infuse_cli.views import text
    from infuse_cli.views.doc import Heading
    from infuse_cli.views.output import note, show, show_json, wants_rich, width

    inp = Inputs(drug, start, last)
    up = inp.upcoming(country, remind_days, count=10**6, months=months, with_events=True)
    if up.end is not None and up.end.kind == "no_schedule":
        _explain(up, json, plain, ics is not None, "Plan")
        return
    if ics is not None:
        from infuse_cli.views.ics import write_ics

        write_ics(ics, [up], today=inp.today, profile=profile())
        note(f"Calendar written to {ics}.")
    if json:
        from infuse_cli.views.schedule import next_json

        data = next_json(up)
        data["months"] = months
        show_json(data)
        return
    look = text.colour() if wants_rich(plain) else text.PLAIN
    w = width()
    sys.stdout.write(text.render([Heading(f"Plan: {inp.therapy.brand}")], w, look))
    sys.stdout.write("\n" + view.grid(up, months, w, look) + "\n")
    show(view.plan_doc(up, months), plain)


def _explain(up: "Upcoming", json: bool, plain: bool, calendar: bool, title: str = "Next infusions") -> None:
    """A therapy with nothing to project: say why (a result, exit 0)."""
    from infuse_cli.views.output import note, show, show_json
    from infuse_cli.views.schedule import next_json, no_schedule_doc

    if calendar:
        note("No calendar was written: there are no dates to put in it.")
    if json:
        show_json(next_json(up))
    else:
        show(no_schedule_doc(up, title), plain)


def register(app: typer.Typer) -> None:
    app.command("next")(next_)
    app.command("plan")(plan)
