"""The therapy catalogue: load, validate and look up ``data/therapies/*.toml``.

Bundled files come with infuse; a user may add or override one by placing a
TOML file in ``<config dir>/therapies/``.  Both are validated the same way,
and a broken file gives one sentence naming the file, the field and what was
expected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import msgspec

from infuse_cli.core.errors import AmbiguousTherapy, DataError, InfuseError, UnknownTherapy
from infuse_cli.core.schema import Phase, Span, Therapy

if TYPE_CHECKING:
    from msgspec.inspect import Type

T = TypeVar("T")

_STATUS_ORDER = {"approved": 0, "rarely-used": 1, "off-label": 2}


def bundled_data_dir() -> Path:
    """``data/`` inside the installed package, or at the root of a source checkout.

    A wheel carries it as ``infuse_cli/data`` (hatch force-include); an
    editable install does not see that mapping, so the repository's own
    ``data/`` is used there.
    """
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "data", package.parent.parent / "data"):
        if (candidate / "therapies").is_dir():
            return candidate
    raise DataError("infuse's bundled data folder is missing; reinstall infuse.")


def read_toml(path: Path) -> dict[str, object]:
    """A TOML file as a dict, or a :class:`DataError` naming the file."""
    import tomllib  # only when the catalogue cache is cold

    from infuse_cli.paths import read_regular

    try:
        text = read_regular(path, 1024 * 1024, "a TOML file").decode("utf-8")
        # The TOML reader takes time with the square of a key's length: a line no file of
        # infuse's comes near (the longest is about 1,100 characters) is refused first.
        if max(map(len, text.splitlines()), default=0) > 10_000:
            raise DataError(f"{path}: a line is longer than 10,000 characters; infuse does not read it.")
        return tomllib.loads(text)
    except InfuseError as err:
        raise DataError(str(err)) from None
    except RecursionError:
        raise DataError(f"{path}: this is not a file infuse can read (it is nested too deeply).") from None
    except tomllib.TOMLDecodeError as err:
        raise DataError(f"{path}: this is not valid TOML ({err}).") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: this is not a UTF-8 text file.") from None
    except OSError as err:
        raise DataError(f"{path}: cannot be read ({err.strerror or err}).") from None


def decode(raw: dict[str, object], struct: type[T], path: Path) -> T:
    """``raw`` as the typed record ``struct``, or one sentence on what is wrong."""
    try:
        return msgspec.convert(raw, struct, strict=True)
    except msgspec.ValidationError as err:
        raise DataError(f"{path}: {explain(str(err), struct)}") from None
    except RecursionError:
        raise DataError(f"{path}: this is not a file infuse can read (it is nested too deeply).") from None


_AT = r"(?s)^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$"


def explain(message: str, struct: type[object]) -> str:
    """msgspec's validation message as a sentence: field, and what was expected."""
    m = re.match(_AT, message)
    what = m["what"] if m else message
    where = (m["path"] or "") if m else ""
    where = where.lstrip(".")
    missing = re.match(r"Object missing required field `(.+)`", what)
    if missing:
        name = f"{where}.{missing[1]}" if where else missing[1]
        return f"the field '{name}' is missing."
    unknown = re.match(r"Object contains unknown field `(.+)`", what)
    if unknown:
        name = f"{where}.{unknown[1]}" if where else unknown[1]
        return f"the field '{name}' is not one infuse knows (a typo?)."
    expected = re.match(r"Expected `(.+?)`, got `(.+?)`", what)
    if expected:
        return f"the field '{where}' should be {_plain(expected[1])}, not {_plain(expected[2])}."
    enum = re.match(r"Invalid enum value (.+)", what)
    if enum:
        allowed = _allowed(struct, where)
        tail = f"; expected one of {allowed}" if allowed else ""
        return f"the field '{where}' has the value {enum[1]}, which is not allowed{tail}."
    return f"the field '{where}': {what}." if where else what


_PLAIN = {
    "int": "a whole number",
    "float": "a number",
    "str": "text",
    "bool": "true or false",
    "array": "a list",
    "object": "a table",
    "date": "a date (YYYY-MM-DD)",
    "null": "nothing",
}


