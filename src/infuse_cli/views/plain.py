"""Plain text: no colour, no box drawing, no emoji. For pipes, screen readers, print.

Everything wraps to the width; nothing is cut.
"""

from __future__ import annotations

import textwrap

from infuse_cli.views.doc import Block, Bullets, Doc, Fields, Heading, Para, Table

_MIN_COL = 10
_GAP = "  "


def render(doc: Doc, width: int) -> str:
    width = max(width, 20)
    out: list[str] = []
    for block in doc:
        text = _block(block, width)
        if text:
            out.append(text)
    return "\n\n".join(out) + "\n"


def _wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n") or [""]:
        wrapped = textwrap.wrap(
            para,
            width=width,
            initial_indent=first if first is not None and not lines else indent,
            subsequent_indent=indent,
            break_long_words=True,
            break_on_hyphens=False,
        )
        lines.extend(wrapped or [(first if first is not None and not lines else indent).rstrip()])
    return lines


def _block(block: Block, width: int) -> str:
    if isinstance(block, Heading):
        lines = _wrap(block.text.upper() if block.level == 1 else block.text, width)
        rule = "=" if block.level == 1 else "-"
        return "\n".join(lines + [rule * min(width, max(len(line) for line in lines))])
    if isinstance(block, Para):
        prefix = f"{block.label}: " if block.label else ""
        return "\n".join(_wrap(prefix + block.text, width))
    if isinstance(block, Fields):
        return "\n".join(_fields(block.rows, width))
    if isinstance(block, Bullets):
        lines = []
        for i, item in enumerate(block.items):
            mark = block.marks[i] if i < len(block.marks) and block.marks[i] else "-"
            head = f"{mark} "
            lines.extend(_wrap(item, width, indent=" " * min(len(head), 8), first=head))
        return "\n".join(lines)
    if isinstance(block, Table):
        return _table(block, width)
    raise TypeError(block)


def _fields(rows: list[tuple[str, str]], width: int) -> list[str]:
    if not rows:
        return []
    label_w = max(len(label) for label, _ in rows) + 2
    lines: list[str] = []
    if label_w > width // 2:  # narrow: value under its label
        for label, value in rows:
            lines.extend(_wrap(f"{label}:", width))
            lines.extend(_wrap(value, width, indent="  "))
        return lines
    for label, value in rows:
        head = f"{label}:".ljust(label_w)
        lines.extend(_wrap(value, width, indent=" " * label_w, first=head))
    return lines


def _table(table: Table, width: int) -> str:
    n = len(table.columns)
    if n == 0:
        return ""
    widths = _fit(table, width)
    if widths is None:
        return _stacked(table, width)
    lines: list[str] = []
    lines.extend(_row(table.columns, widths))
    lines.append(_GAP.join("-" * w for w in widths).rstrip())
    for i, row in enumerate(table.rows):
        if i in table.groups:
            if i:
                lines.append("")
            lines.extend(_wrap(f"[{table.groups[i]}]", width))
        lines.extend(_row(row, widths))
    return "\n".join(lines)


def _fit(table: Table, width: int) -> list[int] | None:
    """Column widths that fit ``width``, or None when the table is too narrow to read."""
    n = len(table.columns)
    cells = [table.columns, *table.rows]
    natural = [max(len(r[c]) if c < len(r) else 0 for r in cells) for c in range(n)]
    longest_word = [
        max((len(w) for r in cells if c < len(r) for w in r[c].split()), default=1) for c in range(n)
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


def _row(cells: list[str], widths: list[int]) -> list[str]:
    wrapped = [
        textwrap.wrap(cells[c] if c < len(cells) else "", width=w, break_long_words=True,
                      break_on_hyphens=False) or [""]
        for c, w in enumerate(widths)
    ]
    height = max(len(w) for w in wrapped)
    out = []
    for k in range(height):
        parts = [(wrapped[c][k] if k < len(wrapped[c]) else "").ljust(widths[c])
                 for c in range(len(widths))]
        out.append(_GAP.join(parts).rstrip())
    return out


def _stacked(table: Table, width: int) -> str:
    """Too narrow for columns: one record per row, 'column: value'."""
    lines: list[str] = []
    if table.first_is_label:
        # Transpose: one section per data column (a therapy), rows as fields.
        for c in range(1, len(table.columns)):
            if lines:
                lines.append("")
            lines.extend(_wrap(table.columns[c], width))
            lines.append("-" * min(width, len(table.columns[c])))
            for i, row in enumerate(table.rows):
                if i in table.groups:
                    lines.extend(_wrap(f"[{table.groups[i]}]", width))
                lines.extend(_fields([(row[0], row[c] if c < len(row) else "")], width))
        return "\n".join(lines)
    for row in table.rows:
        if lines:
            lines.append("")
        pairs = [(table.columns[c], row[c] if c < len(row) else "") for c in range(len(table.columns))]
        lines.extend(_fields(pairs, width))
    return "\n".join(lines)
