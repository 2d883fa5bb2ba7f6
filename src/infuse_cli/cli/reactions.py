"""`infuse reaction add|symptoms` and `infuse journal` (one timeline)."""

from typing import Annotated

import typer

from infuse_cli.cli.common import (
    Group,
    JsonOpt,
    PlainOpt,
    TherapyArg,
    ask,
    catalogue,
    one_therapy,
    profile,
    text,
    therapy_names,
    today,
)
from infuse_cli.core.errors import UsageError

reaction_app = typer.Typer(
    cls=Group,
    help=(
        "Reactions and symptoms after an infusion."
        "\n\n\b\nExamples:\n  infuse reaction add --infusion 3 --symptom itching --severity 4"
        "\n  infuse reaction symptoms --drug ocrevus"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


@reaction_app.command("add")
def add(
    symptom: Annotated[
        str,
        typer.Option(
            "--symptom", "-s", metavar="TEXT", help="What you noticed (see infuse reaction symptoms)."
        ),
    ],
    severity: Annotated[
        int,
        typer.Option("--severity", min=0, max=10, metavar="0-10", help="0 none, 10 the worst imaginable."),
    ],
    infusion: Annotated[
        int | None,
        typer.Option(
            "--infusion",
            "-i",
            metavar="ID",
            min=1,
            max=2**62,
            help="The infusion it followed (infuse log list).",
        ),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", metavar="DATE", help="The day, if not tied to an infusion.")
    ] = None,
    hours_after: Annotated[
        float | None,
        typer.Option(
            "--hours-after", min=0, max=24 * 30, metavar="N", help="Hours after the infusion it began."
        ),
    ] = None,
    note: Annotated[str, typer.Option("--note", metavar="TEXT")] = "",
) -> None:
    """Record a reaction or symptom.

    \b
    Examples:
      infuse reaction add --infusion 3 --symptom itching --severity 4 --hours-after 2
      infuse reaction add --date yesterday --symptom headache --severity 3
    """
    from infuse_cli import store
    from infuse_cli.cli.journal import _date
    from infuse_cli.views.output import note as say

    if (infusion is None) == (date is None):
        raise UsageError("Give either --infusion ID or --date DATE (one of them).")
    if not text(symptom, "--symptom").strip():
        raise UsageError("--symptom needs some words, e.g. --symptom itching.")
    text(note, "--note")
    now = today()
    day = _date(date, now) if date is not None else None
    with store.writing(profile()) as conn:
        if infusion is not None:
            day = store.get_infusion(conn, infusion).date
        assert day is not None
        new_id = store.add_reaction(
            conn,
            store.Reaction(
                id=0,
                infusion_id=infusion,
                date=day,
                symptom=symptom.strip(),
                severity=severity,
                hours_after=hours_after,
                note=note,
            ),
        )
    say(f"Added reaction {new_id}: {symptom.strip()} ({severity}/10) on {day.isoformat()}.")


ReactionId = Annotated[
    int, typer.Argument(metavar="ID", min=1, max=2**62, help="The reaction's number (infuse journal).")
]


@reaction_app.command("edit")
def edit(
    reaction_id: ReactionId,
    symptom: Annotated[str | None, typer.Option("--symptom", "-s", metavar="TEXT")] = None,
    severity: Annotated[int | None, typer.Option("--severity", min=0, max=10, metavar="0-10")] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="DATE")] = None,
    hours_after: Annotated[
        float | None, typer.Option("--hours-after", min=0, max=24 * 30, metavar="N")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXT")] = None,
) -> None:
    """Change a reaction; only the fields you give change.

    \b
    Examples:
      infuse reaction edit 4 --severity 6
      infuse reaction edit 4 --note "started on the drive home"
    """
    from msgspec.structs import replace

    from infuse_cli import store
    from infuse_cli.cli.journal import _date
    from infuse_cli.views.output import note as say

    changes: dict[str, object] = {}
    if symptom is not None:
        if not text(symptom, "--symptom").strip():
            raise UsageError("--symptom needs some words, e.g. --symptom itching.")
        changes["symptom"] = symptom.strip()
    if date is not None:
        changes["date"] = _date(date, today())
    for key, value in (("severity", severity), ("hours_after", hours_after)):
        if value is not None:
            changes[key] = value
    if note is not None:
        changes["note"] = text(note, "--note")
    if not changes:
        raise UsageError("Give at least one thing to change, e.g. --severity 6.")
    with store.writing(profile()) as conn:
        current = store.get_reaction(conn, reaction_id)
        if "date" in changes and current.infusion_id is not None:
            raise UsageError(
                f"Reaction {reaction_id} follows infusion {current.infusion_id}, so its day is that"
                " infusion's; to change when it began, use --hours-after."
            )
        store.update_reaction(conn, replace(current, **changes))
    say(f"Changed reaction {reaction_id}.")


@reaction_app.command("rm")
def rm(
    reaction_id: ReactionId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask to confirm.")] = False,
) -> None:
    """Remove a reaction (infuse reaction undo brings it back).

    \b
    Examples:
      infuse reaction rm 4
    """
    from infuse_cli import store
    from infuse_cli.views.output import note as say

    with store.reading(profile()) as conn:
        found = store.get_reaction(conn, reaction_id)
    if not yes and not ask(f"Remove reaction {found.id} ({found.symptom} on {found.date.isoformat()})?"):
        say("Nothing was removed.")
        raise typer.Exit(1)
    with store.writing(profile()) as conn:
        store.get_reaction(conn, reaction_id)
        store.remove_reaction(conn, reaction_id)
    say(f"Removed reaction {reaction_id}. To bring it back: infuse reaction undo")


@reaction_app.command("undo")
def undo() -> None:
    """Bring back the reaction removed most recently.

    \b
    Examples:
      infuse reaction undo
    """
    from infuse_cli import store
    from infuse_cli.views.output import note as say

    with store.writing(profile()) as conn:
        r = store.undo_remove_reaction(conn)
    say(f"Brought back reaction {r.id}: {r.symptom} on {r.date.isoformat()}.")


@reaction_app.command("symptoms")
def symptoms(
    therapy: TherapyArg = None,
    drug: Annotated[
        str | None, typer.Option("--drug", "-d", metavar="DRUG", autocompletion=therapy_names)
    ] = None,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """The reaction symptoms a therapy's label lists (you may also write your own).

    \b
    Examples:
      infuse reaction symptoms --drug ocrevus
    """
    from infuse_cli.cli.common import emit
    from infuse_cli.services.visit import need_therapy
    from infuse_cli.views.journal import symptoms_view

    t = need_therapy(one_therapy(therapy, drug), "reaction symptoms").therapy
    emit(symptoms_view(t, json), "json" if json else "text", plain)


def journal(
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            "-n",
            min=0,
            max=10**9,
            metavar="N",
            help="Show the latest N entries of each list (0: everything). JSON has everything.",
        ),
    ] = 40,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """One timeline of infusions, reactions, tests, symptoms and relapses.

    Everything recorded, the next planned dose, and how reactions changed from
    infusion to infusion.

    \b
    Examples:
      infuse journal
      infuse journal --limit 0
      infuse journal --json
    """
    from infuse_cli import store
    from infuse_cli.core.journal import timeline
    from infuse_cli.services import plan as services
    from infuse_cli.views.journal import journal_doc, journal_json
    from infuse_cli.views.output import show, show_json

    now = today()
    cat = catalogue()
    with store.reading(profile()) as conn:
        entries = store.infusions(conn)
        reacts = store.reactions(conn)
        nexts = services.next_infusions(conn, services.planned_therapy(entries), now)
        view = timeline(entries, reacts, 0 if json else limit, store.between_entries(conn))
        rec = services.record(conn, [item for _, kind, item in view.items if kind == "infusion"], now)
    if json:
        show_json(journal_json(view, nexts, rec))
    else:
        show(journal_doc(view, nexts, cat, now, limit, rec), plain)


def register(app: typer.Typer) -> None:
    app.add_typer(reaction_app, name="reaction")
    app.command("journal")(journal)
