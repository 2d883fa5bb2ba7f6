"""Moving the journal out and back in: the export's layout (JSON, CSV for a spreadsheet)
and the checks an import passes before anything is written (all or nothing)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from infuse_cli.core.errors import InfuseError, NewerJournal, shown

if TYPE_CHECKING:
    from infuse_cli.core.catalogue import Catalogue
    from infuse_cli.core.labtests import LabTest
    from infuse_cli.core.records import Export, ExportResult

CSV_COLUMNS = [
    "type",
    "drug",
    "date",
    "dose",
    "site",
    "start_time",
    "duration_min",
    "note",
    "first",
    "symptom",
    "severity",
    "hours_after",
    "after_infusion",
]
# Worked out from the history when exported; read back, they are ignored (import recomputes).
CSV_DERIVED = ["days_since_previous", "days_late"]
# Results, symptoms and relapses (format 3); a file from before them has none of these.
CSV_BETWEEN = ["test", "value", "unit", "status", "steroid_course"]
# Each record's identity, last so that a file from before identities still reads.
CSV_ID = "id"


def _safe_cell(value: object) -> str:
    """A spreadsheet must not run a cell as a formula: '=', '+', '-', '@' (and tab or
    carriage return) at the start are neutralised with a leading apostrophe. Text that
    starts with an apostrophe of its own gets one more, so that import gives it back whole."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in _NEUTRALISED else text


_NEUTRALISED = ("=", "+", "-", "@", "\t", "\r", "'")


class Exported(msgspec.Struct, frozen=True):
    text: str
    infusions: int
    reactions: int
    questions: int
    results: int = 0
    symptoms: int = 0
    relapses: int = 0


def export_text(profile: str | None, fmt: str, today: dt.date) -> Exported:
    """The whole journal of ``profile`` as the text of a JSON or CSV export."""
    import msgspec
    from msgspec.structs import replace

    from infuse_cli import store
    from infuse_cli.services.plan import record

    with store.reading(profile) as conn:
        data = replace(store.export(conn), profile=profile or "default")
        if fmt == "csv":
            infusions = store.infusions(conn)
            facts = record(conn, infusions, today).facts
            ids = {(e.drug, e.date): e.id for e in infusions}
    if fmt == "json":
        text = msgspec.json.format(msgspec.json.encode(data), indent=2).decode() + "\n"
    else:
        text = _csv(data, {key: facts.get(number) for key, number in ids.items()})
    return Exported(
        text,
        len(data.infusions),
        len(data.reactions),
        len(data.questions),
        len(data.results),
        len(data.symptoms),
        len(data.relapses),
    )


