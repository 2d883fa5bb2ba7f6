"""The layer between the commands and the core: each function answers one request.

Which therapy (``choose_therapy``), which history from a profile's journal
(``journal_basis``), and the inputs of a plan (``Inputs``: the therapy, the dates
to plan from, the profile's settings). Every command that asks one of these
questions calls the same function here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from infuse_cli.core.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Container, Sequence

    from infuse_cli.core.history import Basis, Recorded
    from infuse_cli.core.records import Appointment, Coverage, Reminder
    from infuse_cli.core.schema import Therapy
    from infuse_cli.core.upcoming import Basis as PlanBasis
    from infuse_cli.core.upcoming import Upcoming
    from infuse_cli.store import Connection

How = Literal["typed", "setting", "journal"]
HISTORY_CAP = 1000  # a history longer than this is planned from its newest entry


class Choice(msgspec.Struct, frozen=True):
    therapy: Therapy
    how: How

    def said(self) -> str:
        """'' when typed; else where the therapy came from, in words."""
        if self.how == "setting":
            return f"{self.therapy.brand}, from your settings (infuse config get therapy)."
        if self.how == "journal":
            return f"{self.therapy.brand}, the therapy of your journal's latest entry."
        return ""


def choose_therapy(drug: str | None, command: str = "next") -> Choice:
    """``--drug``, else the profile's ``therapy`` setting, else the journal's latest therapy
    given on a schedule (else its latest entry)."""
    from infuse_cli import config
    from infuse_cli.context import catalogue, profile

    if drug is not None:
        if not drug.strip():
            raise UsageError(
                "--drug is empty; name a therapy, e.g. --drug ocrevus (infuse drugs lists them)."
            )
        return Choice(catalogue().find(drug), "typed")
    configured = config.load(profile()).therapy
    if configured:
        return Choice(catalogue().find(configured), "setting")
    from infuse_cli import store

    with store.reading(profile()) as conn:
        drugs = store.journal_drugs(conn)
    if drugs:
        return Choice(_scheduled_first(drugs), "journal")
    raise UsageError(
        f"Name a therapy with --drug, for example: infuse {command} --drug ocrevus"
        " (or set your own: infuse config set therapy ocrevus)."
    )


def _scheduled_first(drugs: list[str]) -> Therapy:
    """Of the journal's therapies (the most recently given first), the latest given on a
    schedule: a steroid course for a relapse is not the treatment being planned."""
    from infuse_cli.context import catalogue

    known = [t for t in (catalogue().therapies.get(d) for d in drugs) if t is not None]
    if not known:
        return catalogue().find(drugs[0])  # says which therapy infuse does not know
    scheduled = [t for t in known if t.regimen.shape not in ("on_demand", "none")]
    return (scheduled or known)[0]


def started_for(therapy: Therapy) -> dt.date | None:
    """The profile's `started` setting, for its own therapy (or any, when none is set)."""
    from infuse_cli import config
    from infuse_cli.context import profile

    settings = config.load(profile())
    if not settings.started or (settings.therapy and settings.therapy != therapy.id):
        return None
    try:
        return dt.date.fromisoformat(settings.started)
    except ValueError:
        return None  # a hand-edited value infuse cannot read is ignored


def recorded(entry: Any) -> Recorded:
    from infuse_cli.core.history import Recorded

    return Recorded(id=entry.id, date=entry.date, first=entry.first, dose=entry.dose)


# Keyed on the connection's identity; each entry holds the connection, so that identity
# cannot be taken by another connection while the entry exists.
_BASES: dict[tuple[int, str, dt.date | None], tuple[Any, Basis | None, list[str]]] = {}


