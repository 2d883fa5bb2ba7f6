"""Desktop notifications, and the daily check that shows them.

``notify(lines)`` shows what is due as one desktop notification (``notify-send`` on Linux,
``osascript`` on macOS; nothing goes over the network). ``plan``/``install``/``uninstall``/
``status`` manage the daily check that runs ``infuse due --notify``:

* Linux (and others) with systemd (``systemctl`` installed): a user timer and service in
  ``$XDG_CONFIG_HOME/systemd/user`` (default ``~/.config/systemd/user``), enabled with
  ``systemctl --user enable``. With a running user manager (its socket
  ``$XDG_RUNTIME_DIR/systemd/private`` exists) infuse also reloads it and starts the timer
  at once; without one, ``enable`` only links the timer, and it starts at the next login.
* macOS: a launchd agent, ``~/Library/LaunchAgents/local.infuse.due.plist``.
* Otherwise (or with ``--cron``): the crontab line to add; nothing is changed.

The platform is read by ``_system()`` alone, so a test can ask for the macOS path.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from infuse_cli.core import dailycheck as check
from infuse_cli.core.errors import InfuseError

if TYPE_CHECKING:
    import subprocess

NOTIFIER_WAIT = 10  # seconds a notifier may take before it is given up
TOOL_WAIT = 30  # seconds for systemctl or launchctl
MOST_LINES = 12  # a notification longer than this is cut, with a pointer to `infuse due`


def _system() -> str:
    return sys.platform


# ---------------------------------------------------------------- notifications


def _notifier() -> list[str] | None:
    """The program that shows a notification here, or None."""
    if _system() == "darwin":
        found = shutil.which("osascript")
        # The title and the text are passed as arguments, never spliced into the script.
        script = "display notification (item 2 of argv) with title (item 1 of argv)"
        return [found, "-e", "on run argv", "-e", script, "-e", "end run"] if found else None
    found = shutil.which("notify-send")
    return [found, "--app-name=infuse"] if found else None


def _body(lines: list[str]) -> list[str]:
    if len(lines) > MOST_LINES:
        rest = len(lines) - (MOST_LINES - 1)
        lines = [*lines[: MOST_LINES - 1], f"… and {rest} more: infuse due"]
    return lines


def _markup(text: str) -> str:
    """notify-send's body may be read as a little HTML: <, > and & are escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def send(title: str, lines: list[str]) -> bool:
    """Show one desktop notification: ``title``, and ``lines`` as its text. False when this
    machine has no notifier (the caller then prints the lines); a notifier that fails or
    hangs (more than 10 s) is an ``InfuseError`` with one sentence."""
    program = _notifier()
    if program is None:
        return False
    body = "\n".join(_body(lines))
    if _system() == "darwin":
        words = [*program, title, body]
    else:
        body = _markup(body)
        # notify-send reads a word starting with "-" as an option, and not every version
        # takes "--": a text that would start with one starts with a space instead.
        words = [*program, title, " " + body if body.startswith("-") else body]
    import subprocess

    name = Path(program[0]).name
    try:
        done = subprocess.run(
            words, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=NOTIFIER_WAIT
        )
    except subprocess.TimeoutExpired:
        raise InfuseError(
            f"The desktop notifier ({name}) did not answer within {NOTIFIER_WAIT} seconds."
        ) from None
    except OSError as err:
        raise InfuseError(
            f"The desktop notifier ({name}) could not be started: {err.strerror or err}."
        ) from None
    if done.returncode != 0:
        raise InfuseError(f"The desktop notifier ({name}) failed: {_why(done)}.")
    return True


def notify(lines: list[str], title: str = "infuse") -> str | None:
    """For ``infuse due --notify``: show ``lines`` (what is due, one item a line) as one
    desktop notification titled ``title``. Returns None when it was shown; where this
    machine has no notifier, returns the sentence to print before printing the lines
    themselves. A notifier that fails raises ``InfuseError`` (exit 1, one sentence).
    Call it only when there is something to show."""
    if send(title, lines):
        return None
    wanted = "osascript" if _system() == "darwin" else "notify-send"
    return f"No desktop notifier was found ({wanted}); here is what is due:"


def _why(done: subprocess.CompletedProcess[str]) -> str:
    said = " ".join((done.stderr or done.stdout or "").split())[:200].rstrip(".")
    return said or f"exit status {done.returncode}"


# ---------------------------------------------------------------- where the check lives


def unit_dir() -> Path:
    """systemd's folder for the user's own units."""
    base = os.environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".config"  # as the spec says
    return root / "systemd" / "user"


def agent_dir() -> Path:
    return Path.home() / "Library" / "LaunchAgents"


def _runtime_dir() -> Path:
    value = os.environ.get("XDG_RUNTIME_DIR", "")
    return Path(value) if os.path.isabs(value) else Path(f"/run/user/{os.getuid()}")


