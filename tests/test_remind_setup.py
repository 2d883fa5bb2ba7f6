"""The daily check (`remind install|uninstall|status`) and desktop notifications.

Real parts: systemd's own checker (`systemd-analyze verify`) reads the unit files, the real
`systemctl` links the timer (without any running user manager), and the launchd agent is
read back with plistlib. Fake `systemctl`, `launchctl`, `notify-send` and `osascript` come
first on PATH and write down what they were asked; no test reaches a real user session,
desktop or crontab: HOME, XDG_CONFIG_HOME and XDG_RUNTIME_DIR are the test's own.
"""

from __future__ import annotations

import json
import os
import plistlib
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import real_part
from infuse_cli.core.errors import InfuseError
from infuse_cli.services import notify

SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
SYSTEMCTL = shutil.which("systemctl")
SLEEP = shutil.which("sleep") or "/bin/sleep"


class Box:
    """The test's own machine: folders, a bin folder first on PATH, and what fakes recorded."""

    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path
        self.bin = tmp_path / "bin"
        self.home = tmp_path / "user"
        self.config = tmp_path / "xdg-config"
        self.runtime = tmp_path / "runtime"
        self.units = self.config / "systemd" / "user"
        self.calls = tmp_path / "calls.log"
        for folder in (self.bin, self.home, self.runtime):
            folder.mkdir(mode=0o700)

    def fake(self, name: str, body: str) -> Path:
        path = self.bin / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
        return path

    def systemctl(self, fail_on: str = "") -> None:
        """A systemctl that writes each call down, answers is-enabled/is-active, and fails
        when asked for ``fail_on``."""
        fail = f'case "$*" in *{fail_on}*) echo "refused" >&2; exit 1;; esac' if fail_on else ""
        self.fake(
            "systemctl",
            f'echo "$*" >> "{self.calls}"\n{fail}\n'
            'case "$2" in is-enabled) echo enabled;; is-active) echo active;; esac',
        )

    def session(self) -> None:
        """A running user manager, as infuse sees one: its private socket's path exists."""
        (self.runtime / "systemd").mkdir()
        (self.runtime / "systemd" / "private").write_text("")

    def recorded(self) -> list[str]:
        return self.calls.read_text().splitlines() if self.calls.exists() else []


