"""`infuse next` from the command line."""

from __future__ import annotations

import json

import pytest


def events(run, *args: str, today: str = "2026-01-05") -> dict:
    r = run("next", *args, "--json", env={"INFUSE_TODAY": today})
    assert r.code == 0, r
    return json.loads(r.stdout)


def test_the_done_when_case(run) -> None:
    data = events(run, "--drug", "ocrevus", "--start", "2026-01-05")
    assert data["drug"] == "ocrevus"
    got = [(e["date"], e["book"], e["kind"]) for e in data["events"]]
    assert got == [
        ("2026-01-19", "2026-01-19", "infusion"),
        ("2026-07-05", "2026-07-06", "infusion"),
        ("2027-01-05", "2027-01-05", "infusion"),
    ]
    for e in data["events"]:
        assert e["dose"] and e["phase"] and e["why"]
        assert "earliest" in e
    assert "§2.3" in data["events"][1]["why"]["text"]
    assert data["events"][1]["why"]["section"].startswith("§2.3")


def test_with_no_dates_it_shows_the_schedule_if_you_started_today(run) -> None:
    r = run("next", "--drug", "ocrevus", "--plain")
    assert r.code == 0
    assert "if your first infusion were today" in r.stdout
    assert "--start YYYY-MM-DD" in r.stdout
    assert "Mon 5 Jan 2026" in r.stdout  # today's first infusion is listed


def test_human_output_shows_weekday_distance_and_why(run) -> None:
    r = run(
        "next", "--drug", "ocrevus", "--last", "2025-12-01", "--plain", env={"INFUSE_TODAY": "2026-01-05"}
    )
    assert "Mon 1 Jun 2026 — in 147 days" in r.stdout
    assert "Why:           6 months after your last dose (Mon 1 Dec 2025)" in r.stdout


def test_overdue_is_said_in_words(run) -> None:
    r = run(
        "next", "--drug", "ocrevus", "--last", "2026-05-12", "--plain", env={"INFUSE_TODAY": "2026-12-01"}
    )
    assert "OVERDUE by 19 days — contact your care team to book it" in r.stdout
    data = events(run, "--drug", "ocrevus", "--last", "2026-05-12", today="2026-12-01")
    first = data["events"][0]
    assert first["overdue"] is True and first["overdue_days"] == 19 and first["book"] == "2026-12-01"


def test_count_and_all(run) -> None:
    data = events(run, "--drug", "tysabri", "--start", "2026-01-05", "--count", "5", "--all")
    infusions = [e for e in data["events"] if e["kind"] == "infusion"]
    assert len(infusions) == 5
    assert any(e["kind"] != "infusion" for e in data["events"])


def test_delay_what_if(run) -> None:
    data = events(run, "--drug", "ocrevus", "--last", "2026-05-12", "--delay", "14", today="2026-06-01")
    first, second = data["events"][0], data["events"][1]
    assert (first["date"], first["delayed_from"]) == ("2026-11-26", "2026-11-12")
    assert second["date"] == "2027-05-26"


def test_country_holidays_move_the_booking_day(run) -> None:
    # Tysabri every 4 weeks from Mon 25 May 2026 ... 4 weeks after Mon 25 May 2026 is
    # Mon 22 Jun; from Mon 8 Jun 2026 the 4th dose is Mon 31 Aug; choose a start landing
    # on US Labor Day, Mon 7 Sep 2026: start Mon 10 Aug 2026 -> 7 Sep 2026.
    data = events(
        run,
        "--drug",
        "tysabri",
        "--start",
        "2026-08-10",
        "--count",
        "1",
        "--country",
        "US",
        today="2026-08-10",
    )
    first = data["events"][0]
    assert first["date"] == "2026-09-07"
    assert first["book"] == "2026-09-08"  # Tuesday; Friday 4 Sep is 3 days away
    plain = events(run, "--drug", "tysabri", "--start", "2026-08-10", "--count", "1", today="2026-08-10")
    assert plain["events"][0]["book"] == "2026-09-07"


def test_extended_interval_is_explicit_and_labelled(run) -> None:
    data = events(run, "--drug", "tysabri", "--start", "2026-01-05", "--interval-option", "extended")
    assert data["events"][0]["date"] == "2026-02-16"
    assert "off-label" in data["events"][0]["why"]["text"]
    assert data["events"][0]["why"]["off_label"] is True
    default = events(run, "--drug", "tysabri", "--start", "2026-01-05")
    assert default["events"][0]["date"] == "2026-02-02"


@pytest.mark.parametrize("drug", ["solu-medrol", "rituximab"])
def test_therapies_without_a_projection_explain_and_exit_0(run, drug: str) -> None:
    r = run("next", "--drug", drug, "--plain")
    assert r.code == 0
    assert "does not project" in r.stdout or "no US-labelled schedule" in r.stdout


