"""Bookings, coverage and the person's own reminders: checking what was typed, recording
it, listing it, removing it. Every check runs before anything is written."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import msgspec

from infuse_cli.core.errors import InfuseError, UsageError, shown

if TYPE_CHECKING:
    from infuse_cli.core.records import Appointment, Coverage, Reminder
    from infuse_cli.core.schema import Therapy

UNITS = {"day": "days", "week": "weeks", "month": "months", "year": "years"}
_TOP = {"days": 3650, "weeks": 520, "months": 120}


def _day(text: str, today: dt.date, option: str) -> dt.date:
    from infuse_cli import config
    from infuse_cli.context import profile
    from infuse_cli.core.dates import add_days, parse_date

    text = text.strip()
    if text.lower() == "tomorrow":
        return add_days(today, 1)
    try:
        return parse_date(text, today, config.load(profile()).date_order or None)
    except UsageError as err:
        raise UsageError(f"{option}: {err}") from None


def _ahead(text: str, today: dt.date, option: str, what: str) -> dt.date:
    day = _day(text, today, option)
    if day < today:
        raise InfuseError(f"{option} {day.isoformat()} is in the past; {what}.")
    return day


def _time(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    m = re.fullmatch(r"([01]?[0-9]|2[0-3])[:.h]([0-5][0-9])", text)
    if m is None:
        raise UsageError(f"--time is '{shown(text)}'; give it as HH:MM on a 24-hour clock, e.g. 09:30.")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def every(text: str | None) -> tuple[int, str]:
    """'3 months' → (3, 'months'); 'monthly', 'yearly' too; None → (0, '') (once)."""
    if text is None:
        return 0, ""
    words = text.strip().lower()
    words = {"daily": "1 day", "weekly": "1 week", "monthly": "1 month", "yearly": "1 year"}.get(words, words)
    m = re.fullmatch(r"(\d{1,4})\s*(day|week|month|year)s?", words)
    if m is None:
        raise UsageError(f"--every is '{shown(text)}'; give a number and a unit, e.g. --every '3 months'.")
    n, unit = int(m.group(1)), UNITS[m.group(2)]
    if unit == "years":
        n, unit = n * 12, "months"
    if not 1 <= n <= _TOP[unit]:
        raise InfuseError(
            f"--every is '{shown(text)}'; it should be at least 1 and at most {_TOP[unit]} {unit}."
        )
    return n, unit


def _therapy(drug: str | None) -> Therapy:
    from infuse_cli.services.plan import choose_therapy

    return choose_therapy(drug, "appointment add").therapy


def add_appointment(
    date: str, time: str, place: str, drug: str | None, test: str | None, note: str, today: dt.date
) -> tuple[Appointment, str]:
    """A booking from today on, for an infusion of the therapy (``--drug``, else the profile's)
    or for a test; and a warning when another booking of the same infusion lies closer than
    the label's minimum gap ("" when none). The same day booked twice is refused."""
    from infuse_cli import store
    from infuse_cli.context import profile
    from infuse_cli.core.records import Appointment
    from infuse_cli.store import plans

    day = _ahead(date, today, "--date", "a booking is for a day still ahead")
    test_id = ""
    if test is not None:
        from infuse_cli.services.labs import find

        test_id = find(test, guess=False).id
    therapy = _therapy(drug) if not test_id or drug else None
    entry = Appointment(
        id=0,
        date=day,
        time=_time(time),
        place=place.strip(),
        drug=therapy.id if therapy else "",
        test=test_id,
        note=note,
        uid=store.new_uid(),
    )
    before = _booking_notes(entry.drug) if therapy is not None and not test_id else []
    with store.writing(profile()) as conn:
        same = [a for a in plans.appointments(conn, since=today) if (a.drug, a.test) == (entry.drug, test_id)]
        _booked_twice(entry, same, therapy)
        number = plans.add_appointment(conn, entry)
    after = _booking_notes(entry.drug) if therapy is not None and not test_id else []
    warning = " ".join(f"Warning: {n}" for n in after if n not in before)
    if warning and same:  # each booking is an infusion: a rebooking leaves the old one in place
        from infuse_cli.core.dates import human

        near = min(same, key=lambda a: abs((a.date - day).days))
        warning += (
            f" Each booking counts as an infusion: if this one replaces the booking on {human(near.date)},"
            f" remove that one: infuse appointment rm {near.id}"
        )
    return msgspec.structs.replace(entry, id=number), warning


def _booking_notes(drug: str) -> list[str]:
    """What the plan says of the bookings (one earlier than the label allows), as `next` says it."""
    from infuse_cli.services.plan import Inputs

    try:
        found = Inputs(drug, None, None).upcoming(None, None, count=4)
    except InfuseError:
        return []
    return [n for n in found.notes if n.startswith("Your booking on")]


def _what(entry: Appointment, therapy: Therapy | None) -> str:
    if entry.test:
        from infuse_cli.services.labs import tests

        found = tests().get(entry.test)
        return f"the {found.name}" if found is not None else "this test"
    return f"the {therapy.brand} infusion" if therapy is not None else "this"


def _booked_twice(entry: Appointment, same: list[Appointment], therapy: Therapy | None) -> None:
    """Refuse a second booking of the same day (a booking earlier than the label allows,
    another booking's dose included, is what the plan's own notes warn of)."""
    from infuse_cli.core.dates import human

    for a in same:
        if a.date == entry.date:
            raise InfuseError(
                f"{human(a.date)} is already booked for {_what(entry, therapy)} (number {a.id});"
                " nothing was added. 'infuse appointment list' shows your bookings."
            )


_KIND_WORDS = {
    "pa": "prior-auth",
    "prior-authorization": "prior-auth",
    "authorization": "prior-auth",
    "co-pay": "copay",
    "copay-program": "copay",
    "plan": "plan-year",
    "insurance": "plan-year",
}


def coverage_kind(text: str) -> str:
    from infuse_cli.core.records import COVERAGE_KINDS

    word = re.sub(r"[\s_]+", "-", text.strip().lower())
    word = _KIND_WORDS.get(word, word)
    if word not in COVERAGE_KINDS:
        raise UsageError(
            f"'{shown(text)}' is not a kind of coverage infuse keeps; use prior-auth (prior authorization),"
            " copay (a co-pay program) or plan-year (an insurance plan year)."
        )
    return word


def add_coverage(
    kind: str, until: str, renew_days: int, drug: str | None, note: str, today: dt.date
) -> Coverage:
    from infuse_cli import store
    from infuse_cli.context import profile
    from infuse_cli.core.records import Coverage
    from infuse_cli.store import plans

    found = coverage_kind(kind)
    day = _ahead(until, today, "--until", "give the last day the coverage still covers, from today on")
    if not 0 <= renew_days <= 365:
        raise UsageError("--renew-days should be a whole number of days from 0 to 365.")
    therapy = _therapy(drug).id if drug is not None else ""
    entry = Coverage(
        id=0, kind=found, until=day, renew_days=renew_days, drug=therapy, note=note, uid=store.new_uid()
    )
    with store.writing(profile()) as conn:
        number = plans.add_coverage(conn, entry)
    return msgspec.structs.replace(entry, id=number)


def add_reminder(text: str, date: str, repeat: str | None, before: int, today: dt.date) -> Reminder:
    from infuse_cli import store
    from infuse_cli.context import profile
    from infuse_cli.core.records import Reminder
    from infuse_cli.store import plans

    words = text.strip()
    if not words:
        raise UsageError(
            "The reminder needs words, e.g. infuse remind add 'Neurologist visit' --date 2027-01-12."
        )
    n, unit = every(repeat)
    day = (
        _day(date, today, "--date")
        if n
        else _ahead(date, today, "--date", "a reminder is for a day still ahead")
    )
    if not 0 <= before <= 365:
        raise UsageError("--before should be a whole number of days from 0 to 365.")
    entry = Reminder(
        id=0, text=words, date=day, every_n=n, every_unit=unit, before=before, uid=store.new_uid()
    )
    with store.writing(profile()) as conn:
        number = plans.add_reminder(conn, entry)
    return msgspec.structs.replace(entry, id=number)


def listed(kind: str, today: dt.date, everything: bool = False) -> list[object]:
    """The journal's bookings (from today on, or ``everything``), coverage or reminders."""
    from infuse_cli import store
    from infuse_cli.context import profile
    from infuse_cli.store import plans

    with store.reading(profile()) as conn:
        if kind == "appointment":
            return list(plans.appointments(conn, since=None if everything else today))
        if kind == "coverage":
            return list(plans.coverage(conn))
        return list(plans.reminders(conn))


def remove(kind: str, entry_id: int) -> object:
    """Remove one entry (by its number in the list); the entry as it was."""
    from infuse_cli import store
    from infuse_cli.context import profile
    from infuse_cli.store import plans

    found = entry(kind, entry_id)
    with store.writing(profile()) as conn:
        plans.remove(conn, kind, entry_id)
    return found


def entry(kind: str, entry_id: int) -> object:
    """One entry by its number; none is one sentence (and nothing is created)."""
    from infuse_cli import store
    from infuse_cli.context import profile

    with store.reading(profile()) as conn:
        found = next((e for e in _all(conn, kind) if e.id == entry_id), None) if conn is not None else None
    if found is None:
        raise InfuseError(f"There is no {kind} number {entry_id}; infuse {_LIST[kind]} shows the numbers.")
    return found


_LIST = {"appointment": "appointment list --all", "coverage": "coverage list", "reminder": "remind list"}


def _all(conn: object, kind: str) -> list[Appointment] | list[Coverage] | list[Reminder]:
    from infuse_cli.store import plans

    if kind == "appointment":
        return plans.appointments(conn)  # type: ignore[arg-type]
    if kind == "coverage":
        return plans.coverage(conn)  # type: ignore[arg-type]
    return plans.reminders(conn)  # type: ignore[arg-type]
