"""Real histories: what people record with `infuse log add`, then `next`, `plan`, `log list`,
`journal` and `--ics`. Every expected date is written out by hand from the label's rule."""

from __future__ import annotations

import json

import pytest


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFUSE_TODAY", "2026-12-02")


def log(run, drug: str, *days: str, dose: str = "", first: bool = False) -> None:
    for i, day in enumerate(days):
        args = ["log", "add", "--drug", drug, "--date", day]
        if dose:
            args += ["--dose", dose]
        if first and i == 0:
            args.append("--first")
        r = run(*args)
        assert r.code == 0, r


def infusions(run, *args: str) -> list[dict]:
    r = run("next", *args, "--json")
    assert r.code == 0, r
    return [e for e in json.loads(r.stdout)["events"] if e["kind"] == "infusion"]


def test_a_first_ocrevus_infusion_logged_with_its_300_mg_gives_infusion_2_two_weeks_later(run) -> None:
    # Logged as the first-visit checklist says: the dose, nothing else. Mon 30 Nov 2026 + 2 weeks.
    log(run, "ocrevus", "2026-11-30", dose="300 mg")
    got = infusions(run, "--drug", "ocrevus")
    assert (got[0]["date"], got[0]["phase"], got[0]["dose"]) == (
        "2026-12-14",
        "first dose, infusion 2 of 2",
        "300 mg",
    )
    # Then 600 mg 6 months after infusion 1 (Sun 30 May 2027, booked Mon 31 May).
    assert (got[1]["date"], got[1]["book"], got[1]["dose"]) == ("2027-05-30", "2027-05-31", "600 mg")
    text = run("next", "--drug", "ocrevus", "--plain").stdout
    assert "taken as your first infusion, from its dose" in " ".join(text.split())
    listed = run("log", "list", "--plain").stdout
    assert "first dose, infusion 1 of 2" in listed and "infuse log edit ID --first" in " ".join(
        listed.split()
    )


def test_a_briumvi_first_dose_is_told_by_its_150_mg(run) -> None:
    # Thu 19 Nov 2026, 150 mg: the second infusion is 2 weeks later, Thu 3 Dec 2026.
    log(run, "briumvi", "2026-11-19", dose="150 mg")
    got = infusions(run, "--drug", "briumvi")
    assert (got[0]["date"], got[0]["phase"]) == ("2026-12-03", "first and second infusions, infusion 2 of 2")


def test_a_maintenance_dose_without_a_mark_says_what_was_assumed(run) -> None:
    # 600 mg on Tue 12 May 2026: a later dose; the next is 6 months on, Thu 12 Nov 2026 —
    # overdue on 2 Dec 2026 by 20 days.
    log(run, "ocrevus", "2026-05-12", dose="600 mg")
    got = infusions(run, "--drug", "ocrevus")
    assert got[0]["date"] == "2026-11-12" and got[0]["overdue_days"] == 20
    data = json.loads(run("next", "--drug", "ocrevus", "--json").stdout)
    assert "infuse log edit ID --first" in data["assumed"]


def test_next_takes_the_therapy_from_the_journal_and_says_so(run) -> None:
    # Tysabri on Wed 18 Nov 2026: every 4 weeks, Wed 16 Dec 2026.
    log(run, "tysabri", "2026-11-18")
    r = run("next", "--plain")
    assert r.code == 0, r
    flat = " ".join(r.stdout.split())
    assert "NEXT INFUSIONS: TYSABRI" in r.stdout
    assert "the therapy of your journal's latest entry" in flat
    assert "Wed 16 Dec 2026" in flat
    data = json.loads(run("next", "--json").stdout)
    assert data["drug"] == "tysabri" and data["therapy_from"]
    assert run("plan", "--plain").code == 0


