"""Defects found in review: each is reproduced here through the command line."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from conftest import visible

T = {"INFUSE_TODAY": "2026-06-01"}


def journal(home: Path) -> Path:
    return home / "data" / "journal.sqlite3"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["log", "edit", "99999999999999999999", "--note", "x"], 2),
        (["log", "rm", "99999999999999999999", "--yes"], 2),
        (["reaction", "add", "--infusion", "99999999999999999999", "--symptom", "x", "--severity", "1"], 2),
        (["log", "list", "--limit", "99999999999999999999"], 2),
        (["config", "set", "remind_days", "²"], 2),
        (["compare", "ocrevus", "tysabri", "--only", ",,"], 2),
        (["backup", ""], 2),
        (["next", "--drug", "ocrevus", "--start", ""], 2),
        (["next", "--drug", "tysabri", "--interval-option", ""], 1),
    ],
)
def test_odd_input_is_one_sentence_not_a_traceback(run, args: list[str], code: int) -> None:
    r = run(*args, env=T)
    assert r.code == code, r
    assert r.stderr.startswith("Error: ") and len(r.stderr.strip().splitlines()) == 1


def test_text_that_is_not_utf8_is_refused_and_nothing_is_written(run, home: Path) -> None:
    r = run("log", "add", "--drug", "ocrevus", "--date", "today", "--note", "caf\udce9", env=T)
    assert r.code == 2 and "UTF-8" in r.stderr
    assert not journal(home).exists()


def test_a_failed_first_write_leaves_no_journal(run, home: Path) -> None:
    for args in (
        ["log", "undo"],
        ["log", "edit", "5", "--note", "x"],
        ["reaction", "add", "--date", "2099-01-01", "--symptom", "x", "--severity", "1"],
    ):
        code = 2 if args[0] == "reaction" else 1  # a date in the future is a bad option value
        assert run(*args, env=T).code == code, args
    assert not journal(home).exists()


def test_the_end_of_the_calendar_is_a_clear_error(run, tmp_path: Path) -> None:
    r = run(
        "next",
        "--drug",
        "ocrevus-zunovo",
        "--start",
        "9999-12-31",
        "--count",
        "1",
        "--ics",
        str(tmp_path / "x.ics"),
        env={"INFUSE_TODAY": "9999-12-30"},
    )
    assert r.code == 1 and "outside the calendar" in r.stderr


def test_an_export_through_a_link_updates_the_linked_file(run, tmp_path: Path) -> None:
    real = tmp_path / "real.ics"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.ics"
    link.symlink_to(real)
    assert run("next", "--drug", "ocrevus", "--ics", str(link), env=T).code == 0
    assert link.is_symlink() and real.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_a_device_is_never_replaced(run) -> None:
    r = run("next", "--drug", "ocrevus", "--ics", "/dev/null", env=T)
    assert r.code == 1 and "not a regular file" in r.stderr
    assert not Path("/dev/null").is_file()


def test_a_damaged_journal_can_be_restored(run, home: Path, tmp_path: Path) -> None:
    run("log", "add", "--drug", "tysabri", "--date", "2026-01-01", env=T)
    good = tmp_path / "good#1.sqlite3"  # a '#' in the name, too
    assert run("backup", str(good)).code == 0
    journal(home).write_bytes(b"junk" * 100)
    assert run("restore", str(good), "--yes").code == 0
    assert len(json.loads(run("log", "list", "--json").stdout)) == 1
    kept = list((home / "data" / "backups").glob("before-restore-*"))
    assert [k.read_bytes() for k in kept] == [b"junk" * 100]


def test_two_restores_in_a_row_keep_both_old_journals(run, home: Path, tmp_path: Path) -> None:
    run("log", "add", "--drug", "tysabri", "--date", "2026-01-01", env=T)
    copy = tmp_path / "a.sqlite3"
    run("backup", str(copy))
    run("restore", str(copy), "--yes")
    run("restore", str(copy), "--yes")
    assert len(list((home / "data" / "backups").glob("before-restore-*"))) == 2


def test_escape_sequences_in_notes_are_shown_not_sent_to_the_terminal(run) -> None:
    note = "\x1b]0;pwned\x07\x1b[2J[bold]x[/bold]\u202e"
    run("log", "add", "--drug", "tysabri", "--date", "2026-01-01", "--note", note, env=T)
    for args in (["log", "list", "--plain"], ["journal", "--plain"], ["log", "list"]):
        out = run(*args, env={**T, "FORCE_COLOR": "1", "NO_COLOR": ""} if args == ["log", "list"] else T)
        text = out.stdout
        assert "\x1b]" not in text and "\x07" not in text and "\u202e" not in text
        unwrapped = "".join(visible(text).split())
        assert "^[]0;pwned^G^[[2J[bold]x[/bold]<U+202E>" in unwrapped
    stored = json.loads(run("log", "list", "--json").stdout)[0]["note"]
    assert stored == note  # stored verbatim


def test_passed_vaccine_deadlines_say_so_in_words(run) -> None:
    r = run(
        "next",
        "--drug",
        "lemtrada",
        "--start",
        "2026-01-05",
        "--all",
        "--count",
        "1",
        "--plain",
        env={"INFUSE_TODAY": "2026-01-01"},
    )
    assert "this date has passed: ask your care team" in r.stdout


def test_profile_paths_show_its_own_backups(run, home: Path) -> None:
    assert run("profiles", "add", "mum").code == 0
    data = json.loads(run("--profile", "mum", "paths", "--json").stdout)
    assert data["backups"] == str(home / "data" / "profiles" / "mum" / "backups")


def test_import_rejects_impossible_reactions(run, tmp_path: Path, home: Path) -> None:
    export = {
        "schema": 1,
        "format": "infuse-journal",
        "infusions": [],
        "reactions": [{"date": "2030-01-01", "symptom": "x", "severity": 1}],
    }
    path = tmp_path / "x.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    r = run("import", str(path), env=T)
    assert r.code == 1 and "nothing was imported" in r.stderr
    export = {
        "schema": 1,
        "format": "infuse-journal",
        "infusions": [{"drug": "tysabri", "date": "2026-01-01", "duration_min": 1180591620717411303424}],
    }
    path.write_text(json.dumps(export), encoding="utf-8")
    r = run("import", str(path), env=T)
    assert r.code == 1 and "nothing was imported" in r.stderr
    assert not journal(home).exists()


def test_lemtrada_further_courses_read_well(run) -> None:
    r = run(
        "next",
        "--drug",
        "lemtrada",
        "--start",
        "2026-01-05",
        "--count",
        "9",
        "--plain",
        env={"INFUSE_TODAY": "2026-01-01"},
    )
    assert "further further" not in r.stdout and "Further courses, only if needed: given only" in r.stdout


def test_written_files_stay_owner_only(run, tmp_path: Path) -> None:
    run("log", "add", "--drug", "tysabri", "--date", "2026-01-01", env=T)
    out = tmp_path / "e.json"
    run("export", "--out", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
