"""The monitoring ledger: for each monitoring program of a therapy, every window the label
sets (a month for monthly tests, before each dose, a year after treatment stops …) marked
done, missed, due or ahead from the results the person recorded.

Windows of a repeating test tile time around the label's dates: each runs from halfway
after the date before it to halfway to the date after it, so a test a few days early or
late still counts for its own month. A test before a dose counts in the days since the
dose before it. Everything is linear in results: the results of each program are walked
once, beside its windows.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Mapping, Sequence
from typing import Literal

import msgspec

from infuse_cli.core.dates import add_days, shift
from infuse_cli.core.labtests import Tests, satisfying
from infuse_cli.core.reason import Citation
from infuse_cli.core.schedule import citation
from infuse_cli.core.schema import Monitor, Span, Therapy

State = Literal["done", "missed", "due", "ahead"]
Rule = Literal["every", "before_each_dose", "after_last_dose", "no_interval", "not_started"]


class Window(msgspec.Struct, frozen=True):
    label: dt.date  # the label's date (for a test before a dose: the dose)
    start: dt.date
    end: dt.date  # exclusive
    state: State
    done_on: dt.date | None = None


class Program(msgspec.Struct, frozen=True, kw_only=True):
    therapy: str
    what: str
    rule: Rule
    tests: list[str]
    every: Span | None = None
    windows: list[Window] = []
    done: int = 0
    missed: int = 0
    until: dt.date | None = None  # the last day of the program, when the label gives one
    next_due: dt.date | None = None  # from the last test recorded, else the label's date
    last_done: dt.date | None = None
    recorded: int = 0  # results of its tests, in all
    cite: Citation | None = None


def ledger(
    therapy: Therapy,
    tests: Tests,
    doses: Sequence[dt.date],
    results: Mapping[str, Sequence[dt.date]],
    today: dt.date,
    *,
    next_dose: dt.date | None = None,
    ended: bool = False,
    ongoing: bool = False,
    last_planned: dt.date | None = None,
) -> list[Program]:
    """The programs of ``therapy`` that a recorded test can satisfy.

    ``doses`` are the days given (oldest first), ``results`` the days each test was done
    (oldest first), ``next_dose`` the planned next dose, ``ended`` that the treatment has
    ended (its lifetime limit or planned doses reached), which starts 'after the last dose'
    programs, and ``ongoing`` that more doses are planned, so a program that ends some time
    "after the last dose" has no end yet; else the end counts from ``last_planned``, the last
    dose planned (a second course booked), when there is one. A test marked ``only_if_recorded`` (a pregnancy
    test) joins the ledger once one is recorded."""
    out = []
    for m in therapy.monitoring:
        ids = satisfying(tests, therapy.id, m.what)
        ids = [i for i in ids if not _optional(tests, i) or results.get(i)]
        if not ids:
            continue
        days = list(heapq.merge(*(results.get(i, ()) for i in ids)))
        last = max([doses[-1], *([last_planned] if last_planned else [])]) if doses else None
        out.append(_program(therapy, m, ids, days, doses, today, next_dose, ended, None if ongoing else last))
    return out


def _optional(tests: Tests, test_id: str) -> bool:
    t = tests.get(test_id)
    return t is not None and t.only_if_recorded


def _program(
    therapy: Therapy,
    m: Monitor,
    ids: list[str],
    days: list[dt.date],
    doses: Sequence[dt.date],
    today: dt.date,
    next_dose: dt.date | None,
    ended: bool,
    last: dt.date | None,
) -> Program:
    base = Program(
        therapy=therapy.id,
        what=m.what,
        rule="no_interval",
        tests=ids,
        every=m.every,
        last_done=days[-1] if days else None,
        recorded=len(days),
        cite=citation(therapy, m.source, m.ref),
    )
    if not doses:
        return msgspec.structs.replace(base, rule="not_started")
    if m.before_each_dose:
        return _before_each_dose(base, days, doses, today, next_dose)
    if m.every is None:
        return base
    if m.after_last_dose:
        if not ended:
            return msgspec.structs.replace(base, rule="not_started")
        labels = _dates(doses[-1], [], None, m.every, None, today)
        return _tiled(
            msgspec.structs.replace(base, rule="after_last_dose"), labels, days, doses[-1], today, None
        )
    until = shift(last, m.until) if m.until is not None and last is not None else None
    labels = _dates(doses[0], m.at, m.first, m.every, until, today)
    return _tiled(msgspec.structs.replace(base, rule="every"), labels, days, doses[0], today, until)


def _dates(
    anchor: dt.date, at: list[Span], first: Span | None, every: Span, until: dt.date | None, today: dt.date
) -> list[dt.date]:
    """The label's dates: fixed ones after the anchor, then a series counted from it (no
    drift), up to ``until`` or, with no end, one past today."""
    out = [shift(anchor, span) for span in at]
    k = 0
    while True:
        day = shift(anchor, *([first] if first else []), (every, k + (0 if first else 1)))
        if until is not None and day > until:
            break
        out.append(day)
        if until is None and day > today:
            break
        k += 1
    return sorted(set(out))


def _tiled(
    base: Program,
    labels: list[dt.date],
    days: list[dt.date],
    anchor: dt.date,
    today: dt.date,
    until: dt.date | None,
) -> Program:
    """Windows around ``labels``, each marked from the results in it."""
    if not labels:
        return base
    edges = [_half(anchor, labels[0])]
    edges += [_half(a, b) for a, b in zip(labels, labels[1:], strict=False)]
    last = labels[-1]
    edges.append(add_days(last, (last - (labels[-2] if len(labels) > 1 else anchor)).days // 2 + 1))
    windows = []
    i = 0
    for label, start, end in zip(labels, edges, edges[1:], strict=False):
        while i < len(days) and days[i] < start:
            i += 1
        done_on = days[i] if i < len(days) and days[i] < end else None
        windows.append(Window(label, start, end, _state(done_on, start, end, today), done_on))
    return _counted(base, windows, until, _next_due(base, days, windows, until))


def _half(a: dt.date, b: dt.date) -> dt.date:
    """The day halfway from ``a`` to ``b`` (the later half starts there)."""
    return add_days(a, (b - a).days // 2 + 1)


def _state(done_on: dt.date | None, start: dt.date, end: dt.date, today: dt.date) -> State:
    if done_on is not None:
        return "done"
    if end <= today:
        return "missed"
    return "due" if start <= today else "ahead"


def _next_due(
    base: Program, days: list[dt.date], windows: list[Window], until: dt.date | None
) -> dt.date | None:
    """The next test counts from the last one recorded; with none, the first open window's
    label date. None when the program is over."""
    due: dt.date | None
    if days and base.every is not None:
        due = shift(days[-1], base.every)
    else:
        due = next((w.label for w in windows if w.state != "done"), None)
    if due is None or (until is not None and due > until):
        return None
    return due


def _counted(base: Program, windows: list[Window], until: dt.date | None, due: dt.date | None) -> Program:
    return msgspec.structs.replace(
        base,
        windows=windows,
        done=sum(w.state == "done" for w in windows),
        missed=sum(w.state == "missed" for w in windows),
        until=until,
        next_due=due,
    )


def _before_each_dose(
    base: Program, days: list[dt.date], doses: Sequence[dt.date], today: dt.date, next_dose: dt.date | None
) -> Program:
    """A window per dose: since the dose before it, up to and on its day."""
    windows = []
    i = 0
    previous: dt.date | None = None
    ahead = [next_dose] if next_dose is not None and next_dose > doses[-1] else []
    for dose in [*doses, *ahead]:
        start = add_days(previous, 1) if previous is not None else dt.date.min
        end = add_days(dose, 1)
        while i < len(days) and days[i] < start:
            i += 1
        done_on = days[i] if i < len(days) and days[i] < end else None
        state: State = _state(done_on, start, end, today) if dose <= today or done_on else "due"
        windows.append(Window(dose, start, end, state, done_on))
        previous = dose
    due = next((w.label for w in windows if w.state == "due"), None)
    return _counted(msgspec.structs.replace(base, rule="before_each_dose"), windows, None, due)