def _plain(kind: str) -> str:
    parts = [p.strip() for p in kind.split("|")]
    return " or ".join(_PLAIN.get(p, p) for p in parts if p != "null") or _PLAIN.get(kind, kind)


def _allowed(struct: type[object], path: str) -> str:
    """The allowed values of the Literal field at ``path`` ('a.b[0].c')."""
    import msgspec.inspect as mi

    info = mi.type_info(struct)
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        info = _unwrap(info)
        if part.startswith("["):
            if isinstance(info, mi.CollectionType):
                info = info.item_type
            continue
        records = mi.StructType | mi.DataclassType | mi.TypedDictType | mi.NamedTupleType
        fields = {f.encode_name: f.type for f in info.fields} if isinstance(info, records) else {}
        if part not in fields:
            return ""
        info = fields[part]
    info = _unwrap(info)
    values = info.values if isinstance(info, mi.LiteralType) else None
    return ", ".join(repr(v) for v in values) if values else ""


def _unwrap(info: Type) -> Type:
    import msgspec.inspect as mi

    if isinstance(info, mi.UnionType):
        for t in info.types:
            if not isinstance(t, mi.NoneType):
                return t
    return info


class Catalogue:
    """Every therapy, in display order, and which ones are the user's own."""

    def __init__(self, therapies: Iterable[Therapy], local: Iterable[str] = ()) -> None:
        ordered = sorted(therapies, key=lambda t: (_STATUS_ORDER[t.status], t.brand.casefold()))
        self.therapies: dict[str, Therapy] = {t.id: t for t in ordered}
        self.local = frozenset(local)
        self._index = _build_index(ordered)

    def __iter__(self) -> Iterator[Therapy]:
        return iter(self.therapies.values())

    def __len__(self) -> int:
        return len(self.therapies)

    def is_local(self, therapy: Therapy) -> bool:
        return therapy.id in self.local

    def find(self, name: str) -> Therapy:
        """The therapy ``name`` means: brand, generic or alias, any case, with or
        without ® or a biosimilar suffix such as -xiiy."""
        index = self._index
        hits: set[str] = set()
        for key in _keys(name):
            hits = index.get(key, set())
            if hits:
                break
        if len(hits) == 1:
            return self.therapies[next(iter(hits))]
        if hits:
            ordered = [t for t in self.therapies.values() if t.id in hits]
            raise AmbiguousTherapy(name, [f"{t.brand} ({t.generic})" for t in ordered])
        raise UnknownTherapy(name, self._suggest(name, index))

    def _suggest(self, name: str, index: dict[str, set[str]]) -> list[str]:
        import difflib

        keys = _keys(name)
        if not keys or not keys[0]:
            return []
        close = difflib.get_close_matches(keys[0], list(index), n=4, cutoff=0.7)
        brands: list[str] = []
        for key in close:
            for tid in sorted(index[key]):
                brand = self.therapies[tid].brand
                if brand not in brands:
                    brands.append(brand)
        return brands[:3]


_MARKS = dict.fromkeys(map(ord, "®™©*"), None)
_SUFFIX = r"[-\s]+[a-z]{4}$"
_SEPARATORS = r"[\s\-_./]+"


def _keys(name: str) -> list[str]:
    """Lookup keys for a name: exact (folded), then without a biosimilar suffix."""
    if not name.isascii():  # ASCII is already in NFKC form; unicodedata costs a few ms to import
        import unicodedata

        name = unicodedata.normalize("NFKC", name)
    text = name.translate(_MARKS).casefold().strip()
    keys = [re.sub(_SEPARATORS, "", text)]
    base = re.sub(_SUFFIX, "", text)
    if base != text:
        keys.append(re.sub(_SEPARATORS, "", base))
    return [k for k in keys if k]


