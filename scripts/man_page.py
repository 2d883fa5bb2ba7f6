"""Write man/infuse.1 from each command's --help (run after changing a command).

python scripts/man_page.py          # rewrite man/infuse.1
python scripts/man_page.py --check  # exit 1 if man/infuse.1 is stale

The page is installed with the package (share/man/man1), so `man infuse` works wherever
the environment's bin folder is on PATH.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
TARGET = ROOT / "man" / "infuse.1"


def _roff(text: str) -> str:
    """Plain text made safe for roff: backslashes, and lines that start with . or '."""
    out = []
    for line in text.replace("\\", "\\e").splitlines():
        out.append("\\&" + line if line.startswith((".", "'")) else line)
    return "\n".join(out)


def render() -> str:
    import cli_reference

    sections = cli_reference.helps()
    from infuse_cli import __version__

    parts = [
        f'.TH INFUSE 1 "" "infuse {__version__}" "User Commands"',
        ".SH NAME",
        "infuse \\- an offline companion for people with MS who receive infused therapies",
        ".SH SYNOPSIS",
        ".B infuse",
        "[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]...",
        ".SH DESCRIPTION",
        "infuse answers, offline: when is my next infusion, what do I bring, what do I ask,"
        " how do these therapies compare? It informs; it is not medical advice. Your care"
        " team's plan wins.",
        ".SH COMMANDS",
    ]
    for name, text in sections:
        parts += [
            f'.SS "infuse {name}"'.replace('infuse "', '"') if name else '.SS "infuse"',
            ".nf",
            _roff(text),
            ".fi",
        ]
    parts += [
        ".SH FILES",
        "The journal, settings and cache live in the user's data, config and cache folders"
        " (\\fBinfuse paths\\fR prints them), or under \\fBINFUSE_HOME\\fR when it is set.",
        ".SH ENVIRONMENT",
        ".TP",
        ".B INFUSE_HOME",
        "One folder for everything infuse keeps.",
        ".TP",
        ".B INFUSE_PROFILE",
        "The profile to use, as \\fB--profile\\fR.",
        ".TP",
        ".B INFUSE_PLAIN",
        "Plain text for every command, as \\fB--plain\\fR.",
        ".TP",
        ".B NO_COLOR",
        "No colour.",
    ]
    return "\n".join(parts) + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        return 0 if TARGET.exists() and TARGET.read_text(encoding="utf-8") == text else 1
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
