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
    assert "first dose, infusion 1 of 2" in listed and "infuse log edit ID --first" in " ".join(listed.split())


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
