"""Every test runs in its own home: no test touches a real user's files."""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infuse_cli.cli.app import app

TODAY = "2026-01-05"

# No network anywhere: an audit hook in this process, and (through PYTHONPATH) in every
# Python process a test starts. Attempts are logged, refused, and fail the test.
NOSOCKET = Path(__file__).parent / "nosocket"
_spec = importlib.util.spec_from_file_location("_infuse_nosocket", NOSOCKET / "sitecustomize.py")
assert _spec is not None and _spec.loader is not None
_spec.loader.exec_module(importlib.util.module_from_spec(_spec))


@pytest.fixture(autouse=True)
def _no_network(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    log = tmp_path_factory.mktemp("net") / "socket.log"
    monkeypatch.setenv("INFUSE_TEST_SOCKET_LOG", str(log))
    search = [str(NOSOCKET), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, search)))
    yield log
    attempts = log.read_text(encoding="utf-8") if log.exists() else ""
    assert not attempts, f"network use during the test:\n{attempts}"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFUSE_HOME", str(tmp_path / "home"))
    # The daily check's units live under XDG_CONFIG_HOME: never the real one. No test reaches
    # a real user session: XDG_RUNTIME_DIR (where systemd's user socket lives) and the
    # session bus are the test's own, so `systemctl --user` finds no manager.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "xdg-runtime"))
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("INFUSE_TODAY", TODAY)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "xterm-256color")
    for name in ("FORCE_COLOR", "INFUSE_PROFILE", "CLICOLOR_FORCE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


class Result:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code = code
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self) -> str:
        return f"Result(code={self.code}, stdout={self.stdout[:400]!r}, stderr={self.stderr[:400]!r})"


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run infuse through Typer's test runner; stdout and stderr kept apart."""

    def _run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(app, list(args), input=input, env=env, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert "Traceback" not in result.stderr
        return Result(result.exit_code, result.stdout, result.stderr)

    return _run


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)")


def visible(text: str) -> str:
    return ANSI.sub("", text)


def widest(text: str) -> int:
    return max((len(line) for line in visible(text).splitlines()), default=0)


def real_part(found: str | None, what: str) -> str:
    """A real program a test drives (a browser, a terminal, a calendar client, man): the
    path to it. Where it is missing the test skips and says why; in CI (``CI=true``),
    where .ci/run installs them all, a missing one fails the run instead."""
    if found is not None:
        return found
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"{what} is missing in CI; .ci/run installs it, so the test must run here")
    pytest.skip(f"{what} is not installed here")


def _khal_path() -> str | None:
    import shutil
    import sys

    found = Path(sys.executable).with_name("khal")
    return str(found) if found.exists() else shutil.which("khal")


@pytest.fixture
def khal(tmp_path: Path) -> Callable[..., str]:
    """A real calendar client (khal) with an empty calendar of its own; skips if missing."""
    import subprocess

    program = real_part(_khal_path(), "khal (a real calendar client)")
    cal = tmp_path / "khal-cal"
    cal.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[infuse]]\npath = {cal}\ntype = calendar\n"
        "[locale]\nlocal_timezone = UTC\ndefault_timezone = UTC\ntimeformat = %H:%M\n"
        "dateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "[default]\ndefault_calendar = infuse\n",
        encoding="utf-8",
    )
    env = dict(
        os.environ, XDG_DATA_HOME=str(tmp_path / "xdg-data"), XDG_CACHE_HOME=str(tmp_path / "xdg-cache")
    )

    def run_khal(*args: str) -> str:
        out = subprocess.run(
            [program, "-c", str(config), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=True,
        )
        return out.stdout

    return run_khal
