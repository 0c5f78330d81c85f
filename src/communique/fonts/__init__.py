"""The bundled fonts and how each writer names them.

The PDF embeds Liberation Serif and Sans (SIL OFL); the DOCX names their
metric twins, Times New Roman and Arial, which every Word has, so both files
break lines in the same places. DejaVu (free licence) is the fallback for
characters Liberation lacks, such as the Turkish lira sign ₺.

Parsing a TrueType file's tables is most of a fresh process's start-up
(reportlab reads every glyph's metrics in Python), so each face's parsed
metrics are kept in the user's cache (see `communique.cache`) and a later
process loads them instead of parsing the file again.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from communique import cache as disk_cache

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


def register_pdf_fonts() -> None:
    """Register every bundled face with reportlab."""
    for key in FAMILIES:
        register_family(key)
    for key in FALLBACKS:
        register_fallback(key)


@cache
def register_family(key: str) -> None:
    """Register a family's four faces with reportlab, once per process; a
    face is parsed (or taken from the cache) only when its family is used."""
    family = FAMILIES[key]
    names = [family.pdf_name + suffix for suffix in _SUFFIXES]
    for name, file in zip(names, family.files, strict=True):
        pdfmetrics.registerFont(load_font(name, FONT_DIR / file))
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(family.pdf_name, bold, italic, names[bold + 2 * italic])
            for name in names:  # <b>/<i> inside any face keeps the family
                addMapping(name, bold, italic, names[bold + 2 * italic])


@cache
def register_fallback(key: str) -> None:
    """Register a fallback's two faces, once per process, when a character
    is first looked up in them."""
    fallback = FALLBACKS[key]
    regular, bold_name = fallback.pdf_name, fallback.pdf_name + "-Bold"
    pdfmetrics.registerFont(load_font(regular, FONT_DIR / fallback.files[0]))
    pdfmetrics.registerFont(load_font(bold_name, FONT_DIR / fallback.files[1]))
    for name in (regular, bold_name):
        for italic in (0, 1):
            addMapping(name, 0, italic, regular)
            addMapping(name, 1, italic, bold_name)


# Each bundled face's name → how to register it.
_REGISTER: dict[str, Callable[[], None]] = {
    **{
        family.pdf_name + suffix: partial(register_family, key)
        for key, family in FAMILIES.items()
        for suffix in _SUFFIXES
    },
    **{
        fallback.pdf_name + suffix: partial(register_fallback, key)
        for key, fallback in FALLBACKS.items()
        for suffix in ("", "-Bold")
    },
}


def covers(font_name: str, char: str) -> bool:
    """Whether a font has a real glyph for `char` (a bundled face is
    registered first if need be)."""
    if font_name in _REGISTER:
        _REGISTER[font_name]()
    font = pdfmetrics.getFont(font_name)
    return ord(char) in font.face.charToGlyph


def load_font(name: str, path: Path) -> TTFont:
    """reportlab's `TTFont(name, path)`, its parsed tables taken from the
    user's cache when a process before has parsed the same file (same
    name, size and time, same reportlab), else parsed and kept there."""
    folder = disk_cache.folder(f"fonts-{reportlab.Version}")
    if folder is None:
        return TTFont(name, str(path))
    stat = path.stat()
    entry = folder / f"{path.name}-{stat.st_size}-{stat.st_mtime_ns}.pickle"
    font = _cached_font(entry, name, path)
    if font is None:
        font = TTFont(name, str(path))
        _keep_font(entry, font)
    return font


def _cached_font(entry: Path, name: str, path: Path) -> TTFont | None:
    """The font kept at `entry`, or None when there is none or it is unreadable."""
    try:
        with entry.open("rb") as kept:
            font_state, face_state = pickle.load(kept)  # noqa: S301: our own cache, mode 0700
        data = path.read_bytes()
    except Exception:  # noqa: BLE001: a damaged or foreign entry is parsed again, never trusted
        return None
    font = TTFont.__new__(TTFont)
    font.__dict__.update(font_state, fontName=name, state=WeakKeyDictionary())
    font.face.__dict__.update(face_state, _ttf_data=data, filename=str(path))
    font.face._pdfScale = _pdf_scale(font.face.unitsPerEm)
    return font


def _pdf_scale(units_per_em: int) -> Callable[[float], float]:
    """Glyph units to PDF's thousandths of an em, as reportlab's parser
    makes it (a function, so not kept in the cache)."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _keep_font(entry: Path, font: TTFont) -> None:
    """Keep a freshly parsed font's state at `entry`: the file's bytes and
    the per-document state are left out (they are read and made again)."""
    face_state = {k: v for k, v in font.face.__dict__.items() if k not in ("_ttf_data", "filename", "_pdfScale")}
    font_state = {k: v for k, v in font.__dict__.items() if k not in ("state", "fontName", "face")}
    font_state["face"] = TTFontFace.__new__(TTFontFace)
    with contextlib.suppress(pickle.PicklingError):
        disk_cache.write_bytes(entry, pickle.dumps((font_state, face_state), protocol=pickle.HIGHEST_PROTOCOL))
