"""Sources and outputs at fsspec URLs (`s3://bucket/archive`, `file:///srv/site`,
`memory://…`), for a batch whose workers share no folder with the client.

A worker copies the source into a temporary folder, builds it there as a
local file (`publish.build`: the same bytes as a local build), then puts
each output at the output URL under a temporary name and moves it into
place, so a reader of the output never sees half a file; the previous
build's outputs are copied aside until all have moved, so a failed move
puts them back (on an object store a move is a copy: a process killed
midway may leave a `.part` or `.previous` object behind).
Errors and warnings name the URL, never the temporary copy. fsspec comes
with `communique[dask]`; a store's own package (s3fs, gcsfs, adlfs) and its
credentials are needed wherever documents are published.
"""

from __future__ import annotations

import importlib
import logging
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from communique.errors import CommuniqueError
from communique.publish import Options, build

log = logging.getLogger("communique")


def is_url(location: object) -> bool:
    """Whether a source or output is a URL (has a `scheme://`), not a local path."""
    return isinstance(location, str) and "://" in location


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec file system of a URL and the path in it."""
    try:
        fsspec: Any = importlib.import_module("fsspec")  # the optional extra, untyped
    except ImportError:
        raise CommuniqueError("sources and outputs at URLs need fsspec: pip install 'communique[dask]'") from None
    try:
        fs, path = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as err:
        raise CommuniqueError(f"{url}: {err}") from None
    return fs, str(path)


def join(url: str, *parts: str) -> str:
    """A URL with path parts added."""
    return "/".join([url.rstrip("/"), *parts])


def name(url: str) -> str:
    """The file name a URL ends with."""
    return PurePosixPath(filesystem(url)[1]).name


def collect(given: str, out: str, suffixes: Collection[str]) -> list[tuple[str, str]]:
    """(source URL, output folder URL) for a file URL, or for each source in
    a folder URL (by suffix; hidden names and the output folder skipped),
    its output folder mirroring the tree under `out`."""
    fs, root = filesystem(given)
    if not fs.isdir(root):
        return [(given, out)]
    root = root.rstrip("/")
    out_fs, out_path = filesystem(out)
    inside_out = join(out_fs.unstrip_protocol(out_path), "")
    found = []
    for path in sorted(fs.find(root)):
        parts = path[len(root) + 1 :].split("/")
        url = fs.unstrip_protocol(path)
        hidden = any(part.startswith(".") for part in parts)
        if hidden or url.startswith(inside_out) or PurePosixPath(path).suffix.lower() not in suffixes:
            continue
        found.append((url, join(out, *parts[:-1])))
    return found


def targets(source: str, out: str, formats: Collection[str]) -> list[str]:
    """The output URLs of a source."""
    stem = PurePosixPath(name(source)).stem
    return [join(out, f"{stem}.{fmt}") for fmt in formats]


def modified_ns(url: str) -> int:
    """When the file at a URL last changed, in ns since the epoch (OSError
    when it is missing or the store cannot say)."""
    fs, path = filesystem(url)
    try:
        return int(fs.modified(path).timestamp() * 1e9)
    except (FileNotFoundError, NotImplementedError) as err:
        raise OSError(str(err)) from None


def build_url(source: str, out: str, options: Options) -> tuple[list[str], int | None]:
    """Publish the source at a URL into the folder at `out`: the URLs
    written and the PDF's page count."""
    fs, path = filesystem(source)
    with tempfile.TemporaryDirectory(prefix="communique-") as folder:
        local = Path(folder) / PurePosixPath(path).name
        try:
            size = fs.size(path)
            if size is not None and size > options.max_bytes:
                raise CommuniqueError(
                    f"the file is {size:,} bytes, over the limit of {options.max_bytes:,} (raise it with --max-bytes)",
                    file=source,
                )
            fs.get_file(path, str(local))
        except FileNotFoundError:
            raise CommuniqueError("no such file", file=source) from None
        with _named_as(str(local), source):
            try:
                built = build(local, Path(folder) / "out", options)
            except CommuniqueError as err:
                if err.file not in (None, str(local)):
                    raise
                raise CommuniqueError(err.message.replace(str(local), source), file=source, line=err.line) from None
        written = targets(source, out, options.formats)
        _put_together(dict(zip(built.files, written, strict=True)))
    return written, built.pages


def _put_together(files: dict[Path, str]) -> None:
    """Put local files at their URLs, all or none: each under a temporary
    name first, the previous build's files copied aside, then moved into
    place; a move that fails puts back what the URLs held before (the
    previous build's file, or nothing), as `publish.write_together` does."""
    parts: dict[str, str] = {}
    previous: dict[str, str] = {}  # URL → a copy of the previous build's file
    moved: list[str] = []
    try:
        for local, url in files.items():
            fs, path = filesystem(url)
            fs.makedirs(_parent(path), exist_ok=True)
            parts[url] = _beside(path, "part")
            fs.put_file(str(local), parts[url])
        for url in files.values():
            fs, path = filesystem(url)
            if fs.exists(path):
                fs.copy(path, _beside(path, "previous"))
                previous[url] = _beside(path, "previous")
        for url, part in parts.items():
            fs, path = filesystem(url)
            fs.mv(part, path)
            moved.append(url)
    except OSError as err:
        for url in moved:
            fs, path = filesystem(url)
            if url in previous:
                fs.mv(previous.pop(url), path)
            else:
                fs.rm(path)
        raise CommuniqueError(f"cannot write output: {err}", file=next(iter(files.values()))) from None
    finally:
        for url, leftover in [*parts.items(), *previous.items()]:
            fs = filesystem(url)[0]
            if fs.exists(leftover):
                fs.rm(leftover)


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _beside(path: str, kind: str) -> str:
    """A hidden name beside `path` for its temporary (`part`) or previous
    (`previous`) file."""
    file_name = path.rsplit("/", 1)[-1]
    return f"{_parent(path)}/.{file_name}.{kind}"


@contextmanager
def _named_as(local: str, url: str) -> Iterator[None]:
    """Meanwhile, what Communique logs names the URL, not the local copy."""

    class Rename(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            message = record.getMessage()
            if local in message:
                record.msg, record.args = message.replace(local, url), ()
            return True

    rename = Rename()
    log.addFilter(rename)
    try:
        yield
    finally:
        log.removeFilter(rename)
