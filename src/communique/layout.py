"""The layout tree: what a template emits and both writers draw.

A template renders a small XML vocabulary; `parse_layout` checks it and
returns frozen dataclasses. The writers know only this vocabulary, never a
document's roles, so one template drives both the PDF and the DOCX.

Vocabulary (units: `pt`, `mm`, `cm`, `in`; colours `#RRGGBB`):

    <document size="A4|A5|Letter|Legal" orientation="portrait|landscape"
              margins="top right bottom left" lang="tr-TR"
              title=".." author=".." subject=".." keywords=".." date="YYYY-MM-DD">
      <styles>
        <style name="body" font="serif|sans" size="12pt" leading="15pt"
               bold="false" italic="false" align="left|center|right|justify"
               space-before="0pt" space-after="6pt" indent-left="0mm"
               indent-right="0mm" first-line="0mm" keep-with-next="false"
               keep-together="false" color="#000000" outline-level="1..9"
               hyphenate="false"/>
        <list-style name="operative" format="decimal|lower-alpha|upper-alpha|
               lower-roman|upper-roman|bullet" label="%1." bullet="•"
               indent="10mm" hanging="10mm"/>
      </styles>
      <header pages="all|first|rest"> margin blocks </header>
      <footer pages="all|first|rest"> margin blocks </footer>
      <body> blocks </body>
    </document>

Blocks: `<p style=".." [lang="ru"]>inline</p>`, `<list style=".." start="1"
[format=".." label="(%1)" bullet="–"]><item>blocks</item></list>`,
`<image src=".." width="40mm" height=".." align=".." alt=".."/>` (PNG or
JPEG, inside the template's folder, or a document's own picture as a
`data:image/png;base64,…` address), `<rule thickness="0.5pt" color="#.."
space-before=".." space-after=".."/>`, `<spacer height="12pt"/>`,
`<page-break/>`, and two for official layouts (`keep-with-previous="true"` on a
`<p>`, `<row>` or `<grid>` keeps it on the page of the paragraph before it:
signatures, a closing formula, a meeting-and-date line):

- `<row style=".."><left>inline</left><center>inline</center><right>inline</right></row>`:
  one line with a left, a centred and a right part ("Sayı: …" left, the date
  right); tab stops in Word. Each part is optional.
- `<grid columns="3" [widths="60mm 60mm 40mm"]><cell>blocks</cell>…</grid>`:
  blocks side by side in borderless columns, filled row by row (several
  signers); a Word table without borders.

A document's own table is `<table [header-rows="1"] [widths="1 2 1"]>
<tr><td [colspan="2"] [rowspan="2"]>blocks</td>…</tr>…</table>`: ruled
cells, `widths` the columns' relative shares of the text width, the header
rows repeated on each page; a cell spanned over is not written.

Margin blocks (header and footer) are `<p>`, `<row>`, `<image>`, `<rule>`
and `<spacer>`; `pages="first"` / `"rest"` give the first page its own.
Inline: text, `<b>`, `<i>`, `<u>`, `<sup>`, `<a href="..">`, `<br/>`,
`<tab/>` and `<space/>` (a tab, a space that does not collapse with the one before),
`<span lang=".." role="opening|decor">` (opening words in italics; text the
template adds, which is not the document's), `<note-ref label=".."/>` (a
footnote mark), and in margin blocks `<page-number/>`, `<page-count/>`.

Footnotes: `<footnotes numbering="continuous|per-page"><note label="1"
style="Footnote">inline</note>…</footnotes>` anywhere in `<body>` gives the
notes; each stands at the foot of the page of its mark (`<note-ref>`; the
first mark of a label is the note's, a later one or one without a note is
a plain superscript). A note no mark refers to is printed after the text,
under a short rule. `continuous` shows the notes' labels; `per-page`
numbers them 1, 2, … again on each page.
`<document>` may hold `<properties><property name=".." value=".."/></properties>`:
custom properties the DOCX carries (the template's name, metadata).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, TypeAlias, get_args

from lxml import etree

from communique.composition import bind_spaces
from communique.errors import CommuniqueError
from communique.numbering import format_number

# ---------------------------------------------------------------- the tree

Align = Literal["left", "center", "right", "justify"]
ListFormat = Literal["decimal", "lower-alpha", "upper-alpha", "lower-roman", "upper-roman", "bullet"]
FontFamily = Literal["serif", "sans"]
# What a span is to the document: "opening" words a template sets in italics
# (UN practice), "decor" text a template adds (a composed headline's number
# and date): both keep a Word character style, so a reader tells them apart.
InlineRole = Literal["opening", "decor"]
INLINE_ROLES: tuple[str, ...] = get_args(InlineRole)


@dataclass(frozen=True)
class Style:
    """A named paragraph style, shared by the PDF and the DOCX writer."""

    name: str
    font: FontFamily = "serif"
    size: float = 12.0
    leading: float = 14.0
    bold: bool = False
    italic: bool = False
    align: Align = "left"
    space_before: float = 0.0
    space_after: float = 0.0
    indent_left: float = 0.0
    indent_right: float = 0.0
    first_line: float = 0.0
    keep_with_next: bool = False
    keep_together: bool = False
    color: str = "#000000"
    outline_level: int | None = None
    hyphenate: bool = False


@dataclass(frozen=True)
class ListStyle:
    """How a list numbers its items: format, label pattern, indents."""

    name: str
    format: ListFormat = "decimal"
    label: str = "%1."
    bullet: str = "•"
    indent: float = 28.35
    hanging: float = 28.35


@dataclass(frozen=True)
class Run:
    """A piece of inline content with its formatting; `field` marks page
    number or page count placeholders, `text == "\\n"` a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    superscript: bool = False
    href: str | None = None
    field: Literal["page", "pages"] | None = None
    lang: str | None = None
    role: InlineRole | None = None
    note: str | None = None  # a footnote mark: the label of its note


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; `keep_with_next` keeps it on the page of the block after
    it whatever its style says (set by `apply_keeps`); `narrow` shortens its
    lines by that many points, half at each side when it is centred, else
    at the side it is not aligned to (a title balanced over its lines,
    `composition.balance_titles`)."""

    style: str
    runs: tuple[Run, ...]
    line: int = 0
    lang: str | None = None
    keep_with_next: bool = False
    narrow: float = 0.0

    def narrowed(self, style: Style) -> tuple[float, float]:
        """The left and right indents of this paragraph's lines."""
        if not self.narrow:
            return style.indent_left, style.indent_right
        left = {"center": self.narrow / 2, "right": self.narrow}.get(style.align, 0.0)
        return style.indent_left + left, style.indent_right + self.narrow - left

    def text(self) -> str:
        return "".join(run.text for run in self.runs if run.field is None)


