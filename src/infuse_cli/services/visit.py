"""The next visit: which therapy, which infusion, which facts about it (a first
infusion, a long day, a course), and what the journal says about its preparation."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import msgspec

from infuse_cli.core.errors import UsageError

if TYPE_CHECKING:
    from infuse_cli.core.ledger import Program
    from infuse_cli.core.prep import Checklist, Item, Question, Questions, VisitFacts
    from infuse_cli.core.records import Reaction, Relapse, Symptom, TestResult, UserQuestion
    from infuse_cli.core.schedule import Infusion
    from infuse_cli.core.schema import Therapy
    from infuse_cli.core.timeline import Event
    from infuse_cli.core.upcoming import Upcoming
    from infuse_cli.services.plan import Choice, Inputs


class Visit(msgspec.Struct, frozen=True):
    """The next visit, as far as infuse knows it."""

    therapy: Therapy
    inputs: Inputs
    next: Infusion | None
    first: bool
    facts: VisitFacts | None  # None when the command did not ask for them
    key: str  # names the visit for checklist progress: the label's date, which does not move
    plan: Upcoming | None
    none: str = ""  # why no next infusion is planned, when none is

    @property
    def day(self) -> dt.date | None:
        """The day to go: the booking day, else the label's."""
        return (self.next.book or self.next.date) if self.next else None


def therapy_or_none(drug: str | None) -> Choice | None:
    """The therapy asked for, else the configured one, else the journal's latest; None
    when there is none (the general checklist and questions)."""
    from infuse_cli.services.plan import choose_therapy

    try:
        return choose_therapy(drug)
    except UsageError:
        if drug is not None:
            raise
        return None


def need_therapy(drug: str | None, command: str) -> Choice:
    """As ``therapy_or_none``, for a command that cannot go on without one."""
    chosen = therapy_or_none(drug)
    if chosen is None:
        raise UsageError(
            f"Name a therapy with --drug, for example: infuse {command} --drug ocrevus"
            " (or set your own: infuse config set therapy ocrevus)."
        )
    return chosen


def visit(
    choice: Choice,
    first: bool | None,
    start: str | None = None,
    last: str | None = None,
    events: bool = False,
    facts: bool = True,
) -> Visit:
    """The next visit from the journal or --start/--last; with ``events``, the tests and
    reminders from today until 13 months after it."""
    from infuse_cli.services.plan import Inputs

    inp = Inputs(None, start, last, choice=choice)
    plan, none = _plan(inp, events)
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


def _plan(inp: Inputs, events: bool) -> tuple[Upcoming | None, str]:
    """The plan from today (far enough for every test with ``events``), or why there is none."""
    if inp.basis == "preview" and not events and inp.therapy.regimen.shape not in ("on_demand", "none"):
        return None, ""
    # With events: far enough for every monitoring program to reach its end (Lemtrada's
    # tests run 48 months after the last dose), and 13 months past the next infusion.
    far = 72
    if events:
        plan = inp.upcoming(None, None, count=10**6, months=far, with_events=True)
    else:
        plan = inp.upcoming(None, None, count=1)
    if plan.end is not None and plan.end.kind == "no_schedule":
        return None, plan.end.text.split(". ")[0].rstrip(".") + "."
    if events and plan.infusions:
        due = plan.infusions[0].date
        months = (due.year - inp.today.year) * 12 + due.month - inp.today.month + 13
        if months > far:  # a next infusion years away: plan once more, further
            plan = inp.upcoming(None, None, count=10**6, months=months, with_events=True)
    return plan, ""


def due_tests(v: Visit, before: dt.date | None = None) -> list[Event]:
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


def content(kind: str) -> Any:
    from infuse_cli.cache import load_content

    return load_content(kind)


class ChecklistFor(msgspec.Struct, frozen=True):
    """A checklist for one visit (or for any visit), with what is ticked."""

    content: Checklist
    items: list[Item]
    done: set[str]
    key: str
    visit: Visit | None


def checklist_for(
    drug: str | None, first: bool | None, sections: list[str], reset: bool, profile: str | None
) -> ChecklistFor:
    """The items for the next visit (all sections, or those named), and the ticks kept for it;
    ``reset`` forgets those ticks first."""
    from infuse_cli import store
    from infuse_cli.core import prep

    found: prep.Checklist = content("checklists")
    wanted = [prep.find_group(found.sections, s, "checklist section") for s in sections]
    chosen = therapy_or_none(drug)
    v = visit(chosen, first) if chosen else None
    items = prep.select(found.items, v.facts if v else None)
    if wanted:
        items = prep.in_sections(items, wanted)
    key = v.key if v else "any:next"
    if reset and store.journal_path(profile).exists():
        with store.writing(profile) as conn:
            store.reset_ticks(conn, key)
    with store.reading(profile) as conn:
        done = store.ticks(conn, key)
    return ChecklistFor(found, items, done, key, v)


