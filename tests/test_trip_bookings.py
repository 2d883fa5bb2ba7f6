"""`infuse trip` with a booking: the booked day is the one that clashes with the trip; the
days around the trip are measured against the label's date and minimum gap.

Every date here is written out by hand from the label and a calendar:

* Ocrevus first dose: 300 mg on Wed 1 Jul 2026 and Wed 15 Jul 2026 (day 1 and day 15).
  Then 600 mg every 6 months counted from the first infusion of the first dose: the label's
  date is Fri 1 Jan 2027, the latest day still on time. Doses at least 5 months apart:
  no sooner than Tue 15 Dec 2026 (5 months after Wed 15 Jul 2026). Missed: given as soon
  as possible, the next 6 months after it.
* Tysabri 300 mg every 4 weeks (28 days), no shorter minimum: a dose on Wed 3 Jun 2026 →
  the label's date Wed 1 Jul 2026.
* Calendar: Fri 18 Dec 2026, Tue 29 Dec 2026, Thu 31 Dec 2026, Tue 5 Jan 2027, Wed 20 Jan
  2027, Tue 26 Jan 2027, Mon 26 Jul 2027 and Mon 5 Jul 2027 are working days; New Year's
  Day, Fri 1 Jan 2027, is a US public holiday.
"""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from infuse_cli.core import catalogue
from infuse_cli.core.trip import plan_trip
from infuse_cli.core.upcoming import upcoming

DEC = {"INFUSE_TODAY": "2026-12-03"}
JAN_TRIP = ("2027-01-15", "2027-01-25")  # Fri 15 – Mon 25 Jan 2027


def ocrevus(run, booked: str) -> None:
    r = run("log", "add", "ocrevus", "--date", "2026-07-01", "--date", "2026-07-15", "--first", env=DEC)
    assert r.code == 0, r
    assert run("appointment", "add", "--date", booked, env=DEC).code == 0


def dose(run, *args: str, env: dict[str, str]) -> dict:
    r = run("trip", *args, "--json", env=env)
    assert r.code == 0, r
    [item] = [i for i in json.loads(r.stdout)["items"] if i["kind"] == "infusion"]
    return item


def said(run, *args: str, env: dict[str, str]) -> str:
    r = run("trip", *args, "--plain", env=env)
    assert r.code == 0, r
    return " ".join(r.stdout.split())


def test_a_booking_inside_the_trip_after_the_label_s_date(run) -> None:
    """The README's case: booked Wed 20 Jan 2027, inside the trip; the label's date, Fri 1 Jan
    2027, is before it. Before the trip: on time only up to the label's date."""
    ocrevus(run, "2027-01-20")
    item = dose(run, *JAN_TRIP, env=DEC)
    assert (item["date"], item["book"], item["latest"]) == ("2027-01-01", "2027-01-20", "2027-01-01")
    before = item["before"]
    assert before["status"] == "allowed"
    assert (before["first"], before["last"]) == ("2026-12-15", "2027-01-01")
    assert (before["book"], before["days_from_label"]) == ("2027-01-01", 0)
    after = item["after"]
    assert (after["status"], after["book"], after["days_from_label"]) == ("late", "2027-01-26", 25)
    assert after["next_due"] == "2027-07-26"

    out = said(run, *JAN_TRIP, env=DEC)
    assert "Booked for: Wed 20 Jan 2027 (infuse appointment list), inside the trip" in out
    assert "19 days after the label's date, the latest on time" in out
    assert "allowed from Tue 15 Dec 2026 to Fri 1 Jan 2027 (the label's date: later would be late)" in out
    assert "The working day nearest the trip is Fri 1 Jan 2027, on the label's date." in out
    assert "Thu 14 Jan 2027" not in out and "-13" not in out
    assert "Tue 26 Jan 2027, the first working day back, would be 25 days late" in out


def test_a_holiday_on_the_label_s_date_moves_the_day_before_the_trip_earlier(run) -> None:
    ocrevus(run, "2027-01-20")
    before = dose(run, *JAN_TRIP, "--country", "US", env=DEC)["before"]
    # New Year's Day is not a working day: Thu 31 Dec 2026, one day before the label's date.
    assert (before["status"], before["last"], before["book"], before["days_from_label"]) == (
        "allowed",
        "2027-01-01",
        "2026-12-31",
        -1,
    )