def session() -> bool:
    """Whether the user's own systemd manager is running now: its private socket exists."""
    return shutil.which("systemctl") is not None and (_runtime_dir() / "systemd" / "private").exists()


def kind(cron: bool = False) -> str:
    """How the daily check is set up here: "launchd", "systemd" or "cron"."""
    if _system() == "darwin":
        return "launchd"
    if not cron and shutil.which("systemctl") is not None:
        return "systemd"
    return "cron"


def program() -> list[str]:
    """The infuse that is running, as a command another program can start: the console
    script next to this Python, else the one on PATH, else this Python with ``-m``."""
    beside = Path(sys.executable).with_name("infuse")
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("infuse")
    if found:
        return [os.path.abspath(found)]
    return [sys.executable, "-m", "infuse_cli"]


def _home() -> str | None:
    value = os.environ.get("INFUSE_HOME")
    return os.path.abspath(os.path.expanduser(value)) if value else None


def _mine(path: Path) -> bool:
    """Whether ``path`` is a daily-check file infuse wrote (not someone else's of that name)."""
    try:
        if not path.is_file():
            return False
        if path.name == check.AGENT:
            import plistlib

            return check.is_agent(plistlib.loads(path.read_bytes()))
        with path.open(encoding="utf-8", errors="replace") as fh:
            return fh.readline().rstrip("\n") == check.MARKER
    except (OSError, ValueError):
        return False


def _places() -> list[Path]:
    units = unit_dir()
    return [units / check.SERVICE, units / check.TIMER, agent_dir() / check.AGENT]


def installed() -> list[Path]:
    """The daily-check files infuse wrote that exist now (for `paths`, `forget`, `status`)."""
    return [p for p in _places() if _mine(p)]


# ---------------------------------------------------------------- install


class Plan(msgspec.Struct):
    """What `remind install` will do: the files to write, or the crontab line to show."""

    kind: str
    command: list[str]
    files: list[tuple[Path, bytes]] = []
    line: str = ""
    session: bool = False


def plan(profile: str | None, everyone: bool, at: str, cron: bool = False) -> Plan:
    hour, minute = check.parse_time(at)
    command = check.due_command(program(), profile, everyone)
    home, how = _home(), kind(cron)
    if how == "launchd":
        agent = check.agent_bytes(command, home, hour, minute)
        return Plan(how, command, [(agent_dir() / check.AGENT, agent)])
    if how == "systemd":
        units = unit_dir()
        files = [
            (units / check.SERVICE, check.service_text(command, home).encode()),
            (units / check.TIMER, check.timer_text(hour, minute).encode()),
        ]
        return Plan(how, command, files, session=session())
    bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
    line = check.cron_line(command, home, hour, minute, bus if bus.startswith("unix:path=") else None)
    return Plan(how, command, line=line)


def _foreign(target: Path) -> None:
    if (target.exists() or target.is_symlink()) and not _mine(target):
        raise InfuseError(f"{target} exists and was not written by infuse; nothing was written.")


