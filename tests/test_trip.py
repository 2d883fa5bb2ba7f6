"""`infuse trip`: what falls inside a trip, and the days the label allows around it.

Every date here is written out by hand from the label and a calendar:

* Tysabri 300 mg every 4 weeks (28 days): a dose on Wed 3 Jun 2026 → the next on
  Wed 1 Jul 2026, then Wed 29 Jul 2026. The label states no shorter minimum gap.
* Ocrevus 600 mg every 6 months, at least 5 months apart: a dose on Mon 5 Jan 2026 →
  the next on Sun 5 Jul 2026 (booked Mon 6 Jul), no sooner than Fri 5 Jun 2026. Missed:
  given as soon as possible, the next 6 months after it (Mon 13 Jul 2026 → Wed 13 Jan 2027).
* June 2026: Mon 22, Fri 19, Sun 21; July 2026: Sun 12, Mon 13.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infuse_cli.core import catalogue
from infuse_cli.core.schedule import is_working_day
from infuse_cli.core.trip import TripError, check_trip, plan_trip
from infuse_cli.core.upcoming import upcoming

TRIP = ("2026-06-22", "2026-07-12")  # Mon 22 Jun → Sun 12 Jul 2026: three weeks
JUNE = {"INFUSE_TODAY": "2026-06-10"}


def as_json(run, *args: str, env: dict[str, str] | None = None) -> dict:
    r = run("trip", *args, "--json", env=env)
    assert r.code == 0, r
    return json.loads(r.stdout)


def files_in(home: Path) -> list[Path]:
    return [p for p in home.rglob("*") if p.is_file()] if home.exists() else []


# ---------------------------------------------------------------- the done-when case


def test_a_tysabri_dose_inside_a_three_week_trip_with_the_days_around_it(run) -> None:
    r = run("trip", *TRIP, "--drug", "tysabri", "--last", "2026-06-03", "--plain", env=JUNE)
    assert r.code == 0, r
    out = " ".join(r.stdout.split())
    assert "TRIP: TYSABRI, MON 22 JUN 2026 TO SUN 12 JUL 2026 (21 DAYS)" in out  # a plain title
    assert "Wed 1 Jul 2026 — infusion: every-4-week infusions · 300 mg" in out
    # Before: the label gives no shorter gap than every 4 weeks, quoted with its section.
    assert "the label allows no earlier day" in out
    quoted = '"The label gives the interval as every four weeks, with no shorter minimum"'
    assert f"{quoted} (Tysabri label §2.1)" in out
    assert "Fri 19 Jun 2026, the last working day before the trip, would be 12 days early" in out
    # After: late, by how much, and the label's own words on a missed dose.
    assert "Mon 13 Jul 2026, the first working day back, would be 12 days late" in out
    assert "the label's date is the latest on time" in out
    assert "ask your care team when to rebook it" in out
    assert "Agree any change to a dose or a test with your care team" in out
    # The dose after it (Wed 29 Jul 2026) is outside the trip.
    assert "29 Jul 2026" not in out


def test_the_tysabri_trip_in_json(run) -> None:
    data = as_json(run, *TRIP, "tysabri", "--last", "2026-06-03", env=JUNE)
    assert data["schema"] == 1 and data["drug"] == "tysabri" and data["basis"] == "last"
    assert data["trip"] == {"from": "2026-06-22", "to": "2026-07-12", "days": 21}
    [dose] = data["items"]
    assert dose["kind"] == "infusion" and dose["date"] == "2026-07-01" and dose["dose"] == "300 mg"
    assert dose["latest"] == "2026-07-01"  # no grace window: the label's date is the latest on time
    before, after = dose["before"], dose["after"]
    assert before["status"] == "early" and before["first"] is None
    assert (before["last"], before["book"], before["days_from_label"]) == ("2026-06-21", "2026-06-19", -12)
    assert before["rule"]["kind"] == "no_minimum_gap"
    assert (before["rule"]["source"], before["rule"]["section"]) == ("Tysabri label", "§2.1")
    assert after["status"] == "late"
    assert (after["first"], after["book"], after["days_from_label"]) == ("2026-07-13", "2026-07-13", 12)
    assert after["rule"]["kind"] == "missed_dose" and after["rule"]["reset"] is False
    assert after["rule"]["text"].startswith("The dosing sections give only the every-4-week interval")
    assert after["next_due"] is None


def test_the_trip_from_a_journal_built_with_log_add(run) -> None:
    for day in ("2026-04-08", "2026-05-06", "2026-06-03"):  # every 4 weeks
        assert run("log", "add", "--drug", "tysabri", "--date", day, env=JUNE).code == 0
    data = as_json(run, *TRIP, env=JUNE)  # no --drug, no --last: the journal
    assert data["basis"] == "journal" and data["drug"] == "tysabri"
    assert [(i["kind"], i["date"]) for i in data["items"]] == [("infusion", "2026-07-01")]
    assert data["items"][0]["after"]["days_from_label"] == 12
    r = run("trip", *TRIP, "--plain", env=JUNE)
    assert "From your journal" in r.stdout and "Wed 1 Jul 2026" in r.stdout


# ---------------------------------------------------------------- Ocrevus: the minimum gap


def test_ocrevus_the_minimum_gap_opens_days_before_the_trip(run) -> None:
    data = as_json(run, *TRIP, "--drug", "ocrevus", "--last", "2026-01-05")
    infusions = [i for i in data["items"] if i["kind"] == "infusion"]
    [dose] = infusions
    assert (dose["date"], dose["book"], dose["dose"]) == ("2026-07-05", "2026-07-06", "600 mg")
    before = dose["before"]
    assert before["status"] == "allowed"
    assert (before["first"], before["last"], before["book"]) == ("2026-06-05", "2026-06-21", "2026-06-19")
    assert before["days_from_label"] == -16
    gap = before["rule"]
    assert gap["kind"] == "minimum_gap" and gap["reason"]["span"] == {"amount": 5, "unit": "months"}
    assert gap["reason"]["anchor"] == "2026-01-05" and "§2.4" in gap["section"]
    after = dose["after"]
    assert (after["book"], after["days_from_label"], after["next_due"]) == ("2026-07-13", 8, "2027-01-13")
    assert after["rule"]["reset"] is True and "as soon as possible" in after["rule"]["text"]
    # The infection check before the dose moves with it, on the infusion day.
    [check] = [i for i in data["items"] if i["kind"] == "test"]
    assert check["with_infusion"] == "2026-07-05" and check["before"] is None

    r = run("trip", *TRIP, "ocrevus", "--last", "2026-01-05", "--plain")
    out = " ".join(r.stdout.split())
    assert "allowed from Fri 5 Jun 2026 to Sun 21 Jun 2026" in out
    assert "5 months after the infusion before it (Mon 5 Jan 2026), the minimum gap" in out
    assert "The next dose would then be due on Wed 13 Jan 2027" in out


def test_ocrevus_no_day_before_the_trip_when_its_earliest_day_is_inside_it(run) -> None:
    data = as_json(run, "2026-06-01", "2026-07-12", "ocrevus", "--last", "2026-01-05")
    before = data["items"][0]["before"]
    assert before["status"] == "too_soon" and before["first"] == "2026-06-05" and before["book"] is None
    r = run("trip", "2026-06-01", "2026-07-12", "ocrevus", "--last", "2026-01-05", "--plain")
    out = " ".join(r.stdout.split())
    assert "the earliest day the label allows is Fri 5 Jun 2026, inside the trip" in out


def test_a_vaccine_deadline_inside_the_trip(run) -> None:
    # A first Ocrevus infusion on Tue 20 Jan 2026: non-live vaccines at least 2 weeks
    # before, so by Tue 6 Jan 2026. Today is Mon 5 Jan 2026.
    data = as_json(run, "2026-01-06", "2026-01-18", "ocrevus", "--start", "2026-01-20")
    [deadline] = [i for i in data["items"] if i["kind"] == "deadline"]
    assert deadline["date"] == "2026-01-06" and deadline["latest"] == "2026-01-06"
    assert deadline["before"]["status"] == "allowed" and deadline["before"]["book"] == "2026-01-05"
    assert deadline["after"]["status"] == "too_late"
    assert deadline["before"]["rule"]["reason"]["span"] == {"amount": 2, "unit": "weeks"}


def test_a_course_moves_as_a_block_of_working_days(run) -> None:
    # Lemtrada: course 1 Mon 5 – Fri 9 Jan 2026; course 2 (3 days) 12 months after its
    # last day: Sat 9 Jan 2027. Trip Fri 1 – Wed 20 Jan 2027. Before: the latest 3 working
    # days in a row ending by Thu 31 Dec 2026 start Tue 29 Dec. After: back Thu 21 Jan;
    # Thu–Sat and Fri–Sun are not working days, so Mon 25 – Wed 27 Jan.
    data = as_json(run, "2027-01-01", "2027-01-20", "lemtrada", "--start", "2026-01-05")
    [course] = [i for i in data["items"] if i["kind"] == "infusion"]
    assert (course["date"], course["days"]) == ("2027-01-09", 3)
    assert course["before"]["book"] == "2026-12-29" and course["before"]["days_from_label"] == -11
    assert course["after"]["book"] == "2027-01-25" and course["after"]["days_from_label"] == 16


# ---------------------------------------------------------------- nothing inside, trips under way


def test_a_trip_with_nothing_inside_says_so_in_one_line(run) -> None:
    r = run("trip", "2026-07-02", "2026-07-20", "tysabri", "--last", "2026-06-03", env=JUNE)
    assert r.code == 0 and r.stderr == ""
    assert [line for line in r.stdout.splitlines() if line.strip()] == [
        "Nothing of your Tysabri plan falls inside the trip, Thu 2 Jul 2026 to Mon 20 Jul 2026 (19 days)."
    ]
    data = as_json(run, "2026-07-02", "2026-07-20", "tysabri", "--last", "2026-06-03", env=JUNE)
    assert data["items"] == []


def test_a_trip_already_under_way_has_no_days_before_it(run) -> None:
    env = {"INFUSE_TODAY": "2026-06-25"}
    data = as_json(run, "2026-06-20", "2026-07-05", "tysabri", "--last", "2026-06-03", env=env)
    [dose] = data["items"]
    assert dose["before"]["status"] == "passed" and dose["before"]["book"] is None
    assert dose["after"]["book"] == "2026-07-06" and dose["after"]["days_from_label"] == 5


def test_an_overdue_dose_inside_a_trip_under_way_says_so(run) -> None:
    # Due Wed 1 Jul 2026; today Sun 5 Jul 2026, four days later, is inside the trip.
    r = run("trip", "2026-07-03", "2026-07-20", "tysabri", "--last", "2026-06-03", "--plain",
            env={"INFUSE_TODAY": "2026-07-05"})  # fmt: skip
    out = " ".join(r.stdout.split())
    assert r.code == 0 and "OVERDUE by 4 days — contact your care team" in out
    assert "Tue 21 Jul 2026, the first working day back, would be 20 days late" in out


def test_a_therapy_with_no_schedule_says_so(run) -> None:
    r = run("trip", *TRIP, "solu-medrol", env=JUNE)
    assert r.code == 0 and "infuse does not project" in r.stdout
    assert as_json(run, *TRIP, "solu-medrol", env=JUNE)["schedule"] == "no_schedule"


# ---------------------------------------------------------------- bad input


def test_a_trip_that_ends_before_it_starts(run, home: Path) -> None:
    r = run("trip", "2026-07-12", "2026-06-22", "--drug", "tysabri", env=JUNE)
    assert r.code == 1 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("Error: The trip ends (Mon 22 Jun 2026)")
    assert "before it starts (Sun 12 Jul 2026)" in r.stderr
    assert files_in(home) == []  # nothing written: not even a journal or a cache


def test_a_trip_already_over_or_longer_than_a_year(run) -> None:
    over = run("trip", "2026-05-01", "2026-05-20", "tysabri", env=JUNE)
    assert over.code == 1 and "before today" in over.stderr and over.stdout == ""
    long = run("trip", "2026-07-01", "2027-07-02", "tysabri", env=JUNE)  # 367 days
    assert long.code == 1 and "367 days" in long.stderr


def test_dates_are_read_as_next_reads_them(run) -> None:
    bad = run("trip", "2026-06-31", "2026-07-12", "tysabri", env=JUNE)
    assert bad.code == 2 and bad.stderr.startswith("Error: '2026-06-31' is not a date on the calendar")
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    assert run("trip", "03/04/2026", "2026-07-12", "tysabri", env=JUNE).code == 2  # two readings
    assert run("trip", "2026-06-22", "tysabri", env=JUNE).code == 2  # TO is not a date
    assert run("trip", "2026-06-22").code == 2  # TO missing: Typer's usage error
    today = as_json(run, "today", "2026-07-12", "tysabri", "--last", "yesterday", env=JUNE)
    # From Tue 9 Jun 2026 (yesterday) + 4 weeks: Tue 7 Jul 2026.
    assert today["trip"]["from"] == "2026-06-10" and today["items"][0]["date"] == "2026-07-07"
    both = run("trip", *TRIP, "ocrevus", "--drug", "tysabri")
    assert both.code == 2 and "Give the therapy once" in both.stderr


# ---------------------------------------------------------------- output forms


def test_json_carries_values_not_sentences(run) -> None:
    data = as_json(run, *TRIP, "ocrevus", "--last", "2026-01-05")
    assert set(data) == {"schema", "drug", "today", "basis", "trip", "schedule", "items"}
    item = data["items"][0]
    assert set(item) == {
        "kind", "what", "dose", "date", "book", "days", "latest", "overdue_days",
        "with_infusion", "why", "before", "after",
    }  # fmt: skip
    assert "text" not in item["why"]  # the terminal's sentence stays out of JSON
    assert set(item["before"]) == {"status", "first", "last", "book", "days_from_label", "next_due", "rule"}
    assert set(item["before"]["rule"]) == {"kind", "text", "reason", "reset", "source", "section", "url"}
    for key in ("date", "book", "latest"):
        dt.date.fromisoformat(item[key])


def test_colour_and_plain_say_the_same(run) -> None:
    from tests.conftest import visible

    args = ("trip", *TRIP, "tysabri", "--last", "2026-06-03")
    coloured = run(*args, env={**JUNE, "FORCE_COLOR": "1", "NO_COLOR": ""})
    plain = run(*args, "--plain", env={**JUNE, "FORCE_COLOR": "1", "NO_COLOR": ""})
    assert coloured.code == plain.code == 0
    assert "\x1b[" in coloured.stdout and "\x1b[" not in plain.stdout
    assert "12 days late" in " ".join(visible(coloured.stdout).split())


def test_the_trip_is_only_a_proposal(run) -> None:
    """The plan is unchanged after a trip: `next` still gives the label's date."""
    assert run("log", "add", "--drug", "tysabri", "--date", "2026-06-03", env=JUNE).code == 0
    before = run("next", "--json", env=JUNE).stdout
    assert run("trip", *TRIP, env=JUNE).code == 0
    assert run("next", "--json", env=JUNE).stdout == before


