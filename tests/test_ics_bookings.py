"""Bookings in the calendar export: the booked time, place and note reach the event.

Read back with the icalendar library. Dates and times here are written out by hand:

* Ocrevus 600 mg every 6 months: a dose on Sun 5 Jul 2026 → the label's date Tue 5 Jan 2027.
  Booked on Wed 20 Jan 2027 at 09:30, "City clinic".
* The time at the clinic for a later Ocrevus dose (data/therapies/ocrevus.toml, from the
  maker's dosing page): 60 min premedication + 210 min infusion + 60 min observation = 5.5 h,
  so 09:30 → 15:00.
* A test booking has no clinic time in the catalogue: it lasts the calendar's usual hour.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

ENV = {"INFUSE_TODAY": "2026-12-03"}
INFUSION = "default.ocrevus.infusion.n2@infuse"  # the second Ocrevus dose of this history
COMMANDS = [("next",), ("plan",), ("next", "--all")]


def history(run, *booking: str) -> None:
    assert run("log", "add", "ocrevus", "--date", "2026-07-05", "--dose", "600 mg", env=ENV).code == 0
    if booking:
        r = run("appointment", "add", *booking, env=ENV)
        assert r.code == 0, r


def export(run, path: Path, *command: str) -> dict[str, object]:
    """The calendar's events by UID."""
    r = run(*command, "--ics", str(path), env=ENV)
    assert r.code == 0, r
    cal = Calendar.from_ical(path.read_bytes())
    return {str(ev["UID"]): ev for ev in cal.walk("VEVENT")}


def text_of(ev, name: str) -> str:
    return str(ev[name]) if name in ev else ""


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_booked_time_and_place_make_a_timed_event_at_the_clinic(run, tmp_path: Path, command) -> None:
    history(run, "--date", "2027-01-20", "--time", "09:30", "--place", "City clinic")
    ev = export(run, tmp_path / "cal.ics", *command)[INFUSION]
    start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
    # A floating local time: 09:30 wherever the calendar is read, no zone, not UTC.
    assert start == dt.datetime(2027, 1, 20, 9, 30) and start.tzinfo is None
    assert "TZID" not in ev["DTSTART"].params
    assert end == dt.datetime(2027, 1, 20, 15, 0)  # 5.5 h at the clinic (see the top)
    assert text_of(ev, "LOCATION") == "City clinic"
    description = text_of(ev, "DESCRIPTION")
    assert "Booked: Wed 20 Jan 2027, 09:30, City clinic" in description
    assert "the label's date is Tue 5 Jan 2027" in description
    assert text_of(ev, "TRANSP") == "OPAQUE"  # the person is busy then


def test_a_booking_with_no_time_stays_all_day_with_its_place(run, tmp_path: Path) -> None:
    history(run)
    unbooked = export(run, tmp_path / "before.ics", "next")[INFUSION]
    assert unbooked.decoded("DTSTART") == dt.date(2027, 1, 5)  # the label's date, a Tuesday
    assert "LOCATION" not in unbooked
    assert run("appointment", "add", "--date", "2027-01-20", "--place", "City clinic", env=ENV).code == 0
    ev = export(run, tmp_path / "cal.ics", "next")[INFUSION]
    assert ev.decoded("DTSTART") == dt.date(2027, 1, 20)
    assert ev.decoded("DTEND") == dt.date(2027, 1, 21)
    assert text_of(ev, "LOCATION") == "City clinic"
    assert "Booked: Wed 20 Jan 2027, City clinic" in text_of(ev, "DESCRIPTION")


def test_a_test_booking_with_a_time_and_place(run, tmp_path: Path) -> None:
    history(run, "--date", "2027-01-13", "--test", "cbc", "--time", "08:00", "--place", "Lab on Main")
    events = export(run, tmp_path / "cal.ics", "next", "--all")
    [ev] = [e for e in events.values() if "Booked: Complete blood count" in text_of(e, "SUMMARY")]
    assert ev.decoded("DTSTART") == dt.datetime(2027, 1, 13, 8, 0)
    assert ev.decoded("DTEND") == dt.datetime(2027, 1, 13, 9, 0)  # no clinic time: an hour
    assert text_of(ev, "LOCATION") == "Lab on Main"


def test_a_test_booking_with_no_time_is_all_day_with_its_place(run, tmp_path: Path) -> None:
    history(run, "--date", "2027-01-13", "--test", "cbc", "--place", "Lab on Main")
    events = export(run, tmp_path / "cal.ics", "plan")
    [ev] = [e for e in events.values() if "Booked: Complete blood count" in text_of(e, "SUMMARY")]
    assert ev.decoded("DTSTART") == dt.date(2027, 1, 13)
    assert text_of(ev, "LOCATION") == "Lab on Main"


def test_the_booking_keeps_the_infusion_s_identity_across_exports(run, tmp_path: Path) -> None:
    """Booking the infusion, then exporting again, updates the same event (same UID)."""
    history(run)
    before = export(run, tmp_path / "before.ics", "next", "--all")
    assert run("appointment", "add", "--date", "2027-01-20", "--time", "09:30", env=ENV).code == 0
    after = export(run, tmp_path / "after.ics", "next", "--all")
    again = export(run, tmp_path / "again.ics", "next", "--all")
    infusions = {u for u, e in after.items() if "infusion" in [str(c) for c in e["CATEGORIES"].cats]}
    assert infusions <= set(before)  # no infusion event is new: the booked one updates
    assert after[INFUSION].decoded("DTSTART") == dt.datetime(2027, 1, 20, 9, 30)
    assert (tmp_path / "after.ics").read_bytes() == (tmp_path / "again.ics").read_bytes()
    assert set(again) == set(after)


def test_user_text_is_escaped_and_control_characters_never_reach_the_file(run, tmp_path: Path) -> None:
    place = "Ward 3, Building B; door\\2\x07\x1b[31m\r\nback entrance\x7f"
    note = "ring\x07 the bell\x00 twice"
    history(run, "--date", "2027-01-20", "--time", "09:30", "--place", place, "--note", note)
    path = tmp_path / "cal.ics"
    ev = export(run, path, "next", "--all")[INFUSION]
    raw = path.read_bytes()
    controls = [c for c in raw.replace(b"\r\n", b"") if c < 0x20 or c == 0x7F]
    assert controls == [], "RFC 5545 allows no control characters in a text value"
    # Commas, semicolons and backslashes are escaped and read back as typed.
    location = text_of(ev, "LOCATION")
    assert location.startswith("Ward 3, Building B; door\\2 ") and location.endswith("back entrance")
    assert "ring  the bell  twice" in text_of(ev, "DESCRIPTION")
