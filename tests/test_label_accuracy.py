"""Label accuracy: every rule traced to its source, non-US readings never called "the label",
each label's own windows and conditions shown where people look.

Dates here are written out by hand from the labels' rules, not computed by infuse.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from infuse_cli.core import catalogue
from infuse_cli.core.prep import load as load_content
from infuse_cli.core.schedule import cite, is_us_label

CAT = catalogue.load()
THERAPIES = list(CAT)
README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFUSE_TODAY", "2026-12-02")


# --- guard rails over the data ---------------------------------------------------------


@pytest.mark.parametrize("t", THERAPIES, ids=lambda t: t.id)
def test_every_therapy_records_a_missed_dose_rule_or_says_none_with_the_section_read(t) -> None:
    m = t.regimen.missed_dose
    assert m is not None, f"{t.id}: no missed-dose field"
    assert m.source and m.ref, f"{t.id}: the missed-dose field names no source and section"
    if m.none:
        assert not m.reset
    else:
        assert m.text and m.read


@pytest.mark.parametrize("t", THERAPIES, ids=lambda t: t.id)
def test_every_therapy_records_a_minimum_gap_or_says_none_with_the_section_read(t) -> None:
    gaps = [p for p in t.regimen.phases if p.min_interval is not None]
    if gaps:
        assert t.regimen.no_min_interval is None
        return
    stated = t.regimen.no_min_interval
    assert stated is not None, f"{t.id}: neither a minimum gap nor 'the label states none'"
    assert stated.source and stated.ref


@pytest.mark.parametrize("t", THERAPIES, ids=lambda t: t.id)
def test_non_us_sources_are_never_cited_as_the_label(t) -> None:
    for s in t.sources:
        if s.region != "US":
            assert not is_us_label(s)
            assert not cite(t, s.id, "§1").startswith(f"{t.brand} label"), s.id
            assert "not the US label" in (s.cite_as or s.title), s.id


@pytest.mark.parametrize("t", THERAPIES, ids=lambda t: t.id)
def test_every_us_label_source_gives_its_revision_or_why_it_could_not_be_read(t) -> None:
    for s in t.sources:
        if is_us_label(s):
            assert s.label_revised or s.revised_note, f"{t.id}: {s.id} has no revision date or note"
            if s.label_revised:
                assert re.fullmatch(r"\d{4}-\d{2}", s.label_revised)


def test_the_readme_lists_each_therapys_label_revision_as_read() -> None:
    for t in THERAPIES:
        revisions = sorted({s.label_revised for s in t.sources if is_us_label(s) and s.label_revised})
        line = next((ln for ln in README.splitlines() if ln.startswith(f"| {t.brand} |")), "")
        assert line, f"README sources table has no row for {t.brand}"
        for r in revisions:
            assert r in line, f"{t.brand}: revision {r} not in the README row"
        if not revisions:
            assert "could not be read" in line


def test_nothing_in_the_data_tells_a_person_to_change_a_dose() -> None:
    advice = re.compile(
        r"\b(you should (stop|lower|raise|skip)|(lower|reduce|increase|double) your dose|"
        r"stop taking|the dose is lowered)\b",
        re.I,
    )
    texts: list[str] = []
    for path in sorted((catalogue.bundled_data_dir()).rglob("*.toml")):
        texts.append(path.read_text(encoding="utf-8"))
    found = [m.group(0) for text in texts for m in advice.finditer(text)]
    assert found == []


def test_each_label_reaction_window_is_in_the_general_texts_with_its_own_source() -> None:
    glossary = load_content("glossary")
    resources = load_content("resources")
    term = next(x for x in glossary.terms if x.term == "infusion reaction")
    late = next(r for r in resources.resources if r.id == "sameday-late-reaction")
    windowed = [t for t in THERAPIES if t.late_reactions is not None]
    assert {t.id for t in windowed} >= {"ocrevus", "briumvi", "lemtrada"}
    for t in windowed:
        lr = t.late_reactions
        for text, cites in ((term.plain, term.cites), (late.text, late.cites)):
            assert f"{lr.hours} hours" in text and t.brand in text, (t.id, text)
            assert any(c.therapy == t.id and c.source == lr.source for c in cites), t.id
    assert "24 hours later" not in term.plain  # no one window for every therapy


# --- what people see ---------------------------------------------------------------------


def test_compare_shows_a_missed_dose_rule_and_a_minimum_gap_for_briumvi_and_zunovo(run) -> None:
    r = run("compare", "briumvi", "ocrevus-zunovo", "--json", "--only", "schedule")
    assert r.code == 0, r
    rows = {row["label"]: row["values"] for row in json.loads(r.stdout)["groups"][0]["rows"]}
    for drug in ("briumvi", "ocrevus-zunovo"):
        assert rows["Missed dose"][drug] not in ("", "—")
        assert "as soon as possible" in rows["Missed dose"][drug]
        assert rows["Minimum gap"][drug] not in ("", "—")
    # Briumvi's 5-month gap is the UK reading and is named as such, never as the label's.
    assert "5 months" in rows["Minimum gap"]["briumvi"]
    assert "UK" in rows["Minimum gap"]["briumvi"] and "Briumvi label" not in rows["Minimum gap"]["briumvi"]
    assert "24 weeks after the missed dose" in rows["Missed dose"]["briumvi"]
    text = " ".join(
        run("compare", "briumvi", "ocrevus-zunovo", "--plain", "--only", "schedule").stdout.split()
    )
    assert "Missed dose" in text and "Minimum gap" in text and "Lexicomp summary" in text


def test_briumvi_later_infusions_show_the_reaction_condition_on_next_and_info(run) -> None:
    # Last dose 1 Oct 2026 (a Thursday): the next is 24 weeks later, Thu 18 Mar 2027.
    r = run("next", "--drug", "briumvi", "--last", "2026-10-01", "--plain", "--count", "1")
    assert r.code == 0, r
    flat = " ".join(r.stdout.split())
    assert "Thu 18 Mar 2027" in flat
    assert "at this or any earlier Briumvi infusion" in flat
    assert "the label's minimum gap" not in flat
    assert "Mon 1 Mar 2027 (the minimum gap — Briumvi UK dosing page (not the US label))" in flat
    info = " ".join(run("info", "briumvi", "--plain").stdout.split())
    assert "at this or any earlier Briumvi infusion" in info
    assert "Pregnancy check" in info


def test_briumvi_missed_dose_resets_the_schedule_from_the_journal(run) -> None:
    # First infusion Thu 8 Jan 2026, second 2 weeks later, third 24 weeks after the first
    # (Thu 25 Jun 2026). The fourth was due Thu 10 Dec 2026 and given late, Mon 4 Jan 2027:
    # the next is 24 weeks after the late dose, Mon 21 Jun 2027, and no sooner than
    # 5 months after it (4 Jun 2027, the UK reading).
    days = (("2026-01-08", True), ("2026-01-22", False), ("2026-06-25", False), ("2027-01-04", False))
    for day, first in days:
        args = ["log", "add", "--drug", "briumvi", "--date", day] + (["--first"] if first else [])
        assert run(*args, env={"INFUSE_TODAY": "2027-01-20"}).code == 0
    r = run("next", "--drug", "briumvi", "--json", env={"INFUSE_TODAY": "2027-01-20"})
    infusions = [e for e in json.loads(r.stdout)["events"] if e["kind"] == "infusion"]
    assert infusions[0]["date"] == "2027-06-21"
    assert infusions[0]["earliest"] == "2027-06-04"
    assert "UK" in infusions[0]["earliest_why"]["source"]


def test_zunovo_dates_a_live_vaccine_deadline_four_weeks_before_the_first_dose(run) -> None:
    r = run(
        "next", "--drug", "ocrevus-zunovo", "--start", "2027-03-01", "--all", "--json",
    )  # fmt: skip
    assert r.code == 0, r
    vaccines = {e["date"]: e["what"] for e in json.loads(r.stdout)["events"] if e["kind"] == "vaccine"}
    assert "Live or live-attenuated" in vaccines["2027-02-01"]  # 28 days before Mon 1 Mar 2027
    assert "Non-live" in vaccines["2027-02-15"]  # 14 days before


def test_zunovo_card_has_the_hyaluronidase_contraindication_and_liver_tests(run) -> None:
    info = " ".join(run("info", "ocrevus-zunovo", "--plain").stdout.split())
    assert "ocrelizumab or to hyaluronidase" in info
    assert "Liver blood tests" in info


def test_lemtrada_card_checklist_and_glossary_give_its_48_hour_window(run) -> None:
    info = " ".join(run("info", "lemtrada", "--plain").stdout.split())
    assert "within 48 hours of a Lemtrada infusion" in info
    assert "Liver blood tests (transaminases and total bilirubin)" in info
    checklist = " ".join(run("checklist", "--drug", "lemtrada", "--plain").stdout.split())
    assert "within 48 hours" in checklist
    assert "up to 24 hours" not in checklist
    ocrevus = " ".join(run("checklist", "--drug", "ocrevus", "--plain").stdout.split())
    assert "up to 24 hours" in ocrevus and "within 48 hours" not in ocrevus
    glossary = " ".join(run("glossary", "infusion reaction", "--plain").stdout.split())
    assert "within 48 hours of a Lemtrada infusion" in glossary


def test_solu_medrol_card_quotes_the_label_and_prescribes_nothing(run) -> None:
    info = " ".join(run("info", "solu-medrol", "--plain").stdout.split())
    assert "'if after long-term therapy the drug is to be stopped" in info
    assert "not a plan for you" in info
    assert "your care team's decision" in info
    assert "After more than a few days of steroids, the dose is lowered gradually" not in info
    assert "New Zealand data sheet (not the US label)" in info
    assert "Solu-Medrol label Warnings" not in info  # the vaccine line is not the US label's


def test_ocrevus_card_says_the_2026_label_could_not_be_read(run) -> None:
    info = " ".join(run("info", "ocrevus", "--plain").stdout.split())
    assert "revised in May 2026" in info and "could not read the new text" in info


def test_mitoxantrone_yearly_heart_test_counts_from_the_last_dose_in_a_real_history(run) -> None:
    # 11 doses of 12 mg/m², every 3 months from 8 Jan 2024 to 8 Jul 2026 (132 mg/m²): a
    # 12th would pass 140 mg/m², so 8 Jul 2026 is the last dose and the yearly heart
    # test falls on 8 Jul 2027 — not on 8 Jan 2027, a year on from the first dose.
    days = [
        "2024-01-08", "2024-04-08", "2024-07-08", "2024-10-08", "2025-01-08", "2025-04-08",
        "2025-07-08", "2025-10-08", "2026-01-08", "2026-04-08", "2026-07-08",
    ]  # fmt: skip
    for i, day in enumerate(days):
        assert (
            run("log", "add", "--drug", "mitoxantrone", "--date", day, *(["--first"] if i == 0 else [])).code
            == 0
        )
    r = run("next", "--drug", "mitoxantrone", "--all", "--json")
    assert r.code == 0, r
    heart = [e["date"] for e in json.loads(r.stdout)["events"] if "Yearly heart" in (e.get("what") or "")]
    assert heart == ["2027-07-08", "2028-07-08", "2029-07-08"]  # the next three (--count 3)


def test_mitoxantrone_reminder_names_the_heart_test_and_the_visit_is_longer(run) -> None:
    assert run("log", "add", "--drug", "mitoxantrone", "--date", "2026-10-05", "--first").code == 0
    r = run("next", "--drug", "mitoxantrone", "--all", "--plain")
    flat = " ".join(r.stdout.split())
    # Next dose 3 months after Mon 5 Oct 2026: Tue 5 Jan 2027; the reminder a week before.
    assert "Tue 29 Dec 2026: Book before the dose: Heart pumping test (LVEF)" in flat
    assert "the infusion itself about 5–15 min; the visit is longer" in flat


def test_off_label_interval_never_says_the_labels_date(run, tmp_path) -> None:
    args = ("next", "--drug", "tysabri", "--last", "2026-11-20", "--interval-option", "extended")
    r = run(*args, "--plain")
    assert r.code == 0, r
    flat = " ".join(r.stdout.split())
    assert "the label's date" not in flat
    # 6 weeks after Fri 20 Nov 2026: Fri 1 Jan 2027, then every 6 weeks.
    for day in ("Fri 1 Jan 2027", "Fri 12 Feb 2027", "Fri 26 Mar 2027"):
        assert (
            f"{day} (the off-label date, a working day) (off-label: only if your care team chose it)" in flat
        )
    data = json.loads(run(*args, "--json").stdout)
    assert all(e["off_label"] for e in data["events"] if e["kind"] == "infusion")
    ics = tmp_path / "x.ics"
    assert run(*args, "--ics", str(ics)).code == 0
    from icalendar import Calendar

    summaries = [str(ev["summary"]) for ev in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")]
    infusions = [s for s in summaries if "infusion:" in s]
    assert infusions and all(s.endswith("(off-label)") for s in infusions)
