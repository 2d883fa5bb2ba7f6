"""Why a date is what it is: JSON carries the reason's parts (rule, anchor date, span,
source and section); the terminal, the calendar and the sheets word them, the same
sentence everywhere. Histories are built with `infuse log add`; every expected date is
written out by hand from the label's rule."""

from __future__ import annotations

import datetime as dt
import json
from typing import get_args

from infuse_cli.core.reason import Citation, Reason, Rule
from infuse_cli.core.schema import Span
from infuse_cli.views import why

HCP = "Ocrevus HCP dosing page"


def log(run, drug: str, *days: str, today: str) -> None:
    for i, day in enumerate(days):
        args = ["log", "add", "--drug", drug, "--date", day] + (["--first"] if i == 0 else [])
        r = run(*args, env={"INFUSE_TODAY": today})
        assert r.code == 0, r


def next_json(run, *args: str, today: str) -> dict:
    r = run("next", *args, "--json", env={"INFUSE_TODAY": today})
    assert r.code == 0, r
    return json.loads(r.stdout)


def infusions(data: dict) -> list[dict]:
    return [e for e in data["events"] if e["kind"] == "infusion"]


def test_ocrevus_history_json_carries_the_rule_the_anchor_the_span_and_the_source(run) -> None:
    # Ocrevus: 300 mg on Mon 5 Jan 2026, 300 mg 2 weeks later (Mon 19 Jan 2026); then 600 mg
    # 6 months after the first 300 mg infusion: Sun 5 Jul 2026, and every 6 months after:
    # 12 months after the first infusion, Tue 5 Jan 2027. Doses at least 5 months apart,
    # counted from the infusion before it: no sooner than Fri 19 Jun 2026.
    log(run, "ocrevus", "2026-01-05", "2026-01-19", today="2026-03-02")
    data = next_json(run, "--drug", "ocrevus", today="2026-03-02")
    assert data["schema"] == 2
    first, second = infusions(data)[:2]

    assert first["date"] == "2026-07-05"
    assert first["book_why"] == "weekend"  # a Sunday: booked Mon 6 Jul 2026
    w = first["why"]
    assert w["rule"] == "after_anchor"
    assert w["anchor"] == "2026-01-05"
    assert (w["anchor_what"], w["phase"]) == ("phase_start", "first dose")
    assert w["span"] == {"amount": 6, "unit": "months"}
    assert (w["source"], w["section"]) == (HCP, "§2.3 Table 1; §2.4")
    assert w["url"].startswith("https://")
    assert w["text"] == (
        f"6 months after the first infusion of the first dose (Mon 5 Jan 2026) — {HCP} §2.3 Table 1; §2.4"
    )

    assert first["earliest"] == "2026-06-19"
    e = first["earliest_why"]
    assert (e["rule"], e["anchor"], e["span"]) == (
        "minimum_interval",
        "2026-01-19",
        {"amount": 5, "unit": "months"},
    )

    assert second["date"] == "2027-01-05"
    w = second["why"]
    assert (w["rule"], w["anchor"], w["anchor_what"]) == ("repeat", "2026-01-05", "phase_start")
    assert w["span"] == {"amount": 12, "unit": "months"}
    assert (w["every"], w["steps"]) == ({"amount": 6, "unit": "months"}, 1)
    assert w["off_label"] is False
    assert w["text"] == (
        "12 months after the first infusion of the first dose (Mon 5 Jan 2026), every 6 months"
        f" — {HCP} §2.3 Table 1; §2.4"
    )


def test_the_terminal_and_the_calendar_say_the_json_text_word_for_word(run, tmp_path) -> None:
    log(run, "ocrevus", "2026-01-05", "2026-01-19", today="2026-03-02")
    text = infusions(next_json(run, "--drug", "ocrevus", "--count", "1", today="2026-03-02"))[0]["why"][
        "text"
    ]
    plain = run("next", "--drug", "ocrevus", "--count", "1", "--plain", env={"INFUSE_TODAY": "2026-03-02"})
    assert " ".join(text.split()) in " ".join(plain.stdout.split())
    ics = tmp_path / "o.ics"
    r = run(
        "next", "--drug", "ocrevus", "--count", "1", "--ics", str(ics), env={"INFUSE_TODAY": "2026-03-02"}
    )
    assert r.code == 0, r
    from icalendar import Calendar

    cal = Calendar.from_ical(ics.read_bytes())
    descriptions = [str(ev.get("description")) for ev in cal.walk("VEVENT")]
    assert any(f"Why this date: {text}" in d for d in descriptions)


def test_a_late_dose_resets_the_count_and_json_names_that_dose(run) -> None:
    # The first 600 mg dose was due Sun 5 Jul 2026 and given late, Mon 3 Aug 2026: the next
    # counts from it, 6 months later (Wed 3 Feb 2027), then 12 months after it (Tue 3 Aug 2027).
    log(run, "ocrevus", "2026-01-05", "2026-01-19", "2026-08-03", today="2026-09-01")
    nxt, after = infusions(next_json(run, "--drug", "ocrevus", "--count", "2", today="2026-09-01"))
    assert (nxt["date"], after["date"]) == ("2027-02-03", "2027-08-03")
    w = nxt["why"]
    assert (w["rule"], w["anchor"], w["anchor_what"], w["steps"]) == ("repeat", "2026-08-03", "dose", 1)
    assert w["span"] == {"amount": 6, "unit": "months"}
    assert w["text"] == f"6 months after the dose on Mon 3 Aug 2026 — {HCP} §2.3 Table 1; §2.4"
    w = after["why"]
    assert (w["anchor"], w["span"], w["steps"]) == ("2026-08-03", {"amount": 12, "unit": "months"}, 2)
    assert w["text"].startswith("12 months after the dose on Mon 3 Aug 2026, every 6 months — ")


