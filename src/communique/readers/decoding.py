"""Bytes to clean text: detect the encoding, normalise, drop what is not text.

Press offices paste whatever they have: UTF-8 with or without BOM, UTF-16,
Windows-1254 or ISO-8859-9 exports from old Word, NFD text from a Mac.
Everything downstream sees NFC text with `\\n` line ends and no control
characters (which would crash reportlab or corrupt DOCX XML).
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from dataclasses import dataclass

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
log = logging.getLogger("communique")

# Legacy encodings a press office in our languages is likely to have, tried in
# this order when charset detection is unsure.
_LEGACY_PREFERENCE = ("cp1254", "iso8859_9", "cp1251", "cp1250", "iso8859_2", "koi8_r", "cp866")


@dataclass(frozen=True)
class DecodedText:
    """The clean text and the encoding it was read with (for `--verbose`)."""

    text: str
    encoding: str


def decode(data: bytes, source: str = "input") -> DecodedText:
    """Decode input bytes into clean text, or raise `CommuniqueError`;
    the encoding found is logged (shown with `--verbose`)."""
    if not data.strip():
        raise CommuniqueError("the file is empty")
    text, encoding = _decode_bytes(data)
    cleaned = clean_text(text)
    if not cleaned.strip():
        raise CommuniqueError("the file holds no text")
    log.info("%s: read as %s", source, encoding)
    return DecodedText(cleaned, encoding)


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
                raise CommuniqueError(
                    f"the file starts with a {encoding} byte order mark but is not valid {encoding}"
                ) from err
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if _looks_binary(data):
        raise CommuniqueError("this is not a text file (it contains binary data)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data)


# Letters that a text in one of our languages is full of, and letters that a
# wrong code page produces in their place (ý, ţ, đ where Turkish has ı, ş, ğ).
_OUR_LETTERS = set("çğıöşüÇĞİÖŞÜáéíóöőúüűÁÉÍÓÖŐÚÜŰ") | {chr(c) for c in range(0x410, 0x450)} | set("ёЁіІїЇ")
_UNLIKELY = set("ýÝţŢđĐõÕûÛðÐþÞÿ¤¦§¨¬®¯°±´µ¶·¸¹ºª¼½¾¿×÷")
_WORD = re.compile(r"[^\W\d_]+")


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Pick the legacy code page whose reading looks most like our languages;
    charset-normalizer's guess competes with the code pages press offices use."""
    from charset_normalizer import from_bytes  # only for legacy bytes: not at start-up

    candidates = list(_LEGACY_PREFERENCE)
    guess = from_bytes(data, cp_isolation=list(_LEGACY_PREFERENCE)).best()
    if guess is not None and guess.encoding and guess.encoding not in candidates:
        candidates.insert(0, guess.encoding)
    best: tuple[float, str, str] | None = None
    for rank, encoding in enumerate(candidates):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _plausibility(text) - rank * 1e-6  # ties go to the earlier code page
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is None:
        raise CommuniqueError("cannot tell the text's encoding; save it as UTF-8")
    return best[1], best[2]


def _plausibility(text: str) -> float:
    ours = sum(1 for ch in text if ch in _OUR_LETTERS)
    unlikely = sum(1 for ch in text if ch in _UNLIKELY or "\x80" <= ch <= "\x9f")
    words = _WORD.findall(text)
    mixed_case = sum(1 for w in words if len(w) > 2 and not (w.islower() or w.isupper() or w.istitle()))
    mixed_script = sum(1 for w in words if _is_cyrillic_and_latin(w))
    return ours - 3 * unlikely - 3 * mixed_case - 5 * mixed_script


def _is_cyrillic_and_latin(word: str) -> bool:
    cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in word)
    return cyrillic and any(ch.isascii() for ch in word)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a byte order mark: every other byte is zero."""
    head = data[:4096]
    if len(head) < 8 or len(head) % 2:
        return None
    for encoding, high, low in (("utf-16-le", head[1::2], head[0::2]), ("utf-16-be", head[0::2], head[1::2])):
        if high.count(0) > 0.6 * len(high) and low.count(0) < 0.05 * len(low):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return None
    return None


def _looks_binary(data: bytes) -> bool:
    """True for images, archives and other non-text renamed to .txt."""
    head = data[:8192]
    if head.count(b"\x00") > len(head) // 100 + 1:
        return True
    signatures = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"%PDF", b"\x7fELF", b"\x1f\x8b", b"BM")
    return head.startswith(signatures)
