"""`infuse appointment …` and `infuse coverage …`: the bookings actually made, and the
coverage that pays for the infusions until a day."""

from typing import Annotated

import typer

from infuse_cli.cli.common import DrugOpt, Group, JsonOpt, PlainOpt, ask, text, today

appointment_app = typer.Typer(
    cls=Group,
    help=(
        "The bookings you have made, for an infusion or a test: next, plan, due and the"
        " calendar show the booked day instead of a suggestion."
        "\n\n\b\nExamples:\n  infuse appointment add --date 2027-01-13 --time 09:30 --place 'City clinic'"
        "\n  infuse appointment add --date 2027-01-06 --test cbc\n  infuse appointment list"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
coverage_app = typer.Typer(
    cls=Group,
    help=(
        "Coverage that ends on a day (a prior authorization, a co-pay program, an insurance plan"
        " year): due says when to start renewing it, next warns when an infusion falls after it."
        "\n\n\b\nExamples:\n  infuse coverage add prior-auth --until 2027-03-31\n  infuse coverage list"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)

NoteOpt = Annotated[str, typer.Option("--note", metavar="TEXT", help="Anything to remember.")]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask to confirm.")]
IdArg = Annotated[int, typer.Argument(metavar="ID", min=1, max=2**62, help="The entry's number (from list).")]


@appointment_app.command("add")
def appointment_add(
    date: Annotated[str, typer.Option("--date", metavar="DATE", help="The day booked: YYYY-MM-DD.")],
    time: Annotated[str, typer.Option("--time", metavar="HH:MM", help="The time booked.")] = "",
    place: Annotated[str, typer.Option("--place", metavar="TEXT", help="Where: the clinic, the lab.")] = "",
    drug: DrugOpt = None,
    test: Annotated[
        str | None,
        typer.Option("--test", metavar="TEST", help="A booking for this test (infuse labs tests)."),
    ] = None,
    note: NoteOpt = "",
    json: JsonOpt = False,
) -> None:
    """Record a booking you have made: for the next infusion, or (--test) for a test.

    A booking for an infusion becomes that infusion's day in next, plan, due, the prep
    sheet and the calendar; a day earlier than the label allows (after the last dose or
    another booking) gets a warning at once. Each booking is an infusion of its own: remove
    the old one when you rebook. The same day twice is refused; each day of a course can
    be booked.

    \b
    Examples:
      infuse appointment add --date 2027-01-13 --time 09:30 --place "City infusion centre"
      infuse appointment add --date 2027-01-06 --test cbc --place "Lab on Main St"
    """
    from infuse_cli.services.plans import add_appointment
    from infuse_cli.views.output import note as say
    from infuse_cli.views.plans import appointment_json, appointment_line

    a, warning = add_appointment(
        date, time, text(place, "--place"), drug, test, text(note, "--note"), today()
    )
    _said(appointment_json(a) if json else f"Booked {appointment_line(a)} (number {a.id}).", json)
    if warning:
        say(warning)


@appointment_app.command("list")
def appointment_list(
    everything: Annotated[bool, typer.Option("--all", help="Past bookings too.")] = False,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """Your bookings from today on (--all: every one).

    \b
    Examples:
      infuse appointment list
    """
    _list("appointment", json, plain, everything)


@appointment_app.command("rm")
def appointment_rm(appointment_id: IdArg, yes: YesOpt = False, json: JsonOpt = False) -> None:
    """Remove a booking (it asks first).

    \b
    Examples:
      infuse appointment rm 2
    """
    _remove("appointment", appointment_id, yes, json)


@coverage_app.command("add")
def coverage_add(
    kind: Annotated[str, typer.Argument(metavar="KIND", help="prior-auth, copay or plan-year.")],
    until: Annotated[str, typer.Option("--until", metavar="DATE", help="The last day it covers.")],
    renew_days: Annotated[
        int,
        typer.Option(
            "--renew-days", min=0, max=365, metavar="DAYS", help="Start renewing this many days before."
        ),
    ] = 45,
    drug: DrugOpt = None,
    note: NoteOpt = "",
    json: JsonOpt = False,
) -> None:
    """Record coverage that ends on a day, and how early its renewal should start.

    Prior authorizations are usually renewed every 6 to 12 months, with no grace period:
    infuse due says when to start, and next warns when an infusion falls after the end.

    \b
    Examples:
      infuse coverage add prior-auth --until 2027-03-31
      infuse coverage add copay --until 2026-12-31 --renew-days 30 --note "Call the program"
    """
    from infuse_cli.services.plans import add_coverage
    from infuse_cli.views.plans import coverage_json, coverage_line

    c = add_coverage(kind, until, renew_days, drug, text(note, "--note"), today())
    _said(coverage_json(c) if json else f"Recorded {coverage_line(c)} (number {c.id}).", json)


@coverage_app.command("list")
def coverage_list(json: JsonOpt = False, plain: PlainOpt = False) -> None:
    """Your coverage, the one ending first first.

    \b
    Examples:
      infuse coverage list
    """
    _list("coverage", json, plain)


@coverage_app.command("rm")
def coverage_rm(coverage_id: IdArg, yes: YesOpt = False, json: JsonOpt = False) -> None:
    """Remove a coverage entry (it asks first).

    \b
    Examples:
      infuse coverage rm 1
    """
    _remove("coverage", coverage_id, yes, json)


def _said(found: object, json: bool) -> None:
    from infuse_cli.views.output import note, show_json

    if json:
        show_json(found)
    else:
        note(str(found))


def _list(kind: str, json: bool, plain: bool, everything: bool = False) -> None:
    from infuse_cli.services.plans import listed
    from infuse_cli.views import plans
    from infuse_cli.views.output import show, show_json

    found = listed(kind, today(), everything)
    if json:
        show_json(plans.listed_json(kind, found))
        return
    show(plans.DOCS[kind](found, today()), plain)


def _remove(kind: str, entry_id: int, yes: bool, json: bool) -> None:
    from infuse_cli.services.plans import entry, remove
    from infuse_cli.views.output import note
    from infuse_cli.views.plans import JSON, LINES

    found = entry(kind, entry_id)
    if not yes and not ask(f"Remove {kind} {entry_id} ({LINES[kind](found)})?", err=json):
        note("Nothing was removed.")
        raise typer.Exit(1)
    remove(kind, entry_id)
    _said(JSON[kind](found) | {"removed": True} if json else f"Removed {kind} {entry_id}.", json)


def register(app: typer.Typer) -> None:
    app.add_typer(appointment_app, name="appointment")
    app.add_typer(coverage_app, name="coverage")
