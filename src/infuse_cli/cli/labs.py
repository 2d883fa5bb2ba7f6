"""`infuse labs …`: tests before and during treatment, the monitoring ledger, and the
results the person records."""

from typing import Annotated

import typer

from infuse_cli.cli.common import (
    DefaultGroup,
    DrugOpt,
    JsonOpt,
    PlainOpt,
    TherapyArg,
    ask,
    one_therapy,
    text,
    today,
)
from infuse_cli.cli.schedule import LastOpt, StartOpt

labs_app = typer.Typer(
    cls=DefaultGroup,
    help=(
        "Tests: which are due, which were done or missed, and your results over time."
        "\n\n\b\nExamples:\n  infuse labs --drug lemtrada\n  infuse labs add tsh 2.1 --date 2026-11-03"
        "\n  infuse labs add jcv positive 0.68 --date 2026-10-01\n  infuse labs history jcv"
    ),
    rich_markup_mode=None,
)

TestArg = Annotated[
    str, typer.Argument(metavar="TEST", help="The test: a name such as tsh, jcv, igg or 'blood count'.")
]
IdArg = Annotated[
    int, typer.Argument(metavar="ID", min=1, max=2**62, help="The result's number (infuse labs list).")
]
NoteOpt = Annotated[str, typer.Option("--note", metavar="TEXT", help="Anything to remember.")]


