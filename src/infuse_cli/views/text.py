"""Lay a document out as text that fits the width: wrapped, never cut.

One layout for both looks, so plain and colour output wrap identically:

* ``PLAIN`` — no colour, no box drawing, no emoji: for pipes, screen readers, print;
* ``colour()`` — the same lines, styled with rich's ``Style`` (bold headings,
  coloured tones). Meaning never rides on colour alone: the words stay the same.

Styles are applied after wrapping, so escape codes never count toward width.
User text is never parsed for markup.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable

from infuse_cli.views.doc import (
    Block,
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
    Tone,
)

_MIN_COL = 10
_GAP = "  "

Paint = Callable[[str, str], str]  # (text, role) -> styled text


class Look:
    """How a layout is drawn: marks and rules, and how a role is painted."""

    def __init__(
        self,
        paint: Paint | None = None,
        bullet: str = "-",
        rule: str = "-",
        title_rule: str = "=",
        signs: bool = False,
    ) -> None:
        self.paint: Paint = paint or (lambda text, role: text)
        self.bullet = bullet
        self.rule = rule
        self.title_rule = title_rule
        self.signs = signs  # marks such as ✓ and ✗, rather than letters


PLAIN = Look()

_ROLES: dict[str, str] = {
    "title": "bold",
    "heading": "bold underline",
    "label": "bold",
    "group": "bold magenta",
    "head": "bold",
    "note": "cyan",
    "warn": "bold yellow",
    "good": "green",
    "muted": "dim",
    "mark": "bold",
}


def colour() -> Look:
    from rich.color import ColorSystem
    from rich.style import Style

    cache: dict[str, Style] = {}

    def paint(text: str, role: str) -> str:
        spec = _ROLES.get(role)
        if not spec or not text:
            return text
        style = cache.get(spec) or cache.setdefault(spec, Style.parse(spec))
        return style.render(text, color_system=ColorSystem.STANDARD)

    return Look(paint, bullet="•", rule="─", title_rule="═", signs=True)


_BIDI = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F}


_LAYOUT = {ord("\n"): None, ord("\t"): None}  # what literal() keeps as it is


def literal(text: str) -> str:
    """Text safe to print: control characters (ESC, BEL, …) and bidirectional overrides are
    shown as visible codes (^[ , <U+202E>), so nothing typed by a user can move the cursor,
    change colours, set the window title or reorder what is shown. Newlines and tabs stay."""
    if text.isprintable() or text.translate(_LAYOUT).isprintable():  # the common case, at C speed
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\n\t":
            out.append(ch)
        elif code < 0x20 or code == 0x7F:
            out.append("^" + chr(code ^ 0x40))
        elif 0x80 <= code < 0xA0 or code in _BIDI:
            out.append(f"<U+{code:04X}>")
        else:
            out.append(ch)
    return "".join(out)


def render(doc: Doc, width: int, look: Look = PLAIN) -> str:
    width = max(width, 20)
    out: list[str] = []
    for block in doc:
        text = _block(block, width, look)
        if text:
            out.append(text)
    return "\n\n".join(out) + "\n"


_LONG_WORD = r"\S{200,}"


def _breakable(text: str, width: int) -> str:
    """``text`` with words of 200 characters or more cut into line-sized pieces first:
    textwrap cuts a long word one line at a time, copying the rest each time, which
    grows with the square of the word's length."""
    if len(text) < 200:
        return text
    step = max(width, 1)
    return re.sub(_LONG_WORD, lambda m: " ".join(m[0][i : i + step] for i in range(0, len(m[0]), step)), text)


# Characters past Latin that the catalogue and its sentences use, each one cell wide.
# Text made only of these (and Latin) is as wide as it is long and takes the fast path;
# anything else (Japanese, emoji, combining marks) is measured by rich's tables. A regular
# expression over the wide ranges would cost milliseconds to compile at every start.
_ONE_CELL = frozenset(
    "\u2010\u2011\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u2032\u2033\u2190\u2192"
    "\u2212\u2248\u2260\u2264\u2265\u2713\u2717\u00a0\u2009\u202f\u03bc\u2122\u00ae"
)


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes (a Japanese character two, an accent none)."""
    if text.isascii() or all(ch < "\u0300" or ch in _ONE_CELL for ch in text):
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cells(text))


def _fill(text: str, width: int, first: str = "", indent: str = "") -> list[str]:
    """``textwrap.wrap`` by terminal cells, for text with wide or zero-width characters."""
    from rich.cells import cell_len

    lines: list[str] = []
    line, used, empty = first, cell_len(first), True
    for word in text.split():
        size = cell_len(word)
        if not empty and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if not empty:
            lines.append(line)
            line, used, empty = indent, cell_len(indent), True
        while used + size > width:  # a word longer than the line: cut it by cells
            piece, taken = "", 0
            for ch in word:
                w = cell_len(ch)
                if used + taken + w > width and (piece or used > cell_len(indent)):
                    break
                piece, taken = piece + ch, taken + w
            lines.append(line + piece)
            word, size = word[len(piece) :], size - taken
            line, used = indent, cell_len(indent)
        if word:
            line, used, empty = line + word, used + size, False
    if not empty:
        lines.append(line)
    return lines


def _wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    text = _breakable(literal(text), width)
    lines: list[str] = []
    for para in text.split("\n") or [""]:
        start = first if first is not None and not lines else indent
        if cells(para) != len(para):
            wrapped = _fill(para, width, start, indent)
        else:
            wrapped = textwrap.wrap(
                para,
                width=width,
                initial_indent=start,
                subsequent_indent=indent,
                break_long_words=True,
                break_on_hyphens=False,
            )
        lines.extend(wrapped or [start.rstrip()])
    return lines


def _block(block: Block, width: int, look: Look) -> str:
    p = look.paint
    if isinstance(block, Heading):
        lines = _wrap(block.text.upper() if block.level == 1 else block.text, width)
        rule = look.title_rule if block.level == 1 else look.rule
        under = rule * min(width, max(cells(line) for line in lines))
        role = "title" if block.level == 1 else "heading"
        return "\n".join([p(line, role) for line in lines] + [p(under, "muted")])
    if isinstance(block, Para):
        prefix = f"{block.label}: " if block.label else ""
        lines = _wrap(prefix + block.text, width)
        if block.label:
            lines[0] = p(prefix.rstrip(), block.tone if block.tone != "normal" else "label") + (
                " " + lines[0][len(prefix) :] if len(lines[0]) > len(prefix) else ""
            )
            rest = lines[1:]
            tone: Tone = block.tone if block.tone == "muted" else "normal"
            return "\n".join([lines[0], *(p(line, tone) for line in rest)])
        return "\n".join(p(line, block.tone) for line in lines)
    if isinstance(block, Fields):
        return "\n".join(_fields(block.rows, width, look))
    if isinstance(block, Bullets):
        lines = []
        for i, item in enumerate(block.items):
            mark = block.marks[i] if i < len(block.marks) and block.marks[i] else look.bullet
            head = f"{mark} "
            wrapped = _wrap(item, width, indent=" " * min(len(head), 8), first=head)
            wrapped[0] = p(head.rstrip(), "mark") + wrapped[0][len(head.rstrip()) :]
            lines.extend(wrapped)
        return "\n".join(lines)
    if isinstance(block, Table):
        return _table(block, width, look)
    if isinstance(block, Grid):
        return _grid(block, width, look)
    if isinstance(block, Chart):
        points = " → ".join(f"{value:g} ({day})" for day, value in block.points)
        return "\n".join(_wrap(f"{block.title}{f' ({block.unit})' if block.unit else ''}: {points}", width))
    if isinstance(block, Break):
        return look.paint(look.rule * min(width, 40), "muted")
    if isinstance(block, DayGrid):
        return _day_grid(block, width, look)
    raise TypeError(block)


_GRID_ROLES = {"done": "good", "missed": "warn", "due": "note", "ahead": "muted"}


def _grid(grid: Grid, width: int, look: Look) -> str:
    """Years down, months across: three-letter months where they fit, else one letter;
    the legend under it says what each mark means."""
    from infuse_cli.views.doc import GRID_LETTERS, GRID_SIGNS, MONTHS, grid_legend

    marks = GRID_SIGNS if look.signs else GRID_LETTERS
    cell = 4 if width >= 5 + 12 * 4 else 2
    head = " " * 4 + "".join(f"{m[: cell - 1]:>{cell}}" for m in MONTHS)
    lines = [look.paint(head, "head")]
    for year, states in grid.rows:
        row = year.ljust(4)
        for state in states:
            mark = marks.get(state, " ")
            row += " " * (cell - 1) + (look.paint(mark, _GRID_ROLES[state]) if state else mark)
        lines.append(row.rstrip())
    lines.extend(_wrap(grid_legend(marks), width))
    return "\n".join(lines)


def _weekly(days: list[int | None]) -> list[int | None]:
    """Days (oldest first, the last the day before the dose) as weeks: the highest of each."""
    weeks: list[int | None] = []
    for end in range(len(days), 0, -7):
        found = [d for d in days[max(0, end - 7) : end] if d is not None]
        weeks.insert(0, max(found) if found else None)
    return weeks


def _day_grid(grid: DayGrid, width: int, look: Look) -> str:
    """A row per cycle, the days before its dose across: two cells a day where they fit, else
    one, else a cell a week; a label too wide for the line goes on a line of its own."""
    from infuse_cli.views.doc import day_grid_legend, severity_mark

    if not grid.rows:
        return ""
    days = len(grid.rows[0][1])
    empty = "·" if look.signs else "."
    label_w = max(cells(label) for label, _, _ in [(grid.head, [], None), *grid.rows])
    weeks = label_w + 5 + days > width
    step = 2 if not weeks and label_w + 5 + 2 * days <= width else 1
    if weeks:
        step, days = 2, -(-days // 7)
    stacked = label_w + 5 + step * days > width
    indent = 2 if stacked else label_w + 2

    def mark(value: int | None) -> str:
        role = "muted" if value is None else "warn" if value >= 6 else "normal"
        return look.paint(severity_mark(value, empty), role)

    numbers = [" "] * (step * days + 1)
    for n in range(days, 0, -1) if weeks else (28, 21, 14, 7, 1):
        if n <= days:
            text = str(n)
            end = (days - n) * step + step  # the cell's last character (one spare in front)
            numbers[end - len(text) + 1 : end + 1] = list(text)
    head = ("  " if stacked else _pad(grid.head, label_w) + "  ") + "  " + "".join(numbers)
    lines = [look.paint(head.rstrip(), "head")]
    for label, values, earlier in grid.rows:
        row = _weekly(values) if weeks else values
        body = mark(earlier) + " |" + "".join(" " * (step - 1) + mark(v) for v in row)
        if stacked:
            lines.append(label)
        lines.append((" " * indent if stacked else _pad(label, label_w) + "  ") + body)
    lines.extend(_wrap(day_grid_legend(len(grid.rows[0][1]), empty, weeks), width))
    return "\n".join(lines)


def _fields(rows: list[tuple[str, str]], width: int, look: Look = PLAIN) -> list[str]:
    if not rows:
        return []
    p = look.paint
    label_w = max(len(label) for label, _ in rows) + 2
    lines: list[str] = []
    if label_w > width // 2:  # narrow: value under its label
        for label, value in rows:
            lines.extend(p(line, "label") for line in _wrap(f"{label}:", width))
            lines.extend(_wrap(value, width, indent="  "))
        return lines
    for label, value in rows:
        head = f"{label}:".ljust(label_w)
        wrapped = _wrap(value, width, indent=" " * label_w, first=head)
        wrapped[0] = p(f"{label}:", "label") + wrapped[0][len(label) + 1 :]
        lines.extend(wrapped)
    return lines


def _table(table: Table, width: int, look: Look = PLAIN) -> str:
    n = len(table.columns)
    if n == 0:
        return ""
    widths = _fit(table, width)
    if widths is None:
        return _stacked(table, width, look)
    p = look.paint
    lines: list[str] = []
    lines.extend(p(line, "head") for line in _row(table.columns, widths))
    lines.append(p(_GAP.join(look.rule * w for w in widths).rstrip(), "muted"))
    label_w = widths[0] if table.first_is_label else 0
    for i, row in enumerate(table.rows):
        if i in table.groups:
            if i:
                lines.append("")
            lines.extend(p(line, "group") for line in _wrap(f"[{table.groups[i]}]", width))
        for line in _row(row, widths):
            head = line[:label_w]
            lines.append(p(head, "label") + line[label_w:] if label_w and head.strip() else line)
    return "\n".join(lines)


def _fit(table: Table, width: int) -> list[int] | None:
    """Column widths that fit ``width``, or None when the table is too narrow to read."""
    n = len(table.columns)
    rows = [table.columns, *table.rows]
    natural = [max(_cells(r[c]) if c < len(r) else 0 for r in rows) for c in range(n)]
    longest_word = [
        max((_cells(w) for r in rows if c < len(r) for w in r[c].split()), default=1) for c in range(n)
    ]
    room = width - len(_GAP) * (n - 1)
    if sum(natural) <= room:
        return natural
    if room < _MIN_COL * n:
        return None
    widths = [min(natural[c], max(_MIN_COL, min(longest_word[c], 18))) for c in range(n)]
    if table.first_is_label:
        widths[0] = min(natural[0], max(_MIN_COL, min(room // (n + 1), 22)))
    spare = room - sum(widths)
    if spare < 0:
        return None
    # Share what is left among the columns that still want more.
    while spare > 0:
        wanting = [c for c in range(n) if widths[c] < natural[c]]
        if not wanting:
            break
        share = max(1, spare // len(wanting))
        for c in wanting:
            add = min(share, natural[c] - widths[c], spare)
            widths[c] += add
            spare -= add
            if spare <= 0:
                break
    return widths


def _wrap_cell(text: str, width: int) -> list[str]:
    if cells(text) != len(text):
        return _fill(text, width)
    return textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False)


_cells = cells  # inside functions whose rows are named ``cells``


def _row(cells: list[str], widths: list[int]) -> list[str]:
    cells = [literal(c) for c in cells]
    cells = [_breakable(c, widths[k]) if k < len(widths) else c for k, c in enumerate(cells)]
    wrapped = [_wrap_cell(cells[c] if c < len(cells) else "", w) or [""] for c, w in enumerate(widths)]
    height = max(len(w) for w in wrapped)
    out = []
    for k in range(height):
        parts = [_pad(wrapped[c][k] if k < len(wrapped[c]) else "", widths[c]) for c in range(len(widths))]
        out.append(_GAP.join(parts).rstrip())
    return out


def _stacked(table: Table, width: int, look: Look = PLAIN) -> str:
    """Too narrow for columns: one record per row, 'column: value'."""
    p = look.paint
    lines: list[str] = []
    if table.first_is_label:
        # Transpose: one section per data column (a therapy), rows as fields.
        for c in range(1, len(table.columns)):
            if lines:
                lines.append("")
            lines.extend(p(line, "heading") for line in _wrap(table.columns[c], width))
            lines.append(p(look.rule * min(width, len(table.columns[c])), "muted"))
            for i, row in enumerate(table.rows):
                if i in table.groups:
                    lines.extend(p(line, "group") for line in _wrap(f"[{table.groups[i]}]", width))
                lines.extend(_fields([(row[0], row[c] if c < len(row) else "")], width, look))
        return "\n".join(lines)
    for row in table.rows:
        if lines:
            lines.append("")
        pairs = [(table.columns[c], row[c] if c < len(row) else "") for c in range(len(table.columns))]
        lines.extend(_fields(pairs, width, look))
    return "\n".join(lines)