def journal_basis(
    conn: Connection | None,
    therapy: Therapy,
    notes: list[str] | None = None,
    started: dt.date | None = None,
) -> Basis | None:
    """How a profile's journal feeds the plan for one therapy: from its marked first
    infusion, from a first dose told by its amount, from the ``started`` setting, else
    from the newest entry. Asked twice of one open journal, it answers from memory."""
    key = (id(conn), therapy.id, started)
    if conn is None or key not in _BASES or _BASES[key][0] is not conn:
        found: list[str] = []
        _BASES[key] = (conn, _journal_basis(conn, therapy, found, started), found)
        if len(_BASES) > 64:
            _BASES.pop(next(iter(_BASES)))
    _, answer, said = _BASES[key]
    if notes is not None:
        notes.extend(n for n in said if n not in notes)
    if conn is None:
        _BASES.pop(key, None)
    return answer


def _given_between(conn: Connection | None, therapy: Therapy, started: dt.date, first: dt.date) -> str | None:
    """Another therapy given on a schedule between ``started`` and ``therapy``'s first entry
    (after a switch, the setting is that therapy's start): its brand name, else None."""
    from infuse_cli import store
    from infuse_cli.context import catalogue

    therapies = catalogue().therapies
    for drug in store.journal_drugs(conn):
        known = therapies.get(drug)
        if drug == therapy.id or known is None or known.regimen.shape in ("on_demand", "none"):
            continue  # a steroid course for a relapse is no switch
        found = store.infusions(conn, drug, since=started, limit=1)
        if found and found[0].date < first:
            return known.brand
    return None


def _journal_basis(
    conn: Connection | None, therapy: Therapy, notes: list[str], started: dt.date | None
) -> Basis | None:
    from infuse_cli import store
    from infuse_cli.core.history import Recorded, basis, opening, opening_size

    entries: list[Any]
    mark = store.first_mark(conn, therapy.id)
    oldest = store.edge(conn, therapy.id, newest=False)
    if oldest is None:
        return None
    size = opening_size(therapy)
    head = [oldest] if size == 1 else store.infusions(conn, therapy.id, limit=size)
    told = bool(opening(therapy, [recorded(e) for e in head]))  # the oldest entries tell the start
    if mark is None and started is not None and oldest.date < started:
        notes.append(
            f"The started setting ({started.isoformat()}) is after your first recorded {therapy.brand}"
            f" infusion ({oldest.date.isoformat()}), so infuse does not use it; to change it:"
            " infuse config set started YYYY-MM-DD"
        )
        started = None
    other = _given_between(conn, therapy, started, oldest.date) if mark is None and started else None
    if other is not None:
        notes.append(
            f"The started setting ({started}) comes before your {other} infusions, so infuse takes it"
            f" as {other}'s start, not {therapy.brand}'s; to change it: infuse config set started YYYY-MM-DD"
        )
        started = None
    if mark is None and started is not None and not told:
        since = store.infusions(conn, therapy.id, since=started, limit=HISTORY_CAP + 1)
        if len(since) <= HISTORY_CAP:
            from msgspec.structs import replace

            mine = [recorded(e) for e in since]
            if mine and mine[0].date == started:
                mine[0] = replace(mine[0], first=True)
            else:
                mine.insert(0, Recorded(id=0, date=started, first=True))
            found = basis(therapy, mine, notes)
            if found is not None:
                return replace(
                    found,
                    assumed=f"Your first {therapy.brand} infusion is taken as {started.isoformat()}"
                    " (infuse config get started), with the journal's entries after it.",
                )
    if mark is not None or told:
        entries = store.infusions(conn, therapy.id, since=mark, limit=HISTORY_CAP + 1)
        if len(entries) <= HISTORY_CAP:
            return basis(therapy, [recorded(e) for e in entries], notes)
    if therapy.regimen.cap is not None:
        entries = store.infusions(conn, therapy.id)  # every dose counts toward the limit
    else:
        entries = [store.edge(conn, therapy.id, newest=True)]
    from msgspec.structs import replace

    from infuse_cli.core.history import from_latest

    found = from_latest(therapy, [recorded(e) for e in entries], [] if notes is None else notes)
    if mark is not None or told:
        found = replace(
            found,
            assumed=f"Your {therapy.brand} history is longer than {HISTORY_CAP} entries, so infuse"
            " plans from the newest one.",
        )
    return found


