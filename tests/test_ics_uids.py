"""Calendar UIDs of test bookings: what the booking is, not when or where it is.

A test booking's event is the profile, the therapy, the test and the day booked. Its time,
place and note can change (remove the booking and add it again at 09:00, or at another
lab), and the calendar updates the same event instead of showing the test twice.

Read back with the icalendar library. Dates here are written out by hand:

* Ocrevus 600 mg every 6 months: a dose on Wed 4 Nov 2026 → the second dose is due
  Tue 4 May 2027, so its event is infusion number 2.
* A complete blood count (catalogue id ``cbc``) booked on Wed 6 Jan 2027.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar

ENV = {"INFUSE_TODAY": "2026-12-03"}
INFUSION = "default.ocrevus.infusion.n2@infuse"
BOOKED = "default.ocrevus.reminder.booked-cbc.2027-01-06@infuse"


def history(run) -> None:
    assert run("log", "add", "ocrevus", "--date", "2026-11-04", "--dose", "600 mg", env=ENV).code == 0


def book(run, *details: str) -> None:
    r = run("appointment", "add", "--date", "2027-01-06", "--test", "cbc", *details, env=ENV)
    assert r.code == 0, r


def rebook(run, *details: str) -> None:
    """Remove the only booking and book the same test on the same day again."""
    r = run("appointment", "rm", "1", "--yes", env=ENV)
    assert r.code == 0, r
    book(run, *details)


def export(run, path: Path, *args: str) -> dict[str, object]:
    """The calendar's events by UID (each UID once)."""
    r = run("next", "--all", *args, "--ics", str(path), env=ENV)
    assert r.code == 0, r
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    uids = [str(ev["UID"]) for ev in events]
    assert len(uids) == len(set(uids)), uids
    return dict(zip(uids, events, strict=True))


def booked(events: dict[str, object]) -> dict[str, object]:
    return {uid: ev for uid, ev in events.items() if "Booked:" in str(ev["SUMMARY"])}  # type: ignore[index]


def test_a_new_time_and_place_for_the_same_test_updates_the_same_event(run, tmp_path: Path) -> None:
    history(run)
    book(run, "--time", "00:00", "--place", "Lab, Main St")
    before = export(run, tmp_path / "before.ics")
    rebook(run, "--time", "09:00", "--place", "Clinic lab; 2nd floor", "--note", "Fasting")
    after = export(run, tmp_path / "after.ics")
    assert list(booked(before)) == [BOOKED]
    assert list(booked(after)) == [BOOKED]  # the same event, not a second one
    ev = after[BOOKED]
    assert ev.decoded("DTSTART") == dt.datetime(2027, 1, 6, 9, 0)  # type: ignore[attr-defined]
    assert str(ev["LOCATION"]) == "Clinic lab; 2nd floor"  # type: ignore[index]
    assert "Note: Fasting" in str(ev["DESCRIPTION"])  # type: ignore[index]
    assert set(before) == set(after)  # nothing else in the calendar moved either
    assert INFUSION in after


def test_a_booking_with_no_time_or_place_is_the_same_event_once_they_are_known(run, tmp_path: Path) -> None:
    history(run)
    book(run)
    assert list(booked(export(run, tmp_path / "bare.ics"))) == [BOOKED]
    rebook(run, "--time", "07:45", "--place", "Lab on Main")
    assert list(booked(export(run, tmp_path / "full.ics"))) == [BOOKED]


def test_another_day_or_another_test_is_another_event(run, tmp_path: Path) -> None:
    history(run)
    book(run, "--time", "09:00")
    r = run("appointment", "add", "--date", "2027-01-13", "--test", "cbc", "--time", "09:00", env=ENV)
    assert r.code == 0, r
    r = run("appointment", "add", "--date", "2027-01-06", "--test", "liver", "--time", "09:00", env=ENV)
    assert r.code == 0, r
    events = booked(export(run, tmp_path / "cal.ics"))
    assert set(events) == {
        BOOKED,
        "default.ocrevus.reminder.booked-cbc.2027-01-13@infuse",
        "default.ocrevus.reminder.booked-liver.2027-01-06@infuse",
    }


def test_a_profile_names_whose_booking_it_is(run, tmp_path: Path) -> None:
    sam = ("--profile", "sam")
    assert run(*sam, "profiles", "add", "sam", env=ENV).code == 0
    assert run(*sam, "log", "add", "ocrevus", "--date", "2026-11-04", "--dose", "600 mg", env=ENV).code == 0
    r = run(*sam, "appointment", "add", "--date", "2027-01-06", "--test", "cbc", "--time", "09:00", env=ENV)
    assert r.code == 0, r
    path = tmp_path / "sam.ics"
    assert run(*sam, "next", "--all", "--ics", str(path), env=ENV).code == 0
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    uids = [str(ev["UID"]) for ev in events if "Booked:" in str(ev["SUMMARY"])]
    assert uids == ["sam.ocrevus.reminder.booked-cbc.2027-01-06@infuse"]