def test_recorded_mg_per_m2_doses_count_toward_the_lifetime_limit_with_a_first_mark(run) -> None:
    # Nine doses of 14 mg/m² from Mon 6 Jan 2025, every 3 months: 9 × 14 = 126 mg/m²,
    # 90 % of 140 — at the label's 12 mg/m² it would be 108 (77 %), under the warning.
    days = [
        "2025-01-06", "2025-04-07", "2025-07-07", "2025-10-06", "2026-01-06",
        "2026-04-06", "2026-07-06", "2026-10-06", "2026-11-30",
    ]  # fmt: skip
    log(run, "mitoxantrone", *days, dose="14 mg/m2", first=True)
    r = run("next", "--drug", "mitoxantrone", "--json")
    data = json.loads(r.stdout)
    assert data["lifetime_total"] == {"given": 126, "limit": 140, "unit": "mg/m²"}
    assert "126 mg/m² (90%)" in r.stderr
    listed = " ".join(run("log", "list", "--plain").stdout.split())
    assert "126 of 140 mg/m² (90%)" in listed
    journal = " ".join(run("journal", "--plain").stdout.split())
    assert "126 of 140 mg/m² (90%)" in journal
    # One more label dose of 12 mg/m² (138) fits, 3 months on: Sun 28 Feb 2027, booked
    # Mon 1 Mar; after it another would pass 140, so the plan stops there.
    got = infusions(run, "--drug", "mitoxantrone")
    assert [(e["date"], e["book"]) for e in got] == [("2027-02-28", "2027-03-01")]
    assert json.loads(run("next", "--drug", "mitoxantrone", "--json").stdout)["end"]["kind"] == "cap"


def test_the_record_shows_days_since_the_one_before_and_days_late(run) -> None:
    # Tysabri every 4 weeks: Wed 7 Jan, Wed 4 Feb (28 days, on time), Wed 11 Mar 2026
    # (35 days; the label's date was Wed 4 Mar, so 7 days late).
    log(run, "tysabri", "2026-01-07", "2026-02-04", "2026-03-11")
    rows = {e["date"]: e for e in json.loads(run("log", "list", "--json").stdout)}
    assert rows["2026-01-07"]["days_since_previous"] is None
    assert (rows["2026-02-04"]["days_since_previous"], rows["2026-02-04"]["days_late"]) == (28, 0)
    assert (rows["2026-03-11"]["days_since_previous"], rows["2026-03-11"]["days_late"]) == (35, 7)
    text = run("log", "list", "--plain").stdout
    assert "+35 d, 7 late" in text
    journal = run("journal", "--json").stdout
    assert '"days_late": 7' in journal


def test_lemtrada_monitoring_reaches_48_months_after_the_last_dose(run) -> None:
    # Course 1: Mon 2 – Fri 6 Dec 2024; course 2 given Mon 8 – Wed 10 Dec 2025 (its label
    # date, Sat 6 Dec, fell on a weekend). Monthly tests count from the first dose
    # (2 Dec 2024) until 48 months after the last dose (10 Dec 2029): the last one is
    # Sun 2 Dec 2029, suggested on Mon 3 Dec.
    assert run("log", "add", "--drug", "lemtrada", "--date", "2024-12-02", "--days", "5", "--first").code == 0
    assert run("log", "add", "--drug", "lemtrada", "--date", "2025-12-08", "--days", "3").code == 0
    listed = json.loads(run("log", "list", "--json").stdout)
    assert [e["phase"] for e in listed][:3] == [
        "second treatment course, day 3 of 3",
        "second treatment course, day 2 of 3",
        "second treatment course, day 1 of 3",
    ]
    data = json.loads(run("plan", "--drug", "lemtrada", "--months", "60", "--json").stdout)
    counts = [e for e in data["events"] if e.get("what") == "Complete blood count with differential"]
    assert (counts[-1]["date"], counts[-1]["book"]) == ("2029-12-02", "2029-12-03")
    assert counts[0]["date"] == "2026-12-02"
    assert len(counts) == 37  # Dec 2026 to Dec 2029, one a month
    labs = " ".join(run("labs", "--drug", "lemtrada", "--plain").stdout.split())
    assert "Complete blood count with differential: every 1 month until Dec 2029 (37 to go)" in labs
    nxt = " ".join(run("next", "--drug", "lemtrada", "--all", "--plain").stdout.split())
    assert "until Dec 2029" in nxt


def test_a_course_logged_with_days_is_one_transaction_and_refuses_the_future(run, home) -> None:
    assert run("log", "add", "--drug", "lemtrada", "--date", "2026-11-30", "--days", "5").code == 2
    journal = home / "data" / "journal.sqlite3"
    assert not journal.exists()  # nothing was written
    assert run("log", "add", "--drug", "tysabri", "--date", "2026-11-18").code == 0
    before = journal.read_bytes()
    # A series that collides with an entry already there: all or nothing.
    r = run("log", "add", "--drug", "tysabri", "--date", "2026-10-21", "--date", "2026-11-18")
    assert r.code == 1 and "already in the journal" in r.stderr
    assert journal.read_bytes() == before
    r = run("log", "add", "--drug", "tysabri", "--date", "2026-10-21", "--dose", "a lot")
    assert r.code == 1 and "cannot read the dose" in r.stderr
    assert journal.read_bytes() == before


