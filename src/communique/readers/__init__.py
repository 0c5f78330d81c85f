"""Readers: one per source format, each turning bytes into a `Document`.

Registered in one table by file suffix, as pandoc does; a reader decides
what the text *is*, never how it looks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from communique.errors import CommuniqueError
from communique.model import Document
from communique.readers import docxfile, jsonfile, markdown, pdffile, plaintext

Reader = Callable[[bytes, str], Document]

READERS: dict[str, Reader] = {
    ".txt": plaintext.read,
    ".text": plaintext.read,
    ".md": markdown.read,
    ".markdown": markdown.read,
    ".json": jsonfile.read,
    ".docx": docxfile.read,
    ".pdf": pdffile.read,
}

MAX_INPUT_BYTES = 20 * 1024 * 1024


def read(path: Path, *, max_bytes: int = MAX_INPUT_BYTES) -> Document:
    """Read a source file with the reader its suffix names (plain text when
    the suffix is unknown); errors name the file."""
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
    reader = READERS.get(path.suffix.lower(), plaintext.read)
    try:
        return reader(data, str(path))
    except CommuniqueError as err:
        raise err.located(str(path)) from None
