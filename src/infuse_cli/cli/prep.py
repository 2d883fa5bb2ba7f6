"""Visit preparation: `infuse checklist`, `questions`, `labs`, `glossary`, `resources`, `prep`."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer

from infuse_cli.cli.common import (
    Group,
    JsonOpt,
    PlainOpt,
    TherapyArg,
    catalogue,
    one_therapy,
    profile,
    therapy_names,
    today,
)
from infuse_cli.cli.schedule import LastOpt, StartOpt
from infuse_cli.core.errors import UsageError, shown

if TYPE_CHECKING:
    import datetime as dt

    from infuse_cli.core.prep import VisitFacts
    from infuse_cli.core.schedule import Infusion
    from infuse_cli.core.schema import Therapy
    from infuse_cli.core.upcoming import Upcoming
    from infuse_cli.services import Choice, Inputs
    from infuse_cli.views.doc import Doc

DrugOpt = Annotated[
    str | None,
    typer.Option(
        "--drug",
        "-d",
        metavar="DRUG",
        autocompletion=therapy_names,
        help="The therapy (default: your setting, else your journal's latest).",
    ),
]
FirstOpt = Annotated[
    bool | None,
    typer.Option(
        "--first/--not-first",
        help="Whether the next infusion is your first of this treatment (default: from your journal).",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    str, typer.Option("--format", "-f", metavar="FORMAT", help="text, md or json.", show_default=False)
]


class Visit(NamedTuple):
    """The next visit, as far as infuse knows it."""

    therapy: "Therapy"
    inputs: "Inputs"
    next: "Infusion | None"
    first: bool
    facts: "VisitFacts | None"  # None when the command did not ask for them
    key: str  # names the visit for checklist progress: the label's date, which does not move
    plan: "Upcoming | None"
    none: str = ""  # why no next infusion is planned, when none is


def _drug(drug: str | None) -> "Choice | None":
    """The therapy asked for, else the configured one, else the journal's latest; None
    when there is none (the general checklist and questions)."""
    from infuse_cli.services import choose_therapy

    try:
        return choose_therapy(drug)
    except UsageError:
        if drug is not None:
            raise
        return None


def visit(
    choice: "Choice",
    first: bool | None,
    start: str | None = None,
    last: str | None = None,
    events: bool = False,
    facts: bool = True,
) -> Visit:
    """The next visit from the journal or --start/--last; with ``events``, the tests and
    reminders from today until 13 months after it."""
    from infuse_cli.core.schedule import NoSchedule
    from infuse_cli.services import Inputs

    inp = Inputs(None, start, last, choice=choice)
    plan = None
    none = ""
    if inp.basis != "preview" or events or inp.therapy.regimen.shape in ("on_demand", "none"):
        try:
            plan = inp.upcoming(None, None, count=1)
            ahead = plan.infusions[0] if plan.infusions else None
            if events:
                due = ahead.date if ahead else inp.today
                months = (due.year - inp.today.year) * 12 + due.month - inp.today.month + 13
                # Far enough for every monitoring program to reach its end (Lemtrada's tests
                # run 48 months after the last dose).
                plan = inp.upcoming(None, None, count=10**6, months=max(72, months), with_events=True)
        except NoSchedule as info:
            plan, none = None, str(info).split(". ")[0].rstrip(".") + "."
    nxt = plan.infusions[0] if plan is not None and plan.infusions and inp.basis != "preview" else None
    is_first = first if first is not None else (nxt is not None and nxt.number == 1)
    t = inp.therapy
    finished = inp.basis != "preview" and plan is not None and not plan.infusions
    if finished and plan is not None:
        none = "No further infusion is planned. " + (plan.end.text if plan.end else "")
    found = None
    if facts:
        from infuse_cli.core.prep import visit_facts

        found = visit_facts(
            t, is_first, nxt.phase_id if nxt else "", nxt.number if nxt else None, scheduled=not finished
        )
    day = nxt.date.isoformat() if nxt else ("first" if is_first else "next")
    return Visit(t, inp, nxt, is_first, found, f"{t.id}:{day}", plan, none.strip())


def _format(fmt: str | None, json: bool, allowed: tuple[str, ...]) -> str:
    if json:
        return "json"
    value = (allowed[0] if fmt is None else fmt).strip().lower()
    value = {"markdown": "md", "txt": "text"}.get(value, value)
    if value not in allowed:
        raise UsageError(f"--format is '{shown(fmt or '')}'; choose one of {', '.join(allowed)}.")
    return value


def _emit(doc: "Doc", fmt: str, plain: bool) -> None:
    from infuse_cli.views.output import show

    if fmt == "md":
        from infuse_cli.views.page import markdown

        sys.stdout.write(markdown(doc))
    else:
        show(doc, plain)


def _content(kind: str) -> Any:
    from infuse_cli.cache import load_content

    return load_content(kind)


def _therapies() -> dict[str, "Therapy"]:
    return {t.id: t for t in catalogue()}


def _visit_intro(v: Visit) -> list[Any]:
    from infuse_cli.core.dates import distance, human
    from infuse_cli.views.doc import Para

    notes = [Para(n, tone="warn", label="Warning") for n in (v.plan.notes if v.plan else [])]
    if v.inputs.choice.how != "typed":
        notes.insert(0, Para(f"Therapy: {v.inputs.choice.said()}", tone="muted"))
    if v.plan is not None and v.plan.assumed:
        notes.append(Para(v.plan.assumed, tone="note", label="Assumed"))
    if v.next is not None:
        what = "your first infusion" if v.first else v.next.phase
        if v.next.overdue_days:
            return [
                Para(
                    f"For {what}, due {human(v.next.date)}: overdue by {v.next.overdue_days} days."
                    " Contact your care team to book it.",
                    tone="warn",
                    label="Overdue",
                ),
                *notes,
            ]
        day = v.next.book or v.next.date
        return [Para(f"For {human(day)} ({distance(day, v.inputs.today)}): {what}.", tone="muted"), *notes]
    if v.none:
        return [Para(v.none, tone="note", label="Note"), *notes]
    if v.first:
        return [Para("For your first infusion.", tone="muted")]
    return [
        Para(
            f"For a visit after your first. If the next one is your first infusion of {v.therapy.brand},"
            f" add --first: infuse checklist --drug {v.therapy.id} --first",
            tone="note",
            label="Note",
        )
    ]


# ---------------------------------------------------------------- checklist


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
    fmt: FormatOpt = "text",
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
    drug = one_therapy(therapy, drug)
    from infuse_cli import store
    from infuse_cli.core import prep

    out = _format(fmt, json, ("text", "md", "json"))
    if interactive and out != "text":
        raise UsageError("--interactive asks in text; leave out --json and --format.")
    content: prep.Checklist = _content("checklists")
    sections = [prep.find_group(content.sections, s, "checklist section") for s in section or []]
    chosen = _drug(drug)
    v = visit(chosen, first) if chosen else None
    items = prep.select(content.items, v.facts if v else None)
    if sections:
        items = prep.in_sections(items, sections)
    key = v.key if v else "any:next"
    if reset and store.journal_path(profile()).exists():
        with store.writing(profile()) as conn:
            store.reset_ticks(conn, key)
    with store.reading(profile()) as conn:
        done = store.ticks(conn, key)
    if interactive:
        _tick(items, done, key, v.therapy.id if v else "any")
        return
    therapies = _therapies()
    if out == "json":
        from infuse_cli.views.output import show_json
        from infuse_cli.views.prep import checklist_json

        show_json(
            checklist_json(
                content,
                items,
                done,
                therapies,
                drug=v.therapy.id if v else None,
                first=v.first if v else None,
                visit=(v.next.book or v.next.date).isoformat() if v and v.next else None,
            )
        )
        return
    from infuse_cli.views.doc import Para
    from infuse_cli.views.prep import checklist_doc

    intro = (
        _visit_intro(v)
        if v
        else [
            Para(
                "Name your therapy for a list made for it: infuse checklist --drug DRUG",
                tone="note",
                label="Note",
            )
        ]
    )
    title = f"Checklist: {v.therapy.brand}" if v else "Checklist"
    _emit(checklist_doc(content, items, done, therapies, title=title, intro=intro), out, plain)


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


# ---------------------------------------------------------------- questions

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
    fmt: FormatOpt = "text",
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
    from infuse_cli import store
    from infuse_cli.cli.common import text
    from infuse_cli.core import prep

    out = _format(fmt, json, ("text", "md", "json"))
    if answer and asked is None:
        raise UsageError("--answer goes with --asked ID, the number of your question.")
    if asked is not None:
        with store.writing(profile()) as conn:
            q = store.mark_asked(conn, asked, today(), text(answer, "--answer"))
        from infuse_cli.views.output import note

        note(f"Question #{q.id} marked as asked.")
        return
    content: prep.Questions = _content("questions")
    therapy = _drug(drug)
    v = visit(therapy, None) if therapy else None
    chosen = prep.select(content.questions, v.facts if v else None)
    if topic is not None:
        wanted = prep.find_group(content.topics, topic, "topic")
        chosen = [q for q in chosen if q.topic == wanted]
    with store.reading(profile()) as conn:
        mine = store.user_questions(conn, v.therapy.id if v else None)
    if answered:  # the record of what was asked: only those, with their answers
        chosen, mine = [], [q for q in mine if q.asked is not None]
    therapies = _therapies()
    if out == "json":
        from infuse_cli.views.output import show_json
        from infuse_cli.views.prep import questions_json

        show_json(questions_json(chosen, mine, therapies, drug=v.therapy.id if v else None))
        return
    from infuse_cli.views.doc import Para
    from infuse_cli.views.prep import questions_doc

    intro = [Para('Add your own: infuse questions add "…"', tone="muted")]
    title = f"Questions to ask: {v.therapy.brand}" if v else "Questions to ask"
    doc = questions_doc(content, chosen, [] if topic else mine, therapies, title=title, intro=intro)
    _emit(doc, out, plain)


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


# ---------------------------------------------------------------- labs


def _need_drug(drug: str | None, command: str) -> "Choice":
    chosen = _drug(drug)
    if chosen is None:
        raise UsageError(
            f"Name a therapy with --drug, for example: infuse {command} --drug ocrevus"
            " (or set your own: infuse config set therapy ocrevus)."
        )
    return chosen


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
    drug = one_therapy(therapy, drug)
    v = visit(_need_drug(drug, "labs"), None, start, last, events=True, facts=False)
    due = _due(v)
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


def _due(v: Visit, before: "dt.date | None" = None) -> list[Any]:
    """The next date of each monitoring item (one line per test), up to ``before``."""
    if v.plan is None or v.inputs.basis == "preview":
        return []
    seen: set[str] = set()
    out = []
    for e in v.plan.events:
        if e.kind != "monitoring" or e.what in seen or (before is not None and e.date > before):
            continue
        seen.add(e.what)
        out.append(e)
    return out


# ---------------------------------------------------------------- glossary, resources


def glossary(
    term: Annotated[
        str | None, typer.Argument(metavar="TERM", help="A word or abbreviation, e.g. pml.")
    ] = None,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """Plain words for medical terms.

    \b
    Examples:
      infuse glossary pml
      infuse glossary "jcv index"
      infuse glossary
    """
    from infuse_cli.core import prep

    content: prep.Glossary = _content("glossary")
    found = prep.find_term(content, term) if term is not None else None
    therapies = _therapies()
    if json:
        from infuse_cli.views.output import show_json
        from infuse_cli.views.prep import term_json

        terms = [found] if found else content.terms
        show_json({"schema": 1, "terms": [term_json(t, therapies) for t in terms]})
        return
    from infuse_cli.views.output import show
    from infuse_cli.views.prep import glossary_doc

    show(glossary_doc(content, found, therapies), plain)


def resources(
    topic: Annotated[
        str | None,
        typer.Option("--topic", "-t", metavar="TOPIC", help="money, centers, emergency or community."),
    ] = None,
    drug: Annotated[
        str | None,
        typer.Option(
            "--drug",
            "-d",
            metavar="DRUG",
            autocompletion=therapy_names,
            help="Show the maker's support program for this therapy.",
        ),
    ] = None,
    plain: PlainOpt = False,
) -> None:
    """Where to turn: costs, centers, urgent help.

    Help with paying for treatment (each maker's support program too), choosing
    an infusion center, when to call for help, and others with MS.

    \b
    Examples:
      infuse resources --topic emergency
      infuse resources --topic money --drug ocrevus
    """
    from infuse_cli.core import prep
    from infuse_cli.views.output import show
    from infuse_cli.views.prep import resources_doc

    content: prep.Resources = _content("resources")
    topics = [t.id for t in content.topics]
    if topic is not None:
        topics = [prep.find_group(content.topics, topic, "topic")]
    chosen = _drug(drug) if drug is not None else None
    therapy = chosen.therapy if chosen else None
    show(resources_doc(content, topics, therapy.id if therapy else None, _therapies()), plain)


# ---------------------------------------------------------------- the visit sheet


def prep_cmd(
    therapy: TherapyArg = None,
    drug: DrugOpt = None,
    first: FirstOpt = None,
    last: LastOpt = None,
    start: StartOpt = None,
    fmt: FormatOpt = "md",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="FILE", help="Write the sheet to this file (owner-only).", dir_okay=False
        ),
    ] = None,
) -> None:
    """A printable sheet for your next visit.

    The next infusion (target and booking day, time at the clinic,
    premedication), your checklist, questions to ask, tests due and the
    reactions you recorded since the last visit. HTML is one self-contained
    page in large print.

    \b
    Examples:
      infuse prep --drug ocrevus
      infuse prep --format html --out sheet.html
      infuse prep --drug tysabri --last 2026-05-12 --format html --out visit.html
    """
    drug = one_therapy(therapy, drug)
    from infuse_cli import config, store
    from infuse_cli.core import prep
    from infuse_cli.core.dates import add_days
    from infuse_cli.views.prep import (
        checklist_doc,
        labs_blocks,
        next_blocks,
        questions_doc,
        reactions_blocks,
        sheet_doc,
    )

    kind = _format(fmt, False, ("md", "html"))
    v = visit(_need_drug(drug, "prep"), first, start, last, events=True)
    t, today_ = v.therapy, v.inputs.today
    therapies = _therapies()
    checklist: prep.Checklist = _content("checklists")
    questions_: prep.Questions = _content("questions")
    with store.reading(profile()) as conn:
        done = store.ticks(conn, v.key)
        mine = [q for q in store.user_questions(conn, t.id) if q.asked is None]
        _, newest = store.latest(conn, t.id)
        reactions = [r for r in store.reactions(conn) if newest is None or r.date >= newest]
    day = (v.next.book or v.next.date) if v.next else None
    doc = sheet_doc(
        t,
        today_,
        person=profile(),
        next_=next_blocks(t, v.next, today_, config.load(profile()).travel_minutes, none=v.none),
        notes=v.plan.notes if v.plan else [],
        checklist=checklist_doc(
            checklist,
            prep.select(checklist.items, v.facts),
            done,
            therapies,
            title="Checklist",
            intro=[],
            level=2,
        ),
        questions=questions_doc(
            questions_,
            [q for q in prep.select(questions_.questions, v.facts) if not q.when.empty()],
            mine,
            therapies,
            title="Questions to ask",
            intro=[],
            level=2,
            show_answered=False,
        ),
        tests=labs_blocks(
            t, _due(v, add_days(day, 31) if day else None), v.inputs.basis != "preview", today_, 3
        ),
        reactions=reactions_blocks(reactions, newest),
    )
    if kind == "html":
        from infuse_cli.views.page import page

        body = page(doc, f"Visit sheet{f' for {profile()}' if profile() else ''}: {t.brand}")
    else:
        from infuse_cli.views.page import markdown

        body = markdown(doc)
    if out is None:
        sys.stdout.write(body)
        return
    from infuse_cli.paths import write_private
    from infuse_cli.views.output import note

    write_private(out, body.encode("utf-8"), f"sheet.{kind}")
    note(f"Visit sheet written to {out}.")


def register(app: typer.Typer) -> None:
    app.command("checklist")(checklist)
    app.add_typer(questions_app, name="questions")
    app.command("labs")(labs)
    app.command("glossary")(glossary)
    app.command("resources")(resources)
    app.command("prep")(prep_cmd)
