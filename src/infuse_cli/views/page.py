"""A document as Markdown or as one self-contained HTML page.

The HTML page is made for printing and for low vision: large type, black on
white, generous spacing, print rules that keep items whole.  It has no
scripts, no remote fonts, no images and no links to fetch: one file that
opens anywhere, offline.  Every piece of text is escaped; nothing a user
typed becomes markup in either form.
"""

from __future__ import annotations

import html
import re

from infuse_cli.views.doc import (
    GRID_SIGNS,
    GRID_WORDS,
    MONTHS,
    Bullets,
    DayGrid,
    Doc,
    Fields,
    Grid,
    Heading,
    Para,
    Table,
    day_grid_legend,
    grid_legend,
    severity_mark,
)
from infuse_cli.views.text import literal

_MD_SPECIAL = r"([\\`*_\[\]<>#|~&])"
_MD_LINE_START = r"^(\s*(?:\d+)?)([-=+>.)])"  # a list, quote, rule or heading

BOXES = {"[ ]": "☐", "[x]": "☑"}


def _md(text: str) -> str:
    """Text for Markdown: special characters escaped, line breaks kept inside the item."""
    escaped = re.sub(_MD_SPECIAL, r"\\\1", literal(text))
    lines = [re.sub(_MD_LINE_START, r"\1\\\2", line) for line in escaped.split("\n")]
    return "  \n  ".join(lines)  # a hard break; the next line stays inside the item


def markdown(doc: Doc) -> str:
    out: list[str] = []
    for block in doc:
        if isinstance(block, Heading):
            out.append("#" * min(block.level, 6) + " " + _md(block.text))
        elif isinstance(block, Para):
            label = f"**{_md(block.label)}:** " if block.label else ""
            text = _md(block.text)
            out.append(f"*{text}*" if block.tone == "muted" and not label else label + text)
        elif isinstance(block, Fields):
            out.append("\n".join(f"- **{_md(k)}:** {_md(v)}" for k, v in block.rows))
        elif isinstance(block, Bullets):
            lines = []
            for i, item in enumerate(block.items):
                mark = block.marks[i] if i < len(block.marks) else ""
                head = f"{mark} " if mark in BOXES else f"{_md(mark)} " if mark else ""
                lines.append(f"- {head}{_md(item)}")
            out.append("\n".join(lines))
        elif isinstance(block, Grid):
            out.append(_md_grid(block))
        elif isinstance(block, DayGrid):
            out.append(_md_day_grid(block))
        elif isinstance(block, Table):
            cells = [[_md(c) for c in block.columns]] + [[_md(c) for c in row] for row in block.rows]
            lines = ["| " + " | ".join(r) + " |" for r in cells]
            lines.insert(1, "|" + "---|" * len(block.columns))
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def _md_grid(grid: Grid) -> str:
    rows = ["| | " + " | ".join(MONTHS) + " |", "|" + "---|" * 13]
    rows += [
        f"| {year} | " + " | ".join(GRID_SIGNS.get(s, "") for s in states) + " |"
        for year, states in grid.rows
    ]
    return "\n".join(rows) + "\n\n" + grid_legend(GRID_SIGNS)


def _day_columns(grid: DayGrid) -> list[str]:
    days = len(grid.rows[0][1]) if grid.rows else 0
    return [grid.head, "earlier", *(str(n) for n in range(days, 0, -1))]


