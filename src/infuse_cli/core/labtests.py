"""The test catalogue (``data/tests.toml``): the tests people record between infusions,
their units, the label's bands, and which therapy monitoring each satisfies.

Names are forgiving (any case, aliases, a close spelling); units are matched however a
person types them (``x10^9/L``, ``×10⁹/L``, ``ukat/l``); a value in another unit is
converted only by a factor exact by definition, else kept in the unit the lab gave.
"""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

# No `from __future__ import annotations` here: these records are decoded from the cache
# on every run, and msgspec would have to compile each string annotation first.
import msgspec

from infuse_cli.core.errors import DataError, InfuseError, shown
from infuse_cli.core.schema import Therapy

ResultKind = Literal["number", "status", "status_index", "done"]


class UnitFactor(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    unit: str
    factor: float  # a value in ``unit`` times this is the value in the test's own unit
    why: str


class Satisfies(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    therapy: str
    what: str  # a [[monitoring]] entry's exact `what`


class Band(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """A threshold a label states, in the test's own unit."""

    below: float | None = None
    above: float | None = None
    words: str
    therapy: str
    source: str
    ref: str
    quote: str

    def holds(self, value: float) -> bool:
        return (self.below is None or value < self.below) and (self.above is None or value > self.above)


class LabTest(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    id: str
    name: str
    kind: Literal["lab", "imaging", "exam", "program"]
    result: ResultKind
    aliases: list[str] = []
    unit: str = ""
    units: list[UnitFactor] = []
    other_units: list[str] = []
    statuses: list[str] = []
    min: float | None = None
    max: float | None = None
    loinc: str = ""
    loinc_source: str = ""
    note: str = ""
    satisfies: list[Satisfies] = []
    bands: list[Band] = []
    # Followed in the ledger only once one is recorded (a pregnancy test: not everyone's).
    only_if_recorded: bool = False

    @property
    def all_units(self) -> list[str]:
        return [u for u in [self.unit, *(f.unit for f in self.units), *self.other_units] if u]


class Tests(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    schema: int
    reviewed: dt.date
    tests: list[LabTest]

    def get(self, test_id: str) -> LabTest | None:
        for t in self.tests:
            if t.id == test_id:
                return t
        return None


def check(tests: Tests, path: Path) -> None:
    """Ids and names unique, units and bands whole."""

    def fail(what: str) -> None:
        raise DataError(f"{path.name}: {what}.")

    seen: dict[str, str] = {}
    for t in tests.tests:
        for name in (t.id, t.name, *t.aliases):
            key = fold(name)
            if key in seen and seen[key] != t.id:
                fail(f"'{name}' names both '{seen[key]}' and '{t.id}'")
            seen[key] = t.id
        numeric = t.result in ("number", "status_index")
        if numeric != bool(t.unit):
            fail(f"'{t.id}' is a {t.result} result, so it {'needs' if numeric else 'takes no'} unit")
        has_status = t.result in ("status", "status_index")
        if has_status != bool(t.statuses):
            fail(
                f"'{t.id}' is a {t.result} result, so statuses are {'needed' if has_status else 'not taken'}"
            )
        units = [fold_unit(u) for u in t.all_units]
        if len(set(units)) != len(units):
            fail(f"'{t.id}' names a unit twice")
        for b in t.bands:
            if b.below is None and b.above is None:
                fail(f"'{t.id}' has a band with no number (a band needs below or above)")


def check_links(tests: Tests, therapies: dict[str, Therapy]) -> None:
    """Every `satisfies` names a therapy's monitoring entry; every band cites one of its sources."""
    for t in tests.tests:
        for s in t.satisfies:
            therapy = therapies.get(s.therapy)
            if therapy is None or s.what not in {m.what for m in therapy.monitoring}:
                raise DataError(
                    f"tests.toml: '{t.id}' satisfies '{s.what}' of {s.therapy}, which has no such entry."
                )
        for b in t.bands:
            therapy = therapies.get(b.therapy)
            if therapy is None or b.source not in {x.id for x in therapy.sources}:
                raise DataError(
                    f"tests.toml: a band of '{t.id}' cites {b.therapy} '{b.source}', which is not a source."
                )


def fold(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


_UNIT_SPELLING = str.maketrans(
    {"μ": "u", "µ": "u", "×": "x", "*": "x", "³": "3", "⁹": "9", "^": None, " ": None}
)


def fold_unit(unit: str) -> str:
    """A unit however it is typed: ``×10⁹/L``, ``x10^9/l`` and ``10^9/L`` are one unit."""
    folded = unit.casefold().translate(_UNIT_SPELLING)
    folded = folded.removeprefix("x")
    return folded.replace("cells/", "/").replace("cell/", "/")


def find_test(tests: Tests, word: str, guess: bool = True) -> LabTest:
    """The test ``word`` names: its id, name or an alias in any case; with ``guess``, also
    one close spelling (to read results, never to record one: "hepatitis c" is close to
    "hepatitis b" and is not it). An unknown name is one sentence with what it may mean."""
    import difflib

    key = fold(word)
    if not key:
        raise InfuseError("Name the test, e.g. tsh, jcv or 'blood count' (infuse labs tests lists them).")
    index: dict[str, LabTest] = {}
    for t in tests.tests:
        for name in (t.id, t.name, *t.aliases):
            index.setdefault(fold(name), t)
    if key in index:
        return index[key]
    close = difflib.get_close_matches(key, list(index), n=5, cutoff=0.8) if len(key) >= 4 else []
    ids = list(dict.fromkeys(index[k].id for k in close))
    if guess and len(ids) == 1:
        return index[close[0]]
    if not ids:  # only offered, never taken: a short or far word is too easy to mistake
        near = difflib.get_close_matches(key, list(index), n=3, cutoff=0.7)
        starts = [t.id for k, t in index.items() if len(key) >= 2 and k.startswith(key)]
        # A short name one letter off (jcx for jcv): too short for a spelling ratio.
        one_off = [
            t.id
            for k, t in index.items()
            if len(k) == len(key) <= 4 and sum(a != b for a, b in zip(k, key, strict=True)) == 1
        ]
        ids = list(dict.fromkeys([*(index[k].id for k in near), *one_off, *starts]))
    hint = f" Did you mean {', '.join(ids[:4])}?" if ids else ""
    raise InfuseError(
        f"infuse knows no test called '{shown(word)}'.{hint} See every test: infuse labs tests."
    )


class Parsed(msgspec.Struct, frozen=True):
    """A result as it is kept: in the test's own unit where an exact factor exists."""

    value: float | None
    unit: str
    status: str


def parse_result(test: LabTest, value: str | None, unit: str | None) -> Parsed:
    """``VALUE [UNIT]`` as typed, checked against what the test can be."""
    if test.result == "done":
        if value is not None:
            raise InfuseError(
                f"{test.name} is recorded as done, without a value; put what it showed in --note."
            )
        return Parsed(None, "", "")
    if value is None:
        return Parsed(None, "", "")  # done, result not known yet
    if test.result in ("status", "status_index"):
        status = _status(test, value)
        if status and unit is not None and test.result == "status":
            raise InfuseError(f"The result of {test.name} is only a status ({status}); put more in --note.")
        if status:
            index = _index(test, unit) if unit is not None else None
            return Parsed(index, test.unit if index is not None else "", status)
        if test.result == "status" or not _numeric(value):
            said = f"one of: {', '.join(test.statuses)}"
            if test.result == "status_index":
                said = f"a status ({', '.join(test.statuses)}), an index number, or both (positive 0.68)"
            raise InfuseError(f"The result of {test.name} is {said}.")
        if unit is not None:
            raise InfuseError(f"The {test.name} index has no unit; give it alone, e.g. 0.4.")
        return Parsed(_index(test, value), test.unit, "")
    number = _number(test, value)
    return _in_unit(test, number, unit)


def _status(test: LabTest, word: str) -> str:
    found = [s for s in test.statuses if s.startswith(word.casefold()) and len(word) >= 3]
    return found[0] if len(found) == 1 else ""


def _index(test: LabTest, text: str) -> float:
    number = _number(test, text)
    _in_bounds(test, number, number)
    return number


# Thousands grouped by commas (1,500 or 12,000.5) is a number; any other comma may be a
# decimal comma (1,5) and is refused rather than guessed.
_GROUPED = r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?"
_LARGEST = 1e9  # no test infuse knows reports a number this large in its own unit


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _number(test: LabTest, text: str) -> float:
    import math
    import re

    if "," in text:
        if not re.fullmatch(_GROUPED, text.strip()):
            raise InfuseError(
                f"'{shown(text)}' has a comma infuse cannot read; write the decimal point as a dot"
                f" ({shown(text.replace(',', '.'))}) and thousands without a comma."
            )
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        raise InfuseError(
            f"'{shown(text)}' is not a number; give the {test.name} result as a number."
        ) from None
    if not math.isfinite(number) or abs(number) > _LARGEST:
        raise InfuseError(f"'{shown(text)}' is not a {test.name} result any lab reports; check the number.")
    return number + 0.0  # -0 is 0


def _in_unit(test: LabTest, number: float, unit: str | None) -> Parsed:
    """The number in the test's own unit (an exact factor), or as given (none exists)."""
    if unit is None:
        if test.other_units or any(f.factor != 1 for f in test.units):  # the number depends on the unit
            raise InfuseError(
                f"Give the unit of the {test.name} result: {', '.join(test.all_units)}"
                f" (e.g. infuse labs add {test.id} {number:g} {test.unit})."
            )
        unit = test.unit
    key = fold_unit(unit)
    if key == fold_unit(test.unit):
        kept = Parsed(number, test.unit, "")
    else:
        factor = next((f for f in test.units if fold_unit(f.unit) == key), None)
        other = next((u for u in test.other_units if fold_unit(u) == key), None)
        if factor is not None:
            kept = Parsed(round(number * factor.factor, 10), test.unit, "")
        elif other is not None:
            kept = Parsed(number, other, "")
        else:
            raise InfuseError(
                f"{test.name} is not reported in '{shown(unit)}'; infuse knows {', '.join(test.all_units)}."
            )
    if kept.unit == test.unit:
        _in_bounds(test, number, kept.value)
    elif number < 0:
        raise InfuseError(f"A {test.name} result cannot be below 0.")
    return kept


def _in_bounds(test: LabTest, typed: float, value: float | None) -> None:
    if value is None:
        return
    if test.min is not None and value < test.min:
        raise InfuseError(f"A {test.name} result cannot be below {test.min:g}; {typed:g} was given.")
    if test.max is not None and value > test.max:
        raise InfuseError(
            f"A {test.name} result cannot be above {test.max:g} {test.unit}; {typed:g} was given."
        )


def bands_for(test: LabTest, value: float | None, unit: str, therapies: Sequence[str] = ()) -> list[Band]:
    """The label's bands this result falls in (in the test's own unit only), for the
    person's therapies when they are known."""
    if value is None or unit != test.unit:
        return []
    return [b for b in test.bands if b.holds(value) and (not therapies or b.therapy in therapies)]


def satisfying(tests: Tests, therapy: str, what: str) -> list[str]:
    """The ids of the tests that satisfy one monitoring entry."""
    return [t.id for t in tests.tests if any(s.therapy == therapy and s.what == what for s in t.satisfies)]
