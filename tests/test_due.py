"""`infuse due`, bookings, coverage, own reminders and clinic days, through real histories.

Label dates are written out by hand: Ocrevus 600 mg every 6 months, at least 5 months
between doses (label §2.3); a dose on Wed 10 Jun 2026 → next Thu 10 Dec 2026, earliest
Tue 10 Nov 2026.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

TODAY = {"INFUSE_TODAY": "2026-12-02"}


def _infusions(out: str) -> list[dict]:  # type: ignore[type-arg]
    return [e for e in json.loads(out)["events"] if e["kind"] == "infusion"]


def _history(run) -> None:  # type: ignore[no-untyped-def]
    assert run("log", "add", "--drug", "ocrevus", "--date", "2026-06-10", env=TODAY).code == 0


def test_due_shows_a_booking_coverage_and_an_own_reminder_most_urgent_first(run) -> None:
    _history(run)
    assert (
        run(
            "appointment",
            "add",
            "--date",
            "2026-12-14",
            "--time",
            "10:00",
            "--place",
            "City clinic",
            env=TODAY,
        ).code
        == 0
    )
    assert run("coverage", "add", "prior-auth", "--until", "2026-12-11", env=TODAY).code == 0
    assert run("remind", "add", "Neurologist visit", "--date", "2026-12-08", env=TODAY).code == 0

    out = run("due", "--plain", env=TODAY).stdout
    renew = out.index("Renew your prior authorization now: it ends Fri 11 Dec 2026")
    visit = out.index("Reminder: Neurologist visit: Tue 8 Dec 2026")
    booked = out.index("Ocrevus infusion booked: Mon 14 Dec 2026, 10:00, City clinic (in 12 days)")
    assert renew < visit < booked
    assert "Book the" not in out  # it is booked

    warned = run("next", "--plain", env=TODAY).stdout
    assert "prior authorization ends on Fri 11 Dec 2026, before the infusion on Mon 14 Dec 2026" in warned
    data = json.loads(run("due", "--json", env=TODAY).stdout)["profiles"][0]
    kinds = [i["kind"] for i in data["items"]]
    assert kinds.index("coverage") < kinds.index("reminder") < kinds.index("infusion")
    infusion = next(i for i in data["items"] if i["kind"] == "infusion")
    assert infusion["date"] == "2026-12-14" and infusion["by"] == "2026-12-10" and infusion["booked"] is True


def test_an_infusion_within_the_lead_time_and_not_booked_says_book_it(run) -> None:
    _history(run)
    out = run("due", "--plain", env=TODAY).stdout
    assert "Book the Ocrevus infusion: due Thu 10 Dec 2026 (in 8 days)" in out
    # Before the lead time (21 days) nothing asks for a booking yet.
    early = run("due", "--plain", env={"INFUSE_TODAY": "2026-11-10"}).stdout
    assert "Book the" not in early
    assert run("config", "set", "lead_days", "40").code == 0
    assert "Book the Ocrevus infusion" in run("due", "--plain", env={"INFUSE_TODAY": "2026-11-10"}).stdout


def test_an_overdue_infusion_is_first_and_said_in_words(run) -> None:
    _history(run)
    assert run("remind", "add", "MRI", "--date", "2026-12-20", env={"INFUSE_TODAY": "2026-12-15"}).code == 0
    out = run("due", "--plain", env={"INFUSE_TODAY": "2026-12-15"}).stdout
    first = " ".join(out.split("=\n\n", 1)[1].split("\n- ", 1)[0].split())
    assert first.startswith(
        "OVERDUE Book the Ocrevus infusion: overdue by 5 days (the label's date was Thu 10"
    )
    short = run("due", "--short", env={"INFUSE_TODAY": "2026-12-15"}).stdout
    assert short.startswith("infuse: ") and "1 overdue" in short and short.rstrip().endswith("infuse due")


def test_a_booked_day_moves_the_plan_and_the_calendar(run, tmp_path: Path) -> None:
    _history(run)
    assert run("appointment", "add", "--date", "2026-12-16", env=TODAY).code == 0
    first, second = _infusions(run("next", "--json", env=TODAY).stdout)[:2]
    assert first["date"] == "2026-12-10" and first["book"] == "2026-12-16" and first["book_why"] == "booked"
    assert second["date"] == "2027-06-16"  # 6 months after the booked day, not after the label's
    ics = tmp_path / "plan.ics"
    assert run("remind", "add", "MRI", "--date", "2027-01-05", env=TODAY).code == 0
    assert run("plan", "--ics", str(ics), env=TODAY).code == 0
    text = ics.read_text()
    assert "DTSTART;VALUE=DATE:20261216" in text and "SUMMARY:Ocrevus infusion" in text
    assert "DTSTART;VALUE=DATE:20270105" in text and "MRI" in text
    assert "MRI" in run("plan", "--plain", env=TODAY).stdout


def test_a_booking_before_the_minimum_gap_is_warned_with_the_rule(run) -> None:
    _history(run)
    assert run("appointment", "add", "--date", "2026-11-02", env={"INFUSE_TODAY": "2026-10-20"}).code == 0
    out = run("next", "--plain", env={"INFUSE_TODAY": "2026-10-20"}).stdout
    assert "Your booking on Mon 2 Nov 2026 is before Tue 10 Nov 2026" in " ".join(out.split())
    assert "at least 5 months between doses" in " ".join(out.split())
    assert "check the date with your care team" in " ".join(out.split())


def test_clinic_days_move_a_monday_suggestion_to_the_wednesday_after(run) -> None:
    # A dose on Sun 14 Jun 2026: the label's date is Mon 14 Dec 2026 (earliest Sat 14 Nov).
    assert run("log", "add", "--drug", "ocrevus", "--date", "2026-06-14", env=TODAY).code == 0
    before = _infusions(run("next", "--json", env=TODAY).stdout)[0]
    assert before["date"] == "2026-12-14" and before["book"] == "2026-12-14"
    assert run("config", "set", "clinic_days", "wed,thu,fri").code == 0
    after = _infusions(run("next", "--json", env=TODAY).stdout)[0]
    assert after["date"] == "2026-12-14" and after["book"] == "2026-12-16" and after["book_why"] == "clinic"
    assert after["earliest"] == "2026-11-14"
    said = " ".join(run("next", "--plain", env=TODAY).stdout.split())
    assert "Wed 16 Dec 2026 — the label's date, Mon 14 Dec 2026, is not one of your clinic's days" in said


def test_reminders_repeat_in_calendar_months_from_the_first_date(run) -> None:
    env = {"INFUSE_TODAY": "2027-01-20"}
    assert (
        run("remind", "add", "Pharmacy refill", "--date", "2027-01-31", "--every", "1 month", env=env).code
        == 0
    )
    later = {"INFUSE_TODAY": "2027-02-02"}
    listed = " ".join(run("remind", "list", "--plain", env=later).stdout.split())
    assert "Sun 28 Feb 2027" in listed
    assert "Reminder: Pharmacy refill" not in run("due", "--plain", env=later).stdout  # 26 days away
    assert "Reminder: Pharmacy refill" in run("due", "--days", "30", "--plain", env=later).stdout


def test_all_profiles_names_each_person(run) -> None:
    _history(run)
    assert run("profiles", "add", "mum").code == 0
    assert run("--profile", "mum", "remind", "add", "Eye test", "--date", "2026-12-04", env=TODAY).code == 0
    out = run("due", "--all-profiles", "--plain", env=TODAY).stdout
    assert "Due in the next 14 days: default" in out and "Due in the next 14 days: mum" in out
    mine, mums = out.split("Due in the next 14 days: mum")
    assert "Book the Ocrevus infusion" in mine and "Eye test" in mums and "Eye test" not in mine


def test_nothing_due_prints_nothing_short_and_says_so_long(run) -> None:
    assert run("due", "--short").stdout == ""
    assert "Nothing is due." in run("due", "--plain").stdout
    assert not Path(os.environ["INFUSE_HOME"], "data", "journal.sqlite3").exists()


def test_the_quick_short_path_answers_as_the_full_command_does(run, tmp_path: Path) -> None:
    _history(run)
    assert run("coverage", "add", "copay", "--until", "2026-12-05", env=TODAY).code == 0
    full = run("due", "--short", env=TODAY).stdout
    infuse = shutil.which("infuse") or str(Path(sys.executable).parent / "infuse")
    env = {**os.environ, **TODAY}
    quick = subprocess.run([infuse, "due", "--short"], env=env, capture_output=True, text=True, timeout=60)
    assert quick.returncode == 0 and quick.stdout == full and full.startswith("infuse: ")
    everyone = subprocess.run(
        [infuse, "due", "--short", "--all-profiles"], env=env, capture_output=True, text=True, timeout=60
    )
    assert everyone.stdout == full
    # A profile that does not exist is refused by the full command line, as everywhere.
    missing = subprocess.run(
        [infuse, "--profile", "nobody", "due", "--short"], env=env, capture_output=True, text=True, timeout=60
    )
    assert missing.returncode == 1 and missing.stderr.startswith("Error: ")


def test_bad_input_is_one_sentence_and_changes_nothing(run, home: Path) -> None:
    _history(run)
    journal = home / "data" / "journal.sqlite3"
    before = journal.read_bytes()
    for args, code in (
        (("coverage", "add", "prior-auth", "--until", "2026-11-30"), 1),  # renewal date in the past
        (("remind", "add", "MRI", "--date", "2027-01-05", "--every", "0 months"), 1),
        (("remind", "add", "MRI", "--date", "2027-01-05", "--every", "fortnightly"), 2),
        (("remind", "add", "MRI", "--date", "2026-11-01"), 1),  # a one-off reminder already past
        (("appointment", "add", "--date", "2026-12-14", "--time", "25:00"), 2),
        (("appointment", "add", "--date", "2026-11-14"), 1),
        (("appointment", "add", "--date", "2026-12-14", "--test", "no-such-test"), 1),
        (("coverage", "add", "gift-card", "--until", "2027-01-01"), 2),
        (("config", "set", "clinic_days", "wed,funday"), 2),
        (("config", "set", "lead_days", "0"), 2),
        (("appointment", "rm", "7", "--yes"), 1),
    ):
        r = run(*args, env=TODAY)
        assert r.code == code, (args, r)
        assert r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1, (args, r.stderr)
    assert journal.read_bytes() == before
    assert run("config", "get", "clinic_days").stdout.strip() == ""


def test_due_notify_shows_the_due_lines_through_the_desktop_notifier(run, tmp_path: Path) -> None:
    _history(run)
    assert run("remind", "add", "Neurologist visit", "--date", "2026-12-08", env=TODAY).code == 0
    bin_dir, said = tmp_path / "bin", tmp_path / "said.txt"
    bin_dir.mkdir()
    fake = bin_dir / "notify-send"
    fake.write_text(f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "{said}"\n')
    fake.chmod(0o755)
    infuse = shutil.which("infuse") or str(Path(sys.executable).parent / "infuse")
    env = {**os.environ, **TODAY, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([infuse, "due", "--notify"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    shown = said.read_text()
    assert "Book the Ocrevus infusion: due Thu 10 Dec 2026" in shown
    assert "Reminder: Neurologist visit: Tue 8 Dec 2026" in shown
    # No notifier on PATH: it says so, and the lines are printed.
    bare = {**env, "PATH": str(tmp_path / "empty")}
    done = subprocess.run([infuse, "due", "--notify"], env=bare, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "No desktop notifier was found" in done.stderr
    assert "Reminder: Neurologist visit" in done.stdout


def test_bookings_coverage_and_reminders_travel_in_export_import_and_backups(run, tmp_path: Path) -> None:
    _history(run)
    assert run("appointment", "add", "--date", "2026-12-14", "--time", "10:00", env=TODAY).code == 0
    assert run("coverage", "add", "copay", "--until", "2027-03-31", "--note", "call", env=TODAY).code == 0
    assert run("remind", "add", "MRI", "--date", "2027-01-05", "--every", "1 year", env=TODAY).code == 0
    backup = tmp_path / "b.sqlite3"
    assert run("backup", str(backup)).code == 0
    out = tmp_path / "journal.json"
    assert run("export", "--out", str(out)).code == 0
    data = json.loads(out.read_text())
    assert data["schema"] == 4
    assert data["appointments"][0]["date"] == "2026-12-14" and data["appointments"][0]["time"] == "10:00"
    assert data["coverage"][0]["kind"] == "copay" and data["coverage"][0]["until"] == "2027-03-31"
    assert data["reminders"][0]["every_n"] == 12 and data["reminders"][0]["every_unit"] == "months"
    listed = {k: run(k, "list", "--json", env=TODAY).stdout for k in ("appointment", "coverage", "remind")}

    assert run("profiles", "add", "copy").code == 0
    said = run("--profile", "copy", "import", str(out), env=TODAY)
    assert said.code == 0 and "1 appointment" in said.stderr and "1 reminder" in said.stderr
    for k, before in listed.items():
        assert run("--profile", "copy", k, "list", "--json", env=TODAY).stdout == before
    again = run("--profile", "copy", "import", str(out), env=TODAY)
    assert "already there" in again.stderr and "1 coverage entry" in again.stderr

    assert run("remind", "rm", "1", "--yes").code == 0
    assert run("restore", str(backup), "--yes").code == 0
    assert run("remind", "list", "--json", env=TODAY).stdout == listed["remind"]

    data["reminders"][0]["every_n"] = 0  # a repeat unit with no number: remind add would refuse it
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    r = run("import", str(bad), env=TODAY)
    assert r.code == 1 and "reminder 1" in r.stderr and "nothing was imported" in r.stderr


def test_booking_the_infusion_comes_before_checklist_steps_already_begun(run) -> None:
    # Tysabri every 4 weeks: a dose on Wed 4 Nov 2026 → the next on Wed 2 Dec 2026, today.
    assert run("log", "add", "--drug", "tysabri", "--date", "2026-11-04", env=TODAY).code == 0
    out = " ".join(run("due", "--plain", "--days", "7", env=TODAY).stdout.split())
    book = out.index("Book the Tysabri infusion: due Wed 2 Dec 2026 (today)")
    assert book < out.index("Checklist, the week before") < out.index("Checklist, the day before")


def test_a_date_out_of_reach_is_refused_and_changes_nothing(run, tmp_path: Path) -> None:
    # A booking on 31 Dec 9999 once left no room for the doses after it: every plan failed.
    _history(run)
    before = run("export", "--format", "json", env=TODAY).stdout
    for args in (
        ("appointment", "add", "--date", "9999-12-31"),
        ("appointment", "add", "--date", "2127-01-01"),  # more than 100 years after 2026
        ("remind", "add", "Renew", "--date", "9999-12-20", "--every", "1 month"),
        ("coverage", "add", "plan-year", "--until", "3000-01-01"),
        ("log", "add", "--drug", "ocrevus", "--date", "1899-12-31"),
        ("labs", "add", "cbc", "--date", "0001-01-01"),
    ):
        r = run(*args, env=TODAY)
        assert r.code == 2, args
        assert "check the year" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert run("export", "--format", "json", env=TODAY).stdout == before
    r = run("next", "--drug", "ocrevus", "--start", "1850-01-01", env=TODAY)
    assert r.code == 2 and "'1850-01-01' is before 1900; check the year." in r.stderr

    data = json.loads(before)
    data["appointments"] = [{"id": "far-1", "date": "9999-12-31", "drug": "ocrevus"}]
    bad = tmp_path / "far.json"
    bad.write_text(json.dumps(data))
    r = run("import", str(bad), env=TODAY)
    assert r.code == 1 and "appointment 1 is dated 9999-12-31" in r.stderr
    assert run("export", "--format", "json", env=TODAY).stdout == before


def test_a_booking_at_the_edge_of_reach_still_plans(run, tmp_path: Path) -> None:
    _history(run)
    assert run("appointment", "add", "--date", "2126-12-31", "--drug", "ocrevus", env=TODAY).code == 0
    for args in (("due",), ("plan",), ("next", "--all"), ("next", "--ics", str(tmp_path / "a.ics"))):
        assert run(*args, env=TODAY).code == 0, args
    # Ocrevus every 6 months (label §2.3): after a dose on Wed 10 Jun 2026 the next is due
    # Thu 10 Dec 2026; the booking far ahead stands for it.
    out = " ".join(run("next", "--plain", env=TODAY).stdout.split())
    assert "Tue 31 Dec 2126 (label's date Thu 10 Dec 2026)" in out
