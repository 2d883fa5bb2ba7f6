"""`infuse export`, `import`, `backup`, `restore`: moving the journal safely."""

from pathlib import Path
from typing import Annotated

import typer

from infuse_cli.cli.common import ask, catalogue, profile, today
from infuse_cli.core.errors import InfuseError, UsageError


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

    from infuse_cli.services.transfer import export_text

    fmt = format.lower()
    if fmt not in ("json", "csv"):
        raise UsageError("--format is json or csv.")
    done = export_text(profile(), fmt, today())
    if out is None:
        from infuse_cli.views.output import write_utf8

        write_utf8(done.text)
        return
    from infuse_cli.paths import write_private
    from infuse_cli.views.output import note

    write_private(out, done.text.encode("utf-8"), f"journal.{fmt}")
    questions = f", {done.questions} questions" if fmt == "json" else ""
    note(
        f"Exported {done.infusions} infusions, {done.reactions} reactions{questions}, {done.results} test"
        f" results, {done.symptoms} symptoms and {done.relapses} relapses to {out}."
    )


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
    from infuse_cli.services.transfer import import_file
    from infuse_cli.views.output import note

    for line in import_file(file, profile(), catalogue(), today()):
        note(line)


def backup(
    file: Annotated[
        Path | None, typer.Argument(metavar="FILE", help="Where to write it (default: the backups folder).")
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
        if not store.journal_path(profile()).exists():
            raise InfuseError("There is no journal to back up yet.")
        folder = paths.ensure_private_dir(paths.backups_dir(profile()))
        file = store.unique_name(folder, "journal")
    elif not file.name:
        raise UsageError("Give the backup a file name, such as journal-backup.sqlite3.")
    target = store.backup_to(profile(), file.expanduser())
    note(f"Backed up the journal to {target}.")


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
    held = ", ".join(f"{n} {kind.replace('results', 'test results')}" for kind, n in count.items() if n)
    if not yes and not ask(
        f"Replace your journal with {file} ({held or 'no entries'})? The current one is kept as a backup."
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
