"""Settings: stored privately, validated, and used as defaults."""

from __future__ import annotations

import json
import stat
from pathlib import Path


def test_set_get_list(run, home: Path) -> None:
    assert run("config", "set", "therapy", "Ocrevus®").code == 0
    assert run("config", "get", "therapy").stdout.strip() == "ocrevus"
    data = json.loads(run("config", "list", "--json").stdout)
    assert data["therapy"] == "ocrevus" and data["remind_days"] == 7
    path = home / "config" / "config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_bad_values_are_refused_and_nothing_changes(run, home: Path) -> None:
    run("config", "set", "remind_days", "3")
    path = home / "config" / "config.toml"
    before = path.read_bytes()
    for args, words in (
        (["remind_days", "99"], "0 to 60"),
        (["date_order", "ymd"], "dmy"),
        (["colour", "blue"], "not a setting"),
        (["country", "XX"], "country code"),
        (["therapy", "ocrevsu"], "Did you mean Ocrevus"),
    ):
        r = run("config", "set", *args)
        assert r.code == (1 if args[0] == "therapy" else 2) and words in r.stderr, r
    assert path.read_bytes() == before


def test_next_uses_the_configured_therapy_and_country(run) -> None:
    run("config", "set", "therapy", "tysabri")
    run("config", "set", "country", "US")
    # Tysabri every 4 weeks from Mon 10 Aug 2026: Mon 7 Sep 2026 is Labor Day -> Tue 8 Sep.
    data = json.loads(
        run(
            "next", "--start", "2026-08-10", "--count", "1", "--json", env={"INFUSE_TODAY": "2026-08-10"}
        ).stdout
    )
    assert data["drug"] == "tysabri"
    assert data["events"][0]["book"] == "2026-09-08"


def test_the_configured_date_order_reads_ambiguous_dates(run) -> None:
    assert run("next", "--drug", "tysabri", "--start", "03/04/2026").code == 2
    run("config", "set", "date_order", "dmy")
    data = json.loads(
        run(
            "next",
            "--drug",
            "tysabri",
            "--start",
            "03/04/2026",
            "--count",
            "1",
            "--json",
            env={"INFUSE_TODAY": "2026-04-01"},
        ).stdout
    )
    # Read day first: 3 April 2026, after today (1 April), so it is the first infusion listed.
    assert data["events"][0]["date"] == "2026-04-03"


def test_remind_days_setting_sets_the_calendar_alarm(run, tmp_path: Path) -> None:
    run("config", "set", "remind_days", "2")
    ics = tmp_path / "o.ics"
    run("next", "--drug", "ocrevus", "--start", "2026-01-05", "--ics", str(ics))
    assert "TRIGGER:-P2D" in ics.read_bytes().decode()


def test_each_profile_has_its_own_settings(run) -> None:
    assert run("profiles", "add", "dad").code == 0
    run("--profile", "dad", "config", "set", "therapy", "briumvi")
    assert run("config", "get", "therapy").stdout.strip() == ""
    assert run("--profile", "dad", "config", "get", "therapy").stdout.strip() == "briumvi"


def test_a_bad_date_order_is_refused_when_read_and_repaired_by_config_set(run, home) -> None:
    import tomllib

    # A hand-edited file with a date order infuse does not know.
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('therapy = "ocrevus"\ncountry = ""\ndate_order = "ymd"\n', encoding="utf-8")
    r = run("next")
    assert r.code == 1 and "date_order should be dmy or mdy" in r.stderr
    assert run("config", "set", "date_order", "mdy").code == 0  # config set repairs it
    saved = tomllib.loads(path.read_text(encoding="utf-8"))
    assert saved["date_order"] == "mdy" and saved["therapy"] == "ocrevus"
    assert path.read_text(encoding="utf-8").startswith("# infuse settings")
    assert run("config", "get", "date_order").stdout.strip() == "mdy"


def test_a_country_edited_by_hand_that_infuse_does_not_know_names_the_file(run, home) -> None:
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('country = "XX"\n', encoding="utf-8")
    r = run("next", "ocrevus")
    assert r.code == 1 and str(path) in r.stderr and "infuse config set country" in r.stderr
    assert run("config", "set", "country", "US").code == 0
    assert run("next", "ocrevus").code == 0
    assert run("next", "ocrevus", "--country", "ZZ").code == 2  # typed on the command line: bad usage


def test_started_may_be_a_toml_date_and_an_impossible_one_is_refused(run, home) -> None:
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('therapy = "ocrevus"\nstarted = 2025-12-01\n', encoding="utf-8")
    assert run("config", "get", "started").stdout.strip() == "2025-12-01"
    path.write_text('therapy = "ocrevus"\nstarted = "2025-02-30"\n', encoding="utf-8")
    r = run("next")
    assert r.code == 1 and "started should be a date" in r.stderr


def test_config_set_help_names_every_setting(run) -> None:
    from infuse_cli.config import KEYS

    said = " ".join(run("config", "set", "--help").stdout.split())
    for key in KEYS:
        assert key in said, key


def test_the_interval_setting_plans_every_command_with_the_chosen_interval(run, home: Path) -> None:
    # Tysabri: every 4 weeks on the US label; the catalogue's off-label extended interval is
    # every 6 weeks. A dose on Thu 26 Nov 2026 → Thu 24 Dec 2026 (4 weeks) or Thu 7 Jan 2027
    # (6 weeks).
    env = {"INFUSE_TODAY": "2026-12-03"}
    assert run("log", "add", "tysabri", "--date", "2026-11-26", env=env).code == 0
    assert run("log", "add", "ocrevus", "--date", "2026-07-05", env=env).code == 0

    def infusions(*args: str) -> list[str]:
        data = json.loads(run(*args, "--json", env=env).stdout)
        return [e["date"] for e in data["events"] if e["kind"] == "infusion"]

    assert infusions("next", "--drug", "tysabri")[0] == "2026-12-24"
    settings = home / "config" / "config.toml"
    r = run("config", "set", "interval", "fortnightly", env=env)
    assert r.code == 2 and "extended (Tyruko, Tysabri)" in r.stderr and not settings.exists()
    assert run("config", "set", "interval", "extended", env=env).code == 0

    assert infusions("next", "--drug", "tysabri")[:2] == ["2027-01-07", "2027-02-18"]
    assert infusions("plan", "--drug", "tysabri", "--months", "2") == ["2027-01-07"]
    due = json.loads(run("due", "--days", "60", "--json", env=env).stdout)["profiles"][0]["items"]
    assert [i["date"] for i in due if i["kind"] == "infusion"] == ["2027-01-07"]
    # A therapy the catalogue lists no such interval for is planned as its label says:
    # Ocrevus every 6 months, 5 Jul 2026 → 5 Jan 2027.
    assert infusions("next", "--drug", "ocrevus")[0] == "2027-01-05"
    # --interval-option still decides for one run; clearing the setting goes back to the label.
    assert run("config", "set", "interval", "", env=env).code == 0
    assert infusions("next", "--drug", "tysabri")[0] == "2026-12-24"
