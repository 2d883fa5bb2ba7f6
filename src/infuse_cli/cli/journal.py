"""`infuse log …` (the infusion journal) and `infuse paths`."""

import datetime as dt
from typing import Annotated

import typer

from infuse_cli.cli.common import (
    Group,
    JsonOpt,
    PlainOpt,
    TherapyArg,
    ask,
    catalogue,
    confirm_deletion,
    one_therapy,
    profile,
    text,
    therapy_names,
    today,
)
from infuse_cli.core.errors import UsageError

MAX_ID = 2**62

log_app = typer.Typer(
    cls=Group,
    help=(
        "Your infusions: add, list, edit, remove, undo."
        "\n\n\b\nExamples:\n  infuse log add --drug ocrevus --date 2026-05-12"
        "\n  infuse log list --limit 20\n  infuse log rm 7"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _date(text: str, now: dt.date) -> dt.date:
    from infuse_cli import config
    from infuse_cli.core.dates import parse_date

    order = config.load(profile()).date_order or None
    day = parse_date(text, now, order)
    if day > now:
        raise UsageError(
            f"{day.isoformat()} is in the future; the journal records infusions already given."
            " To plan ahead: infuse next --drug DRUG --start DATE."
        )
    return day


@log_app.command("add")
def add(
    date: Annotated[
        list[str],
        typer.Option(
            "--date",
            metavar="DATE",
            help="The day it was given: YYYY-MM-DD, today or yesterday. Repeat for several days.",
        ),
    ],
    therapy: TherapyArg = None,
    drug: Annotated[
        str | None,
        typer.Option("--drug", "-d", metavar="DRUG", autocompletion=therapy_names, help="The therapy given."),
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(
            "--days", min=1, max=31, metavar="N", help="A course of N consecutive days from --date."
        ),
    ] = None,
    dose: Annotated[
        str, typer.Option("--dose", metavar="TEXT", help="The dose with its unit, e.g. '600 mg'.")
    ] = "",
    site: Annotated[str, typer.Option("--site", metavar="TEXT", help="Where it was given.")] = "",
    start_time: Annotated[str, typer.Option("--start-time", metavar="HH:MM", help="When it started.")] = "",
    duration: Annotated[
        int | None,
        typer.Option("--duration", min=1, max=24 * 60, metavar="MIN", help="How long it took, in minutes."),
    ] = None,
    note: Annotated[str, typer.Option("--note", metavar="TEXT", help="Anything to remember.")] = "",
    first: Annotated[
        bool, typer.Option("--first", help="This was the first infusion of the treatment.")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Record an infusion you have had (or a series: several --date, or --days).

    Mark the very first infusion of a treatment with --first, so infuse can work out
    the phase of each later one (infusion 2 of the first dose, course 2 day 3, dose 7
    of 11). A first dose infuse can tell by its amount (Ocrevus 300 mg, Briumvi 150 mg)
    counts as the first without the mark; on a terminal, infuse asks when it cannot tell.
    All the days of a series are added together, or none.

    \b
    Examples:
      infuse log add --drug ocrevus --date 2026-05-12 --dose "300 mg"
      infuse log add --drug lemtrada --date 2026-03-02 --days 5 --first
      infuse log add --drug tysabri --date 2026-01-07 --date 2026-02-04
    """
    from msgspec.structs import replace

    from infuse_cli import store
    from infuse_cli.core.history import check_dose
    from infuse_cli.views.output import note as say
    from infuse_cli.views.output import show_json

    now = today()
    named = one_therapy(therapy, drug)
    if named is None:
        raise UsageError("Name the therapy given, e.g. infuse log add ocrevus --date 2026-01-05.")
    given = catalogue().find(named)
    when = _series(date, days, now)
    if start_time:
        _check_time(start_time)
    dose, site, note = text(dose, "--dose"), text(site, "--site"), text(note, "--note")
    check_dose(given, dose)  # refuses a dose it cannot read, before anything is written
    if not first:
        first = _ask_first(given, dose, when)
    entry = store.InfusionEntry(
        id=0, drug=given.id, date=when[0], dose=dose, site=site, start_time=start_time,
        duration_min=duration, note=note, first=first,
    )  # fmt: skip
    with store.writing(profile()) as conn:  # one transaction: every day, or none
        ids = [
            store.add_infusion(conn, replace(entry, date=day, first=first and i == 0))
            for i, day in enumerate(when)
        ]
    if json:
        show_json({"schema": 1, "id": ids[0], "ids": ids, "drug": given.id, "date": when[0].isoformat(),
                   "dates": [d.isoformat() for d in when]})  # fmt: skip
        return
    for new_id, day in zip(ids, when, strict=True):
        say(f"Added infusion {new_id}: {given.brand} on {day.isoformat()}.")


def _series(dates: list[str], days: int | None, now: dt.date) -> list[dt.date]:
    """The days of one `log add`: each --date, or --days consecutive days from one."""
    from infuse_cli.core.dates import add_days

    parsed = [_date(d, now) for d in dates]
    if len(set(parsed)) != len(parsed):
        raise UsageError("The same --date is given twice; each day is recorded once.")
    if days is not None:
        if len(parsed) != 1:
            raise UsageError("--days goes with one --date, the course's first day.")
        parsed = [add_days(parsed[0], k) for k in range(days)]
        if parsed[-1] > now:
            raise UsageError(
                f"{days} days from {parsed[0].isoformat()} run to {parsed[-1].isoformat()}, after today;"
                " the journal records infusions already given."
            )
    return sorted(parsed)


def _ask_first(therapy, dose: str, days: list[dt.date]) -> bool:  # type: ignore[no-untyped-def]
    """On a terminal, ask once whether a therapy's first entry is its first infusion, when
    infuse cannot tell from the dose or the course's number of days. Without a terminal,
    record as typed."""
    import sys

    from infuse_cli import store
    from infuse_cli.core.history import Recorded, opening

    told = opening(therapy, [Recorded(id=0, date=d, dose=dose) for d in days])
    if len(therapy.regimen.phases) < 2 or told:
        return False
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False
    with store.reading(profile()) as conn:
        if store.edge(conn, therapy.id, newest=False) is not None:
            return False
    return typer.confirm(f"Is this your first {therapy.brand} infusion?", default=False)


def _check_time(text: str) -> None:
    import re

    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", text):
        raise UsageError("--start-time should be a time like 09:30.")


@log_app.command("list")
def list_(
    therapy: TherapyArg = None,
    drug: Annotated[
        str | None,
        typer.Option("--drug", "-d", metavar="DRUG", autocompletion=therapy_names, help="Only this therapy."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Only from this day on.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, max=10**6, metavar="N", help="Only the newest N.")
    ] = None,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """List the infusions in your journal, newest first.

    \b
    Examples:
      infuse log list
      infuse log list ocrevus --since 2025-01-01 --json
      infuse log list --limit 20
    """
    from infuse_cli import store
    from infuse_cli.core.dates import parse_date
    from infuse_cli.services import plan as services
    from infuse_cli.views.journal import log_doc, log_json
    from infuse_cli.views.output import show, show_json

    now = today()
    cat = catalogue()
    named = one_therapy(therapy, drug)
    only = cat.find(named).id if named else None
    since_day = parse_date(since, now) if since else None
    with store.reading(profile()) as conn:
        entries = store.infusions(conn, only, since_day, limit, newest_first=True)
        rec = services.record(conn, entries, now)
    if json:
        show_json(log_json(entries, rec))
    else:
        show(log_doc(entries, rec, cat), plain)


@log_app.command("edit")
def edit(
    entry_id: Annotated[
        int, typer.Argument(metavar="ID", min=1, max=MAX_ID, help="The entry's number (see infuse log list).")
    ],
    drug: Annotated[
        str | None, typer.Option("--drug", "-d", metavar="DRUG", autocompletion=therapy_names)
    ] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="DATE")] = None,
    dose: Annotated[str | None, typer.Option("--dose", metavar="TEXT")] = None,
    site: Annotated[str | None, typer.Option("--site", metavar="TEXT")] = None,
    start_time: Annotated[str | None, typer.Option("--start-time", metavar="HH:MM")] = None,
    duration: Annotated[int | None, typer.Option("--duration", min=1, max=24 * 60, metavar="MIN")] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXT")] = None,
    first: Annotated[
        bool | None, typer.Option("--first/--not-first", help="Mark or unmark the first infusion.")
    ] = None,
) -> None:
    """Change an entry; only the fields you give change.

    \b
    Examples:
      infuse log edit 7 --date 2026-05-13
      infuse log edit 7 --note "ran slow: 5 hours"
    """
    from msgspec.structs import replace

    from infuse_cli import store
    from infuse_cli.views.output import note as say

    now = today()
    changes: dict[str, object] = {}
    if drug is not None:
        changes["drug"] = catalogue().find(drug).id
    if date is not None:
        changes["date"] = _date(date, now)
    if start_time is not None:
        if start_time:
            _check_time(start_time)
        changes["start_time"] = start_time
    for key, value in (
        ("dose", dose),
        ("site", site),
        ("duration_min", duration),
        ("note", note),
        ("first", first),
    ):
        if value is not None:
            changes[key] = value
    if not changes:
        raise UsageError("Give at least one thing to change, e.g. --date 2026-05-13.")
    from infuse_cli.core.history import check_dose

    with store.writing(profile()) as conn:
        entry = store.get_infusion(conn, entry_id)
        changed = replace(entry, **changes)
        if dose is not None or drug is not None:
            check_dose(catalogue().find(changed.drug), changed.dose)
        store.update_infusion(conn, changed)
    say(f"Changed infusion {entry_id}.")


@log_app.command("rm")
def rm(
    entry_id: Annotated[int, typer.Argument(metavar="ID", min=1, max=MAX_ID, help="The entry's number.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask to confirm.")] = False,
) -> None:
    """Remove an entry (infuse log undo brings it back).

    \b
    Examples:
      infuse log rm 7
      infuse log rm 7 --yes
    """
    from infuse_cli import store
    from infuse_cli.views.output import note as say

    with store.reading(profile()) as conn:
        entry = store.get_infusion(conn, entry_id)
    if not yes and not ask(f"Remove infusion {entry.id} ({entry.drug} on {entry.date.isoformat()})?"):
        say("Nothing was removed.")
        raise typer.Exit(1)
    with store.writing(profile()) as conn:
        store.get_infusion(conn, entry_id)
        store.remove_infusion(conn, entry_id)
    say(f"Removed infusion {entry_id}. To bring it back: infuse log undo")


@log_app.command("undo")
def undo() -> None:
    """Bring back the infusion removed most recently.

    \b
    Examples:
      infuse log undo
    """
    from infuse_cli import store
    from infuse_cli.views.output import note as say

    with store.writing(profile()) as conn:
        entry = store.undo_remove(conn)
    say(f"Brought back infusion {entry.id}: {entry.drug} on {entry.date.isoformat()}.")


def paths_cmd(json: JsonOpt = False, plain: PlainOpt = False) -> None:
    """Where infuse keeps your journal, settings and cache.

    With the daily check set up (infuse remind install), its files too.

    \b
    Examples:
      infuse paths
      infuse --profile mum paths --json
    """
    from infuse_cli import paths
    from infuse_cli.services.notify import installed
    from infuse_cli.views.output import show, show_json

    rows = paths.where(profile())
    checks = [str(p) for p in installed()]  # the daily check's files, where it is set up
    if json:
        show_json({"schema": 1, "profile": profile() or "default", **rows, "daily_check": checks})
        return
    from infuse_cli.views.doc import Fields, Heading

    fields = [(k.capitalize(), v) for k, v in rows.items()] + [("Daily check", c) for c in checks]
    show([Heading("Where infuse keeps things"), Fields(fields)], plain)


def forget(
    everything: Annotated[
        bool, typer.Option("--all", help="Every profile's journal and settings, and the cache.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask; delete at once.")] = False,
) -> None:
    """Delete what infuse stored on this machine.

    Without --all: this profile's journal, its backups and its settings. With
    --all: every file infuse wrote. Files you saved elsewhere (calendars,
    exports, visit sheets) and therapy files you added are kept.

    \b
    Examples:
      infuse forget --all
      infuse --profile mum forget
      infuse forget --all --yes
    """

    from infuse_cli import forget as gone
    from infuse_cli.views.output import note

    who = "every profile" if everything else f"the profile '{profile() or 'default'}'"
    found = gone.files(profile(), everything)
    if not found:
        note(f"infuse has nothing stored for {who}; nothing was deleted.")
        return
    if not yes:
        confirm_deletion(found, f"{len(found)} files infuse wrote for {who}")
    linked = gone.links(profile(), everything)
    from infuse_cli import store

    with store.held(gone.journals(found)):  # a write under way finishes first
        removed = gone.remove(found, gone.folders(profile(), everything))
    left = gone.files(profile(), everything)
    if left:
        from infuse_cli.core.errors import InfuseError

        raise InfuseError(
            f"Deleted {removed} files, but {len(left)} could not be deleted (such as {left[0]});"
            f" infuse has not forgotten {who}."
        )
    followed = " (following the journal's link to the file it names)" if linked else ""
    note(f"Deleted {removed} files{followed}. infuse has forgotten {who}.")


def register(app: typer.Typer) -> None:
    app.add_typer(log_app, name="log")
    app.command("paths")(paths_cmd)
    app.command("forget")(forget)
