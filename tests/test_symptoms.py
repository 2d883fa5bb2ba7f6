"""Symptoms and relapses between infusions, and symptoms lined up by dose cycle, through the
commands a person types (log add, symptom add, relapse add, cycle). Today is Mon 5 Jan 2026."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from infuse_cli.core.cycle import count, highest_by_day, line_up
from infuse_cli.core.records import Symptom

# Tysabri every 4 weeks: ten doses, 28 days apart, written out by hand.
DOSES = [
    "2025-04-14", "2025-05-12", "2025-06-09", "2025-07-07", "2025-08-04",
    "2025-09-01", "2025-09-29", "2025-10-27", "2025-11-24", "2025-12-22",
]  # fmt: skip

# Fatigue of 6 or more in the 7 days before eight of the nine doses that close a cycle
# (none before Mon 1 Sep 2025: a 4 three days before it), low fatigue mid-cycle, and two
# highs on the other days: 13 Oct (14 days before 27 Oct) and 24 Aug (8 days before 1 Sep:
# just outside the 7 days). 28 Jul is exactly 7 days before 4 Aug: inside.
FATIGUE = [
    ("2025-04-01", 5),  # before the first dose: in no cycle
    ("2025-05-09", 7),  # 3 days before Mon 12 May
    ("2025-05-26", 2),  # mid-cycle (14 days before 9 Jun)
    ("2025-06-05", 7),  # 4 days before Mon 9 Jun
    ("2025-07-04", 8),  # 3 days before Mon 7 Jul
    ("2025-07-21", 2),  # mid-cycle (14 days before 4 Aug)
    ("2025-07-28", 7),  # 7 days before Mon 4 Aug
    ("2025-08-24", 6),  # 8 days before Mon 1 Sep: the other days
    ("2025-08-29", 4),  # 3 days before Mon 1 Sep: below 6
    ("2025-09-26", 7),  # 3 days before Mon 29 Sep
    ("2025-10-13", 6),  # 14 days before Mon 27 Oct: the other days
    ("2025-10-23", 9),  # 4 days before Mon 27 Oct
    ("2025-11-21", 7),  # 3 days before Mon 24 Nov
    ("2025-12-19", 10),  # 3 days before Mon 22 Dec
    ("2026-01-02", 6),  # the open cycle: 11 days after Mon 22 Dec
]

SENTENCE = (
    "Fatigue 6 or more on 8 of the last 9 cycles in the 7 days before a dose (2 of 9 in the other"
    " days). Show this to your care team."
)


def _journal(home: Path) -> Path:
    return home / "data" / "journal.sqlite3"


def _history(run) -> None:
    for day in DOSES:
        assert run("log", "add", "tysabri", "--date", day).code == 0, day
    for day, severity in FATIGUE:
        assert run("symptom", "add", "fatigue", "--severity", str(severity), "--date", day).code == 0
    assert run("symptom", "add", "Headache", "--severity", "3", "--date", "2025-06-20").code == 0


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- the cycle picture


def test_cycle_counts_a_wearing_off_pattern_in_one_sentence(run):
    _history(run)
    r = run("cycle", "--plain")
    assert r.code == 0, r
    assert "SYMPTOMS BY DOSE CYCLE: TYSABRI" in r.stdout
    assert f"Counted: {SENTENCE}" in _one_line(r.stdout)
    assert "Since the last dose on Mon 22 Dec 2025 (14 days ago): fatigue up to 6, on 1 day." in _one_line(
        r.stdout
    )
    assert "Also recorded: Headache (1 entry)." in _one_line(r.stdout)
    assert "1 entry is from before the first recorded Tysabri dose (Mon 14 Apr 2025)" in _one_line(r.stdout)


def test_the_picture_has_a_row_per_cycle_with_a_digit_per_day_before_the_dose(run):
    _history(run)
    lines = run("cycle", "--plain").stdout.splitlines()  # 100 columns: two cells a day
    # The numbers end over their day's cell: 28 over the first, 1 over the last.
    head = "Dose on" + " " * 13 + "28" + " " * 12 + "21" + " " * 12 + "14" + " " * 13 + "7" + " " * 11 + "1"
    assert head in lines
    rows = [line for line in lines if line[:3] in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")]
    assert [row[:15].strip() for row in rows] == [
        "Mon 12 May 2025", "Mon 9 Jun 2025", "Mon 7 Jul 2025", "Mon 4 Aug 2025", "Mon 1 Sep 2025",
        "Mon 29 Sep 2025", "Mon 27 Oct 2025", "Mon 24 Nov 2025", "Mon 22 Dec 2025",
    ]  # fmt: skip
    # 10 on 19 Dec, 3 days before 22 Dec: an X in the third cell from the right.
    assert rows[-1] == "Mon 22 Dec 2025  . |" + " ." * 25 + " X" + " ." * 2
    # 24 Aug (8 days before 1 Sep) a 6; 29 Aug (3 days before) a 4.
    assert rows[4] == "Mon 1 Sep 2025   . |" + " ." * 20 + " 6" + " ." * 4 + " 4" + " ." * 2
    # 26 May (14 days before 9 Jun) a 2; 5 Jun (4 days before) a 7.
    assert rows[1] == "Mon 9 Jun 2025   . |" + " ." * 14 + " 2" + " ." * 9 + " 7" + " ." * 3
    assert "Each mark is the highest severity recorded: 0-9, X for 10" in _one_line("\n".join(lines))


def test_the_picture_fits_40_columns_a_cell_a_week(run):
    _history(run)
    r = run("cycle", "--plain", env={"COLUMNS": "40"})
    assert r.code == 0
    assert max(len(line) for line in r.stdout.splitlines()) <= 40
    lines = r.stdout.splitlines()
    assert "Mon 1 Sep 2025   . | . . 6 4" in lines
    assert "Mon 22 Dec 2025  . | . . . X" in lines
    assert "weeks before each dose, 4 to 1" in _one_line(r.stdout)


def test_the_picture_as_markdown_and_html_has_a_column_per_day():
    from infuse_cli.views.doc import DayGrid
    from infuse_cli.views.page import markdown, page

    days: list[int | None] = [None] * 28
    days[20], days[25], days[27] = 6, 4, 10  # 8, 3 and 1 days before the dose
    grid = DayGrid("Dose on", [("Mon 1 Sep 2025", days, 2)])
    md = markdown([grid])
    assert md.startswith("| Dose on | earlier | 28 | 27 |")
    assert "| Mon 1 Sep 2025 | 2 |" + "  |" * 20 + " 6 |" + "  |" * 4 + " 4 |  | X |" in md
    html = page([grid], "Cycles")
    assert '<th scope="row">Mon 1 Sep 2025</th><td class="g">2</td>' in html
    assert html.count('<td class="g">') == 29 and '<td class="g">X</td></tr>' in html


def test_cycle_json_carries_each_cycle_its_entries_and_the_counts(run):
    _history(run)
    data = json.loads(run("cycle", "--json").stdout)
    assert (data["therapy"], data["symptom"], data["shown"]) == ("tysabri", None, "fatigue")
    assert [c["start"] for c in data["cycles"]] == DOSES
    assert [c["end"] for c in data["cycles"]] == [*DOSES[1:], None]
    last_closed = data["cycles"][-2]
    assert last_closed["days"] == 28
    assert last_closed["entries"] == [
        {
            "id": 14,
            "date": "2025-12-19",
            "name": "fatigue",
            "severity": 10,
            "days_since": 25,
            "days_before": 3,
        }
    ]
    assert data["cycles"][-1]["entries"][0] | {"id": 0} == {
        "id": 0,
        "date": "2026-01-02",
        "name": "fatigue",
        "severity": 6,
        "days_since": 11,
        "days_before": None,
    }
    assert [s["date"] for s in data["before_first_dose"]] == ["2025-04-01"]
    fatigue, headache = data["counts"]
    assert (fatigue["symptom"], fatigue["cycles"], fatigue["near_dose"], fatigue["other_days"]) == (
        "fatigue",
        9,
        8,
        2,
    )
    assert fatigue["entries"] == 14  # 15 entries, one before the first dose
    assert (headache["symptom"], headache["near_dose"], headache["other_days"]) == ("Headache", 0, 0)


def test_a_named_symptom_is_matched_in_any_case(run):
    _history(run)
    data = json.loads(run("cycle", "--symptom", "HEADACHE", "--json").stdout)
    assert data["symptom"] == "HEADACHE" and data["shown"] == "Headache"
    # 20 Jun 2025: in the cycle from 9 Jun to 7 Jul, the third.
    assert [len(c["entries"]) for c in data["cycles"]] == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    assert data["counts"] == [
        {
            "symptom": "Headache",
            "entries": 1,
            "cycles": 9,
            "near_dose": 0,
            "other_days": 0,
            "threshold": 6,
            "window_days": 7,
        }
    ]
    r = run("cycle", "--symptom", "nausea", "--plain")
    assert r.code == 0 and "No nausea entries are recorded." in _one_line(r.stdout)


def test_cycle_follows_the_scheduled_therapy_not_a_later_steroid_course(run):
    _history(run)
    assert run("log", "add", "solu-medrol", "--date", "2025-12-29", "--days", "3").code == 0
    data = json.loads(run("cycle", "--json").stdout)
    assert data["therapy"] == "tysabri" and data["counts"][0]["near_dose"] == 8
    r = run("cycle", "--drug", "ocrevus")
    assert r.code == 1 and "No Ocrevus infusion is recorded" in r.stderr
    assert r.stderr.count("\n") == 1


def test_only_the_latest_ten_complete_cycles_are_counted_and_twelve_drawn():
    start = dt.date(2024, 1, 1)
    doses = [start + dt.timedelta(days=28 * i) for i in range(14)]  # 13 complete cycles, one open
    # Fatigue 7 two days before each of the first three closing doses only.
    entries = [
        Symptom(id=i, name="fatigue", date=doses[i] - dt.timedelta(days=2), severity=7) for i in (1, 2, 3)
    ]
    lined = line_up(doses, entries, dt.date(2025, 1, 20))
    assert len(lined.cycles) == 14 and lined.cycles[-1].end is None
    c = lined.counts[0]
    # The 10 latest complete cycles close at doses 4..13: none of the three entries is there.
    assert (c.cycles, c.near, c.other) == (10, 0, 0)
    assert count(lined.cycles, "fatigue", last=13).near == 3
    cells, earlier = highest_by_day(lined.cycles[0], "fatigue", 28)
    assert cells[26] == 7 and earlier is None  # two days before the dose: the 27th of 28 cells


def test_a_symptom_on_a_dose_day_opens_that_dose_cycle():
    doses = [dt.date(2025, 3, 3), dt.date(2025, 3, 31)]
    lined = line_up(
        doses, [Symptom(id=1, name="pain", date=dt.date(2025, 3, 31), severity=6)], dt.date(2025, 4, 2)
    )
    assert lined.cycles[0].entries == []
    [e] = lined.cycles[1].entries
    assert (e.days_since, e.days_before) == (0, None)


# ---------------------------------------------------------------- recording


def test_a_symptom_is_recorded_trimmed_listed_in_any_case_and_removed_after_a_question(run):
    r = run("symptom", "add", "  Fatigue ", "--severity", "7", "--date", "2026-01-02", "--note", "stairs")
    assert r.code == 0 and r.stderr == "Recorded Fatigue 7/10 on 2026-01-02 (number 1).\n"
    added = json.loads(run("symptom", "add", "fatigue", "--severity", "0", "--json").stdout)
    assert (added["id"], added["name"], added["date"], added["severity"]) == (2, "fatigue", "2026-01-05", 0)
    assert len(added["uid"]) == 36
    assert run("symptom", "add", "pain", "--severity", "10", "--date", "2025-12-01").code == 0
    listed = json.loads(run("symptom", "list", "FATIGUE", "--json").stdout)["symptoms"]
    assert [(s["id"], s["name"], s["note"]) for s in listed] == [(1, "Fatigue", "stairs"), (2, "fatigue", "")]
    since = json.loads(run("symptom", "list", "--since", "2026-01-03", "--json").stdout)["symptoms"]
    assert [s["id"] for s in since] == [2]
    table = run("symptom", "list", "--plain").stdout
    assert "Mon 1 Dec 2025" in table and "10/10" in table and "stairs" in table
    r = run("symptom", "rm", "1", input="n\n")
    assert r.code == 1 and "Nothing was removed" in r.stderr
    assert run("symptom", "rm", "1", input="y\n").code == 0
    assert [s["id"] for s in json.loads(run("symptom", "list", "--json").stdout)["symptoms"]] == [3, 2]
    assert run("symptom", "rm", "1", "--yes").code == 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["symptom", "add", "fatigue", "--severity", "11"], "from 0 (none) to 10"),
        (["symptom", "add", "fatigue", "--severity", "-1"], "from 0 (none) to 10"),
        (["symptom", "add", "fatigue", "--severity", "3", "--date", "2026-01-06"], "in the future"),
        (["symptom", "add", "", "--severity", "3"], "needs a name"),
        (["symptom", "add", "   ", "--severity", "3"], "needs a name"),
        (["relapse", "add", "--date", "2026-01-06"], "in the future"),
        (["relapse", "add", "--date", "2025-12-01", "--steroid", "2025-12-02"], "No Solu-Medrol infusion"),
        (["relapse", "add", "--date", "2025-12-01", "--steroid", "2025-11-02"], "before the relapse"),
        (["symptom", "rm", "7", "--yes"], "no symptom entry number 7"),
        (["relapse", "rm", "7", "--yes"], "no relapse number 7"),
    ],
)
def test_bad_input_is_one_sentence_exit_1_and_nothing_is_written(run, home: Path, args, said):
    assert run("log", "add", "tysabri", "--date", "2025-12-01").code == 0
    before = _journal(home).read_bytes()
    r = run(*args)
    assert r.code == 1 and said in r.stderr and r.stderr.count("\n") == 1, r
    assert r.stderr.startswith("Error: ") and r.stdout == ""
    assert _journal(home).read_bytes() == before


def test_cycle_with_no_infusions_is_refused_and_creates_nothing(run, home: Path):
    r = run("cycle")
    assert r.code == 1 and "No infusions are recorded in the journal" in r.stderr
    assert r.stderr.count("\n") == 1 and not _journal(home).exists()
    assert run("symptom", "add", "fatigue", "--severity", "5", "--date", "2026-01-01").code == 0
    before = _journal(home).read_bytes()
    r = run("cycle", "--symptom", "fatigue", "--json")
    assert r.code == 1 and r.stdout == "" and "No infusions" in r.stderr
    assert _journal(home).read_bytes() == before


def test_usage_errors_are_exit_2(run):
    assert run("symptom", "add", "fatigue").code == 2  # no --severity
    assert run("symptom", "add", "fatigue", "--severity", "high").code == 2
    assert run("relapse", "add").code == 2  # no --date


# ---------------------------------------------------------------- relapses


def test_a_relapse_is_linked_to_the_only_steroid_course_in_the_30_days_after(run):
    assert run("log", "add", "tysabri", "--date", "2025-10-20").code == 0
    assert run("log", "add", "solu-medrol", "--date", "2025-11-03", "--days", "3").code == 0  # 3, 4, 5 Nov
    r = run("relapse", "add", "--date", "2025-11-01", "--note", "left leg weak")
    assert r.code == 0, r
    assert "linked to Solu-Medrol on Mon 3 Nov 2025: the only steroid course logged" in r.stderr
    r = run("relapse", "add", "--date", "2025-11-02", "--steroid", "2025-11-04", "--json")
    linked = json.loads(r.stdout)
    assert linked["steroid"]["drug"] == "solu-medrol" and linked["steroid"]["date"] == "2025-11-04"
    assert linked["linked_automatically"] is False
    # 3 Oct: the course 31 days later is too late to be linked without --steroid.
    r = run("relapse", "add", "--date", "2025-10-03")
    assert r.code == 0 and r.stderr == "Recorded a relapse on 2025-10-03 (number 3).\n"
    listed = json.loads(run("relapse", "list", "--json").stdout)["relapses"]
    assert [(x["date"], x["steroid"] and x["steroid"]["date"]) for x in listed] == [
        ("2025-10-03", None),
        ("2025-11-01", "2025-11-03"),
        ("2025-11-02", "2025-11-04"),
    ]
    table = run("relapse", "list", "--plain").stdout
    assert "Solu-Medrol on Mon 3 Nov 2025" in table and "left leg weak" in table
    assert run("relapse", "rm", "3", input="n\n").code == 1
    assert run("relapse", "rm", "3", "--yes").code == 0
    assert len(json.loads(run("relapse", "list", "--json").stdout)["relapses"]) == 2


def test_two_steroid_courses_in_the_30_days_after_are_not_guessed_between(run):
    assert run("log", "add", "solu-medrol", "--date", "2025-11-03", "--days", "3").code == 0
    assert run("log", "add", "solu-medrol", "--date", "2025-11-20").code == 0
    r = run("relapse", "add", "--date", "2025-11-01", "--json")
    assert json.loads(r.stdout)["steroid"] is None


# ---------------------------------------------------------------- everywhere the journal goes


def test_symptoms_and_relapses_survive_export_and_import_into_an_empty_journal(run, tmp_path, monkeypatch):
    assert run("log", "add", "solu-medrol", "--date", "2025-11-03", "--days", "3").code == 0
    assert (
        run("symptom", "add", "fatigue", "--severity", "7", "--date", "2025-11-10", "--note", "a, b").code
        == 0
    )
    assert run("symptom", "add", "fatigue", "--severity", "7", "--date", "2025-11-10").code == 0  # twice
    assert run("symptom", "add", "Numbness", "--severity", "2", "--date", "2025-11-12").code == 0
    assert run("relapse", "add", "--date", "2025-11-01", "--steroid", "2025-11-04").code == 0
    assert run("relapse", "add", "--date", "2025-06-01", "--note", "optic").code == 0
    for fmt in ("json", "csv"):
        out = tmp_path / f"export.{fmt}"
        assert run("export", "--format", fmt, "--out", str(out)).code == 0
        monkeypatch.setenv("INFUSE_HOME", str(tmp_path / f"other-{fmt}"))
        r = run("import", str(out))
        assert r.code == 0 and "3 symptoms" in r.stderr and "2 relapses" in r.stderr, r
        again = tmp_path / f"again.{fmt}"
        assert run("export", "--format", fmt, "--out", str(again)).code == 0
        relapses = json.loads(run("relapse", "list", "--json").stdout)["relapses"]
        monkeypatch.setenv("INFUSE_HOME", str(tmp_path / "home"))
        assert [(x["date"], x["steroid"] and x["steroid"]["date"]) for x in relapses] == [
            ("2025-06-01", None),
            ("2025-11-01", "2025-11-04"),
        ]
        if fmt == "json":
            first, second = json.loads(out.read_text()), json.loads(again.read_text())
            assert first["symptoms"] == second["symptoms"] and len(first["symptoms"]) == 3
            assert first["relapses"] == second["relapses"] and len(first["relapses"]) == 2
            assert first["relapses"][1]["steroid"] == ["solu-medrol", "2025-11-04"]
        else:
            assert out.read_text() == again.read_text()


def test_a_course_over_several_days_is_one_dose_in_the_cycle(run, monkeypatch):
    # Lemtrada: course 1 Mon 6 to Fri 10 Jan 2025, course 2 Tue 6 to Thu 8 Jan 2026: one
    # complete cycle, from 6 Jan 2025 to 6 Jan 2026, not a cycle for each day of a course.
    monkeypatch.setenv("INFUSE_TODAY", "2026-06-01")
    assert run("log", "add", "lemtrada", "--date", "2025-01-06", "--days", "5", "--first").code == 0
    assert run("log", "add", "lemtrada", "--date", "2026-01-06", "--days", "3").code == 0
    for day in ("2025-01-07", "2025-01-08", "2025-06-01", "2025-12-30", "2026-01-07", "2026-03-01"):
        assert run("symptom", "add", "fatigue", "--severity", "7", "--date", day).code == 0
    data = json.loads(run("cycle", "--json").stdout)
    [counted] = data["counts"]
    assert counted["cycles"] == 1 and (counted["near_dose"], counted["other_days"]) == (1, 1)
    out = " ".join(run("cycle", "--plain").stdout.split())
    assert "on 1 of the 1 complete cycle in the 7 days before a dose" in out
    assert "Since the last dose on Tue 6 Jan 2026" in out
