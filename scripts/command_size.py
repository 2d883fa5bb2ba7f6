"""Report the length of every command's body: commands stay thin (issue budget: each at most
40 lines, the median at most 15).

A body is the command function's statements after its docstring, counted in source lines
without blank lines and comments. The command's signature (its options) is not counted.

python scripts/command_size.py          # the table, longest first
python scripts/command_size.py --check  # exit 1 when a budget is broken
"""

from __future__ import annotations

import ast
import inspect
import statistics
import sys
import textwrap
from collections.abc import Iterator

MOST = 40
MEDIAN = 15


def commands() -> Iterator[tuple[str, object]]:
    """Every command and subcommand of infuse, with the Python function behind it."""
    from typer.main import get_command

    from infuse_cli.cli.app import app

    group = get_command(app)
    for name, command in sorted(group.commands.items()):  # type: ignore[attr-defined]
        children = getattr(command, "commands", None)
        if children:
            if command.callback is not None and _own(command.callback):
                yield name, command.callback
            for child, sub in sorted(children.items()):
                yield f"{name} {child}", sub.callback
        else:
            yield name, command.callback


def _own(function: object) -> bool:
    return getattr(function, "__module__", "").startswith("infuse_cli.")


def body_lines(function: object) -> int:
    source = textwrap.dedent(inspect.getsource(function))  # type: ignore[arg-type]
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.FunctionDef)
    statements = node.body
    if statements and isinstance(statements[0], ast.Expr) and isinstance(statements[0].value, ast.Constant):
        statements = statements[1:]  # the docstring
    if not statements:
        return 0
    lines = source.splitlines()[statements[0].lineno - 1 : statements[-1].end_lineno]
    return sum(1 for line in lines if line.strip() and not line.strip().startswith("#"))


def main() -> int:
    sizes = sorted(((body_lines(f), name) for name, f in commands()), reverse=True)
    width = max(len(name) for _, name in sizes)
    for size, name in sizes:
        flag = "  OVER" if size > MOST else ""
        print(f"infuse {name:<{width}}  {size:>3}{flag}")
    median = statistics.median(size for size, _ in sizes)
    longest = sizes[0][0]
    print(f"\n{len(sizes)} commands; longest {longest} lines (budget {MOST}),", end=" ")
    print(f"median {median:g} (budget {MEDIAN}).")
    if "--check" in sys.argv and (longest > MOST or median > MEDIAN):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
