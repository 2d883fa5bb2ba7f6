"""Every --help has a one-line summary and an example; docs/cli.md is current."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest
from typer.main import get_command

from infuse_cli.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


def _paths(group=None, prefix=""):  # type: ignore[no-untyped-def]
    group = group if group is not None else get_command(app)
    for name, cmd in sorted(group.commands.items()):
        yield f"{prefix}{name}"
        if hasattr(cmd, "commands"):
            yield from _paths(cmd, f"{prefix}{name} ")


@pytest.mark.parametrize("name", ["", *_paths()])
def test_help_has_a_summary_and_an_example(run, name: str) -> None:
    r = run(*name.split(), "--help")
    assert r.code == 0
    assert "Examples:" in r.stdout
    assert re.search(r"Examples:\n(\s+infuse .+\n)+", r.stdout)
    lines = [line for line in r.stdout.splitlines() if line.strip()]
    summary = lines[1].strip()
    assert summary and len(summary) <= 80


def test_root_help_shows_each_summary_whole(run) -> None:
    r = run("--help")
    commands = r.stdout.split("Commands:")[1]
    assert "..." not in commands


def _typer_is_pinned() -> bool:
    """Whether the installed Typer is one pyproject.toml allows: the one the docs are made with."""
    import tomllib
    from importlib.metadata import version

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pin = next(Requirement(d) for d in project["dependencies"] if Requirement(d).name == "typer")
    return pin.specifier.contains(version("typer"), prereleases=True)


# What one Typer lays out differently from another: type labels after an argument's name
# (<str>, <int range>) and number ranges (1<=x<=500, x>=0). Wrapping and brackets are
# left out by comparing words.
_LAYOUT = re.compile(r"<[a-z][^<>]*>|(?:-?[\d.]+<=?)?x(?:<=?|>=?)-?[\d.]+")
_SECTION = re.compile(r"^(?:## |\.SS )", re.MULTILINE)


def _content(text: str) -> list[Counter[str]]:
    """Each command's section as the words in it, without Typer's layout."""
    return [Counter(re.findall(r"[\w'-]+", _LAYOUT.sub(" ", part))) for part in _SECTION.split(text)]


def _assert_current(rendered: str, current: str, stale: str) -> None:
    if _typer_is_pinned():
        assert rendered == current, stale
    else:  # a Typer past the pin (scripts/typer_next.sh): the same commands, options and words
        assert _content(rendered) == _content(current), stale


def test_the_cli_reference_is_current() -> None:
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "scripts" / "cli_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    _assert_current(module.render(), current, "docs/cli.md is stale: run python scripts/cli_reference.py")


def test_the_man_page_is_current_and_reads_in_man() -> None:
    import shutil
    import subprocess

    spec = importlib.util.spec_from_file_location("man_page", ROOT / "scripts" / "man_page.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = ROOT / "man" / "infuse.1"
    _assert_current(
        module.render(), page.read_text(encoding="utf-8"), "man/infuse.1 is stale: run scripts/man_page.py"
    )
    from conftest import real_part

    real_part(shutil.which("man"), "man (the page was checked for staleness only)")
    shown = subprocess.run(
        ["man", "-l", str(page)],
        capture_output=True,
        text=True,
        env={"MANWIDTH": "80", "PATH": "/usr/bin:/bin"},
    )
    assert shown.returncode == 0 and "infuse log add" in shown.stdout and "INFUSE_HOME" in shown.stdout
