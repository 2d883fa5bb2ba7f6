"""Hostile input over every command and option: never a traceback, the exit codes of the
convention, a message on stderr, and a journal left byte for byte as it was after a
refused command."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.main import get_command

from infuse_cli.cli.app import app

ROOT = get_command(app)

DATES = ["0001-01-01", "9999-12-31", "2027-02-29", "2026-13-01", "", "9" * 10_000, "03/04/2026", "2026-1-5"]
COUNTS = ["0", "-1", "1000000000", "99999999999999999999999"]
NAMES = [
    "",
    " ",
    "nosuchdrug",
    "\u202eocrevus",
    "💉",
    "ocrévus",
    "x" * 10_000,
    "[bold]ocrevus[/]",
    "\x1b[31m",
]
HOSTILE_TEXT = [
    "[bold red]alarm[/]",
    "[link=https://example.invalid]click[/link]",
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;https://example.invalid\x07link\x1b]8;;\x07",
    "\x1b]0;title\x07",
    'a,b\n"quoted"\r\nEND:VEVENT',
    '=HYPERLINK("x")',
    "\u202eevil",
]


def commands(group: Any = ROOT, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command path and its Click command (a group's own options count too)."""
    for name, cmd in sorted(group.commands.items()):
        yield (*prefix, name), cmd
        if hasattr(cmd, "commands"):
            yield from commands(cmd, (*prefix, name))


ALL = list(commands())


@pytest.fixture
def journal(run, home: Path) -> Path:
    assert run("log", "add", "--drug", "ocrevus", "--date", "2025-09-01", "--note", "baseline").code == 0
    assert (
        run("reaction", "add", "--symptom", "headache", "--severity", "3", "--date", "2025-09-02").code == 0
    )
    assert run("questions", "add", "Mine").code == 0
    path = next((home / "data").rglob("journal.sqlite3"))
    return path


def _check(run, journal: Path, args: list[str], input: str = "") -> Any:
    before = journal.read_bytes()
    r = run(*args, input=input)
    assert r.code in (0, 1, 2, 3), (args, r)
    if r.code:
        assert r.stderr.strip(), (args, r)
        assert r.stderr.startswith(
            ("Error: ", "Nothing was changed", "Nothing was deleted", "Nothing was removed")
        ), (args, r)
        assert journal.read_bytes() == before, ("a refused command changed the journal", args, r)
    return r


def test_every_command_is_covered():
    names = {" ".join(path) for path, _ in ALL}
    expected = {
        "next",
        "plan",
        "checklist",
        "questions",
        "questions add",
        "labs",
        "glossary",
        "resources",
        "prep",
    }
    assert expected | {"log add", "forget", "import", "restore", "config set"} <= names


# ---------------------------------------------------------------- hand-picked cases


@pytest.mark.parametrize("value", DATES)
def test_dates_at_the_edges(run, journal: Path, value: str):
    for args in (
        ["next", "--drug", "ocrevus", "--start", value, "--all"],
        ["next", "--drug", "tysabri", "--last", value],
        ["plan", "--drug", "lemtrada", "--start", value, "--months", "120"],
        ["labs", "--drug", "mitoxantrone", "--start", value],
        ["prep", "--drug", "briumvi", "--last", value],
        ["log", "add", "--drug", "ocrevus", "--date", value],
        ["reaction", "add", "--symptom", "x", "--severity", "1", "--date", value],
        ["log", "list", "--since", value],
    ):
        _check(run, journal, args)


def test_an_ambiguous_date_shows_both_readings(run, journal: Path):
    r = _check(run, journal, ["log", "add", "--drug", "ocrevus", "--date", "03/04/2026"])
    assert r.code == 2 and "3 Apr 2026" in r.stderr and "4 Mar 2026" in r.stderr


def test_29_february_only_in_a_leap_year(run, journal: Path):
    assert _check(run, journal, ["next", "--drug", "ocrevus", "--start", "2027-02-29"]).code == 2
    assert _check(run, journal, ["next", "--drug", "ocrevus", "--start", "2028-02-29"]).code == 0


@pytest.mark.parametrize("value", COUNTS)
def test_counts_at_the_edges(run, journal: Path, value: str):
    for args in (
        ["next", "--drug", "ocrevus", "--count", value],
        ["next", "--drug", "ocrevus", "--delay", value],
        ["next", "--drug", "ocrevus", "--remind-days", value],
        ["plan", "--drug", "ocrevus", "--months", value],
        ["log", "list", "--limit", value],
        ["log", "rm", value],
        ["log", "edit", value, "--note", "x"],
        ["questions", "--asked", value],
        ["reaction", "add", "--symptom", "x", "--severity", value],
        ["log", "add", "--drug", "ocrevus", "--date", "2025-10-01", "--duration", value],
    ):
        _check(run, journal, args)