@dataclass(frozen=True)
class ListItem:
    blocks: tuple[LayoutBlock, ...]


@dataclass(frozen=True)
class List:
    """A list; `format`, `label` and `bullet` override its list style for
    this list alone, so a document's own "1)" or "–" survive."""

    style: str
    items: tuple[ListItem, ...]
    start: int = 1
    format: ListFormat | None = None
    label: str | None = None
    bullet: str | None = None


@dataclass(frozen=True)
class Image:
    """A picture from a file (`src`) or a document's own bytes (`data`)."""

    src: Path | None
    width: float | None = None
    height: float | None = None
    align: Align = "center"
    alt: str = ""
    data: bytes | None = None

    def source(self) -> str | io.BytesIO:
        """What reportlab and python-docx open: the file's path or the bytes."""
        return io.BytesIO(self.data) if self.data is not None else str(self.src)

    def size(self, available: float) -> tuple[float, float]:
        """The drawn size in points, the same in both writers: as given (one
        side given: the other in proportion; neither: the pixels at 96 dpi),
        then scaled down to fit `available` width."""
        from PIL import Image as PILImage

        with PILImage.open(self.source()) as picture:
            width_px, height_px = picture.size
        width, height = self.width, self.height
        if width is None and height is None:
            width, height = width_px * 0.75, height_px * 0.75
        elif width is None:
            width = (height or 0) * width_px / height_px
        elif height is None:
            height = width * height_px / width_px
        assert width is not None and height is not None
        if width > available > 0:
            width, height = available, height * available / width
        return width, height


@dataclass(frozen=True)
class Row:
    """One line in three parts: left, centred, right (any may be empty)."""

    style: str
    left: tuple[Run, ...] = ()
    center: tuple[Run, ...] = ()
    right: tuple[Run, ...] = ()
    lang: str | None = None

    def parts(self) -> tuple[tuple[Run, ...], tuple[Run, ...], tuple[Run, ...]]:
        return self.left, self.center, self.right


@dataclass(frozen=True)
class Grid:
    """Blocks side by side in borderless columns; `rows` of cells, each cell
    a tuple of blocks; `widths` in points, summing to at most the frame."""

    widths: tuple[float, ...]
    rows: tuple[tuple[tuple[LayoutBlock, ...], ...], ...]


@dataclass(frozen=True)
class TableCell:
    """A table cell's blocks and spans; `header` for the header rows' cells."""

    blocks: tuple[LayoutBlock, ...]
    col_span: int = 1
    row_span: int = 1
    header: bool = False


@dataclass(frozen=True)
class Table:
    """A document's table: `rows` as a full grid, each cell at its top-left
    slot and None where a span covers; `widths` the columns' shares of the
    width (summing to 1); the first `header_rows` rows repeat on each page."""

    widths: tuple[float, ...]
    rows: tuple[tuple[TableCell | None, ...], ...]
    header_rows: int = 0

    def column_widths(self, available: float, least: list[float]) -> list[float]:
        """The columns' widths in points over `available`, the same in both
        writers: each its share, but none under its `least` (its margins and
        longest word, as Word's autofit keeps them, up to an equal share),
        the others narrowed to make up for it."""
        widths = [share * available for share in self.widths]
        least = [min(value, available / len(least)) for value in least]  # a long unspaced word (CJK) asks no more
        if sum(least) >= available:
            return [available * value / sum(least) for value in least]
        fixed: dict[int, float] = {}
        while True:
            free = [i for i in range(len(widths)) if i not in fixed]
            spare = available - sum(fixed.values())
            total = sum(widths[i] for i in free)
            scaled = {i: widths[i] * spare / total if total else spare / len(free) for i in free}
            short = [i for i in free if scaled[i] < least[i]]
            if not short:
                return [fixed.get(i, scaled.get(i, 0.0)) for i in range(len(widths))]
            fixed.update({i: least[i] for i in short})


@dataclass(frozen=True)
class Rule:
    """A horizontal line from the left margin; `width` None spans the frame."""

    thickness: float = 0.5
    color: str = "#000000"
    space_before: float = 0.0
    space_after: float = 6.0
    width: float | None = None


@dataclass(frozen=True)
class Spacer:
    height: float
    keep_with_next: bool = False


@dataclass(frozen=True)
class PageBreak:
    pass


LayoutBlock: TypeAlias = Paragraph | List | Image | Rule | Spacer | PageBreak | Row | Grid | Table
PageSet = Literal["all", "first", "rest"]
NoteNumbering = Literal["continuous", "per-page"]
NOTE_NUMBERINGS: tuple[str, ...] = get_args(NoteNumbering)


@dataclass(frozen=True)
class Note:
    """A footnote: its label (what its mark shows with continuous
    numbering, and the key its mark's `Run.note` holds) and its text, a
    paragraph without the label, which the writers draw before it."""

    label: str
    paragraph: Paragraph


# The footnote separator above a page's notes: a quarter of the text width,
# 0.5 pt thick, 1 mm of space above and below it (what LibreOffice draws for
# a Word file's separator; the DOCX's separator paragraph is as tall).
NOTE_RULE = {"width": 1 / 4, "thickness": 0.5, "space_before": 72 / 25.4, "space_after": 72 / 25.4}


