"""Privacy: no network, owner-only files, and `infuse forget`."""

from __future__ import annotations

import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest


def test_the_guard_refuses_and_logs_any_network_socket(_no_network: Path):
    with pytest.raises(OSError, match="no network"):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    assert "socket" in _no_network.read_text()
    _no_network.unlink()  # the attempt above was this test's own


def test_child_pythons_refuse_the_network_too(_no_network: Path):
    code = "import socket\ntry:\n socket.getaddrinfo('example.org', 443)\nexcept OSError as e:\n print(e)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "no network" in out.stdout
    assert "getaddrinfo" in _no_network.read_text()
    _no_network.unlink()


def test_every_command_runs_without_opening_a_socket(run, tmp_path, _no_network: Path):
    # The guard fails any test that opens a network socket; here every command runs once.
    journal = [
        ("log", "add", "--drug", "ocrevus", "--date", "2025-09-01"),
        ("reaction", "add", "--symptom", "headache", "--severity", "2", "--date", "2025-09-02"),
        ("questions", "add", "Ask about MRI"),
        ("config", "set", "country", "US"),
    ]
    reads = [
        ("drugs",),
        ("info", "ocrevus"),
        ("compare", "tysabri", "briumvi"),
        ("next", "--drug", "ocrevus", "--all", "--ics", str(tmp_path / "a.ics")),
        ("plan", "--drug", "ocrevus", "--months", "3"),
        ("log", "list"),
        ("journal",),
        ("reaction", "symptoms", "--drug", "ocrevus"),
        ("checklist",),
        ("questions",),
        ("labs", "--drug", "ocrevus"),
        ("glossary", "pml"),
        ("resources",),
        ("prep", "--format", "html", "--out", str(tmp_path / "s.html")),
        ("export", "--out", str(tmp_path / "e.json")),
        ("backup", str(tmp_path / "b.sqlite3")),
        ("paths",),
        ("config", "list"),
    ]
    for args in journal + reads:
        r = run(*args)
        assert r.code == 0, (args, r)
    assert not _no_network.exists()


def _modes(root: Path) -> list[tuple[Path, int]]:
    return [(p, stat.S_IMODE(p.stat().st_mode)) for p in [root, *root.rglob("*")]]


def test_everything_infuse_writes_is_owner_only(run, home, tmp_path):
    outputs = tmp_path / "out"
    outputs.mkdir()
    for args in (
        ("log", "add", "--drug", "ocrevus", "--date", "2025-09-01"),
        ("questions", "add", "Ask about MRI"),
        ("checklist", "--drug", "ocrevus", "--interactive"),
        ("config", "set", "country", "US"),
        ("profiles", "add", "mum"),
        ("--profile", "mum", "log", "add", "--drug", "tysabri", "--date", "2025-12-01"),
        ("backup",),
        ("next", "--drug", "ocrevus", "--ics", str(outputs / "a.ics")),
        ("export", "--out", str(outputs / "e.json")),
        ("export", "--format", "csv", "--out", str(outputs / "e.csv")),
        ("prep", "--drug", "ocrevus", "--format", "html", "--out", str(outputs / "s.html")),
        ("backup", str(outputs / "b.sqlite3")),
    ):
        assert run(*args, input="y\nq\n").code == 0, args
    for path, mode in _modes(home):
        assert mode == (0o700 if path.is_dir() else 0o600), path
    written = sorted(p.name for p in outputs.iterdir())
    assert written == ["a.ics", "b.sqlite3", "e.csv", "e.json", "s.html"]
    for path in outputs.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def _fill(run, home: Path) -> None:
    assert run("log", "add", "--drug", "ocrevus", "--date", "2025-09-01").code == 0
    assert run("profiles", "add", "mum").code == 0
    assert run("--profile", "mum", "log", "add", "--drug", "tysabri", "--date", "2025-12-01").code == 0
    assert run("config", "set", "country", "US").code == 0
    assert run("--profile", "mum", "config", "set", "country", "GB").code == 0
    assert run("backup").code == 0
    assert run("drugs").code == 0  # the catalogue cache


def test_forget_all_asks_first_and_keeps_everything_on_no(run, home):
    _fill(run, home)
    before = sorted(p for p in home.rglob("*") if p.is_file())
    r = run("forget", "--all", input="no\n")
    assert r.code == 1 and "Type yes" in r.stdout and "Nothing was deleted" in r.stderr
    assert "journal.sqlite3" in r.stdout and "config.toml" in r.stdout
    assert sorted(p for p in home.rglob("*") if p.is_file()) == before
    r = run("forget", "--all", input="")  # end of input is not a yes
    assert r.code == 1
    assert sorted(p for p in home.rglob("*") if p.is_file()) == before


def test_forget_all_removes_every_file_infuse_wrote_and_nothing_else(run, home, tmp_path):
    _fill(run, home)
    mine = home / "config" / "therapies" / "my-drug.toml"
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_text("# my own notes\n")
    kept = home / "data" / "notes.txt"  # not a name infuse writes
    kept.write_text("mine")
    r = run("forget", "--all", input="yes\n")
    assert r.code == 0 and "Deleted" in r.stderr
    left = sorted(p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file())
    assert left == ["config/therapies/my-drug.toml", "data/notes.txt"]
    assert not (home / "cache").exists() and not (home / "data" / "profiles").exists()


def test_forget_one_profile_keeps_the_others(run, home):
    _fill(run, home)
    r = run("--profile", "mum", "forget", "--yes")
    assert r.code == 0
    assert not (home / "data" / "profiles" / "mum").exists()
    assert not (home / "config" / "profiles" / "mum.toml").exists()
    assert (home / "data" / "journal.sqlite3").exists() and (home / "config" / "config.toml").exists()
    assert "Ocrevus" in run("log", "list").stdout


def test_forget_with_nothing_stored_says_so(run, home):
    r = run("forget", "--all", "--yes")
    assert r.code == 0 and "nothing was deleted" in r.stderr
    assert not home.exists()
