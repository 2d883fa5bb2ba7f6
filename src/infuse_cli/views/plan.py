"""`infuse plan`: a month-grid calendar (like `cal`) with marked days, a legend,
and the same events as a dated list. Marks are symbols, so nothing depends on colour."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING

from infuse_cli.core.dates import human
from infuse_cli.views.doc import Doc, Heading, Para
from infuse_cli.views.text import PLAIN, Look

if TYPE_CHECKING:
    from infuse_cli.core.upcoming import Upcoming

MARKS = {"infusion": "*", "overdue": "!", "monitoring": "+", "vaccine": "v", "reminder": "^"}
LEGEND = [
    ("*", "infusion day (suggested booking)"),
    ("!", "overdue dose: call your care team"),
    ("+", "test or check"),
    ("v", "vaccine deadline"),
    ("^", "reminder"),
]
_PRIORITY = {"!": 0, "*": 1, "+": 2, "v": 3, "^": 4}
_MONTH_W = 21
_GAP = "  "


def day_marks(up: Upcoming) -> dict[dt.date, list[tuple[str, str]]]:
    """Each day's (mark, text), infusions first."""
    out: dict[dt.date, list[tuple[str, str]]] = {}
    t = up.therapy
    for inf in up.infusions:
        if inf.overdue_days:
            out.setdefault(up.today, []).append(
                (
                    "!",
                    f"{t.brand}: {inf.phase} ({inf.dose}) was due {human(inf.date)},"
                    f" overdue by {inf.overdue_days} days — contact your care team",
                )
            )
            continue
        day = inf.book or inf.date
        whose = "off-label date" if inf.off_label else "label's date"
        moved = f" ({whose} {human(inf.date)})" if day != inf.date else ""
        if inf.off_label:
            moved += " — off-label: only if your care team chose it"
        out.setdefault(day, []).append(("*", f"{t.brand} infusion: {inf.phase} ({inf.dose}){moved}"))
    for e in up.events:
        moved = f" (label's date {human(e.date)})" if e.book not in (None, e.date) else ""
        out.setdefault(e.book or e.date, []).append((MARKS.get(e.kind, "+"), f"{t.brand}: {e.what}{moved}"))
    for items in out.values():
        items.sort(key=lambda m: _PRIORITY.get(m[0], 9))
    return out


def months_between(first: dt.date, count: int) -> list[tuple[int, int]]:
    out = []
    y, m = first.year, first.month
    for _ in range(count):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_lines(year: int, month: int, marks: dict[dt.date, list[tuple[str, str]]], look: Look) -> list[str]:
    p = look.paint
    title = f"{calendar.month_name[month]} {year}".center(_MONTH_W).rstrip()
    lines = [p(title, "label"), "Mo Tu We Th Fr Sa Su".ljust(_MONTH_W)]
    for week in calendar.Calendar(firstweekday=0).monthdayscalendar(year, month):
        cells = []
        for d in week:
            if d == 0:
                cells.append("   ")
                continue
            found = marks.get(dt.date(year, month, d))
            mark = found[0][0] if found else " "
            role = {"*": "warn", "!": "warn", "+": "note", "v": "good", "^": "muted"}.get(mark, "")
            cells.append(f"{d:>2}" + (p(mark, role) if found else " "))
        lines.append("".join(cells))
    while len(lines) < 8:
        lines.append("")
    return lines


def grid(up: Upcoming, months: int, width: int, look: Look = PLAIN) -> str:
    marks = day_marks(up)
    per_row = max(1, (width + len(_GAP)) // (_MONTH_W + len(_GAP)))
    blocks = [month_lines(y, m, marks, look) for y, m in months_between(up.today, months)]
    out: list[str] = []
    for i in range(0, len(blocks), per_row):
        row = blocks[i : i + per_row]
        for k in range(8):
            parts = []
            for b in row:
                line = b[k]
                visible = len(_strip(line))
                parts.append(line + " " * (_MONTH_W - visible))
            out.append(_GAP.join(parts).rstrip())
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _strip(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def plan_doc(up: Upcoming, months: int) -> Doc:
    """The plain-text form: the legend and every marked day, month by month."""
    marks = day_marks(up)
    from infuse_cli.views.schedule import context

    doc: Doc = [
        *context(up),
        Para("  ".join(f"{m} {text}" for m, text in LEGEND), tone="muted", label="Legend"),
        Para(f"Today is {human(up.today)}.", tone="muted"),
    ]
    if up.basis == "preview":
        doc.append(
            Para(
                "No dates were given, so this is the plan if your first infusion were"
                " today. Use --start or --last with a real date.",
                tone="note",
                label="Note",
            )
        )
    current = None
    lines: list[str] = []
    for day in sorted(marks):
        key = (day.year, day.month)
        if key != current:
            if lines:
                doc.append(Para("\n".join(lines)))
                lines = []
            doc.append(Heading(f"{calendar.month_name[day.month]} {day.year}", 2))
            current = key
        for mark, text in marks[day]:
            lines.append(f"{mark} {human(day)}: {text}")
    if lines:
        doc.append(Para("\n".join(lines)))
    if up.end is not None and up.end.kind != "finished":
        doc.append(Para(up.end.text, tone="note", label="Then"))
    return doc