def test_lemtrada_course_heading_shows_the_booked_days_and_later_courses_count_from_them(run) -> None:
    # Course 1 Mon 2 – Fri 6 Dec 2024; course 2 due 12 months after its last day: Sat 6 Dec
    # 2025, booked Mon 8 – Wed 10 Dec 2025 (today is 1 Dec 2025). A further course is no
    # sooner than 12 months after the booked last day: Thu 10 Dec 2026.
    assert run("log", "add", "--drug", "lemtrada", "--date", "2024-12-02", "--days", "5", "--first").code == 0
    r = run("next", "--drug", "lemtrada", "--count", "4", "--plain", env={"INFUSE_TODAY": "2025-12-01"})
    flat = " ".join(r.stdout.split())
    assert "Mon 8 Dec 2025 (label's date Sat 6 Dec 2025)" in flat
    assert "Wed 10 Dec 2025 (label's date Mon 8 Dec 2025)" in flat
    assert "no sooner than Thu 10 Dec 2026" in flat


def test_every_infusion_of_a_split_dose_gets_its_reminders(run) -> None:
    # Ocrevus infusion 1 on Mon 30 Nov 2026 (300 mg): infusion 2 on Mon 14 Dec gets the ride
    # reminder a week before (Mon 7 Dec) and the infection check on the day.
    log(run, "ocrevus", "2026-11-30", dose="300 mg")
    data = json.loads(run("next", "--drug", "ocrevus", "--all", "--json").stdout)
    on = {(e["date"], e.get("what")) for e in data["events"] if e["kind"] != "infusion"}
    assert ("2026-12-07", "Arrange a ride home") in on
    assert ("2026-12-14", "Check for an active infection before each infusion") in on


def test_profiles_are_explicit_and_a_wrong_name_creates_nothing(run, home) -> None:
    assert run("profiles", "add", "sam").code == 0
    r = run("--profile", "Sam", "log", "add", "--drug", "tysabri", "--date", "2026-11-18")
    assert r.code == 1 and "did you mean 'sam'" in r.stderr
    r = run("--profile", "sma", "next")
    assert r.code == 1 and "Did you mean sam?" in r.stderr and "infuse profiles add sma" in r.stderr
    assert sorted(p.name for p in (home / "data" / "profiles").iterdir()) == ["sam"]
    assert run("profiles", "add", "SAM").code == 1
    assert run("profiles", "add", "../x").code == 2
    log(run, "ocrevus", "2026-11-30", dose="300 mg")
    assert run("--profile", "sam", "log", "add", "--drug", "tysabri", "--date", "2026-11-18").code == 0
    rows = {p["name"]: p for p in json.loads(run("profiles", "--json").stdout)["profiles"]}
    assert (rows["default"]["therapy"], rows["default"]["next"]) == ("Ocrevus", "2026-12-14")
    assert (rows["sam"]["therapy"], rows["sam"]["last"], rows["sam"]["next"]) == (
        "Tysabri",
        "2026-11-18",
        "2026-12-16",
    )
    assert run("profiles", "rm", "sam", input="no\n").code == 1
    assert run("profiles", "rm", "sam", "--yes").code == 0
    assert [p["name"] for p in json.loads(run("profiles", "--json").stdout)["profiles"]] == ["default"]


def _uids(path) -> dict[str, str]:
    from icalendar import Calendar

    cal = Calendar.from_ical(path.read_bytes())
    return {str(ev["uid"]): str(ev["summary"]) for ev in cal.walk("VEVENT")}


def test_two_profiles_on_the_same_therapy_share_no_calendar_uid(run, tmp_path) -> None:
    assert run("profiles", "add", "sam").code == 0
    log(run, "ocrevus", "2026-11-30", dose="300 mg")
    assert (
        run(
            "--profile", "sam", "log", "add", "--drug", "ocrevus", "--date", "2026-11-30", "--dose", "300 mg"
        ).code
        == 0
    )
    mine, sams = tmp_path / "me.ics", tmp_path / "sam.ics"
    assert run("next", "--all", "--ics", str(mine)).code == 0
    assert run("--profile", "sam", "next", "--all", "--ics", str(sams)).code == 0
    a, b = _uids(mine), _uids(sams)
    assert a and b and not set(a) & set(b)
    assert all(s.startswith("sam: ") for s in b.values())
    assert "X-WR-CALNAME:infuse: sam" in sams.read_text(encoding="utf-8")


