"""Visit preparation: checklists, questions, labs, glossary, resources, the visit sheet."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import real_part
from infuse_cli.core import prep
from infuse_cli.core.catalogue import bundled_data_dir, load

SRC = Path(__file__).resolve().parents[1] / "src" / "infuse_cli"


def items(out: str) -> list[str]:
    """The checklist lines as the user reads them, each item joined onto one line."""
    joined = re.sub(r"\n +", " ", out)
    return [line[4:] for line in joined.splitlines() if line.startswith(("[ ] ", "[x] "))]


# ---------------------------------------------------------------- checklist


def test_first_ocrevus_checklist_has_id_insurance_and_a_ride_home(run):
    r = run("checklist", "--drug", "ocrevus", "--first")
    assert r.code == 0, r
    text = " ".join(items(r.stdout))
    assert "Photo ID and your insurance card" in text
    assert "ride home" in text and "drowsy" in text
    assert "Referral, prior authorization" in text  # a first visit's paperwork


def test_a_later_ocrevus_visit_drops_first_visit_paperwork(run):
    r = run("checklist", "--drug", "ocrevus", "--not-first")
    assert r.code == 0
    assert "Referral, prior authorization" not in r.stdout
    assert "Photo ID and your insurance card" in r.stdout


def test_lemtrada_checklist_speaks_of_the_multi_day_course(run):
    r = run("checklist", "--drug", "lemtrada")
    assert r.code == 0
    text = " ".join(items(r.stdout))
    assert "every day of the course" in text
    assert "course over several days" in text


def test_tysabri_and_lemtrada_lists_differ_as_their_facts_do(run):
    tysabri = items(run("checklist", "--drug", "tysabri").stdout)
    lemtrada = items(run("checklist", "--drug", "lemtrada").stdout)
    only_lemtrada = " ".join(set(lemtrada) - set(tysabri))
    only_tysabri = " ".join(set(tysabri) - set(lemtrada))
    # Lemtrada: a course over days, an antiviral from day one, a steroid premedication,
    # long days in the chair, monthly tests for 48 months (its label); Tysabri has none.
    assert "course" in only_lemtrada
    assert "antiviral" in only_lemtrada
    assert "steroid" in only_lemtrada
    assert "snacks" in only_lemtrada
    assert "48 months" in only_lemtrada
    # Tysabri: a one-hour visit that is booked one at a time.
    assert "Book the next infusion" in only_tysabri
    # Both have a restricted program (TOUCH; the Lemtrada REMS).
    assert any("restricted program" in i for i in tysabri) and any(
        "restricted program" in i for i in lemtrada
    )


def test_section_filter_and_forgiving_section_names(run):
    r = run("checklist", "--drug", "ocrevus", "--section", "bring", "-s", "morning")
    assert r.code == 0
    assert "WHAT TO BRING" not in r.stdout  # headings are sections, the title is the drug
    assert "What to bring" in r.stdout and "The morning of" in r.stdout
    assert "The week before" not in r.stdout


def test_unknown_section_or_format_is_bad_usage(run, home):
    r = run("checklist", "--drug", "ocrevus", "--section", "lunch")
    assert r.code == 2 and "week_before" in r.stderr and r.stdout == ""
    r = run("checklist", "--drug", "ocrevus", "--format", "pdf")
    assert r.code == 2 and "text, md, json" in r.stderr
    assert not (home / "data").exists()


def test_checklist_without_a_therapy_gives_the_general_list(run):
    r = run("checklist")
    assert r.code == 0
    assert "Photo ID and your insurance card" in r.stdout
    assert "--drug" in r.stdout
    assert "ride home" not in r.stdout  # nothing tailored without a therapy


def test_checklist_knows_the_therapy_and_the_visit_from_the_journal(run):
    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-15", "--first").code == 0
    r = run("checklist")
    assert r.code == 0
    assert "CHECKLIST: TYSABRI" in r.stdout
    # infusion 2 is 4 weeks after 15 Dec 2025 (label: every 4 weeks): Mon 12 Jan 2026.
    assert "Mon 12 Jan 2026" in r.stdout
    assert "Referral, prior authorization" not in r.stdout  # not the first any more


def test_checklist_json(run):
    r = run("checklist", "--drug", "lemtrada", "--format", "json")
    assert r.code == 0
    data = json.loads(r.stdout)
    assert data["schema"] == 1 and data["drug"] == "lemtrada"
    ids = {i["id"] for i in data["items"]}
    assert {"course-days-off", "course-antiviral", "id-insurance"} <= ids
    antiviral = next(i for i in data["items"] if i["id"] == "course-antiviral")
    assert antiviral["sources"] == ["Lemtrada label §2.2"] and antiviral["done"] is False


def test_checklist_markdown_is_a_task_list(run):
    r = run("checklist", "--drug", "ocrevus", "--first", "--format", "md")
    assert r.code == 0
    assert r.stdout.startswith("# Checklist: Ocrevus")
    assert "## What to bring" in r.stdout
    assert "- [ ] Photo ID and your insurance card" in r.stdout


def test_interactive_ticks_items_and_remembers_them(run, home):
    assert run("log", "add", "--drug", "tysabri", "--date", "2025-12-15", "--first").code == 0
    r = run("checklist", "--interactive", input="y\nn\ny\nq\n")
    assert r.code == 0, r
    assert "Item 1 of" in r.stdout and "Ticked. 2 of" in r.stdout and "Stopped: 2 of" in r.stdout
    listed = run("checklist").stdout
    ticked = [line for line in listed.splitlines() if line.startswith("[x]")]
    assert len(ticked) == 2
    assert ticked[0].startswith("[x] Confirm the day")
    # Going on asks only about what is left: item 2 (answered n) comes first.
    r = run("checklist", "--interactive", input="q\n")
    assert "Item 2 of" in r.stdout and "Stopped: 2 of" in r.stdout
    # End of input stops cleanly too, keeping what was ticked.
    r = run("checklist", "--interactive", input="")
    assert r.code == 0 and "Stopped: 2 of" in r.stdout
    r = run("checklist", "--reset")
    assert r.code == 0 and "[x]" not in r.stdout


def test_interactive_asks_again_on_an_unclear_answer(run):
    r = run("checklist", "--drug", "tysabri", "--interactive", input="maybe\ny\nq\n")
    assert r.code == 0
    assert "Please type y, n or q." in r.stdout and "Ticked. 1 of" in r.stdout


# ---------------------------------------------------------------- questions


def test_tysabri_questions_ask_about_the_jcv_antibody_index(run):
    r = run("questions", "--drug", "tysabri")
    assert r.code == 0
    assert "JCV antibody index" in r.stdout and "PML" in r.stdout


def test_lemtrada_questions_ask_about_48_months_of_monthly_tests(run):
    out = re.sub(r"\s+", " ", run("questions", "--drug", "lemtrada").stdout)
    assert "monthly blood and urine tests until 48 months after my last infusion" in out


def test_mitoxantrone_questions_ask_about_the_heart_and_the_lifetime_dose(run):
    out = re.sub(r"\s+", " ", run("questions", "--drug", "mitoxantrone").stdout)
    assert "heart" in out and "LVEF" in out
    assert "lifetime (cumulative) dose" in out and "140 mg/m²" in out


def test_anti_cd20_questions_cover_vaccines_and_immunoglobulins(run):
    for drug in ("ocrevus", "briumvi"):
        out = run("questions", "--drug", drug).stdout
        assert "immunoglobulin" in out and "vaccines" in out
    assert "immunoglobulin" not in run("questions", "--drug", "tysabri").stdout


def test_questions_by_topic(run):
    r = run("questions", "--topic", "costs")
    assert r.code == 0
    assert "Costs and insurance" in r.stdout and "Side effects" not in r.stdout
    r = run("questions", "--topic", "nonsense")
    assert r.code == 2 and "side-effects" in r.stderr


def test_own_questions_added_listed_and_marked_asked(run, home):
    r = run("questions", "add", "Can I travel in March?")
    assert r.code == 0 and "#1" in r.stderr
    assert "#1 Can I travel in March?" in run("questions").stdout
    r = run("questions", "--asked", "1", "--answer", "Yes, book around it")
    assert r.code == 0
    out = run("questions").stdout
    assert "Asked and answered" in out and "Yes, book around it" in out
    data = json.loads(run("questions", "--json").stdout)
    assert data["mine"][0]["asked"] == "2026-01-05" and data["mine"][0]["answer"] == "Yes, book around it"


def test_marking_an_unknown_question_changes_nothing(run, home):
    assert run("questions", "add", "Keep me").code == 0
    journal = next((home / "data").rglob("journal.sqlite3"))
    before = journal.read_bytes()
    r = run("questions", "--asked", "99", "--answer", "x")
    assert r.code == 1 and "no number 99" in r.stderr
    assert journal.read_bytes() == before
    r = run("questions", "add", "   ")
    assert r.code == 2 and journal.read_bytes() == before


def test_own_question_text_is_shown_literally_everywhere(run, tmp_path):
    typed = "Is [bold red]this[/] ok? <script>alert(1)</script> \x1b]0;owned\x07"
    assert run("questions", "add", typed, "--drug", "ocrevus").code == 0
    text = run("questions", "--drug", "ocrevus").stdout
    assert "[bold red]this[/]" in text and "\x1b" not in text and "^[]0;owned^G" in text
    r = run("prep", "--drug", "ocrevus", "--format", "html", "--out", str(tmp_path / "s.html"))
    page = (tmp_path / "s.html").read_text()
    assert r.code == 0 and "<script>" not in page and "&lt;script&gt;" in page
    md = run("prep", "--drug", "ocrevus").stdout
    assert r"\[bold red\]this\[/\]" in md and "<script>" not in md


# ---------------------------------------------------------------- labs


def test_labs_list_tests_before_and_during(run):
    r = run("labs", "--drug", "mitoxantrone")
    assert r.code == 0
    assert "Before starting" in r.stdout or "While on treatment" in r.stdout
    assert "Heart pumping test (LVEF): before each dose." in r.stdout
    assert "For dates, record your infusions" in r.stdout


def test_labs_give_next_due_dates_from_history(run):
    # Lemtrada course 1 started Mon 3 Mar 2025 (5 days, last day Fri 7 Mar 2025); the
    # monthly tests run 1 month apart from the first dose: next due on 3 Feb 2026.
    r = run("labs", "--drug", "lemtrada", "--start", "2025-03-03")
    assert r.code == 0
    assert "Next due" in r.stdout
    assert "Tue 3 Feb 2026 (in 29 days): Complete blood count with differential" in r.stdout


def test_labs_need_a_therapy(run):
    r = run("labs")
    assert r.code == 2 and "infuse labs --drug" in r.stderr


# ---------------------------------------------------------------- glossary, resources


def test_glossary_spells_out_pml_in_plain_words(run):
    r = run("glossary", "pml")
    assert r.code == 0
    out = re.sub(r"\s+", " ", r.stdout).lower()
    assert "progressive multifocal leukoencephalopathy" in out
    assert "brain" in out and "infection" in out and "jc virus" in out


def test_glossary_forgives_case_and_typos(run):
    assert "leukoencephalopathy" in run("glossary", "PML").stdout.lower()
    r = run("glossary", "leukoencephalopaty")
    assert r.code == 0 and "PML" in r.stdout
    r = run("glossary", "zzzzqqq")
    assert r.code == 1 and "no entry" in r.stderr and r.stdout == ""


def test_glossary_lists_every_term(run):
    r = run("glossary", "--json")
    terms = json.loads(r.stdout)["terms"]
    assert len(terms) >= 20 and all(t["sources"] for t in terms)


def test_resources_by_topic_and_maker_programs_by_therapy(run):
    r = run("resources", "--topic", "emergency")
    assert r.code == 0
    assert "911" in r.stdout
    money = run("resources", "--topic", "money", "--drug", "tysabri").stdout
    everything = run("resources", "--topic", "money").stdout
    assert "Biogen" in money and "Genentech" not in money
    assert "Genentech" in everything and "Biogen" in everything
    assert run("resources", "--topic", "shopping").code == 2


# ---------------------------------------------------------------- the visit sheet


def _journal_for_prep(run):
    assert run("log", "add", "--drug", "ocrevus", "--date", "2025-09-01").code == 0
    assert (
        run("reaction", "add", "--symptom", "headache", "--severity", "3", "--date", "2025-09-02").code == 0
    )
    assert (
        run("reaction", "add", "--symptom", "dizzy spell", "--severity", "2", "--date", "2025-06-01").code
        == 0
    )


def test_prep_markdown_has_every_part(run):
    _journal_for_prep(run)
    r = run("prep", "--drug", "ocrevus")
    assert r.code == 0
    md = r.stdout
    # 6 months after Mon 1 Sep 2025 is Sun 1 Mar 2026; booked on Mon 2 Mar 2026.
    assert "**Target:** Sun 1 Mar 2026" in md and "Mon 2 Mar 2026" in md
    for part in ("## Next infusion", "### Premedication", "## Checklist", "## Questions to ask", "## Tests"):
        assert part in md
    assert "headache" in md and "dizzy spell" not in md  # only reactions since the last visit


def test_prep_html_is_self_contained_owner_only_and_dated(run, tmp_path):
    _journal_for_prep(run)
    out = tmp_path / "sheet.html"
    r = run("prep", "--format", "html", "--out", str(out))
    assert r.code == 0 and str(out) in r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Sun 1 Mar 2026" in page
    for remote in ("<script", "<link", "<img", "@import", "url(", "src=", "href="):
        assert remote not in page
    assert "@media print" in page and "font-size: 20px" in page


def test_prep_without_a_therapy_is_bad_usage_and_writes_nothing(run, tmp_path):
    r = run("prep", "--format", "html", "--out", str(tmp_path / "x.html"))
    assert r.code == 2 and "infuse prep --drug" in r.stderr
    assert not (tmp_path / "x.html").exists()


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_a_real_browser_renders_and_prints_the_sheet(run, tmp_path):
    real_part(_chromium(), "Chromium (Debian package 'chromium')")
    _journal_for_prep(run)
    sheet = tmp_path / "sheet.html"
    assert run("prep", "--format", "html", "--out", str(sheet)).code == 0
    pdf = tmp_path / "sheet.pdf"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    browser = _chromium()
    assert browser is not None
    env = {**os.environ, "HOME": str(tmp_path)}
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", sheet.as_uri()], capture_output=True, text=True, timeout=120, env=env
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Sun 1 Mar 2026" in dom.stdout and "Visit sheet: Ocrevus" in dom.stdout
    printed = subprocess.run(
        [browser, *flags, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", sheet.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert printed.returncode == 0, printed.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 2


# ---------------------------------------------------------------- the content files


def _content() -> dict[str, object]:
    return {kind: prep.load(kind) for kind in ("checklists", "questions", "glossary", "resources")}


def test_every_content_file_validates_and_cites_real_sources():
    therapies = {t.id: t for t in load()}
    for content in _content().values():
        prep.check_refs(content, therapies)


def test_every_number_in_content_has_a_source():
    for kind, content in _content().items():
        for attr in ("items", "questions", "terms", "resources"):
            for entry in getattr(content, attr, ()):
                words = " ".join(
                    str(getattr(entry, f, "")) for f in ("text", "why", "plain", "full", "title")
                )
                if re.search(r"\d", words.replace("COVID-19", "COVID")):
                    assert entry.cites or getattr(entry, "url", ""), (kind, entry)


def test_content_files_are_checked_when_loaded(tmp_path):
    text = (bundled_data_dir() / "checklists.toml").read_text(encoding="utf-8")
    (tmp_path / "checklists.toml").write_text(text.replace('section = "bring"', 'section = "lunch"', 1))
    with pytest.raises(Exception, match="section 'lunch'"):
        prep.load("checklists", tmp_path)


def test_tailoring_lives_in_the_data_not_in_python():
    ids = {t.id for t in load()} | {t.brand.lower() for t in load()}
    for path in sorted(SRC.rglob("*.py")):
        code = path.read_text(encoding="utf-8").lower()
        named = [i for i in ids if re.search(rf"['\"]{re.escape(i)}['\"]", code)]
        assert not named, (path.name, named)


def test_own_questions_travel_in_the_json_export(run, tmp_path):
    assert run("questions", "add", "Can I travel in March?", "--drug", "tysabri").code == 0
    assert run("questions", "--asked", "1", "--answer", "Yes").code == 0
    out = tmp_path / "journal.json"
    assert run("export", "--out", str(out)).code == 0
    saved = json.loads(out.read_text())["questions"]
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", saved[0].pop("id")
    )
    assert saved == [
        {
            "text": "Can I travel in March?",
            "drug": "tysabri",
            "added": "2026-01-05",
            "asked": "2026-01-05",
            "answer": "Yes",
        }
    ]
    other = {"INFUSE_HOME": str(tmp_path / "elsewhere")}
    assert run("import", str(out), env=other).code == 0
    assert run("import", str(out), env=other).code == 0  # twice: still one question
    data = json.loads(run("questions", "--json", env=other).stdout)["mine"]
    assert [(q["text"], q["answer"]) for q in data] == [("Can I travel in March?", "Yes")]


# ---------------------------------------------------------------- from the review


def test_after_the_last_planned_course_nothing_is_prepared_as_if_a_dose_were_due(run):
    # Lemtrada: course 1 of 5 days from Mon 3 Mar 2025, course 2 of 3 days 12 months later.
    env = {"INFUSE_TODAY": "2026-04-01"}
    for day in ("2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07"):
        args = ["log", "add", "--drug", "lemtrada", "--date", day]
        assert run(*args, *(["--first"] if day == "2025-03-03" else []), env=env).code == 0
    for day in ("2026-03-09", "2026-03-10", "2026-03-11"):
        assert run("log", "add", "--drug", "lemtrada", "--date", day, env=env).code == 0
    out = re.sub(r"\s+", " ", run("checklist", env=env).stdout)
    assert "No further infusion is planned" in out and "--first" not in out
    assert "Book the next infusion" not in out
    sheet = run("prep", "--drug", "lemtrada", env=env).stdout
    assert "Not known yet" not in sheet


def test_an_overdue_visit_keeps_its_ticks_from_day_to_day(run):
    assert run("log", "add", "--drug", "ocrevus", "--date", "2025-01-01").code == 0
    assert run("checklist", "-i", input="y\nq\n").code == 0
    for today in ("2026-01-05", "2026-01-06", "2026-02-01"):
        r = run("checklist", env={"INFUSE_TODAY": today})
        assert sum(line.startswith("[x]") for line in r.stdout.splitlines()) == 1, today
        # 6 months after Wed 1 Jan 2025 is Tue 1 Jul 2025.
        assert "Overdue" in r.stdout and "Tue 1 Jul 2025" in r.stdout


def test_a_first_infusion_far_ahead_is_still_the_next_visit(run):
    r = run("prep", "--drug", "ocrevus", "--start", "2027-02-06")
    assert r.code == 0
    assert "**Target:** Sat 6 Feb 2027" in r.stdout and "Not known yet" not in r.stdout
    assert "Referral, prior authorization" in r.stdout  # a first visit's checklist
    r = run("labs", "--drug", "lemtrada", "--start", "2030-01-07")
    # Monthly blood counts from the first dose (Mon 7 Jan 2030): the first on Thu 7 Feb 2030.
    assert re.search(r"Thu 7 Feb 2030 \(in \d+ days\): Complete blood count", r.stdout)


def test_solu_medrol_gets_steroid_advice_and_no_booking(run):
    out = re.sub(r"\s+", " ", run("checklist", "--drug", "solu-medrol").stdout)
    assert "blood sugar" in out and "mood" in out
    assert "Book the next infusion" not in out
    assert "mood or blood sugar" in re.sub(r"\s+", " ", run("questions", "--drug", "solu-medrol").stdout)


def test_marking_a_question_again_keeps_its_answer(run):
    assert run("questions", "add", "Can I travel?").code == 0
    assert run("questions", "--asked", "1", "--answer", "Yes, after March").code == 0
    assert run("questions", "--asked", "1").code == 0
    assert json.loads(run("questions", "--json").stdout)["mine"][0]["answer"] == "Yes, after March"


def test_misplaced_or_empty_options_are_bad_usage(run, home):
    assert run("questions", "--drug", "tysabri", "add", "Q1").code == 2
    assert run("questions", "--asked", "1", "add", "Q2").code == 2
    assert run("checklist", "--drug", "tysabri", "-i", "--json").code == 2
    assert run("checklist", "--drug", "").code == 2
    assert run("questions", "--drug", " ").code == 2
    assert run("resources", "--topic", "").code == 2
    assert run("checklist", "--format", "").code == 2
    assert run("checklist", "--drug", "tysabri", "--reset").code == 0
    assert not (home / "data").exists()  # nothing to forget: nothing written


def test_markdown_keeps_typed_lines_inside_their_item(run):
    assert run("questions", "add", "a\n---\n1. b &copy;").code == 0
    md = run("questions", "--format", "md").stdout
    assert "- #1 a  \n  \\---  \n  1\\. b \\&copy;" in md.replace("\\#1", "#1")


def test_a_short_word_is_not_guessed(run):
    r = run("glossary", "ms")
    assert r.code == 1 and "no entry" in r.stderr


def test_prep_takes_the_format_from_the_file_name(run, tmp_path):
    _journal_for_prep(run)
    page, text, other = tmp_path / "sheet.html", tmp_path / "sheet.txt", tmp_path / "sheet.md"
    for path in (page, text, other):
        assert run("prep", "--out", str(path)).code == 0
    assert page.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert "<" not in text.read_text(encoding="utf-8") and "# " not in text.read_text(encoding="utf-8")
    assert other.read_text(encoding="utf-8").startswith("# ")
    # An explicit --format wins over the name.
    assert run("prep", "--format", "md", "--out", str(page)).code == 0
    assert page.read_text(encoding="utf-8").startswith("# ")


def test_marking_a_question_asked_answers_in_json_too(run):
    assert run("questions", "add", "Can I travel in March?").code == 0
    r = run("questions", "--asked", "1", "--answer", "Yes, with a letter", "--json")
    assert r.code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["id"] == 1 and data["answer"] == "Yes, with a letter" and data["asked"]
    assert "marked as asked" in r.stderr
