"""The bundled catalogue: every file validates and every number has a source."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from infuse_cli.core import catalogue

DATA = catalogue.bundled_data_dir()
FILES = sorted((DATA / "therapies").glob("*.toml"))

# Keys whose values are identifiers, addresses, dates or names, not medical facts.
NOT_FACTS = {
    "id",
    "url",
    "label_revised",
    "reviewed",
    "accessed",
    "source",
    "ref",
    "title",
    "brand",
    "generic",
    "aliases",
    "maker",
    "drug_class",
    "target",
    "setting",
    "supports",
}

REQUIRED = {
    "ocrevus",
    "ocrevus-zunovo",
    "briumvi",
    "tysabri",
    "tyruko",
    "lemtrada",
    "mitoxantrone",
    "solu-medrol",
    "rituximab",
}


def test_the_catalogue_has_every_required_therapy() -> None:
    ids = {t.id for t in catalogue.load()}
    assert ids >= REQUIRED


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_file_validates(path: Path) -> None:
    therapy = catalogue.load_file(path)
    assert therapy.id == path.stem
    assert therapy.sources and therapy.reviewed


def _unsourced(node: Any, where: str, sourced: bool, out: list[str]) -> None:
    if isinstance(node, dict):
        sourced = sourced or bool(node.get("source"))
        for key, value in node.items():
            if key not in NOT_FACTS:
                _unsourced(value, f"{where}.{key}", sourced, out)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _unsourced(value, f"{where}[{i}]", sourced, out)
    elif isinstance(node, bool):
        return
    elif (isinstance(node, int | float) or (isinstance(node, str) and re.search(r"\d", node))) and (
        not sourced
    ):
        out.append(f"{where} = {node!r}")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_number_has_a_source(path: Path) -> None:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    for key, value in raw.items():
        if key in NOT_FACTS or key in ("sources", "summary"):
            continue
        _unsourced(value, key, False, problems)
    assert problems == [], f"{path.name}: numbers without a source: {problems}"


def test_the_source_check_itself_catches_a_bare_number() -> None:
    problems: list[str] = []
    _unsourced({"regimen": {"every": {"n": 6, "unit": "months"}}}, "", False, problems)
    assert problems == [".regimen.every.n = 6"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_sources_are_labels_or_pages_with_dates(path: Path) -> None:
    therapy = catalogue.load_file(path)
    for s in therapy.sources:
        assert s.url.startswith("https://"), s.url
        assert s.supports.strip(), s.id
        if s.label_revised:
            assert re.fullmatch(r"\d{4}-\d{2}", s.label_revised), s.label_revised


def _sourced_numbers(node: Any, sourced: bool, out: set[str]) -> None:
    if isinstance(node, dict):
        sourced = sourced or bool(node.get("source"))
        for key, value in node.items():
            if key not in ("source", "ref"):
                _sourced_numbers(value, sourced, out)
    elif isinstance(node, list):
        for value in node:
            _sourced_numbers(value, sourced, out)
    elif sourced and not isinstance(node, bool) and isinstance(node, int | float | str):
        out.update(re.findall(r"\d+", str(node)))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_summary_numbers_appear_in_sourced_facts(path: Path) -> None:
    # The one-line summary may repeat numbers; each must stand in a sourced record too.
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    sourced: set[str] = set()
    _sourced_numbers(raw, False, sourced)
    missing = set(re.findall(r"\d+", raw["summary"])) - sourced
    assert not missing, f"{path.name}: summary numbers without a source: {missing}"
