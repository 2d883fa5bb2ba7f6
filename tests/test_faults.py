"""Faults on real files: a journal damaged inside (its header intact) is refused for writes
and backups, reads say so in one sentence, and a backup restores it."""

from __future__ import annotations

from pathlib import Path


def _damage_pages(path: Path) -> None:
    """Overwrite a few pages in the middle of a SQLite file, leaving its header as it was."""
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    size = 65536 if size == 1 else size
    pages = len(data) // size
    for page in range(pages // 4, 3 * pages // 4):  # the middle half: every table's pages are hit
        data[page * size : (page + 1) * size] = b"\xde\xad\xbe\xef" * (size // 4)
    path.write_bytes(bytes(data))


def test_a_journal_damaged_inside_is_refused_for_writes_and_backups(run, home: Path, tmp_path: Path) -> None:
    days = [f"20{10 + k // 12:02d}-{1 + k % 12:02d}-05" for k in range(150)]
    for k in range(0, len(days), 50):
        args = ["log", "add", "--drug", "tysabri"]
        for day in days[k : k + 50]:
            args += ["--date", day]
        assert run(*args, "--note", "x" * 400).code == 0
    good = tmp_path / "good.sqlite3"
    assert run("backup", str(good)).code == 0
    journal = home / "data" / "journal.sqlite3"
    _damage_pages(journal)
    before = journal.read_bytes()

    r = run("log", "add", "--drug", "tysabri", "--date", "2026-01-01")
    assert r.code == 1 and "damaged" in r.stderr and "infuse restore" in r.stderr
    assert journal.read_bytes() == before
    r = run("backup", str(tmp_path / "copy.sqlite3"))
    assert r.code == 1 and "damaged" in r.stderr
    assert not (tmp_path / "copy.sqlite3").exists()
    r = run("journal")
    assert r.code == 1 and r.stderr.count("\n") == 1 and "infuse restore" in r.stderr
    assert journal.read_bytes() == before

    assert run("restore", str(good), "--yes").code == 0
    assert run("log", "add", "--drug", "tysabri", "--date", "2026-01-01").code == 0


def test_forget_all_leaves_nothing_behind_not_even_leftovers_or_a_linked_journal(
    run, home: Path, tmp_path: Path
) -> None:
    assert run("log", "add", "--drug", "tysabri", "--date", "2026-01-01").code == 0
    assert run("config", "set", "country", "US").code == 0
    data, config = home / "data", home / "config"
    # A journal that is a link to a file elsewhere, and files left by killed runs.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (data / "journal.sqlite3").rename(elsewhere / "mine.sqlite3")
    (data / "journal.sqlite3").symlink_to(elsewhere / "mine.sqlite3")
    (data / ".journal.sqlite3.4242.tmp").write_bytes(b"a whole journal copy")
    (config / ".config.toml.4242.tmp").write_text("therapy = 'x'\n")
    r = run("forget", "--all", "--yes")
    assert r.code == 0 and "following the journal's link" in r.stderr
    assert list(elsewhere.iterdir()) == []
    assert not data.exists() and not config.exists()


def test_a_write_acknowledged_during_a_restore_is_never_lost(run, home: Path, tmp_path: Path) -> None:
    # Real processes at once: writers adding entries while restores replace the journal.
    # Every entry a writer was told was added must be in the final journal or in a copy that
    # a restore kept of the journal it replaced.
    import os
    import sqlite3
    import subprocess
    import sys
    from concurrent.futures import ThreadPoolExecutor

    assert run("log", "add", "--drug", "ocrevus", "--date", "2020-01-06").code == 0
    source = tmp_path / "source.sqlite3"
    assert run("backup", str(source)).code == 0
    env = dict(os.environ, INFUSE_HOME=str(home), INFUSE_TODAY="2026-06-01")

    def infuse(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "infuse_cli", *args], env=env, capture_output=True, text=True, timeout=120
        )

    def writer(w: int) -> list[str]:
        added = []
        for k in range(8):
            day = f"20{10 + w}-{1 + k:02d}-15"
            r = infuse("log", "add", "--drug", "tysabri", "--date", day)
            assert "Traceback" not in r.stderr
            if r.returncode == 0 and "Added infusion" in r.stderr:
                added.append(day)
        return added

    def restorer(_: int) -> None:
        for _k in range(2):
            r = infuse("restore", str(source), "--yes")
            assert "Traceback" not in r.stderr

    with ThreadPoolExecutor(max_workers=6) as pool:
        writes = [pool.submit(writer, w) for w in range(4)]
        restores = [pool.submit(restorer, r) for r in range(2)]
        acknowledged = {d for f in writes for d in f.result()}
        for f in restores:
            f.result()
    assert acknowledged
    found: set[str] = set()
    journals = [home / "data" / "journal.sqlite3", *(home / "data" / "backups").glob("*.sqlite3")]
    for path in journals:
        conn = sqlite3.connect(path)
        found |= {r[0] for r in conn.execute("SELECT date FROM infusions WHERE drug = 'tysabri'")}
        conn.close()
    assert acknowledged <= found, sorted(acknowledged - found)


def test_export_then_import_keeps_repeated_entries(run, tmp_path: Path) -> None:
    # The same reaction recorded twice, and the same question twice, are two entries each.
    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    for _ in range(2):
        args = ("reaction", "add", "--infusion", "1", "--symptom", "headache", "--severity", "3")
        assert run(*args).code == 0
        assert run("questions", "add", "Ask about the MRI").code == 0
    for fmt in ("json", "csv"):
        out = tmp_path / f"j.{fmt}"
        assert run("export", "--format", fmt, "--out", str(out)).code == 0
        name = f"copy{fmt}"
        assert run("profiles", "add", name).code == 0
        for _ in range(2):  # a second import adds nothing
            assert run("--profile", name, "import", str(out)).code == 0
        items = __import__("json").loads(run("--profile", name, "journal", "--json").stdout)["items"]
        assert len([i for i in items if i["kind"] == "reaction"]) == 2
    asked = run("--profile", "copyjson", "questions", "--json").stdout
    assert asked.count("Ask about the MRI") == 2


# ---------------------------------------------------------------- identity


def _export(run, tmp_path: Path, name: str = "j.json") -> dict:
    import json

    out = tmp_path / name
    assert run("export", "--out", str(out)).code == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_every_record_keeps_its_identity_from_one_machine_to_the_next(run, tmp_path: Path) -> None:
    import json

    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    for _ in range(2):
        assert run("reaction", "add", "--infusion", "1", "--symptom", "rash", "--severity", "2").code == 0
    assert run("questions", "add", "Ask about the MRI").code == 0
    first = _export(run, tmp_path)
    ids = [x["id"] for kind in ("infusions", "reactions", "questions") for x in first[kind]]
    assert len(ids) == 4 and len(set(ids)) == 4  # two alike reactions, two identities
    elsewhere = {"INFUSE_HOME": str(tmp_path / "new-machine")}
    assert run("import", str(tmp_path / "j.json"), env=elsewhere).code == 0
    out = tmp_path / "again.json"
    assert run("export", "--out", str(out), env=elsewhere).code == 0
    again = json.loads(out.read_text(encoding="utf-8"))
    assert [x["id"] for kind in ("infusions", "reactions", "questions") for x in again[kind]] == ids
    # A third reaction, equal to the others, recorded on the new machine comes back as new.
    args = ("reaction", "add", "--infusion", "1", "--symptom", "rash", "--severity", "2")
    assert run(*args, env=elsewhere).code == 0
    assert run("export", "--out", str(out), env=elsewhere).code == 0
    r = run("import", str(out))
    assert (
        r.code == 0
        and "Imported 1 reaction; already there: 1 infusion, 2 reactions and 1 question." in r.stderr
    )


def test_an_export_from_before_identities_still_imports_and_is_not_doubled(run, tmp_path: Path) -> None:
    import json

    old = {
        "schema": 1,
        "format": "infuse-journal",
        "infusions": [{"drug": "tysabri", "date": "2025-12-03", "dose": "300 mg"}],
        "reactions": [
            {"date": "2025-12-03", "symptom": "rash", "severity": 2, "infusion": ["tysabri", "2025-12-03"]},
            {"date": "2025-12-03", "symptom": "rash", "severity": 2, "infusion": ["tysabri", "2025-12-03"]},
        ],
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    for _ in range(2):
        assert run("import", str(path)).code == 0
    now = _export(run, tmp_path)
    assert len(now["reactions"]) == 2
    assert all(len(x["id"]) == 36 for x in now["infusions"] + now["reactions"])
    # The same history, kept on another machine from the same old file, got its own
    # identities there; its new export adds nothing here.
    other = {"INFUSE_HOME": str(tmp_path / "other")}
    assert run("import", str(path), env=other).code == 0
    out = tmp_path / "other.json"
    assert run("export", "--out", str(out), env=other).code == 0
    r = run("import", str(out))
    assert r.code == 0 and "Imported nothing new; already there:" in r.stderr


def test_a_journal_from_before_identities_gets_them_on_its_first_write(run, home: Path) -> None:
    import sqlite3

    from infuse_cli.store import MIGRATIONS

    path = home / "data" / "journal.sqlite3"
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    for statement in (s for step in MIGRATIONS[:3] for s in step):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 3")
    for day in ("2025-06-01", "2025-07-01"):
        conn.execute("INSERT INTO infusions (drug, date, created) VALUES ('tysabri', ?, 'x')", (day,))
    conn.commit()
    conn.close()
    before = path.read_bytes()
    assert run("log", "list").code == 0
    assert path.read_bytes() == before  # reading never migrates the file
    assert run("log", "add", "--drug", "tysabri", "--date", "2025-08-01").code == 0
    uids = [r[0] for r in sqlite3.connect(path).execute("SELECT uid FROM infusions")]
    assert len(uids) == 3 and len(set(uids)) == 3
    assert all(len(u) == 36 and u[14] == "4" for u in uids)


# ---------------------------------------------------------------- sizes, special files


def test_notes_have_a_maximum_on_log_add_and_on_import(run, home: Path, tmp_path: Path) -> None:
    import json

    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03", "--note", "n" * 4000).code == 0
    journal = home / "data" / "journal.sqlite3"
    before = journal.read_bytes()
    r = run("log", "add", "--drug", "tysabri", "--date", "2025-12-31", "--note", "n" * 4001)
    assert r.code == 1 and "4,000 characters" in r.stderr
    big = {
        "schema": 2,
        "format": "infuse-journal",
        "infusions": [{"drug": "tysabri", "date": "2025-11-05", "note": "x" * 12_000_000}],
    }
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big), encoding="utf-8")
    r = run("import", str(path))
    assert r.code == 1 and "longer than infuse keeps" in r.stderr
    assert journal.read_bytes() == before