# ---------------------------------------------------------------- the core, directly

CAT = catalogue.load()
SCHEDULED = [t for t in CAT if t.regimen.phases and t.regimen.shape not in ("on_demand", "none")]


def test_the_core_refuses_bad_trips_in_one_sentence_with_exit_1() -> None:
    today = dt.date(2026, 6, 10)
    for start, end in (
        (dt.date(2026, 7, 12), dt.date(2026, 6, 22)),  # ends before it starts
        (dt.date(2026, 5, 1), dt.date(2026, 5, 2)),  # already over
        (dt.date(2026, 7, 1), dt.date(2027, 7, 2)),  # 367 days
    ):
        with pytest.raises(TripError) as err:
            check_trip(start, end, today)
        assert err.value.exit_code == 1 and str(err.value).endswith(".") and "\n" not in str(err.value)
    check_trip(today, today, today)  # a one-day trip, starting today


def test_a_holiday_is_not_a_booking_day_around_the_trip() -> None:
    # Independence Day, Fri 3 Jul 2026, observed that day: with it a holiday, Thu 2 Jul is
    # the last working day before a trip from Sat 4 Jul.
    tysabri = CAT.find("tysabri")
    today = dt.date(2026, 6, 10)
    up = upcoming(tysabri, today, basis="last", last=dt.date(2026, 6, 10), count=3)  # next: Wed 8 Jul
    trip = plan_trip(
        tysabri, up.infusions, [], dt.date(2026, 7, 4), dt.date(2026, 7, 12), today, {dt.date(2026, 7, 3)}
    )
    [dose] = trip.items
    assert dose.date == dt.date(2026, 7, 8)
    assert dose.before is not None and dose.before.book == dt.date(2026, 7, 2)
    assert dose.before.days_from_label == -6


@settings(max_examples=60, deadline=None)
@given(
    therapy=st.sampled_from(SCHEDULED),
    last=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2150, 12, 31)),
    lead=st.integers(min_value=0, max_value=400),
    length=st.integers(min_value=1, max_value=366),
)
def test_every_proposed_day_lies_outside_the_trip_on_a_working_day(therapy, last, lead, length) -> None:
    today = last
    start = today + dt.timedelta(days=lead)
    end = start + dt.timedelta(days=length - 1)
    up = upcoming(therapy, today, basis="last", last=last, count=10**6, until=end + dt.timedelta(days=366))
    trip = plan_trip(therapy, up.infusions, up.events, start, end, today)
    for item in trip.items:
        assert start <= (item.book or item.date) <= end or start <= item.date <= end
        before, after = item.before, item.after
        if before is not None and before.book is not None:
            assert today <= before.book < start and is_working_day(before.book)
            if before.status == "allowed" and before.first is not None:
                assert before.first <= before.book
        if after is not None and after.book is not None:
            assert after.book > end and is_working_day(after.book)
            assert after.days_from_label is not None and after.days_from_label > 0