def _csv(data: Export, facts: dict[tuple[str, dt.date], object]) -> str:
    """One row per infusion, then one per reaction; cells safe to open in a spreadsheet."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([*CSV_COLUMNS, *CSV_DERIVED, *CSV_BETWEEN, CSV_ID])
    none = [""] * len(CSV_BETWEEN)
    for e in data.infusions:
        f = facts.get((e.drug, e.date))
        since, late = (
            (getattr(f, "since_days", ""), getattr(f, "late_days", "")) if f is not None else ("", "")
        )
        first = "yes" if e.first else ""
        row = ["infusion", e.drug, e.date.isoformat(), e.dose, e.site, e.start_time, e.duration_min, e.note]
        writer.writerow([_safe_cell(v) for v in (*row, first, "", "", "", "", since, late, *none, e.id)])
    for r in data.reactions:
        after = f"{r.infusion[0]} {r.infusion[1].isoformat()}" if r.infusion else ""
        row = ["reaction", "", r.date.isoformat(), "", "", "", "", r.note, ""]
        writer.writerow(
            [_safe_cell(v) for v in (*row, r.symptom, r.severity, r.hours_after, after, "", "", *none, r.id)]
        )
    blank = [""] * 4  # dose, site, start_time, duration_min
    for t in data.results:
        value = "" if t.value is None else f"{t.value:g}"
        row = ["result", "", t.date.isoformat(), *blank, t.note, "", "", "", "", "", "", ""]
        writer.writerow([_safe_cell(v) for v in (*row, t.test, value, t.unit, t.status, "", t.id)])
    for x in data.symptoms:
        row = ["symptom", "", x.date.isoformat(), *blank, x.note, "", x.name, x.severity, "", "", "", ""]
        writer.writerow([_safe_cell(v) for v in (*row, *none, x.id)])
    for y in data.relapses:
        course = f"{y.steroid[0]} {y.steroid[1].isoformat()}" if y.steroid else ""
        row = ["relapse", "", y.date.isoformat(), *blank, y.note, "", "", "", "", "", "", ""]
        writer.writerow([_safe_cell(v) for v in (*row, "", "", "", "", course, y.id)])
    return buf.getvalue()


def import_file(file: Path, profile: str | None, cat: Catalogue, today: dt.date) -> list[str]:
    """Check ``file`` whole, add what the journal lacks in one transaction, and say what
    happened (an export with no entries writes nothing, not even a new journal)."""
    from infuse_cli import store

    data = read_import(file, cat, today)
    kinds = (data.infusions, data.reactions, data.questions, data.results, data.symptoms, data.relapses)
    if not any((*kinds, data.appointments, data.coverage, data.reminders)):
        return [f"{file} holds no entries; nothing was imported."]
    with store.writing(profile) as conn:
        added = store.import_all(conn, data)
    counts = [
        (added.infusions, len(data.infusions), "infusion"),
        (added.reactions, len(data.reactions), "reaction"),
        (added.questions, len(data.questions), "question"),
        (added.results, len(data.results), "test result"),
        (added.symptoms, len(data.symptoms), "symptom"),
        (added.relapses, len(data.relapses), "relapse"),
        (added.appointments, len(data.appointments), "appointment"),
        (added.coverage, len(data.coverage), "coverage entry"),
        (added.reminders, len(data.reminders), "reminder"),
    ]
    new = [_count(n, what) for n, _, what in counts if n] or ["nothing new"]
    there = [_count(total - n, what) for n, total, what in counts if total - n]
    said = [f"Imported {_listed(new)}" + (f"; already there: {_listed(there)}." if there else ".")]
    if added.unlinked:
        said.append(
            f"Note: {added.unlinked} reactions name an infusion that is neither in the file nor in the"
            " journal; they were kept without that link."
        )
    return said


def _count(n: int, what: str) -> str:
    """'1 infusion', '3 infusions', '2 test results'."""
    if n == 1:
        return f"1 {what}"
    return f"{n} {what}s"


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def read_import(file: Path, cat: Catalogue, today: dt.date) -> Export:
    """The export in ``file``, read and checked whole; any fault is one sentence and
    nothing is imported."""
    from infuse_cli.core.dates import add_days
    from infuse_cli.paths import read_regular

    raw = read_regular(file, IMPORT_MAX, "an export file")
    is_csv = raw.lstrip(b"\xef\xbb\xbf").startswith(b"type,")
    data = _from_csv(file, raw) if is_csv else _from_json(file, raw)
    # A date that is today somewhere on Earth is not in the future: an export made at
    # UTC+14 is a day ahead of a machine at UTC-12 at the same moment.
    now = add_days(today, 1)
    _check_infusions(file, data, cat, now)
    _check_reactions(file, data, now)
    _check_ids(file, data)
    _check_questions(file, data, cat, now)
    _check_results(file, data, now)
    _check_symptoms(file, data, now)
    _check_plans(file, data, cat)
    _check_reach(file, data, today)
    return data


def _check_reach(file: Path, data: Export, today: dt.date) -> None:
    """No date before 1900 or more than 100 years ahead, as the add commands refuse them."""
    from infuse_cli.core.dates import EARLIEST_YEAR, YEARS_AHEAD, in_reach

    dated: list[tuple[str, list[dt.date]]] = [
        ("infusion", [e.date for e in data.infusions]),
        ("reaction", [r.date for r in data.reactions]),
        ("question", [q.added for q in data.questions]),
        ("test result", [r.date for r in data.results]),
        ("symptom", [x.date for x in data.symptoms]),
        ("relapse", [y.date for y in data.relapses]),
        ("appointment", [a.date for a in data.appointments]),
        ("coverage entry", [c.until for c in data.coverage]),
        ("reminder", [r.date for r in data.reminders]),
    ]
    for what, days in dated:
        for i, day in enumerate(days):
            if not in_reach(day, today):
                raise InfuseError(
                    f"{file}: {what} {i + 1} is dated {day.isoformat()}, before {EARLIEST_YEAR} or more"
                    f" than {YEARS_AHEAD} years ahead; nothing was imported."
                )


def _check_plans(file: Path, data: Export, cat: Catalogue) -> None:
    """Bookings, coverage and reminders are what `appointment add`, `coverage add` and
    `remind add` could have recorded (their dates may since have passed)."""
    import re

    from infuse_cli import store
    from infuse_cli.core.records import COVERAGE_KINDS
    from infuse_cli.services.labs import tests

    known = tests()
    faults: list[tuple[str, int, str]] = []
    for i, a in enumerate(data.appointments):
        if a.time and not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", a.time):
            faults.append(("appointment", i, "has a time that is not HH:MM"))
        if a.test and known.get(a.test) is None:
            faults.append(("appointment", i, "names a test infuse does not know"))
        if a.drug and a.drug not in cat.therapies:
            faults.append(("appointment", i, "names a therapy infuse does not know"))
    for i, c in enumerate(data.coverage):
        if c.kind not in COVERAGE_KINDS or not 0 <= c.renew_days <= 365:
            faults.append(("coverage entry", i, "has a kind or renewal time coverage add would refuse"))
    for i, r in enumerate(data.reminders):
        units = {"": 0, "days": 3650, "weeks": 520, "months": 120}
        top = units.get(r.every_unit)
        bad = top is None or (r.every_unit == "") != (r.every_n == 0) or not 0 <= r.every_n <= (top or 0)
        if bad or not r.text.strip() or not 0 <= r.before <= 365:
            faults.append(("reminder", i, "has a repeat, warning time or text remind add would refuse"))
    records = [*data.appointments, *data.coverage, *data.reminders]
    if any(len(getattr(x, "note", "") or getattr(x, "text", "")) > store.NOTE_MAX for x in records):
        faults.append(("record", 0, f"has a note longer than {store.NOTE_MAX:,} characters"))
    if faults:
        what, i, why = faults[0]
        raise InfuseError(f"{file}: {what} {i + 1} {why}; nothing was imported.")


def _check_results(file: Path, data: Export, now: dt.date) -> None:
    """Each result names a test infuse knows and is what `labs add` could have recorded."""
    from infuse_cli import store
    from infuse_cli.services.labs import tests

    known = tests()
    for i, r in enumerate(data.results):
        test = known.get(r.test)
        what = f"{file}: test result {i + 1}"
        if test is None:
            raise InfuseError(
                f"{what} names a test infuse does not know ({shown(r.test[:40])}); nothing was imported."
            )
        why = _result_fault(test, r, now)
        if not why and len(r.note) > store.NOTE_MAX:
            why = f"has a note longer than {store.NOTE_MAX:,} characters"
        if why:
            raise InfuseError(f"{what} ({test.name}) {why}; nothing was imported.")


def _result_fault(test: LabTest, r: ExportResult, now: dt.date) -> str:
    """What is wrong with an imported result, in words; '' when nothing is."""
    if r.date > now:
        return "is dated in the future"
    if test.result == "done" and (r.value is not None or r.status):
        return "has a value, but that test is recorded only as done"
    if r.status and r.status not in test.statuses:
        return f"has the status '{shown(r.status[:20])}', not one that test has"
    if r.value is None:
        return "has a unit but no value" if r.unit else ""
    if test.result == "status":
        return "has a value, but that test has only a status"
    if r.unit not in (test.unit, *test.other_units):
        return f"is in '{shown(r.unit[:20])}', a unit that test is not reported in"
    low, high = test.min, test.max
    if (low is not None and r.value < low) or (high is not None and r.value > high) or abs(r.value) > 1e9:
        return f"has the value {r.value:g}, which that test cannot have"
    return ""


def _check_symptoms(file: Path, data: Export, now: dt.date) -> None:
    from infuse_cli import store

    for i, x in enumerate(data.symptoms):
        if x.date > now or not x.name.strip() or not 0 <= x.severity <= 10 or len(x.name) > store.SHORT_MAX:
            raise InfuseError(
                f"{file}: symptom {i + 1} is dated in the future, has no name or a severity outside 0 to 10;"
                " nothing was imported."
            )
    for i, y in enumerate(data.relapses):
        if y.date > now or len(y.note) > store.NOTE_MAX:
            raise InfuseError(f"{file}: relapse {i + 1} is dated in the future; nothing was imported.")


def _check_infusions(file: Path, data: Export, cat: Catalogue, now: dt.date) -> None:
    from infuse_cli.core.history import DoseError, check_dose

    def refuse(i: int, what: str) -> InfuseError:
        return InfuseError(f"{file}: infusion {i + 1} {what}; nothing was imported.")

    for i, e in enumerate(data.infusions):
        if e.drug not in cat.therapies:
            raise refuse(i, f"names '{e.drug}', which is not a therapy infuse knows")
        if e.date > now:
            raise refuse(i, "is dated in the future")
    seen: set[tuple[str, dt.date]] = set()
    for i, e in enumerate(data.infusions):
        try:
            check_dose(cat.therapies[e.drug], e.dose)
        except DoseError as err:
            raise InfuseError(f"{file}: infusion {i + 1}: {err} Nothing was imported.") from None
        if e.start_time and not re.fullmatch(_TIME, e.start_time):
            raise refuse(i, f"starts at '{e.start_time[:10]}', not a time like 09:30")
        if (e.drug, e.date) in seen:
            raise refuse(i, f"is a second {e.drug} infusion on {e.date.isoformat()}")
        seen.add((e.drug, e.date))
    for i, e in enumerate(data.infusions):
        if e.duration_min is not None and not 1 <= e.duration_min <= 24 * 60:
            raise refuse(i, f"lasts {e.duration_min} minutes, which cannot be right")


def _check_reactions(file: Path, data: Export, now: dt.date) -> None:
    for i, r in enumerate(data.reactions):
        if (
            r.date > now
            or not r.symptom.strip()
            or (r.hours_after is not None and not 0 <= r.hours_after <= 24 * 30)
        ):
            raise InfuseError(
                f"{file}: reaction {i + 1} is dated in the future, has no symptom, or an impossible"
                " number of hours; nothing was imported."
            )
        if not 0 <= r.severity <= 10:
            raise InfuseError(
                f"{file}: reaction {i + 1} has severity {r.severity}; it should be 0 to 10."
                " Nothing was imported."
            )


def _check_ids(file: Path, data: Export) -> None:
    for what, ids in (
        ("infusion", [e.id for e in data.infusions]),
        ("reaction", [r.id for r in data.reactions]),
        ("question", [q.id for q in data.questions]),
        ("test result", [r.id for r in data.results]),
        ("symptom", [x.id for x in data.symptoms]),
        ("relapse", [y.id for y in data.relapses]),
    ):
        first_with: dict[str, int] = {}
        for i, uid in enumerate(ids):
            if uid and not re.fullmatch(_UUID, uid):
                raise InfuseError(
                    f"{file}: {what} {i + 1} has an id that is not one infuse gives; nothing was imported."
                )
            if uid in first_with:
                raise InfuseError(
                    f"{file}: {what} {i + 1} has the same id as {what} {first_with[uid]}, so one of"
                    " them is not what infuse wrote; nothing was imported."
                )
            if uid:
                first_with[uid] = i + 1


def _check_questions(file: Path, data: Export, cat: Catalogue, now: dt.date) -> None:
    from infuse_cli import store

    for i, q in enumerate(data.questions):
        if (
            not q.text.strip()
            or len(q.text) > store.QUESTION_MAX
            or len(q.answer) > store.NOTE_MAX
            or (q.drug and q.drug not in cat.therapies)
        ):
            raise InfuseError(
                f"{file}: question {i + 1} is empty, too long, has an answer longer than"
                f" {store.NOTE_MAX:,} characters or names a therapy infuse does not know;"
                " nothing was imported."
            )
        if q.added > now or (q.asked is not None and q.asked > now):
            raise InfuseError(f"{file}: question {i + 1} is dated in the future; nothing was imported.")


_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]"


IMPORT_MAX = 64 * 1024 * 1024  # bytes; a lifetime of entries is far smaller
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _from_json(file: Path, raw: bytes) -> Export:
    """The export in ``raw``; one written by a newer infuse (a newer format, or fields
    this one does not know) is refused with exit 3."""
    import msgspec

    from infuse_cli import store

    found: object
    reason = ""
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark, as some editors save
    try:
        data = msgspec.json.decode(raw, type=store.Export)
        found, unknown = data.schema, False
    except msgspec.ValidationError as err:
        data, unknown, reason = None, "unknown field" in str(err), str(err)
        try:
            peek = msgspec.json.decode(raw)
        except (msgspec.DecodeError, RecursionError):
            peek = None
        if not isinstance(peek, dict) or peek.get("format") != store.FORMAT:
            raise InfuseError(f"{file} is not an infuse export ({err}); nothing was imported.") from None
        found = peek.get("schema")
        if not isinstance(found, int) or isinstance(found, bool) or (found <= store.SCHEMA and not unknown):
            raise InfuseError(f"{file} is not a whole infuse export ({err}); nothing was imported.") from None
    except msgspec.DecodeError as err:
        raise InfuseError(f"{file} is not an infuse export ({err}); nothing was imported.") from None
    except RecursionError:
        raise InfuseError(
            f"{file} is not an infuse export (it is nested too deeply); nothing was imported."
        ) from None
    if data is not None and data.format != store.FORMAT:
        raise InfuseError(f"{file} is not an infuse journal export; nothing was imported.")
    assert isinstance(found, int)
    if unknown and found <= store.SCHEMA:
        raise NewerJournal(
            f"{file} has fields this infuse does not know ({reason}): it was written by a newer infuse,"
            " or edited; update infuse to import it. Nothing was imported."
        )
    if found > store.SCHEMA:
        raise NewerJournal(
            f"{file} was written by a newer infuse (format {found}; this one reads up to"
            f" {store.SCHEMA}); update infuse to import it. Nothing was imported."
        )
    if found < 1:
        raise InfuseError(f"{file} is not an infuse journal export; nothing was imported.")
    assert data is not None  # a newer or foreign file was refused above
    return data


def _from_csv(file: Path, raw: bytes) -> Export:
    """The export as `infuse export --format csv` wrote it, read back into the same
    records as JSON, so the same checks apply."""
    from infuse_cli import store

    rows = _csv_rows(file, raw)
    header = rows[0]
    records: dict[type, list[Any]] = {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        if len(row) < len(CSV_COLUMNS):
            raise _row_fault(file, n, f"has {len(row)} cells, fewer than the {len(CSV_COLUMNS)} columns")
        if len(row) > len(rows[0]):
            raise _row_fault(
                file, n, f"has {len(row)} cells, more than the {len(rows[0])} columns of its header"
            )
        cells = dict.fromkeys([*CSV_BETWEEN, CSV_ID], "") | dict(
            zip(header, (_cell(c) for c in row), strict=False)
        )
        try:
            record = _csv_record(cells, row[header.index(CSV_ID)] if CSV_ID in header[: len(row)] else "")
        except ValueError:
            raise _row_fault(file, n, "has a date, number or time infuse cannot read") from None
        except LookupError as err:
            raise _row_fault(file, n, str(err.args[0])) from None
        records.setdefault(type(record), []).append(record)
    return store.Export(
        schema=store.SCHEMA,
        format=store.FORMAT,
        infusions=records.get(store.ExportInfusion, []),
        reactions=records.get(store.ExportReaction, []),
        results=records.get(store.ExportResult, []),
        symptoms=records.get(store.ExportSymptom, []),
        relapses=records.get(store.ExportRelapse, []),
    )


def _csv_rows(file: Path, raw: bytes) -> list[list[str]]:
    """The rows under a header that is infuse's own (newer columns are refused with exit 3)."""
    import csv
    import io

    try:
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error) as err:
        raise InfuseError(f"{file} is not an infuse CSV export ({err}); nothing was imported.") from None
    if not rows or rows[0][: len(CSV_COLUMNS)] != CSV_COLUMNS:
        raise InfuseError(f"{file} is not an infuse CSV export (its header differs); nothing was imported.")
    known = [*CSV_COLUMNS, *CSV_DERIVED, *CSV_BETWEEN, CSV_ID]
    extra = [name for name in rows[0][len(CSV_COLUMNS) :] if name not in known]
    if extra:
        raise NewerJournal(
            f"{file} has columns this infuse does not know ({shown(', '.join(extra))}): it was written by a"
            " newer infuse, or edited; update infuse to import it. Nothing was imported."
        )
    return rows


