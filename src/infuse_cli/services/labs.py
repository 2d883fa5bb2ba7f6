"""Tests between infusions: the catalogue, recording results, the monitoring ledger of each
therapy, and one test's results over time."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import msgspec

from infuse_cli.core.errors import InfuseError, UsageError

if TYPE_CHECKING:
    from infuse_cli.core.labtests import Band, LabTest, Tests
    from infuse_cli.core.ledger import Program
    from infuse_cli.core.records import TestResult
    from infuse_cli.core.schema import Therapy
    from infuse_cli.services.plan import Choice
    from infuse_cli.services.visit import Visit


def tests() -> Tests:
    from infuse_cli.cache import load_content

    found: Tests = load_content("tests")
    return found


def find(word: str, guess: bool = True) -> LabTest:
    """The test a name means; ``guess`` takes one close spelling too (never when recording)."""
    from infuse_cli.core.labtests import find_test

    return find_test(tests(), word, guess)


def result_day(text: str, today: dt.date) -> dt.date:
    """The day a test was done: not in the future (a date there is bad input, exit 1)."""
    from infuse_cli import config
    from infuse_cli.context import profile
    from infuse_cli.core.dates import parse_date

    day = parse_date(text, today, config.load(profile()).date_order or None)
    if day > today:
        raise InfuseError(f"{day.isoformat()} is in the future; record a test once it is done.")
    return day


class Recorded(msgspec.Struct, frozen=True):
    result: TestResult
    test: LabTest
    bands: list[Band]


def add(
    word: str, value: str | None, unit: str | None, date: str, note: str, again: bool, today: dt.date
) -> Recorded:
    """Check everything, then write one result (nothing is written on any fault)."""
    from infuse_cli import store
    from infuse_cli.context import profile
    from infuse_cli.core.labtests import bands_for, parse_result
    from infuse_cli.core.records import TestResult

    test = find(word, guess=False)
    parsed = parse_result(test, value, unit)
    day = result_day(date, today)
    with store.writing(profile()) as conn:
        if not again and store.result_on(conn, test.id, day):
            raise InfuseError(
                f"A {test.name} result is already recorded on {day.isoformat()}; nothing was added."
                " To record a second one that day, add --again (or change the first: infuse labs edit ID)."
            )
        r = TestResult(
            id=0,
            test=test.id,
            date=day,
            value=parsed.value,
            unit=parsed.unit,
            status=parsed.status,
            note=note,
            uid=store.new_uid(),
        )
        number = store.add_result(conn, r)
        mine = tuple(store.journal_drugs(conn))  # bands of the labels of the person's therapies
    result = msgspec.structs.replace(r, id=number)
    return Recorded(result, test, bands_for(test, result.value, result.unit, mine))


def edit(
    result_id: int,
    value: str | None,
    unit: str | None,
    date: str | None,
    note: str | None,
    today: dt.date,
) -> TestResult:
    from infuse_cli import store
    from infuse_cli.context import profile
    from infuse_cli.core.labtests import parse_result

    with store.reading(profile()) as conn:
        old = store.get_result(conn, result_id)
    test = tests().get(old.test)
    if test is None:
        raise InfuseError(f"Result {result_id} is of a test this infuse does not know ({old.test}).")
    changes: dict[str, object] = {}
    if value is not None:
        parsed = parse_result(test, value, unit)
        changes |= {"value": parsed.value, "unit": parsed.unit, "status": parsed.status}
        if test.result == "status_index" and parsed.status and unit is None and old.value is not None:
            changes |= {"value": old.value, "unit": old.unit}  # a new status alone keeps the index
    elif unit is not None:
        raise UsageError("Give the value with its unit, e.g. infuse labs edit 3 1.2 g/L.")
    if date is not None:
        changes["date"] = result_day(date, today)
    if note is not None:
        changes["note"] = note
    if not changes:
        raise UsageError("Say what to change: a value, --date or --note.")
    new = msgspec.structs.replace(old, **changes)
    with store.writing(profile()) as conn:
        store.get_result(conn, result_id)
        if new.date != old.date and store.result_on(conn, new.test, new.date, other_than=result_id):
            raise InfuseError(
                f"A {test.name} result is already recorded on {new.date.isoformat()}; nothing was changed."
            )
        store.update_result(conn, new)
    return new


def listed(word: str | None, since: str | None, today: dt.date) -> list[TestResult]:
    from infuse_cli import store
    from infuse_cli.context import profile
    from infuse_cli.core.dates import parse_date

    ids = (find(word).id,) if word is not None else ()
    start = parse_date(since, today) if since is not None else None
    with store.reading(profile()) as conn:
        return store.results(conn, ids, start)


class Ledger(msgspec.Struct, frozen=True):
    """One therapy's programs, and the visit they were worked out from."""

    visit: Visit
    programs: list[Program]  # none until the journal records a test result