class Inputs:
    """What the schedule commands share, resolved once: the therapy and the dates to
    plan from (--start, --last, else the journal, else a preview from today)."""

    def __init__(
        self,
        drug: str | None,
        start: str | None,
        last: str | None,
        command: str = "next",
        choice: Choice | None = None,
    ) -> None:
        from infuse_cli import config
        from infuse_cli.context import profile, today
        from infuse_cli.core.dates import parse_date

        self.today = today()
        self.config = config.load(profile())
        self.choice = choice or choose_therapy(drug, command)  # a command may have chosen already
        self.therapy = self.choice.therapy
        order = self.config.date_order or None
        if start is not None and last is not None:
            raise UsageError("Give either --start or --last, not both.")
        self.start: dt.date | None = parse_date(start, self.today, order) if start is not None else None
        self.last: dt.date | None = parse_date(last, self.today, order) if last is not None else None
        self.given: list[dt.date] = []
        self.amounts: list[float | None] = []
        self.prior_total = 0.0
        self.warning = ""
        self.assumed = ""
        self.dose_notes: list[str] = []
        self.seq_base: int | None = None  # entries in the journal, when their numbers are unknown
        self._ahead: tuple[list[Appointment], list[Coverage], list[Reminder]] | None = None
        if self.last is not None and self.last > self.today:
            raise UsageError(
                "--last is a dose already given, so it cannot be after today;"
                " for a future first dose use --start."
            )
        self.basis: PlanBasis = "start" if self.start else "last" if self.last else "preview"
        if self.basis == "preview":
            self._from_journal()
        if self.basis == "preview":
            self.start = self.today

    def _setting_holidays(self) -> Container[dt.date]:
        """The holidays of the country in the settings; a code edited by hand that infuse does
        not know names the file and the fix."""
        try:
            return holidays_for(self.config.country)
        except UsageError:
            from infuse_cli import config
            from infuse_cli.context import profile
            from infuse_cli.core.errors import DataError, shown

            raise DataError(
                f"{config.config_path(profile())}: country is '{shown(self.config.country)}', not a"
                " country code infuse knows; fix it with: infuse config set country US (or another code)"
            ) from None

    def holidays(self, country: str | None) -> Container[dt.date]:
        """The public holidays booking days avoid: --country's, else the setting's."""
        return holidays_for(country) if country else self._setting_holidays()

    def upcoming(self, country: str | None, remind_days: int | None, **options: Any) -> Upcoming:
        """The plan from these inputs; ``options`` are the command's own (count, until, …)."""
        from infuse_cli.config import weekdays
        from infuse_cli.core.upcoming import upcoming

        notes = [n for n in (self.warning, *self.dose_notes) if n]
        chosen = self.config.interval
        if options.get("option") is None and any(o.id == chosen for o in self.therapy.regimen.options):
            options["option"] = chosen  # the interval setting, for a therapy that offers it
        appointments, coverage, reminders = self.ahead()
        bookings = [a for a in appointments if not a.test and a.drug == self.therapy.id]
        booked = [a.date for a in bookings]
        found = upcoming(
            self.therapy,
            self.today,
            basis=self.basis,
            start=self.start,
            last=self.last,
            given=self.given,
            given_amounts=self.amounts,
            prior_total=self.prior_total,
            holidays=self.holidays(country),
            clinic_days=weekdays(self.config.clinic_days),
            booked=booked,
            remind_days=self.config.remind_days if remind_days is None else remind_days,
            warnings=notes,
            assumed=self.assumed,
            chosen=self.choice.said(),
            seq_base=self.seq_base,
            **options,
        )
        if bookings:  # the booked days' own time, place and note (the calendar shows them)
            found = msgspec.structs.replace(found, bookings=bookings)
        if not (coverage or appointments or reminders):
            return found
        from infuse_cli.core.due import coverage_notes, own_events
        from infuse_cli.services.due import test_names

        mine = [c for c in coverage if c.drug in ("", self.therapy.id)]
        extra = coverage_notes(found.infusions, mine)
        events = found.events
        if options.get("with_events"):
            until, months = options.get("until"), options.get("months")
            names = test_names(appointments)
            events = own_events(found, appointments, mine, reminders, until, months, names)
        return msgspec.structs.replace(found, notes=[*found.notes, *extra], events=events)

    def ahead(self) -> tuple[list[Appointment], list[Coverage], list[Reminder]]:
        """The profile's bookings from today on, its coverage and its own reminders (read once)."""
        if self._ahead is None:
            from infuse_cli import store
            from infuse_cli.context import profile

            self._ahead = ([], [], [])
            if store.journal_path(profile()).exists():
                from infuse_cli.store import plans

                with store.reading(profile()) as conn:
                    self._ahead = (
                        plans.appointments(conn, since=self.today),
                        plans.coverage(conn),
                        plans.reminders(conn),
                    )
        return self._ahead

    def _from_journal(self) -> None:
        from infuse_cli import store
        from infuse_cli.context import profile

        with store.reading(profile()) as conn:
            found = journal_basis(conn, self.therapy, self.dose_notes, started_for(self.therapy))
            count, _ = store.latest(conn, self.therapy.id)
        if found is None:
            return
        if found.how == "latest":
            self.seq_base = count
        self.basis = "journal"
        self.given, self.last, self.amounts = found.given, found.last, found.amounts
        self.prior_total, self.warning, self.assumed = found.prior_total, found.warning, found.assumed