def _row_fault(file: Path, row: int, what: str) -> InfuseError:
    return InfuseError(f"{file}: row {row} {what}; nothing was imported.")


def _cell(value: str) -> str:
    """A cell as it was before it was neutralised for spreadsheets (a leading apostrophe)."""
    return value[1:] if value[:1] == "'" and value[1:2] in _NEUTRALISED else value


def _csv_record(v: dict[str, str], uid: str) -> object:
    """One row as a record; ValueError for a cell that cannot be read, LookupError (with
    what is wrong) for a cell that is not one of its choices."""
    from infuse_cli import store

    day = dt.date.fromisoformat(v["date"])
    if v["type"] == "infusion":
        if v["first"] not in ("yes", ""):
            raise LookupError(f"has first = '{v['first'][:10]}'; expected yes or nothing")
        return store.ExportInfusion(
            id=uid,
            drug=v["drug"],
            date=day,
            dose=v["dose"],
            site=v["site"],
            start_time=v["start_time"],
            duration_min=int(v["duration_min"]) if v["duration_min"] else None,
            note=v["note"],
            first=v["first"] == "yes",
        )
    if v["type"] == "reaction":
        after = None
        if v["after_infusion"]:
            drug, _, when = v["after_infusion"].rpartition(" ")
            after = (drug, dt.date.fromisoformat(when))
        return store.ExportReaction(
            id=uid,
            date=day,
            symptom=v["symptom"],
            severity=int(v["severity"]),
            hours_after=float(v["hours_after"]) if v["hours_after"] else None,
            note=v["note"],
            infusion=after,
        )
    return _csv_between(v, uid, day)


def _csv_between(v: dict[str, str], uid: str, day: dt.date) -> object:
    """A result, symptom or relapse row as a record."""
    from infuse_cli import store

    if v["type"] == "result":
        value = float(v["value"]) if v["value"] else None
        return store.ExportResult(
            id=uid, test=v["test"], date=day, value=value, unit=v["unit"], status=v["status"], note=v["note"]
        )
    if v["type"] == "symptom":
        return store.ExportSymptom(
            id=uid, name=v["symptom"], date=day, severity=int(v["severity"]), note=v["note"]
        )
    if v["type"] == "relapse":
        course = None
        if v["steroid_course"]:
            drug, _, when = v["steroid_course"].rpartition(" ")
            course = (drug, dt.date.fromisoformat(when))
        return store.ExportRelapse(id=uid, date=day, note=v["note"], steroid=course)
    raise LookupError(
        f"has the type '{v['type'][:20]}'; expected infusion, reaction, result, symptom or relapse"
    )