def test_calendar_uids_stay_with_their_event_as_doses_are_logged(run, tmp_path, khal) -> None:
    # Tysabri on Wed 18 Nov 2026. December's export plans Wed 16 Dec, Wed 13 Jan, Wed 10 Feb;
    # 16 Dec is then given on time, and January's export plans 13 Jan, 10 Feb, 10 Mar.
    log(run, "tysabri", "2026-11-18")
    dec, jan = tmp_path / "dec.ics", tmp_path / "jan.ics"
    assert run("next", "--all", "--ics", str(dec)).code == 0
    jan2 = {"INFUSE_TODAY": "2027-01-02"}
    assert run("log", "add", "--drug", "tysabri", "--date", "2026-12-16", env=jan2).code == 0
    assert run("next", "--all", "--ics", str(jan), env=jan2).code == 0
    from icalendar import Calendar

    def by_uid(path):
        cal = Calendar.from_ical(path.read_bytes())
        return {str(ev["uid"]): ev["dtstart"].dt.isoformat() for ev in cal.walk("VEVENT")}

    d, j = by_uid(dec), by_uid(jan)
    shared = set(d) & set(j)
    assert {d[u] for u in shared if "infusion" in u} == {"2027-01-13", "2027-02-10"}
    assert all(d[u] == j[u] for u in shared)  # the same identity is the same day: nothing moved
    # Imported into a real calendar client one after the other: no infusion day twice.
    for path in (dec, jan):
        khal("import", "--batch", str(path))
    out = khal("list", "--format", "{start-date} {title}", "--day-format", "", "2026-12-01", "200d")
    infusion_days = [line for line in out.splitlines() if "Tysabri infusion" in line]
    assert [line.split()[0] for line in infusion_days] == [
        "2026-12-16",
        "2027-01-13",
        "2027-02-10",
        "2027-03-10",
    ]


def test_csv_export_imports_back_all_or_nothing(run, tmp_path, home) -> None:
    log(run, "tysabri", "2026-01-07", "2026-02-04")
    assert (
        run("reaction", "add", "--date", "2026-02-04", "--symptom", "=HYPERLINK(x)", "--severity", "3").code
        == 0
    )
    csv_file = tmp_path / "j.csv"
    assert run("export", "--format", "csv", "--out", str(csv_file)).code == 0
    assert run("profiles", "add", "copy").code == 0
    assert run("--profile", "copy", "import", str(csv_file)).code == 0
    rows = json.loads(run("--profile", "copy", "log", "list", "--json").stdout)
    assert sorted(e["date"] for e in rows) == ["2026-01-07", "2026-02-04"]
    journal = run("--profile", "copy", "journal", "--json").stdout
    assert "=HYPERLINK(x)" in journal  # the spreadsheet guard is undone on the way in
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_file.read_text().replace("2026-01-07", "2027-13-01"), encoding="utf-8")
    target = home / "data" / "profiles" / "copy" / "journal.sqlite3"
    before = target.read_bytes()
    r = run("--profile", "copy", "import", str(bad))
    assert r.code == 1 and "nothing was imported" in r.stderr
    assert target.read_bytes() == before


def test_reactions_can_be_edited_removed_and_brought_back(run) -> None:
    log(run, "tysabri", "2026-11-18")
    assert run("reaction", "add", "--infusion", "1", "--symptom", "itching", "--severity", "4").code == 0
    assert run("reaction", "edit", "1", "--severity", "6", "--note", "on the drive home").code == 0
    items = [i for i in json.loads(run("journal", "--json").stdout)["items"] if i["kind"] == "reaction"]
    assert (items[0]["severity"], items[0]["note"]) == (6, "on the drive home")
    assert run("reaction", "rm", "1", "--yes").code == 0
    assert [i for i in json.loads(run("journal", "--json").stdout)["items"] if i["kind"] == "reaction"] == []
    assert run("reaction", "undo").code == 0
    assert (
        len([i for i in json.loads(run("journal", "--json").stdout)["items"] if i["kind"] == "reaction"]) == 1
    )
    assert run("reaction", "edit", "9", "--severity", "2").code == 1


