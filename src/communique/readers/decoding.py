"""Bytes to clean text: detect the encoding, normalise, drop what is not text.

Press offices paste whatever they have: UTF-8 with or without BOM, UTF-16,
Windows-1254 or ISO-8859-9 exports from old Word, NFD text from a Mac.
Everything downstream sees NFC text with `\\n` line ends and no control
characters (which would crash reportlab or corrupt DOCX XML).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

from communique.errors import CommuniqueError

# C0/C1 controls except TAB and LF, plus ANSI escape sequences, plus the
# Unicode non-characters that XML 1.0 forbids.
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy encodings a press office in our languages is likely to have, tried in
# this order when charset detection is unsure.
_LEGACY_PREFERENCE = ("cp1254", "iso8859_9", "cp1251", "cp1250", "iso8859_2", "koi8_r")


@dataclass(frozen=True)
class DecodedText:
    """The clean text and the encoding it was read with (for `--verbose`)."""

    text: str
    encoding: str


def decode(data: bytes) -> DecodedText:
    """Decode input bytes into clean text, or raise `CommuniqueError`."""
    if not data.strip():
        raise CommuniqueError("the file is empty")
    text, encoding = _decode_bytes(data)
    return DecodedText(clean_text(text), encoding)


def clean_text(text: str) -> str:
    """NFC, `\\n` line ends, tabs as spaces, no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _ANSI_ESCAPE.sub("", text)
    text = text.replace("\t", " ")
    text = _CONTROL.sub("", text)
    text = text.replace("\ufeff", "").replace("\u00ad", "")  # stray BOM, soft hyphen
    return unicodedata.normalize("NFC", text)


def _decode_bytes(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as err:
                raise CommuniqueError(f"the file starts with a {encoding} byte order mark but is not valid {encoding}") from err
    if _looks_binary(data):
        raise CommuniqueError("this is not a text file (it contains binary data)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=list(_LEGACY_PREFERENCE)).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    return data.decode("cp1254", errors="replace"), "cp1254"


def _looks_binary(data: bytes) -> bool:
    """True for images, archives and other non-text renamed to .txt."""
    head = data[:8192]
    if head.count(b"\x00") > len(head) // 100 + 1:
        return True
    signatures = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"%PDF", b"\x7fELF", b"\x1f\x8b", b"BM")
    return head.startswith(signatures)