def _folder(folder: Path) -> list[Path]:
    """Make ``folder`` (0700) and return the folders that were made; refuse one that cannot be."""
    from infuse_cli.paths import ensure_private_dir

    made, here = [], folder
    while not (here.exists() or here.is_symlink()) and here.parent != here:
        made.append(here)
        here = here.parent
    try:
        ensure_private_dir(folder)
        if not folder.is_dir():
            raise NotADirectoryError(20, "it is a file, not a folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(13, "Permission denied")
    except OSError as err:
        _remove_folders(made)
        raise InfuseError(f"Cannot write to {folder} ({err.strerror or err}); nothing was written.") from None
    return made


def _remove_folders(made: list[Path]) -> None:
    for folder in made:  # deepest first
        with contextlib.suppress(OSError):
            folder.rmdir()


def install(chosen: Plan) -> list[Path]:
    """Write the plan's files (all of them, or none: a failure puts back what was there),
    then enable the check. Returns the files written."""
    from infuse_cli.paths import write_private

    for target, _ in chosen.files:
        _foreign(target)
    made = _folder(chosen.files[0][0].parent)
    before = {t: (t.read_bytes() if t.exists() else None) for t, _ in chosen.files}
    written: list[Path] = []
    try:
        for target, data in chosen.files:
            written.append(write_private(target, data, target.name))
        _enable(chosen)
    except BaseException as err:
        _put_back(before, written)
        _remove_folders(made)
        if isinstance(err, InfuseError) and not str(err).endswith("nothing was written."):
            raise InfuseError(f"{str(err).rstrip('.')}; nothing was written.") from None
        raise
    return written


def _put_back(before: dict[Path, bytes | None], written: list[Path]) -> None:
    from infuse_cli.paths import write_private

    for target in written:
        old = before.get(target)
        with contextlib.suppress(OSError, InfuseError):
            if old is None:
                target.unlink()
            else:
                write_private(target, old, target.name)


def _tool(*words: str) -> subprocess.CompletedProcess[str]:
    """Run systemctl or launchctl (time-limited); a failure to start is one sentence."""
    import subprocess

    try:
        return subprocess.run(
            list(words), stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=TOOL_WAIT
        )
    except subprocess.TimeoutExpired:
        raise InfuseError(f"{Path(words[0]).name} did not answer within {TOOL_WAIT} seconds") from None
    except OSError as err:
        raise InfuseError(f"{Path(words[0]).name} could not be started ({err.strerror or err})") from None


def _systemctl(*words: str) -> None:
    tool = shutil.which("systemctl")
    if tool is None:
        raise InfuseError("systemctl is not installed, so the timer cannot be enabled")
    done = _tool(tool, "--user", *words)
    if done.returncode != 0:
        raise InfuseError(f"systemctl --user {' '.join(words)} failed ({_why(done)})")


def _enable(chosen: Plan) -> None:
    if chosen.kind == "systemd":
        if chosen.session:
            _systemctl("daemon-reload")
            try:
                _systemctl("enable", "--now", check.TIMER)
            except InfuseError:
                with contextlib.suppress(InfuseError):
                    _systemctl("disable", check.TIMER)
                raise
        else:
            _systemctl("enable", check.TIMER)  # works without a running manager: it links the timer
    elif chosen.kind == "launchd":
        _launchd_load(chosen.files[0][0])


def _launchctl() -> str | None:
    return shutil.which("launchctl") if _system() == "darwin" else None


def _launchd_load(agent: Path) -> None:
    """Load the agent now, replacing an older copy; without launchctl it loads at the next login."""
    tool = _launchctl()
    if tool is None:
        return
    domain = f"gui/{os.getuid()}"
    _tool(tool, "bootout", f"{domain}/{check.LABEL}")  # not loaded yet: that fails, and is fine
    done = _tool(tool, "bootstrap", domain, str(agent))
    if done.returncode != 0:
        raise InfuseError(f"launchctl could not load the agent ({_why(done)})")


# ---------------------------------------------------------------- uninstall and status


def stop() -> None:
    """Disable the daily check before its files go (for `uninstall` and `forget`): the timer
    is disabled (and stopped, with a running manager), the agent unloaded. Best effort."""
    link = unit_dir() / "timers.target.wants" / check.TIMER
    if shutil.which("systemctl") is not None:
        with contextlib.suppress(InfuseError):
            _systemctl("disable", *(["--now"] if session() else []), check.TIMER)
    if link.is_symlink() and Path(os.readlink(link)).name == check.TIMER:
        with contextlib.suppress(OSError):
            link.unlink()  # systemctl is gone or failed: the link it would have removed
    tool = _launchctl()
    if tool is not None and (agent_dir() / check.AGENT).exists():
        with contextlib.suppress(InfuseError):
            _tool(tool, "bootout", f"gui/{os.getuid()}/{check.LABEL}")


def uninstall() -> list[Path]:
    """Disable the daily check and remove the files infuse wrote for it (only those).
    Returns the files removed; an empty list when nothing was installed."""
    found = installed()
    if not found:
        return []
    stop()
    removed = []
    for path in found:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as err:
            raise InfuseError(f"Cannot remove {path} ({err.strerror or err}).") from None
        removed.append(path)
    if session():
        with contextlib.suppress(InfuseError):
            _systemctl("daemon-reload")
    return removed


def _state(*words: str) -> str:
    tool = shutil.which("systemctl")
    if tool is None:
        return ""
    with contextlib.suppress(InfuseError):
        return _tool(tool, "--user", *words).stdout.strip()
    return ""


class Status(msgspec.Struct):
    installed: bool
    kind: str
    files: list[Path]
    enabled: bool | None  # None: cannot be told here
    active: bool | None
    command: list[str]


def status(cron: bool = False) -> Status:
    found = installed()
    how = "launchd" if any(p.name == check.AGENT for p in found) else "systemd" if found else kind(cron)
    enabled: bool | None = None
    active: bool | None = None
    if how == "systemd" and found:
        state = _state("is-enabled", check.TIMER)
        enabled = state == "enabled" if state else (unit_dir() / "timers.target.wants" / check.TIMER).exists()
        if session():
            active = _state("is-active", check.TIMER) == "active"
    return Status(bool(found), how, found, enabled, active, _recorded(found))


def _recorded(found: list[Path]) -> list[str]:
    """The command the installed check runs, as written in its file."""
    import shlex

    for path in found:
        with contextlib.suppress(OSError, ValueError):
            if path.name == check.AGENT:
                import plistlib

                words = plistlib.loads(path.read_bytes()).get("ProgramArguments", [])
                return [str(w) for w in words]
            if path.name == check.SERVICE:
                for line in path.read_text(encoding="utf-8").splitlines():
                    if line.startswith("ExecStart="):
                        text = line.removeprefix("ExecStart=").replace("%%", "%").replace("$$", "$")
                        return shlex.split(text)
    return []
