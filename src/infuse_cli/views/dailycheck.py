"""The daily check in words: what will be written, what was, the crontab line, its status."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any

from infuse_cli.views.doc import Doc, Fields, Heading, Para

if TYPE_CHECKING:
    from infuse_cli.services.notify import Plan, Status

_HOW = {
    "systemd": "a systemd user timer",
    "launchd": "a launchd agent",
    "cron": "a crontab line",
}


def cron_text(plan: Plan, asked: bool) -> str:
    """For machines without systemd or launchd (or ``--cron``): the line to add, and how."""
    why = "" if asked else "This machine has neither systemd nor launchd, so "
    start = "infuse" if why else "Infuse"
    return (
        f"{why}{start} changes nothing itself. To run the daily check, add this line with:"
        f" crontab -e\n\n{plan.line}\n"
    )


def will_write(plan: Plan) -> str:
    lines = [f"This sets up a daily check that runs: {shlex.join(plan.command)}", "It writes:"]
    lines += [f"  {path}" for path, _ in plan.files]
    return "\n".join(lines) + "\n"


def written(plan: Plan, files: list[Path]) -> list[str]:
    """The sentences after `remind install` (for stderr), the files first."""
    out = ["Wrote " + " and ".join(str(p) for p in files) + "."]
    if plan.kind == "systemd" and plan.session:
        out.append("The timer is enabled and started; it runs every day and at login.")
    elif plan.kind == "systemd":
        out.append(
            "The timer is enabled; the user's systemd is not running now, so it starts at the next login."
        )
    else:
        out.append("The agent runs every day and at login.")
    out.append("To check it: infuse remind status. To remove it: infuse remind uninstall")
    return out


def status_json(found: Status) -> dict[str, Any]:
    return {
        "schema": 1,
        "installed": found.installed,
        "kind": found.kind,
        "files": [str(p) for p in found.files],
        "enabled": found.enabled,
        "active": found.active,
        "command": found.command,
    }


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


def status_doc(found: Status) -> Doc:
    if not found.installed:
        hint = (
            "infuse does not read your crontab: crontab -l shows it."
            if found.kind == "cron"
            else "To set it up: infuse remind install"
        )
        return [Heading("Daily check"), Para(f"Not installed. {hint}")]
    rows = [("Installed", f"yes, as {_HOW[found.kind]}")]
    rows += [("File", str(p)) for p in found.files]
    if found.kind == "systemd":
        rows.append(("Enabled", _yes_no(found.enabled)))
        if found.active is not None:
            rows.append(("Running now", _yes_no(found.active)))
    if found.command:
        rows.append(("Runs", shlex.join(found.command)))
    return [Heading("Daily check"), Fields(rows)]
