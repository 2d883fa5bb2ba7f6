"""Name lookup: brand, generic, alias, any case, ® and suffixes; typos; ambiguity."""

from __future__ import annotations

import pytest

from infuse_cli.core import catalogue
from infuse_cli.core.errors import AmbiguousTherapy, UnknownTherapy


@pytest.fixture(scope="module")
def cat() -> catalogue.Catalogue:
    return catalogue.load()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ocrevus", "ocrevus"),
        ("OCREVUS", "ocrevus"),
        ("Ocrevus®", "ocrevus"),
        ("ocrelizumab", "ocrevus"),
        ("Ocrevus Zunovo", "ocrevus-zunovo"),
        ("briumvi", "briumvi"),
        ("ublituximab", "briumvi"),
        ("ublituximab-xiiy", "briumvi"),
        ("Ublituximab XIIY", "briumvi"),
        ("natalizumab-sztn", "tyruko"),
        ("Tysabri", "tysabri"),
        ("alemtuzumab", "lemtrada"),
        ("novantrone", "mitoxantrone"),
        ("solumedrol", "solu-medrol"),
        ("Solu-Medrol", "solu-medrol"),
        ("methylprednisolone", "solu-medrol"),
        ("rituxan", "rituximab"),
        ("  tysabri  ", "tysabri"),
    ],
)
def test_names_people_type_find_the_therapy(cat: catalogue.Catalogue, name: str, expected: str) -> None:
    assert cat.find(name).id == expected


def test_a_name_that_fits_two_therapies_lists_both(cat: catalogue.Catalogue) -> None:
    with pytest.raises(AmbiguousTherapy) as err:
        cat.find("natalizumab")
    message = str(err.value)
    assert "Tysabri" in message and "Tyruko" in message
    assert err.value.exit_code == 1


def test_a_typo_suggests_the_therapy(cat: catalogue.Catalogue) -> None:
    with pytest.raises(UnknownTherapy) as err:
        cat.find("ocrevsu")
    assert "Did you mean Ocrevus" in str(err.value)


def test_a_name_far_from_any_therapy_points_to_the_list(cat: catalogue.Catalogue) -> None:
    with pytest.raises(UnknownTherapy) as err:
        cat.find("zzzzqqq")
    assert "Did you mean" not in str(err.value)
    assert "infuse drugs" in str(err.value)


def test_control_characters_in_a_name_are_not_echoed(cat: catalogue.Catalogue) -> None:
    with pytest.raises(UnknownTherapy) as err:
        cat.find("oc\x1b[31mrevus")
    assert "\x1b" not in str(err.value)
