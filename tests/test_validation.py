"""A broken or incomplete therapy file gives one clear error: file, field, expectation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from infuse_cli.core import catalogue
from infuse_cli.core.errors import DataError

FIXTURE = Path(__file__).parent / "fixtures" / "trialmab.toml"


def write(tmp_path: Path, text: str, name: str = "trialmab.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    return write(tmp_path, text.replace(old, new, 1))


def error_for(path: Path) -> str:
    with pytest.raises(DataError) as err:
        catalogue.load_file(path)
    message = str(err.value)
    assert str(path) in message
    assert "\n" not in message
    return message


def test_the_fixture_itself_is_valid() -> None:
    assert catalogue.load_file(FIXTURE).brand == "Trialmab"


def test_not_toml_names_the_line(tmp_path: Path) -> None:
    message = error_for(broken(tmp_path, 'brand = "Trialmab"', "brand = Trialmab"))
    assert "not valid TOML" in message and "line" in message


def test_a_missing_field_is_named(tmp_path: Path) -> None:
    message = error_for(broken(tmp_path, 'maker = "A trial sponsor"\n', ""))
    assert "the field 'maker' is missing" in message


def test_a_missing_nested_field_gives_its_path(tmp_path: Path) -> None:
    message = error_for(broken(tmp_path, 'shape = "interval"\n', ""))
    assert "'regimen.shape' is missing" in message


def test_a_wrong_type_says_what_was_expected(tmp_path: Path) -> None:
    message = error_for(broken(tmp_path, "every = { n = 8,", 'every = { n = "eight",'))
    assert "regimen.phases[0].every.n" in message
    assert "should be a whole number, not text" in message


def test_a_value_outside_the_allowed_set_lists_the_choices(tmp_path: Path) -> None:
    message = error_for(broken(tmp_path, 'unit = "weeks" }', 'unit = "fortnights" }'))
    assert "regimen.phases[0].every.unit" in message
    assert "'days', 'months', 'weeks'" in message


def test_an_unknown_ms_form_is_refused(tmp_path: Path) -> None:
    message = error_for(broken(tmp_path, 'approved_for = ["RRMS"]', 'approved_for = ["XMS"]'))
    assert "approved_for[0]" in message and "'PPMS'" in message


def test_a_typo_in_a_field_name_is_caught(tmp_path: Path) -> None:
    message = error_for(broken(tmp_path, "observation_minutes", "observaton_minutes"))
    assert "'timing[0].observaton_minutes' is not one infuse knows" in message


def test_a_source_that_is_not_listed_is_caught(tmp_path: Path) -> None:
    path = broken(tmp_path, 'source = "protocol"\nref = "§3"', 'source = "nowhere"\nref = "§3"')
    message = error_for(path)
    assert "timing[0].source" in message and "'nowhere'" in message


def test_the_id_must_match_the_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, FIXTURE.read_text(encoding="utf-8"), "other.toml")
    message = error_for(path)
    assert "'id'" in message and "other.toml" in message


def test_a_phase_needs_doses_or_a_course(tmp_path: Path) -> None:
    path = broken(tmp_path, 'doses = [ { at = { n = 0, unit = "days" }, amount = 100 } ]\n', "")
    assert "needs either 'doses' or 'course_days'" in error_for(path)


def test_a_repeating_phase_says_how_often(tmp_path: Path) -> None:
    path = broken(tmp_path, 'every = { n = 8, unit = "weeks" }\n', "")
    assert "regimen.phases[0].every" in error_for(path)


def test_a_local_therapy_is_added_and_marked_local(tmp_path: Path) -> None:
    user = tmp_path / "therapies"
    user.mkdir()
    shutil.copy(FIXTURE, user / "trialmab.toml")
    cat = catalogue.load(user_dir=user)
    t = cat.find("tmb-1")
    assert cat.is_local(t)
    assert not cat.is_local(cat.find("ocrevus"))


def test_a_local_file_overrides_a_bundled_one(tmp_path: Path) -> None:
    user = tmp_path / "therapies"
    user.mkdir()
    text = FIXTURE.read_text(encoding="utf-8").replace('id = "trialmab"', 'id = "tysabri"')
    text = text.replace('brand = "Trialmab"', 'brand = "Tysabri (clinic protocol)"')
    (user / "tysabri.toml").write_text(text, encoding="utf-8")
    cat = catalogue.load(user_dir=user)
    assert cat.find("tysabri").brand == "Tysabri (clinic protocol)"
    assert cat.is_local(cat.find("tysabri"))


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('every = { n = 8, unit = "weeks" }', 'every = { n = 0, unit = "weeks" }', "regimen.phases[0].every"),
        ("amount = 100 }", "amount = nan }", "regimen.phases[0].doses[0].amount"),
        ("amount = 100 }", "amount = inf }", "regimen.phases[0].doses[0].amount"),
        ("amount = 100 }", "amount = -5 }", "regimen.phases[0].doses[0].amount"),
        (
            'every = { n = 8, unit = "weeks" }',
            'every = { n = 99999999, unit = "days" }',
            "regimen.phases[0].every",
        ),
        ('name = "dose"', 'name = "dose\\u001b[31m"', "regimen.phases[0].name"),
    ],
)
def test_numbers_out_of_bounds_and_control_characters_are_refused(tmp_path: Path, old, new, field) -> None:
    # A local file is validated like a bundled one: no value can make the engine loop forever,
    # run out of memory, or write escapes to a terminal or a calendar.
    message = error_for(broken(tmp_path, old, new))
    assert f"the field '{field}'" in message


def test_a_course_of_ten_billion_days_is_refused(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        'doses = [ { at = { n = 0, unit = "days" }, amount = 100 } ]',
        "course_days = 10000000000\namount = 100",
    )
    message = error_for(write(tmp_path, text))
    assert "course_days" in message
