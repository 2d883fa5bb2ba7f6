"""`infuse plan`: a readable year at 80 and 40 columns, in colour and plain."""

from __future__ import annotations

import json

import pytest

from conftest import visible, widest

BOX = set("─│┌┐└┘├┤┬┴┼━┃╭╮╯╰═║")


@pytest.mark.parametrize("columns", [80, 40])
def test_a_year_fits_the_terminal(run, columns: int) -> None:
    r = run(
        "plan",
        "--drug",
        "ocrevus",
        "--last",
        "2026-05-12",
        "--plain",
        env={"INFUSE_TODAY": "2026-06-01", "COLUMNS": str(columns)},
    )
    assert r.code == 0
    assert widest(r.stdout) <= columns
    for month in ("June 2026", "November 2026", "May 2027"):
        assert month in r.stdout
    assert not BOX & set(r.stdout) and "\x1b" not in r.stdout


def test_three_months_side_by_side_at_80_columns(run) -> None:
    r = run(
        "plan",
        "--drug",
        "ocrevus",
        "--last",
        "2026-05-12",
        "--plain",
        env={"INFUSE_TODAY": "2026-06-01", "COLUMNS": "80"},
    )
    header = next(line for line in r.stdout.splitlines() if "June 2026" in line)
    assert "July 2026" in header and "August 2026" in header


def test_infusion_days_are_marked_with_a_symbol_and_listed(run) -> None:
    r = run(
        "plan",
        "--drug",
        "ocrevus",
        "--last",
        "2026-05-12",
        "--plain",
        env={"INFUSE_TODAY": "2026-06-01", "COLUMNS": "80"},
    )
    # 12 Nov 2026 is 6 months after 12 May 2026 (a Thursday): marked '12*'.
    assert "12*" in r.stdout
    assert "* Thu 12 Nov 2026: Ocrevus infusion: later doses (600 mg)" in r.stdout
    assert "Legend:" in r.stdout and "* infusion day" in r.stdout


def test_colour_mode_keeps_the_same_marks(run) -> None:
    r = run(
        "plan",
        "--drug",
        "ocrevus",
        "--last",
        "2026-05-12",
        env={"INFUSE_TODAY": "2026-06-01", "COLUMNS": "80", "FORCE_COLOR": "1", "NO_COLOR": ""},
    )
    assert "\x1b[" in r.stdout
    assert "12*" in visible(r.stdout)
    assert widest(r.stdout) <= 80


def test_plan_json_lists_events_within_the_months(run) -> None:
    r = run(
        "plan",
        "--drug",
        "tysabri",
        "--start",
        "2026-01-05",
        "--months",
        "3",
        "--json",
        env={"INFUSE_TODAY": "2026-01-05"},
    )
    data = json.loads(r.stdout)
    infusions = [e["date"] for e in data["events"] if e["kind"] == "infusion"]
    # Every 4 weeks from 5 Jan 2026, within January–March: 2 Feb, 2 Mar, 30 Mar.
    assert infusions == ["2026-02-02", "2026-03-02", "2026-03-30"]


def test_plan_for_a_relapse_treatment_explains(run) -> None:
    r = run("plan", "--drug", "solu-medrol", "--plain")
    assert r.code == 0 and "does not project" in r.stdout
