"""PDF reader: the source a Communique PDF carries inside it.

An archived PDF holds its `Document` as model JSON, attached as an
associated file with AFRelationship Source (see archival.py). Reading that
attachment, rather than the drawn text, gets the document back without
loss, so an archived PDF can be published again.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator

import pikepdf

from communique.errors import CommuniqueError
from communique.model import Document
from communique.readers import jsonfile

JSON_TYPE = "/application/json"
# The most an attached source may inflate to: a model JSON is a few hundred
# kilobytes; a flate bomb in a 20 MB PDF could otherwise fill the memory.
MAX_SOURCE_BYTES = 50 * 1024 * 1024
# The name qpdf gives a PDF read from memory, at the start of its messages:
# "<_io.BytesIO object at 0x7f…> (offset 123): ".
_STREAM_NAME = re.compile(r"^.*<_io\.BytesIO object at 0x[0-9a-fA-F]+>(?: \(offset \d+\))?:\s*")
NO_SOURCE = "this PDF has no Communique source attached; publish from the original text, JSON or DOCX"


def read(data: bytes, source: str) -> Document:
    """The Document attached to an archived PDF; an error when the PDF
    cannot be read, is damaged (qpdf had to repair it) or carries no source."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            attached = _source_json(pdf)
            damage = pdf.get_warnings()  # qpdf repaired the file: truncated or corrupted
    except pikepdf.PasswordError:
        raise CommuniqueError("this PDF is encrypted; Communique cannot read it", file=source) from None
    except pikepdf.PdfError as err:
        raise CommuniqueError(f"not a readable PDF ({_first_line(err)})", file=source) from None
    except CommuniqueError as err:
        raise err.located(source) from None
    if damage:
        details = [_first_line(Exception(w)) for w in damage]
        detail = next((d for d in details if d != "file is damaged"), details[0])
        raise CommuniqueError(
            f"this PDF is damaged or truncated ({detail}); publish from the original text, JSON or DOCX", file=source
        )
    if attached is None:
        raise CommuniqueError(NO_SOURCE, file=source)
    return jsonfile.read(attached, source)


def _source_json(pdf: pikepdf.Pdf) -> bytes | None:
    """The bytes of the first JSON file attached as the PDF's source."""
    for filespec in _file_specs(pdf):
        if filespec.get("/AFRelationship") != pikepdf.Name.Source:
            continue
        embedded = filespec.get("/EF")
        if not isinstance(embedded, pikepdf.Dictionary):
            continue
        stream = embedded.get("/UF", embedded.get("/F"))
        if isinstance(stream, pikepdf.Stream) and str(stream.get("/Subtype", "")) == JSON_TYPE:
            return _inflated(stream)
    return None


def _inflated(stream: pikepdf.Stream) -> bytes:
    """A stream's bytes, inflated no further than `MAX_SOURCE_BYTES`; only
    Flate (what every PDF writer uses for attachments) or no filter."""
    filters = stream.get("/Filter")
    if isinstance(filters, pikepdf.Array) and len(filters) == 1:
        filters = filters[0]
    raw = bytes(stream.read_raw_bytes())
    if filters is None:
        data = raw
    elif filters == pikepdf.Name.FlateDecode and "/DecodeParms" not in stream:
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(raw, MAX_SOURCE_BYTES + 1)
        except zlib.error:
            raise CommuniqueError("the source attached to this PDF is damaged") from None
    else:
        raise CommuniqueError(f"the source attached to this PDF is compressed with {filters}, which is not read")
    if len(data) > MAX_SOURCE_BYTES:
        raise CommuniqueError(f"the source attached to this PDF is over {MAX_SOURCE_BYTES:,} bytes")
    return data


def _file_specs(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """File specifications: the catalog's associated files first (the PDF/A-3
    way), then the EmbeddedFiles name tree."""
    associated = pdf.Root.get("/AF")
    if isinstance(associated, pikepdf.Array):
        yield from (spec for spec in associated if isinstance(spec, pikepdf.Dictionary))
    for spec in pdf.attachments.values():
        yield spec.obj


def _first_line(err: Exception) -> str:
    """qpdf's message without the name it gives the in-memory stream."""
    lines = str(err).strip().splitlines()
    text = _STREAM_NAME.sub("", lines[0]) if lines else ""
    return text or type(err).__name__
