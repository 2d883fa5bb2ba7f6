"""User settings, one small TOML file per profile, with defaults.

Keys: therapy (your current therapy), country (public holidays for booking days),
remind_days (days before, for reminders and calendar alarms), date_order (how to
read 03/04/2026: dmy or mdy), travel_minutes (your journey to the clinic, added to
the time a visit takes).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import msgspec

from infuse_cli import paths
from infuse_cli.core.errors import DataError, UsageError, shown

DateOrder = Literal["", "dmy", "mdy"]  # "": ambiguous numeric dates are refused
DATE_ORDERS: tuple[str, ...] = ("", "dmy", "mdy")


class Config(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    therapy: str = ""
    country: str = ""
    remind_days: int = 7
    date_order: DateOrder = ""
    travel_minutes: int = 0
    started: str = ""  # the day the current treatment started (its first infusion), YYYY-MM-DD
    plain: bool = False  # plain text everywhere: no colour, box drawing or emoji
    clinic_days: str = ""  # the days the clinic infuses, e.g. "wed,thu,fri" ("": Monday to Friday)
    lead_days: int = 21  # book an infusion this many days ahead: `infuse due` says "book it" from then
    interval: str = ""  # an alternative interval the catalogue lists (e.g. extended), as --interval-option


KEYS = tuple(Config.__struct_fields__)
HELP = {
    "therapy": "your current therapy, used when --drug is not given (e.g. ocrevus)",
    "country": "skip this country's public holidays when suggesting booking days (e.g. US)",
    "remind_days": "days before an infusion for reminders and calendar alarms (0-60)",
    "date_order": "how to read a date like 03/04/2026: dmy or mdy",
    "travel_minutes": "your journey to the clinic, in minutes, added to the time a visit takes",
    "started": "the day your current treatment started (its first infusion), when the journal lacks it",
    "plain": "true for plain text everywhere (no colour, box drawing or emoji), as --plain does",
    "clinic_days": "the days your clinic infuses, e.g. wed,thu,fri: booking suggestions land on them",
    "lead_days": "days ahead to book an infusion; infuse due says 'book it' from then (1-120)",
    "interval": "the alternative interval your care team chose, as the catalogue names it (e.g."
    " extended for Tysabri): every command plans with it, as --interval-option does",
}


def config_path(profile: str | None) -> Path:
    return paths.settings_file(profile)


def load(profile: str | None, checked: bool = True) -> Config:
    """The settings; ``checked=False`` (for ``config set``, which repairs them) skips the
    range check of values edited by hand."""
    path = config_path(profile)
    if not path.exists() and not path.is_symlink():  # a broken link or a loop is reported
        return Config()
    from infuse_cli.core.catalogue import decode, read_toml

    raw = read_toml(path)
    import datetime as dt

    started = raw.get("started")
    if type(started) is dt.date:  # written as a TOML date (started = 2026-01-05)
        raw["started"] = started.isoformat()
    if raw.get("date_order", "") not in DATE_ORDERS:
        if checked:
            raise DataError(
                f"{path}: date_order should be dmy or mdy; fix it with: infuse config set date_order dmy"
            )
        raw["date_order"] = ""  # `config set` is repairing the file: read it as unset
    config: Config = decode(raw, Config, path)
    if checked:
        _in_range(config, path)
    return config


def _in_range(config: Config, path: Path) -> None:
    """A hand-edited value out of range is refused when read, with the range it should be in."""
    for key, top in (("remind_days", 60), ("travel_minutes", 600), ("lead_days", 120)):
        value = getattr(config, key)
        if not _LOWEST.get(key, 0) <= value <= top:
            raise DataError(
                f"{path}: {key} is {shown(str(value))}, but it should be a whole number from"
                f" {_LOWEST.get(key, 0)} to {top};"
                f" fix it with: infuse config set {key} N"
            )
    try:
        weekdays(config.clinic_days)
    except UsageError:
        raise DataError(
            f"{path}: clinic_days should name weekdays like wed,thu,fri;"
            " fix it with: infuse config set clinic_days wed,thu,fri"
        ) from None
    if config.started and not _is_date(config.started):
        raise DataError(
            f"{path}: started should be a date like 2026-01-05; fix it with: infuse config set started DATE"
        )


def _is_date(text: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return bool(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text))


def check(key: str, value: str) -> Any:
    """``value`` for ``key`` as it will be stored, or a usage error saying what is expected."""
    if key not in KEYS:
        raise UsageError(f"'{shown(key)}' is not a setting; the settings are: {', '.join(KEYS)}.")
    text = value.strip()
    if not text and key in ("country", "started", "therapy", "clinic_days", "interval"):
        return text  # unset
    return _CHECKS.get(key, _as_text)(key, text)


def _as_text(key: str, text: str) -> str:
    return text


_TOP = {"remind_days": 60, "travel_minutes": 600, "lead_days": 120}
_LOWEST = {"lead_days": 1}


def _whole(key: str, text: str) -> int:
    top, low = _TOP[key], _LOWEST.get(key, 0)
    if not re.fullmatch(r"[0-9]{1,4}", text) or not low <= int(text) <= top:
        raise UsageError(f"{key} should be a whole number from {low} to {top}.")
    return int(text)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekdays(text: str) -> frozenset[int]:
    """The clinic's days as weekday numbers (Monday 0) from 'wed,thu,fri' (full names, any
    case, commas or spaces); '' is Monday to Friday."""
    words = [w for w in re.split(r"[\s,]+", text.strip().lower()) if w]
    if not words:
        return frozenset(range(5))
    found = set()
    for word in words:
        day = next(
            (i for i, name in enumerate(WEEKDAYS) if len(word) >= 2 and name.startswith(word[:3])), None
        )
        full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        if day is None or not (word == WEEKDAYS[day] or full[day].startswith(word)):
            raise UsageError(
                f"'{shown(word)}' is not a weekday; name the clinic's days like wed,thu,fri (mon … sun)."
            )
        found.add(day)
    return frozenset(found)


def _clinic_days(key: str, text: str) -> str:
    days = weekdays(text)
    return ",".join(WEEKDAYS[d] for d in sorted(days)) if text.strip() else ""


def _yes_no(key: str, text: str) -> bool:
    if text.lower() not in ("true", "false", "yes", "no", "on", "off", "1", "0"):
        raise UsageError(f"{key} should be true or false.")
    return text.lower() in ("true", "yes", "on", "1")


def _date_order(key: str, text: str) -> str:
    if text.lower() not in DATE_ORDERS:
        raise UsageError("date_order should be dmy (day first) or mdy (month first).")
    return text.lower()


def _country(key: str, text: str) -> str:
    import holidays

    code = text.upper()
    if code not in holidays.list_supported_countries():
        raise UsageError(f"'{shown(text)}' is not a country code infuse knows; use one like US, GB or DE.")
    return code


def _started(key: str, text: str) -> str:
    import datetime as dt

    from infuse_cli.core.dates import parse_date

    now = dt.date.fromisoformat(os.environ.get("INFUSE_TODAY") or dt.date.today().isoformat())
    day = parse_date(text, now)
    if day > now:
        raise UsageError("started is the day treatment started, so it cannot be after today.")
    return day.isoformat()


def _therapy(key: str, text: str) -> str:
    from infuse_cli.cache import load_catalogue

    return load_catalogue().find(text).id


def _interval(key: str, text: str) -> str:
    from infuse_cli.cache import load_catalogue

    named: dict[str, list[str]] = {}
    for t in load_catalogue().therapies.values():
        for o in t.regimen.options:
            named.setdefault(o.id, []).append(t.brand)
    if text.lower() not in named:
        listed = ", ".join(f"{k} ({', '.join(v)})" for k, v in sorted(named.items())) or "none"
        raise UsageError(f"'{shown(text)}' is not an interval the catalogue lists; it lists: {listed}.")
    return text.lower()


_CHECKS: dict[str, Callable[[str, str], Any]] = {
    "remind_days": _whole,
    "travel_minutes": _whole,
    "lead_days": _whole,
    "clinic_days": _clinic_days,
    "plain": _yes_no,
    "date_order": _date_order,
    "country": _country,
    "started": _started,
    "therapy": _therapy,
    "interval": _interval,
}


def save(profile: str | None, config: Config) -> Path:
    """Write the settings as TOML (tomli-w through msgspec: every string escaped as TOML
    requires), owner-only, replacing the file in one step."""
    path = config_path(profile)
    body = b"# infuse settings (infuse config set KEY VALUE)\n" + msgspec.toml.encode(config)
    from infuse_cli.paths import write_private

    paths.ensure_private_dir(path.parent)
    paths.tighten(paths.config_dir())
    paths.sweep(path.parent, ".*.toml.*.tmp")  # left by a killed `config set`
    write_private(path, body)
    return path
