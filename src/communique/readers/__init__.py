"""Readers: one per source format, each turning bytes into a `Document`.

Registered in one table by file suffix, as pandoc does; a reader decides
what the text *is*, never how it looks.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from communique.errors import CommuniqueError

if TYPE_CHECKING:  # the model is loaded by the reader, not by `--help`
    from communique.model import Document

Reader: TypeAlias = "Callable[[bytes, str], Document]"

# Suffix → the reader module (in this package) whose `read` takes the file.
# Modules are imported on first use: a text build need not load python-docx,
# pikepdf or markdown-it.
READERS: dict[str, str] = {
    ".txt": "plaintext",
    ".text": "plaintext",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "jsonfile",
    ".docx": "docxfile",
    ".pdf": "pdffile",
}
DEFAULT_READER = "plaintext"


def reader_for(path: Path) -> Reader:
    """The reader a file's suffix names; plain text when the suffix is unknown."""
    module = importlib.import_module(f"{__name__}.{READERS.get(path.suffix.lower(), DEFAULT_READER)}")
    reader: Reader = module.read
    return reader


MAX_INPUT_BYTES = 20 * 1024 * 1024


def read(path: Path, *, max_bytes: int = MAX_INPUT_BYTES, tracked_changes: str = "accept") -> Document:
    """Read a source file with the reader its suffix names (plain text when
    the suffix is unknown); errors name the file. `tracked_changes`
    ("accept" or "refuse") is for Word files."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise CommuniqueError(
                f"the file is {size:,} bytes, over the limit of {max_bytes:,} (raise it with --max-bytes)"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise CommuniqueError("no such file", file=str(path)) from None
    except IsADirectoryError:
        raise CommuniqueError("this is a folder, not a file", file=str(path)) from None
    except PermissionError:
        raise CommuniqueError("permission denied", file=str(path)) from None
    except CommuniqueError as err:
        raise err.located(str(path)) from None
    reader = reader_for(path)
    try:
        if tracked_changes != "accept" and READERS.get(path.suffix.lower()) == "docxfile":
            from communique.readers import docxfile

            return docxfile.read(data, str(path), tracked_changes=tracked_changes)
        return reader(data, str(path))
    except CommuniqueError as err:
        raise err.located(str(path)) from None