def mark_metrics(size: float) -> tuple[float, float]:
    """A footnote mark's font size and rise in text of `size` points: Word's
    superscript (58 % of the size, raised by a third of it, as LibreOffice
    draws a Word file's superscript), so the PDF's marks are the DOCX's."""
    return round(size * 0.58, 2), round(size * 0.33, 2)


@dataclass(frozen=True)
class PageSetup:
    width: float
    height: float
    margin_top: float
    margin_right: float
    margin_bottom: float
    margin_left: float

    @property
    def frame_width(self) -> float:
        return self.width - self.margin_left - self.margin_right


@dataclass(frozen=True)
class DocumentInfo:
    """What both writers put in the file's metadata."""

    lang: str = "en"
    title: str = ""
    author: str = ""
    subject: str = ""
    keywords: str = ""
    date: str | None = None  # ISO date; None: fall back to SOURCE_DATE_EPOCH
    properties: tuple[tuple[str, str], ...] = ()  # custom properties (name, value)

    def moment(self) -> dt.datetime:
        """The time stamp both files carry: the document's date, else
        SOURCE_DATE_EPOCH, else a fixed date — never the clock."""
        if self.date:
            try:
                day = dt.date.fromisoformat(self.date)
                return dt.datetime(day.year, day.month, day.day, 12, 0, 0, tzinfo=dt.UTC)
            except ValueError:
                pass
            if self.date[:4].isdigit():
                month = int(self.date[5:7]) if self.date[5:7].isdigit() else 1
                return dt.datetime(int(self.date[:4]), max(1, min(12, month)), 1, 12, 0, 0, tzinfo=dt.UTC)
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        if epoch.strip().isdigit():
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        return dt.datetime(2000, 1, 1, 0, 0, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Layout:
    page: PageSetup
    info: DocumentInfo
    styles: dict[str, Style]
    list_styles: dict[str, ListStyle]
    headers: dict[PageSet, tuple[LayoutBlock, ...]]
    footers: dict[PageSet, tuple[LayoutBlock, ...]]
    body: tuple[LayoutBlock, ...]
    attachments: tuple[tuple[str, bytes], ...] = field(default_factory=tuple)
    roles: dict[str, str] = field(default_factory=dict)  # style name → role, from the template's `roles:`
    notes: tuple[Note, ...] = ()  # footnotes, in the order of their marks
    note_numbering: NoteNumbering = "continuous"

    def header_for(self, first_page: bool) -> tuple[LayoutBlock, ...]:
        return _pick(self.headers, first_page)

    def footer_for(self, first_page: bool) -> tuple[LayoutBlock, ...]:
        return _pick(self.footers, first_page)

    @property
    def different_first_page(self) -> bool:
        parts = (*self.headers, *self.footers)
        return "first" in parts or "rest" in parts

    def list_style_of(self, block: List) -> ListStyle:
        """The list style as this list uses it, with its own overrides."""
        style = self.list_styles[block.style]
        return replace(
            style,
            format=block.format or style.format,
            label=block.label or style.label,
            bullet=block.bullet or style.bullet,
        )

    def with_attachment(self, name: str, data: bytes) -> Layout:
        return replace(self, attachments=(*self.attachments, (name, data)))

    def alt_text(self, image: Image) -> str:
        """What an image shows, for a screen reader: its own alt text, else
        for a template's image the issuer's name (a letterhead logo); empty
        for a decoration (a document's picture its author gave no text)."""
        return image.alt or (self.info.author if image.data is None else "")


# ---------------------------------------------------------------- keeps


def introduces(paragraph: Paragraph) -> bool:
    """A paragraph that announces what follows ("… who said:", "Instruct
    the ministries to:") ends in a colon, perhaps before a closing mark."""
    return paragraph.text().rstrip().rstrip('"»”’)').endswith(":")


def apply_keeps(blocks: tuple[LayoutBlock, ...]) -> tuple[LayoutBlock, ...]:
    """The page make-up rules both writers follow, as `keep_with_next` flags:
    an introduction ending in ":" stays with what follows; a list's first two
    items stay together (so with their introduction). A block the template
    marks `keep-with-previous` (signatures, a closing) is handled by
    `keep_before`."""
    out = [_keep_list(b) if isinstance(b, List) else b for b in blocks]
    for index, block in enumerate(out[:-1]):
        if isinstance(block, Paragraph) and introduces(block):
            out[index] = replace(block, keep_with_next=True)
    return tuple(out)


def keep_before(blocks: list[LayoutBlock]) -> None:
    """Keep the last paragraph (or list) in `blocks`, and the spacers after
    it, with the block about to follow, so no page starts with it alone."""
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if isinstance(block, Spacer):
            blocks[index] = replace(block, keep_with_next=True)
            continue
        if isinstance(block, Paragraph):
            blocks[index] = replace(block, keep_with_next=True)
        elif isinstance(block, List) and block.items and block.items[-1].blocks:
            *items, last = block.items
            inner = list(last.blocks)
            keep_before(inner)
            blocks[index] = replace(block, items=(*items, ListItem(tuple(inner))))
        return


def _keep_list(block: List) -> List:
    """A list whose first item keeps with the second, at every depth."""
    items = [ListItem(apply_keeps(item.blocks)) for item in block.items]
    if len(items) >= 2 and items[0].blocks and isinstance(items[0].blocks[-1], Paragraph):
        last = items[0].blocks[-1]
        items[0] = ListItem((*items[0].blocks[:-1], replace(last, keep_with_next=True)))
    return replace(block, items=tuple(items))


def _pick(parts: dict[PageSet, tuple[LayoutBlock, ...]], first_page: bool) -> tuple[LayoutBlock, ...]:
    if first_page and "first" in parts:
        return parts["first"]
    if not first_page and "rest" in parts:
        return parts["rest"]
    return parts.get("all", ())


def resolve_notes(
    body: tuple[LayoutBlock, ...], notes: tuple[Note, ...], frame_width: float
) -> tuple[tuple[LayoutBlock, ...], tuple[Note, ...]]:
    """Pair footnote marks with notes: a label's first mark is its note's
    (the first note of that label); any other mark becomes a plain
    superscript. The notes come back in the order of their marks; a note no
    mark refers to is printed after the text under a short rule, label
    first, so nothing is lost."""
    by_label: dict[str, Note] = {}
    for note in notes:
        by_label.setdefault(note.label, note)
    used: list[str] = []

    def runs_of(runs: tuple[Run, ...]) -> tuple[Run, ...]:
        out = []
        for run in runs:
            if run.note is not None:
                if run.note in by_label and run.note not in used:
                    used.append(run.note)
                else:
                    run = replace(run, note=None)
            out.append(run)
        return tuple(out)

    def blocks_of(blocks: tuple[LayoutBlock, ...]) -> tuple[LayoutBlock, ...]:
        out: list[LayoutBlock] = []
        for block in blocks:
            if isinstance(block, Paragraph):
                block = replace(block, runs=runs_of(block.runs))
            elif isinstance(block, Row):  # a row's parts hold no footnote marks: plain superscripts
                plain = [tuple(replace(run, note=None) for run in part) for part in block.parts()]
                block = replace(block, left=plain[0], center=plain[1], right=plain[2])
            elif isinstance(block, List):
                block = replace(block, items=tuple(ListItem(blocks_of(item.blocks)) for item in block.items))
            elif isinstance(block, Grid):
                block = replace(block, rows=tuple(tuple(blocks_of(cell) for cell in row) for row in block.rows))
            out.append(block)
        return tuple(out)

    body = blocks_of(body)
    kept = tuple(by_label[label] for label in used)
    orphans = [note for note in notes if not any(note is k for k in kept)]
    if orphans:
        rule = Rule(NOTE_RULE["thickness"], width=frame_width * NOTE_RULE["width"], space_before=12.0, space_after=4.0)
        body += (rule,)
        for note in orphans:
            label = (Run(note.label, superscript=True), Run(" "))
            body += (replace(note.paragraph, runs=label + note.paragraph.runs),)
    return body, kept


def walk_paragraphs(blocks: tuple[LayoutBlock, ...]) -> Iterator[Paragraph]:
    """Every paragraph in reading order, lists included."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block
        elif isinstance(block, List):
            for item in block.items:
                yield from walk_paragraphs(item.blocks)
        elif isinstance(block, Grid):
            for row in block.rows:
                for cell in row:
                    yield from walk_paragraphs(cell)
        elif isinstance(block, Table):
            for table_row in block.rows:
                for table_cell in table_row:
                    if table_cell is not None:
                        yield from walk_paragraphs(table_cell.blocks)


# ---------------------------------------------------------------- numbering

# Distance from the page edge to the header's top and the footer's bottom,
# the same in both writers (Word's default, half an inch).
HEADER_DISTANCE = 36.0


def format_label(style: ListStyle, number: int) -> str:
    """An item's label as a list style numbers it: 3 → "3.", "(c)", "iii."."""
    if style.format == "bullet":
        return style.bullet
    return style.label.replace("%1", format_number(style.format, number))


# ---------------------------------------------------------------- units

PAGE_SIZES: dict[str, tuple[float, float]] = {
    "A4": (595.2756, 841.8898),
    "A5": (419.5276, 595.2756),
    "Letter": (612.0, 792.0),
    "Legal": (612.0, 1008.0),
}
_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in)\s*$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def length(value: str) -> float:
    """A length such as `12pt` or `25mm`, in points."""
    match = _LENGTH.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a length (use pt, mm, cm or in, e.g. '12pt')")
    return float(match.group(1)) * _UNITS[match.group(2)]


