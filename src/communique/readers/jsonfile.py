"""JSON reader: the model's own serialisation (`--format json`) read back."""

from __future__ import annotations

import json

from communique.errors import CommuniqueError
from communique.model import Document, ModelError, from_dict
from communique.readers.decoding import decode


def read(data: bytes, source: str) -> Document:
    """Parse model JSON; errors give the line, or the JSON pointer of the
    value that does not fit the model."""
    try:
        text = decode(data, source).text
    except CommuniqueError as err:
        raise err.located(source) from None
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as err:
        raise CommuniqueError(f"invalid JSON: {err.msg} (column {err.colno})", file=source, line=err.lineno) from None
    except RecursionError:
        raise CommuniqueError("invalid JSON: nested too deeply", file=source) from None
    try:
        return from_dict(loaded)
    except ModelError as err:
        raise CommuniqueError(
            f"does not fit the document model at {err.path or '/'}: {err.message}", file=source
        ) from None
    except RecursionError:
        raise CommuniqueError("the document is nested too deeply", file=source) from None
