"""infuse leans only on what Typer makes public, so moving its pin is one line (see pyproject)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def _private_typer_imports(source: str) -> list[str]:
    """Each import of a Typer name or module that starts with _, as 'line: name'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] == "typer" and any(part.startswith("_") for part in parts[1:]):
                found.append(f"{node.lineno}: {module}")
    return found


def test_nothing_private_is_imported_from_typer() -> None:
    found = [
        f"{path.relative_to(SRC)}:{hit}"
        for path in sorted(SRC.rglob("*.py"))
        for hit in _private_typer_imports(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_check_finds_private_imports() -> None:
    source = "\n".join(
        [
            "import typer",
            "from typer import _click",
            "import typer._completion_shared",
            "from typer._click import core",
        ]
    )
    assert _private_typer_imports(source) == [
        "2: typer._click",
        "3: typer._completion_shared",
        "4: typer._click",
        "4: typer._click.core",
    ]
