"""`infuse drugs`, `info` and `compare` in human, plain and JSON modes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import widest

FIXTURE = Path(__file__).parent / "fixtures" / "trialmab.toml"
BOX = set("─│┌┐└┘├┤┬┴┼━┃╭╮╯╰═║")


def test_version(run) -> None:
    r = run("--version")
    assert r.code == 0
    assert r.stdout.startswith("infuse ") and r.stdout.strip().split()[1][0].isdigit()


def test_no_arguments_shows_help(run) -> None:
    r = run()
    assert "Usage" in r.stdout + r.stderr


# -------------------------------------------------------------------- drugs


def test_drugs_json_lists_all_nine_with_names(run) -> None:
    r = run("drugs", "--json")
    assert r.code == 0
    data = json.loads(r.stdout)
    assert isinstance(data, list) and len(data) >= 9
    ids = {d["id"] for d in data}
    assert {
        "ocrevus",
        "ocrevus-zunovo",
        "briumvi",
        "tysabri",
        "tyruko",
        "lemtrada",
        "mitoxantrone",
        "solu-medrol",
        "rituximab",
    } <= ids
    for d in data:
        assert d["brand"] and d["generic"] and d["schema"] == 1


def test_drugs_plain_is_a_readable_table(run) -> None:
    r = run("drugs", "--plain")
    assert r.code == 0
    for brand in ("Ocrevus", "Briumvi", "Tysabri", "Tyruko", "Lemtrada", "Rituxan"):
        assert brand in r.stdout
    assert "every 6 months" in r.stdout
    assert "off-label" in r.stdout
    assert not BOX & set(r.stdout)
    assert "\x1b" not in r.stdout


def test_drugs_for_ppms_lists_only_ppms_therapies(run) -> None:
    data = json.loads(run("drugs", "--for", "ppms", "--json").stdout)
    ids = {d["id"] for d in data}
    assert "ocrevus" in ids
    assert "tysabri" not in ids and "briumvi" not in ids
    assert all("PPMS" in d["approved_for"] for d in data)


def test_drugs_target_filter(run) -> None:
    data = json.loads(run("drugs", "--target", "cd20", "--json").stdout)
    ids = {d["id"] for d in data}
    assert {"ocrevus", "briumvi"} <= ids
    assert "tysabri" not in ids and "lemtrada" not in ids


def test_drugs_with_an_unknown_form_is_bad_usage(run) -> None:
    r = run("drugs", "--for", "XMS")
    assert r.code == 2
    assert r.stderr.startswith("Error: ") and "CIS, RRMS, SPMS, PPMS" in r.stderr
    assert r.stdout == ""


def test_drugs_marks_a_local_therapy(run, home: Path) -> None:
    user = home / "config" / "therapies"
    user.mkdir(parents=True)
    shutil.copy(FIXTURE, user / "trialmab.toml")
    data = {d["id"]: d for d in json.loads(run("drugs", "--json").stdout)}
    assert data["trialmab"]["local"] is True and data["ocrevus"]["local"] is False
    assert "local" in run("drugs", "--plain").stdout


def test_a_broken_local_file_is_one_clear_error(run, home: Path) -> None:
    user = home / "config" / "therapies"
    user.mkdir(parents=True)
    (user / "mine.toml").write_text('id = "mine"\nbrand = \n', encoding="utf-8")
    r = run("drugs")
    assert r.code == 1
    assert r.stderr.startswith("Error: ") and "mine.toml" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_drugs_rich_mode_uses_colour_when_forced(run) -> None:
    r = run("drugs", env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert r.code == 0
    assert "\x1b[" in r.stdout


# -------------------------------------------------------------------- info


def test_info_shows_every_group_of_the_card(run) -> None:
    r = run("info", "ocrevus", "--plain")
    assert r.code == 0
    for heading in (
        "What it is",
        "Schedule",
        "The visit",
        "Before you start",
        "Monitoring",
        "Common side effects",
        "Who should not take it",
        "Sources",
    ):
        assert heading in r.stdout
    assert "300 mg" in r.stdout and "600 mg" in r.stdout and "6 months" in r.stdout


def test_info_json_has_the_whole_record(run) -> None:
    data = json.loads(run("info", "Briumvi", "--json").stdout)
    for key in ("id", "brand", "generic", "target", "route", "status", "approved_for", "regimen", "sources"):
        assert key in data
    assert data["id"] == "briumvi"
    assert set(data["approved_for"]) <= {"CIS", "RRMS", "SPMS", "PPMS"}
    assert data["regimen"]["phases"][0]["doses"][0]["amount"] == 150
    assert data["reviewed"][:4].isdigit() and data["reviewed"][4] == "-"


def test_info_natalizumab_asks_which_one(run) -> None:
    r = run("info", "natalizumab")
    assert r.code == 1
    assert "Tysabri" in r.stderr and "Tyruko" in r.stderr
    assert r.stdout == ""


def test_info_with_a_typo_suggests(run) -> None:
    r = run("info", "ocrevsu")
    assert r.code == 1
    assert "Did you mean Ocrevus?" in r.stderr


def test_info_rich_output_shows_user_text_literally(run, home: Path) -> None:
    user = home / "config" / "therapies"
    user.mkdir(parents=True)
    text = FIXTURE.read_text(encoding="utf-8").replace(
        'summary = "A trial drug given by the study protocol."',
        'summary = "[bold red]not markup[/bold red] [link=https://x.example]x[/link]"',
    )
    (user / "trialmab.toml").write_text(text, encoding="utf-8")
    r = run("info", "trialmab", env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "[bold red]not markup[/bold red]" in r.stdout
    assert "\x1b]8;" not in r.stdout  # no hyperlink escape


# -------------------------------------------------------------------- compare


@pytest.mark.parametrize("columns", [80, 60, 40])
def test_compare_fits_the_terminal_and_cuts_nothing(run, columns: int) -> None:
    r = run("compare", "tysabri", "briumvi", "--plain", env={"COLUMNS": str(columns)})
    assert r.code == 0
    assert widest(r.stdout) <= columns
    assert "Tysabri" in r.stdout and "Briumvi" in r.stdout
    # Every word of a long cell is still there after wrapping.
    flat = " ".join(r.stdout.split())
    assert "every 24 weeks" in flat
    assert "…" not in r.stdout


def test_compare_rich_fits_80_columns(run) -> None:
    r = run("compare", "tysabri", "briumvi", env={"FORCE_COLOR": "1", "NO_COLOR": "", "COLUMNS": "80"})
    assert r.code == 0
    assert "\x1b[" in r.stdout
    assert widest(r.stdout) <= 80
    assert "…" not in r.stdout


def test_compare_counts_a_year_from_the_schedule(run) -> None:
    data = json.loads(run("compare", "tysabri", "briumvi", "--only", "year", "--json").stdout)
    rows = {r["label"]: r["values"] for r in data["groups"][0]["rows"]}
    # Tysabri every 4 weeks: days 0, 28, ..., 364 -> 14 in the first 12 months.
    assert rows["Infusion days, year 1"]["tysabri"] == 14
    # Briumvi: day 1, day 15, week 24, week 48 in the first year; weeks 72 and 96 in the second.
    assert rows["Infusion days, year 1"]["briumvi"] == 4
    assert rows["Infusion days, year 2"]["briumvi"] == 2


def test_compare_json_carries_numbers_and_null(run) -> None:
    data = json.loads(run("compare", "tysabri", "solu-medrol", "--json").stdout)
    rows = {r["label"]: r for g in data["groups"] for r in g["rows"]}
    assert rows["FDA approval (MS)"]["values"] == {"tysabri": 2004, "solu-medrol": None}
    days = rows["Infusion days, year 1"]
    assert days["values"]["tysabri"] == 14 and days["values"]["solu-medrol"] is None
    assert days["none_means"] == "as needed"
    assert isinstance(rows["Hours at clinic, year 1"]["values"]["tysabri"], int | float)
    text = run("compare", "tysabri", "solu-medrol", "--plain").stdout
    assert "as needed" in text and "2004" in text


def test_compare_only_picks_groups(run) -> None:
    data = json.loads(run("compare", "ocrevus", "lemtrada", "--only", "schedule,risks", "--json").stdout)
    assert [g["id"] for g in data["groups"]] == ["schedule", "risks"]
    assert data["therapies"] == ["ocrevus", "lemtrada"]


def test_compare_unknown_group_is_bad_usage(run) -> None:
    r = run("compare", "ocrevus", "lemtrada", "--only", "prices")
    assert r.code == 2 and "'prices' is not a row group" in r.stderr


def test_compare_needs_two_therapies(run) -> None:
    r = run("compare", "ocrevus")
    assert r.code == 2 and "at least two" in r.stderr
    r = run("compare", "ocrevus", "Ocrevus®")
    assert r.code == 2


def test_compare_with_an_ambiguous_name_changes_nothing_and_says_why(run) -> None:
    r = run("compare", "natalizumab", "briumvi")
    assert r.code == 1 and "Tyruko" in r.stderr and r.stdout == ""


def test_bad_option_is_exit_2_with_one_sentence(run) -> None:
    r = run("drugs", "--bogus")
    assert r.code == 2
    assert r.stderr.startswith("Error: No such option")
    assert "infuse drugs --help" in r.stderr
