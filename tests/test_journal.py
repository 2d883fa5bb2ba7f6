"""The journal: real SQLite files, real processes, and nothing lost or half-written."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

JOURNAL = ("data", "journal.sqlite3")


def journal(home: Path) -> Path:
    return home.joinpath(*JOURNAL)


def test_a_logged_dose_drives_next_and_the_file_is_private(run, home: Path) -> None:
    r = run("log", "add", "--drug", "ocrevus", "--date", "2026-05-12", env={"INFUSE_TODAY": "2026-06-01"})
    assert r.code == 0 and "Added infusion 1" in r.stderr
    data = json.loads(run("next", "--drug", "ocrevus", "--json", env={"INFUSE_TODAY": "2026-06-01"}).stdout)
    # 6 months after 12 May 2026.
    assert data["basis"] == "journal"
    assert data["events"][0]["date"] == "2026-11-12"
    assert stat.S_IMODE(journal(home).stat().st_mode) == 0o600
    assert stat.S_IMODE(journal(home).parent.stat().st_mode) == 0o700


def test_a_marked_first_infusion_gives_each_entry_its_phase(run) -> None:
    for day, extra in (("2026-01-05", ["--first"]), ("2026-01-19", [])):
        assert (
            run(
                "log", "add", "--drug", "ocrevus", "--date", day, *extra, env={"INFUSE_TODAY": "2026-02-01"}
            ).code
            == 0
        )
    entries = json.loads(run("log", "list", "--json").stdout)
    assert [(e["date"], e["phase"]) for e in entries] == [
        ("2026-01-19", "first dose, infusion 2 of 2"),
        ("2026-01-05", "first dose, infusion 1 of 2"),
    ]
    data = json.loads(run("next", "--drug", "ocrevus", "--json", env={"INFUSE_TODAY": "2026-02-01"}).stdout)
    # 6 months after infusion 1 (5 Jan 2026).
    assert data["events"][0]["date"] == "2026-07-05"


def test_lemtrada_course_days_and_mitoxantrone_dose_counts(run) -> None:
    for i, day in enumerate(["2026-03-02", "2026-03-03", "2026-03-04"]):
        run(
            "log",
            "add",
            "--drug",
            "lemtrada",
            "--date",
            day,
            *(["--first"] if i == 0 else []),
            env={"INFUSE_TODAY": "2026-03-10"},
        )
    phases = [e["phase"] for e in json.loads(run("log", "list", "--json").stdout)]
    assert phases[0].endswith("day 3 of 5")
    for i, day in enumerate(["2025-01-10", "2025-04-10", "2025-07-10"]):
        run(
            "log",
            "add",
            "--drug",
            "mitoxantrone",
            "--date",
            day,
            *(["--first"] if i == 0 else []),
            env={"INFUSE_TODAY": "2026-03-10"},
        )
    mito = json.loads(run("log", "list", "--drug", "mitoxantrone", "--json").stdout)
    assert mito[0]["phase"].endswith("dose 3 of 11")


def test_refused_writes_change_nothing(run, home: Path) -> None:
    run("log", "add", "--drug", "ocrevus", "--date", "2026-05-12", env={"INFUSE_TODAY": "2026-06-01"})
    before = journal(home).read_bytes()
    for args, code, words in (
        (["--drug", "ocrevus", "--date", "2026-05-12"], 1, "already in the journal"),
        (["--drug", "ocrevus", "--date", "2026-07-01"], 2, "in the future"),
        (["--drug", "ocrevsu", "--date", "2026-05-01"], 1, "Did you mean Ocrevus"),
        (["--drug", "ocrevus", "--date", "2026-02-30"], 2, "no day 30"),
    ):
        r = run("log", "add", *args, env={"INFUSE_TODAY": "2026-06-01"})
        assert (r.code, r.stderr.startswith("Error: ")) == (code, True) and words in r.stderr
        assert journal(home).read_bytes() == before


def test_remove_asks_and_undo_brings_back(run) -> None:
    run("log", "add", "--drug", "tysabri", "--date", "2026-05-12", env={"INFUSE_TODAY": "2026-06-01"})
    r = run("log", "rm", "1", input="n\n")
    assert r.code == 1 and len(json.loads(run("log", "list", "--json").stdout)) == 1
    assert run("log", "rm", "1", "--yes").code == 0
    assert json.loads(run("log", "list", "--json").stdout) == []
    assert run("log", "undo").code == 0
    assert [e["id"] for e in json.loads(run("log", "list", "--json").stdout)] == [1]
    assert run("log", "undo").code == 1


def test_edit_changes_only_what_is_given(run) -> None:
    run(
        "log",
        "add",
        "--drug",
        "tysabri",
        "--date",
        "2026-05-12",
        "--note",
        "left arm",
        env={"INFUSE_TODAY": "2026-06-01"},
    )
    assert run("log", "edit", "1", "--date", "2026-05-13", env={"INFUSE_TODAY": "2026-06-01"}).code == 0
    entry = json.loads(run("log", "list", "--json").stdout)[0]
    assert (entry["date"], entry["note"]) == ("2026-05-13", "left arm")
    assert run("log", "edit", "9", "--note", "x").code == 1


def test_profiles_keep_separate_journals(run) -> None:
    assert run("profiles", "add", "mum").code == 0
    run(
        "--profile",
        "mum",
        "log",
        "add",
        "--drug",
        "tysabri",
        "--date",
        "2026-05-12",
        env={"INFUSE_TODAY": "2026-06-01"},
    )
    assert json.loads(run("log", "list", "--json").stdout) == []
    assert len(json.loads(run("--profile", "mum", "log", "list", "--json").stdout)) == 1
    assert len(json.loads(run("log", "list", "--json", env={"INFUSE_PROFILE": "mum"}).stdout)) == 1
    assert run("--profile", "../x", "log", "list").code == 2


def test_garbage_in_place_of_the_journal_is_a_clear_error(run, home: Path) -> None:
    path = journal(home)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database\x00" * 100)
    before = path.read_bytes()
    for args in (
        ["log", "list"],
        ["log", "add", "--drug", "tysabri", "--date", "2026-01-01"],
        ["next", "--drug", "tysabri"],
    ):
        r = run(*args)
        assert r.code == 1
        assert "not an infuse journal" in r.stderr and "infuse restore" in r.stderr
        assert path.read_bytes() == before


def test_a_foreign_sqlite_file_is_refused(run, home: Path) -> None:
    path = journal(home)
    path.parent.mkdir(parents=True)
    sqlite3.connect(path).executescript(
        "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');"
    )
    before = path.read_bytes()
    r = run("log", "add", "--drug", "tysabri", "--date", "2026-01-01")
    assert r.code == 1 and "not an infuse journal" in r.stderr
    assert path.read_bytes() == before


def test_a_journal_from_a_newer_infuse_is_refused_untouched(run, home: Path) -> None:
    run("log", "add", "--drug", "tysabri", "--date", "2026-01-01")
    conn = sqlite3.connect(journal(home))
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = journal(home).read_bytes()
    for args in (["log", "list"], ["log", "add", "--drug", "tysabri", "--date", "2026-01-02"]):
        r = run(*args)
        assert r.code == 3 and "newer infuse" in r.stderr
    assert journal(home).read_bytes() == before


def test_a_read_only_folder_is_a_clear_error(run, home: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: folder permissions do not stop root")
    home.mkdir(parents=True)
    home.chmod(0o500)
    try:
        r = run("log", "add", "--drug", "tysabri", "--date", "2026-01-01")
        assert r.code == 1 and "cannot write" in r.stderr
    finally:
        home.chmod(0o700)


def test_a_read_only_journal_file_is_a_clear_error(run, home: Path) -> None:
    run("log", "add", "--drug", "tysabri", "--date", "2026-01-01")
    path = journal(home)
    before = path.read_bytes()
    # Open read-only at the SQLite level, which stops root too.
    import sqlite3

    real = sqlite3.connect

    def read_only(p, *a, **kw):  # noqa: ANN001, ANN202
        return real(f"file:{p}?mode=ro", *a, uri=True, **kw)

    sqlite3.connect = read_only  # type: ignore[assignment]
    try:
        r = run("log", "add", "--drug", "tysabri", "--date", "2026-01-02")
    finally:
        sqlite3.connect = real  # type: ignore[assignment]
    assert r.code == 1 and "read-only" in r.stderr
    assert path.read_bytes() == before


# Four real processes contend for the journal; each runs `infuse log add` twenty times in
# its own interpreter (a whole command each time: its own connection, lock and commit),
# without paying for twenty interpreter start-ups.
WRITER = """
import sys, datetime as dt
from infuse_cli.cli.app import build
k = int(sys.argv[1])
base = dt.date(2020, 1, 1)
for i in range(20):
    day = base + dt.timedelta(days=k * 20 + i)
    try:
        build("log")(["log", "add", "--drug", "tysabri", "--date", day.isoformat()], prog_name="infuse")
    except SystemExit as done:
        if done.code:
            sys.exit(f"log add {day} ended with {done.code}")