# ---------------------------------------------------------------- parsing


class LayoutError(CommuniqueError):
    """A template emitted something outside the layout vocabulary."""


_STYLE_ATTRS: dict[str, str] = {
    "name": "str", "font": "font", "size": "len", "leading": "len", "bold": "bool",
    "italic": "bool", "align": "align", "space-before": "len", "space-after": "len",
    "indent-left": "len", "indent-right": "len", "first-line": "len",
    "keep-with-next": "bool", "keep-together": "bool", "color": "color",
    "outline-level": "int", "hyphenate": "bool",
}  # fmt: skip
_LIST_STYLE_ATTRS: dict[str, str] = {
    "name": "str", "format": "format", "label": "str", "bullet": "str", "indent": "len", "hanging": "len",
}  # fmt: skip
_LIST_FORMATS: tuple[str, ...] = get_args(ListFormat)
_ALIGNS: tuple[str, ...] = get_args(Align)
_FONTS: tuple[str, ...] = get_args(FontFamily)
_ORIENTATIONS = ("portrait", "landscape")
_IMAGE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def image_format(path: Path) -> str | None:
    """The image's format by its first bytes: PNG or JPEG, the two both
    writers draw; None for anything else, before a writer chokes on it."""
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError:
        return None
    return next((name for magic, name in _IMAGE_SIGNATURES.items() if head.startswith(magic)), None)


_DOCUMENT_ATTRS = {"size", "margins", "lang", "title", "author", "subject", "keywords", "date", "orientation"}
_INLINE_TAGS = {"b", "i", "u", "sup", "a", "br", "tab", "space", "span", "page-number", "page-count", "note-ref"}
_INLINE_ATTRS: dict[str, set[str]] = {"a": {"href"}, "span": {"lang", "role"}, "note-ref": {"label"}}
_PAGE_FIELDS = {"page-number", "page-count"}
_NOT_IN_MARGINS = {"list", "page-break", "grid", "footnotes", "table"}
_ROW_PARTS = ("left", "center", "right")
_BLOCK_ATTRS: dict[str, set[str]] = {
    "p": {"style", "lang", "keep-with-previous"},
    "row": {"style", "lang", "keep-with-previous"},
    "grid": {"columns", "widths", "keep-with-previous"},
    "table": {"header-rows", "widths"},
    "list": {"style", "start", "format", "label", "bullet"},
    "item": set(),
    "image": {"src", "width", "height", "align", "alt"},
    "rule": {"thickness", "color", "space-before", "space-after", "width"},
    "spacer": {"height"},
    "page-break": set(),
    "footnotes": {"numbering"},
}


