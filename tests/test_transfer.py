"""Export, import, backup and restore: nothing lost, nothing doubled, nothing half-done."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import stat
from pathlib import Path

T = {"INFUSE_TODAY": "2026-06-01"}


def seed(run) -> None:
    run("log", "add", "--drug", "ocrevus", "--date", "2025-11-10", "--first", env=T)
    run(
        "log",
        "add",
        "--drug",
        "ocrevus",
        "--date",
        "2025-11-24",
        "--note",
        '=1+1, "quoted"\nnext line',
        env=T,
    )
    run(
        "reaction",
        "add",
        "--infusion",
        "1",
        "--symptom",
        "itching",
        "--severity",
        "6",
        "--hours-after",
        "2",
        env=T,
    )
    run("reaction", "add", "--date", "2026-01-03", "--symptom", "@headache", "--severity", "2", env=T)


def test_export_import_export_round_trips(run, tmp_path: Path, home: Path) -> None:
    seed(run)
    first = tmp_path / "a.json"
    assert run("export", "--out", str(first)).code == 0
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    other = {"INFUSE_HOME": str(tmp_path / "other"), **T}
    assert run("import", str(first), env=other).code == 0
    again = run("export", env=other).stdout
    assert json.loads(again) == json.loads(first.read_text(encoding="utf-8"))
    data = json.loads(again)
    assert len(data["infusions"]) == 2 and len(data["reactions"]) == 2
    assert data["reactions"][0]["infusion"] == ["ocrevus", "2025-11-10"]


def test_importing_twice_adds_nothing(run, tmp_path: Path) -> None:
    seed(run)
    path = tmp_path / "a.json"
    run("export", "--out", str(path))
    other = {"INFUSE_HOME": str(tmp_path / "other"), **T}
    run("import", str(path), env=other)
    r = run("import", str(path), env=other)
    assert "Imported nothing new; already there: 2 infusions" in r.stderr
    assert len(json.loads(run("log", "list", "--json", env=other).stdout)) == 2


def test_a_bad_import_writes_nothing(run, tmp_path: Path, home: Path) -> None:
    seed(run)
    journal = home / "data" / "journal.sqlite3"
    before = journal.read_bytes()
    good = json.loads(run("export").stdout)
    bad = dict(good, infusions=[*good["infusions"], {"drug": "nosuchdrug", "date": "2026-01-01"}])
    cases = {
        "unknown.json": json.dumps(bad),
        "future.json": json.dumps(dict(good, infusions=[{"drug": "ocrevus", "date": "2030-01-01"}])),
        "garbage.json": "not json at all",
        "other.json": json.dumps({"hello": "world"}),
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        r = run("import", str(path), env=T)
        assert r.code == 1 and r.stderr.startswith("Error: ") and "nothing was imported" in r.stderr
        assert journal.read_bytes() == before
    r = run("import", str(tmp_path), env=T)
    assert r.code == 1 and "folder" in r.stderr
    r = run("import", str(tmp_path / "missing.json"), env=T)
    assert r.code == 1 and "Cannot read" in r.stderr


def test_csv_is_safe_in_a_spreadsheet(run) -> None:
    seed(run)
    text = run("export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    notes = [r["note"] for r in rows if r["type"] == "infusion"]
    assert '\'=1+1, "quoted"\nnext line' in notes  # neutralised, commas and newline kept in the cell
    assert "'@headache" in [r["symptom"] for r in rows if r["type"] == "reaction"]
    assert all(not (v or "").startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


def test_backup_and_restore(run, tmp_path: Path, home: Path) -> None:
    seed(run)
    copy = tmp_path / "b.sqlite3"
    assert run("backup", str(copy)).code == 0
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert sqlite3.connect(copy).execute("SELECT count(*) FROM infusions").fetchone()[0] == 2
    run("log", "rm", "2", "--yes")
    assert run("restore", str(copy), "--yes").code == 0
    assert len(json.loads(run("log", "list", "--json").stdout)) == 2
    kept = list((home / "data" / "backups").glob("before-restore-*.sqlite3"))
    assert len(kept) == 1


def test_restore_refuses_what_is_not_a_journal(run, tmp_path: Path, home: Path) -> None:
    seed(run)
    journal = home / "data" / "journal.sqlite3"
    before = journal.read_bytes()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"junk" * 1000)
    foreign = tmp_path / "foreign.sqlite3"
    sqlite3.connect(foreign).executescript("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
    for path in (junk, foreign):
        r = run("restore", str(path), "--yes")
        assert r.code == 1 and "nothing was changed" in r.stderr, r
        assert journal.read_bytes() == before
    r = run("restore", str(tmp_path / "missing.sqlite3"), "--yes")
    assert r.code == 1 and "There is no file at" in r.stderr, r
    assert journal.read_bytes() == before


def test_default_backup_goes_to_the_backups_folder(run, home: Path) -> None:
    seed(run)
    assert run("backup").code == 0
    folder = home / "data" / "backups"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert len(list(folder.glob("journal-*.sqlite3"))) == 1


def test_backup_with_no_journal_is_a_clear_error(run) -> None:
    r = run("backup")
    assert r.code == 1 and "no journal" in r.stderr


def test_journal_timeline_and_trend(run) -> None:
    seed(run)
    run("reaction", "add", "--infusion", "2", "--symptom", "rash", "--severity", "3", env=T)
    r = run("journal", "--plain", env=T)
    assert "Mon 10 Nov 2025: itching, 6/10, 2 h after" in r.stdout
    assert "worst 3/10 (rash) — milder" in r.stdout
    data = json.loads(run("journal", "--json", env=T).stdout)
    assert [s["change"] for s in data["trends"]["ocrevus"]] == ["first", "milder"]
    # Later doses count from infusion 1 (10 Nov 2025) + 6 months = 10 May 2026: overdue on 1 Jun.
    assert data["next"]["ocrevus"]["date"] == "2026-05-10"
    assert data["next"]["ocrevus"]["overdue_days"] == 22


def test_reaction_input_is_checked(run) -> None:
    seed(run)
    assert run("reaction", "add", "--symptom", "x", "--severity", "11", "--infusion", "1").code == 2
    assert run("reaction", "add", "--symptom", "x", "--severity", "3").code == 2
    r = run("reaction", "add", "--symptom", "x", "--severity", "3", "--infusion", "99")
    assert r.code == 1 and "no infusion number 99" in r.stderr


def test_the_label_symptom_list_is_offered(run) -> None:
    r = run("reaction", "symptoms", "--drug", "ocrevus", "--plain")
    assert r.code == 0 and "rash" in r.stdout and "Free text is fine" in r.stdout


def test_a_csv_round_trip_keeps_notes_that_begin_like_formulas_or_with_an_apostrophe(
    run, tmp_path, monkeypatch
) -> None:
    notes = ["'=quoted", "'plain", "=1+1", "-3 mg", "@home", "''two"]
    for k, note in enumerate(notes):
        assert run("log", "add", "tysabri", "--date", f"2025-0{k + 1}-05", "--note", note).code == 0
    out = tmp_path / "journal.csv"
    assert run("export", "--format", "csv", "--out", str(out)).code == 0
    monkeypatch.setenv("INFUSE_HOME", str(tmp_path / "elsewhere"))
    imported = run("import", str(out))
    assert imported.code == 0 and "Imported 6 infusions" in imported.stderr
    back = json.loads(run("export").stdout)
    assert sorted(e["note"] for e in back["infusions"]) == sorted(notes)


def test_a_backup_never_replaces_a_file_and_no_journal_creates_nothing(run, home, tmp_path) -> None:
    r = run("backup")
    assert r.code == 1 and "no journal to back up" in r.stderr
    assert not (home / "data").exists()  # not even the backups folder
    assert run("log", "add", "tysabri", "--date", "2025-12-01").code == 0
    mine = tmp_path / "notes.txt"
    mine.write_text("important", encoding="utf-8")
    r = run("backup", str(mine))
    assert r.code == 1 and "already exists" in r.stderr
    assert mine.read_text(encoding="utf-8") == "important"
    journal = home / "data" / "journal.sqlite3"
    before = journal.read_bytes()
    assert run("backup", str(journal)).code == 1 and journal.read_bytes() == before
    assert run("backup", str(tmp_path / "b.sqlite3")).code == 0


def test_an_import_says_when_a_reaction_loses_its_link(run, tmp_path) -> None:
    data = {
        "schema": 2,
        "format": "infuse-journal",
        "infusions": [],
        "reactions": [
            {
                "date": "2025-12-02",
                "symptom": "headache",
                "severity": 3,
                "infusion": ["tysabri", "2025-12-01"],
            }
        ],
    }
    path = tmp_path / "reactions.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    r = run("import", str(path))
    assert r.code == 0 and "Imported 1 reaction." in r.stderr
    assert "1 reactions name an infusion that is neither in the file nor in the journal" in r.stderr
    assert json.loads(run("export").stdout)["reactions"][0]["infusion"] is None


def test_an_export_with_no_entries_imports_nothing_and_creates_no_journal(run, home, tmp_path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("type,drug,date,dose,site,start_time,duration_min,note,first,symptom,severity,"
                    "hours_after,after_infusion\r\n", encoding="utf-8")  # fmt: skip
    r = run("import", str(path))
    assert r.code == 0 and "holds no entries" in r.stderr
    assert not (home / "data" / "journal.sqlite3").exists()
