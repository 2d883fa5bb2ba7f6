"""`infuse questions`: questions to ask the care team, and the person's own."""

from typing import Annotated

import typer

from infuse_cli.cli.common import (
    DrugOpt,
    Group,
    JsonOpt,
    PlainOpt,
    catalogue,
    choose_format,
    emit,
    format_opt,
    profile,
    therapies,
    therapy_names,
    today,
)
from infuse_cli.core.errors import UsageError

questions_app = typer.Typer(
    cls=Group,
    help=(
        "Questions to ask your care team, and your own."
        "\n\n\b\nExamples:\n  infuse questions --drug tysabri\n  infuse questions --topic costs"
        '\n  infuse questions add "Can I travel in March?"\n  infuse questions --asked 1 --answer "Yes"'
    ),
    invoke_without_command=True,
    rich_markup_mode=None,
)


@questions_app.callback()
def questions(
    ctx: typer.Context,
    drug: DrugOpt = None,
    topic: Annotated[
        str | None,
        typer.Option(
            "--topic",
            "-t",
            metavar="TOPIC",
            help="Only one topic: side-effects, monitoring, schedule, costs, daily-life,"
            " vaccines-pregnancy, center, switching.",
        ),
    ] = None,
    asked: Annotated[
        int | None,
        typer.Option("--asked", metavar="ID", min=1, max=2**62, help="Mark your question ID as asked."),
    ] = None,
    answer: Annotated[
        str, typer.Option("--answer", metavar="TEXT", help="With --asked: the answer you were given.")
    ] = "",
    answered: Annotated[
        bool, typer.Option("--answered", help="Only your questions already asked, with their answers.")
    ] = False,
    fmt: Annotated[str, format_opt("text", "md", "json")] = "text",
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """Questions to ask your care team, and your own.

    Tailored to your therapy, by topic; your own questions are kept in the journal.
    """
    if ctx.invoked_subcommand is not None:
        if (
            any(
                v not in (None, "", False, "text")
                for v in (drug, topic, asked, answer, answered, json, plain)
            )
            or fmt != "text"
        ):
            raise UsageError('Put the options after add, e.g. infuse questions add "…" --drug tysabri.')
        return
    from infuse_cli.services.visit import questions_for
    from infuse_cli.views.visit import questions_view

    out = choose_format(fmt, json, ("text", "md", "json"))
    if answer and asked is None:
        raise UsageError("--answer goes with --asked ID, the number of your question.")
    if asked is not None:
        _mark_asked(asked, answer, out == "json")
        return
    found = questions_for(drug, topic, answered, profile())
    emit(questions_view(found, therapies(), out, with_mine=topic is None), out, plain)


def _mark_asked(number: int, answer: str, json: bool) -> None:
    from infuse_cli import store
    from infuse_cli.cli.common import text
    from infuse_cli.views.output import note, show_json

    with store.writing(profile()) as conn:
        q = store.mark_asked(conn, number, today(), text(answer, "--answer"))
    note(f"Question #{q.id} marked as asked.")
    if json:
        asked = q.asked.isoformat() if q.asked else None
        show_json({"schema": 1, "id": q.id, "text": q.text, "asked": asked, "answer": q.answer})


@questions_app.command("add")
def questions_add(
    question: Annotated[str, typer.Argument(metavar="QUESTION", help="Your question, in quotes.")],
    drug: Annotated[
        str | None,
        typer.Option(
            "--drug", "-d", metavar="DRUG", autocompletion=therapy_names, help="Keep it with this therapy."
        ),
    ] = None,
) -> None:
    """Keep a question of your own for the next visit.

    \b
    Examples:
      infuse questions add "Can I travel in March?"
      infuse questions add "Is my JCV index going up?" --drug tysabri
    """
    from infuse_cli import store
    from infuse_cli.cli.common import text
    from infuse_cli.views.output import note

    words = text(question, "The question").strip()
    if not words:
        raise UsageError('The question is empty; write it in quotes, e.g. infuse questions add "…".')
    if len(words) > 2000:
        raise UsageError("The question is longer than 2,000 characters; please shorten it.")
    drug_id = catalogue().find(drug).id if drug else ""
    with store.writing(profile()) as conn:
        number = store.add_question(conn, words, drug_id, today())
    note(f"Question #{number} kept. 'infuse questions' shows it; mark it with --asked {number}.")


def register(app: typer.Typer) -> None:
    app.add_typer(questions_app, name="questions")
