"""Personal files are the owner's alone; read-only commands create nothing personal."""

from __future__ import annotations

import stat
from pathlib import Path

from infuse_cli import paths


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_every_folder_infuse_creates_is_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c"
    paths.ensure_private_dir(target)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", target):
        assert mode(folder) == 0o700


def test_an_existing_parent_is_left_alone(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    paths.ensure_private_dir(tmp_path / "x")
    assert mode(tmp_path) == 0o755 and mode(tmp_path / "x") == 0o700


def test_infuse_home_holds_everything(home: Path) -> None:
    assert paths.data_dir() == home / "data"
    assert paths.config_dir() == home / "config"
    assert paths.cache_dir() == home / "cache"


def test_read_only_commands_write_nothing_personal(run, home: Path) -> None:
    for args in (
        ["drugs"],
        ["info", "ocrevus"],
        ["compare", "tysabri", "briumvi"],
        ["next", "--drug", "ocrevus"],
        ["plan", "--drug", "ocrevus"],
    ):
        assert run(*args).code == 0
    assert not (home / "data").exists() and not (home / "config").exists()
    # Only the catalogue cache, owner-only.
    assert mode(home) == 0o700 and mode(home / "cache") == 0o700
    cached = home / "cache" / "catalogue.msgpack"
    assert mode(cached) == 0o600