def test_answered_questions_stay_visible(run) -> None:
    assert run("questions", "add", "Can I travel in May?").code == 0
    assert run("questions", "--asked", "1", "--answer", "Yes, book around the dose").code == 0
    out = " ".join(run("questions", "--answered", "--plain").stdout.split())
    assert "Can I travel in May?" in out and "Yes, book around the dose" in out


def test_what_is_guessed_is_said_and_the_start_setting_corrects_it(run) -> None:
    # Tysabri from Wed 21 Oct 2026: the entry on Wed 18 Nov 2026 is infusion 2, so the
    # next (Wed 16 Dec) is infusion 3 — one of the first 12, watched for an hour after.
    log(run, "tysabri", "2026-11-18")
    guess = json.loads(run("next", "--json").stdout)["assumed"]
    assert "past the first 12" in guess and "infuse config set started" in guess
    assert run("config", "set", "started", "2026-10-21").code == 0
    data = json.loads(run("next", "--json").stdout)
    first = [e for e in data["events"] if e["kind"] == "infusion"][0]
    assert (first["date"], first["number"], first["clinic_minutes"]) == ("2026-12-16", 3, [120, 120])
    assert "2026-10-21" in data["assumed"]


def test_the_checklist_gives_the_right_record_command_and_says_where_the_therapy_came_from(run) -> None:
    log(run, "tysabri", "2026-11-18")
    text = " ".join(run("checklist", "--plain").stdout.split())
    assert "Therapy: Tysabri, the therapy of your journal's latest entry." in text
    assert "infuse log add --drug tysabri --date today" in text and "--date today --first" not in text
    first = " ".join(run("checklist", "--drug", "ocrevus", "--first", "--plain").stdout.split())
    assert "infuse log add --drug ocrevus --date today --first" in first


def test_on_a_terminal_log_add_asks_whether_a_first_entry_is_the_first_infusion(home) -> None:
    # A real pseudo-terminal: infuse cannot tell from a dose-less Ocrevus entry, so it asks.
    import os
    import pty
    import subprocess
    import sys

    env = dict(os.environ, INFUSE_HOME=str(home), INFUSE_TODAY="2026-12-02")
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "infuse_cli", "log", "add", "--drug", "ocrevus", "--date", "2026-11-30"],
        stdin=child, stdout=child, stderr=child, env=env, close_fds=True,
    )  # fmt: skip
    os.close(child)
    seen = b""
    while b"[y/N]" not in seen:
        chunk = os.read(main, 1024)
        assert chunk, seen
        seen += chunk
    assert b"Is this your first Ocrevus infusion?" in seen
    os.write(main, b"y\n")
    assert proc.wait(timeout=60) == 0
    os.close(main)
    out = subprocess.run(
        [sys.executable, "-m", "infuse_cli", "log", "list", "--json"], env=env, capture_output=True, text=True
    )
    entry = json.loads(out.stdout)[0]
    assert entry["first"] is True and entry["phase"] == "first dose, infusion 1 of 2"


def test_reminders_keep_their_infusions_identity_when_the_dose_moves(run, tmp_path) -> None:
    # Ocrevus 300 mg on Mon 5 and Mon 19 Jan 2026. In January the third dose is planned for
    # Sun 5 Jul (booked Mon 6 Jul) and the fourth for Tue 5 Jan 2027. The third is given on
    # Mon 6 Jul, a day late, so the fourth moves to Wed 6 Jan 2027 — and its reminder with it,
    # under the same identity, so a calendar updates it instead of keeping two.
    jan = {"INFUSE_TODAY": "2026-01-20"}
    for day in ("2026-01-05", "2026-01-19"):
        assert run("log", "add", "--drug", "ocrevus", "--date", day, "--dose", "300 mg", env=jan).code == 0
    first, later = tmp_path / "a.ics", tmp_path / "b.ics"
    assert run("next", "--all", "--ics", str(first), env=jan).code == 0
    july = {"INFUSE_TODAY": "2026-07-08"}
    assert (
        run("log", "add", "--drug", "ocrevus", "--date", "2026-07-06", "--dose", "600 mg", env=july).code == 0
    )
    assert run("next", "--all", "--ics", str(later), env=july).code == 0
    from icalendar import Calendar

    def rides(path):
        cal = Calendar.from_ical(path.read_bytes())
        return {
            str(ev["uid"]): ev["dtstart"].dt.isoformat()
            for ev in cal.walk("VEVENT")
            if "Arrange a ride home" in str(ev["summary"])
        }

    a, b = rides(first), rides(later)
    moved = [u for u in a if a[u] == "2026-12-29"]
    assert moved and b[moved[0]] == "2026-12-30"  # one event, updated: 7 days before Wed 6 Jan
    assert "2026-12-29" not in b.values()


