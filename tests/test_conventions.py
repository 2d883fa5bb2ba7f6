"""The conventions people expect of a command-line tool: text laid out in terminal cells,
any output encoding."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rich.cells import cell_len

NOTE = "点滴のあとで少し頭痛がありました。水をたくさん飲んで、よく休みました。次回は看護師に相談します。"


def test_a_japanese_note_keeps_the_journal_within_the_terminal(run) -> None:
    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-01", "--note", NOTE).code == 0
    assert (
        run("log", "add", "--drug", "tysabri", "--date", "2025-11-03", "--note", "café ok 👍 done").code == 0
    )
    for columns in ("40", "60", "100"):
        for args in (("log", "list"), ("journal",)):
            r = run(*args, env={"COLUMNS": columns})
            assert r.code == 0
            widest = max(cell_len(line) for line in r.stdout.splitlines())
            assert widest <= int(columns), (columns, args, widest)
    # At 100 columns the table keeps its columns: the note's second line starts under its first.
    lines = run("log", "list", env={"COLUMNS": "100"}).stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if "点滴" in line)
    start = cell_len(lines[first][: lines[first].index("点滴")])
    assert lines[first + 1][:start].strip() == "" and lines[first + 1][start : start + 1].strip()


def test_any_output_encoding_prints_without_a_traceback(home: Path) -> None:
    env = dict(os.environ, INFUSE_HOME=str(home), INFUSE_TODAY="2026-01-05")
    for encoding in ("cp1252", "ascii"):
        r = subprocess.run(
            [sys.executable, "-m", "infuse_cli", "compare", "tysabri", "briumvi"],
            env={**env, "PYTHONIOENCODING": encoding},
            capture_output=True,
            timeout=60,
        )
        assert r.returncode == 0 and b"Traceback" not in r.stderr, (encoding, r.stderr)
        text = r.stdout.decode(encoding)
        assert "Tysabri" in text and "Briumvi" in text


def test_plain_before_the_command_as_a_variable_and_as_a_setting(run) -> None:
    colour = {"FORCE_COLOR": "1", "NO_COLOR": ""}
    assert "\x1b[" in run("compare", "tysabri", "briumvi", env=colour).stdout
    for args, env in (
        (("--plain", "compare", "tysabri", "briumvi"), colour),
        (("compare", "tysabri", "briumvi", "--plain"), colour),
        (("compare", "tysabri", "briumvi"), {**colour, "INFUSE_PLAIN": "1"}),
    ):
        r = run(*args, env=env)
        assert r.code == 0 and "\x1b[" not in r.stdout, args
    assert run("config", "set", "plain", "true").code == 0
    assert "\x1b[" not in run("compare", "tysabri", "briumvi", env=colour).stdout
    assert run("config", "get", "plain").stdout.strip() == "True"
    assert run("config", "set", "plain", "false").code == 0
    assert "\x1b[" in run("compare", "tysabri", "briumvi", env=colour).stdout
    assert run("config", "set", "plain", "maybe").code == 2


def test_help_at_40_columns_wraps_each_command_description_instead_of_cutting_it(home: Path) -> None:
    env = dict(os.environ, INFUSE_HOME=str(home), COLUMNS="40")
    for args in (("--help",), ("log", "--help"), ("config", "--help")):
        r = subprocess.run(
            [sys.executable, "-m", "infuse_cli", *args], env=env, capture_output=True, text=True, timeout=60
        )
        assert r.returncode == 0
        listed = r.stdout.split("Commands:", 1)[1]
        assert "..." not in listed, args
        examples = ("Usage:", "    infuse ")  # a command to copy is not broken across lines
        assert all(
            len(line) <= 40
            for line in r.stdout.splitlines()
            if not line.lstrip(" ").startswith(examples[0]) and not line.startswith(examples[1])
        ), args
    top = subprocess.run(
        [sys.executable, "-m", "infuse_cli", "--help"], env=env, capture_output=True, text=True
    )
    assert "compare Therapies side by side, one column each." in " ".join(top.stdout.split())


def test_the_therapy_may_be_named_as_an_argument_wherever_drug_is_accepted(run) -> None:
    for command, extra in (
        ("next", ("--last", "2026-01-05")),
        ("plan", ("--last", "2026-01-05")),
        ("checklist", ()),
        ("labs", ("--start", "2025-03-03")),
        ("prep", ()),
    ):
        plain = () if command == "prep" else ("--plain",)  # prep writes a sheet: --format
        named = run(command, "tysabri", *extra, *plain)
        flagged = run(command, "--drug", "tysabri", *extra, *plain)
        assert named.code == 0 and named.stdout == flagged.stdout, command
    assert (
        run("reaction", "symptoms", "ocrevus").stdout
        == run("reaction", "symptoms", "--drug", "ocrevus").stdout
    )
    r = run("next", "ocrevus", "--drug", "tysabri")
    assert r.code == 2 and "Give the therapy once" in r.stderr


def _complete(home: Path, words: str) -> list[str]:
    env = dict(
        os.environ,
        INFUSE_HOME=str(home),
        _INFUSE_COMPLETE="complete_bash",
        COMP_WORDS=words,
        COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    )
    r = subprocess.run(
        [sys.executable, "-m", "infuse_cli"], env=env, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


def test_the_shell_completes_commands_therapies_and_profiles(run, home: Path) -> None:
    assert _complete(home, "infuse next --drug oc") == ["ocrevus", "ocrevus-zunovo"]
    assert _complete(home, "infuse checklist ty") == ["tyruko", "tysabri"]
    assert "next" in _complete(home, "infuse ne")
    assert run("profiles", "add", "mum").code == 0
    assert _complete(home, "infuse --profile m") == ["mum"]
    env = dict(os.environ, INFUSE_HOME=str(home))
    script = subprocess.run(
        [sys.executable, "-m", "infuse_cli", "--show-completion", "bash"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert script.returncode == 0 and "_INFUSE_COMPLETE" in script.stdout
    assert "--install-completion" not in run("--help").stdout  # normal runs do not build it


def test_every_command_body_stays_thin() -> None:
    root = Path(__file__).resolve().parent.parent
    r = subprocess.run(
        [sys.executable, str(root / "scripts" / "command_size.py"), "--check"], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout
    sizes = [int(line.split()[-1]) for line in r.stdout.splitlines() if line.startswith("infuse ")]
    assert len(sizes) >= 30 and max(sizes) <= 40  # every command and subcommand is counted


def test_the_visit_sheet_as_plain_text_reads_without_markup(run, tmp_path: Path) -> None:
    first = ("--drug", "ocrevus", "--date", "2025-12-01", "--dose", "300 mg", "--first")
    assert run("log", "add", *first).code == 0
    r = run("prep", "ocrevus", "--format", "text")
    assert r.code == 0, r.stderr
    assert "Checklist" in r.stdout and "Questions to ask" in r.stdout
    # Ocrevus: the second 300 mg infusion 2 weeks after the first (1 Dec 2025 + 14 days).
    assert "15 Dec 2025" in r.stdout
    for mark in ("#", "<", "**", "\x1b"):
        assert mark not in r.stdout, mark
    out = tmp_path / "sheet.txt"
    assert run("prep", "ocrevus", "--format", "text", "--out", str(out)).code == 0
    assert out.read_text(encoding="utf-8") and max(len(x) for x in out.read_text().splitlines()) <= 72
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_help_offers_only_the_formats_a_command_accepts(run) -> None:
    for command, formats in (("prep", ["md", "html", "text"]), ("checklist", ["text", "md", "json"])):
        helped = " ".join(run(command, "--help", env={"COLUMNS": "120"}).stdout.split())
        assert f"{formats[0]}, {formats[1]} or {formats[2]}" in helped
        assert run(command, "--format", "pdf").code == 2


def test_every_command_without_json_or_plain_is_named_in_the_readme() -> None:
    """The README says exactly which commands lack --json or --plain, and why."""
    import re

    from typer.main import get_command

    from infuse_cli.cli.app import app

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- no-json-plain")[1].split("<!-- end no-json-plain")[0]
    named = set(re.findall(r"`(?:infuse )?([a-z]+(?: [a-z]+)?)`", section))
    group = get_command(app)
    lacking = set()
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subs = getattr(command, "commands", None) or {}
        for full, cmd in [(name, command)] + [(f"{name} {s}", c) for s, c in subs.items()]:
            groups = ("log", "reaction", "config", "labs", "symptom", "relapse", "remind")
            if full in groups:  # groups: their help
                continue
            options = {o for p in cmd.params for o in getattr(p, "opts", [])}
            if not {"--json", "--plain"} <= options:
                lacking.add(full)
    assert lacking, "the check found no command at all"
    assert lacking <= named, sorted(lacking - named)


def test_resources_and_reaction_symptoms_answer_in_json_too(run) -> None:
    import json

    data = json.loads(run("resources", "--topic", "money", "--drug", "ocrevus", "--json").stdout)
    assert data["drug"] == "ocrevus" and [t["id"] for t in data["topics"]] == ["money"]
    assert all(r["title"] and r["text"] for r in data["topics"][0]["resources"])
    # Ocrevus's label lists reaction symptoms; they come back as a list of words.
    symptoms = json.loads(run("reaction", "symptoms", "ocrevus", "--json").stdout)
    assert symptoms["drug"] == "ocrevus" and "itchy skin" in symptoms["symptoms"]
    shown = run("paths", "--plain")
    assert shown.code == 0 and "Journal" in shown.stdout


def test_data_for_programs_keeps_every_character_whatever_the_terminal(run, home: Path) -> None:
    """JSON and CSV on stdout are UTF-8 even where the terminal is ASCII: an export piped to a
    file must import back as it was, not with '?' in place of letters."""
    note = "café – naïve 日本"
    assert run("log", "add", "tysabri", "--date", "2025-12-01", "--note", note).code == 0
    env = dict(os.environ, INFUSE_HOME=str(home), INFUSE_TODAY="2026-01-05", PYTHONIOENCODING="ascii")
    for args in (["export"], ["export", "--format", "csv"], ["log", "list", "--json"]):
        r = subprocess.run(
            [sys.executable, "-m", "infuse_cli", *args], env=env, capture_output=True, timeout=60
        )
        assert r.returncode == 0, r.stderr
        assert note in r.stdout.decode("utf-8"), args
    # What a person reads on that terminal is still shown, in its nearest plain form.
    shown = subprocess.run(
        [sys.executable, "-m", "infuse_cli", "log", "list"], env=env, capture_output=True, timeout=60
    )
    assert shown.returncode == 0 and b"cafe - na" in shown.stdout
