"""Rich rendering for a terminal. Markup is never interpreted: every string is
wrapped in ``Text``, so '[bold]' typed by a user prints as '[bold]'."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from infuse_cli.views.doc import Bullets, Doc, Fields, Heading, Para, Table, Tone

_TONE: dict[Tone, str] = {
    "normal": "",
    "note": "cyan",
    "warn": "bold yellow",
    "good": "green",
    "muted": "dim",
}


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, markup=False, emoji=False, soft_wrap=False)


def render(doc: Doc, out: Console | None = None) -> None:
    con = out or console()
    first = True
    for block in doc:
        if not first:
            con.print()
        first = False
        if isinstance(block, Heading):
            style = "bold reverse" if block.level == 1 else "bold underline"
            con.print(Text(f" {block.text} " if block.level == 1 else block.text, style=style))
        elif isinstance(block, Para):
            text = Text()
            if block.label:
                text.append(f"{block.label}: ", style=_TONE[block.tone] or "bold")
            text.append(block.text, style=_TONE[block.tone] if block.tone != "warn" else "yellow")
            con.print(text)
        elif isinstance(block, Fields):
            grid = RichTable.grid(padding=(0, 2))
            grid.add_column(style="bold", no_wrap=False, overflow="fold", max_width=24)
            grid.add_column(overflow="fold")
            for label, value in block.rows:
                grid.add_row(Text(label), Text(value))
            con.print(grid)
        elif isinstance(block, Bullets):
            grid = RichTable.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column(overflow="fold")
            for i, item in enumerate(block.items):
                mark = block.marks[i] if i < len(block.marks) and block.marks[i] else "•"
                grid.add_row(Text(mark, style="bold"), Text(item))
            con.print(grid)
        elif isinstance(block, Table):
            table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                              header_style="bold", expand=False)
            for i, col in enumerate(block.columns):
                table.add_column(Text(col), overflow="fold",
                                 style="bold" if block.first_is_label and i == 0 else None,
                                 ratio=1 if not (block.first_is_label and i == 0) else None)
            for i, row in enumerate(block.rows):
                if i in block.groups:
                    if i:
                        table.add_section()
                    table.add_row(Text(block.groups[i], style="bold magenta"),
                                  *[Text("")] * (len(block.columns) - 1))
                table.add_row(*[Text(c) for c in row])
            con.print(table)
