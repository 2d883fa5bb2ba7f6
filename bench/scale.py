"""Scale benchmark (standard library + infuse): engine work at large sizes.

    python bench/scale.py

* a 100-year projection for every therapy with a schedule (budget: under 10 ms each);
* every therapy compared at once;
* a journal of 10,000 entries: reading a therapy's history and working out its phases,
  the whole timeline, and a full export (each under 100 ms).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time


def timed(fn, runs: int = 15) -> float:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return statistics.median(out) * 1000


def main() -> int:
    from infuse_cli.core import catalogue
    from infuse_cli.core.compare import GROUPS, compare
    from infuse_cli.core.schedule import NoSchedule, project

    cat = catalogue.load()
    start = dt.date(2026, 1, 5)
    until = dt.date(2126, 1, 5)
    failed = False
    for t in cat:
        try:
            project(t, start, start=start, until=until, count=10**6)
        except NoSchedule:
            continue
        ms = timed(lambda t=t: project(t, start, start=start, until=until, count=10**6))
        n = len(project(t, start, start=start, until=until, count=10**6).infusions)
        ok = ms < 10
        failed |= not ok
        print(f"{ms:6.2f} ms  {'ok' if ok else 'OVER'}  100-year projection, {t.brand} ({n} infusion days)")
    ms = timed(lambda: compare(list(cat), list(GROUPS), start), runs=5)
    print(f"{ms:6.2f} ms      compare every therapy at once ({len(cat)} therapies)")
    failed |= journal_cases(cat.find("tysabri"))
    return 1 if failed else 0


def journal_cases(tysabri) -> bool:  # type: ignore[no-untyped-def]
    """10,000 entries in a real journal file, through infuse's own store."""
    home = tempfile.mkdtemp(prefix="infuse-scale-")
    os.environ["INFUSE_HOME"] = home
    from infuse_cli import store
    from infuse_cli.core.history import basis
    from infuse_cli.core.journal import timeline

    try:
        with store.writing() as conn:
            day = dt.date(1980, 1, 7)
            for i in range(10_000):
                store.add_infusion(
                    conn, store.InfusionEntry(id=0, drug="tysabri", date=day, first=i == 0, note=f"entry {i}")
                )
                day += dt.timedelta(days=28)
        failed = False

        def history() -> None:
            with store.reading() as conn:
                found = store.history_since_first(conn, "tysabri")
            basis(tysabri, [e.date for e in found], [e.first for e in found])

        def whole_timeline() -> None:
            with store.reading() as conn:
                timeline(store.infusions(conn), store.reactions(conn))

        def export() -> None:
            with store.reading() as conn:
                store.export(conn)

        for label, fn in (
            ("history and phases of one therapy", history),
            ("the whole timeline", whole_timeline),
            ("a full export", export),
        ):
            ms = timed(fn, runs=5)
            ok = ms < 100
            failed |= not ok
            print(f"{ms:6.2f} ms  {'ok' if ok else 'OVER'}  10,000 journal entries: {label}")
        return failed
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