def test_a_dose_the_minimum_gap_pushes_later_resets_the_count(run) -> None:
    # Ocrevus 300 mg on Mon 5 Jan and (late) Tue 10 Mar 2026. The first 600 mg dose would be
    # 6 months after infusion 1 (Sun 5 Jul), but doses must be 5 months apart: Mon 10 Aug.
    # That dose is then late, so the next counts 6 months from it: Wed 10 Feb 2027.
    march = {"INFUSE_TODAY": "2026-03-12"}
    args = (
        "log",
        "add",
        "--drug",
        "ocrevus",
        "--date",
        "2026-01-05",
        "--date",
        "2026-03-10",
        "--dose",
        "300 mg",
    )
    assert run(*args, env=march).code == 0
    data = json.loads(run("next", "--drug", "ocrevus", "--count", "3", "--json", env=march).stdout)
    got = [e["date"] for e in data["events"] if e["kind"] == "infusion"]
    assert got == ["2026-08-10", "2027-02-10", "2027-08-10"]


def test_a_lemtrada_course_is_never_booked_before_its_label_date(run) -> None:
    # Course 1 Sun 8 – Thu 12 Jun 2025; course 2 is 12 months after its last day: Fri 12 Jun
    # 2026. Its three days cannot all be working days from a Friday, so it starts the next
    # Monday, 15 Jun — never Wed 10 Jun, two days early.
    july = {"INFUSE_TODAY": "2025-07-01"}
    assert (
        run(
            "log", "add", "--drug", "lemtrada", "--date", "2025-06-08", "--days", "5", "--first", env=july
        ).code
        == 0
    )
    data = json.loads(run("next", "--drug", "lemtrada", "--json", env=july).stdout)
    days = [(e["date"], e["book"]) for e in data["events"] if e["kind"] == "infusion"]
    assert days == [("2026-06-12", "2026-06-15"), ("2026-06-13", "2026-06-16"), ("2026-06-14", "2026-06-17")]
    text = " ".join(run("next", "--drug", "lemtrada", "--plain", env=july).stdout.split())
    assert "public holiday" not in text and "would not all be working days in a row" in text


def test_a_therapy_without_a_schedule_is_a_result_through_the_journal(run, tmp_path) -> None:
    # A three-day steroid course for a relapse, recorded; then `next` and `plan` from the journal.
    assert run("log", "add", "solu-medrol", "--date", "2025-12-01", "--days", "3").code == 0
    r = run("next", "--json")
    assert r.code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["schema"] == 2 and data["drug"] == "solu-medrol" and data["basis"] == "journal"
    assert data["end"]["kind"] == "no_schedule" and "care team" in data["end"]["text"]
    assert data["events"] == []
    text = run("next")
    assert text.code == 0 and "does not project Solu-Medrol ahead" in " ".join(text.stdout.split())
    ics = tmp_path / "relapse.ics"
    r = run("plan", "--ics", str(ics))
    assert r.code == 0 and "No calendar was written" in r.stderr and not ics.exists()


def test_log_add_and_log_list_take_the_therapy_as_an_argument(run) -> None:
    assert run("log", "add", "ocrevus", "--date", "2025-12-01", "--dose", "300 mg", "--first").code == 0
    assert run("log", "add", "--drug", "tysabri", "--date", "2025-11-03").code == 0
    listed = run("log", "list", "ocrevus", "--json")
    assert [e["drug"] for e in json.loads(listed.stdout)] == ["ocrevus"]
    r = run("log", "add", "--date", "2025-12-02")
    assert r.code == 2 and "Name the therapy given" in r.stderr
    assert run("log", "add", "ocrevus", "--drug", "tysabri", "--date", "2025-12-02").code == 2
    assert len(json.loads(run("log", "list", "--json").stdout)) == 2  # nothing more was stored