@pytest.fixture
def box(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Box:
    made = Box(tmp_path)
    monkeypatch.setenv("HOME", str(made.home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(made.config))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(made.runtime))
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("PATH", os.pathsep.join([str(made.bin), os.environ.get("PATH", "")]))
    return made


def _only_fakes_on_path(box: Box, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(box.bin))


def _everything(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


def _verify(box: Box, *units: Path) -> subprocess.CompletedProcess[str]:
    """systemd's own checker, as a user manager would load these files."""
    program = real_part(SYSTEMD_ANALYZE, "systemd-analyze (systemd's unit checker)")
    env = dict(os.environ, XDG_RUNTIME_DIR=str(box.runtime), HOME=str(box.home))
    return subprocess.run(
        [program, "--user", "verify", *map(str, units)], env=env, capture_output=True, text=True, timeout=60
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------- systemd


def test_install_writes_a_timer_and_service_that_systemd_accepts(run, box: Box, home: Path) -> None:
    box.systemctl()
    assert run("profiles", "add", "mum").code == 0
    r = run("--profile", "mum", "remind", "install", "--yes")
    assert r.code == 0, r
    service, timer = box.units / "infuse-due.service", box.units / "infuse-due.timer"
    assert str(service) in r.stdout and str(timer) in r.stdout  # what it will write, before asking
    assert f"Wrote {service} and {timer}." in r.stderr
    assert "starts at the next login" in r.stderr  # no user manager running here
    assert _mode(service) == 0o600 and _mode(timer) == 0o600
    assert _everything(box.units) == ["infuse-due.service", "infuse-due.timer"]  # no temporary files
    text = timer.read_text()
    assert "OnCalendar=*-*-* 09:00:00" in text and "Persistent=true" in text
    assert "OnStartupSec=2min" in text and "WantedBy=timers.target" in text
    unit = service.read_text()
    assert "Type=oneshot" in unit and f'Environment="INFUSE_HOME={home}"' in unit
    infuse = Path(sys.executable).with_name("infuse")
    assert f"ExecStart={infuse} --profile mum due --notify\n" in unit
    # Enabled without a running manager: systemctl links the timer, nothing is started now.
    assert box.recorded() == ["--user enable infuse-due.timer"]
    checked = _verify(box, timer, service)
    assert checked.returncode == 0 and not checked.stderr.strip(), checked.stderr


def test_systemd_analyze_is_a_real_check_that_can_fail(run, box: Box) -> None:
    box.systemctl()
    assert run("remind", "install", "--yes").code == 0
    timer = box.units / "infuse-due.timer"
    timer.write_text(timer.read_text().replace("09:00:00", "29:00:00"))
    service = box.units / "infuse-due.service"
    service.write_text(service.read_text().replace("ExecStart=/", "ExecStart=/no/such"))
    checked = _verify(box, timer, service)
    assert "29:00:00" in checked.stderr and "/no/such" in checked.stderr, checked.stderr


def test_paths_with_spaces_quotes_and_percent_signs_reach_systemd_intact(
    run, box: Box, monkeypatch: pytest.MonkeyPatch
) -> None:
    box.systemctl()
    odd = box.root / "my tools 100% $HOME"
    odd.mkdir()
    program = odd / "infuse"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setattr(notify, "program", lambda: [str(program)])
    monkeypatch.setenv("INFUSE_HOME", str(box.root / "home 50% of it"))
    assert run("remind", "install", "--yes", "--at", "7:05").code == 0
    service, timer = box.units / "infuse-due.service", box.units / "infuse-due.timer"
    assert "OnCalendar=*-*-* 07:05:00" in timer.read_text()
    # systemd finds the program (it says so when it does not) and reads every line.
    checked = _verify(box, timer, service)
    assert checked.returncode == 0 and not checked.stderr.strip(), checked.stderr
    shown = json.loads(run("remind", "status", "--json").stdout)
    assert shown["command"] == [str(program), "due", "--notify"]
    program.unlink()
    assert "is not executable" in _verify(box, timer, service).stderr
    # systemd runs no program from a path with a quote in it: refused, nothing written.
    assert run("remind", "uninstall").code == 0
    quoted = box.root / 'my "tools"'
    monkeypatch.setattr(notify, "program", lambda: [str(quoted / "infuse")])
    r = run("remind", "install", "--yes")
    assert r.code == 1 and r.stderr.count("\n") == 1 and "--cron prints a crontab line" in r.stderr
    assert _everything(box.units) == []


def test_with_a_running_user_manager_the_timer_is_started_and_stopped(run, box: Box) -> None:
    box.systemctl()
    box.session()
    r = run("remind", "install", "--yes", "--all-profiles")
    assert r.code == 0 and "enabled and started" in r.stderr
    assert box.recorded() == ["--user daemon-reload", "--user enable --now infuse-due.timer"]
    assert "due --notify --all-profiles" in (box.units / "infuse-due.service").read_text()
    data = json.loads(run("remind", "status", "--json").stdout)
    assert data["installed"] and data["kind"] == "systemd" and data["enabled"] and data["active"]
    assert data["files"] == [str(box.units / "infuse-due.service"), str(box.units / "infuse-due.timer")]
    r = run("remind", "uninstall")
    assert r.code == 0 and "Removed" in r.stderr and "The daily check is off" in r.stderr
    assert box.recorded()[-2:] == ["--user disable --now infuse-due.timer", "--user daemon-reload"]
    assert _everything(box.units) == []
    r = run("remind", "uninstall")
    assert r.code == 0 and "nothing was removed" in r.stderr


def test_the_real_systemctl_links_the_timer_without_a_running_manager(run, box: Box) -> None:
    real = real_part(SYSTEMCTL, "systemctl")
    os.symlink(real, box.bin / "systemctl")  # the real one; no manager runs in this XDG_RUNTIME_DIR
    assert run("remind", "install", "--yes").code == 0
    link = box.units / "timers.target.wants" / "infuse-due.timer"
    assert link.is_symlink() and link.resolve() == (box.units / "infuse-due.timer").resolve()
    assert json.loads(run("remind", "status", "--json").stdout)["enabled"] is True
    assert run("remind", "uninstall").code == 0
    assert not link.is_symlink() and not (box.units / "infuse-due.timer").exists()


def test_install_asks_first_and_writes_nothing_on_no(run, box: Box) -> None:
    box.systemctl()
    for answer in ("n\n", ""):
        r = run("remind", "install", input=answer)
        assert r.code == 1 and "Write these files?" in r.stdout and "Nothing was changed." in r.stderr
    assert not box.config.exists() and box.recorded() == []
    r = run("remind", "install", input="y\n")
    assert r.code == 0 and (box.units / "infuse-due.timer").exists()
    human = run("remind", "status", "--plain").stdout
    assert "Installed: yes, as a systemd user timer" in human and "Enabled:   yes" in human


def test_without_systemd_the_crontab_line_is_printed_and_nothing_changes(
    run, box: Box, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _only_fakes_on_path(box, monkeypatch)  # no systemctl anywhere
    r = run("remind", "install", "--at", "07:45")
    assert r.code == 0 and "crontab -e" in r.stdout and "neither systemd nor launchd" in r.stdout
    infuse = Path(sys.executable).with_name("infuse")
    assert f"45 7 * * * INFUSE_HOME={home} {infuse} due --notify" in r.stdout
    assert _everything(box.root / "xdg-config") == [] and not home.exists()
    status = json.loads(run("remind", "status", "--json").stdout)
    assert status["installed"] is False and status["kind"] == "cron"
    # --cron asks for the line on a machine with systemd too.
    box.systemctl()
    r = run("remind", "install", "--cron")
    assert r.code == 0 and "0 9 * * * " in r.stdout and box.recorded() == []


def test_an_unwritable_unit_folder_is_one_sentence_and_nothing_is_written(run, box: Box) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write into a read-only folder; the test below covers root")
    box.systemctl()
    box.units.mkdir(parents=True)
    box.units.chmod(0o500)
    try:
        r = run("remind", "install", "--yes")
    finally:
        box.units.chmod(0o700)
    assert r.code == 1 and r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1, r
    assert str(box.units) in r.stderr and "nothing was written" in r.stderr
    assert _everything(box.units) == [] and box.recorded() == []


def test_a_file_where_the_unit_folder_should_be_is_one_sentence(run, box: Box) -> None:
    box.systemctl()
    box.config.mkdir()
    (box.config / "systemd").write_text("not a folder")
    r = run("remind", "install", "--yes")
    assert r.code == 1 and r.stderr.startswith("Error: Cannot write to ") and r.stderr.count("\n") == 1, r
    assert "nothing was written" in r.stderr
    assert _everything(box.config) == ["systemd"] and box.recorded() == []


def test_writing_is_all_or_nothing(run, box: Box, monkeypatch: pytest.MonkeyPatch) -> None:
    from infuse_cli import paths

    box.systemctl()
    real = paths.write_private

    def full_disk_on_the_timer(path: Path, data: bytes, example: str = "") -> Path:
        if path.name.endswith(".timer"):
            raise InfuseError(f"Cannot write {path}: No space left on device.")
        return real(path, data, example)

    monkeypatch.setattr(paths, "write_private", full_disk_on_the_timer)
    r = run("remind", "install", "--yes")
    assert r.code == 1 and "No space left on device; nothing was written." in r.stderr, r
    assert not box.config.exists() and box.recorded() == []  # the service and the folders it made: gone
    monkeypatch.setattr(paths, "write_private", real)
    # systemctl refusing to enable the timer undoes the files too.
    box.systemctl(fail_on="enable")
    r = run("remind", "install", "--yes")
    assert r.code == 1 and "systemctl --user enable infuse-due.timer failed (refused)" in r.stderr
    assert _everything(box.units) == []


def test_files_infuse_did_not_write_are_never_replaced_or_removed(run, box: Box) -> None:
    box.systemctl()
    box.units.mkdir(parents=True)
    mine = box.units / "infuse-due.timer"
    mine.write_text("[Timer]\nOnCalendar=hourly\n")
    r = run("remind", "install", "--yes")
    assert r.code == 1 and "was not written by infuse" in r.stderr
    assert run("remind", "uninstall").stderr.startswith("No daily check is installed")
    assert mine.read_text() == "[Timer]\nOnCalendar=hourly\n"
    assert not (box.units / "infuse-due.service").exists()


def test_a_bad_time_is_bad_usage(run, box: Box) -> None:
    box.systemctl()
    r = run("remind", "install", "--at", "25:00", "--yes")
    assert r.code == 2 and "--at should be a time like 09:00" in r.stderr
    assert not box.config.exists()


# ---------------------------------------------------------------- macOS


def test_on_macos_a_launchd_agent_is_written_and_loaded(
    run, box: Box, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notify, "_system", lambda: "darwin")
    box.fake("launchctl", f'echo "$*" >> "{box.calls}"')
    r = run("remind", "install", "--yes", "--at", "07:30", "--all-profiles")
    assert r.code == 0, r
    agent = box.home / "Library" / "LaunchAgents" / "local.infuse.due.plist"
    data = plistlib.loads(agent.read_bytes())
    infuse = str(Path(sys.executable).with_name("infuse"))
    assert data["Label"] == "local.infuse.due"
    assert data["ProgramArguments"] == [infuse, "due", "--notify", "--all-profiles"]
    assert data["StartCalendarInterval"] == {"Hour": 7, "Minute": 30} and data["RunAtLoad"] is True
    assert data["EnvironmentVariables"] == {"INFUSE_HOME": str(home)}
    assert _mode(agent) == 0o600 and not box.units.exists()
    uid = os.getuid()
    assert box.recorded() == [f"bootout gui/{uid}/local.infuse.due", f"bootstrap gui/{uid} {agent}"]
    status = json.loads(run("remind", "status", "--json").stdout)
    assert status["kind"] == "launchd" and status["files"] == [str(agent)]
    assert status["command"] == data["ProgramArguments"]
    assert run("remind", "uninstall").code == 0 and not agent.exists()
    assert box.recorded()[-1] == f"bootout gui/{uid}/local.infuse.due"


# ---------------------------------------------------------------- paths and forget


def test_paths_lists_the_daily_check_and_forget_removes_it(run, box: Box) -> None:
    box.systemctl()
    assert json.loads(run("paths", "--json").stdout)["daily_check"] == []
    assert "Daily check" not in run("paths", "--plain").stdout
    assert run("log", "add", "--drug", "ocrevus", "--date", "2025-12-01").code == 0
    assert run("remind", "install", "--yes").code == 0
    theirs = box.units / "backup.timer"  # another program's unit: kept
    theirs.write_text("[Timer]\nOnCalendar=weekly\n")
    service, timer = box.units / "infuse-due.service", box.units / "infuse-due.timer"
    assert json.loads(run("paths", "--json").stdout)["daily_check"] == [str(service), str(timer)]
    assert f"Daily check: {timer}" in run("paths", "--plain", env={"COLUMNS": "400"}).stdout
    r = run("forget", "--all", input="no\n")
    assert r.code == 1 and str(timer) in r.stdout and timer.exists()
    r = run("forget", "--all", "--yes")
    assert r.code == 0, r
    assert "--user disable infuse-due.timer" in box.recorded()
    assert _everything(box.units) == ["backup.timer"]


# ---------------------------------------------------------------- notifications


def _args(path: Path) -> list[str]:
    return path.read_bytes().decode().split("\0")[:-1]


def test_a_fake_notify_send_receives_the_due_lines(box: Box, monkeypatch: pytest.MonkeyPatch) -> None:
    _only_fakes_on_path(box, monkeypatch)
    shown = box.root / "shown"
    box.fake("notify-send", f'printf "%s\\0" "$@" > "{shown}"')
    lines = ["Ocrevus infusion in 3 days (Mon 8 Jun 2026)", "Blood test <IgG> & JCV due"]
    assert notify.notify(lines) is None
    assert _args(shown) == [
        "--app-name=infuse",
        "infuse",
        "Ocrevus infusion in 3 days (Mon 8 Jun 2026)\nBlood test &lt;IgG&gt; &amp; JCV due",
    ]
    # A text that starts with "-" is not taken for an option; a long one is cut, with a pointer.
    assert notify.send("infuse", ["- overdue: Tysabri"]) is True
    assert _args(shown)[2] == " - overdue: Tysabri"
    notify.send("infuse", [f"line {n}" for n in range(1, 21)])
    body = _args(shown)[2].splitlines()
    assert len(body) == 12 and body[-1] == "… and 9 more: infuse due" and body[10] == "line 11"


def test_without_a_notifier_the_caller_is_told_to_print_the_lines(
    box: Box, monkeypatch: pytest.MonkeyPatch
) -> None:
    _only_fakes_on_path(box, monkeypatch)
    assert notify.send("infuse", ["x"]) is False
    said = notify.notify(["Tysabri infusion today"])
    assert said == "No desktop notifier was found (notify-send); here is what is due:"


def test_a_failing_or_hanging_notifier_is_one_sentence(box: Box, monkeypatch: pytest.MonkeyPatch) -> None:
    _only_fakes_on_path(box, monkeypatch)
    box.fake("notify-send", 'echo "Cannot connect to the session bus." >&2\nexit 1')
    with pytest.raises(InfuseError, match=r"^The desktop notifier \(notify-send\) failed: Cannot connect"):
        notify.notify(["x"])
    box.fake("notify-send", f"exec {SLEEP} 20")
    monkeypatch.setattr(notify, "NOTIFIER_WAIT", 1)
    with pytest.raises(InfuseError, match=r"did not answer within 1 seconds\.$"):
        notify.notify(["x"])


def test_on_macos_osascript_gets_the_text_as_arguments_never_as_script(
    box: Box, monkeypatch: pytest.MonkeyPatch
) -> None:
    _only_fakes_on_path(box, monkeypatch)
    monkeypatch.setattr(notify, "_system", lambda: "darwin")
    assert notify.notify(["x"]) == "No desktop notifier was found (osascript); here is what is due:"
    shown = box.root / "shown"
    box.fake("osascript", f'printf "%s\\0" "$@" > "{shown}"')
    tricky = 'Ask "why?" \\ then " & do shell script "rm -rf ~" & "'
    assert notify.notify([tricky], title='infuse "due"') is None
    args = _args(shown)
    assert args[-2:] == ['infuse "due"', tricky]  # data, not script: nothing to escape
    assert "display notification (item 2 of argv) with title (item 1 of argv)" in args
