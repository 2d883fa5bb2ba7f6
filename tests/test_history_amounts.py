"""Recorded amounts and course lengths place journal entries in the regimen's phases.

Histories are built with `infuse log add`, then read back with `next`, `plan`, `due`,
`--ics` and `log list`. Every expected date is written out by hand from the label's rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFUSE_TODAY", "2026-12-03")


def add(run, drug: str, day: str, *more: str) -> None:
    r = run("log", "add", drug, "--date", day, *more)
    assert r.code == 0, r


def infusions(run, command: str, *args: str) -> list[dict]:
    r = run(command, *args, "--json")
    assert r.code == 0, r
    return [e for e in json.loads(r.stdout)["events"] if e["kind"] == "infusion"]


def flat(text: str) -> str:
    return " ".join(text.split())


def listed(run) -> dict[str, dict]:
    r = run("log", "list", "--json")
    assert r.code == 0, r
    return {e["date"]: e for e in json.loads(r.stdout)}


def calendar_days(path: Path) -> list[tuple[str, str]]:
    from icalendar import Calendar

    cal = Calendar.from_ical(path.read_bytes())
    return sorted(
        (ev["dtstart"].dt.isoformat(), str(ev["summary"]))
        for ev in cal.walk("VEVENT")
        if "infusion:" in str(ev["summary"])
    )


# --- Ocrevus: a 600 mg dose is a later dose, never infusion 2 of the first dose ----------

# Label: the first dose is 300 mg, then 300 mg 2 weeks later; later doses are 600 mg every
# 6 months, the first of them 6 months after infusion 1. A 600 mg dose on Sun 5 Jul 2026
# is a later dose, given before its label date (Sun 19 Jul 2026, 6 months after Mon 19 Jan
# 2026) and after the 5-month minimum (Fri 19 Jun 2026); the next counts from it:
# Tue 5 Jan 2027, then Mon 5 Jul 2027 and Wed 5 Jan 2028 (all working days).
OCREVUS_AFTER_600 = ["2027-01-05", "2027-07-05", "2028-01-05"]


def ocrevus_300_then_600(run, *mark: str) -> None:
    add(run, "ocrevus", "2026-01-19", "--dose", "300 mg", *mark)
    add(run, "ocrevus", "2026-07-05", "--dose", "600 mg")


def test_a_600_mg_ocrevus_dose_after_one_300_mg_infusion_is_a_later_dose_in_next(run) -> None:
    ocrevus_300_then_600(run)
    got = infusions(run, "next", "--drug", "ocrevus")
    assert [(e["date"], e["book"], e["phase"], e["dose"]) for e in got] == [
        (day, day, "later doses", "600 mg") for day in OCREVUS_AFTER_600
    ]
    # The flag path gives the same dates from the same last dose.
    flags = infusions(run, "next", "--drug", "ocrevus", "--last", "2026-07-05")
    assert [e["date"] for e in flags] == OCREVUS_AFTER_600


def test_the_later_dose_placed_by_its_amount_is_said_with_the_fix(run) -> None:
    ocrevus_300_then_600(run)
    r = run("next", "--drug", "ocrevus", "--plain")
    text = flat(r.stdout)
    # The first date is 6 months after the 600 mg dose, not 5 months (the minimum gap)
    # after infusion 1, as if the 600 mg were infusion 2 of the first dose.
    assert "Why: 6 months after the dose on Sun 5 Jul 2026" in text
    assert "the minimum gap (its usual date was" not in text
    assert (
        "Assumed: Your 600 mg dose on Sun 5 Jul 2026 is taken as a dose of the later doses, from its"
        " amount: the first dose would have gone on with 300 mg. So 1 of the first dose's 2"
        " infusions is taken as given." in text
    )
    assert "infuse log add --drug ocrevus --date YYYY-MM-DD --dose '300 mg'" in text
    data = json.loads(run("next", "--drug", "ocrevus", "--json").stdout)
    assert len(data["placed"]) == 1 and "Sun 5 Jul 2026" in data["placed"][0]


def test_log_list_agrees_with_next_on_the_600_mg_dose(run) -> None:
    ocrevus_300_then_600(run)
    rows = listed(run)
    assert rows["2026-01-19"]["phase"] == "first dose, infusion 1 of 2"
    # A later dose, 167 days after infusion 1, and not late: its label date was 19 Jul 2026.
    assert (rows["2026-07-05"]["phase"], rows["2026-07-05"]["days_since_previous"]) == ("later doses", 167)
    assert rows["2026-07-05"]["days_late"] == 0
    text = flat(run("log", "list", "--plain").stdout)
    assert "+167 d, 153 late" not in text and "infusion 2 of 2" not in text
    assert "Assumed: Your 600 mg dose on Sun 5 Jul 2026 is taken as a dose of the later doses" in text
    journal = json.loads(run("journal", "--json").stdout)
    assert "Sun 5 Jul 2026" in journal["placed"]["ocrevus"][0]


def test_plan_and_the_calendar_have_the_later_dose_6_months_after_the_600_mg(run, tmp_path: Path) -> None:
    ocrevus_300_then_600(run)
    got = infusions(run, "plan", "--drug", "ocrevus", "--months", "3")
    assert [(e["date"], e["phase"]) for e in got] == [("2027-01-05", "later doses")]
    ics = tmp_path / "ocrevus.ics"
    assert run("next", "--drug", "ocrevus", "--ics", str(ics)).code == 0
    assert [d for d, _ in calendar_days(ics)] == OCREVUS_AFTER_600
    assert all("later doses (600 mg)" in s for _, s in calendar_days(ics))


def test_the_same_ocrevus_history_marked_first_gives_the_same_dates(run) -> None:
    ocrevus_300_then_600(run, "--first")
    got = infusions(run, "next", "--drug", "ocrevus")
    assert [(e["date"], e["phase"]) for e in got] == [(day, "later doses") for day in OCREVUS_AFTER_600]
    assert listed(run)["2026-07-05"]["phase"] == "later doses"


def test_an_ocrevus_history_with_both_300_mg_infusions_is_unchanged(run) -> None:
    # 300 mg on Mon 19 Jan and Mon 2 Feb 2026 (2 weeks later), then 600 mg on Mon 20 Jul 2026,
    # a day after its label date (Sun 19 Jul, 6 months after infusion 1). The next counts
    # from the dose as given: Wed 20 Jan 2027, then Tue 20 Jul 2027.
    add(run, "ocrevus", "2026-01-19", "--dose", "300 mg")
    add(run, "ocrevus", "2026-02-02", "--dose", "300 mg")
    add(run, "ocrevus", "2026-07-20", "--dose", "600 mg")
    rows = listed(run)
    assert [rows[d]["phase"] for d in ("2026-01-19", "2026-02-02", "2026-07-20")] == [
        "first dose, infusion 1 of 2",
        "first dose, infusion 2 of 2",
        "later doses",
    ]
    assert (rows["2026-02-02"]["days_late"], rows["2026-07-20"]["days_late"]) == (0, 1)
    got = infusions(run, "next", "--drug", "ocrevus", "--count", "2")
    assert [e["date"] for e in got] == ["2027-01-20", "2027-07-20"]
    assert "from its amount" not in flat(run("next", "--drug", "ocrevus", "--plain").stdout)
    assert "from its amount" not in flat(run("log", "list", "--plain").stdout)


def test_a_briumvi_450_mg_second_infusion_stays_in_the_first_dose(run) -> None:
    # Briumvi: 150 mg, then 450 mg 2 weeks later; later doses 450 mg every 24 weeks, the first
    # 24 weeks after the first infusion. 450 mg is also the second infusion's amount, so it
    # stays infusion 2: Mon 6 Jul 2026 + 24 weeks = Mon 21 Dec 2026.
    add(run, "briumvi", "2026-07-06", "--dose", "150 mg")
    add(run, "briumvi", "2026-07-20", "--dose", "450 mg")
    assert listed(run)["2026-07-20"]["phase"] == "first and second infusions, infusion 2 of 2"
    got = infusions(run, "next", "--drug", "briumvi", "--count", "1")
    assert (got[0]["date"], got[0]["dose"]) == ("2026-12-21", "450 mg")


# --- Lemtrada: a 5-day course is the first course, marked or not --------------------------

# Label: course 1 is 12 mg/day on 5 consecutive days; course 2 is 3 days, 12 months after
# course 1 (counted here from its last day, Fri 6 Mar 2026): Sat 6 – Mon 8 Mar 2027, booked
# on consecutive working days Mon 8 – Wed 10 Mar 2027. Monthly blood and urine tests count
# from the first dose (Mon 2 Mar 2026): on the 2nd of each month.
LEMTRADA_COURSE_2 = [
    ("2027-03-06", "2027-03-08", "second treatment course, day 1 of 3"),
    ("2027-03-07", "2027-03-09", "second treatment course, day 2 of 3"),
    ("2027-03-08", "2027-03-10", "second treatment course, day 3 of 3"),
]


def lemtrada_course(run, *mark: str) -> None:
    add(run, "lemtrada", "2026-03-02", "--days", "5", *mark)


@pytest.mark.parametrize("mark", [(), ("--first",)], ids=["unmarked", "marked-first"])
def test_a_5_day_lemtrada_course_plans_course_2(run, mark: tuple[str, ...]) -> None:
    lemtrada_course(run, *mark)
    got = infusions(run, "next", "--drug", "lemtrada")
    assert [(e["date"], e["book"], e["phase"]) for e in got] == LEMTRADA_COURSE_2
    flags = infusions(run, "next", "--drug", "lemtrada", "--start", "2026-03-02")
    assert [(e["date"], e["book"]) for e in flags] == [(d, b) for d, b, _ in LEMTRADA_COURSE_2]


@pytest.mark.parametrize("mark", [(), ("--first",)], ids=["unmarked", "marked-first"])
def test_a_5_day_lemtrada_course_keeps_the_monthly_tests(run, mark: tuple[str, ...]) -> None:
    lemtrada_course(run, *mark)
    due = flat(run("due", "--plain", env={"INFUSE_TODAY": "2026-12-02"}).stdout)
    assert "Test due: Complete blood count with differential: Wed 2 Dec 2026 (today)" in due
    assert "Test due: Urinalysis with urine cell counts: Wed 2 Dec 2026 (today)" in due
    data = json.loads(run("plan", "--drug", "lemtrada", "--months", "4", "--json").stdout)
    counts = [e for e in data["events"] if e.get("what") == "Complete blood count with differential"]
    # Sat 2 Jan 2027 is suggested on Fri 1 Jan; Tue 2 Feb and Tue 2 Mar are working days.
    assert [(e["date"], e["book"]) for e in counts] == [
        ("2027-01-02", "2027-01-01"),
        ("2027-02-02", "2027-02-02"),
        ("2027-03-02", "2027-03-02"),
    ]
    got = [e for e in data["events"] if e["kind"] == "infusion"]
    assert [(e["date"], e["book"]) for e in got] == [(d, b) for d, b, _ in LEMTRADA_COURSE_2]


def test_the_5_day_course_in_log_list_and_the_calendar(run, tmp_path: Path) -> None:
    lemtrada_course(run)
    rows = listed(run)
    assert [rows[f"2026-03-0{d}"]["phase"] for d in range(2, 7)] == [
        f"first treatment course, day {d} of 5" for d in range(1, 6)
    ]
    text = flat(run("log", "list", "--plain").stdout)
    assert (
        "Assumed: Your first Lemtrada entries (Mon 2 Mar 2026 to Fri 6 Mar 2026, 5 days in a row)"
        " are taken as your first treatment course, from their number of days" in text
    )
    assert "infuse log edit ID --first" in text
    nxt = flat(run("next", "--drug", "lemtrada", "--plain").stdout)
    assert "taken as your first treatment course, from their number of days" in nxt
    assert "Further courses, only if needed" not in nxt
    ics = tmp_path / "lemtrada.ics"
    assert run("plan", "--drug", "lemtrada", "--months", "4", "--ics", str(ics)).code == 0
    assert [d for d, _ in calendar_days(ics)] == ["2027-03-08", "2027-03-09", "2027-03-10"]


def test_a_3_day_lemtrada_course_alone_does_not_tell_the_start(run) -> None:
    # 3 days is course 2's length and every later course's, so a 3-day course (Mon 2 – Wed
    # 4 Mar 2026) does not tell the start: it is taken as the latest course, and another is
    # given only if needed, no sooner than 12 months after its last dose: Thu 4 Mar 2027.
    add(run, "lemtrada", "2026-03-02", "--days", "3")
    r = run("next", "--drug", "lemtrada", "--json")
    data = json.loads(r.stdout)
    assert data["basis"] == "journal" and data["end"]["kind"] == "as_needed"
    assert data["end"]["date"] == "2027-03-04"
    assert "marked as your first infusion" in data["assumed"]