@labs_app.command("show")
def show(
    therapy: TherapyArg = None,
    drug: DrugOpt = None,
    start: StartOpt = None,
    last: LastOpt = None,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """The monitoring ledger and the tests of your therapy (what `infuse labs` shows).

    For each repeating test: every window the label sets, done, missed, due or ahead, from
    the results you record (infuse labs add); then the tests before starting and while on
    treatment, with their next dates. Without a therapy: every therapy in your journal.

    \b
    Examples:
      infuse labs
      infuse labs --drug lemtrada
      infuse labs --drug lemtrada --start 2026-03-02 --json
    """
    from infuse_cli.services.labs import ledgers
    from infuse_cli.views.labs import labs_doc, labs_json
    from infuse_cli.views.output import show as show_doc
    from infuse_cli.views.output import show_json

    found = ledgers(one_therapy(therapy, drug), start, last)
    if json:
        show_json(labs_json(found))
    else:
        show_doc(labs_doc(found), plain)


@labs_app.command("add", context_settings={"ignore_unknown_options": True})  # a value may be -5
def add(
    test: TestArg,
    date: Annotated[
        str,
        typer.Option("--date", metavar="DATE", help="The day of the test: YYYY-MM-DD, today or yesterday."),
    ],
    value: Annotated[
        str | None, typer.Argument(metavar="VALUE", help="The result: a number, or positive / negative.")
    ] = None,
    unit: Annotated[
        str | None,
        typer.Argument(metavar="UNIT", help="Its unit (e.g. g/L), or a JCV index after its status."),
    ] = None,
    note: NoteOpt = "",
    again: Annotated[
        bool, typer.Option("--again", help="Add a second result of this test on the same day.")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Record a test result, or (without a value) that a test was done.

    A value in another unit is converted only where the factor is exact (IgG g/L to mg/dL);
    otherwise it is kept in the unit the lab gave.

    \b
    Examples:
      infuse labs add tsh 2.1 --date 2026-11-03
      infuse labs add igg 7.9 g/L --date 2026-10-20
      infuse labs add jcv positive 0.68 --date 2026-10-01
      infuse labs add "blood count" --date today
    """
    from infuse_cli.services.labs import add as record
    from infuse_cli.views.labs import band_words, result_json, value_text
    from infuse_cli.views.output import note as say
    from infuse_cli.views.output import show_json

    done = record(test, value, unit, date, text(note, "--note"), again, today())
    if json:
        show_json(result_json(done.result))
        return
    r = done.result
    say(f"Recorded {done.test.name} on {r.date.isoformat()}: {value_text(r)} (number {r.id}).")
    for b in done.bands:
        from infuse_cli.cli.common import therapies

        say(f"The label's band: {band_words(b, therapies())}. Discuss results with your care team.")


@labs_app.command("list")
def list_cmd(
    test: Annotated[str | None, typer.Argument(metavar="TEST", help="Only this test.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Only results from this day on.")
    ] = None,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """Your recorded test results, oldest first.

    \b
    Examples:
      infuse labs list
      infuse labs list jcv --since 2025-01-01
    """
    from infuse_cli.services.labs import listed, tests
    from infuse_cli.views.labs import SCHEMA, result_json, results_doc
    from infuse_cli.views.output import show as show_doc
    from infuse_cli.views.output import show_json

    found = listed(test, since, today())
    if json:
        show_json({"schema": SCHEMA, "results": [result_json(r) for r in found]})
    else:
        show_doc(results_doc(found, tests(), "Test results"), plain)


@labs_app.command("edit", context_settings={"ignore_unknown_options": True})
def edit(
    result_id: IdArg,
    value: Annotated[str | None, typer.Argument(metavar="VALUE", help="The new result.")] = None,
    unit: Annotated[str | None, typer.Argument(metavar="UNIT", help="Its unit.")] = None,
    date: Annotated[
        str | None, typer.Option("--date", metavar="DATE", help="The new day of the test.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXT", help="The new note.")] = None,
    json: JsonOpt = False,
) -> None:
    """Change a recorded result.

    \b
    Examples:
      infuse labs edit 3 2.4
      infuse labs edit 3 --date 2026-11-04 --note "fasting"
    """
    from infuse_cli.services.labs import edit as change
    from infuse_cli.views.labs import result_json, value_text
    from infuse_cli.views.output import note as say

    changed = change(
        result_id, value, unit, date, text(note, "--note") if note is not None else None, today()
    )
    if json:
        from infuse_cli.views.output import show_json

        show_json(result_json(changed))
        return
    say(f"Changed result {result_id}: {changed.date.isoformat()}, {value_text(changed)}.")


@labs_app.command("rm")
def rm(
    result_id: IdArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask to confirm.")] = False,
    json: JsonOpt = False,
) -> None:
    """Remove a recorded result (it asks first).

    \b
    Examples:
      infuse labs rm 3
    """
    from infuse_cli import store
    from infuse_cli.cli.common import profile
    from infuse_cli.services.labs import remove, tests
    from infuse_cli.views.labs import result_json, value_text
    from infuse_cli.views.output import note as say

    with store.reading(profile()) as conn:
        found = store.get_result(conn, result_id)
    test = tests().get(found.test)
    what = f"{test.name if test else found.test} on {found.date.isoformat()}: {value_text(found)}"
    if not yes and not ask(f"Remove result {found.id} ({what})?", err=json):
        say("Nothing was removed.")
        raise typer.Exit(1)
    remove(result_id)
    if json:
        from infuse_cli.views.output import show_json

        show_json(result_json(found) | {"removed": True})
        return
    say(f"Removed result {result_id}.")


@labs_app.command("history")
def history(
    test: TestArg,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            "-n",
            min=0,
            max=10**9,
            metavar="N",
            help="Show the latest N results (0: all). JSON has all.",
        ),
    ] = 24,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """One test's results over time: a table, a small chart, the change and the label's band.

    \b
    Examples:
      infuse labs history jcv
      infuse labs history igg --plain
    """
    from infuse_cli.cli.common import therapies
    from infuse_cli.services.labs import history as results_of
    from infuse_cli.views.labs import history_doc, history_json
    from infuse_cli.views.output import show as show_doc
    from infuse_cli.views.output import show_json, wants_rich

    found = results_of(test, 0 if json else limit)
    if json:
        show_json(history_json(found))
    else:
        show_doc(history_doc(found, therapies(), wants_rich(plain)), plain)


@labs_app.command("tests")
def tests_cmd(json: JsonOpt = False, plain: PlainOpt = False) -> None:
    """Every test infuse can record, with its units.

    \b
    Examples:
      infuse labs tests
    """
    from infuse_cli.services.labs import tests
    from infuse_cli.views.labs import tests_doc, tests_json
    from infuse_cli.views.output import show as show_doc
    from infuse_cli.views.output import show_json

    if json:
        show_json(tests_json(tests()))
    else:
        show_doc(tests_doc(tests()), plain)


def register(app: typer.Typer) -> None:
    app.add_typer(labs_app, name="labs")