def holidays_for(country: str | None) -> Container[dt.date]:
    """The country's public holidays, for any year (the library fills years in as asked)."""
    from infuse_cli.core.errors import shown

    if not country:
        return frozenset()
    import holidays as hol

    code = country.strip().upper()
    if code not in hol.list_supported_countries():
        raise UsageError(
            f"'{shown(country)}' is not a country code infuse knows for holidays;"
            " use a two-letter code such as US, GB or DE."
        )
    found: Container[dt.date] = hol.country_holidays(code)
    return found


class Record(msgspec.Struct, frozen=True):
    """What the journal views show beside the entries: each entry's facts, and per therapy
    what was assumed about its start and its total toward a lifetime limit."""

    facts: dict[int, Any]  # entry id → history.EntryFacts
    assumed: dict[str, str]  # therapy id → the assumption and its correction
    totals: dict[str, str]  # therapy id → '120 of 140 mg/m² (86%)'
    notes: list[str]  # doses that could not be counted as written
    placed: dict[str, list[str]] = {}  # therapy id → doses placed in a later phase by their amount


def record(conn: Connection | None, shown: list[Any], today: dt.date) -> Record:
    """The record's facts for the entries ``shown`` (a page of the journal), each worked
    out from its therapy's history: the whole history when its start is known (phases
    need it), else only each shown entry and the one before it."""
    from infuse_cli import store
    from infuse_cli.context import catalogue
    from infuse_cli.core.errors import InfuseError
    from infuse_cli.core.history import entry_facts
    from infuse_cli.core.schedule import project

    out = Record({}, {}, {}, [], {})
    cat = catalogue()
    for drug in sorted({e.drug for e in shown}):
        try:
            therapy = cat.find(drug)
        except InfuseError:
            continue
        found = journal_basis(conn, therapy, out.notes, started_for(therapy))
        if found is None:
            continue
        mine = [e for e in shown if e.drug == drug]
        said: list[str] = []  # what placing the entries assumed (a dose placed by its amount)
        if found.how == "latest":
            oldest = min(mine, key=lambda e: (e.date, e.id))
            before = store.before(conn, drug, oldest.date)
            history = ([before] if before is not None else []) + mine
            facts = entry_facts(therapy, [recorded(e) for e in history], today, start_known=False)
        else:
            history = store.infusions(conn, drug, limit=HISTORY_CAP + 1, newest_first=True)
            facts = entry_facts(therapy, [recorded(e) for e in history], today, assumed=said)
        wanted = {e.id for e in mine}
        out.facts.update({k: v for k, v in facts.items() if k in wanted})
        if found.assumed:
            out.assumed[drug] = found.assumed
        if said:
            out.placed[drug] = said
        if therapy.regimen.cap is not None:
            try:
                proj = project(
                    therapy,
                    today,
                    given=found.given,
                    given_amounts=found.amounts,
                    last=found.last,
                    prior_total=found.prior_total,
                    count=1,
                )
            except InfuseError:
                continue
            if proj.given_total is not None:
                from infuse_cli.core.history import cap_text

                out.totals[drug] = cap_text(therapy, proj.given_total)
    return out


