"""`infuse symptom …`, `infuse relapse …` and `infuse cycle`: how the days between
infusions feel, relapses, and symptoms lined up by dose cycle."""

from typing import Annotated

import typer

from infuse_cli.cli.common import DrugOpt, Group, JsonOpt, PlainOpt, TherapyArg, ask, one_therapy, text, today

symptom_app = typer.Typer(
    cls=Group,
    help=(
        "Symptoms between infusions, on any day (reactions to an infusion: infuse reaction)."
        "\n\n\b\nExamples:\n  infuse symptom add fatigue --severity 7\n  infuse symptom list fatigue"
        "\n  infuse cycle --symptom fatigue"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
relapse_app = typer.Typer(
    cls=Group,
    help=(
        "Relapses, each linked to the steroid course logged for it."
        "\n\n\b\nExamples:\n  infuse relapse add --date 2025-11-01\n  infuse relapse list"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)

NoteOpt = Annotated[str, typer.Option("--note", metavar="TEXT", help="Anything to remember.")]
SinceOpt = Annotated[
    str | None, typer.Option("--since", metavar="DATE", help="Only entries from this day on.")
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask to confirm.")]


@symptom_app.command("add")
def add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The symptom, in your words: fatigue, pain …")],
    severity: Annotated[
        int, typer.Option("--severity", "-s", metavar="0-10", help="0 none, 10 the worst imaginable.")
    ],
    date: Annotated[
        str, typer.Option("--date", metavar="DATE", help="The day: YYYY-MM-DD, today or yesterday.")
    ] = "today",
    note: NoteOpt = "",
    json: JsonOpt = False,
) -> None:
    """Record how a symptom felt on a day between infusions.

    Names are kept as you type them and compared in any case (Fatigue is fatigue).

    \b
    Examples:
      infuse symptom add fatigue --severity 7
      infuse symptom add "pins and needles" --severity 3 --date yesterday --note "left hand"
    """
    from infuse_cli.services.symptoms import add_symptom
    from infuse_cli.views.output import note as say
    from infuse_cli.views.output import show_json
    from infuse_cli.views.symptoms import symptom_json

    s = add_symptom(text(name, "NAME"), severity, date, text(note, "--note"), today())
    if json:
        show_json(symptom_json(s))
    else:
        say(f"Recorded {s.name} {s.severity}/10 on {s.date.isoformat()} (number {s.id}).")


@symptom_app.command("list")
def list_cmd(
    name: Annotated[str | None, typer.Argument(metavar="NAME", help="Only this symptom.")] = None,
    since: SinceOpt = None,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """Your symptom entries, oldest first.

    \b
    Examples:
      infuse symptom list
      infuse symptom list fatigue --since 2025-06-01
    """
    from infuse_cli.services.symptoms import symptoms
    from infuse_cli.views.output import show, show_json
    from infuse_cli.views.symptoms import SCHEMA, symptom_json, symptoms_doc

    found = symptoms(name, since, today())
    if json:
        show_json({"schema": SCHEMA, "symptoms": [symptom_json(s) for s in found]})
    else:
        show(symptoms_doc(found, name.strip() if name else None), plain)


@symptom_app.command("rm")
def rm(
    symptom_id: Annotated[
        int, typer.Argument(metavar="ID", min=1, max=2**62, help="The entry's number (infuse symptom list).")
    ],
    yes: YesOpt = False,
    json: JsonOpt = False,
) -> None:
    """Remove a symptom entry (it asks first).

    \b
    Examples:
      infuse symptom rm 3
    """
    from infuse_cli.services.symptoms import remove_symptom, symptom
    from infuse_cli.views.output import note as say

    found = symptom(symptom_id)
    what = f"{found.name} {found.severity}/10 on {found.date.isoformat()}"
    if not yes and not ask(f"Remove symptom entry {found.id} ({what})?", err=json):
        say("Nothing was removed.")
        raise typer.Exit(1)
    remove_symptom(symptom_id)
    if json:
        from infuse_cli.views.output import show_json
        from infuse_cli.views.symptoms import symptom_json

        show_json(symptom_json(found) | {"removed": True})
        return
    say(f"Removed symptom entry {symptom_id}.")


@relapse_app.command("add")
def relapse_add(
    date: Annotated[
        str,
        typer.Option("--date", metavar="DATE", help="The day it began: YYYY-MM-DD, today or yesterday."),
    ] = "",
    note: NoteOpt = "",
    steroid: Annotated[
        str | None,
        typer.Option(
            "--steroid",
            metavar="DATE",
            help="Link the IV steroid infusion (Solu-Medrol) logged on this day.",
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Record a relapse, linked to the steroid course logged for it.

    Without --steroid, the only steroid course logged in the 30 days after the relapse (if
    there is exactly one) is linked, and infuse says so.

    \b
    Examples:
      infuse relapse add --date 2025-11-01 --note "left leg weak"
      infuse relapse add --date 2025-11-01 --steroid 2025-11-03
    """
    from infuse_cli.cli.common import therapies
    from infuse_cli.services.symptoms import add_relapse
    from infuse_cli.views.output import note as say
    from infuse_cli.views.output import show_json
    from infuse_cli.views.symptoms import relapse_json, relapse_said

    if not date:
        raise typer.BadParameter("give the day it began, e.g. --date 2025-11-01.", param_hint="--date")
    found = add_relapse(date, text(note, "--note"), steroid, today())
    if json:
        show_json(relapse_json(found) | {"linked_automatically": found.automatic})
    else:
        say(relapse_said(found, therapies()))


@relapse_app.command("list")
def relapse_list(since: SinceOpt = None, json: JsonOpt = False, plain: PlainOpt = False) -> None:
    """Your relapses, oldest first, each with its steroid course.

    \b
    Examples:
      infuse relapse list
    """
    from infuse_cli.cli.common import therapies
    from infuse_cli.services.symptoms import relapses
    from infuse_cli.views.output import show, show_json
    from infuse_cli.views.symptoms import SCHEMA, relapse_json, relapses_doc

    found = relapses(since, today())
    if json:
        show_json({"schema": SCHEMA, "relapses": [relapse_json(x) for x in found]})
    else:
        show(relapses_doc(found, therapies()), plain)


@relapse_app.command("rm")
def relapse_rm(
    relapse_id: Annotated[
        int,
        typer.Argument(metavar="ID", min=1, max=2**62, help="Its number (infuse relapse list)."),
    ],
    yes: YesOpt = False,
    json: JsonOpt = False,
) -> None:
    """Remove a relapse (it asks first; the steroid course stays in the journal).

    \b
    Examples:
      infuse relapse rm 2
    """
    from infuse_cli.services.symptoms import relapse, remove_relapse
    from infuse_cli.views.output import note as say

    found = relapse(relapse_id)
    if not yes and not ask(f"Remove relapse {found.id} (on {found.date.isoformat()})?", err=json):
        say("Nothing was removed.")
        raise typer.Exit(1)
    remove_relapse(relapse_id)
    if json:
        from infuse_cli.services.symptoms import Linked
        from infuse_cli.views.output import show_json
        from infuse_cli.views.symptoms import relapse_json

        show_json(relapse_json(Linked(found)) | {"removed": True})
        return
    say(f"Removed relapse {relapse_id}.")


def cycle(
    therapy: TherapyArg = None,
    drug: DrugOpt = None,
    symptom: Annotated[
        str | None,
        typer.Option(
            "--symptom", "-s", metavar="NAME", help="Only this symptom (default: the clearest pattern)."
        ),
    ] = None,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """Symptoms lined up by dose cycle: a wearing-off pattern as a picture, and its counts.

    Each symptom entry is placed between the dose before it and the dose after it. The
    picture shows the last 12 complete cycles, the 28 days before each dose across, and the
    highest severity each day; a sentence counts the cycles with 6 or more in the 7 days
    before a dose and on the other days. It counts; it does not interpret.

    \b
    Examples:
      infuse cycle
      infuse cycle --symptom fatigue
      infuse cycle tysabri --json
    """
    from infuse_cli.services.symptoms import cycles
    from infuse_cli.views.output import show, show_json
    from infuse_cli.views.symptoms import cycle_doc, cycle_json

    found = cycles(one_therapy(therapy, drug), symptom, today())
    if json:
        show_json(cycle_json(found))
    else:
        show(cycle_doc(found), plain)


def register(app: typer.Typer) -> None:
    app.add_typer(symptom_app, name="symptom")
    app.add_typer(relapse_app, name="relapse")
    app.command("cycle")(cycle)