@pytest.mark.parametrize("name", NAMES)
def test_unknown_and_odd_names(run, journal: Path, name: str):
    for args in (
        ["info", name],
        ["compare", name, "tysabri"],
        ["next", "--drug", name],
        ["checklist", "--drug", name],
        ["questions", "--drug", name],
        ["labs", "--drug", name],
        ["prep", "--drug", name],
        ["glossary", name],
        ["resources", "--drug", name],
        ["log", "add", "--drug", name, "--date", "2025-01-01"],
        ["checklist", "--drug", "ocrevus", "--section", name],
        ["questions", "--topic", name],
        ["config", "set", "therapy", name],
        ["config", "set", "country", name],
        ["checklist", "--format", name],
    ):
        r = _check(run, journal, args)
        if name.strip() and r.code:
            assert "\x1b" not in r.stderr and "\u202e" not in r.stderr  # shown as codes, never sent


@pytest.mark.parametrize("target", ["/nonexistent/folder/out.file", "fifo", "folder", ""])
def test_paths_that_cannot_be_written(run, journal: Path, tmp_path: Path, target: str):
    if target == "fifo":  # not a regular file (a device would be too): never replaced
        target = str(tmp_path / "pipe")
        os.mkfifo(target)
    elif target == "folder":
        target = str(tmp_path)
    for args in (
        ["next", "--drug", "ocrevus", "--ics", target],
        ["plan", "--drug", "ocrevus", "--ics", target],
        ["prep", "--drug", "ocrevus", "--format", "html", "--out", target],
        ["export", "--out", target],
        ["backup", target],
    ):
        r = _check(run, journal, args)
        assert r.code != 0, args
    if target.endswith("pipe"):
        assert stat.S_ISFIFO(os.stat(target).st_mode)