def _md_day_grid(grid: DayGrid) -> str:
    columns = _day_columns(grid)
    rows = ["| " + " | ".join(_md(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    rows += [
        f"| {_md(label)} | " + " | ".join(severity_mark(v, "") for v in [earlier, *values]) + " |"
        for label, values, earlier in grid.rows
    ]
    return "\n".join(rows) + "\n\n" + day_grid_legend(len(columns) - 2, "", table=True)


def _html_day_grid(grid: DayGrid) -> str:
    head = "".join(f'<th scope="col">{_h(c)}</th>' for c in _day_columns(grid))
    rows = "".join(
        f'<tr><th scope="row">{_h(label)}</th>'
        + "".join(f'<td class="g">{severity_mark(v, "")}</td>' for v in [earlier, *values])
        + "</tr>"
        for label, values, earlier in grid.rows
    )
    legend = day_grid_legend(len(_day_columns(grid)) - 2, "", table=True)
    return (
        f'<table class="grid"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table><p>{_h(legend)}</p>'
    )


def _html_grid(grid: Grid) -> str:
    """A table whose marks differ in shape (readable printed in black and white), each with
    its word for a screen reader."""
    head = '<th scope="col"></th>' + "".join(f'<th scope="col">{m}</th>' for m in MONTHS)
    rows = "".join(
        f'<tr><th scope="row">{_h(year)}</th>'
        + "".join(
            f'<td class="g">{GRID_SIGNS[s]}<span class="sr"> {GRID_WORDS[s]}</span></td>'
            if s
            else "<td></td>"
            for s in states
        )
        + "</tr>"
        for year, states in grid.rows
    )
    table = f'<table class="grid"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    return f"{table}<p>{_h(grid_legend(GRID_SIGNS))}</p>"


_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  font-size: 20px; line-height: 1.55; color: #000; background: #fff;
  max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .75rem; }
h2 { font-size: 1.45rem; margin: 1.75rem 0 .5rem; padding-bottom: .2rem; border-bottom: 3px solid #000; }
h3 { font-size: 1.2rem; margin: 1.25rem 0 .4rem; }
p { margin: .5rem 0; }
.note, .warn { border-left: 6px solid #000; padding: .25rem .75rem; }
.warn { font-weight: bold; }
.muted { color: #333; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: .5rem 0; }
dt { font-weight: bold; }
dd { margin: 0; }
ul { padding-left: 1.4rem; }
ul.marked { list-style: none; padding-left: 0; }
li { margin: .3rem 0; }
.mark { display: inline-block; min-width: 1.6em; font-weight: bold; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #000; padding: .3rem .5rem; text-align: left; vertical-align: top; }
table.grid th, table.grid td.g { text-align: center; padding: .1rem .2rem; }
@page { margin: 16mm; }
@media print {
  body { font-size: 14pt; max-width: none; margin: 0; padding: 0; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  li, tr, dl, p { break-inside: avoid; page-break-inside: avoid; }
}
"""


def _h(text: str) -> str:
    return html.escape(literal(text)).replace("\n", "<br>")


def page(doc: Doc, title: str, lang: str = "en") -> str:
    """One self-contained HTML page."""
    body: list[str] = []
    for block in doc:
        if isinstance(block, Heading):
            level = min(block.level, 3)
            body.append(f"<h{level}>{_h(block.text)}</h{level}>")
        elif isinstance(block, Para):
            cls = f' class="{block.tone}"' if block.tone != "normal" else ""
            label = f"<strong>{_h(block.label)}:</strong> " if block.label else ""
            body.append(f"<p{cls}>{label}{_h(block.text)}</p>")
        elif isinstance(block, Fields):
            rows = "".join(f"<dt>{_h(k)}</dt><dd>{_h(v)}</dd>" for k, v in block.rows)
            body.append(f"<dl>{rows}</dl>")
        elif isinstance(block, Bullets):
            marked = any(block.marks)
            items = []
            for i, item in enumerate(block.items):
                mark = block.marks[i] if i < len(block.marks) else ""
                shown = BOXES.get(mark, mark)
                head = f'<span class="mark" aria-hidden="true">{_h(shown)}</span>' if marked else ""
                spoken = ' <span class="sr">(done)</span>' if mark == "[x]" else ""
                items.append(f"<li>{head}{_h(item)}{spoken}</li>")
            cls = ' class="marked"' if marked else ""
            body.append(f"<ul{cls}>{''.join(items)}</ul>")
        elif isinstance(block, Grid):
            body.append(_html_grid(block))
        elif isinstance(block, DayGrid):
            body.append(_html_day_grid(block))
        elif isinstance(block, Table):
            head = "".join(f'<th scope="col">{_h(c)}</th>' for c in block.columns)
            rows = "".join("<tr>" + "".join(f"<td>{_h(c)}</td>" for c in row) + "</tr>" for row in block.rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    css = _CSS + ".sr { position: absolute; left: -9999px; }\n"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_h(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
