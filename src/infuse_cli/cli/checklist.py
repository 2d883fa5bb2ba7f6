"""`infuse checklist`: what to do and bring for the next infusion, ticked off as you go."""

import sys
from typing import Annotated, Any

import typer

from infuse_cli.cli.common import (
    DrugOpt,
    FirstOpt,
    JsonOpt,
    PlainOpt,
    TherapyArg,
    choose_format,
    emit,
    format_opt,
    one_therapy,
    profile,
    therapies,
)
from infuse_cli.core.errors import UsageError


def checklist(
    therapy: TherapyArg = None,
    drug: DrugOpt = None,
    first: FirstOpt = None,
    section: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            "-s",
            metavar="SECTION",
            help="Only this section (repeatable): week, day, morning, bring, during, after, next.",
        ),
    ] = None,
    fmt: Annotated[str, format_opt("text", "md", "json")] = "text",
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive", "-i", help="Tick items one at a time from the keyboard; progress is kept."
        ),
    ] = False,
    reset: Annotated[bool, typer.Option("--reset", help="Forget the ticks for the upcoming visit.")] = False,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """What to do and bring for your next infusion.

    The list is tailored to the therapy and the visit: a first infusion, a long
    day in the chair, a course over several days, a premedication that makes
    you drowsy, a restricted program's paperwork.

    \b
    Examples:
      infuse checklist --drug ocrevus --first
      infuse checklist --drug lemtrada --section bring
      infuse checklist --interactive
      infuse checklist --drug tysabri --format md > checklist.md
    """
    from infuse_cli.services.visit import checklist_for
    from infuse_cli.views.visit import checklist_view

    out = choose_format(fmt, json, ("text", "md", "json"))
    if interactive and out != "text":
        raise UsageError("--interactive asks in text; leave out --json and --format.")
    found = checklist_for(one_therapy(therapy, drug), first, section or [], reset, profile())
    if interactive:
        _tick(found.items, found.done, found.key, found.visit.therapy.id if found.visit else "any")
        return
    emit(checklist_view(found, therapies(), out), out, plain)


def _tick(items: list[Any], done: set[str], key: str, drug: str) -> None:
    """Ask about each item not yet done, one line at a time; each answer is kept at once."""
    import textwrap

    from infuse_cli import store
    from infuse_cli.views.output import width
    from infuse_cli.views.text import literal

    columns = max(width(), 20)

    def say(text: str) -> None:
        lines = textwrap.wrap(literal(text), columns, break_on_hyphens=False) or [""]
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()

    todo = [i for i in items if i.id not in done]
    total = len(items)
    count = total - len(todo)
    say(f"{count} of {total} done. For each item type y (done), n (not yet), or q (stop).")
    say("Your answers are kept as you go.")
    for item in todo:
        say("")
        say(f"Item {items.index(item) + 1} of {total}: {item.text}")
        while True:
            sys.stdout.write("Done? y, n or q: ")
            sys.stdout.flush()
            line = sys.stdin.readline()
            answer = line.strip().lower()[:1]
            if not line or answer == "q":
                say("")
                say(f"Stopped: {count} of {total} done. Run the same command to go on.")
                return
            if answer in ("y", "n"):
                break
            say("Please type y, n or q.")
        if answer == "y":
            with store.writing(profile()) as conn:
                store.tick(conn, key, item.id, drug)
            count += 1
            say(f"Ticked. {count} of {total} done.")
    say("")
    say(f"{count} of {total} done." + (" All done: well prepared." if count == total else ""))


def register(app: typer.Typer) -> None:
    app.command("checklist")(checklist)
