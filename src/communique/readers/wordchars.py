"""Characters in Word files that are not yet the text they show.

- Symbol-font and Wingdings-font characters: Word stores them as the font's
  own codes, often moved to the private-use area (U+F020–U+F0FF), e.g. the
  bullet U+F0B7. The Symbol font maps through Adobe's Symbol encoding and
  glyph list (as reportlab ships them), Wingdings through `data/wingdings.json`.
- Control characters (C0 but tab and line break, DEL, C1) are dropped.
- Superscript digits and signs outside footnote references ("мм²") become
  their Unicode superscript characters where every character has one.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from reportlab.pdfbase._fontdata import encodings
from reportlab.pdfbase._glyphlist import _glyphname2unicode

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SUPERSCRIPTS = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
SYMBOL_FONTS = ("symbol", "wingdings")


def drop_controls(text: str) -> str:
    """The text without control characters (tab and line break stay)."""
    return _CONTROL.sub("", text)


@cache
def _wingdings() -> dict[int, str]:
    data = json.loads((Path(__file__).parent / "data" / "wingdings.json").read_text(encoding="utf-8"))
    return {int(code, 16): char for code, char in data.items() if not code.startswith("_")}


# Adobe's glyph list gives the Symbol font's serif and sans-serif ©, ® and ™
# private-use code points; fonts have them as the plain signs.
_ADOBE_PRIVATE = {0xF6D9: "©", 0xF6DA: "®", 0xF6DB: "™", 0xF8E8: "®", 0xF8E9: "©", 0xF8EA: "™"}


@cache
def _symbol() -> dict[int, str]:
    table: dict[int, str] = {}
    for code, name in enumerate(encodings["SymbolEncoding"]):
        value = _glyphname2unicode.get(name) if name else None
        if value is not None:
            table[code] = _ADOBE_PRIVATE.get(value, chr(value))
    return table


def symbol_font(font: str | None) -> str | None:
    """ "symbol" or "wingdings" when a font name is one of those (any version)."""
    name = (font or "").casefold()
    return next((known for known in SYMBOL_FONTS if name.startswith(known)), None)


def is_private(char: str) -> bool:
    return 0xE000 <= ord(char) <= 0xF8FF


def from_symbol_font(char: str, font: str | None) -> str | None:
    """The Unicode character a symbol-font character shows; None when it has
    none known. Private-use codes with no font named are read as Symbol
    (Word's own bullets)."""
    code = ord(char)
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000
    elif is_private(char) or code > 0xFF:
        return None
    table = _wingdings() if symbol_font(font) == "wingdings" else _symbol()
    return table.get(code)


def superscript(text: str) -> str | None:
    """The text in Unicode superscript characters, or None when one has none."""
    raised = text.translate(_SUPERSCRIPTS)
    return raised if all(a != b for a, b in zip(text, raised, strict=True)) else None
