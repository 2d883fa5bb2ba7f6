"""Write docs/cli.md from each command's --help (run after changing a command).

python scripts/cli_reference.py          # rewrite docs/cli.md
python scripts/cli_reference.py --check  # exit 1 if docs/cli.md is stale
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "cli.md"


def helps() -> list[tuple[str, str]]:
    """Every command and subcommand ('' for infuse itself), with its --help at 88 columns."""
    from typer.main import get_command
    from typer.testing import CliRunner

    from infuse_cli.cli.app import app

    os.environ["COLUMNS"] = "88"
    runner = CliRunner()
    group = get_command(app)
    names = [""]
    for name in sorted(group.commands):  # type: ignore[attr-defined]
        names.append(name)
        sub = group.commands[name]  # type: ignore[attr-defined]
        names += [f"{name} {child}" for child in sorted(getattr(sub, "commands", {}) or {})]
    out = []
    for name in names:
        args = [*name.split(), "--help"] if name else ["--help"]
        out.append((name, runner.invoke(app, args, env={"COLUMNS": "88", "NO_COLOR": "1"}).stdout))
    return out


def render() -> str:
    parts = [
        "# infuse command reference",
        "",
        "Generated from `--help` by `scripts/cli_reference.py`; a test fails when it is stale.",
        "",
    ]
    for name, out in helps():
        parts += [
            f"## `infuse {name}`".replace(" `", " `").rstrip() if name else "## `infuse`",
            "",
            "```text",
            out.rstrip(),
            "```",
            "",
        ]
    return "\n".join(parts)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        return 0 if TARGET.read_text(encoding="utf-8") == text else 1
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