def _build_index(therapies: Iterable[Therapy]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for t in therapies:
        for name in (t.id, t.brand, t.generic, *t.aliases):
            for key in _keys(name):
                index.setdefault(key, set()).add(t.id)
    return index


Fail = Callable[[str, str], NoReturn]


def check(therapy: Therapy, path: Path) -> None:
    """Rules the schema alone cannot say; each failure names the file and field."""

    def fail(where: str, what: str) -> NoReturn:
        raise DataError(f"{path}: the field '{where}' {what}")

    if therapy.id != path.stem:
        fail("id", f"is '{therapy.id}' but the file is named '{path.name}'; they must match.")
    _check_bounds(therapy, fail)
    _check_sources(therapy, fail)
    if therapy.status == "approved" and not therapy.approved_for:
        fail("approved_for", "is empty, but an approved therapy names the MS forms it is for.")
    phases = therapy.regimen.phases
    phase_ids = [p.id for p in phases]
    if len(set(phase_ids)) != len(phase_ids):
        fail("regimen.phases", "has two phases with the same id.")
    for i, p in enumerate(phases):
        _check_phase(p, i, fail)
    for i, o in enumerate(therapy.regimen.options):
        if o.phase not in phase_ids:
            fail(f"regimen.options[{i}].phase", f"names '{o.phase}', which is not a phase.")
    for i, t in enumerate(therapy.timing):
        if t.phase and t.phase not in phase_ids:
            fail(f"timing[{i}].phase", f"names '{t.phase}', which is not a phase.")


def _check_sources(therapy: Therapy, fail: Fail) -> None:
    """At least one source, each an https address, and every citation names one of them."""
    if not therapy.sources:
        fail("sources", "is empty; every therapy needs at least one source.")
    ids = [s.id for s in therapy.sources]
    for i, s in enumerate(therapy.sources):
        if not s.url.startswith("https://"):
            fail(f"sources[{i}].url", "should be an https:// address.")
    _check_refs(msgspec.to_builtins(therapy), "", set(ids), fail)


def _check_phase(p: Phase, i: int, fail: Fail) -> None:
    """One phase: anchored, with doses or a course, positive lengths, doses in order."""
    where = f"regimen.phases[{i}]"
    if i == 0 and p.anchor != "start":
        fail(f"{where}.anchor", "must be 'start' for the first phase.")
    if bool(p.doses) == bool(p.course_days):
        fail(where, "needs either 'doses' or 'course_days' (exactly one of them).")
    if p.course_days and p.amount <= 0:
        fail(f"{where}.amount", "must be above 0 for a course.")
    if p.repeat == "every" and p.every is None:
        fail(f"{where}.every", "is missing; a phase that repeats says how often.")
    for span_where, span in (("after", p.after), ("every", p.every), ("min_interval", p.min_interval)):
        if span is not None and span.n < 0 or (span_where == "every" and span and span.n <= 0):
            fail(f"{where}.{span_where}", "must be a positive length of time.")
    _check_doses(p, where, fail)


def _check_doses(p: Phase, where: str, fail: Fail) -> None:
    previous = None
    for j, d in enumerate(p.doses):
        if d.at.n < 0:
            fail(f"{where}.doses[{j}].at", "must not be negative.")
        if previous is not None and previous.n and previous.unit != d.at.unit:
            fail(f"{where}.doses[{j}].at", "must use the same unit as the dose before it.")
        if previous is not None and previous.unit == d.at.unit and d.at.n <= previous.n:
            fail(f"{where}.doses[{j}].at", "must come after the dose before it.")
        previous = d.at


# Bounds for numbers a therapy file gives (a local file is checked like a bundled one).
MAX_SPAN = {"days": 36_600, "weeks": 5_230, "months": 1_200}  # about 100 years
MAX_COURSE_DAYS = 31
MAX_AMOUNT = 1e6
_CONTROL = r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"


def _check_bounds(therapy: Therapy, fail: Fail) -> None:
    """Numbers within sane limits, and names free of control characters, so that no file
    can make the engine loop, run out of memory, or write escapes to a terminal or calendar."""
    r = therapy.regimen
    for i, p in enumerate(r.phases):
        _phase_bounds(p, f"regimen.phases[{i}]", fail)
    for i, o in enumerate(r.options):
        _span_within(f"regimen.options[{i}].every", o.every, 1, fail)
        if re.search(_CONTROL, o.name) or re.search(_CONTROL, o.id):
            fail(f"regimen.options[{i}].name", "contains a control character; write plain text.")
    if r.cap is not None:
        _amount_within("regimen.cap.max_total", r.cap.max_total, fail)
    for i, m in enumerate(therapy.monitoring):
        _span_within(f"monitoring[{i}].every", m.every, 1, fail)
        _span_within(f"monitoring[{i}].first", m.first, 0, fail)
        _span_within(f"monitoring[{i}].until", m.until, 0, fail)
        for j, a in enumerate(m.at):
            _span_within(f"monitoring[{i}].at[{j}]", a, 0, fail)
    for i, t in enumerate(therapy.timing):
        for name in ("infusion_minutes", "premed_minutes", "observation_minutes"):
            if not 0 <= getattr(t, name) <= 24 * 60:
                fail(f"timing[{i}].{name}", "must be from 0 to 1,440 minutes.")
    for name in ("id", "brand", "generic"):
        if re.search(_CONTROL, getattr(therapy, name)):
            fail(name, "contains a control character; write plain text.")


def _phase_bounds(p: Phase, where: str, fail: Fail) -> None:
    _span_within(f"{where}.every", p.every, 1, fail)
    _span_within(f"{where}.min_interval", p.min_interval, 1, fail)
    _span_within(f"{where}.after", p.after, 0, fail)
    if not 0 <= p.course_days <= MAX_COURSE_DAYS:
        fail(f"{where}.course_days", f"must be from 1 to {MAX_COURSE_DAYS} (days of one course).")
    if p.course_days:
        _amount_within(f"{where}.amount", p.amount, fail)
    for j, d in enumerate(p.doses):
        _span_within(f"{where}.doses[{j}].at", d.at, 0, fail)
        _amount_within(f"{where}.doses[{j}].amount", d.amount, fail)
    for label, text in (("id", p.id), ("name", p.name)):
        if re.search(_CONTROL, text):
            fail(f"{where}.{label}", "contains a control character; write plain text.")


def _span_within(where: str, value: Span | None, least: int, fail: Fail) -> None:
    if value is not None and not least <= value.n <= MAX_SPAN[value.unit]:
        fail(where, f"must be from {least} to {MAX_SPAN[value.unit]:,} {value.unit}.")


def _amount_within(where: str, value: float, fail: Fail) -> None:
    import math

    if not math.isfinite(value) or not value > 0 or value > MAX_AMOUNT:
        fail(where, f"must be a number above 0 and at most {MAX_AMOUNT:,.0f}.")


def _check_refs(node: object, where: str, ids: set[str], fail: Fail) -> None:
    if isinstance(node, dict):
        src = node.get("source")
        if isinstance(src, str) and src not in ids:
            fail(f"{where}.source".lstrip("."), f"names '{src}', which is not in 'sources'.")
        for k, v in node.items():
            _check_refs(v, f"{where}.{k}", ids, fail)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _check_refs(v, f"{where}[{i}]", ids, fail)


def load_file(path: Path) -> Therapy:
    therapy: Therapy = decode(read_toml(path), Therapy, path)
    check(therapy, path)
    return therapy


def load(data_dir: Path | None = None, user_dir: Path | None = None) -> Catalogue:
    """The bundled catalogue, with the user's own therapies added or overriding."""
    base = (data_dir or bundled_data_dir()) / "therapies"
    found: dict[str, Therapy] = {}
    for path in sorted(base.glob("*.toml")):
        found[path.stem] = load_file(path)
    local: set[str] = set()
    if user_dir is not None and user_dir.is_dir():
        for path in sorted(user_dir.glob("*.toml")):
            therapy = load_file(path)
            found[therapy.id] = therapy
            local.add(therapy.id)
    return Catalogue(found.values(), local)


def sources(data_dir: Path | None = None, user_dir: Path | None = None) -> list[Path]:
    """Every file :func:`load` would read, in order."""
    base = (data_dir or bundled_data_dir()) / "therapies"
    found = sorted(base.glob("*.toml"))
    if user_dir is not None and user_dir.is_dir():
        found += sorted(user_dir.glob("*.toml"))
    return found