class QuestionsFor(msgspec.Struct, frozen=True):
    content: Questions
    chosen: list[Question]  # the label-sourced questions that fit the visit
    mine: list[UserQuestion]  # the person's own
    visit: Visit | None


def questions_for(drug: str | None, topic: str | None, answered: bool, profile: str | None) -> QuestionsFor:
    """The questions for the next visit (or any), on one topic or all, and the person's
    own; ``answered`` keeps only the person's questions already asked."""
    from infuse_cli import store
    from infuse_cli.core import prep

    found: prep.Questions = content("questions")
    therapy = therapy_or_none(drug)
    v = visit(therapy, None) if therapy else None
    chosen = prep.select(found.questions, v.facts if v else None)
    if topic is not None:
        wanted = prep.find_group(found.topics, topic, "topic")
        chosen = [q for q in chosen if q.topic == wanted]
    with store.reading(profile) as conn:
        mine = store.user_questions(conn, v.therapy.id if v else None)
    if answered:  # the record of what was asked: only those, with their answers
        chosen, mine = [], [q for q in mine if q.asked is not None]
    return QuestionsFor(found, chosen, mine, v)


class Sheet(msgspec.Struct, frozen=True):
    """Everything on the visit sheet besides the visit itself."""

    visit: Visit
    checklist: ChecklistFor
    questions: QuestionsFor
    tests: list[Event]  # due up to a month after the visit
    reactions: list[Reaction]  # since the last infusion
    last: dt.date | None  # the last infusion
    travel_minutes: int
    between: Between | None = None  # tests, symptoms and relapses since the last infusion


class Between(msgspec.Struct, frozen=True):
    """What happened between infusions, for the care team's summary."""

    results: list[TestResult]  # since the last infusion
    trends: dict[str, list[TestResult]]  # each numeric test among them: its latest results
    programs: list[Program]  # the ledger, for its missed windows
    symptoms: list[Symptom]
    relapses: list[Relapse]


def sheet_for(v: Visit, profile: str | None) -> Sheet:
    from infuse_cli import config, store
    from infuse_cli.core import prep
    from infuse_cli.core.dates import add_days

    checklist: prep.Checklist = content("checklists")
    questions: prep.Questions = content("questions")
    with store.reading(profile) as conn:
        done = store.ticks(conn, v.key)
        mine = [q for q in store.user_questions(conn, v.therapy.id) if q.asked is None]
        _, newest = store.latest(conn, v.therapy.id)
        reactions = [r for r in store.reactions(conn) if newest is None or r.date >= newest]
        between = _between(conn, v, newest)
    chosen = [q for q in prep.select(questions.questions, v.facts) if not q.when.empty()]
    return Sheet(
        visit=v,
        checklist=ChecklistFor(checklist, prep.select(checklist.items, v.facts), done, v.key, v),
        questions=QuestionsFor(questions, chosen, mine, v),
        tests=due_tests(v, add_days(v.day, 31) if v.day else None),
        reactions=reactions,
        last=newest,
        travel_minutes=config.load(profile).travel_minutes,
        between=between,
    )


_TREND = 8  # results in a test's chart


def _between(conn: Any, v: Visit, since: dt.date | None) -> Between:
    from infuse_cli import store
    from infuse_cli.core.dates import add_days

    start = since or add_days(v.inputs.today, -183)  # no infusion yet: the last six months
    results = store.results(conn, since=start)
    trends: dict[str, list[TestResult]] = {}
    for test in dict.fromkeys(r.test for r in results if r.value is not None):
        latest, _ = store.latest_results(conn, test, 4 * _TREND)
        valued = [r for r in latest if r.value is not None]
        # One unit to a chart: the latest result's (no exact factor joins the others).
        trends[test] = [r for r in valued if r.unit == valued[-1].unit][-_TREND:]
    return Between(
        results=results,
        trends=trends,
        programs=_programs(conn, v),
        symptoms=store.symptoms(conn, start),
        relapses=store.relapses(conn, start),
    )


def _programs(conn: Any, v: Visit) -> list[Program]:
    """The ledger of the visit's therapy and, for a plan from the journal, of each other
    therapy there with a test recorded (Lemtrada's tests run on after a switch)."""
    from infuse_cli import store
    from infuse_cli.context import catalogue
    from infuse_cli.services.labs import followed, programs_for
    from infuse_cli.services.plan import Choice

    programs = programs_for(v, store.result_days(conn, followed(v.therapy)))
    if v.inputs.basis != "journal":
        return programs
    for drug in store.journal_drugs(conn):
        other = catalogue().therapies.get(drug)
        if other is None or other.id == v.therapy.id:
            continue
        done = store.result_days(conn, followed(other))
        if done:
            programs += programs_for(visit(Choice(other, "journal"), None, events=True, facts=False), done)
    return programs