def _infuse(home: Path, *args: str, timeout: float = 60, **kw):  # noqa: ANN003, ANN202
    import os
    import subprocess
    import sys

    env = dict(os.environ, INFUSE_HOME=str(home), INFUSE_TODAY="2026-01-05", **kw.pop("env", {}))
    return subprocess.run(
        [sys.executable, "-m", "infuse_cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


def test_a_pipe_as_the_import_file_or_the_settings_file_is_refused_at_once(
    home: Path, tmp_path: Path
) -> None:
    import os

    fifo = tmp_path / "export.json"
    os.mkfifo(fifo)
    r = _infuse(home, "import", str(fifo), timeout=20)
    assert r.returncode == 1 and "not a regular file" in r.stderr and "Traceback" not in r.stderr
    (home / "config").mkdir(parents=True)
    os.mkfifo(home / "config" / "config.toml")
    r = _infuse(home, "next", "--drug", "ocrevus", timeout=20)
    assert r.returncode == 1 and "not a regular file" in r.stderr and "Traceback" not in r.stderr


# ---------------------------------------------------------------- faults of the machine


def test_another_programs_sqlite_file_is_refused_in_one_sentence(run, home: Path) -> None:
    import sqlite3

    path = home / "data" / "journal.sqlite3"
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (a)")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for args in (
        ("log", "list"),
        ("next", "--drug", "ocrevus"),
        ("log", "add", "--drug", "tysabri", "--date", "2025-12-03"),
        ("backup", str(home / "b.sqlite3")),
    ):
        r = run(*args)
        assert r.code == 1 and "is not an infuse journal" in r.stderr, (args, r)
    assert path.read_bytes() == before


def _small_files(limit: int):  # noqa: ANN202
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return cap


def test_a_full_disk_during_import_backup_and_restore(run, home: Path, tmp_path: Path) -> None:
    import json

    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    source = tmp_path / "source.sqlite3"
    assert run("backup", str(source)).code == 0
    journal = home / "data" / "journal.sqlite3"
    before = journal.read_bytes()
    many = [
        {"drug": "tysabri", "date": f"{1990 + k // 12}-{1 + k % 12:02d}-05", "note": "x" * 3000}
        for k in range(300)
    ]
    export = tmp_path / "many.json"
    export.write_text(
        json.dumps({"schema": 2, "format": "infuse-journal", "infusions": many}), encoding="utf-8"
    )
    limit = len(before) + 8192  # the journal may not grow by more than two pages
    for args in (
        ("import", str(export)),
        ("restore", str(export.with_name("big.sqlite3")), "--yes"),
        ("backup", str(tmp_path / "copy.sqlite3")),
    ):
        if args[0] == "restore":  # a journal too big to be written here
            assert run("import", str(export), env={"INFUSE_HOME": str(tmp_path / "big")}).code == 0
            assert run("backup", args[1], env={"INFUSE_HOME": str(tmp_path / "big")}).code == 0
        if args[0] == "backup":
            limit = 4096  # smaller than the journal: its copy cannot be written
        r = _infuse(home, *args, preexec_fn=_small_files(limit))
        assert r.returncode == 1, (args, r.stderr)
        assert r.stderr.startswith("Error: ") and "full" in r.stderr and r.stderr.count("\n") == 1, r.stderr
        assert journal.read_bytes() == before, args
        left = [
            p.name
            for p in (*home.rglob("*"), *tmp_path.glob("*"))
            if ".tmp" in p.name or p.name.endswith("-journal")
        ]
        assert left == [], (args, left)


def test_a_file_where_a_folder_should_be_is_one_sentence(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "data").write_text("not a folder")
    (home / "config").write_text("not a folder")
    for args in (
        ("config", "set", "remind_days", "3"),
        ("log", "add", "--drug", "tysabri", "--date", "2025-12-03"),
        ("backup", str(tmp_path / "b.sqlite3")),
        ("restore", str(tmp_path / "b.sqlite3"), "--yes"),
        ("profiles", "add", "sam"),
        ("forget", "--all", "--yes"),
    ):
        r = _infuse(home, *args)
        assert r.returncode in (0, 1) and "Traceback" not in r.stderr, (args, r.stderr)
        assert r.returncode == 0 or (r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1), (
            args,
            r.stderr,
        )
    assert (home / "data").read_text() == "not a folder"


def test_loose_permissions_are_tightened_on_the_next_write(run, home: Path) -> None:
    import os

    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    assert run("config", "set", "remind_days", "3").code == 0
    data, journal, config = home / "data", home / "data" / "journal.sqlite3", home / "config"
    os.chmod(data, 0o777)
    os.chmod(journal, 0o644)
    os.chmod(config, 0o755)
    assert run("log", "list").code == 0  # reading leaves them be
    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-31").code == 0
    assert run("config", "set", "remind_days", "4").code == 0
    assert (data.stat().st_mode & 0o777, journal.stat().st_mode & 0o777) == (0o700, 0o600)
    assert config.stat().st_mode & 0o777 == 0o700


def test_loose_permissions_that_cannot_be_tightened_are_said_once(run, home: Path, monkeypatch) -> None:
    import os

    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    journal = home / "data" / "journal.sqlite3"
    os.chmod(journal, 0o644)
    real = os.chmod

    def refused(path, mode, *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
        if Path(path) == journal:
            raise PermissionError(1, "Operation not permitted")
        return real(path, mode, *a, **k)

    monkeypatch.setattr(os, "chmod", refused)
    days = ("--date", "2025-12-30", "--date", "2025-12-31")
    r = run("log", "add", "--drug", "tysabri", *days)
    assert r.code == 0 and r.stderr.count("can be read by others") == 1, r.stderr


def test_settings_edited_out_of_range_are_refused_with_the_range(run, home: Path) -> None:
    config = home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    for text, expected in (
        ("remind_days = 99999999999\n", "from 0 to 60"),
        ("remind_days = -5\n", "from 0 to 60"),
        ("travel_minutes = -600\n", "from 0 to 600"),
    ):
        config.write_text(text, encoding="utf-8")
        for args in (
            ("next", "--drug", "ocrevus"),
            ("plan", "--drug", "ocrevus", "--ics", str(home / "x.ics")),
        ):
            r = run(*args)
            assert r.code == 1 and expected in r.stderr and "infuse config set" in r.stderr, r
    assert run("config", "set", "travel_minutes", "30").code == 0  # the way out works
    assert run("next", "--drug", "ocrevus").code == 0


# ---------------------------------------------------------------- streams, names, signals


def test_any_output_encoding_shows_the_answer(home: Path) -> None:
    commands = (
        ("info", "ocrevus"),
        ("next", "--drug", "ocrevus", "--start", "2025-03-03"),
        ("compare", "tysabri", "briumvi"),
        ("glossary",),
        ("checklist", "--drug", "lemtrada"),
        ("plan", "--drug", "mitoxantrone", "--start", "2025-03-03"),
        ("labs", "--drug", "lemtrada", "--start", "2025-03-03"),
        ("drugs",),
    )
    for encoding in ("ascii", "latin-1"):
        for args in commands:
            r = _infuse(home, *args, env={"PYTHONIOENCODING": encoding}, encoding=encoding)
            assert r.returncode == 0 and r.stderr.count("Traceback") == 0, (encoding, args, r.stderr)
            assert r.stdout.strip()


def test_closed_output_streams(home: Path) -> None:
    import os
    import subprocess
    import sys

    def shell(redirect: str) -> subprocess.CompletedProcess[str]:
        command = f'"{sys.executable}" -m infuse_cli log add --drug tysabri --date 2025-12-03 {redirect}'
        env = dict(os.environ, INFUSE_HOME=str(home), INFUSE_TODAY="2026-01-05")
        return subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True, timeout=60)

    r = shell(">&-")
    assert r.returncode == 1 and "output is closed" in r.stderr
    assert not (home / "data" / "journal.sqlite3").exists()  # it did nothing
    r = shell("2>&-")
    assert r.returncode == 0 and (home / "data" / "journal.sqlite3").exists()


def test_long_output_names_and_loops_of_links(run, tmp_path: Path) -> None:
    name = tmp_path / ("a" * 248 + ".ics")  # its temporary name would pass 255 bytes
    assert run("plan", "--drug", "ocrevus", "--start", "2025-03-03", "--ics", str(name)).code == 0
    assert name.exists() and [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    r = run("plan", "--drug", "ocrevus", "--start", "2025-03-03", "--ics", str(tmp_path / ("b" * 300)))
    assert r.code == 1 and "too long" in r.stderr.lower()
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    for args in (("plan", "--drug", "ocrevus", "--ics"), ("export", "--out"), ("import",)):
        r = run(*args, str(tmp_path / "loop1"))
        assert r.code == 1 and r.stderr.startswith("Error: "), (args, r)


def test_ctrl_c_while_waiting_for_the_journal_says_nothing_was_changed(run, home: Path) -> None:
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    journal = home / "data" / "journal.sqlite3"
    before = journal.read_bytes()
    holder = sqlite3.connect(journal, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another command is writing
    env = dict(os.environ, INFUSE_HOME=str(home), INFUSE_TODAY="2026-01-05")
    cmd = [sys.executable, "-m", "infuse_cli", "log", "add", "--drug", "tysabri", "--date", "2025-12-31"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        fds = Path(f"/proc/{proc.pid}/fd")
        while time.monotonic() < deadline and proc.poll() is None:
            try:  # it has opened the journal: it is waiting for the lock
                if any(os.readlink(fd) == str(journal) for fd in fds.iterdir()):
                    break
            except OSError:
                pass
            time.sleep(0.05)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 130 and err.strip() == "Stopped. Nothing was changed.", err
    assert journal.read_bytes() == before


def test_a_closed_pipe_is_a_quiet_success(home: Path) -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, INFUSE_HOME=str(home), INFUSE_TODAY="2026-01-05")
    for args in (("glossary",), ("plan", "--drug", "ocrevus", "--start", "2025-03-03", "--months", "120")):
        command = [sys.executable, "-m", "infuse_cli", *args]
        with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
            assert proc.stdout is not None and proc.stderr is not None
            proc.stdout.close()  # `| head -0`: the reader is gone before anything is written
            err = proc.stderr.read()
            assert proc.wait(timeout=60) == 0 and err == b"", (args, err)


# ---------------------------------------------------------------- exports from elsewhere


def test_an_export_from_a_newer_infuse_is_refused_with_exit_3(run, home: Path, tmp_path: Path) -> None:
    import json

    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    journal = home / "data" / "journal.sqlite3"
    before = journal.read_bytes()
    newer = [
        {"schema": 5, "format": "infuse-journal", "infusions": []},
        {"schema": 4, "format": "infuse-journal", "infusions": [], "trips": []},
        {
            "schema": 2,
            "format": "infuse-journal",
            "infusions": [{"drug": "tysabri", "date": "2025-01-01", "mood": 3}],
        },
    ]
    for k, data in enumerate(newer):
        path = tmp_path / f"newer{k}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        r = run("import", str(path))
        assert r.code == 3 and "written by a newer infuse" in r.stderr and "update infuse" in r.stderr, r
        said = "(format 5; this one reads up to 4)" if k == 0 else "has fields this infuse does not know"
        assert said in r.stderr, r
    assert journal.read_bytes() == before


def test_an_import_allows_a_day_of_time_zone_slack(run, tmp_path: Path) -> None:
    import json

    # Today here is 2026-01-05; at UTC+14 it may already be 2026-01-06.
    for day, code in (("2026-01-06", 0), ("2026-01-07", 1)):
        data = {"schema": 2, "format": "infuse-journal", "infusions": [{"drug": "tysabri", "date": day}]}
        path = tmp_path / f"{day}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        assert run("import", str(path)).code == code, day


def test_forget_waits_for_a_write_under_way_and_then_leaves_nothing(run, home: Path) -> None:
    import os
    import sqlite3
    import subprocess
    import sys
    import time

    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    journal = home / "data" / "journal.sqlite3"
    writer = sqlite3.connect(journal, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a command mid-write
    writer.execute("INSERT INTO infusions (drug, date, created) VALUES ('tysabri', '2025-12-31', 'x')")
    env = dict(os.environ, INFUSE_HOME=str(home), INFUSE_TODAY="2026-01-05")
    cmd = [sys.executable, "-m", "infuse_cli", "forget", "--all", "--yes"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2)
    waiting = proc.poll() is None and journal.exists()
    writer.execute("COMMIT")
    writer.close()
    _, err = proc.communicate(timeout=30)
    assert waiting, "forget did not wait for the write under way"
    assert proc.returncode == 0 and "has forgotten every profile" in err
    assert not home.exists() or [p for p in home.rglob("*") if p.is_file()] == []


def test_temporary_files_of_killed_runs_are_removed_by_the_next_write(
    run, home: Path, tmp_path: Path
) -> None:
    import os
    import subprocess

    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    assert run("config", "set", "remind_days", "3").code == 0
    with subprocess.Popen(["true"]) as gone:
        gone.wait()
    dead, alive = gone.pid, os.getpid()  # a process that has ended; one still running
    data, config = home / "data", home / "config"
    stale = [
        data / f".journal.sqlite3.{dead}.tmp",
        data / f"..journal.sqlite3.{dead}.tmp.{dead}.tmp-journal",
        config / f".config.toml.{dead}.tmp",
        tmp_path / f".plan.ics.{dead}.tmp",
    ]
    running = data / f".journal.sqlite3.{alive}.tmp"  # another command's, under way
    for path in (*stale, running):
        path.write_bytes(b"health data")
    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-31").code == 0
    assert run("config", "set", "remind_days", "4").code == 0
    assert (
        run("plan", "--drug", "ocrevus", "--start", "2025-03-03", "--ics", str(tmp_path / "plan.ics")).code
        == 0
    )
    assert [p for p in stale if p.exists()] == [] and running.exists()


def _as_nobody():  # noqa: ANN202
    import os

    def drop() -> None:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)

    return drop


def test_another_owners_journal_is_read_but_never_written(run) -> None:
    import os
    import shutil
    import subprocess
    import sys
    import tempfile

    import pytest

    if os.geteuid() != 0:
        pytest.skip("needs root, to run infuse as another user")
    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import infuse_cli.cli.app"], preexec_fn=_as_nobody(), capture_output=True
        )
    except OSError:
        probe = None
    if probe is None or probe.returncode != 0:
        pytest.skip("the unprivileged user cannot read this Python or infuse's source")
    home = Path(tempfile.mkdtemp(prefix="infuse-owner-")) / "home"  # outside pytest's 0700 folders
    try:
        os.chmod(home.parent, 0o755)
        mine = {"INFUSE_HOME": str(home)}
        assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03", env=mine).code == 0
        assert run("config", "set", "remind_days", "3", env=mine).code == 0
        for folder in (home, home / "data", home / "config", home / "cache"):
            os.chmod(folder, 0o755)
        for file in (home / "data" / "journal.sqlite3", home / "config" / "config.toml"):
            os.chmod(file, 0o644)
        journal = home / "data" / "journal.sqlite3"
        before = journal.read_bytes()
        for args, code, said in (
            (("log", "add", "--drug", "tysabri", "--date", "2025-12-31"), 1, "read-only"),
            (("config", "set", "remind_days", "4"), 1, "Permission denied"),
            (("log", "list"), 0, ""),
            (("forget", "--all", "--yes"), 1, "could not be deleted"),
        ):
            r = _infuse(home, *args, preexec_fn=_as_nobody())
            assert r.returncode == code and said in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
            if code:
                assert r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1, (args, r.stderr)
        assert journal.read_bytes() == before
    finally:
        shutil.rmtree(home.parent, ignore_errors=True)


# ---------------------------------------------------------------- second round of hostile data


def test_deeply_nested_files_are_refused_in_one_sentence(run, home: Path, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text(
        '{"schema": 2, "format": "infuse-journal", "infusions": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )
    r = run("import", str(deep))
    assert r.code == 1 and r.stderr.startswith("Error: ") and "nothing was imported" in r.stderr
    unknown = tmp_path / "unknown.json"
    unknown.write_text(
        '{"schema": 2, "format": "infuse-journal", "infusions": [], "x": '
        + "[" * 100_000
        + "]" * 100_000
        + "}"
    )
    assert run("import", str(unknown)).code in (1, 3)
    (home / "config" / "therapies").mkdir(parents=True)
    nested = "a = " + "[" * 1000 + "]" * 1000 + "\n"
    (home / "config" / "config.toml").write_text(nested)
    r = run("next", "--drug", "ocrevus")
    assert r.code == 1 and "nested too deeply" in r.stderr
    (home / "config" / "config.toml").unlink()
    (home / "config" / "therapies" / "mine.toml").write_text(nested)
    r = run("drugs")
    assert r.code == 1 and "nested too deeply" in r.stderr


def test_a_sqlite_file_with_infuses_table_names_is_still_not_a_journal(run, home: Path) -> None:
    import sqlite3

    path = home / "data" / "journal.sqlite3"
    path.parent.mkdir(parents=True)
    for version in (1, 4):
        path.unlink(missing_ok=True)
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE infusions (x)")
        conn.execute("CREATE TABLE reactions (y)")
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()
        conn.close()
        before = path.read_bytes()
        for args in (
            ("log", "list"),
            ("log", "add", "--drug", "tysabri", "--date", "2025-12-03"),
            ("journal",),
            ("export",),
            ("questions", "add", "Why?"),
            ("backup", str(home / "copy.sqlite3")),
            ("log", "undo"),
        ):
            r = run(*args)
            assert r.code == 1 and "is not an infuse journal" in r.stderr, (version, args, r)
        assert path.read_bytes() == before
        assert run("restore", str(path), "--yes").code == 1


def test_ctrl_c_after_the_change_was_saved_says_so(home: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    # Ctrl-C arrives just after the journal committed, while infuse says what it added.
    script = tmp_path / "late.py"
    script.write_text(
        "import sys\n"
        "from infuse_cli.views import output\n"
        "def interrupted(*a, **k):\n"
        "    raise KeyboardInterrupt\n"
        "output.note = interrupted\n"
        "sys.argv = ['infuse', 'log', 'add', '--drug', 'tysabri', '--date', '2025-12-03']\n"
        "from infuse_cli.entry import main\n"
        "main()\n",
        encoding="utf-8",
    )
    env = dict(os.environ, INFUSE_HOME=str(home), INFUSE_TODAY="2026-01-05")
    r = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert (
        r.returncode == 130
        and r.stderr.strip() == "Stopped. The change had already been saved; nothing else was changed."
    ), r.stderr
    assert "2025-12-03" in _infuse(home, "log", "list", "--json").stdout


def test_forget_removes_the_side_files_of_killed_copies(run, home: Path) -> None:
    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    assert run("backup").code == 0
    data = home / "data"
    left = [
        data / "..journal.sqlite3.4000001.tmp.4000001.tmp-journal",
        data / "backups" / ".journal-20260105-101010.sqlite3.4000001.tmp-journal",
        data / "backups" / ".before-restore-20260105-101010.sqlite3.4000001.tmp-journal",
    ]
    for path in left:
        path.write_bytes(b"pages of a journal")
    r = run("forget", "--all", "--yes")
    assert r.code == 0 and "has forgotten" in r.stderr
    assert not home.exists() or [p for p in home.rglob("*") if p.is_file()] == []


def test_import_refuses_repeated_ids_future_questions_and_unknown_csv_columns(
    run, home: Path, tmp_path: Path
) -> None:
    import json

    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    journal = home / "data" / "journal.sqlite3"
    before = journal.read_bytes()
    same = "6f1c1d9e-6a3b-4c4e-9d1f-2b7a9c0e5d11"
    cases = {
        "twice.json": {
            "schema": 2,
            "format": "infuse-journal",
            "infusions": [
                {"id": same, "drug": "tysabri", "date": "2025-10-01"},
                {"id": same, "drug": "tysabri", "date": "2025-11-01"},
            ],
        },
        "asked-later.json": {
            "schema": 2,
            "format": "infuse-journal",
            "infusions": [],
            "questions": [{"text": "MRI?", "added": "2025-12-01", "asked": "2099-01-01", "answer": "yes"}],
        },
        "long-answer.json": {
            "schema": 2,
            "format": "infuse-journal",
            "infusions": [],
            "questions": [{"text": "MRI?", "added": "2025-12-01", "answer": "a" * 4001}],
        },
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        r = run("import", str(path))
        assert r.code == 1 and "nothing was imported" in r.stderr, (name, r)
    out = tmp_path / "j.csv"
    assert run("export", "--format", "csv", "--out", str(out)).code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    wider = tmp_path / "wider.csv"
    wider.write_text(
        "\r\n".join([lines[0] + ",allergy_note", *(line + ",penicillin" for line in lines[1:])]) + "\r\n"
    )
    r = run("import", str(wider))
    assert r.code == 3 and "allergy_note" in r.stderr
    longer = tmp_path / "longer.csv"
    longer.write_text("\r\n".join([lines[0], *(line + ",penicillin" for line in lines[1:])]) + "\r\n")
    assert run("import", str(longer)).code == 1
    assert journal.read_bytes() == before
    bom = tmp_path / "bom.json"
    bom.write_bytes(
        b"\xef\xbb\xbf" + json.dumps({"schema": 2, "format": "infuse-journal", "infusions": []}).encode()
    )
    assert run("import", str(bom)).code == 0


def test_a_profiles_folders_and_old_backups_are_tightened_too(run, home: Path) -> None:
    import os

    assert run("profiles", "add", "bob").code == 0
    assert run("--profile", "bob", "log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    assert run("--profile", "bob", "backup").code == 0
    profiles = home / "data" / "profiles"
    old = next((profiles / "bob" / "backups").glob("*.sqlite3"))
    os.chmod(profiles, 0o777)
    os.chmod(profiles / "bob", 0o755)
    os.chmod(old, 0o644)
    assert run("--profile", "bob", "log", "add", "--drug", "tysabri", "--date", "2025-12-31").code == 0
    modes = [p.stat().st_mode & 0o777 for p in (profiles, profiles / "bob", old)]
    assert modes == [0o700, 0o700, 0o600]


# ---------------------------------------------------------------- third round: restore and odd journals


def _journal_file(path: Path, version: int = 4, rows: tuple[str, ...] = (), encoding: str = "") -> Path:
    import sqlite3

    from infuse_cli.store import MIGRATIONS

    conn = sqlite3.connect(path, isolation_level=None)
    if encoding:
        conn.execute(f"PRAGMA encoding = '{encoding}'")
    for statement in (s for step in MIGRATIONS[:version] for s in step):
        conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    for row in rows:
        conn.execute(row)
    conn.close()
    return path


def test_restore_refuses_files_infuse_would_not_write_and_keeps_no_copy(
    run, home: Path, tmp_path: Path
) -> None:
    import sqlite3

    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    journal = home / "data" / "journal.sqlite3"
    before = journal.read_bytes()
    add = "INSERT INTO infusions (drug, date, created, uid) VALUES ('ocrevus', '{}', 'x', '{}')"
    bad = {
        "severity.sqlite3": _journal_file(
            tmp_path / "severity.sqlite3",
            rows=(
                "PRAGMA ignore_check_constraints = ON",
                "INSERT INTO reactions (date, symptom, severity, created)"
                " VALUES ('2025-01-01', 'x', 99, 'x')",
            ),
        ),
        "month13.sqlite3": _journal_file(tmp_path / "month13.sqlite3", rows=(add.format("2025-13-45", "a"),)),
        "utf16.sqlite3": _journal_file(tmp_path / "utf16.sqlite3", encoding="UTF-16le"),
    }
    wrong = tmp_path / "wrong-columns.sqlite3"
    conn = sqlite3.connect(wrong)
    for table, columns in (
        ("infusions", "id, xdrug, xdate"),
        ("reactions", "id, xsymptom"),
        ("questions", "id"),
        ("checklist_ticks", "visit"),
    ):
        conn.execute(f"CREATE TABLE {table} ({columns}) /* drug TEXT NOT NULL date TEXT NOT NULL */")
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    for path in (*bad.values(), wrong, journal):
        r = run("restore", str(path), "--yes")
        assert r.code == 1 and r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1, (path.name, r)
        assert journal.read_bytes() == before
    assert not (home / "data" / "backups").exists() or list((home / "data" / "backups").iterdir()) == []


def test_restore_reads_the_file_it_was_named_even_with_a_uri_like_name(
    run, home: Path, tmp_path: Path, monkeypatch
) -> None:
    import json

    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    add = "INSERT INTO infusions (drug, date, created, uid) VALUES ('ocrevus', '{}', 'x', '{}')"
    _journal_file(
        tmp_path / "b.sqlite3", rows=(add.format("2025-01-01", "11111111-1111-4111-8111-111111111111"),)
    )
    _journal_file(
        tmp_path / "file:b.sqlite3", rows=(add.format("2025-02-02", "22222222-2222-4222-8222-222222222222"),)
    )
    monkeypatch.chdir(tmp_path)
    assert run("restore", "file:b.sqlite3", "--yes").code == 0
    days = [e["date"] for e in json.loads(run("export").stdout)["infusions"]]
    assert days == ["2025-02-02"]


def test_a_journal_holding_a_date_no_infuse_wrote_is_one_sentence(run, home: Path) -> None:
    import sqlite3

    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    journal = home / "data" / "journal.sqlite3"
    conn = sqlite3.connect(journal)
    conn.execute("UPDATE infusions SET date = '2025-13-45'")
    conn.commit()
    conn.close()
    for args in (("log", "list"), ("journal",), ("export",), ("next",), ("profiles",)):
        r = run(*args)
        assert r.code == 1 and "a date infuse cannot read" in r.stderr and "infuse restore" in r.stderr, (
            args,
            r,
        )


def test_a_settings_file_with_a_line_too_long_to_read_is_refused_at_once(run, home: Path) -> None:
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text("x" + ".a" * 100_000 + " = 1\n")  # quadratic to parse
    r = run("next", "--drug", "ocrevus")
    assert r.code == 1 and "longer than 10,000 characters" in r.stderr


def test_the_first_write_also_removes_a_killed_restores_leftovers(run, home: Path) -> None:
    import subprocess

    with subprocess.Popen(["true"]) as gone:
        gone.wait()
    data = home / "data"
    data.mkdir(parents=True)
    left = [
        data / f"..journal.sqlite3.{gone.pid}.tmp.{gone.pid}.tmp",
        data / f".journal.sqlite3.{gone.pid}.tmp",
    ]
    for path in left:
        path.write_bytes(b"a journal's pages")
    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-03").code == 0
    assert [p for p in left if p.exists()] == []


def test_a_journal_that_cannot_be_opened_is_one_sentence_for_reads_and_writes(run, home: Path) -> None:
    (home / "data" / "journal.sqlite3").mkdir(parents=True)  # a folder where the file should be
    for args in (("log", "list"), ("next",), ("log", "add", "ocrevus", "--date", "2025-12-01", "--first")):
        r = run(*args)
        assert r.code == 1, (args, r.stderr)
        assert r.stderr.startswith("Error: ") and "is not an infuse journal" in r.stderr
        assert r.stderr.count("\n") == 1
    assert (home / "data" / "journal.sqlite3").is_dir()
