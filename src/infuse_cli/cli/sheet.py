"""`infuse prep`: one printable sheet for the next visit."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from infuse_cli.cli.common import (
    DrugOpt,
    FirstOpt,
    TherapyArg,
    choose_format,
    format_opt,
    one_therapy,
    profile,
    therapies,
)
from infuse_cli.cli.schedule import LastOpt, StartOpt


def prep_cmd(
    therapy: TherapyArg = None,
    drug: DrugOpt = None,
    first: FirstOpt = None,
    last: LastOpt = None,
    start: StartOpt = None,
    fmt: Annotated[str | None, format_opt("md", "html", "text", default="from --out's name, else md")] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="FILE", help="Write the sheet to this file (owner-only).", dir_okay=False
        ),
    ] = None,
    summary: Annotated[
        bool, typer.Option("--summary", help="Only the first page: the summary for the care team.")
    ] = False,
) -> None:
    """A printable sheet for your next visit.

    First a one-page summary for the care team: the next infusion, test results since
    the last infusion (with charts) and tests missed, symptoms and relapses, your own
    questions. Then, on pages of their own: the next infusion in full (time at the clinic,
    premedication), your checklist, questions to ask, tests due and reactions. HTML is
    one self-contained page in large print; --summary prints the first page alone.

    \b
    Examples:
      infuse prep --drug ocrevus
      infuse prep --summary --format html --out summary.html
      infuse prep --format html --out sheet.html
      infuse prep --drug tysabri --last 2026-05-12 --format html --out visit.html
    """
    from infuse_cli.services.visit import need_therapy, sheet_for, visit
    from infuse_cli.views.output import width
    from infuse_cli.views.visit import sheet_text, sheet_view

    if fmt is None:  # from the file's name (sheet.html, sheet.txt), else Markdown
        fmt = {".html": "html", ".htm": "html", ".txt": "text"}.get(out.suffix.lower(), "md") if out else "md"
    kind = choose_format(fmt, False, ("md", "html", "text"))
    v = visit(need_therapy(one_therapy(therapy, drug), "prep"), first, start, last, events=True)
    doc = sheet_view(sheet_for(v, profile()), therapies(), person=profile(), summary_only=summary)
    title = f"Visit sheet{f' for {profile()}' if profile() else ''}: {v.therapy.brand}"
    body = sheet_text(doc, kind, title, width() if out is None else 72, summary)
    if out is None:
        if kind == "html":  # a page that says it is UTF-8
            from infuse_cli.views.output import write_utf8

            write_utf8(body)
        else:
            sys.stdout.write(body)
        return
    from infuse_cli.paths import write_private
    from infuse_cli.views.output import note

    write_private(out, body.encode("utf-8"), f"sheet.{'txt' if kind == 'text' else kind}")
    note(f"Visit sheet written to {out}.")


def register(app: typer.Typer) -> None:
    app.command("prep")(prep_cmd)
