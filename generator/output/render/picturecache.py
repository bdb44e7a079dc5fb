"""The picture cache: chart PNGs by key, each file written whole and renamed into place,
and the keys each deck file's last build used."""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from collections.abc import Sequence
from pathlib import Path

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PNG_END = b"IEND\xaeB`\x82"


def read(cache_dir: Path | None, key: str, size: tuple[int, int]) -> bytes | None:
    """The cached picture of `key`, if it is a whole PNG of `size` pixels."""
    if cache_dir is None:
        return None
    try:
        data = (cache_dir / f"{key}.png").read_bytes()
    except OSError:
        return None
    return data if png_size(data) == size and data.endswith(PNG_END) else None


def store(cache_dir: Path | None, name: str, content: bytes) -> None:
    """Write a cache file atomically (temporary file, then rename)."""
    if cache_dir is None:
        return
    target = cache_dir / name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".part",
                                         delete=False) as tmp:
            tmp.write(content)
        os.replace(tmp.name, target)
    except OSError:
        pass  # a cache that cannot be written only costs time on the next build


def remember(cache_dir: Path | None, name: str, keys: Sequence[str]) -> None:
    """Record the charts (their keys) a build of `name` (a deck file) used."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    content = "\n".join(keys).encode("ascii")
    if cache_dir is not None:
        try:
            if (cache_dir / "decks" / digest).read_bytes() == content:
                return  # as the last build of it left it: a rebuild rewrites nothing
        except OSError:
            pass
    store(cache_dir, f"decks/{digest}", content)


def remembers(cache_dir: Path | None, name: str) -> bool | None:
    """Whether the last build of `name` used only charts the cache still holds; None
    when no build of it is known."""
    if cache_dir is None:
        return None
    digest = hashlib.sha256(name.encode()).hexdigest()
    try:
        keys = (cache_dir / "decks" / digest).read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return None
    return all((cache_dir / f"{key}.png").is_file() for key in keys)


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's header, or None if it is not a PNG."""
    if len(data) < 24 or not data.startswith(PNG_MAGIC):
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height