def ledgers(drug: str | None, start: str | None, last: str | None) -> list[Ledger]:
    """The ledger of the therapy named; with none named, of every therapy the journal
    records (a program runs on after a switch: Lemtrada's tests 48 months after its last
    dose), else of the therapy in the settings. The ledger starts with the first result
    recorded: before that, every window would read "missed"."""
    choices = _choices(drug, start, last)
    done = _done(choices)
    return [_ledger(c, start, last, done) for c in choices]


def programs_now() -> list[Program]:
    """Every program of the ledgers `infuse labs` shows with no therapy named (what `infuse
    due` takes overdue tests from); none before a result is recorded, none without a therapy."""
    try:
        choices = _choices(None, None, None)
    except UsageError:
        return []
    done = _done(choices)
    if not done:  # no result recorded: no ledger, and no plan worked out for one
        return []
    return [p for c in choices for p in _ledger(c, None, None, done).programs]


def _choices(drug: str | None, start: str | None, last: str | None) -> list[Choice]:
    from infuse_cli.context import catalogue, profile
    from infuse_cli.services.plan import Choice
    from infuse_cli.services.visit import need_therapy

    if drug is not None or start is not None or last is not None:
        return [need_therapy(drug, "labs")]
    from infuse_cli import store

    with store.reading(profile()) as conn:
        drugs = store.journal_drugs(conn)
    found = [catalogue().therapies.get(d) for d in drugs]
    return [Choice(t, "journal") for t in found if t is not None] or [need_therapy(None, "labs")]


def _done(choices: list[Choice]) -> dict[str, list[dt.date]]:
    """The days each test the ``choices`` follow was done (none without a journal)."""
    from infuse_cli import paths
    from infuse_cli.context import profile

    if not paths.journal_file(profile()).exists():  # a plan from --start alone opens no journal
        return {}
    from infuse_cli import store

    with store.reading(profile()) as conn:
        return store.result_days(conn, followed(*(c.therapy for c in choices)))


def _ledger(choice: object, start: str | None, last: str | None, done: dict[str, list[dt.date]]) -> Ledger:
    from infuse_cli.services.visit import visit

    v = visit(choice, None, start, last, events=True, facts=False)  # type: ignore[arg-type]
    return Ledger(v, programs_for(v, done))


def followed(*therapies: Therapy) -> set[str]:
    """The tests that satisfy a monitoring entry of any of ``therapies``."""
    return {
        t.id
        for t in tests().tests
        for s in t.satisfies
        if any(s.therapy == therapy.id for therapy in therapies)
    }


def programs_for(v: Visit, done: dict[str, list[dt.date]]) -> list[Program]:
    """The ledger of the visit's therapy from the days each test was done; none before the
    first result is recorded, or without a history to count from."""
    if v.plan is None or v.inputs.basis == "preview" or not done:
        return []
    from infuse_cli.core.ledger import ledger

    doses = [i.given or i.date for i in v.plan.history]
    # Ended: the lifetime limit or the planned doses reached, and no dose left to give.
    ended = v.plan.end is not None and v.plan.end.kind in ("cap", "finished") and not v.plan.infusions
    ongoing = v.plan.end is None  # doses go on: "N after the last dose" is not known yet
    ahead = v.plan.infusions
    planned = (ahead[-1].book or ahead[-1].date) if ahead else None  # the last dose the plan knows
    return ledger(
        v.therapy,
        tests(),
        doses,
        done,
        v.inputs.today,
        next_dose=v.day,
        ended=ended,
        ongoing=ongoing,
        last_planned=planned,
    )


class History(msgspec.Struct, frozen=True):
    test: LabTest
    results: list[TestResult]  # the latest ``limit`` (all, for 0), after ``before``
    bands: list[list[Band]]  # the label's bands each result falls in
    total: int  # results of the test in all
    before: TestResult | None = None  # the result before the first shown, for its change


def history(word: str, limit: int = 0) -> History:
    """One test's results, the latest ``limit`` of them (0: all), with the bands of the
    labels of the person's therapies (all, when the journal names none)."""
    from infuse_cli import store
    from infuse_cli.context import profile
    from infuse_cli.core.labtests import bands_for

    test = find(word)
    with store.reading(profile()) as conn:
        if limit:
            found, total = store.latest_results(conn, test.id, limit + 1)
        else:
            found = store.results(conn, (test.id,))
            total = len(found)
        mine = tuple(store.journal_drugs(conn))
    before = found.pop(0) if limit and total > limit else None
    return History(test, found, [bands_for(test, r.value, r.unit, mine) for r in found], total, before)


def remove(result_id: int) -> TestResult:
    from infuse_cli import store
    from infuse_cli.context import profile

    with store.writing(profile()) as conn:
        found = store.get_result(conn, result_id)
        store.remove_result(conn, result_id)
    return found
