"""The bundled fonts and how each writer names them.

The PDF embeds Liberation Serif and Sans (SIL OFL); the DOCX names their
metric twins, Times New Roman and Arial, which every Word has, so both files
break lines in the same places. DejaVu (free licence) is the fallback for
characters Liberation lacks, such as the Turkish lira sign ₺.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).parent


@dataclass(frozen=True)
class FontFamily:
    """One template font family: its PDF faces, its Word name, its fallback."""

    key: str
    pdf_name: str  # reportlab family name; faces are "<name>", "<name>-Bold", …
    files: tuple[str, str, str, str]  # regular, bold, italic, bold italic
    word_name: str
    fallbacks: tuple[str, ...]  # keys of FALLBACKS, tried in order


@dataclass(frozen=True)
class FallbackFont:
    pdf_name: str
    files: tuple[str, str]  # regular, bold


FAMILIES: dict[str, FontFamily] = {
    "serif": FontFamily(
        "serif",
        "LiberationSerif",
        (
            "LiberationSerif-Regular.ttf",
            "LiberationSerif-Bold.ttf",
            "LiberationSerif-Italic.ttf",
            "LiberationSerif-BoldItalic.ttf",
        ),
        "Times New Roman",
        ("serif", "sans"),
    ),
    "sans": FontFamily(
        "sans",
        "LiberationSans",
        (
            "LiberationSans-Regular.ttf",
            "LiberationSans-Bold.ttf",
            "LiberationSans-Italic.ttf",
            "LiberationSans-BoldItalic.ttf",
        ),
        "Arial",
        ("sans", "serif"),
    ),
}
FALLBACKS: dict[str, FallbackFont] = {
    "serif": FallbackFont("DejaVuSerif", ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf")),
    "sans": FallbackFont("DejaVuSans", ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")),
}
_SUFFIXES = ("", "-Bold", "-Italic", "-BoldItalic")


def face_name(family: str, bold: bool, italic: bool) -> str:
    """The registered reportlab font name of one face of a family."""
    return FAMILIES[family].pdf_name + _SUFFIXES[int(bold) + 2 * int(italic)]


def fallback_face_names(family: str, bold: bool) -> tuple[str, ...]:
    """The fallback faces for a family, the closest design first."""
    return tuple(FALLBACKS[key].pdf_name + ("-Bold" if bold else "") for key in FAMILIES[family].fallbacks)


@cache
def register_pdf_fonts() -> None:
    """Register every bundled face with reportlab, once per process."""
    for family in FAMILIES.values():
        names = [family.pdf_name + suffix for suffix in _SUFFIXES]
        for name, file in zip(names, family.files, strict=True):
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(family.pdf_name, bold, italic, names[bold + 2 * italic])
                for name in names:  # <b>/<i> inside any face keeps the family
                    addMapping(name, bold, italic, names[bold + 2 * italic])
    for fallback in FALLBACKS.values():
        regular, bold_name = fallback.pdf_name, fallback.pdf_name + "-Bold"
        pdfmetrics.registerFont(TTFont(regular, str(FONT_DIR / fallback.files[0])))
        pdfmetrics.registerFont(TTFont(bold_name, str(FONT_DIR / fallback.files[1])))
        for name in (regular, bold_name):
            for italic in (0, 1):
                addMapping(name, 0, italic, regular)
                addMapping(name, 1, italic, bold_name)


def covers(font_name: str, char: str) -> bool:
    """Whether a registered font has a real glyph for `char`."""
    register_pdf_fonts()
    font = pdfmetrics.getFont(font_name)
    return ord(char) in font.face.charToGlyph