def test_mitoxantrone_says_where_the_limit_ends_the_plan(run) -> None:
    r = run(
        "next",
        "--drug",
        "mitoxantrone",
        "--start",
        "2026-01-31",
        "--count",
        "20",
        "--plain",
        env={"INFUSE_TODAY": "2026-01-01"},
    )
    assert r.code == 0 and "lifetime limit of 140" in r.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--drug", "ocrevus", "--start", "03/04/2026"], "could be"),
        (["--drug", "ocrevus", "--start", "2026-02-30"], "February 2026 has no day 30"),
        (["--drug", "ocrevus", "--start", "2026-01-05", "--last", "2026-01-05"], "either --start or --last"),
        (["--drug", "ocrevus", "--last", "2027-01-01"], "cannot be after today"),
        (["--drug", "ocrevus", "--count", "0"], "--count"),
        (["--drug", "ocrevus", "--country", "XX"], "not a country code"),
        (["--drug", "tysabri", "--interval-option", "weekly"], "no interval option"),
        ([], "Name a therapy with --drug"),
    ],
)
def test_bad_input_is_one_sentence_and_no_output(run, args: list[str], words: str) -> None:
    r = run("next", *args)
    assert r.code == (1 if "--interval-option" in args else 2), r
    assert r.stderr.startswith("Error: ") and words in r.stderr
    assert r.stdout == ""


def test_infuse_today_must_be_a_date(run) -> None:
    r = run("next", "--drug", "ocrevus", env={"INFUSE_TODAY": "soon"})
    assert r.code == 2 and "INFUSE_TODAY" in r.stderr


def test_all_shows_natalizumab_program_check_ins(run) -> None:
    # TOUCH: 3 and 6 months after the first infusion, then every 6 months:
    # first infusion 5 Jan 2026 -> 5 Apr 2026, 5 Jul 2026, 5 Jan 2027.
    data = events(run, "--drug", "tysabri", "--start", "2026-01-05", "--count", "14", "--all")
    checks = [e["date"] for e in data["events"] if e["kind"] == "monitoring" and "TOUCH" in e["what"]]
    assert checks[:3] == ["2026-04-05", "2026-07-05", "2027-01-05"]


def test_all_shows_lemtrada_monthly_and_thyroid_tests(run) -> None:
    # Course 1 from Mon 5 Jan 2026: monthly blood tests from 5 Feb 2026; thyroid every
    # 3 months: 5 Apr, 5 Jul, 5 Oct 2026.
    data = events(
        run, "--drug", "lemtrada", "--start", "2026-01-05", "--count", "8", "--all", today="2026-01-01"
    )
    monitoring = [(e["date"], e["what"]) for e in data["events"] if e["kind"] == "monitoring"]
    assert ("2026-02-05", "Complete blood count with differential") in monitoring
    thyroid = [d for d, what in monitoring if what.startswith("Thyroid")]
    assert thyroid[:3] == ["2026-04-05", "2026-07-05", "2026-10-05"]


def test_a_vaccine_deadline_that_has_passed_is_flagged(run) -> None:
    # Lemtrada asks for vaccines at least 6 weeks before starting: start 5 Jan 2026 ->
    # 24 Nov 2025, already past on 1 Jan 2026.
    data = events(
        run, "--drug", "lemtrada", "--start", "2026-01-05", "--count", "1", "--all", today="2026-01-01"
    )
    vaccines = [e for e in data["events"] if e["kind"] == "vaccine"]
    assert vaccines and vaccines[0]["date"] == "2025-11-24" and vaccines[0]["overdue"] is True


def test_mitoxantrone_heart_test_before_each_dose(run) -> None:
    data = events(
        run, "--drug", "mitoxantrone", "--start", "2026-01-31", "--count", "2", "--all", today="2026-01-01"
    )
    # Sat 31 Jan 2026 is booked Fri 30 Jan; Thu 30 Apr 2026 stays. The heart test is due
    # before each of them.
    heart = {e["date"] for e in data["events"] if e["kind"] == "monitoring" and "heart" in e["what"].lower()}
    assert {"2026-01-30", "2026-04-30"} <= heart


def test_a_split_dose_on_a_weekend_is_not_called_a_course(run) -> None:
    # Start Sat 21 Nov 2026: infusion 2 is Sat 5 Dec 2026, booked Fri 4 Dec (1 day away).
    r = run(
        "next", "--drug", "ocrevus", "--start", "2026-11-21", "--plain", env={"INFUSE_TODAY": "2026-11-20"}
    )
    assert "Fri 4 Dec 2026 — the label's date, Sat 5 Dec 2026, is a weekend" in r.stdout
    assert "course" not in r.stdout


def test_why_cites_a_short_source_name(run) -> None:
    data = events(run, "--drug", "ocrevus", "--start", "2026-01-05")
    assert all(len(e["why"]["text"]) < 160 for e in data["events"])


def test_holidays_are_known_for_any_year(run) -> None:
    # 1 Jan 2041 (a Tuesday) is New Year's Day: booked Wed 2 Jan 2041 (Mon 31 Dec is 1 day
    # away too, and ties go later).
    data = events(
        run,
        "--drug",
        "ocrevus-zunovo",
        "--start",
        "2040-07-01",
        "--count",
        "1",
        "--country",
        "US",
        today="2040-07-01",
    )
    assert data["events"][0]["date"] == "2041-01-01"
    assert data["events"][0]["book"] == "2041-01-02"


def test_an_unknown_interval_option_is_refused_even_without_a_schedule(run) -> None:
    r = run("next", "solu-medrol", "--interval-option", "bogus")
    assert r.code == 1 and "no interval option called 'bogus'" in r.stderr