@dataclass
class _Parser:
    """Parses rendered XML; `sources` are the template files, used to point
    an error at the template line that wrote the offending markup."""

    sources: tuple[Path, ...]
    base_dir: Path
    image_dirs: tuple[Path, ...] | None = None  # None: images from anywhere
    frame_width: float = 0.0
    styles: dict[str, Style] = field(default_factory=dict)
    list_styles: dict[str, ListStyle] = field(default_factory=dict)
    in_margin: bool = False  # inside a header or footer, where page fields belong
    notes: list[Note] = field(default_factory=list)
    note_numbering: NoteNumbering = "continuous"

    def fail(self, node: etree._Element | None, message: str, needle: str | None = None) -> LayoutError:
        where = self._locate(needle) if needle else None
        if where is not None:
            return LayoutError(message, file=str(where[0]), line=where[1])
        line = node.sourceline if node is not None else None
        return LayoutError(
            f"{message} (rendered layout line {line})", file=str(self.sources[0]) if self.sources else None
        )

    def _locate(self, needle: str) -> tuple[Path, int] | None:
        for source in self.sources:
            try:
                lines = source.read_text(encoding="utf-8").splitlines()
            except OSError:
                continue
            for number, text in enumerate(lines, start=1):
                if needle in text:
                    return source, number
        return None

    # -- document

    def document(self, root: etree._Element) -> Layout:
        if root.tag != "document":
            raise self.fail(root, f"the layout must start with <document>, not <{root.tag}>", f"<{root.tag}")
        self.check_attrs(root, _DOCUMENT_ATTRS)
        page = self.page_setup(root)
        self.frame_width = page.frame_width
        properties: list[tuple[str, str]] = []
        info = DocumentInfo(
            lang=root.get("lang", "en"),
            title=root.get("title", ""),
            author=root.get("author", ""),
            subject=root.get("subject", ""),
            keywords=root.get("keywords", ""),
            date=root.get("date") or None,
        )
        headers: dict[PageSet, tuple[LayoutBlock, ...]] = {}
        footers: dict[PageSet, tuple[LayoutBlock, ...]] = {}
        body: tuple[LayoutBlock, ...] = ()
        for child in self.children(root):
            if child.tag == "styles":
                self.check_attrs(child, set())
                self.style_sheet(child)
            elif child.tag in ("header", "footer"):
                self.check_attrs(child, {"pages"})
                pages = child.get("pages", "all")
                if pages not in ("all", "first", "rest"):
                    raise self.fail(
                        child, f"pages={pages!r} on <{child.tag}>: use all, first or rest", f'pages="{pages}"'
                    )
                target = headers if child.tag == "header" else footers
                target[pages] = self.margin_blocks(child)  # type: ignore[index]
            elif child.tag == "body":
                self.check_attrs(child, set())
                body = self.blocks(child)
            elif child.tag == "properties":
                self.check_attrs(child, set())
                for prop in self.children(child):
                    if prop.tag != "property":
                        raise self.fail(prop, f"<properties> holds only <property>, not <{prop.tag}>", f"<{prop.tag}")
                    self.check_attrs(prop, {"name", "value"})
                    if not prop.get("name"):
                        raise self.fail(prop, "<property> needs a name", "<property")
                    properties.append((prop.get("name", ""), prop.get("value", "")))
            else:
                raise self.fail(child, f"unknown element <{child.tag}> in <document>", f"<{child.tag}")
        info = replace(info, properties=tuple(properties))
        body, notes = resolve_notes(body, tuple(self.notes), page.frame_width)
        layout = Layout(page, info, self.styles, self.list_styles, headers, footers, apply_keeps(body))
        return replace(layout, notes=notes, note_numbering=self.note_numbering)

    def page_setup(self, root: etree._Element) -> PageSetup:
        size = root.get("size", "A4")
        if size not in PAGE_SIZES:
            raise self.fail(root, f"unknown page size {size!r} (known: {', '.join(PAGE_SIZES)})", f'size="{size}"')
        width, height = PAGE_SIZES[size]
        orientation = root.get("orientation", "portrait")
        if orientation not in _ORIENTATIONS:
            raise self.fail(root, f"orientation={orientation!r}: use portrait or landscape", "orientation=")
        if orientation == "landscape":
            width, height = height, width
        parts = root.get("margins", "25mm 20mm 20mm 25mm").split()
        if len(parts) == 1:
            parts *= 4
        if len(parts) == 2:
            parts *= 2
        if len(parts) != 4:
            raise self.fail(root, "margins must give 1, 2 or 4 lengths (top right bottom left)", "margins=")
        top, right, bottom, left = (self.length(root, "margins", p) for p in parts)
        return PageSetup(width, height, top, right, bottom, left)

    def style_sheet(self, node: etree._Element) -> None:
        for child in self.children(node):
            if child.tag == "style":
                values = self.attributes(child, _STYLE_ATTRS)
                style = Style(**values)
                self.styles[style.name] = style
            elif child.tag == "list-style":
                values = self.attributes(child, _LIST_STYLE_ATTRS)
                list_style = ListStyle(**values)
                self.list_styles[list_style.name] = list_style
            else:
                raise self.fail(child, f"unknown element <{child.tag}> in <styles>", f"<{child.tag}")

    # -- blocks

    def blocks(self, node: etree._Element) -> tuple[LayoutBlock, ...]:
        if (node.text or "").strip():
            raise self.fail(node, f"text directly inside <{node.tag}>: put it in a <p>")
        out: list[LayoutBlock] = []
        for child in self.children(node):
            if child.tag == "footnotes" and not self.in_margin:
                self.footnotes(child)
                continue
            if child.get("keep-with-previous") == "true":
                keep_before(out)
            out.append(self.block(child))
            if (child.tail or "").strip():
                raise self.fail(child, f"text after <{child.tag}> inside <{node.tag}>: put it in a <p>")
        return tuple(out)

    def margin_blocks(self, node: etree._Element) -> tuple[LayoutBlock, ...]:
        for child in self.children(node):
            if child.tag in _NOT_IN_MARGINS:
                raise self.fail(child, f"<{child.tag}> cannot stand in a <{node.tag}>", f"<{child.tag}")
        self.in_margin = True
        try:
            return self.blocks(node)
        finally:
            self.in_margin = False

    def block(self, node: etree._Element) -> LayoutBlock:
        tag = node.tag
        if tag not in _BLOCK_ATTRS or tag == "item":
            raise self.fail(node, f"unknown element <{tag}> where a block belongs", f"<{tag}")
        self.check_attrs(node, _BLOCK_ATTRS[tag])
        if tag == "p":
            style = self.style_ref(node, self.styles)
            runs = tuple(_merge_runs(self.inline(node, Run(""))))
            return Paragraph(style=style, runs=runs, line=_line_of(node), lang=node.get("lang") or None)
        if tag == "row":
            return self.row(node)
        if tag == "grid":
            return self.grid(node)
        if tag == "table":
            return self.table(node)
        if tag == "list":
            style = self.style_ref(node, self.list_styles)
            start = self.integer(node, "start", node.get("start", "1"))
            fmt = node.get("format")
            if fmt is not None and fmt not in _LIST_FORMATS:
                raise self.fail(node, f"format={fmt!r} is not a list format", f'format="{fmt}"')
            label = node.get("label")
            if label is not None and "%1" not in label:
                raise self.fail(node, f"label={label!r} must hold %1 where the number goes", f'label="{label}"')
            items = []
            for child in self.children(node):
                if child.tag != "item":
                    raise self.fail(child, f"<list> holds only <item>, not <{child.tag}>", f"<{child.tag}")
                self.check_attrs(child, set())
                items.append(ListItem(self.blocks(child)))
            return List(
                style=style,
                items=tuple(items),
                start=start,
                format=fmt,  # type: ignore[arg-type]
                label=label,
                bullet=node.get("bullet") or None,
            )
        if tag == "image":
            src = node.get("src")
            if not src:
                raise self.fail(node, "<image> needs a src", "<image")
            data = self.data_uri(node, src) if src.startswith("data:") else None
            path = None if data is not None else (self.base_dir / src).resolve()
            if path is not None:
                self.check_image_file(node, src, path)
            align = node.get("align", "center")
            if align not in ("left", "center", "right"):
                raise self.fail(node, f"align={align!r} on <image>", f'align="{align}"')
            return Image(
                src=path,
                width=self.length(node, "width", node.get("width")) if node.get("width") else None,
                height=self.length(node, "height", node.get("height")) if node.get("height") else None,
                align=align,  # type: ignore[arg-type]
                alt=node.get("alt", ""),
                data=data,
            )
        if tag == "rule":
            return Rule(
                thickness=self.length(node, "thickness", node.get("thickness", "0.5pt")),
                color=self.color(node, node.get("color", "#000000")),
                space_before=self.length(node, "space-before", node.get("space-before", "0pt")),
                space_after=self.length(node, "space-after", node.get("space-after", "6pt")),
                width=self.length(node, "width", node.get("width")) if node.get("width") else None,
            )
        if tag == "spacer":
            return Spacer(self.length(node, "height", node.get("height", "12pt")))
        return PageBreak()

    def footnotes(self, node: etree._Element) -> None:
        """`<footnotes>`: the notes, kept aside for `resolve_notes`."""
        self.check_attrs(node, _BLOCK_ATTRS["footnotes"])
        numbering = node.get("numbering", "continuous")
        if numbering not in NOTE_NUMBERINGS:
            raise self.fail(node, f"numbering={numbering!r}: use continuous or per-page", f'numbering="{numbering}"')
        self.note_numbering = numbering  # type: ignore[assignment]
        for child in self.children(node):
            if child.tag != "note":
                raise self.fail(child, f"<footnotes> holds only <note>, not <{child.tag}>", f"<{child.tag}")
            self.check_attrs(child, {"label", "style"})
            label = (child.get("label") or "").strip()
            if not label:
                raise self.fail(child, "<note> needs a label", "<note")
            style = self.style_ref(child, self.styles)
            runs = tuple(_merge_runs(self.inline(child, Run(""))))
            self.notes.append(Note(label, Paragraph(style=style, runs=runs, line=_line_of(child))))

    def check_image_file(self, node: etree._Element, src: str, path: Path) -> None:
        """A template's image: inside its folder, there, a PNG or JPEG."""
        if self.image_dirs is not None and not any(
            path == allowed or path.is_relative_to(allowed) for allowed in self.image_dirs
        ):
            raise self.fail(node, f"image {src} lies outside the template's folder", src)
        if not path.is_file():
            raise self.fail(node, f"image file not found: {src}", src)
        if image_format(path) is None:
            raise self.fail(node, f"image file is not a PNG or JPEG: {src}", src)

    def data_uri(self, node: etree._Element, src: str) -> bytes:
        """The bytes of a `data:image/png;base64,…` address (PNG or JPEG)."""
        head, _, body = src.partition(",")
        try:
            data = base64.b64decode(body, validate=True) if head.endswith(";base64") else b""
        except binascii.Error:
            data = b""
        if not any(data.startswith(magic) for magic in _IMAGE_SIGNATURES):
            raise self.fail(node, "an <image> data address holds no PNG or JPEG in base64", "<image")
        return data

    def row(self, node: etree._Element) -> Row:
        style = self.style_ref(node, self.styles)
        if (node.text or "").strip():
            raise self.fail(node, "text directly inside <row>: put it in <left>, <center> or <right>", "<row")
        parts: dict[str, tuple[Run, ...]] = {}
        for child in self.children(node):
            if child.tag not in _ROW_PARTS or child.tag in parts:
                raise self.fail(child, f"<row> holds one each of <left>, <center>, <right>, not <{child.tag}>")
            self.check_attrs(child, set())
            parts[child.tag] = tuple(_merge_runs(self.inline(child, Run(""))))
        return Row(style=style, lang=node.get("lang") or None, **parts)

    def grid(self, node: etree._Element) -> Grid:
        cells: list[tuple[LayoutBlock, ...]] = []
        for child in self.children(node):
            if child.tag != "cell":
                raise self.fail(child, f"<grid> holds only <cell>, not <{child.tag}>", f"<{child.tag}")
            self.check_attrs(child, set())
            cells.append(self.blocks(child))
        if node.get("widths"):
            widths = tuple(self.length(node, "widths", part) for part in node.get("widths", "").split())
        else:
            count = self.integer(node, "columns", node.get("columns", "2"))
            if count < 1:
                raise self.fail(node, "columns must be 1 or more", "columns=")
            widths = (self.frame_width / count,) * count
        if sum(widths) > self.frame_width + 0.5:
            raise self.fail(node, "the grid's columns are wider than the text area", "widths=")
        columns = len(widths)
        rows = [tuple(cells[i : i + columns]) for i in range(0, len(cells), columns)]
        if rows and len(rows[-1]) < columns:  # the last row filled with empty cells
            rows[-1] = rows[-1] + ((),) * (columns - len(rows[-1]))
        return Grid(widths=widths, rows=tuple(rows))

    def table(self, node: etree._Element) -> Table:
        header_rows = self.integer(node, "header-rows", node.get("header-rows", "0"))
        grid: list[list[TableCell | None]] = []
        covered: set[tuple[int, int]] = set()
        for r, tr in enumerate(self.children(node)):
            if tr.tag != "tr":
                raise self.fail(tr, f"<table> holds only <tr>, not <{tr.tag}>", f"<{tr.tag}")
            self.check_attrs(tr, set())
            line: list[TableCell | None] = []
            for td in self.children(tr):
                if td.tag != "td":
                    raise self.fail(td, f"<tr> holds only <td>, not <{td.tag}>", f"<{td.tag}")
                self.check_attrs(td, {"colspan", "rowspan"})
                while (r, len(line)) in covered:
                    line.append(None)
                spans = [self.integer(td, name, td.get(name, "1")) for name in ("colspan", "rowspan")]
                if min(spans) < 1:
                    raise self.fail(td, "colspan and rowspan must be 1 or more", "span=")
                cell = TableCell(self.blocks(td), col_span=spans[0], row_span=spans[1], header=r < header_rows)
                covered.update((r + dr, len(line) + dc) for dr in range(spans[1]) for dc in range(spans[0]))
                line.append(cell)
                line.extend([None] * (spans[0] - 1))
            while (r, len(line)) in covered:
                line.append(None)
            grid.append(line)
        columns = max((len(line) for line in grid), default=0)
        if not columns:
            raise self.fail(node, "a <table> needs a row with a cell", "<table")
        # a span reaching below the last row stops there
        # a short row is filled with empty cells, so every row has the same columns
        rows = tuple(
            tuple(line + [TableCell((), header=r < header_rows) for _ in range(columns - len(line))])
            for r, line in enumerate(grid)
        )
        rows = tuple(
            tuple(replace(c, row_span=min(c.row_span, len(rows) - r)) if c is not None else None for c in row)
            for r, row in enumerate(rows)
        )
        if node.get("widths"):
            try:
                shares = [float(part) for part in node.get("widths", "").split()]
            except ValueError:
                raise self.fail(node, "widths: numbers, each column's share", "widths=") from None
            if len(shares) != columns or min(shares) <= 0:
                raise self.fail(node, f"widths: {columns} positive numbers, one per column", "widths=")
        else:
            shares = [1.0] * columns
        widths = tuple(share / sum(shares) for share in shares)
        return Table(widths=widths, rows=rows, header_rows=min(header_rows, len(rows)))

    def inline(self, node: etree._Element, fmt: Run) -> Iterator[Run]:
        if node.text:
            yield replace(fmt, text=_squash(node.text))
        for child in self.children(node):
            tag = child.tag
            if tag not in _INLINE_TAGS:
                raise self.fail(child, f"unknown inline element <{tag}>", f"<{tag}")
            self.check_attrs(child, _INLINE_ATTRS.get(tag, set()))
            if tag in _PAGE_FIELDS and not self.in_margin:
                raise self.fail(child, f"<{tag}> belongs in a <header> or <footer>", f"<{tag}")
            if tag == "br":
                yield replace(fmt, text="\n")
            elif tag in ("tab", "space"):  # the document's own, kept as written
                yield replace(fmt, text="\t" if tag == "tab" else " ")
            elif tag == "page-number":
                yield replace(fmt, text="", field="page")
            elif tag == "page-count":
                yield replace(fmt, text="", field="pages")
            elif tag == "note-ref":
                label = (child.get("label") or "").strip()
                if not label:
                    raise self.fail(child, "<note-ref> needs a label", "<note-ref")
                yield replace(fmt, text=label, superscript=True, note=label)
            else:
                inner = {
                    "b": replace(fmt, bold=True),
                    "i": replace(fmt, italic=True),
                    "u": replace(fmt, underline=True),
                    "sup": replace(fmt, superscript=True),
                    "a": replace(fmt, href=child.get("href") or None),
                    "span": self.span(child, fmt),
                }[tag]
                yield from self.inline(child, inner)
            if child.tail:
                yield replace(fmt, text=_squash(child.tail))

    def span(self, node: etree._Element, fmt: Run) -> Run:
        role = node.get("role")
        if role is not None and role not in INLINE_ROLES:
            raise self.fail(node, f"role={role!r} on <span>: use {' or '.join(INLINE_ROLES)}", f'role="{role}"')
        return replace(
            fmt,
            lang=node.get("lang") or fmt.lang,
            role=role or fmt.role,  # type: ignore[arg-type]
            italic=fmt.italic or role == "opening",
        )

    # -- attributes

    def children(self, node: etree._Element) -> Iterator[etree._Element]:
        for child in node:
            if isinstance(child.tag, str):
                yield child

    def check_attrs(self, node: etree._Element, allowed: set[str]) -> None:
        for key in node.attrib:
            name = str(key)
            if name not in allowed:
                raise self.fail(node, f"unknown attribute {name!r} on <{node.tag}>", f"{name}=")

    def attributes(self, node: etree._Element, spec: dict[str, str]) -> dict[str, Any]:
        self.check_attrs(node, set(spec))
        if not node.get("name"):
            raise self.fail(node, f"<{node.tag}> needs a name", f"<{node.tag}")
        values: dict[str, Any] = {}
        for attr, kind in spec.items():
            raw = node.get(attr)
            if raw is None:
                continue
            key = attr.replace("-", "_")
            if kind == "len":
                values[key] = self.length(node, attr, raw)
            elif kind == "bool":
                if raw not in ("true", "false"):
                    raise self.fail(node, f"{attr}={raw!r}: use true or false", f'{attr}="{raw}"')
                values[key] = raw == "true"
            elif kind == "int":
                values[key] = self.integer(node, attr, raw)
            elif kind == "color":
                values[key] = self.color(node, raw)
            elif kind == "font":
                if raw not in _FONTS:
                    raise self.fail(node, f"font={raw!r}: use serif or sans", f'font="{raw}"')
                values[key] = raw
            elif kind == "align":
                if raw not in _ALIGNS:
                    raise self.fail(node, f"align={raw!r}: use left, center, right or justify", f'align="{raw}"')
                values[key] = raw
            elif kind == "format":
                if raw not in _LIST_FORMATS:
                    raise self.fail(node, f"format={raw!r} is not a list format", f'format="{raw}"')
                values[key] = raw
            else:
                values[key] = raw
        return values

    def style_ref(self, node: etree._Element, known: dict[str, Style] | dict[str, ListStyle]) -> str:
        name = node.get("style")
        if not name:
            raise self.fail(node, f"<{node.tag}> needs a style", f"<{node.tag}")
        if name not in known:
            raise self.fail(node, f"<{node.tag}> uses undefined style {name!r}", f'style="{name}"')
        return name

    def length(self, node: etree._Element, attr: str, raw: str | None) -> float:
        try:
            return length(raw or "")
        except ValueError as err:
            raise self.fail(node, f"{attr}: {err}", f"{attr}=") from None

    def integer(self, node: etree._Element, attr: str, raw: str) -> int:
        if not raw.strip().isdigit():
            raise self.fail(node, f"{attr}={raw!r} is not a whole number", f"{attr}=")
        return int(raw)

    def color(self, node: etree._Element, raw: str) -> str:
        if not _COLOR.match(raw):
            raise self.fail(node, f"colour {raw!r}: use #RRGGBB", raw)
        return raw.upper()


