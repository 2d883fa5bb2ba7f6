"""Scale benchmark (standard library + infuse): engine work at large sizes.

    python bench/scale.py

* a 100-year projection for every therapy with a schedule (budget: under 10 ms each);
* every therapy compared at once.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
