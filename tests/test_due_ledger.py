"""`infuse due` and the monitoring ledger agree: a test `infuse labs` calls overdue is in
`due`, first, with the same day and the same count of days late; a test done in its window is
not asked for again. And a "today" at the calendar's end is one sentence, never a traceback.

Label dates are written out by hand. Lemtrada (label Boxed Warning; §5.1, §5.8): a blood
count with differential, serum creatinine and a urinalysis every month, thyroid tests every
3 months, until 48 months after the last dose. The ledger counts the next test from the last
one recorded (calendar months), and with none recorded, from the first dose:
first course Mon 2 Mar 2026 (5 days);
- a blood count on Mon 2 Nov 2026 → next Wed 2 Dec 2026 (2 Nov + 1 month);
- a thyroid test on Wed 2 Sep 2026 → next Wed 2 Dec 2026 (2 Sep + 3 months);
- today Thu 3 Dec 2026: each is overdue by 1 day.
"""

from __future__ import annotations

import json
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


def test_a_test_the_ledger_calls_overdue_is_first_in_due_and_counted(run) -> None:
    _tested(run)
    ledger = _flat(run("labs", "--plain", env=TODAY).stdout)
    assert ledger.count("Overdue since Wed 2 Dec 2026 (by 1 day).") == 4

    out = _flat(run("due", "--days", "40", "--plain", env=TODAY).stdout)
    for what in (CBC, CREATININE, URINE, THYROID):
        assert f"OVERDUE Test due: {what}: overdue by 1 day (since Wed 2 Dec 2026)" in out, what
    # One line per test: the overdue one, not also the next month's.
    assert out.count(f"Test due: {CBC}") == 1

    data = json.loads(run("due", "--json", env=TODAY).stdout)["profiles"][0]
    assert data["overdue"] == 4 and data["due"] == 0
    tests = {i["what"]: i for i in data["items"] if i["kind"] == "test"}
    assert set(tests) == {CBC, CREATININE, URINE, THYROID}
    assert all(i["date"] == "2026-12-02" and i["overdue_days"] == 1 for i in tests.values())

    full = run("due", "--short", env=TODAY).stdout
    assert full == "infuse: 4 overdue — infuse due\n"
    quick = _quick("due", "--short", env=TODAY)
    assert quick.returncode == 0 and quick.stdout == full and quick.stderr == ""


def test_overdue_comes_before_what_is_due_later_and_is_counted_apart(run) -> None:
    # A skin exam every 12 months (label Boxed Warning; §5.4): once one is recorded on
    # Wed 10 Dec 2025, the next is due Thu 10 Dec 2026, in the window and not late.
    _tested(run)
    assert run("labs", "add", "skin exam", "--date", "2025-12-10", env=TODAY).code == 0
    out = _flat(run("due", "--plain", env=TODAY).stdout)
    skin = out.index("Test due: Skin exam: Thu 10 Dec 2026 (in 7 days)")
    assert out.index(f"Test due: {CBC}: overdue by 1 day") < skin
    assert run("due", "--short", env=TODAY).stdout == "infuse: 1 due, 4 overdue — infuse due\n"
    assert _quick("due", "--short", env=TODAY).stdout == "infuse: 1 due, 4 overdue — infuse due\n"


def test_a_test_done_today_leaves_the_overdue_list(run) -> None:
    _tested(run)
    assert run("labs", "add", "cbc", "--date", "today", env=TODAY).code == 0
    out = _flat(run("due", "--plain", env=TODAY).stdout)
    assert CBC not in out  # next due Sun 3 Jan 2027 (3 Dec + 1 month), beyond 14 days
    assert f"Test due: {THYROID}: overdue by 1 day" in out
    later = _flat(run("due", "--days", "40", "--plain", env=TODAY).stdout)
    assert f"Test due: {CBC}: Sun 3 Jan 2027 (in 31 days)" in later
    data = json.loads(run("due", "--json", env=TODAY).stdout)["profiles"][0]
    assert data["overdue"] == 3
    assert run("due", "--short", env=TODAY).stdout == "infuse: 3 overdue — infuse due\n"


def test_a_test_done_early_in_its_window_is_not_asked_for_again(run) -> None:
    # The January blood count's label date is Sat 2 Jan 2027 (2 Mar 2026 + 10 months); its
    # window starts halfway after 2 Dec: 31 days // 2 + 1 = 16 days on, Fri 18 Dec 2026.
    # Done on Fri 18 Dec, it counts for January, and the next is Mon 18 Jan 2027.
    env = {"INFUSE_TODAY": "2026-12-20"}
    _course(run)
    # Before any result the ledger has not started, and `due` names the label's date
    # (Sat 2 Jan 2027, shown on the working day before it).
    before = _flat(run("due", "--plain", env=env).stdout)
    assert f"Test due: {CBC}: Fri 1 Jan 2027 (in 12 days)" in before and "OVERDUE" not in before
    assert run("labs", "add", "cbc", "--date", "2026-12-18", env=env).code == 0
    assert "Next due Mon 18 Jan 2027" in _flat(run("labs", "--plain", env=env).stdout)
    assert CBC not in run("due", "--plain", env=env).stdout
    out = _flat(run("due", "--days", "40", "--plain", env=env).stdout)
    assert out.count(f"Test due: {CBC}") == 1
    assert f"Test due: {CBC}: Mon 18 Jan 2027 (in 29 days)" in out


def test_a_test_never_recorded_keeps_the_labels_dates_when_another_is_recorded(run) -> None:
    # Only a blood count on Tue 2 Jun 2026: its next was Thu 2 Jul 2026 (154 days before
    # Thu 3 Dec 2026), so it is overdue. Creatinine and the urinalysis were never recorded:
    # they keep the label's monthly dates (2 Mar 2026 + 10 months = Sat 2 Jan 2027, suggested
    # on the nearest working day, Fri 1 Jan 2027), as before any result was recorded — one
    # test's result says nothing of another's.
    _course(run)
    before = _flat(run("due", "--plain", "--days", "40", env=TODAY).stdout)
    assert "Serum creatinine (kidney blood test): Fri 1 Jan 2027" in before
    assert run("labs", "add", "cbc", "--date", "2026-06-02", env=TODAY).code == 0
    ledger = _flat(run("labs", "--plain", env=TODAY).stdout)
    assert "Overdue since Thu 2 Jul 2026 (by 154 days)." in ledger
    out = _flat(run("due", "--plain", "--days", "40", env=TODAY).stdout)
    assert f"OVERDUE Test due: {CBC}: overdue by 154 days (since Thu 2 Jul 2026)" in out
    assert f"{CREATININE}: Fri 1 Jan 2027 (in 29 days)" in out
    assert f"{URINE}: Fri 1 Jan 2027 (in 29 days)" in out
    assert f"{CREATININE}: overdue" not in out and f"{THYROID}: overdue" not in out
    data = json.loads(run("due", "--json", "--days", "40", env=TODAY).stdout)["profiles"][0]
    assert data["overdue"] == 1
    short = run("due", "--short", "--days", "40", env=TODAY).stdout
    assert short == "infuse: 2 due, 1 overdue — infuse due\n"


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
