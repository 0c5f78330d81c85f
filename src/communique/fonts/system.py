"""The machine's own fonts, for characters no bundled font has (Chinese,
Japanese, Korean, Thai, …), found through fontconfig.

fontconfig already knows every installed font and the characters each
covers; `fc-list` prints that in one call, which is read once per process
and searched in memory. A subprocess rather than a Python binding: the
bindings on PyPI are unmaintained or need a compiler, and `fc-list` ships
with fontconfig itself. Only TrueType-outline fonts are offered: reportlab
cannot embed PostScript (CFF) outlines, so Noto CJK (CFF) is skipped and a
TrueType CJK font (WenQuanYi Micro Hei, Droid Sans Fallback) is used. No
fontconfig, or no font with the character: the caller reports the character.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger("communique")
_FORMAT = "%{file}|%{index}|%{fontformat}|%{family[0]}|%{charset}\n"


@dataclass(frozen=True)
class SystemFont:
    """One installed font face and the code point ranges it covers."""

    file: str
    index: int
    family: str
    starts: tuple[int, ...]  # sorted range starts
    ends: tuple[int, ...]  # inclusive ends, same order

    def covers(self, code: int) -> bool:
        at = bisect_right(self.starts, code) - 1
        return at >= 0 and code <= self.ends[at]

    @property
    def pdf_name(self) -> str:
        return "System-" + re.sub(r"[^A-Za-z0-9]+", "", self.family) + f"-{self.index}"


def parse_fc_list(output: str) -> list[SystemFont]:
    """Fonts from `fc-list --format` lines (file|index|format|family|charset),
    TrueType outlines only, in a stable order: proportional before monospaced,
    then by file."""
    fonts: list[SystemFont] = []
    for line in output.splitlines():
        parts = line.split("|", 4)
        if len(parts) != 5 or parts[2] != "TrueType" or not parts[1].isdigit():
            continue
        ranges: list[tuple[int, int]] = []
        for piece in parts[4].split():
            low, _, high = piece.partition("-")
            try:
                ranges.append((int(low, 16), int(high or low, 16)))
            except ValueError:
                continue
        ranges.sort()
        fonts.append(
            SystemFont(parts[0], int(parts[1]), parts[3], tuple(r[0] for r in ranges), tuple(r[1] for r in ranges))
        )
    fonts.sort(key=lambda f: ("mono" in f.family.casefold(), f.file, f.index))
    return fonts


@cache
def installed_fonts() -> tuple[SystemFont, ...]:
    """Every TrueType font fontconfig knows, read once per process."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    try:
        result = subprocess.run([fc_list, "--format", _FORMAT], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(parse_fc_list(result.stdout))


@cache
def _registered(font: SystemFont) -> bool:
    """Register a system font with reportlab; False if it cannot be embedded."""
    try:
        pdfmetrics.registerFont(TTFont(font.pdf_name, font.file, subfontIndex=font.index))
    except (TTFError, OSError, ValueError) as err:
        log.info("%s: not usable for the PDF (%s)", font.file, err)
        return False
    return True


@cache
def face_for(char: str) -> str | None:
    """The reportlab name of an installed font that draws `char`, registered
    on first use; None when no installed font has it."""
    code = ord(char)
    for font in installed_fonts():
        if font.covers(code) and _registered(font):
            face = pdfmetrics.getFont(font.pdf_name).face
            if code in face.charToGlyph:
                return font.pdf_name
    return None