def test_wrong_files_for_import_and_restore(run, journal: Path, tmp_path: Path):
    files = {
        "picture.png": bytes(range(256)) * 4,
        "table.csv": b"drug,date\nocrevus,2025-01-01\n",
        "list.json": b"[1, 2, 3]",
        "empty.json": b"",
        "future.json": json.dumps(
            {
                "schema": 1,
                "format": "infuse-journal",
                "infusions": [{"drug": "ocrevus", "date": "9999-12-31"}],
            }
        ).encode(),
        "newer.json": json.dumps({"schema": 99, "format": "infuse-journal", "infusions": []}).encode(),
        "question.json": json.dumps(
            {
                "schema": 1,
                "format": "infuse-journal",
                "infusions": [],
                "questions": [{"text": " ", "added": "2026-01-01"}],
            }
        ).encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        for command in ("import", "restore"):
            r = _check(run, journal, [command, str(tmp_path / name)])
            newer = command == "import" and name == "newer.json"  # exit 3: update infuse
            assert r.code == (3 if newer else 1), (command, name, r)
    for command in ("import", "restore"):
        assert _check(run, journal, [command, str(tmp_path / "missing.json")]).code != 0
        assert _check(run, journal, [command, str(tmp_path)]).code != 0


# ---------------------------------------------------------------- generated cases

TEXT = st.sampled_from(
    DATES + COUNTS + NAMES + HOSTILE_TEXT + ["ocrevus", "tysabri", "today", "md", "html"]
) | st.text(max_size=40)
INTS = st.sampled_from([0, -1, 1, 3, 500, 10**9, 2**63]) | st.integers(min_value=-5, max_value=10**6)


def _kind(cmd: Any, param: Any) -> Any:
    """The type a parameter's value is converted to, read from the command's function
    (Typer's own record of it differs between versions)."""
    hint = typing.get_type_hints(cmd.callback).get(param.name)
    inner = [arg for arg in typing.get_args(hint) if arg is not type(None)]  # X | None, list[X]
    return inner[0] if len(inner) == 1 else hint


def _value(draw: Any, kind: Any, name: str | None, tmp: Path) -> str:
    if kind is int:
        return str(draw(INTS))
    if kind is float:
        return str(draw(st.sampled_from([-1.0, 0.0, 0.5, 1e300, float("nan")])))
    if kind is Path or name in ("file", "out", "ics"):
        return draw(
            st.sampled_from([str(tmp / "out.txt"), str(tmp), "/nonexistent/x", str(tmp / "garbage.json")])
        )
    return draw(TEXT)


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_generated_arguments_never_crash(run, journal: Path, tmp_path: Path, data: st.DataObject):
    (tmp_path / "garbage.json").write_bytes(b"\x00\xff not json")
    baseline = journal.read_bytes()
    path, cmd = data.draw(st.sampled_from(ALL), label="command")
    args = list(path)
    params = [p for p in cmd.params if p.name not in ("help",)]
    for param in data.draw(
        st.lists(st.sampled_from(params), max_size=4, unique_by=id) if params else st.just([])
    ):
        if param.param_type_name == "argument":
            count = param.nargs if param.nargs > 0 else data.draw(st.integers(1, 3))
            args += [_value(data.draw, _kind(cmd, param), param.name, tmp_path) for _ in range(count)]
        elif param.is_flag:
            args.append(data.draw(st.sampled_from(param.opts + param.secondary_opts)))
        else:
            args += [param.opts[0], _value(data.draw, _kind(cmd, param), param.name, tmp_path)]
    _check(run, journal, args, input=data.draw(st.sampled_from(["", "y\nq\n", "yes\n", "no\n"])))
    if not journal.exists() or journal.read_bytes() != baseline:  # a command that may write did
        journal.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        journal.write_bytes(baseline)


# ---------------------------------------------------------------- terminal safety


@pytest.mark.parametrize("typed", HOSTILE_TEXT)
@pytest.mark.parametrize("colour", [False, True])
def test_user_text_is_stored_verbatim_and_shown_literally(run, home: Path, typed: str, colour: bool):
    assert run("log", "add", "--drug", "ocrevus", "--date", "2025-09-01", "--note", typed).code == 0
    assert run("reaction", "add", "--symptom", typed, "--severity", "2", "--date", "2025-09-02").code == 0
    assert run("questions", "add", typed).code == 0
    env = {"FORCE_COLOR": "1", "NO_COLOR": ""} if colour else None
    for args in (["log", "list"], ["journal"], ["questions"], ["prep", "--drug", "ocrevus"]):
        out = run(*args, env=env).stdout
        user_escapes = [s for s in ("\x1b]", "\x1b[31m", "\x07", "\u202e") if s in typed]
        for seq in user_escapes:
            assert seq not in out, (args, seq)
        if "[bold red]" in typed and args[0] != "prep":
            assert "[bold red]alarm[/]" in out  # shown, not turned into style
        if "[link=" in typed and args[0] != "prep":
            assert "[link=https://example.invalid]click[/link]" in out
    exported = json.loads(run("export").stdout)
    assert exported["infusions"][0]["note"] == typed
    assert exported["reactions"][0]["symptom"] == typed
    assert exported["questions"][0]["text"] == typed


def test_commas_quotes_and_newlines_stay_inside_one_csv_cell(run):
    note = 'a,b\n"quoted"\r\nnext line'
    assert run("log", "add", "--drug", "ocrevus", "--date", "2025-09-01", "--note", note).code == 0
    assert run("log", "add", "--drug", "ocrevus", "--date", "2025-03-01", "--note", "=1+1").code == 0
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout)))
    infusions = [r for r in rows if r["type"] == "infusion"]
    notes = sorted(r["note"] for r in infusions)
    assert len(infusions) == 2
    assert note.replace("\r\n", "\n") in [n.replace("\r\n", "\n") for n in notes]
    assert not any(n.startswith("=") for n in notes)  # a formula is never a formula


def test_newlines_in_text_cannot_break_out_of_a_calendar_property(run, home: Path, tmp_path: Path):
    from icalendar import Calendar

    source = (Path(__file__).parents[1] / "data" / "therapies" / "tysabri.toml").read_text(encoding="utf-8")
    folder = home / "config" / "therapies"
    folder.mkdir(parents=True)
    # A brand with line breaks is refused when the file is read: it never reaches a calendar.
    sneaky = source.replace('id = "tysabri"', 'id = "sneaky"', 1).replace(
        'brand = "Tysabri"', 'brand = "Sneaky\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:injected, really;"', 1
    )
    (folder / "sneaky.toml").write_text(sneaky, encoding="utf-8")
    out = tmp_path / "s.ics"
    r = run("next", "--drug", "sneaky", "--count", "2", "--ics", str(out))
    assert r.code == 1 and "'brand'" in r.stderr and "control character" in r.stderr
    assert not out.exists()
    # Commas, semicolons and property words on one line are escaped inside the value.
    sneaky = source.replace('id = "tysabri"', 'id = "sneaky"', 1).replace(
        'brand = "Tysabri"', 'brand = "Sneaky END:VEVENT BEGIN:VEVENT SUMMARY:injected, really;"', 1
    )
    (folder / "sneaky.toml").write_text(sneaky, encoding="utf-8")
    r = run("next", "--drug", "sneaky", "--count", "2", "--ics", str(out))
    assert r.code == 0, r
    cal = Calendar.from_ical(out.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    assert all("END:VEVENT" in str(e["SUMMARY"]) for e in events)  # inside the value, not a new event
    assert not any(str(e["SUMMARY"]).startswith("injected") for e in events)