def test_infusion_2_counts_from_infusion_1_as_given(run) -> None:
    # Infusion 1 on Wed 7 Jan 2026: infusion 2 is 2 weeks after it, Wed 21 Jan 2026.
    log(run, "ocrevus", "2026-01-07", today="2026-01-08")
    w = infusions(next_json(run, "--drug", "ocrevus", today="2026-01-08"))[0]["why"]
    assert (w["rule"], w["anchor"], w["span"]) == (
        "after_previous",
        "2026-01-07",
        {"amount": 2, "unit": "weeks"},
    )
    assert (w["source"], w["section"]) == ("Ocrevus label", "§2.3")


def test_what_if_names_the_label_date_and_the_days_moved_with_no_source(run) -> None:
    # From the last dose Tue 12 May 2026 the next is Thu 12 Nov 2026; 14 days late: Thu 26 Nov.
    data = next_json(run, "--drug", "ocrevus", "--last", "2026-05-12", "--delay", "14", today="2026-06-01")
    w = infusions(data)[0]["why"]
    assert infusions(data)[0]["date"] == "2026-11-26"
    assert (w["rule"], w["anchor"], w["span"]) == ("what_if", "2026-11-12", {"amount": 14, "unit": "days"})
    assert (w["source"], w["section"], w["url"]) == (None, None, None)


def test_tests_and_vaccines_carry_their_reasons_too(run) -> None:
    # Zunovo: live vaccines at least 4 weeks before the first dose (Mon 1 Mar 2027): Mon 1 Feb.
    data = next_json(run, "--drug", "ocrevus-zunovo", "--start", "2027-03-01", "--all", today="2026-01-05")
    live = next(e for e in data["events"] if e["kind"] == "vaccine" and e["date"] == "2027-02-01")
    assert (live["why"]["rule"], live["why"]["anchor"], live["why"]["span"]) == (
        "before_first_dose",
        "2027-03-01",
        {"amount": 4, "unit": "weeks"},
    )
    # Lemtrada: a blood count every month until 48 months after the last dose.
    data = next_json(run, "--drug", "lemtrada", "--start", "2026-01-05", "--all", today="2026-01-05")
    cbc = next(e for e in data["events"] if e.get("what", "").startswith("Complete blood count"))
    w = cbc["why"]
    assert (w["rule"], w["every"], w["until"]) == (
        "every",
        {"amount": 1, "unit": "months"},
        {"amount": 48, "unit": "months"},
    )
    assert (w["source"], w["section"]) == ("Lemtrada label", "Boxed Warning; §5.1")
    assert (
        w["text"] == "every 1 month until 48 months after the last dose — Lemtrada label Boxed Warning; §5.1"
    )


def test_labs_json_carries_the_reasons_parts(run) -> None:
    r = run("labs", "--drug", "lemtrada", "--start", "2026-01-05", "--json")
    assert r.code == 0, r
    data = json.loads(r.stdout)
    assert data["schema"] == 2
    assert data["due"] and all(isinstance(d["why"], dict) and d["why"]["rule"] for d in data["due"])
    assert all(d["why"]["text"].endswith(f"{d['why']['source']} {d['why']['section']}") for d in data["due"])


def test_every_rule_is_worded_and_every_json_key_is_always_there() -> None:
    cite = Citation("Trialmab label", "§2", "https://example.org")
    keys = None
    for rule in get_args(Rule):
        r = Reason(
            rule=rule,
            anchor=dt.date(2026, 1, 5),
            anchor_what="first_infusion",
            span=Span(n=2, unit="weeks"),
            every=Span(n=6, unit="months"),
            steps=1,
            usual=dt.date(2026, 1, 1),
            item="Diphenhydramine",
            cite=cite,
        )
        text = why.why_text(r)
        assert text.endswith(" — Trialmab label §2") and "None" not in text
        got = why.why_json(r)
        assert got["text"] == text
        keys = keys or set(got)
        assert set(got) == keys
    assert Citation("Trialmab label").text == "Trialmab label"


def test_a_what_if_delay_of_an_overdue_dose_counts_from_today(run) -> None:
    # Tysabri every 4 weeks: given Mon 27 Apr 2026, so due Mon 25 May 2026; on Mon 1 Jun it is
    # 7 days overdue. "What if one more day": Tue 2 Jun, and the next 4 weeks on, Tue 30 Jun.
    env = {"INFUSE_TODAY": "2026-06-01"}
    assert run("log", "add", "tysabri", "--date", "2026-04-27", env=env).code == 0
    data = json.loads(run("next", "--delay", "1", "--count", "2", "--json", env=env).stdout)
    first, second = [e for e in data["events"] if e["kind"] == "infusion"][:2]
    assert first["date"] == "2026-06-02" and second["date"] == "2026-06-30"
    assert first["why"]["rule"] == "what_if" and first["why"]["anchor"] == "2026-06-01"
    assert first["why"]["usual"] == "2026-05-25" and first["why"]["span"] == {"amount": 1, "unit": "days"}
    text = run("next", "--delay", "1", "--count", "2", env=env).stdout
    assert "Tue 2 Jun 2026 — tomorrow (what if); due since Mon 25 May 2026" in text
    assert "moved 1 day (what if)" in " ".join(text.split())
