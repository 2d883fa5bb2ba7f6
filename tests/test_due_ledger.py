"""`infuse due` through real histories: a "today" at the calendar's end is one sentence,
never a traceback.

Lemtrada (label Boxed Warning; §5.1, §5.8): a blood count with differential, serum creatinine
and a urinalysis every month, thyroid tests every 3 months; first course Mon 2 Mar 2026.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

TODAY = {"INFUSE_TODAY": "2026-12-03"}

CBC = "Complete blood count with differential"
CREATININE = "Serum creatinine (kidney blood test)"
URINE = "Urinalysis with urine cell counts"
THYROID = "Thyroid blood tests"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _course(run) -> None:  # type: ignore[no-untyped-def]
    r = run("log", "add", "lemtrada", "--date", "2026-03-02", "--days", "5", "--first", env=TODAY)
    assert r.code == 0, r


def _tested(run) -> None:  # type: ignore[no-untyped-def]
    """The tester's history: the monthly tests on 2 Nov, the thyroid test on 2 Sep."""
    _course(run)
    for args in (
        ("cbc", "--date", "2026-11-02"),
        ("creatinine", "0.9", "mg/dL", "--date", "2026-11-02"),
        ("urinalysis", "--date", "2026-11-02"),
        ("tsh", "2.0", "--date", "2026-09-02"),
    ):
        assert run("labs", "add", *args, env=TODAY).code == 0, args


def _quick(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The installed command, as a shell's start-up file runs it (the quick path)."""
    infuse = shutil.which("infuse") or str(Path(sys.executable).parent / "infuse")
    return subprocess.run(
        [infuse, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=60
    )


def test_a_today_at_the_calendars_end_is_one_sentence_not_a_traceback(run) -> None:
    _tested(run)
    end = {"INFUSE_TODAY": "9999-12-31"}
    for args in (("due",), ("due", "--json"), ("due", "--days", "366", "--all-profiles")):
        r = run(*args, env=end)
        assert r.code == 1, (args, r)
        assert r.stderr.startswith("Error: ") and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert r.stdout == ""
    fault = "infuse: could not check what is due — infuse due says why\n"
    assert run("due", "--short", env=end).stdout == fault
    for args in (("due", "--short"), ("due", "--short", "--all-profiles", "--days", "30")):
        quick = _quick(*args, env=end)
        assert quick.returncode == 0 and quick.stdout == fault and quick.stderr == "", quick
    # The same guard where a day is counted on from today or from a typed date.
    for args in (
        ("remind", "add", "Renew", "--date", "tomorrow"),
        ("log", "add", "ocrevus", "--date", "9999-12-30", "--days", "3"),
    ):
        r = run(*args, env=end)
        assert r.code == 1 and r.stderr.startswith("Error: "), (args, r)
        assert len(r.stderr.strip().splitlines()) == 1
