"""The per-user cache folder: what a fresh process would otherwise work out
again (compiled templates, parsed fonts, YAML tables, lexicons, the
month-name table), kept between runs.

`$COMMUNIQUE_CACHE_DIR` names it (empty: no cache), else
`$XDG_CACHE_HOME/communique` or `~/.cache/communique`. Every entry is keyed
so that it serves only the inputs it was made from; a cache that cannot be
made or written is simply not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def folder(name: str) -> Path | None:
    """The cache's subfolder `name`, made if need be; None when there is no
    cache or it cannot be made."""
    root = os.environ.get("COMMUNIQUE_CACHE_DIR")
    if root is None:
        root = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "communique")
    if not root:
        return None
    path = Path(root) / name
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return path


def read_json(path: Path) -> Any:
    """The JSON data kept at `path`, or None if there is none or it is unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Keep `data` at `path`, written whole or not at all (another process
    may read it at the same moment)."""
    write_bytes(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def remembered(name: str, source: bytes, make: Callable[[], T]) -> T:
    """What `make()` gives for `source`, kept under the cache's subfolder
    `name` by a hash of `source`: a later process reads it back instead of
    working it out again. Plain data only (what `marshal` writes: dicts,
    lists, tuples, strings, numbers); anything else is made every time."""
    folder_ = folder(name)
    if folder_ is None:
        return make()
    entry = folder_ / f"{hashlib.sha1(source).hexdigest()}.marshal"
    try:
        return marshal.loads(entry.read_bytes())  # type: ignore[no-any-return]
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = make()
    try:
        data = marshal.dumps(value)  # type: ignore[arg-type]
    except ValueError:  # not plain data (a date in a YAML file, say)
        return value
    write_bytes(entry, data)
    return value


def write_bytes(path: Path, data: bytes) -> None:
    """Keep `data` at `path`, written whole or not at all (another process
    may read it at the same moment)."""
    with contextlib.suppress(OSError):
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, suffix=".tmp", delete=False) as out:
            out.write(data)
        try:
            os.replace(out.name, path)
        except OSError:
            os.unlink(out.name)
