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
    for page in range(pages // 2, pages // 2 + 3):
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