def planned_therapy(entries: Sequence[Any]) -> set[str]:
    """The therapy `next` plans for the profile (the setting, else the journal's latest therapy
    given on a schedule), as a set: a therapy stopped after a switch is not planned."""
    from infuse_cli.core.errors import InfuseError

    if not entries:
        return set()
    try:
        return {choose_therapy(None, "journal").therapy.id}
    except InfuseError:
        return set()


def next_infusions(conn: Connection | None, drugs: set[str], today: dt.date) -> dict[str, Any]:
    """Each therapy's next planned infusion from the journal (none for on-demand ones), as
    `next` plans it: on its booked day, with the interval, clinic days and holidays set."""
    from infuse_cli import config
    from infuse_cli.context import catalogue, profile
    from infuse_cli.core.upcoming import upcoming
    from infuse_cli.store import plans

    settings = config.load(profile())
    bookings = [a for a in plans.appointments(conn, since=today) if not a.test]
    out: dict[str, Any] = {}
    for drug in sorted(drugs):
        therapy = catalogue().therapies.get(drug)
        if therapy is None:
            continue
        b = journal_basis(conn, therapy, None, started_for(therapy))
        if b is None:
            continue
        chosen = any(o.id == settings.interval for o in therapy.regimen.options)
        up = upcoming(
            therapy,
            today,
            basis="journal",
            given=b.given,
            given_amounts=b.amounts,
            last=b.last,
            prior_total=b.prior_total,
            count=1,
            option=settings.interval if chosen else None,
            booked=[a.date for a in bookings if a.drug == drug],
            clinic_days=config.weekdays(settings.clinic_days),
            holidays=holidays_for(settings.country),
        )
        if up.infusions:
            out[drug] = up.infusions[0]
    return out


class ProfileRow(msgspec.Struct, frozen=True):
    name: str
    therapy: str | None  # the brand
    last: dt.date | None  # the latest infusion recorded
    next: Any  # the next planned infusion (schedule.Infusion), or None


def overview(today: dt.date) -> list[ProfileRow]:
    """Each profile: its therapy (setting, else journal), last infusion and next date."""
    from infuse_cli import config, profiles, store
    from infuse_cli.context import catalogue
    from infuse_cli.core.errors import InfuseError

    rows = []
    for name in profiles.names():
        who = None if name == profiles.DEFAULT else name
        with store.reading(who) as conn:
            drug = config.load(who).therapy
            drugs = [] if drug else store.journal_drugs(conn)
            therapy = None
            with_error = False
            try:  # as choose_therapy: the setting, else the latest therapy given on a schedule
                therapy = catalogue().find(drug) if drug else _scheduled_first(drugs) if drugs else None
            except InfuseError:
                with_error = True
                drug = drug or drugs[0]
            last = store.latest(conn, therapy.id)[1] if therapy else None
            nxt = next_infusions(conn, {therapy.id}, today).get(therapy.id) if therapy else None
        rows.append(ProfileRow(name, therapy.brand if therapy else (drug if with_error else None), last, nxt))
    return rows
