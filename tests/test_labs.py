"""Tests between infusions: the test catalogue, recording results, the monitoring ledger
and results over time, through the commands a person types (log add, labs add, labs)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from infuse_cli.core import labtests, prep
from infuse_cli.core.catalogue import load

# Lemtrada: course 1 on five days from Mon 3 Mar 2025, course 2 on three days from
# Tue 3 Mar 2026. The label: blood counts monthly "until 48 months after the last dose",
# so the last monthly window is 3 Mar 2030 (48 months after 5 Mar 2026 is 5 Mar 2030),
# 60 months in all from Apr 2025 to Mar 2030.
MONTHLY = [
    "2025-04-03", "2025-05-03", "2025-06-03", "2025-07-03",  # Aug 2025 skipped
    "2025-09-03", "2025-10-03", "2025-11-03", "2025-12-03", "2026-01-03", "2026-02-03",
    "2026-03-03", "2026-04-03", "2026-05-03", "2026-06-03", "2026-07-03",  # Aug 2026 skipped
    "2026-09-03", "2026-10-03", "2026-11-03", "2026-12-03",  # Jan 2027 skipped
    "2027-02-03",
]  # fmt: skip


def _lemtrada(run) -> None:
    assert run("log", "add", "lemtrada", "--date", "2025-03-03", "--days", "5", "--first").code == 0
    assert run("log", "add", "lemtrada", "--date", "2026-03-03", "--days", "3").code == 0


@pytest.fixture
def feb_2027(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFUSE_TODAY", "2027-02-10")


# ---------------------------------------------------------------- the catalogue


def test_the_test_catalogue_validates_and_points_at_real_monitoring_entries():
    tests = prep.load("tests")
    assert isinstance(tests, labtests.Tests)
    labtests.check_links(tests, {t.id: t for t in load()})


def test_the_mitoxantrone_neutrophil_band_is_the_boxed_warning_figure():
    tests = prep.load("tests")
    assert isinstance(tests, labtests.Tests)
    band = labtests.find_test(tests, "anc").bands[0]
    # Boxed Warning: "… should not be given to patients with baseline neutrophil counts of
    # less than 1,500 cells/mm3."
    assert (band.below, band.above, band.therapy, band.ref) == (1500, None, "mitoxantrone", "Boxed Warning")
    assert "1,500 cells/mm3" in band.quote


def test_only_exact_unit_factors_are_stored():
    tests = prep.load("tests")
    assert isinstance(tests, labtests.Tests)
    factors = {(t.id, f.unit): f.factor for t in tests.tests for f in t.units}
    assert factors[("igg", "g/L")] == 100  # 1 g/L = 100 mg/dL
    assert factors[("neutrophils", "×10⁹/L")] == 1000
    creatinine = labtests.find_test(tests, "creatinine")
    assert creatinine.units == [] and creatinine.other_units == ["µmol/L"]


# ---------------------------------------------------------------- recording


def test_a_result_is_recorded_listed_and_converted_by_an_exact_factor(run):
    r = run("labs", "add", "igg", "7.9", "g/L", "--date", "2026-01-02")
    assert r.code == 0, r
    assert "790 mg/dL" in r.stderr
    added = json.loads(run("labs", "add", "tsh", "2", "--date", "2026-01-02", "--json").stdout)
    assert len(added["uid"]) == 36 and added["id"] == 2
    listed = json.loads(run("labs", "list", "igg", "--json").stdout)["results"]
    assert [(x["test"], x["date"], x["value"], x["unit"]) for x in listed] == [
        ("igg", "2026-01-02", 790, "mg/dL")
    ]


def test_forgiving_names_and_a_did_you_mean(run):
    assert run("labs", "add", "JC virus index", "positive", "0.68", "--date", "2025-12-01").code == 0
    assert run("labs", "add", "thyroid", "2.1", "--date", "2025-12-01").code == 0
    # A close spelling is offered, never recorded on a guess: "hepatitis c" is not hepatitis B.
    for typed, offered in (("thyriod", "tsh"), ("jcx", "jcv"), ("hepatitis c", "hepatitis-b")):
        r = run("labs", "add", typed, "negative", "--date", "2025-12-02")
        assert r.code == 1 and f"Did you mean {offered}" in r.stderr, r
    tests = [x["test"] for x in json.loads(run("labs", "list", "--json").stdout)["results"]]
    assert tests == ["jcv", "tsh"]
    assert "Thyroid test (TSH)" in run("labs", "history", "thyriod").stdout  # reading may guess


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["neutrophils", "-5", "cells/mm³"], "cannot be below 0"),
        (["lvef", "120"], "cannot be above 100"),
        (["jcv", "-0.2"], "cannot be below 0"),
        (["igg", "8", "mmol/L"], "not reported in 'mmol/L'"),
        (["igg", "8"], "Give the unit"),
        (["tsh", "abc"], "not a number"),
        (["mri", "normal"], "without a value"),
        (["pregnancy", "maybe"], "one of: negative, positive"),
        (["tsh", "nan"], "check the number"),
        (["tsh", "1e307"], "check the number"),
        (["tsh", "1,5"], "write the decimal point as a dot (1.5)"),
        (["jcv", "positive", "0,9"], "write the decimal point as a dot (0.9)"),
        (["hep-b", "negative", "5"], "only a status"),
        (["jcv", "maybe"], "a status (negative, positive, indeterminate), an index number, or both"),
        (["", "2"], "Name the test"),
    ],
)
def test_bad_results_are_refused_and_nothing_is_written(run, home: Path, args, said):
    assert run("labs", "add", "tsh", "2.0", "--date", "2025-12-01").code == 0
    journal = home / "data" / "journal.sqlite3"
    before = journal.read_bytes()
    r = run("labs", "add", *args, "--date", "2025-12-02")
    assert r.code == 1 and said in r.stderr and r.stderr.count("\n") == 1, r
    assert journal.read_bytes() == before


def test_a_future_date_and_a_second_result_on_one_day_are_refused_unless_again(run, home: Path):
    r = run("labs", "add", "tsh", "2.0", "--date", "2026-01-06")  # today is 5 Jan 2026
    assert r.code == 1 and "in the future" in r.stderr
    assert not (home / "data" / "journal.sqlite3").exists()
    assert run("labs", "add", "tsh", "2.0", "--date", "2026-01-02").code == 0
    r = run("labs", "add", "tsh", "2.5", "--date", "2026-01-02")
    assert r.code == 1 and "--again" in r.stderr
    assert run("labs", "add", "tsh", "2.5", "--date", "2026-01-02", "--again").code == 0
    assert len(json.loads(run("labs", "list", "tsh", "--json").stdout)["results"]) == 2


def test_a_result_can_be_edited_and_removed_after_a_question(run):
    assert run("labs", "add", "igg", "800", "mg/dL", "--date", "2025-12-01").code == 0
    assert run("labs", "edit", "1", "7.5", "g/L", "--note", "fasting").code == 0
    [row] = json.loads(run("labs", "list", "--json").stdout)["results"]
    assert (row["value"], row["note"]) == (750, "fasting")
    r = run("labs", "rm", "1", input="n\n")
    assert r.code == 1 and "Nothing was removed" in r.stderr
    assert run("labs", "rm", "1", input="y\n").code == 0
    assert json.loads(run("labs", "list", "--json").stdout)["results"] == []
    assert run("labs", "rm", "1", "--yes").code == 1


# ---------------------------------------------------------------- the ledger


def test_a_lemtrada_history_shows_done_and_missed_months_and_the_next_due_date(run, feb_2027):
    _lemtrada(run)
    for day in MONTHLY:
        assert run("labs", "add", "blood count", "--date", day).code == 0
    out = " ".join(run("labs", "--plain").stdout.split())
    assert "Complete blood count with differential: 20 of 60 done, 3 missed, until Mar 2030." in out
    # The next test counts from the last one done (3 Feb 2027): 3 Mar 2027.
    assert "Next due Wed 3 Mar 2027 (in 21 days)" in out
    data = json.loads(run("labs", "--json").stdout)
    [cbc] = [p for p in data["ledger"] if p["what"] == "Complete blood count with differential"]
    assert (cbc["done"], cbc["missed"], cbc["windows_total"]) == (20, 3, 60)
    missed = [w["label"] for w in cbc["windows"] if w["state"] == "missed"]
    assert missed == ["2025-08-03", "2026-08-03", "2027-01-03"]
    assert cbc["windows"][-1]["label"] == "2030-03-03" and cbc["until"] == "2030-03-05"


def test_the_ledger_grid_marks_months_with_letters_in_plain_text(run, feb_2027):
    _lemtrada(run)
    for day in MONTHLY:
        assert run("labs", "add", "cbc", "--date", day).code == 0
    lines = run("labs", "--plain").stdout.splitlines()
    head = lines.index(next(line for line in lines if line.strip().startswith("Jan Feb Mar")))
    assert lines[head + 1].split() == ["2025", "D", "D", "D", "D", "M", "D", "D", "D", "D"]
    assert lines[head + 3].split()[:4] == ["2027", "M", "D", "."]
    assert "D done, M missed, N due now, . ahead" in lines[head + 7]


def test_a_test_a_few_days_early_still_counts_for_its_month(run, feb_2027):
    _lemtrada(run)
    assert run("labs", "add", "creatinine", "0.9", "mg/dL", "--date", "2026-12-29").code == 0  # for 3 Jan
    data = json.loads(run("labs", "--json").stdout)
    [kidney] = [p for p in data["ledger"] if p["what"].startswith("Serum creatinine")]
    [jan] = [w for w in kidney["windows"] if w["label"] == "2027-01-03"]
    assert (jan["state"], jan["done_on"]) == ("done", "2026-12-29")


def test_without_any_result_labs_shows_the_labels_dates_not_a_ledger_of_misses(run, feb_2027):
    _lemtrada(run)
    out = run("labs", "--plain").stdout
    assert "Monitoring ledger" not in out and "Next due" in out
    assert "infuse labs add" in out


def test_the_ledger_follows_every_therapy_in_the_journal_after_a_switch(run, feb_2027):
    _lemtrada(run)
    assert run("log", "add", "ocrevus", "--date", "2027-01-05", "--dose", "300 mg", "--first").code == 0
    assert run("labs", "add", "tsh", "1.8", "--date", "2026-12-01").code == 0
    out = run("labs", "--plain").stdout
    assert "TESTS: OCREVUS" in out and "TESTS: LEMTRADA" in out
    assert "Thyroid blood tests: 1 of 20 done" in " ".join(out.split())


# ---------------------------------------------------------------- results over time


def test_jcv_history_shows_the_table_the_change_and_no_band_the_label_does_not_state(run):
    for day, status, index in (
        ("2023-01-10", "positive", "0.3"),
        ("2024-01-09", "positive", "0.68"),
        ("2025-01-14", "positive", "1.61"),
    ):
        assert run("labs", "add", "jcv", status, index, "--date", day).code == 0
    out = run("labs", "history", "jcv", "--plain").stdout
    assert "Tue 10 Jan 2023" in out and "index 1.61, positive" in out
    assert "up 0.38" in out and "up 0.93" in out
    assert "states no band" in out and "care team" in out
    data = json.loads(run("labs", "history", "jcv", "--json").stdout)
    assert [r["value"] for r in data["results"]] == [0.3, 0.68, 1.61]
    assert data["results"][0]["change"] is None and data["results"][2]["change"] == pytest.approx(0.93)


def test_a_result_in_a_labels_band_is_named_with_its_source(run):
    assert run("labs", "add", "neutrophils", "1.2", "x10^9/L", "--date", "2025-12-01").code == 0
    assert run("labs", "add", "neutrophils", "2100", "cells/uL", "--date", "2025-12-20").code == 0
    out = " ".join(run("labs", "history", "anc", "--plain").stdout.split())
    assert "below 1,500 cells/mm³" in out and "mitoxantrone label" in out and "Boxed Warning)" in out
    data = json.loads(run("labs", "history", "anc", "--json").stdout)
    assert [len(r["bands"]) for r in data["results"]] == [1, 0]  # 1,200 is below 1,500; 2,100 is not


def test_history_draws_bars_in_colour_and_only_numbers_in_plain(run):
    assert run("labs", "add", "igg", "900", "mg/dL", "--date", "2024-06-01").code == 0
    assert run("labs", "add", "igg", "700", "mg/dL", "--date", "2025-06-01").code == 0
    assert "█" not in run("labs", "history", "igg", "--plain").stdout
    coloured = run("labs", "history", "igg", env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    assert "█" in coloured and "down 200" in coloured


# ---------------------------------------------------------------- everywhere the journal goes


def test_results_survive_export_and_import_into_an_empty_journal(run, tmp_path: Path, monkeypatch):
    assert run("labs", "add", "jcv", "negative", "--date", "2025-10-01", "--note", "lab A").code == 0
    assert run("labs", "add", "igg", "8.1", "g/L", "--date", "2025-11-01").code == 0
    for fmt in ("json", "csv"):
        out = tmp_path / f"export.{fmt}"
        assert run("export", "--format", fmt, "--out", str(out)).code == 0
        monkeypatch.setenv("INFUSE_HOME", str(tmp_path / f"other-{fmt}"))
        r = run("import", str(out))
        assert r.code == 0 and "2 test results" in r.stderr, r
        again = tmp_path / f"again.{fmt}"
        assert run("export", "--format", fmt, "--out", str(again)).code == 0
        monkeypatch.setenv("INFUSE_HOME", str(tmp_path / "home"))
        if fmt == "json":
            first, second = json.loads(out.read_text()), json.loads(again.read_text())
            assert first["results"] == second["results"] and len(first["results"]) == 2
        else:
            assert out.read_text() == again.read_text()


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ({"test": "nosuch", "date": "2025-01-01"}, "does not know"),
        ({"test": "lvef", "date": "2025-01-01", "value": 140, "unit": "%"}, "cannot have"),
        ({"test": "igg", "date": "2025-01-01", "value": 8, "unit": "g/L"}, "a unit that test is not"),
        ({"test": "jcv", "date": "2025-01-01", "status": "maybe"}, "not one that test has"),
        ({"test": "pml-check-in", "date": "2025-01-01", "value": 5, "unit": ""}, "recorded only as done"),
        (
            {"test": "hepatitis-b", "date": "2025-01-01", "value": 5, "unit": "", "status": "negative"},
            "only a status",
        ),
        ({"test": "tsh", "date": "2027-01-01", "value": 2, "unit": "mIU/L"}, "in the future"),
    ],
)
def test_an_import_with_an_impossible_result_imports_nothing(run, home: Path, tmp_path: Path, entry, said):
    assert run("labs", "add", "tsh", "2.0", "--date", "2025-12-01").code == 0
    journal = home / "data" / "journal.sqlite3"
    before = journal.read_bytes()
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps({"schema": 3, "format": "infuse-journal", "infusions": [], "results": [entry]})
    )
    r = run("import", str(path))
    assert r.code == 1 and said in r.stderr and r.stderr.count("\n") == 1, r
    assert journal.read_bytes() == before


def test_an_import_with_a_symptom_of_severity_eleven_imports_nothing(run, tmp_path: Path, home: Path):
    path = tmp_path / "in.json"
    symptom = {"name": "fatigue", "date": "2025-01-01", "severity": 11}
    path.write_text(
        json.dumps({"schema": 3, "format": "infuse-journal", "infusions": [], "symptoms": [symptom]})
    )
    r = run("import", str(path))
    assert r.code == 1 and "severity outside 0 to 10" in r.stderr
    assert not (home / "data" / "journal.sqlite3").exists()


def test_the_journal_shows_test_results_among_the_infusions(run):
    assert run("log", "add", "ocrevus", "--date", "2025-06-02", "--dose", "600 mg").code == 0
    assert run("labs", "add", "igg", "690", "mg/dL", "--date", "2025-11-20", "--note", "low-ish").code == 0
    out = run("journal", "--plain").stdout
    assert "+ Thu 20 Nov 2025: Immunoglobulin G (IgG, antibody level): 690 mg/dL (test #1) — low-ish" in out
    data = json.loads(run("journal", "--json").stdout)
    assert data["schema"] == 2
    assert [(i["kind"], i["date"]) for i in data["items"]] == [
        ("infusion", "2025-06-02"),
        ("result", "2025-11-20"),
    ]
    assert data["items"][1]["value"] == 690 and data["items"][1]["test"] == "igg"


# ---------------------------------------------------------------- the visit sheet


def _busy_lemtrada(run) -> None:
    """A Lemtrada history with a lot to say: missed months, several tests with trends, long questions."""
    _lemtrada(run)
    for day in MONTHLY:
        assert run("labs", "add", "cbc", "--date", day).code == 0
    for day, value in (
        ("2026-06-02", "1.9"),
        ("2026-09-01", "2.6"),
        ("2026-12-01", "3.8"),
        ("2027-02-01", "4.4"),
    ):
        assert run("labs", "add", "tsh", value, "--date", day).code == 0
    for day, value in (("2026-05-01", "2.1"), ("2026-11-02", "1.4"), ("2027-01-30", "1.1")):
        assert run("labs", "add", "neutrophils", value, "x10^9/L", "--date", day).code == 0
    for k in range(7):
        text = f"Question {k}: is it safe to plan a long trip abroad in the spring, and what should I carry?"
        assert run("questions", "add", text, "--drug", "lemtrada").code == 0


def test_the_sheet_opens_with_a_summary_for_the_care_team(run, feb_2027):
    _busy_lemtrada(run)
    md = run("prep", "--drug", "lemtrada").stdout
    summary, rest = md.split("\n---\n", 1)
    assert summary.startswith("# Visit summary: Lemtrada (alemtuzumab)")
    assert "## Test results since the last infusion (Thu 5 Mar 2026)" in summary
    assert "Complete blood count with differential: Aug 2026, Jan 2027" in summary
    # TSH since the last infusion, as a line of numbers where there is no picture.
    assert "1.9 (Jun 2026) → 2.6 (Sep 2026) → 3.8 (Dec 2026) → 4.4 (Feb 2027)" in summary
    assert "And 2 more: on the pages after." in summary  # 7 questions, 5 shown
    assert "## Checklist" not in summary and "## Checklist" in rest
    alone = run("prep", "--drug", "lemtrada", "--summary").stdout
    assert alone.strip() == summary.strip()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_summary_prints_on_one_page_with_its_chart(run, feb_2027, tmp_path: Path, paper: str):
    import os
    import shutil
    import subprocess

    from tests.conftest import real_part

    browser = real_part(
        shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome"),
        "Chromium (Debian package 'chromium')",
    )
    _busy_lemtrada(run)
    page = tmp_path / "summary.html"
    assert run("prep", "--drug", "lemtrada", "--summary", "--out", str(page)).code == 0
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 2 and 'aria-label="Thyroid test (TSH) (mIU/L): 1.9 on Jun 2026' in html
    page.write_text(html.replace("<style>", f"<style>@page {{ size: {paper}; }}"), encoding="utf-8")
    pdf = tmp_path / "summary.pdf"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
    ]
    flags += ["--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    env = {**os.environ, "HOME": str(tmp_path)}
    printed = subprocess.run(
        [browser, *flags, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert printed.returncode == 0, printed.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") - data.count(b"/Type /Pages") == 1
    # The browser lays the charts out: each line has a width, each result a mark (a copy of
    # the page with a script that measures them; infuse's own page has no script).
    probe = tmp_path / "probe.html"
    measure = (
        "<script>document.body.dataset.charts = [...document.querySelectorAll('figure.chart')]"
        ".map(f => Math.round(f.querySelector('polyline').getBBox().width) + ':'"
        " + f.querySelectorAll('circle').length).join(' ');</script></body>"
    )
    probe.write_text(html.replace("</body>", measure), encoding="utf-8")
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=120, env=env
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    charts = re.search(r'data-charts="([^"]*)"', dom.stdout)
    assert charts is not None, dom.stdout[-2000:]
    sizes = [tuple(int(n) for n in c.split(":")) for c in charts.group(1).split()]
    # Neutrophils: three results since May 2026; TSH: four. Each line spans the chart.
    assert [marks for _, marks in sizes] == [3, 4] and all(width > 200 for width, _ in sizes), sizes


def test_the_installed_command_runs_each_labs_subcommand_and_the_default(tmp_path: Path):
    """A real run builds only the subcommand asked for; each one still works, and the
    group's help still lists them all."""
    import os
    import shutil
    import subprocess
    import sys

    infuse = shutil.which("infuse") or str(Path(sys.executable).parent / "infuse")
    env = {**os.environ, "INFUSE_HOME": str(tmp_path / "h"), "INFUSE_TODAY": "2026-01-05", "NO_COLOR": "1"}

    def real(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([infuse, *args], env=env, capture_output=True, text=True, timeout=60)

    assert real("labs", "add", "igg", "790", "mg/dL", "--date", "2025-12-01").returncode == 0
    assert real("labs", "add", "neutrophils", "-5", "cells/mm³", "--date", "2025-12-01").returncode == 1
    assert json.loads(real("labs", "list", "--json").stdout)["results"][0]["value"] == 790
    assert "790 mg/dL" in real("labs", "history", "igg", "--plain").stdout
    assert "TESTS: OCREVUS" in real("labs", "ocrevus", "--plain").stdout
    assert "TESTS: TYSABRI" in real("labs", "--drug", "tysabri", "--plain").stdout
    helped = real("labs", "--help").stdout
    assert all(name in helped for name in ("show", "add", "list", "edit", "rm", "history", "tests"))
    assert "--since" in real("labs", "list", "--help").stdout


def test_thousands_with_commas_and_minus_zero_are_read_as_numbers(run):
    assert run("labs", "add", "platelets", "250,000", "cells/mm³", "--date", "2025-12-01").code == 0
    assert run("labs", "add", "igg", "-0", "mg/dL", "--date", "2025-12-01").code == 0
    values = [(x["test"], x["value"]) for x in json.loads(run("labs", "list", "--json").stdout)["results"]]
    assert values == [("platelets", 250), ("igg", 0)]  # 250,000/mm³ is 250 ×10⁹/L
    assert "-0" not in run("labs", "list", "igg").stdout


def test_editing_a_jcv_status_keeps_its_index_and_a_second_result_that_day_is_refused(run):
    assert run("labs", "add", "jcv", "negative", "0.18", "--date", "2025-10-01").code == 0
    assert run("labs", "add", "jcv", "positive", "0.61", "--date", "2025-12-01").code == 0
    assert run("labs", "edit", "1", "positive").code == 0
    rows = json.loads(run("labs", "list", "--json").stdout)["results"]
    assert (rows[0]["status"], rows[0]["value"]) == ("positive", 0.18)
    r = run("labs", "edit", "1", "--date", "2025-12-01")
    assert r.code == 1 and "already recorded on 2025-12-01" in r.stderr
    assert json.loads(run("labs", "list", "--json").stdout)["results"][0]["date"] == "2025-10-01"


def test_a_steroid_course_for_a_relapse_does_not_become_the_planned_therapy(run, feb_2027):
    _lemtrada(run)
    assert run("labs", "add", "tsh", "1.2", "--date", "2026-06-10").code == 0
    assert run("log", "add", "solu-medrol", "--date", "2026-05-02", "--days", "3").code == 0
    assert "NEXT INFUSIONS: LEMTRADA" in run("next", "--plain").stdout
    assert "Lemtrada" in run("profiles", "--plain").stdout and "Solu" not in run("profiles", "--plain").stdout
    summary = run("prep", "--summary").stdout
    assert (
        summary.startswith("# Visit summary: Lemtrada") and "## Tests missed in the last 12 months" in summary
    )


def test_a_tysabri_ledger_has_no_end_while_doses_go_on(run, monkeypatch):
    # Every 28 days from Wed 7 Jan 2026 to Wed 17 Feb 2027; TOUCH check-ins at 3 and 6 months
    # (7 Apr, 7 Jul 2026), then every 6 months (7 Jan 2027): three windows so far, all done.
    monkeypatch.setenv("INFUSE_TODAY", "2027-03-01")
    days = ["2026-01-07", "2026-02-04", "2026-03-04", "2026-04-01", "2026-04-29", "2026-05-27", "2026-06-24",
            "2026-07-22", "2026-08-19", "2026-09-16", "2026-10-14", "2026-11-11", "2026-12-09", "2027-01-06",
            "2027-02-03"]  # fmt: skip
    assert run("log", "add", "tysabri", *[a for d in days for a in ("--date", d)], "--first").code == 0
    for day in ("2026-04-01", "2026-07-20", "2027-01-20"):
        assert run("labs", "add", "touch", "--date", day).code == 0
    out = " ".join(run("labs", "--plain").stdout.split())
    assert (
        "TOUCH program check-in on signs of PML: 3 done, 0 missed so far; every 6 months while on treatment"
        in out
    )
    assert "until" not in out.split("TOUCH program check-in on signs of PML:")[1].split(".")[0]


def test_history_bars_and_the_summary_chart_keep_to_one_unit(run, monkeypatch):
    monkeypatch.setenv("INFUSE_TODAY", "2027-02-20")
    assert run("log", "add", "tysabri", "--date", "2027-01-06", "--first").code == 0
    assert run("log", "add", "tysabri", "--date", "2027-02-03").code == 0
    assert run("labs", "add", "creatinine", "80", "umol/L", "--date", "2027-02-10").code == 0
    assert run("labs", "add", "creatinine", "0.9", "mg/dL", "--date", "2027-02-11").code == 0
    assert run("labs", "add", "creatinine", "1.0", "mg/dL", "--date", "2027-02-12").code == 0
    summary = " ".join(run("prep", "--summary").stdout.split())
    assert "(mg/dL): 0.9 (Feb 2027) → 1 (Feb 2027)" in summary and "80 (Feb 2027)" not in summary
    coloured = run("labs", "history", "creatinine", env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    row = next(line for line in coloured.splitlines() if "80 µmol/L" in line)
    assert "█" not in row


def test_export_and_restore_say_how_many_results_symptoms_and_relapses(run, tmp_path: Path):
    assert run("labs", "add", "tsh", "2", "--date", "2025-12-01").code == 0
    assert run("symptom", "add", "fatigue", "--severity", "4", "--date", "2025-12-02").code == 0
    r = run("export", "--out", str(tmp_path / "x.json"))
    assert "1 test results, 1 symptoms and 0 relapses" in r.stderr
    backup = tmp_path / "b.sqlite3"
    assert run("backup", str(backup)).code == 0
    r = run("restore", str(backup), input="n\n")
    assert r.code == 1 and "(1 test results, 1 symptoms)" in r.stdout + r.stderr


def test_mitoxantrone_lvef_before_each_dose_and_the_yearly_test_waits_for_the_last(run, monkeypatch):
    # Doses Mon 1 Sep 2025, Mon 1 Dec 2025, Mon 2 Mar 2026, every 3 months: the next is Tue
    # 2 Jun 2026. LVEF on 25 Aug and 28 Nov 2025 (before the first two), none before March.
    monkeypatch.setenv("INFUSE_TODAY", "2026-06-01")
    for day in ("2025-09-01", "2025-12-01", "2026-03-02"):
        first = ["--first"] if day == "2025-09-01" else []
        assert run("log", "add", "mitoxantrone", "--date", day, "--dose", "12 mg/m2", *first).code == 0
    assert run("labs", "add", "lvef", "58", "--date", "2025-08-25").code == 0
    assert run("labs", "add", "echo", "57", "%", "--date", "2025-11-28").code == 0
    out = " ".join(run("labs", "--plain").stdout.split())
    assert (
        "Heart pumping test (LVEF): 2 of 4 doses done, 1 missed. Next due before the dose on Tue 2 Jun 2026"
        in out
    )
    assert "Yearly heart pumping test (LVEF) after treatment stops: starts after the last dose." in out


def test_edit_and_remove_answer_in_json_with_the_question_on_stderr(run):
    assert run("labs", "add", "tsh", "2.0", "--date", "2025-12-01").code == 0
    changed = json.loads(run("labs", "edit", "1", "2.4", "--json").stdout)
    assert (changed["value"], changed["date"]) == (2.4, "2025-12-01")
    r = run("labs", "rm", "1", "--json", input="n\n")  # the question goes to stderr, not stdout
    assert r.code == 1 and "Remove result 1" in r.stderr and "Remove" not in r.stdout
    r = run("labs", "rm", "1", "--json", "--yes")
    assert json.loads(r.stdout) == changed | {"removed": True}
    assert run("symptom", "add", "fatigue", "--severity", "5", "--date", "2025-12-02").code == 0
    gone = json.loads(run("symptom", "rm", "1", "--yes", "--json").stdout)
    assert (gone["name"], gone["removed"]) == ("fatigue", True)
    assert run("relapse", "add", "--date", "2025-12-03").code == 0
    assert json.loads(run("relapse", "rm", "1", "--yes", "--json").stdout)["date"] == "2025-12-03"


def test_two_results_recorded_at_the_same_moment_are_both_kept(tmp_path: Path):
    """Two installed `infuse labs add` at once (a second writer): both succeed, nothing lost;
    the same test on the same day twice at once is kept once."""
    import os
    import shutil
    import subprocess
    import sys

    infuse = shutil.which("infuse") or str(Path(sys.executable).parent / "infuse")
    env = {**os.environ, "INFUSE_HOME": str(tmp_path / "h"), "INFUSE_TODAY": "2026-01-05"}
    jobs = [
        subprocess.Popen(
            [infuse, "labs", "add", *args, "--date", "2025-12-01"], env=env, stderr=subprocess.PIPE
        )
        for args in (["tsh", "2.1"], ["igg", "800", "mg/dL"], ["lvef", "60"], ["lvef", "61"])
    ]
    for job in jobs:
        job.communicate(timeout=60)
    codes = sorted(job.returncode for job in jobs)
    assert codes == [0, 0, 0, 1]  # one of the two LVEF results on one day is refused
    listed = subprocess.run([infuse, "labs", "list", "--json"], env=env, capture_output=True, text=True)
    assert sorted(r["test"] for r in json.loads(listed.stdout)["results"]) == ["igg", "lvef", "tsh"]
