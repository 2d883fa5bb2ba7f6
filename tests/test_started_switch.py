"""The `started` setting after a switch: it is the start of the therapy given after it,
not of one taken up later.

Briumvi later infusions: 450 mg every 24 weeks (label §2.1; data/therapies/briumvi.toml).
With no first infusion marked, the newest entry (Mon 16 Nov 2026) is taken as a later
dose: 16 Nov 2026 + 24 weeks = Mon 3 May 2027.
"""

from __future__ import annotations

import json

TODAY = {"INFUSE_TODAY": "2026-12-03"}


def test_a_start_before_another_therapys_infusions_is_not_taken_for_the_new_one(run) -> None:
    assert run("log", "add", "ocrevus", "--date", "2025-07-07", "--date", "2026-01-07", env=TODAY).code == 0
    assert run("config", "set", "started", "2024-12-02", env=TODAY).code == 0
    assert run("log", "add", "briumvi", "--date", "2026-11-02", "--date", "2026-11-16", env=TODAY).code == 0

    data = json.loads(run("next", "--json", env=TODAY).stdout)
    assert data["drug"] == "briumvi"
    assert data["events"][0]["date"] == "2027-05-03"
    assert "2024-12-02" not in (data["assumed"] or "")
    assert any("comes before your Ocrevus infusions" in n for n in data["notes"])
    assert not any("sooner than" in n for n in data["notes"])  # no false early-dose warning

    ocrevus = json.loads(run("next", "--drug", "ocrevus", "--json", env=TODAY).stdout)
    assert "taken as 2024-12-02" in ocrevus["assumed"]  # still Ocrevus's own start


def test_a_steroid_course_between_is_no_switch(run) -> None:
    assert run("config", "set", "started", "2026-06-01", env=TODAY).code == 0
    assert run("log", "add", "solu-medrol", "--date", "2026-06-20", env=TODAY).code == 0
    assert run("log", "add", "ocrevus", "--date", "2026-07-05", env=TODAY).code == 0
    data = json.loads(run("next", "--drug", "ocrevus", "--json", env=TODAY).stdout)
    assert "taken as 2026-06-01" in data["assumed"]


def test_the_journal_plans_only_the_therapy_next_plans_after_a_switch(run) -> None:
    # Tysabri stopped after 31 Mar 2026; Ocrevus 600 mg on Mon 16 Nov 2026 → every 6 months
    # (label §2.3): Sun 16 May 2027, booked on the working day after, Mon 17 May 2027.
    for day in ("2026-01-06", "2026-02-03", "2026-03-03", "2026-03-31"):
        assert run("log", "add", "tysabri", "--date", day, env=TODAY).code == 0
    assert run("log", "add", "ocrevus", "--date", "2026-11-16", "--dose", "600 mg", env=TODAY).code == 0
    data = json.loads(run("journal", "--json", env=TODAY).stdout)
    assert set(data["next"]) == {"ocrevus"} and data["next"]["ocrevus"]["date"] == "2027-05-16"
    out = run("journal", "--plain", env=TODAY).stdout
    assert "next Tysabri" not in out and "Mon 17 May 2027: next Ocrevus infusion (planned)" in out
