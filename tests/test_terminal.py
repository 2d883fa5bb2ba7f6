"""infuse in a real terminal: tmux panes 40 and 80 columns wide.

Each test starts its own tmux server (a private socket, no config file), runs the
installed `infuse` in panes of a fixed size and reads the screen back with
capture-pane: the answer is on screen, no line runs past the edge, colour is used
on a terminal but never alone, `--plain` has no colour, box drawing or emoji, and
the interactive checklist works from the keyboard.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import real_part

TMUX = shutil.which("tmux")


@pytest.fixture(autouse=True)
def _needs_tmux() -> None:
    real_part(TMUX, "tmux (a real terminal)")


INFUSE = shutil.which("infuse") or str(Path(sys.executable).parent / "infuse")
TODAY = "2026-01-05"
ROWS = 50  # the screen; longer output is read back from the scrollback
TIMEOUT = 20.0  # seconds to wait for text to appear; a ceiling, not a measurement
ESC = re.compile(r"\x1b\[[0-9;:?]*[A-Za-z]")


def _tmux_env(tmp_path: Path, sockets: str) -> dict[str, str]:
    """A clean environment for the tmux server: UTF-8, its sockets in a private folder
    (a short path: a socket's path is limited to about 100 bytes), nothing else."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path / "user"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TMUX_TMPDIR": sockets,
    }


def _child_env(tmp_path: Path) -> list[str]:
    """What infuse sees inside the pane. `env -i` leaves out NO_COLOR, COLUMNS and LINES,
    so colour and width come from the terminal itself."""
    return [
        "env",
        "-i",
        f"PATH={os.environ.get('PATH', '/usr/bin:/bin')}",
        f"HOME={tmp_path / 'user'}",
        "LANG=C.UTF-8",
        f"INFUSE_HOME={tmp_path / 'home'}",
        f"INFUSE_TODAY={TODAY}",
        "TERM=xterm-256color",
    ]


class Pane:
    def __init__(self, term: Terminal, name: str, status: Path) -> None:
        self.term = term
        self.name = name
        self.status = status

    def screen(self, *, escapes: bool = False, joined: bool = False) -> str:
        """The pane as the terminal shows it, scrollback included, blank tail removed."""
        flags = ["-p", "-S", "-", "-E", "-"]
        if escapes:
            flags.append("-e")
        if joined:
            flags.append("-J")
        out = self.term.tmux("capture-pane", *flags, "-t", self.name)
        lines = out.split("\n")
        while lines and not visible(lines[-1]).strip():
            lines.pop()
        return "\n".join(lines)

    def wait_for(self, text: str) -> str:
        """Poll the screen until `text` shows (spaces and line breaks ignored)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            screen = self.screen(joined=True)
            if squash(text) in squash(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear on screen:\n{screen}")
            time.sleep(0.05)

    def send(self, *keys: str) -> None:
        self.term.tmux("send-keys", "-t", self.name, *keys)

    def wait_exit(self) -> int:
        """Wait until infuse has exited and tmux has read all its output; return its exit code."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            code = self.status.read_text().strip() if self.status.exists() else ""
            dead = self.term.tmux("display-message", "-p", "-t", self.name, "#{pane_dead}").strip()
            if code and dead == "1":
                return int(code)
            if time.monotonic() > deadline:
                raise AssertionError(f"infuse did not finish in pane {self.name}:\n{self.screen()}")
            time.sleep(0.05)


