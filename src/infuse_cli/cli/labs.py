"""`infuse labs`: tests before and during treatment, with their next dates."""

from typing import TYPE_CHECKING

import typer

from infuse_cli.cli.common import DrugOpt, JsonOpt, PlainOpt, TherapyArg, one_therapy
from infuse_cli.cli.schedule import LastOpt, StartOpt

if TYPE_CHECKING:
    from infuse_cli.views.doc import Doc


def labs(
    therapy: TherapyArg = None,
    drug: DrugOpt = None,
    start: StartOpt = None,
    last: LastOpt = None,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """Tests before and during treatment.

    Tests before starting and while on treatment, with the next due dates.

    Dates need your history: the journal, or --start / --last.

    \b
    Examples:
      infuse labs --drug lemtrada
      infuse labs --drug lemtrada --start 2026-03-02
      infuse labs --drug mitoxantrone --json
    """
    from infuse_cli.services.visit import due_tests, need_therapy, visit

    v = visit(need_therapy(one_therapy(therapy, drug), "labs"), None, start, last, events=True, facts=False)
    due = due_tests(v)
    dated = v.inputs.basis != "preview"
    today_ = v.inputs.today
    if json:
        from infuse_cli.views.output import show_json
        from infuse_cli.views.prep import labs_json

        show_json(labs_json(v.therapy, due, dated, today_, v.plan.programs if v.plan and dated else ()))
        return
    from infuse_cli.views.doc import Heading, Para
    from infuse_cli.views.output import show
    from infuse_cli.views.prep import labs_blocks

    doc: Doc = [Heading(f"Tests: {v.therapy.brand}")]
    if not dated:
        doc.append(
            Para(
                "For dates, record your infusions (infuse log add) or give --start or --last.",
                tone="note",
                label="Note",
            )
        )
    doc += labs_blocks(v.therapy, due, dated, today_, programs=v.plan.programs if v.plan and dated else ())
    show(doc, plain)


def register(app: typer.Typer) -> None:
    app.command("labs")(labs)
