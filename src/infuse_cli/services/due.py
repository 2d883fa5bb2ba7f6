"""`infuse due`: what is due for one person, or for everyone a caregiver looks after.

Nothing here imports Typer or Rich: `infuse due --short`, run at every new terminal,
reaches it without the command line (see ``infuse_cli.quick``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from infuse_cli.core.errors import UsageError

if TYPE_CHECKING:
    from infuse_cli.core.due import Due
    from infuse_cli.core.ledger import Program
    from infuse_cli.core.records import Appointment, Coverage, Reminder
    from infuse_cli.core.upcoming import Upcoming
    from infuse_cli.services.plan import Choice

# The checklist's sections that come before the day, and how many days before it each begins.
SECTIONS = (("week_before", 7), ("day_before", 1), ("morning_of", 0))


def due_for(today: dt.date, days: int, name: str = "") -> Due:
    """What is due for the profile in use (``name`` is how it is shown)."""
    from infuse_cli import config, store
    from infuse_cli.context import profile
    from infuse_cli.core.dates import add_days
    from infuse_cli.core.due import due
    from infuse_cli.services.plan import Inputs, choose_therapy

    settings = config.load(profile())
    try:
        choice: Choice | None = choose_therapy(None, "due")
    except UsageError:
        choice = None  # no therapy yet: own reminders and coverage still count
    plan: Upcoming | None = None
    ahead: tuple[list[Appointment], list[Coverage], list[Reminder]] = ([], [], [])
    if choice is not None:
        inp = Inputs(None, None, None, command="due", choice=choice)
        ahead = inp.ahead()
        if inp.basis != "preview" and choice.therapy.regimen.shape not in ("on_demand", "none"):
            reach = add_days(today, max(days, settings.lead_days))
            months = (reach.year - today.year) * 12 + reach.month - today.month + 1
            plan = inp.upcoming(None, None, months=months, with_events=True)
    journal = store.journal_path(profile()).exists()
    checklist: list[tuple[str, dt.date, int]] = []
    programs: list[Program] = []
    if journal:
        from infuse_cli.store import plans

        with store.reading(profile()) as conn:
            if choice is None:
                ahead = (plans.appointments(conn, since=today), plans.coverage(conn), plans.reminders(conn))
            checklist = _checklist(conn, plan)
            results = store.has_results(conn)
        if results:  # the monitoring ledger dates the tests (none before a result is recorded)
            from infuse_cli.services.labs import programs_now

            programs = programs_now()
    tests = test_names(ahead[0])
    return due(
        today,
        days,
        plan=plan,
        lead_days=settings.lead_days,
        appointments=ahead[0],
        coverage=ahead[1],
        reminders=ahead[2],
        checklist=checklist,
        tests=tests,
        programs=programs,
        profile=name,
    )


def due_everyone(today: dt.date, days: int) -> list[Due]:
    """Each profile's due list, the default one first, each named."""
    from infuse_cli import profiles
    from infuse_cli.context import profile, use_profile

    mine = profile()
    out = []
    try:
        for name in profiles.names():
            use_profile(None if name == profiles.DEFAULT else name)
            out.append(due_for(today, days, name))
    finally:
        use_profile(mine)
    return out


def _checklist(conn: object, plan: Upcoming | None) -> list[tuple[str, dt.date, int]]:
    """For the next visit: each section before the day, its first day, its steps not ticked."""
    if plan is None or not plan.infusions:
        return []
    from infuse_cli import store
    from infuse_cli.cache import load_content
    from infuse_cli.core.dates import add_days
    from infuse_cli.core.prep import Checklist, select, visit_facts

    nxt = plan.infusions[0]
    t = plan.therapy
    facts = visit_facts(t, nxt.number == 1, nxt.phase_id, nxt.number, scheduled=True)
    found: Checklist = load_content("checklists")
    items = select(found.items, facts)
    done = store.ticks(conn, f"{t.id}:{nxt.date.isoformat()}")  # type: ignore[arg-type]
    names = {s.id: s.name for s in found.sections}
    day = nxt.book or nxt.date
    out = []
    for section, before in SECTIONS:
        left = sum(1 for i in items if i.section == section and i.id not in done)
        out.append((names.get(section, section), add_days(day, -before), left))
    return out


def test_names(appointments: list[Appointment]) -> dict[str, str]:
    wanted = {a.test for a in appointments if a.test}
    if not wanted:
        return {}
    from infuse_cli.cache import load_content

    tests = load_content("tests")
    return {t.id: t.name for t in tests.tests if t.id in wanted}
