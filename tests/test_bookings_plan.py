"""A booked day is the day: `plan`'s month window takes the booking, not the label's date.

Ocrevus later doses: 600 mg every 6 months (label §2.3). A dose on Sun 5 Jul 2026 → the
label's date for the next is Tue 5 Jan 2027.
"""

from __future__ import annotations

import json
from pathlib import Path

TODAY = {"INFUSE_TODAY": "2026-12-03"}


def _infusions(run, *args: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    r = run("plan", *args, "--json", env=TODAY)
    assert r.code == 0, r
    return [(e["date"], e["book"]) for e in json.loads(r.stdout)["events"] if e["kind"] == "infusion"]


def test_a_booking_inside_the_month_is_in_the_plan_and_its_calendar(run, tmp_path: Path) -> None:
    assert run("log", "add", "ocrevus", "--date", "2026-07-05", "--dose", "600 mg", env=TODAY).code == 0
    assert run("appointment", "add", "--date", "2026-12-28", env=TODAY).code == 0
    assert _infusions(run, "--months", "1") == [("2027-01-05", "2026-12-28")]
    ics = tmp_path / "december.ics"
    assert run("plan", "--months", "1", "--ics", str(ics), env=TODAY).code == 0
    text = ics.read_text()
    assert "DTSTART;VALUE=DATE:20261228" in text and "Ocrevus infusion" in text


def test_a_booking_after_the_window_leaves_it_out_though_the_labels_date_is_inside(run) -> None:
    assert run("log", "add", "ocrevus", "--date", "2026-07-05", "--dose", "600 mg", env=TODAY).code == 0
    assert run("appointment", "add", "--date", "2027-02-03", env=TODAY).code == 0
    # Two months from 1 Dec 2026 end on 31 Jan 2027: the label's date (5 Jan) is inside,
    # the booked day (3 Feb) is not.
    assert _infusions(run, "--months", "2") == []
    assert _infusions(run, "--months", "3") == [("2027-01-05", "2027-02-03")]


def test_the_same_day_booked_twice_is_refused_and_a_rebooking_is_warned(run) -> None:
    # Ocrevus: at least 5 months between doses (label §2.3). Two bookings a week apart are
    # two infusions to infuse, so the second is warned about when it is made.
    assert run("log", "add", "ocrevus", "--date", "2026-07-05", "--dose", "600 mg", env=TODAY).code == 0
    assert run("appointment", "add", "--date", "2027-01-05", "--time", "09:00", env=TODAY).code == 0
    before = run("appointment", "list", "--json", env=TODAY).stdout

    again = run("appointment", "add", "--date", "2027-01-05", env=TODAY)
    assert again.code == 1 and again.stderr.count("\n") == 1
    assert "Tue 5 Jan 2027 is already booked for the Ocrevus infusion (number 1)" in again.stderr
    assert run("appointment", "list", "--json", env=TODAY).stdout == before

    moved = run("appointment", "add", "--date", "2027-01-12", env=TODAY)
    assert moved.code == 0
    said = " ".join(moved.stderr.split())
    # After the dose booked on Tue 5 Jan 2027, the earliest next is 5 months on: Sat 5 Jun 2027.
    assert "Your booking on Tue 12 Jan 2027 is before Sat 5 Jun 2027, the earliest day" in said
    assert "at least 5 months between doses" in said
    assert "replaces the booking on Tue 5 Jan 2027, remove that one: infuse appointment rm 1" in said

    # Six months later is the next dose: no warning.
    later = run("appointment", "add", "--date", "2027-07-05", env=TODAY)
    assert later.code == 0 and "Warning" not in later.stderr
    # A test booked on an infusion's day is not the same booking.
    assert run("appointment", "add", "--date", "2027-01-05", "--test", "cbc", env=TODAY).code == 0


def test_the_profiles_overview_and_the_journal_show_the_booked_day_and_the_chosen_interval(run) -> None:
    assert run("log", "add", "ocrevus", "--date", "2026-07-05", "--dose", "600 mg", env=TODAY).code == 0
    assert run("appointment", "add", "--date", "2027-01-08", env=TODAY).code == 0
    rows = json.loads(run("profiles", "--json", env=TODAY).stdout)["profiles"]
    assert rows[0]["next"] == "2027-01-08"
    assert "Fri 8 Jan 2027: next Ocrevus infusion (planned)" in run("journal", "--plain", env=TODAY).stdout

    # Tysabri every 4 weeks on the label; extended (off-label) every 6: a dose on Thu 26 Nov
    # 2026 → Thu 7 Jan 2027 with the interval setting.
    assert run("--profile", "sam", "profiles", "add", "sam", env=TODAY).code == 0
    assert run("--profile", "sam", "log", "add", "tysabri", "--date", "2026-11-26", env=TODAY).code == 0
    assert run("--profile", "sam", "config", "set", "interval", "extended", env=TODAY).code == 0
    out = run("--profile", "sam", "journal", "--plain", env=TODAY).stdout
    assert "Thu 7 Jan 2027: next Tysabri infusion (planned)" in out


def test_a_booking_before_the_label_allows_after_the_journals_dose_is_warned_when_made(run) -> None:
    # Ocrevus: at least 5 months between doses (label §2.3): after Wed 4 Nov 2026, not before
    # Sun 4 Apr 2027.
    assert run("log", "add", "ocrevus", "--date", "2026-11-04", "--dose", "600 mg", env=TODAY).code == 0
    said = " ".join(run("appointment", "add", "--date", "2027-03-01", env=TODAY).stderr.split())
    assert (
        "Your booking on Mon 1 Mar 2027 is before Sun 4 Apr 2027, the earliest day the label allows" in said
    )
    assert "replaces" not in said  # no other booking
    assert "Warning" not in run("appointment", "add", "--date", "2027-11-04", env=TODAY).stderr


def test_tysabri_a_booking_before_the_labels_date_is_warned_though_no_minimum_gap_is_given(run) -> None:
    # Tysabri: 300 mg every 4 weeks, no shorter minimum: after Tue 10 Nov 2026, Tue 8 Dec 2026;
    # after that, Tue 5 Jan 2027. A second booking on Thu 10 Dec is 26 days before it.
    assert run("log", "add", "tysabri", "--date", "2026-11-10", "--first", env=TODAY).code == 0
    assert "Warning" not in run("appointment", "add", "--date", "2026-12-08", env=TODAY).stderr
    said = " ".join(run("appointment", "add", "--date", "2026-12-10", env=TODAY).stderr.split())
    assert "Your booking on Thu 10 Dec 2026 is 26 days before the label's date, Tue 5 Jan 2027" in said
    assert "the label states no shorter gap" in said


def test_each_day_of_a_booked_course_is_its_booked_day(run, tmp_path: Path) -> None:
    # Lemtrada: course 2 is 3 days, 12 months after the last day of course 1 (label §2.3):
    # course 1 Mon 5 – Fri 9 Jan 2026 → course 2 from Sat 9 Jan 2027; booked Mon 11 – Wed 13.
    assert (
        run("log", "add", "lemtrada", "--date", "2026-01-05", "--days", "5", "--first", env=TODAY).code == 0
    )
    for day in ("2027-01-11", "2027-01-12", "2027-01-13"):
        r = run("appointment", "add", "--date", day, "--time", "08:00", env=TODAY)
        assert r.code == 0 and "Warning" not in r.stderr, r
    data = json.loads(run("next", "--json", env=TODAY).stdout)
    days = [(e["book"], e["book_why"]) for e in data["events"] if e["kind"] == "infusion"][:3]
    assert days == [("2027-01-11", "booked"), ("2027-01-12", "booked"), ("2027-01-13", "booked")]
    ics = tmp_path / "course.ics"
    assert run("next", "--ics", str(ics), env=TODAY).code == 0
    text = ics.read_text()
    for stamp in ("20270111T080000", "20270112T080000", "20270113T080000"):
        assert f"DTSTART:{stamp}" in text
