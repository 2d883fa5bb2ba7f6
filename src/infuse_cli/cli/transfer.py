"""`infuse export`, `import`, `backup`, `restore`: moving the journal safely."""

import datetime as dt
import re
from pathlib import Path
from typing import Annotated

import typer

from infuse_cli.cli.common import catalogue, profile, today
from infuse_cli.core.errors import InfuseError, NewerJournal, UsageError, shown

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
# Each record's identity, last so that a file from before identities still reads.
CSV_ID = "id"


def _safe_cell(value: object) -> str:
    """A spreadsheet must not run a cell as a formula: '=', '+', '-', '@' (and tab or
    carriage return) at the start are neutralised with a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export(
    format: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="json|csv", help="json (complete) or csv (for a spreadsheet)."
        ),
    ] = "json",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            dir_okay=False,
            help="Write to FILE (owner-only) instead of the screen.",
        ),
    ] = None,
) -> None:
    """Export the journal as JSON or CSV.

    \b
    Examples:
      infuse export --out journal.json
      infuse export --format csv --out journal.csv
    """
    import csv
    import io
    import sys

    import msgspec

    from infuse_cli import store

    fmt = format.lower()
    if fmt not in ("json", "csv"):
        raise UsageError("--format is json or csv.")
    from msgspec.structs import replace

    from infuse_cli import services

    with store.reading(profile()) as conn:
        data = replace(store.export(conn), profile=profile() or "default")
        facts = services.record(conn, store.infusions(conn), today()).facts if fmt == "csv" else {}
        ids = {(e.drug, e.date): e.id for e in store.infusions(conn)} if fmt == "csv" else {}
    if fmt == "json":
        text = msgspec.json.format(msgspec.json.encode(data), indent=2).decode() + "\n"
    else:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow([*CSV_COLUMNS, *CSV_DERIVED, CSV_ID])
        for e in data.infusions:
            f = facts.get(ids.get((e.drug, e.date), -1))
            writer.writerow(
                [
                    _safe_cell(v)
                    for v in (
                        "infusion",
                        e.drug,
                        e.date.isoformat(),
                        e.dose,
                        e.site,
                        e.start_time,
                        e.duration_min,
                        e.note,
                        "yes" if e.first else "",
                        "",
                        "",
                        "",
                        "",
                        f.since_days if f is not None else "",
                        f.late_days if f is not None else "",
                        e.id,
                    )
                ]
            )
        for r in data.reactions:
            after = f"{r.infusion[0]} {r.infusion[1].isoformat()}" if r.infusion else ""
            writer.writerow(
                [
                    _safe_cell(v)
                    for v in (
                        "reaction",
                        "",
                        r.date.isoformat(),
                        "",
                        "",
                        "",
                        "",
                        r.note,
                        "",
                        r.symptom,
                        r.severity,
                        r.hours_after,
                        after,
                        "",
                        "",
                        r.id,
                    )
                ]
            )
        text = buf.getvalue()
    if out is None:
        sys.stdout.write(text)
        return
    from infuse_cli.paths import write_private
    from infuse_cli.views.output import note

    write_private(out, text.encode("utf-8"), f"journal.{fmt}")
    questions = f" and {len(data.questions)} questions" if fmt == "json" else ""
    note(f"Exported {len(data.infusions)} infusions, {len(data.reactions)} reactions{questions} to {out}.")


def import_(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A JSON or CSV file written by infuse export.")
    ],
) -> None:
    """Import a JSON or CSV export, all or nothing.

    Everything is checked first, then all of it is added, or none. Entries already
    in the journal are skipped, so importing the same file twice adds nothing.

    \b
    Examples:
      infuse import journal.json
      infuse import journal.csv
    """
    from infuse_cli import store
    from infuse_cli.paths import read_regular
    from infuse_cli.views.output import note

    raw = read_regular(file, IMPORT_MAX, "an export file")
    is_csv = raw.lstrip(b"\xef\xbb\xbf").startswith(b"type,")
    data = _from_csv(file, raw) if is_csv else _from_json(file, raw)
    cat = catalogue()
    # A date that is today somewhere on Earth is not in the future: an export made at
    # UTC+14 is a day ahead of a machine at UTC-12 at the same moment.
    now = today() + dt.timedelta(days=1)
    for i, e in enumerate(data.infusions):
        if e.drug not in cat.therapies:
            raise InfuseError(
                f"{file}: infusion {i + 1} names '{e.drug}', which is not a therapy infuse knows;"
                " nothing was imported."
            )
        if e.date > now:
            raise InfuseError(f"{file}: infusion {i + 1} is dated in the future; nothing was imported.")
    import re

    from infuse_cli.core.history import DoseError, check_dose

    seen: set[tuple[str, object]] = set()
    for i, e in enumerate(data.infusions):
        try:
            check_dose(cat.therapies[e.drug], e.dose)
        except DoseError as err:
            raise InfuseError(f"{file}: infusion {i + 1}: {err} Nothing was imported.") from None
        if e.start_time and not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", e.start_time):
            raise InfuseError(
                f"{file}: infusion {i + 1} starts at '{e.start_time[:10]}', not a time like 09:30;"
                " nothing was imported."
            )
        if (e.drug, e.date) in seen:
            raise InfuseError(
                f"{file}: infusion {i + 1} is a second {e.drug} infusion on {e.date.isoformat()};"
                " nothing was imported."
            )
        seen.add((e.drug, e.date))
    for i, e in enumerate(data.infusions):
        if e.duration_min is not None and not 1 <= e.duration_min <= 24 * 60:
            raise InfuseError(
                f"{file}: infusion {i + 1} lasts {e.duration_min} minutes, which cannot be right;"
                " nothing was imported."
            )
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
    for what, items in (
        ("infusion", data.infusions),
        ("reaction", data.reactions),
        ("question", data.questions),
    ):
        first_with: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id and not _UUID.fullmatch(item.id):
                raise InfuseError(
                    f"{file}: {what} {i + 1} has an id that is not one infuse gives; nothing was imported."
                )
            if item.id in first_with:
                raise InfuseError(
                    f"{file}: {what} {i + 1} has the same id as {what} {first_with[item.id]}, so one of"
                    " them is not what infuse wrote; nothing was imported."
                )
            if item.id:
                first_with[item.id] = i + 1
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
    with store.writing(profile()) as conn:
        added = store.import_all(conn, data)
    note(
        f"Imported {added[0]} infusions, {added[1]} reactions and {added[2]} questions"
        f" ({len(data.infusions) - added[0]} infusions were already there)."
    )


IMPORT_MAX = 64 * 1024 * 1024  # bytes; a lifetime of entries is far smaller
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _from_json(file: Path, raw: bytes):  # type: ignore[no-untyped-def]
    """The export in ``raw``; one written by a newer infuse (a newer format, or fields
    this one does not know) is refused with exit 3."""
    import msgspec

    from infuse_cli import store

    found: object
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark, as some editors save
    try:
        data = msgspec.json.decode(raw, type=store.Export)
        found, unknown = data.schema, False
    except msgspec.ValidationError as err:
        data, unknown = None, "unknown field" in str(err)
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
    if found > store.SCHEMA or unknown:
        raise NewerJournal(
            f"{file} was written by a newer infuse (format {found}; this one reads up to"
            f" {store.SCHEMA}); update infuse to import it. Nothing was imported."
        )
    if found < 1:
        raise InfuseError(f"{file} is not an infuse journal export; nothing was imported.")
    return data


def _from_csv(file: Path, raw: bytes):  # type: ignore[no-untyped-def]
    """The export as `infuse export --format csv` wrote it, read back into the same
    records as JSON, so the same checks apply. A cell that was neutralised for
    spreadsheets (a leading apostrophe) is read as it was."""
    import csv
    import datetime as dt
    import io

    from infuse_cli import store

    def fail(row: int, what: str) -> InfuseError:
        return InfuseError(f"{file}: row {row} {what}; nothing was imported.")

    def _yes(value: str, row: int) -> bool:
        if value not in ("yes", ""):
            raise fail(row, f"has first = '{value[:10]}'; expected yes or nothing")
        return value == "yes"

    def cell(value: str) -> str:
        return value[1:] if value[:2] in ("'=", "'+", "'-", "'@", "'\t", "'\r") else value

    try:
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error) as err:
        raise InfuseError(f"{file} is not an infuse CSV export ({err}); nothing was imported.") from None
    if not rows or rows[0][: len(CSV_COLUMNS)] != CSV_COLUMNS:
        raise InfuseError(f"{file} is not an infuse CSV export (its header differs); nothing was imported.")
    known = [*CSV_COLUMNS, *CSV_DERIVED, CSV_ID]
    extra = [name for name in rows[0][len(CSV_COLUMNS) :] if name not in known]
    if extra:
        raise NewerJournal(
            f"{file} has columns this infuse does not know ({shown(', '.join(extra))}): it was written by a"
            " newer infuse, or edited; update infuse to import it. Nothing was imported."
        )
    at = rows[0].index(CSV_ID) if CSV_ID in rows[0] else None
    infusions, reactions = [], []
    for n, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        if len(row) < len(CSV_COLUMNS):
            raise fail(n, f"has {len(row)} cells, fewer than the {len(CSV_COLUMNS)} columns")
        if len(row) > len(rows[0]):
            raise fail(n, f"has {len(row)} cells, more than the {len(rows[0])} columns of its header")
        v = dict(zip(CSV_COLUMNS, (cell(c) for c in row), strict=False))
        uid = row[at] if at is not None and at < len(row) else ""
        try:
            day = dt.date.fromisoformat(v["date"])
            if v["type"] == "infusion":
                infusions.append(
                    store.ExportInfusion(
                        id=uid,
                        drug=v["drug"],
                        date=day,
                        dose=v["dose"],
                        site=v["site"],
                        start_time=v["start_time"],
                        duration_min=int(v["duration_min"]) if v["duration_min"] else None,
                        note=v["note"],
                        first=_yes(v["first"], n),
                    )
                )
            elif v["type"] == "reaction":
                after = None
                if v["after_infusion"]:
                    drug, _, when = v["after_infusion"].rpartition(" ")
                    after = (drug, dt.date.fromisoformat(when))
                reactions.append(
                    store.ExportReaction(
                        id=uid,
                        date=day,
                        symptom=v["symptom"],
                        severity=int(v["severity"]),
                        hours_after=float(v["hours_after"]) if v["hours_after"] else None,
                        note=v["note"],
                        infusion=after,
                    )
                )
            else:
                raise fail(n, f"has the type '{v['type'][:20]}'; expected infusion or reaction")
        except ValueError:
            raise fail(n, "has a date, number or time infuse cannot read") from None
    return store.Export(schema=store.SCHEMA, format=store.FORMAT, infusions=infusions, reactions=reactions)


def backup(
    file: Annotated[
        Path | None, typer.Argument(metavar="[FILE]", help="Where to write it (default: the backups folder).")
    ] = None,
) -> None:
    """Back up the journal (owner-only).

    Uses SQLite's own backup, so the copy is whole even while infuse is in use.

    \b
    Examples:
      infuse backup
      infuse backup ~/journal-2026-06-01.sqlite3
    """
    from infuse_cli import paths, store
    from infuse_cli.views.output import note

    if file is None:
        folder = paths.ensure_private_dir(store.journal_path(profile()).parent / "backups")
        file = store.unique_name(folder, "journal")
    elif not file.name:
        raise UsageError("Give the backup a file name, such as journal-backup.sqlite3.")
    target = store.backup_to(profile(), file.expanduser())
    note(f"Backed up the journal to {target}.")


def _confirm(question: str) -> bool:
    """Yes or no; the end of input is a no."""
    from typer.exceptions import Abort

    try:
        return bool(typer.confirm(question, default=False))
    except Abort:
        return False


def restore(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A backup made by infuse backup.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask to confirm.")] = False,
) -> None:
    """Put a backup in place of the journal.

    The backup is checked first, and the journal it replaces is kept in the backups folder.

    \b
    Examples:
      infuse restore ~/journal-2026-06-01.sqlite3
    """
    from infuse_cli import store
    from infuse_cli.views.output import note

    count = store.check_journal_file(file)
    if not yes and not _confirm(
        f"Replace your journal with {file} ({count} infusions)? The current one is kept as a backup."
    ):
        note("Nothing was changed.")
        raise typer.Exit(1)
    kept = store.restore_from(profile(), file, checked=True)
    note(f"Restored the journal from {file}." + (f" The previous one is kept at {kept}." if kept else ""))


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("import")(import_)
    app.command("backup")(backup)
    app.command("restore")(restore)