class Terminal:
    """One private tmux server; each `run` is a new session of `cols` x ROWS."""

    def __init__(self, tmp_path: Path, cols: int) -> None:
        self.tmp_path = tmp_path
        self.cols = cols
        self.socket = f"infuse-{uuid.uuid4().hex[:10]}"
        self.sockets = tempfile.mkdtemp(prefix="infuse-tmux-")
        self.env = _tmux_env(tmp_path, self.sockets)
        self.count = 0
        (tmp_path / "user").mkdir(exist_ok=True)

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run(
            [TMUX, "-u", "-L", self.socket, "-f", "/dev/null", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        assert done.returncode == 0, f"tmux {args[0]} failed: {done.stderr}"
        return done.stdout

    def run(self, *args: str) -> Pane:
        self.count += 1
        name = f"p{self.count}"
        status = self.tmp_path / f"{self.socket}-{name}.status"
        # The exit code goes to a file, so the pane shows infuse's output and nothing else.
        script = '"$0" "$@"; echo "$?" > "$STATUS.tmp" && mv "$STATUS.tmp" "$STATUS"'
        command = [*_child_env(self.tmp_path), f"STATUS={status}", "sh", "-c", script, INFUSE, *args]
        setup: list[str] = []
        if self.count == 1:
            # Keep finished panes on screen, say nothing in them, and keep long output.
            setup = ["start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";"]
            setup += ["set-option", "-g", "remain-on-exit-format", "", ";"]
            setup += ["set-option", "-g", "history-limit", "5000", ";"]
        self.tmux(*setup, "new-session", "-d", "-s", name, "-x", str(self.cols), "-y", str(ROWS), *command)
        return Pane(self, name, status)

    def close(self) -> None:
        try:
            if self.count:
                subprocess.run(
                    [TMUX or "tmux", "-L", self.socket, "-f", "/dev/null", "kill-server"],
                    env=self.env,
                    capture_output=True,
                    timeout=TIMEOUT,
                )
        finally:
            shutil.rmtree(self.sockets, ignore_errors=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[[int], Terminal]]:
    made: list[Terminal] = []

    def make(cols: int) -> Terminal:
        term = Terminal(tmp_path, cols)
        made.append(term)
        return term

    try:
        yield make
    finally:
        for term in made:
            term.close()


def visible(text: str) -> str:
    return ESC.sub("", text)


def squash(text: str) -> str:
    return " ".join(text.split())


def too_wide(screen: str, cols: int) -> list[str]:
    return [line for line in visible(screen).splitlines() if len(line) > cols]


def infuse_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(INFUSE_HOME=str(tmp_path / "home"), INFUSE_TODAY=TODAY, NO_COLOR="1")
    return env


def infuse(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [INFUSE, *args], env=infuse_env(tmp_path), capture_output=True, text=True, timeout=TIMEOUT
    )


def decorations(text: str) -> list[str]:
    """Escape sequences, box drawing, bullets and emoji: what --plain must not print."""
    found = ["ESC"] if "\x1b" in text else []
    for ch in set(text):
        cp = ord(ch)
        if 0x2500 <= cp <= 0x257F or ch == "•" or cp >= 0x1F300 or 0x2600 <= cp <= 0x27BF:
            found.append(f"U+{cp:04X} {ch}")
    return sorted(found)


# Each case: the command, and words a reader must find on screen. Dates are written out by
# hand: 6 months after Mon 1 Sep 2025 is Sun 1 Mar 2026, 55 days after Mon 5 Jan 2026; a
# Sunday, so the booking moves to Mon 2 Mar 2026.
CASES: dict[str, tuple[list[str], list[str]]] = {
    "next": (
        ["next", "--drug", "ocrevus", "--last", "2025-09-01"],
        ["Sun 1 Mar 2026", "in 56 days", "Mon 2 Mar 2026", "weekend", "600 mg", "care team"],
    ),
    "compare": (
        ["compare", "tysabri", "briumvi"],
        ["Tysabri", "Briumvi", "natalizumab", "ublituximab-xiiy", "PML", "TOUCH", "care team"],
    ),
    "checklist": (
        ["checklist", "--drug", "ocrevus", "--first"],
        ["first infusion", "What to bring", "Photo ID", "vaccines", "ride home", "Solu-Medrol"],
    ),
    "glossary": (
        ["glossary", "pml"],
        ["PROGRESSIVE MULTIFOCAL", "LEUKOENCEPHALOPATHY", "JC virus", "confusion", "TOUCH program"],
    ),
    "plan": (
        ["plan", "--drug", "ocrevus", "--last", "2025-09-01"],
        ["January 2026", "December 2026", "Mon 2 Mar 2026", "Tue 1 Sep 2026", "ride home", "overdue"],
    ),
    "help": (
        ["--help"],
        ["Usage: infuse", "infuse compare tysabri briumvi", "Commands", "next", "checklist", "glossary"],
    ),
}


def _params() -> Iterator[object]:
    for case in CASES:
        for cols in (40, 80):
            yield pytest.param(case, cols, id=f"{case}-{cols}")


@pytest.mark.parametrize(("case", "cols"), list(_params()))
def test_the_answer_fits_the_terminal(case: str, cols: int, terminal) -> None:
    args, words = CASES[case]
    term = terminal(cols)
    pane = term.run(*args)
    assert pane.wait_exit() == 0, pane.screen()

    # As the terminal shows it: no line past the edge.
    shown = pane.screen()
    assert not too_wide(shown, cols), shown
    # Line by line as infuse wrote it: infuse wrapped its own text, so no word was split
    # by the terminal's hard wrap at the edge.
    joined = pane.screen(joined=True)
    assert not too_wide(joined, cols), f"lines infuse wrote wider than {cols} columns:\n" + "\n".join(
        too_wide(joined, cols)
    )
    # Nothing was cut off: every key word is there, whole.
    missing = [w for w in words if squash(w) not in squash(joined)]
    assert not missing, f"missing {missing}:\n{joined}"
    assert "…" not in joined and "Traceback" not in joined


@pytest.mark.parametrize("cols", [40, 80])
@pytest.mark.parametrize("case", [c for c in CASES if c != "help"])
def test_colour_on_a_terminal_and_none_in_plain(case: str, cols: int, terminal) -> None:
    args, words = CASES[case]
    term = terminal(cols)
    rich, plain = term.run(*args), term.run(*args, "--plain")
    assert rich.wait_exit() == 0, rich.screen()
    assert plain.wait_exit() == 0, plain.screen()

    assert "\x1b[" in rich.screen(escapes=True), "no colour or style on a colour terminal"

    screen = plain.screen(escapes=True)
    assert decorations(screen) == [], screen
    assert not too_wide(plain.screen(joined=True), cols), screen
    missing = [w for w in words if squash(w) not in squash(plain.screen(joined=True))]
    assert not missing, f"missing {missing} in --plain:\n{screen}"


@pytest.mark.parametrize("cols", [40, 80])
def test_overdue_is_said_in_words_not_only_in_colour(cols: int, terminal) -> None:
    # 6 months after Sat 1 Mar 2025 was Mon 1 Sep 2025: overdue on Mon 5 Jan 2026.
    term = terminal(cols)
    rich = term.run("next", "--drug", "ocrevus", "--last", "2025-03-01")
    plain = term.run("next", "--drug", "ocrevus", "--last", "2025-03-01", "--plain")
    assert rich.wait_exit() == 0, rich.screen()
    assert plain.wait_exit() == 0, plain.screen()

    for pane in (rich, plain):
        text = visible(pane.screen(joined=True))
        assert "overdue" in text.lower(), text
        assert "Mon 1 Sep 2025" in text, text
        assert not too_wide(pane.screen(), cols)
    assert decorations(plain.screen(escapes=True)) == []


def test_the_interactive_checklist_works_from_the_keyboard(terminal, tmp_path: Path) -> None:
    logged = infuse(tmp_path, "log", "add", "--drug", "tysabri", "--date", "2025-12-15", "--first")
    assert logged.returncode == 0, logged.stderr

    term = terminal(40)
    pane = term.run("checklist", "--interactive")
    pane.wait_for("Done? y, n or q:")
    pane.send("y", "Enter")
    pane.wait_for("Ticked. 1 of")
    pane.send("n", "Enter")
    pane.wait_for("Item 3 of")
    pane.send("q", "Enter")
    pane.wait_for("Stopped: 1 of")
    assert pane.wait_exit() == 0, pane.screen()

    shown = pane.screen()
    assert not too_wide(shown, 40), shown
    assert not too_wide(pane.screen(joined=True), 40), "infuse did not wrap its questions:\n" + shown
    prompts = [line for line in shown.splitlines() if line.startswith("Done? y, n or q:")]
    assert len(prompts) == 3, shown
    assert all(len(line) <= 40 for line in prompts)
    assert "Run the same command to go on" in squash(pane.screen(joined=True))

    # The tick was kept: exactly one item is done, and the one answered "n" is not.
    listed = infuse(tmp_path, "checklist", "--plain")
    assert listed.returncode == 0, listed.stderr
    ticked = [line for line in listed.stdout.splitlines() if line.startswith("[x]")]
    assert len(ticked) == 1, listed.stdout


@pytest.mark.parametrize("cols", [40, 80])
def test_the_monitoring_ledger_grid_fits_and_marks_without_colour(
    cols: int, terminal, tmp_path: Path
) -> None:
    # Lemtrada from Mon 6 Jan 2025 (five days): blood counts are due monthly from 6 Feb 2025.
    # Recorded every month except May and Sep 2025; on Mon 5 Jan 2026 the Jan window is open.
    assert (
        infuse(
            tmp_path, "log", "add", "lemtrada", "--date", "2025-01-06", "--days", "5", "--first"
        ).returncode
        == 0
    )
    for month in (2, 3, 4, 6, 7, 8, 10, 11, 12):
        added = infuse(tmp_path, "labs", "add", "cbc", "--date", f"2025-{month:02d}-06")
        assert added.returncode == 0, added.stderr
    term = terminal(cols)
    rich, plain = term.run("labs"), term.run("labs", "--plain")
    assert rich.wait_exit() == 0, rich.screen()
    assert plain.wait_exit() == 0, plain.screen()
    for pane in (rich, plain):
        assert not too_wide(pane.screen(), cols), pane.screen()
        assert not too_wide(pane.screen(joined=True), cols), pane.screen(joined=True)
    shown = visible(rich.screen(joined=True))
    row = next(line for line in shown.splitlines() if line.startswith("2025"))
    assert row.split() == ["2025", "✓", "✓", "✓", "✗", "✓", "✓", "✓", "✗", "✓", "✓", "✓"], shown
    assert "✓ done, ✗ missed, ! due now, · ahead" in squash(shown)
    text = plain.screen(joined=True)
    row = next(line for line in text.splitlines() if line.startswith("2025"))
    assert row.split() == ["2025", "D", "D", "D", "M", "D", "D", "D", "M", "D", "D", "D"], text
    assert next(line for line in text.splitlines() if line.startswith("2026")).split()[:2] == ["2026", "N"]
    # Course 2 is planned for Mon 12 to Wed 14 Jan 2026 (the label's 10 Jan is a Saturday), so
    # the tests run until 48 months after 14 Jan 2026: the last monthly window is 6 Jan 2030,
    # 60 in all from 6 Feb 2025.
    assert "9 of 60 done, 2 missed, until Jan 2030" in squash(text)
    assert decorations(plain.screen(escapes=True)) == []
