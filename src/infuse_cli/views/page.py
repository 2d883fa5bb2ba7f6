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
    Break,
    Bullets,
    Chart,
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
        elif isinstance(block, Chart):
            points = " → ".join(f"{v:g} ({d})" for d, v in block.points)
            out.append(_md(f"{block.title}{f' ({block.unit})' if block.unit else ''}: {points}"))
        elif isinstance(block, Break):
            out.append("---")
        elif isinstance(block, DayGrid):
            out.append(_md_day_grid(block))
        elif isinstance(block, Table):
            cells = [[_md(c) for c in block.columns]] + [[_md(c) for c in row] for row in block.rows]
            lines = ["| " + " | ".join(r) + " |" for r in cells]
            lines.insert(1, "|" + "---|" * len(block.columns))
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def svg_chart(chart: Chart, width: int = 300, height: int = 90) -> str:
    """An inline SVG line chart: black lines, a round mark and the number at each result, the
    first and last days under it; it reads the same printed in black and white."""
    values = [v for _, v in chart.points]
    low, high = min(values + [0.0]), max(values)
    span = (high - low) or 1.0
    left, right, top, bottom = 22, 22, 18, 22
    n = len(chart.points)
    xs = [left + (width - left - right) * (i / (n - 1) if n > 1 else 0.5) for i in range(n)]
    ys = [top + (height - top - bottom) * (1 - (v - low) / span) for v in values]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    marks = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#000"/>'
        f'<text x="{x:.1f}" y="{y - 7:.1f}" text-anchor="middle" font-size="11">{v:g}</text>'
        for x, y, v in zip(xs, ys, values, strict=True)
    )
    first, last = chart.points[0][0], chart.points[-1][0]
    axis = (
        f'<line x1="{left}" y1="{height - bottom + 4}" x2="{width - right}" y2="{height - bottom + 4}"'
        ' stroke="#000" stroke-width="1"/>'
        f'<text x="{left}" y="{height - 4}" font-size="11">{_h(first)}</text>'
        f'<text x="{width - right}" y="{height - 4}" font-size="11" text-anchor="end">{_h(last)}</text>'
    )
    label = f"{chart.title}{f' ({chart.unit})' if chart.unit else ''}"
    said = ", ".join(f"{v:g} on {d}" for d, v in chart.points)
    return (
        f'<figure class="chart"><figcaption>{_h(label)}</figcaption>'
        f'<svg role="img" aria-label="{_h(label + ": " + said)}" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f'<polyline points="{line}" fill="none" stroke="#000" stroke-width="2"/>{marks}{axis}</svg></figure>'
    )


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
div.charts { display: flex; flex-wrap: wrap; gap: 0 1.5rem; }
figure.chart { margin: .5rem 0; break-inside: avoid; }
figure.chart figcaption { font-weight: bold; }
.page-break { break-after: page; page-break-after: always; }
@media screen { .page-break { border-top: 3px dashed #000; margin: 2rem 0; } }
section.summary td:first-child { white-space: nowrap; }
@media print { section.summary { font-size: 11pt; line-height: 1.35; } section.summary h1 { font-size: 18pt; }
  section.summary h2 { font-size: 12pt; margin: .5rem 0 .15rem; padding-bottom: 0; border-bottom-width: 2px; }
  section.summary p { margin: .2rem 0; } section.summary figure.chart { margin: .2rem 0; }
  section.summary th, section.summary td { padding: .05rem .3rem; } section.summary li { margin: .1rem 0; } }
@page { margin: 16mm; }
@media print {
  body { font-size: 14pt; max-width: none; margin: 0; padding: 0; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  li, tr, dl, p { break-inside: avoid; page-break-inside: avoid; }
}
"""


def _h(text: str) -> str:
    return html.escape(literal(text)).replace("\n", "<br>")


def _summary_first(body: list[str], summary: bool) -> list[str]:
    """The blocks before the first page break (all of them, for a ``summary``) in a section
    printed smaller, so the summary keeps to one page."""
    breaks = '<div class="page-break"></div>'
    if breaks not in body and not summary:
        return body
    cut = len(body) if summary else body.index(breaks)
    return ['<section class="summary">', *body[:cut], "</section>", *body[cut:]]


def _html_bullets(block: Bullets) -> str:
    marked = any(block.marks)
    items = []
    for i, item in enumerate(block.items):
        mark = block.marks[i] if i < len(block.marks) else ""
        shown = BOXES.get(mark, mark)
        head = f'<span class="mark" aria-hidden="true">{_h(shown)}</span>' if marked else ""
        spoken = ' <span class="sr">(done)</span>' if mark == "[x]" else ""
        items.append(f"<li>{head}{_h(item)}{spoken}</li>")
    cls = ' class="marked"' if marked else ""
    return f"<ul{cls}>{''.join(items)}</ul>"


def _add_chart(body: list[str], block: Chart) -> None:
    """Charts one after another stand side by side."""
    if body and body[-1].startswith('<div class="charts">'):
        body[-1] = body[-1].removesuffix("</div>") + svg_chart(block) + "</div>"
    else:
        body.append(f'<div class="charts">{svg_chart(block)}</div>')


def page(doc: Doc, title: str, lang: str = "en", summary: bool = False) -> str:
    """One self-contained HTML page. What comes before a page break (or, with ``summary``,
    all of it) is the one-page summary, in smaller print."""
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
            body.append(_html_bullets(block))
        elif isinstance(block, Grid):
            body.append(_html_grid(block))
        elif isinstance(block, Chart):
            _add_chart(body, block)
        elif isinstance(block, Break):
            body.append('<div class="page-break"></div>')
        elif isinstance(block, DayGrid):
            body.append(_html_day_grid(block))
        elif isinstance(block, Table):
            head = "".join(f'<th scope="col">{_h(c)}</th>' for c in block.columns)
            rows = "".join("<tr>" + "".join(f"<td>{_h(c)}</td>" for c in row) + "</tr>" for row in block.rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    body = _summary_first(body, summary)
    css = _CSS + ".sr { position: absolute; left: -9999px; }\n"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_h(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
