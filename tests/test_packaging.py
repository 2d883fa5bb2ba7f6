"""data/ reaches both a built wheel and an editable (source) install."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_every_data_file(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    from hatchling.builders.wheel import WheelBuilder

    builder = WheelBuilder(str(ROOT))
    wheel = Path(next(iter(builder.build(directory=str(tmp_path), versions=["standard"]))))
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "data").rglob("*.toml"):
        rel = path.relative_to(ROOT / "data").as_posix()
        assert f"infuse_cli/data/{rel}" in names, rel
    assert "infuse_cli/cli/app.py" in names
    assert any(n.endswith(".data/data/share/man/man1/infuse.1") for n in names)  # `man infuse`


def test_a_source_checkout_finds_the_repository_data() -> None:
    from infuse_cli.core.catalogue import bundled_data_dir

    found = bundled_data_dir()
    assert (found / "therapies" / "ocrevus.toml").is_file()


def test_python_dash_m_runs_the_app(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "INFUSE_HOME": str(tmp_path), "NO_COLOR": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "infuse_cli", "--version"], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.returncode == 0 and out.stdout.startswith("infuse ")


def test_version_matches_the_package_metadata() -> None:
    from importlib.metadata import version

    import infuse_cli

    assert version("infuse-cli") == infuse_cli.__version__


def test_a_plain_read_loads_only_what_it_needs(home: Path) -> None:
    """Start-up is what a user feels: a plain `next` loads no rich (colour), no sqlite3 (no
    journal asked for) and none of typing_extensions (msgspec takes typing's own names), and
    --version loads no msgspec either. What a module costs to import is measured by bench/."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, INFUSE_HOME=str(home), INFUSE_TODAY="2026-06-01")
    probe = (
        "import sys; sys.argv = ['infuse', *sys.argv[1:]]\n"
        "from infuse_cli.entry import main\n"
        "import atexit\n"
        "atexit.register(lambda: sys.stderr.write('LOADED ' + ' '.join(sys.modules) + '\\n'))\n"
        "main()\n"
    )

    def loaded(*args: str) -> set[str]:
        r = subprocess.run([sys.executable, "-c", probe, *args], env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return set(r.stderr.split("LOADED ", 1)[1].split())

    plain = loaded("next", "--drug", "ocrevus", "--last", "2026-05-12", "--plain")
    assert "msgspec" in plain  # it did read the catalogue
    assert not {"rich", "sqlite3", "typing_extensions", "icalendar"} & plain
    assert not {"msgspec", "rich", "sqlite3"} & loaded("--version")