"""


def test_four_processes_writing_at_once_keep_all_eighty(home: Path, tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    env = dict(os.environ, INFUSE_HOME=str(home), INFUSE_TODAY="2026-01-05")
    procs = [
        subprocess.Popen([sys.executable, str(script), str(k)], env=env, stderr=subprocess.PIPE, text=True)
        for k in range(4)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    count = sqlite3.connect(journal(home)).execute("SELECT count(*) FROM infusions").fetchone()[0]
    assert count == 80


def test_ctrl_c_during_a_write_loses_nothing_committed(home: Path, tmp_path: Path) -> None:
    """A process killed inside its transaction leaves the journal as it was before."""
    env = dict(os.environ, INFUSE_HOME=str(home), INFUSE_TODAY="2026-01-05")
    subprocess.run(
        [sys.executable, "-m", "infuse_cli", "log", "add", "--drug", "tysabri", "--date", "2026-01-01"],
        env=env,
        check=True,
        capture_output=True,
    )
    script = tmp_path / "slow.py"
    script.write_text(
        "import os, signal, datetime as dt\n"
        "from infuse_cli import store\n"
        "with store.writing() as conn:\n"
        "    store.add_infusion(conn, store.InfusionEntry(id=0, drug='tysabri', date=dt.date(2026, 1, 2)))\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    import time; time.sleep(5)\n",
        encoding="utf-8",
    )
    out = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    dates = [r[0] for r in sqlite3.connect(journal(home)).execute("SELECT date FROM infusions")]
    assert dates == ["2026-01-01"]


def test_a_full_disk_is_a_clear_error_and_nothing_is_half_written(run, home: Path) -> None:
    run("log", "add", "--drug", "tysabri", "--date", "2026-01-01")
    before = journal(home).read_bytes()
    from infuse_cli.store import connection as store

    real_open = store._open

    def no_room(path):  # noqa: ANN001, ANN202
        conn = real_open(path)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite answers SQLITE_FULL past this
        return conn

    store._open = no_room  # type: ignore[assignment]
    try:
        days = [f"2025-{m:02d}-{d:02d}" for m in (2, 3) for d in range(1, 26)]
        dated = [word for day in days for word in ("--date", day)]
        r = run("log", "add", "--drug", "tysabri", *dated, "--note", "x" * 4000)  # about 200 kB
    finally:
        store._open = real_open  # type: ignore[assignment]
    assert r.code == 1 and "disk is full" in r.stderr
    assert journal(home).read_bytes() == before


def test_a_lifetime_limit_warning_from_80_percent(run) -> None:
    # Mitoxantrone 12 mg/m² a dose, limit 140: ten doses are 120 mg/m², 86 % of the limit.
    for k in range(10):
        run(
            "log",
            "add",
            "--drug",
            "mitoxantrone",
            "--date",
            f"20{16 + k // 4}-{1 + 3 * (k % 4):02d}-15",
            env={"INFUSE_TODAY": "2026-06-01"},
        )
    r = run("next", "--drug", "mitoxantrone", "--json", env={"INFUSE_TODAY": "2026-06-01"})
    assert "86%" in r.stderr and "lifetime limit of 140" in r.stderr
    assert json.loads(r.stdout)["end"]["kind"] == "cap"


def test_travel_time_is_added_door_to_door(run) -> None:
    run("config", "set", "travel_minutes", "30")
    r = run("next", "--drug", "tysabri", "--start", "2026-01-05", "--plain")
    assert "Door to door:" in r.stdout and "30 min of travel each way" in r.stdout


def test_the_command_word_is_found_after_root_options() -> None:
    from infuse_cli.cli.app import _command_in

    assert _command_in(["--profile", "mum", "log", "list"]) == "log"
    assert _command_in(["--version"]) is None
    assert _command_in(["next", "--drug", "x"]) == "next"


def test_the_console_script_path_runs_any_command(home: Path) -> None:
    env = dict(os.environ, INFUSE_HOME=str(home), INFUSE_TODAY="2026-06-01")
    for args in (
        ["profiles", "add", "mum"],
        ["--profile", "mum", "paths", "--json"],
        ["log", "list", "--json"],
        ["nosuch"],
    ):
        out = subprocess.run(
            [sys.executable, "-m", "infuse_cli", *args], env=env, capture_output=True, text=True, timeout=60
        )
        assert "Traceback" not in out.stderr
        assert out.returncode == (2 if args == ["nosuch"] else 0)


def test_journal_shows_the_latest_entries_and_says_how_many_are_hidden(run):
    for day in ("2025-01-06", "2025-02-03", "2025-03-03", "2025-03-31"):
        assert run("log", "add", "--drug", "tysabri", "--date", day).code == 0
    r = run("journal", "--limit", "2")
    assert r.code == 0
    assert "The latest 2 of 4 entries" in r.stdout
    assert "Mon 31 Mar 2025" in r.stdout and "Mon 6 Jan 2025" not in r.stdout
    everything = run("journal", "--limit", "0").stdout
    assert "Mon 6 Jan 2025" in everything and "The latest" not in everything
