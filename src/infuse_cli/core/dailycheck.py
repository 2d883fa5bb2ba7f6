"""The daily check's files: a systemd user timer and service, a launchd agent, a crontab line.

Pure: given the command to run, the folder it runs with (``INFUSE_HOME``) and the time of
day, the text of each file. Nothing here reads the clock, the environment or the disk.
"""

from __future__ import annotations

import re

from infuse_cli.core.errors import InfuseError, shown

SERVICE = "infuse-due.service"
TIMER = "infuse-due.timer"
LABEL = "local.infuse.due"  # launchd's reverse-DNS label; "local." names a job of this machine's own
AGENT = f"{LABEL}.plist"
# The first line of each unit file: how `remind uninstall` tells infuse's files from others.
MARKER = "# Written by infuse remind install; to remove it: infuse remind uninstall"
# The run at login waits this long, so the desktop's notification service is up first.
AFTER_LOGIN = "2min"

_BARE = r"[A-Za-z0-9/._+:,@=-]+"  # words systemd reads as they are, unquoted


def parse_time(text: str) -> tuple[int, int]:
    """``HH:MM`` (24-hour clock) as (hour, minute); anything else is refused."""
    found = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if found is None:
        from infuse_cli.core.errors import UsageError

        raise UsageError(f"--at should be a time like 09:00, not '{shown(text, 20)}'.")
    return int(found.group(1)), int(found.group(2))


def due_command(program: list[str], profile: str | None, everyone: bool) -> list[str]:
    """The words of the check: ``infuse [--profile NAME] due --notify [--all-profiles]``."""
    chosen = ["--profile", profile] if profile and not everyone else []
    return [*program, *chosen, "due", "--notify", *(["--all-profiles"] if everyone else [])]


def _check(words: list[str]) -> None:
    for word in words:
        if not word or any(not ch.isprintable() for ch in word):
            raise InfuseError(
                "A path of the daily check holds a line break or another control character,"
                " which a timer file cannot carry; nothing was written."
            )


def systemd_word(word: str, program: bool = False) -> str:
    """One word as systemd reads it on an ``ExecStart=`` line: double-quoted where it holds
    anything but plain path characters, with ``\\`` and ``"`` escaped and ``%`` (a
    specifier) as ``%%``; in an argument (not the ``program`` itself) ``$`` (a variable)
    is ``$$``. systemd refuses a program path holding a quote or a backslash at all."""
    if program and any(ch in word for ch in "\\\"'"):
        raise InfuseError(
            f"systemd cannot start a program whose path holds a quote or a backslash ({shown(word, 80)}),"
            " so nothing was written; infuse remind install --cron prints a crontab line instead."
        )
    word = word.replace("%", "%%") if program else word.replace("%", "%%").replace("$", "$$")
    if re.fullmatch(_BARE, word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _environment(home: str | None) -> list[str]:
    if home is None:
        return []
    # Environment= takes quotes and C escapes and expands specifiers, but not variables.
    value = f"INFUSE_HOME={home}".replace("%", "%%").replace("\\", "\\\\").replace('"', '\\"')
    return [f'Environment="{value}"']


def service_text(command: list[str], home: str | None) -> str:
    """The oneshot service the timer starts: it runs the check once and exits."""
    _check([*command, *([home] if home else [])])
    lines = [
        MARKER,
        "[Unit]",
        "Description=infuse: show what is due as a desktop notification",
        "",
        "[Service]",
        "Type=oneshot",
        *_environment(home),
        "ExecStart=" + " ".join(systemd_word(w, program=i == 0) for i, w in enumerate(command)),
    ]
    return "\n".join(lines) + "\n"


def timer_text(hour: int, minute: int) -> str:
    """A user timer: every day at ``hour:minute``, a missed day caught up, and a run at login.

    * ``OnCalendar=`` with ``Persistent=true``: systemd keeps the time of the last run, and a
      run missed while the machine was off (or asleep) is started as soon as the timer is
      active again, at the next boot or login.
    * ``OnStartupSec=``: counts from the start of the service manager the timer belongs to.
      For a *user* timer that is the user's own manager, which starts at login (not at boot),
      so this is the run at login. (``OnBootSec=`` would count from the machine's boot,
      and fire only if the user were logged in by then.) On a day when a run was missed,
      login can show the notification twice, minutes apart: once caught up, once at login.
    """
    lines = [
        MARKER,
        "[Unit]",
        "Description=infuse: a daily check of what is due",
        "",
        "[Timer]",
        f"OnCalendar=*-*-* {hour:02d}:{minute:02d}:00",
        "Persistent=true",
        f"OnStartupSec={AFTER_LOGIN}",
        f"Unit={SERVICE}",
        "",
        "[Install]",
        "WantedBy=timers.target",
    ]
    return "\n".join(lines) + "\n"


def agent_data(command: list[str], home: str | None, hour: int, minute: int) -> dict[str, object]:
    """A launchd agent (macOS): every day at ``hour:minute`` and when it is loaded (at login).

    launchd starts a calendar job missed while the Mac slept when it wakes; one missed while
    it was off is covered by ``RunAtLoad`` at the next login."""
    _check([*command, *([home] if home else [])])
    data: dict[str, object] = {
        "Label": LABEL,
        "ProgramArguments": list(command),
        "StartCalendarInterval": {"Hour": hour, "Minute": minute},
        "RunAtLoad": True,
        "ProcessType": "Background",
    }
    if home is not None:
        data["EnvironmentVariables"] = {"INFUSE_HOME": home}
    return data


def agent_bytes(command: list[str], home: str | None, hour: int, minute: int) -> bytes:
    import plistlib

    return plistlib.dumps(agent_data(command, home, hour, minute), sort_keys=True)


def is_agent(data: object) -> bool:
    """Whether a parsed property list is the agent infuse writes (by its label)."""
    return isinstance(data, dict) and data.get("Label") == LABEL


def cron_line(command: list[str], home: str | None, hour: int, minute: int, bus: str | None) -> str:
    """The crontab line for machines without systemd or launchd. Cron runs outside the
    desktop session, so the session's message bus (``bus``) is named for ``notify-send``.
    In a crontab ``%`` starts the command's input, so it is escaped."""
    import shlex

    _check([*command, *([home] if home else []), *([bus] if bus else [])])
    env = [f"INFUSE_HOME={shlex.quote(home)}"] if home else []
    if bus:
        env.append(f"DBUS_SESSION_BUS_ADDRESS={shlex.quote(bus)}")
    words = [*env, *(shlex.quote(w) for w in command)]
    return f"{minute} {hour} * * * " + " ".join(words).replace("%", "\\%")