def test_once_the_label_s_date_has_passed_the_days_before_the_trip_are_late(run) -> None:
    ocrevus(run, "2027-01-20")
    jan = {"INFUSE_TODAY": "2027-01-05"}  # Tue 5 Jan 2027: the label's date has passed
    before = dose(run, *JAN_TRIP, env=jan)["before"]
    assert before["status"] == "late"
    assert (before["book"], before["days_from_label"]) == ("2027-01-05", 4)  # the soonest: 4 days late
    assert before["next_due"] == "2027-07-05"  # the missed-dose rule: 6 months after it
    assert before["rule"]["kind"] == "missed_dose"
    out = said(run, *JAN_TRIP, env=jan)
    assert "late: the label's date (Fri 1 Jan 2027) has passed" in out
    assert "Tue 5 Jan 2027, the soonest working day, would be 4 days late" in out


def test_a_booking_inside_the_trip_before_the_label_s_date(run) -> None:
    """Booked Tue 22 Dec 2026 inside a trip of Sun 20 – Mon 28 Dec 2026; the label's date,
    Fri 1 Jan 2027, comes after the trip: the first days back are still on time."""
    ocrevus(run, "2026-12-22")
    item = dose(run, "2026-12-20", "2026-12-28", env=DEC)
    assert (item["date"], item["book"]) == ("2027-01-01", "2026-12-22")
    before = item["before"]
    assert (before["status"], before["first"], before["last"]) == ("allowed", "2026-12-15", "2026-12-19")
    assert (before["book"], before["days_from_label"]) == ("2026-12-18", -14)
    after = item["after"]
    assert (after["status"], after["first"], after["last"]) == ("allowed", "2026-12-29", "2027-01-01")
    assert (after["book"], after["days_from_label"]) == ("2026-12-29", -3)
    assert after["rule"]["kind"] == "label_date"
    out = said(run, "2026-12-20", "2026-12-28", env=DEC)
    assert "allowed from Tue 29 Dec 2026 to Fri 1 Jan 2027 (the label's date, the latest on time)" in out
    assert "The first working day back is Tue 29 Dec 2026, 3 days before the label's date." in out
    assert "days late" not in out


def test_a_booking_outside_the_trip_is_named_as_such(run) -> None:
    """The label's date, Fri 1 Jan 2027, is inside the trip; the booking, Tue 22 Dec 2026, is not."""
    ocrevus(run, "2026-12-22")
    out = said(run, "2026-12-28", "2027-01-05", env=DEC)
    assert "Booked for: Tue 22 Dec 2026 (infuse appointment list), outside the trip." in out


def test_no_minimum_gap_and_a_later_booking_leave_only_the_label_s_date(run) -> None:
    june = {"INFUSE_TODAY": "2026-06-10"}
    assert run("log", "add", "tysabri", "--date", "2026-06-03", env=june).code == 0
    assert run("appointment", "add", "--date", "2026-07-08", env=june).code == 0  # inside the trip
    before = dose(run, "2026-07-06", "2026-07-12", env=june)["before"]
    # The label allows no day before Wed 1 Jul 2026 and none after it is on time.
    assert (before["status"], before["first"], before["last"]) == ("allowed", "2026-07-01", "2026-07-01")
    assert (before["book"], before["days_from_label"]) == ("2026-07-01", 0)
    out = said(run, "2026-07-06", "2026-07-12", env=june)
    assert "allowed on Wed 1 Jul 2026, the label's date, only (later would be late)" in out
    assert "days early" not in out


# ---------------------------------------------------------------- the core, with any booking

CAT = catalogue.load()
SCHEDULED = [t for t in CAT if t.regimen.phases and t.regimen.shape not in ("on_demand", "none")]


@settings(max_examples=60, deadline=None)
@given(
    therapy=st.sampled_from(SCHEDULED),
    last=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2150, 12, 31)),
    lead=st.integers(min_value=1, max_value=400),
    length=st.integers(min_value=1, max_value=60),
    into=st.integers(min_value=0, max_value=59),
)
def test_around_a_booked_day_on_time_is_never_after_the_label_s_date(
    therapy, last, lead, length, into
) -> None:
    today = last
    start = today + dt.timedelta(days=lead)
    end = start + dt.timedelta(days=length - 1)
    booked = start + dt.timedelta(days=into % length)  # a booking inside the trip
    up = upcoming(
        therapy,
        today,
        basis="last",
        last=last,
        count=10**6,
        until=end + dt.timedelta(days=366),
        booked=[booked],
    )
    trip = plan_trip(therapy, up.infusions, up.events, start, end, today)
    for item in trip.items:
        if item.kind != "infusion":
            continue
        for side in (item.before, item.after):
            assert side is not None
            if side.status == "allowed" and side.book is not None:
                assert side.book <= item.date and side.days_from_label is not None
                assert side.days_from_label <= 0
                assert side.last is not None and side.last <= item.date
            if (
                side.status in ("late", "early")
                and side.days_from_label is not None
                and side.book is not None
            ):
                assert (side.days_from_label > 0) == (side.status == "late")
