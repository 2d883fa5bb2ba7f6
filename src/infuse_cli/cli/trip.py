"""`infuse trip`: what of the plan falls inside a trip, and the days around it."""

from typing import Annotated

import typer

from infuse_cli.cli.common import JsonOpt, PlainOpt, TherapyArg, one_therapy
from infuse_cli.cli.schedule import CountryOpt, DrugOpt, LastOpt, StartOpt


def trip(
    trip_from: Annotated[
        str,
        typer.Argument(
            metavar="FROM", help="The trip's first day away, e.g. 2026-06-22.", show_default=False
        ),
    ],
    trip_to: Annotated[
        str,
        typer.Argument(metavar="TO", help="The trip's last day away, e.g. 2026-07-12.", show_default=False),
    ],
    therapy: TherapyArg = None,
    drug: DrugOpt = None,
    start: StartOpt = None,
    last: LastOpt = None,
    country: CountryOpt = None,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """What falls inside a trip, and the days the label allows around it.

    Each infusion, test and deadline between FROM and TO (both days away),
    with the days before and after the trip the label's rules allow, and the
    rule quoted. It proposes only: agree any change with your care team.

    \b
    Examples:
      infuse trip 2026-06-22 2026-07-12 --drug tysabri --last 2026-06-03
      infuse trip 2026-06-22 2026-07-12 ocrevus --start 2026-01-05
      infuse trip 2026-06-22 2026-07-12 --json
    """
    from infuse_cli.services.trip import trip_plan
    from infuse_cli.views.output import note, show, show_json

    found = trip_plan(one_therapy(therapy, drug), start, last, trip_from, trip_to, country)
    for n in found.up.notes if json else ():
        note(f"Warning: {n}")
    if json:
        from infuse_cli.views.trip import trip_json

        show_json(trip_json(found))
    else:
        from infuse_cli.views.trip import trip_doc

        show(trip_doc(found), plain)


def register(app: typer.Typer) -> None:
    app.command("trip")(trip)
