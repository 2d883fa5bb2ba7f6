"""A cache of the validated catalogue, so start-up does not parse TOML every time.

Parsing the therapy files takes longer than the rest of a command together;
decoding the cached, already-validated records takes a fraction of a
millisecond.  The cache is keyed on every file's path, size and modification
time and on infuse's version, so an edited or added file is read afresh.  It
lives in the cache folder (``INFUSE_HOME/cache`` or the platform's user cache
folder), holds no personal data, and may be deleted at any time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from infuse_cli import __version__, paths
from infuse_cli.core import catalogue as cat
from infuse_cli.core.schema import Therapy


class _Cached(msgspec.Struct):
    key: list[tuple[str, int, int]]
    version: str
    therapies: list[Therapy]
    local: list[str]


def _key(files: list[Path]) -> list[tuple[str, int, int]]:
    out = []
    for f in files:
        st = f.stat()
        out.append((str(f), st.st_size, st.st_mtime_ns))
    return out


def load_catalogue() -> cat.Catalogue:
    user_dir = paths.user_therapies_dir()
    files = cat.sources(user_dir=user_dir)
    key = _key(files)
    path = paths.cache_dir() / "catalogue.msgpack"
    try:
        cached = msgspec.msgpack.decode(path.read_bytes(), type=_Cached)
        if cached.key == key and cached.version == __version__:
            return cat.Catalogue(cached.therapies, cached.local)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        pass
    loaded = cat.load(user_dir=user_dir)
    _write(path, _Cached(key, __version__, list(loaded), sorted(loaded.local)))
    return loaded


def load_content(kind: str) -> Any:
    """A visit-preparation content file (checklists, questions, glossary, resources),
    decoded and checked once, then read from the cache like the catalogue."""
    from infuse_cli.core import prep

    source = cat.bundled_data_dir() / f"{kind}.toml"
    key = _key([source])
    record: Any = prep.content_type(kind)
    typed: Any = tuple[list[tuple[str, int, int]], str, record]
    path = paths.cache_dir() / f"{kind}.msgpack"
    try:
        found_key, version, content = msgspec.msgpack.decode(path.read_bytes(), type=typed)
        if found_key == key and version == __version__:
            return content
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        pass
    content = prep.load(kind)  # type: ignore[arg-type]
    _write(path, (key, __version__, content))
    return content


def _write(path: Path, record: object) -> None:
    """Best effort: a cache that cannot be written is simply not used."""
    from infuse_cli.core.errors import InfuseError

    try:
        paths.ensure_private_dir(path.parent)
        paths.write_private(path, msgspec.msgpack.encode(record), path.name)
    except (OSError, InfuseError):
        pass
