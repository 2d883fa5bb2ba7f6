"""A neutral document: what to show, before deciding how.

Views build these blocks from core records; ``plain`` renders them as text
(no colour, box drawing or emoji) and ``rich`` renders them for a terminal.
User-typed text is only ever a string inside a block: neither renderer
interprets markup in it.
"""

from __future__ import annotations

from typing import Literal

import msgspec

Tone = Literal["normal", "note", "warn", "good", "muted"]


class Heading(msgspec.Struct, frozen=True):
    text: str
    level: int = 1  # 1: the page title, 2: a section


class Para(msgspec.Struct, frozen=True):
    text: str
    tone: Tone = "normal"
    label: str = ""  # a word that says what colour would: "Note", "Warning", "Overdue"


class Fields(msgspec.Struct, frozen=True):
    """Label: value pairs."""

    rows: list[tuple[str, str]]


class Bullets(msgspec.Struct, frozen=True):
    items: list[str]
    marks: list[str] = []  # an optional word or sign per item


class Table(msgspec.Struct, frozen=True):
    columns: list[str]
    rows: list[list[str]]
    # Rows that start a group: index -> group title (compare's row groups).
    groups: dict[int, str] = {}
    first_is_label: bool = False


class Grid(msgspec.Struct, frozen=True):
    """Years down, months across; each cell a state ("done", "missed", "due", "ahead") or
    "" (no window that month). Each renderer shows a state by a mark that is not colour alone."""

    rows: list[tuple[str, list[str]]]  # (year, its 12 months)


# Each state's mark and word: signs where the output may be drawn, letters in plain text.
GRID_SIGNS = {"done": "✓", "missed": "✗", "due": "!", "ahead": "·"}
GRID_LETTERS = {"done": "D", "missed": "M", "due": "N", "ahead": "."}
GRID_WORDS = {"done": "done", "missed": "missed", "due": "due now", "ahead": "ahead"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def grid_legend(marks: dict[str, str]) -> str:
    return ", ".join(f"{marks[k]} {GRID_WORDS[k]}" for k in GRID_WORDS)


class Chart(msgspec.Struct, frozen=True):
    """One test's results over time: a line chart in HTML (shapes and numbers, readable in
    black and white), the numbers in a line in text."""

    title: str
    points: list[tuple[str, float]]  # (the day, as shown; the value)
    unit: str = ""


class Break(msgspec.Struct, frozen=True):
    """Where a printed page ends: what follows starts a new page."""


class DayGrid(msgspec.Struct, frozen=True):
    """Rows of the days before an event (a dose): each cell the highest severity (0-10)
    recorded that day, or None; ``earlier`` the highest before those days. Each renderer
    shows a severity by a digit (X for 10), never by colour alone."""

    head: str  # what the row labels are, e.g. "Dose on"
    rows: list[tuple[str, list[int | None], int | None]]  # (label, the days oldest first, earlier)


def severity_mark(value: int | None, empty: str) -> str:
    """A severity as one character: 0-9, X for 10; ``empty`` for a day with none."""
    if value is None:
        return empty
    return "X" if value >= 10 else str(value)


def day_grid_legend(days: int, empty: str, weeks: bool = False, table: bool = False) -> str:
    """What a DayGrid's columns and marks mean; ``table``: drawn as a table with a column
    "earlier" (not the mark before "|")."""
    columns = (
        f"weeks before each dose, {-(-days // 7)} to 1 (1: the 7 days before it)"
        if weeks
        else f"days before each dose, {days} to 1 (1: the day before it)"
    )
    earlier = 'the column "earlier"' if table else "the mark before |"
    nothing = "an empty cell: none recorded" if table else f"{empty} none recorded"
    return (
        f"Columns: {columns}; {earlier} is the highest earlier in the cycle. Each mark is"
        f" the highest severity recorded: 0-9, X for 10; {nothing}."
    )


Block = Heading | Para | Fields | Bullets | Table | Grid | Chart | Break | DayGrid
Doc = list[Block]