_SPACES = re.compile(r"[ \t\r\n]+")  # XML whitespace only: keep no-break spaces


def _squash(text: str) -> str:
    """XML whitespace inside a paragraph collapses to one space, as in HTML."""
    return _SPACES.sub(" ", text)


_LOOK = tuple(spec.name for spec in fields(Run) if spec.name != "text")


def _same_look(a: Run, b: Run) -> bool:
    """Whether two runs differ in nothing but their text."""
    return all(getattr(a, name) == getattr(b, name) for name in _LOOK)


def _merge_runs(runs: Iterator[Run]) -> Iterator[Run]:
    """Join neighbouring runs of equal formatting; trim the paragraph's ends."""
    merged: list[Run] = []
    for run in runs:
        if (
            merged
            and run.field is None
            and merged[-1].field is None
            and run.note is None
            and merged[-1].note is None
            and run.text != "\n"
            and merged[-1].text != "\n"
        ):
            last = merged[-1]
            if _same_look(last, run):
                merged[-1] = replace(last, text=last.text + run.text)
                continue
        if run.text or run.field:
            merged.append(run)
    if merged and merged[0].field is None:
        merged[0] = replace(merged[0], text=merged[0].text.lstrip(" "))
    if merged and merged[-1].field is None:
        merged[-1] = replace(merged[-1], text=merged[-1].text.rstrip(" "))
    for i, run in enumerate(merged):  # no spaces around a line break
        if run.text == "\n":
            if i > 0 and merged[i - 1].field is None:
                merged[i - 1] = replace(merged[i - 1], text=merged[i - 1].text.rstrip(" "))
            if i + 1 < len(merged) and merged[i + 1].field is None:
                merged[i + 1] = replace(merged[i + 1], text=merged[i + 1].text.lstrip(" "))
    yield from (
        replace(run, text=bind_spaces(run.text)) if run.field is None else run
        for run in merged
        if run.text or run.field
    )


def parse_layout(
    xml: str,
    *,
    sources: tuple[Path, ...] = (),
    base_dir: Path | None = None,
    image_dirs: tuple[Path, ...] | None = None,
) -> Layout:
    """Parse and validate a rendered layout; errors name the template file and
    line that wrote the offending markup where it can be found. With
    `image_dirs`, an image outside them is refused."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    dirs = tuple(d.resolve() for d in image_dirs) if image_dirs is not None else None
    helper = _Parser(sources=sources, base_dir=base_dir or Path.cwd(), image_dirs=dirs)
    try:
        root = etree.fromstring(xml.encode("utf-8"), parser)
    except etree.XMLSyntaxError as err:
        line = err.lineno
        raise LayoutError(
            f"the template did not produce well-formed XML: {err.msg} (rendered layout line {line})",
            file=str(sources[0]) if sources else None,
        ) from None
    return helper.document(root)


def _line_of(node: etree._Element) -> int:
    """The rendered-layout line of an element (0 where lxml does not know)."""
    line: Any = getattr(node, "sourceline", None)
    return int(line) if isinstance(line, int) else 0
