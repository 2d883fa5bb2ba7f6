"""Calendar export: read back with an independent parser and a real calendar client."""

from __future__ import annotations

import stat
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "trialmab.toml"


def parse_ics(text: str) -> list[dict[str, list[tuple[str, str]]]]:
    """A small RFC 5545 reader, independent of the library that wrote the file:
    unfold lines, then collect each VEVENT's properties (name;params -> value)."""
    assert "\r\n" in text, "RFC 5545 lines end in CRLF"
    unfolded: list[str] = []
    for line in text.split("\r\n"):
        if line[:1] in (" ", "\t") and unfolded:
            unfolded[-1] += line[1:]
        elif line:
            unfolded.append(line)
    events: list[dict[str, list[tuple[str, str]]]] = []
    stack: list[str] = []
    for line in unfolded:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif name == "END":
            assert stack.pop() == value
        elif stack and stack[-1] == "VEVENT":
            key, _, params = name.partition(";")
            events[-1].setdefault(key, []).append((params, value))
        elif stack and stack[-1] == "VALARM":
            events[-1].setdefault("VALARM-" + name, []).append(("", value))
    assert not stack
    return events


def unescape(value: str) -> str:
    return (
        value.replace("\\n", "\n")
        .replace("\\N", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
    )


def export(run, path: Path, *args: str) -> list[dict[str, list[tuple[str, str]]]]:
    r = run("next", "--drug", "ocrevus", "--start", "2026-01-05", "--ics", str(path), *args)
    assert r.code == 0, r
    return parse_ics(path.read_bytes().decode("utf-8"))


def test_infusions_are_all_day_events_on_the_booking_days(run, tmp_path: Path) -> None:
    events = export(run, tmp_path / "o.ics")
    starts = [(e["DTSTART"][0]) for e in events]
    # 19 Jan 2026 (a Monday), 6 Jul 2026 (5 Jul is a Sunday), 5 Jan 2027 (a Tuesday).
    assert starts == [("VALUE=DATE", "20260119"), ("VALUE=DATE", "20260706"), ("VALUE=DATE", "20270105")]
    july = unescape(events[1]["DESCRIPTION"][0][1])
    assert "600 mg" in july
    assert "Sun 5 Jul 2026" in july  # the label's date, named when the booking differs
    assert "At the clinic: about" in july
    assert "Bring: Photo ID and your insurance card" in july
    assert events[1]["VALARM-TRIGGER"][0][1] == "-P7D"


def test_the_alarm_follows_remind_days(run, tmp_path: Path) -> None:
    events = export(run, tmp_path / "o.ics", "--remind-days", "2")
    assert {e["VALARM-TRIGGER"][0][1] for e in events} == {"-P2D"}


def test_uids_are_stable_across_exports(run, tmp_path: Path) -> None:
    first = export(run, tmp_path / "a.ics", "--all")
    second = export(run, tmp_path / "b.ics", "--all")
    uids = [e["UID"][0][1] for e in first]
    assert uids == [e["UID"][0][1] for e in second]
    assert len(set(uids)) == len(uids)


def test_all_adds_monitoring_and_reminders(run, tmp_path: Path) -> None:
    events = export(run, tmp_path / "o.ics", "--all")
    cats = {e["CATEGORIES"][0][1] for e in events}
    assert "infuse,infusion" in cats and any("monitoring" in c or "reminder" in c for c in cats)


def test_the_calendar_file_is_owner_only(run, tmp_path: Path) -> None:
    path = tmp_path / "o.ics"
    export(run, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_text_cannot_break_out_of_a_property(run, tmp_path: Path, home: Path) -> None:
    user = home / "config" / "therapies"
    user.mkdir(parents=True)
    text = FIXTURE.read_text(encoding="utf-8").replace(
        'brand = "Trialmab"', 'brand = "Trial,mab\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:injected"'
    )
    (user / "trialmab.toml").write_text(text, encoding="utf-8")
    path = tmp_path / "t.ics"
    r = run("next", "--drug", "trialmab", "--start", "2026-01-05", "--ics", str(path))
    assert r.code == 1 and "control character" in r.stderr  # refused before any calendar
    assert not path.exists()
    text = FIXTURE.read_text(encoding="utf-8").replace(
        'brand = "Trialmab"', 'brand = "Trial,mab;END:VEVENT BEGIN:VEVENT SUMMARY:injected"'
    )
    (user / "trialmab.toml").write_text(text, encoding="utf-8")
    r = run("next", "--drug", "trialmab", "--start", "2026-01-05", "--ics", str(path))
    assert r.code == 0, r
    events = parse_ics(path.read_bytes().decode("utf-8"))
    assert len(events) == 3
    summary = unescape(events[0]["SUMMARY"][0][1])
    assert summary.startswith("Trial,mab;END:VEVENT BEGIN:VEVENT SUMMARY:injected infusion")


def test_an_unwritable_place_is_a_clear_error(run, tmp_path: Path) -> None:
    r = run("next", "--drug", "ocrevus", "--ics", str(tmp_path / "missing" / "o.ics"))
    assert r.code == 1 and "does not exist" in r.stderr
    r = run("next", "--drug", "ocrevus", "--ics", str(tmp_path))
    assert r.code == 2 and r.stderr.startswith("Error:") and "directory" in r.stderr


def test_khal_imports_the_right_days_and_a_second_import_adds_no_duplicates(
    run, tmp_path: Path, khal
) -> None:
    ics = tmp_path / "o.ics"
    export(run, ics, "--all")
    khal("import", "--batch", str(ics))
    first = khal("list", "--format", "{start-date} {title}", "--day-format", "", "2026-01-01", "800d")
    export(run, ics, "--all")
    khal("import", "--batch", str(ics))
    second = khal("list", "--format", "{start-date} {title}", "--day-format", "", "2026-01-01", "800d")
    lines = [line for line in second.splitlines() if line.strip()]
    assert lines == [line for line in first.splitlines() if line.strip()]
    assert len(lines) == len(set(lines))
    assert "2026-07-06 Ocrevus infusion: later doses (600 mg)" in lines
    assert "2026-01-19 Ocrevus infusion: first dose, infusion 2 of 2 (300 mg)" in lines
