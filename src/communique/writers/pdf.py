"""PDF writer: the layout tree drawn with reportlab platypus.

Takes a `Layout`, gives PDF bytes. Every style becomes a `ParagraphStyle`,
lists become paragraphs with hanging labels, header and footer are drawn on
each page once the page count is known. Text is escaped before it reaches
reportlab's paragraph markup, and every character is checked against the
font: one the main font lacks is drawn from the bundled fallback font, then
from an installed font (fontconfig), one no font has is an error rather
than a silent blank box.
"""

from __future__ import annotations

import copy
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import cache
from typing import Any, NamedTuple

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, KeepTogether, PageTemplate, TableStyle
from reportlab.platypus import Image as RLImage
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Spacer as RLSpacer
from reportlab.platypus import Table as RLTable
from reportlab.platypus.doctemplate import LayoutError as RLLayoutError
from reportlab.platypus.flowables import HRFlowable

from communique import archival
from communique.errors import CommuniqueError
from communique.fonts import covers, face_name, fallback_face_names, register_family
from communique.fonts import system as system_fonts
from communique.layout import (
    HEADER_DISTANCE,
    Grid,
    Image,
    Layout,
    LayoutBlock,
    List,
    PageBreak,
    Paragraph,
    Row,
    Rule,
    Run,
    Spacer,
    Style,
    Table,
    TableCell,
    format_label,
    mark_metrics,
)
from communique.writers import DEFAULT_PDF_PROFILE, PDF_PROFILES
from communique.writers.pdf_marks import MarkedCanvas, artifact, mark
from communique.writers.pdf_notes import NoteParagraph, NotesArea, NotesFlush, NotesFrame, per_page_labels
from communique.writers.pdf_tags import STRUCTURE, Element, Marks, Notes, StructureBuilder, element_name, tag_for
from communique.xmltext import escape, quoteattr

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
# Word and LibreOffice measure lines in twips (1/20 pt): a line that overflows
# by less than half a twip still fits there, so it fits here too.
_TWIP_TOLERANCE = 0.025
# Invisible formatting characters: kept in the DOCX, not drawn in the PDF.
_SPACE_AFTER_SPACE = re.compile(r"(?<= ) ")
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


def write(layout: Layout, profile: str = DEFAULT_PDF_PROFILE) -> bytes:
    """The layout as archival PDF bytes in one of `PDF_PROFILES`: tagged
    (PDF/A-3a + PDF/UA-1) by default."""
    return write_paged(layout, profile)[0]


def write_paged(layout: Layout, profile: str = DEFAULT_PDF_PROFILE) -> tuple[bytes, int]:
    """The archival PDF bytes and their page count, as drawn (no need to
    open the file again to count)."""
    tagged = PDF_PROFILES[profile].tagged
    drawn = render_with_structure(layout, tagged=tagged)
    pdf = archival.finalize(drawn.pdf, layout, profile=profile, structure=drawn.structure if tagged else None)
    return pdf, drawn.pages


class Drawn(NamedTuple):
    """What reportlab drew: the PDF bytes, the structure tree of what was
    drawn, and the number of pages."""

    pdf: bytes
    structure: Element
    pages: int


def render(layout: Layout, tagged: bool = False) -> bytes:
    """The layout as plain reportlab PDF bytes (before archival post-processing)."""
    return render_with_structure(layout, tagged=tagged).pdf


def render_with_structure(layout: Layout, tagged: bool = True) -> Drawn:
    """reportlab's PDF bytes and the structure tree of what was drawn; with
    `tagged` the content stream carries the marked-content pieces the tree
    points at.

    Lines break at spaces only. Word and LibreOffice also break after a hyphen
    inside a word; reportlab can (`embeddedHyphenation`), but when such a
    paragraph is split across pages it drops the hyphen from the text, so
    that is left off: losing a character is worse than a different break."""
    try:
        return _render(layout, tagged)
    except RLLayoutError as err:
        raise CommuniqueError(f"the layout cannot be set on the page: {str(err).splitlines()[0]}") from None


def _render(layout: Layout, tagged: bool) -> Drawn:
    """The layout drawn; with per-page footnote numbering drawn again until
    the labels agree with the pages the marks fell on (a label's width can
    move a mark)."""
    shown = {note.label: note.label for note in layout.notes}
    for _ in range(4):
        drawn, pages = _render_once(layout, tagged, shown)
        if layout.note_numbering != "per-page":
            break
        again = per_page_labels([note.label for note in layout.notes], pages)
        if again == shown:
            break
        shown = again
    return drawn


def _render_once(layout: Layout, tagged: bool, shown: dict[str, str]) -> tuple[Drawn, list[int]]:
    """One layout pass; also the page each note's mark fell on, in note order."""
    for family in {"serif", *(style.font for style in layout.styles.values())}:
        register_family(family)
    styles = {name: paragraph_style(style) for name, style in layout.styles.items()}
    # Footnote marks link to their notes (the link also tells the frame where a mark fell).
    tags = StructureBuilder(lang=layout.info.lang, notes=Notes.of(layout, shown))
    # A hair of a spacer first (a zero one does not count): reportlab drops
    # the first paragraph's space before at the top of the page, Word and
    # LibreOffice keep it.
    story = [RLSpacer(1, 0.01), *_flowables(layout.body, layout, styles, 0.0, tags)]
    notes = {}
    for note in layout.notes:  # after the body in the structure tree, each a Note with its ID
        note_id = tags.notes.by_label[note.label]
        label = Run(shown[note.label], superscript=True, note=note.label)
        paragraph = replace(note.paragraph, runs=(label, Run(" "), *note.paragraph.runs))
        notes[note_id] = _paragraph(paragraph, layout, styles, 0.0, tags, note_id=note_id)
    if notes:
        story.append(NotesFlush())
    page = layout.page
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(page.width, page.height),
        leftMargin=page.margin_left,
        rightMargin=page.margin_right,
        topMargin=page.margin_top,
        bottomMargin=page.margin_bottom,
        title=layout.info.title,
        author=layout.info.author,
        subject=layout.info.subject,
        keywords=layout.info.keywords,
        creator="Communique",
        lang=layout.info.lang,
        invariant=1,
        initialFontName=face_name("serif", False, False),
        initialFontSize=12,
    )
    frame = NotesFrame(
        page.margin_left,
        page.margin_bottom,
        page.frame_width + _TWIP_TOLERANCE,
        page.height - page.margin_top - page.margin_bottom,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    area = NotesArea(notes, page.frame_width)
    frame.area = area if notes else None
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=lambda canv, _: area.draw(canv, frame))])
    doc.keepTogetherClass = KeepWithNextLines

    def decorate(canvas: Canvas, number: int, total: int) -> None:
        _draw_margin_blocks(canvas, layout, styles, number, total)

    def make_canvas(*args: Any, **kwargs: Any) -> Canvas:
        canvas = _PagedCanvas(*args, decorate=decorate, **kwargs)
        canvas.marks = Marks(tags.notes) if tagged else None
        return canvas

    doc.build(story, canvasmaker=make_canvas)
    note_pages = [area.pages.get(tags.notes.by_label[n.label], 0) for n in layout.notes]
    return Drawn(buffer.getvalue(), tags.root, doc.page), note_pages


class _PagedCanvas(MarkedCanvas):
    """Holds pages back until the end, so headers and footers can show the
    page count ("1 / 2")."""

    def __init__(self, *args: Any, decorate: Callable[[Canvas, int, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []
        self._decorate = decorate

    def showPage(self) -> None:  # reportlab's name
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self._decorate(self, number, total)
            Canvas.showPage(self)
        Canvas.save(self)


# ---------------------------------------------------------------- styles


def paragraph_style(style: Style) -> ParagraphStyle:
    """The reportlab style of a layout style (composition measures with it too)."""
    font = face_name(style.font, style.bold, style.italic)
    return ParagraphStyle(
        name=style.name,
        fontName=font,
        fontSize=style.size,
        leading=style.leading,
        alignment=_ALIGN[style.align],
        spaceBefore=style.space_before,
        spaceAfter=style.space_after,
        leftIndent=style.indent_left,
        rightIndent=style.indent_right,
        firstLineIndent=style.first_line,
        keepWithNext=int(style.keep_with_next),
        textColor=HexColor(style.color),
        bulletFontName=font,
        bulletFontSize=style.size,
        allowWidows=0,  # widow and orphan control, as Word and LibreOffice do
        allowOrphans=0,
        spaceShrinkage=0,  # Word never squeezes spaces in justified lines
        splitLongWords=1,
        hyphenationLang="",
        embeddedHyphenation=0,
    )


# ---------------------------------------------------------------- blocks


def _flowables(
    blocks: tuple[LayoutBlock, ...],
    layout: Layout,
    styles: dict[str, ParagraphStyle],
    base_indent: float,
    tags: StructureBuilder,
) -> Iterator[Flowable]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield _paragraph(block, layout, styles, base_indent, tags)
        elif isinstance(block, List):
            with tags.element(tag_for(element_name(block))):
                yield from _list(block, layout, styles, base_indent, tags)
        elif isinstance(block, Row):
            role = layout.roles.get(block.style)
            yield mark(_row(block, layout, styles), tags.new(tag_for(element_name(block), role), lang=block.lang or ""))
        elif isinstance(block, Grid):
            yield _grid(block, layout, styles, tags)
        elif isinstance(block, Table):
            yield _table(block, layout, styles, base_indent, tags)
        elif isinstance(block, Image):
            alt = layout.alt_text(block)
            yield mark(
                _image(block, layout.page.frame_width - base_indent),
                tags.new(tag_for(element_name(block)) if alt else STRUCTURE["decoration"], alt=alt),
            )
        elif isinstance(block, Rule):
            rule = HRFlowable(
                width=block.width if block.width is not None else "100%",
                hAlign="LEFT",
                thickness=block.thickness,
                color=HexColor(block.color),
                spaceBefore=block.space_before,
                spaceAfter=block.space_after,
                lineCap="butt",
            )
            yield mark(rule, tags.new(tag_for(element_name(block))))
        elif isinstance(block, Spacer):
            spacer = mark(RLSpacer(1, block.height), tags.new(tag_for(element_name(block))))
            spacer.keepWithNext = int(block.keep_with_next)
            yield spacer
        elif isinstance(block, PageBreak):
            yield mark(RLPageBreak(), tags.new(tag_for(element_name(block))))
        else:  # pragma: no cover - the layout parser admits nothing else
            raise TypeError(f"the PDF writer does not know {type(block).__name__}")


def _paragraph(
    block: Paragraph,
    layout: Layout,
    styles: dict[str, ParagraphStyle],
    base_indent: float,
    tags: StructureBuilder,
    label: str | None = None,
    hanging: float = 0.0,
    label_element: Element | None = None,
    note_id: str = "",
) -> Flowable:
    """A paragraph bound to its structure element; a list item's first
    paragraph draws the item's label, which `label_element` (`Lbl`) gets;
    a footnote's paragraph is a `Note` with its `note_id`."""
    role, outline_level = layout.roles.get(block.style), layout.styles[block.style].outline_level
    lang = block.lang or ""
    note_id = note_id or tags.notes.id_of(block)
    tag = tag_for(element_name(block), role, outline_level)
    target = tags.new(tag, outline_level=outline_level, lang=lang, id=note_id)
    style = styles[block.style]
    if block.narrow:  # a balanced title
        left, right = block.narrowed(layout.styles[block.style])
        style = ParagraphStyle(name=f"{style.name} narrowed", parent=style, leftIndent=left, rightIndent=right)
    if base_indent or label is not None:
        style = ParagraphStyle(
            name=f"{style.name}@{base_indent}",
            parent=style,
            leftIndent=style.leftIndent + base_indent,
            firstLineIndent=0 if label is not None else style.firstLineIndent,
            bulletIndent=style.leftIndent + base_indent - hanging,
        )
    references = {} if note_id else tags.notes.by_label
    markup = paragraph_markup(block.runs, layout.styles[block.style], references=references, shown=tags.notes.shown)
    if note_id:  # the place a footnote mark links to
        markup = f'<a name="{note_id}"/>{markup}'
    if label is not None and not markup:
        markup = "\u00a0"  # reportlab draws no label beside an empty paragraph
    if label:  # a <bullet> tag, not bulletText: reportlab draws bulletText raw, without markup or fallback fonts
        markup = f"<bullet>{_escape_label(label, layout.styles[block.style])}</bullet>{markup}"
    marks = tuple(references[run.note] for run in block.runs if run.note is not None and run.note in references)
    paragraph = NoteParagraph(markup, style) if marks else RLParagraph(markup, style)
    if marks:
        paragraph.note_ids = marks
    flowable: Flowable = mark(paragraph, target, label_element if label else None)
    if layout.styles[block.style].keep_together:
        flowable = KeepTogether([flowable])
    if block.keep_with_next:
        flowable.keepWithNext = 1
    return flowable


def _list(
    block: List, layout: Layout, styles: dict[str, ParagraphStyle], base_indent: float, tags: StructureBuilder
) -> Iterator[Flowable]:
    """Each item as `LI` → `Lbl` (drawn by its first paragraph) + `LBody`
    (its blocks, nested lists included)."""
    list_style = layout.list_style_of(block)
    text_indent = base_indent + list_style.indent
    for number, item in enumerate(block.items, start=block.start):
        label: str | None = format_label(list_style, number)
        with tags.element(tag_for(element_name(item))):
            made = tags.new(tag_for("label")) if label else None
            label_element = made if isinstance(made, Element) else None
            with tags.element(tag_for("listbody")):
                for child in item.blocks:
                    if isinstance(child, Paragraph):
                        hanging = list_style.hanging if label else 0.0
                        yield _paragraph(child, layout, styles, text_indent, tags, label, hanging, label_element)
                        label = None
                    else:
                        yield from _flowables((child,), layout, styles, text_indent, tags)
                if label is not None:  # an item with no paragraph still shows its label
                    empty = Paragraph(style=_first_style(layout), runs=())
                    hanging = list_style.hanging
                    yield _paragraph(empty, layout, styles, text_indent, tags, label, hanging, label_element)


class KeepWithNextLines(KeepTogether):  # type: ignore[misc]
    """Keep-with-next as Word and LibreOffice do it: the kept blocks go to
    the next page only when they and the first lines of the block they keep
    with do not fit (two lines, or the whole of a paragraph of three lines or
    fewer, since widow and orphan control forbid a smaller piece); reportlab's
    own KeepTogether would ask for the whole of that block."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        size: tuple[float, float] = super().wrap(available_width, available_height)
        last = self._content[-1]
        if len(self._content) > 1 and isinstance(last, RLParagraph):
            height = last.wrap(available_width, available_height)[1]
            lines = len(getattr(last.blPara, "lines", ()))
            if lines > 3:
                self._H -= height - 2 * last.style.leading
        return size


class RowFlowable(Flowable):  # type: ignore[misc]
    """Role "row": one line in three parts, drawn as three paragraphs over
    the same line: the left part from the indent, the centre part centred on
    the frame's middle, the right part against the right indent, where
    Word's centre and right tab stops put them."""

    role = "row"

    def __init__(self, parts: list[RLParagraph], style: ParagraphStyle) -> None:
        super().__init__()
        self.parts = parts
        self.style = style

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = max((part.wrap(available_width, available_height)[1] for part in self.parts), default=0.0)
        return self.width, self.height

    def draw(self) -> None:
        for part in self.parts:
            _, height = part.wrap(self.width, self.height)
            part.drawOn(self.canv, 0, self.height - height)

    def getSpaceBefore(self) -> float:  # reportlab's name
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:  # reportlab's name
        return float(self.style.spaceAfter)


def _row(
    block: Row, layout: Layout, styles: dict[str, ParagraphStyle], fields: dict[str, str] | None = None
) -> Flowable:
    style = styles[block.style]
    layout_style = layout.styles[block.style]
    parts: list[RLParagraph] = []
    for alignment, runs in zip((TA_LEFT, TA_CENTER, TA_RIGHT), block.parts(), strict=True):
        if not runs:
            continue
        part_style = ParagraphStyle(
            name=f"{style.name} {alignment}",
            parent=style,
            alignment=alignment,
            spaceBefore=0,
            spaceAfter=0,
            leftIndent=style.leftIndent if alignment == TA_LEFT else 0,
            rightIndent=style.rightIndent if alignment == TA_RIGHT else 0,
            firstLineIndent=style.firstLineIndent if alignment == TA_LEFT else 0,
        )
        parts.append(RLParagraph(paragraph_markup(runs, layout_style, fields), part_style))
    flowable = RowFlowable(parts, style)
    flowable.keepWithNext = style.keepWithNext
    return flowable


def _grid(block: Grid, layout: Layout, styles: dict[str, ParagraphStyle], tags: StructureBuilder) -> Flowable:
    """Role "grid": a borderless table without cell padding, cells top-aligned;
    in the structure tree its rows and cells in reading order."""
    data: list[list[list[Flowable]]] = []
    with tags.element(tag_for(element_name(block))):
        for row in block.rows:
            with tags.element(tag_for("gridrow")):
                data.append([list(_cell(cell, layout, styles, tags)) for cell in row])
    table = RLTable(data, colWidths=list(block.widths), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    table.role = "grid"
    return table


# A table's rules and cell margins, the same in the DOCX (Word's defaults).
TABLE_RULE = 0.5
TABLE_CELL_MARGIN = 5.4
TABLE_CELL_PADDING = 1.5  # above and below a cell's text, so it never touches the rules
TABLE_NARROWEST = 2 * TABLE_CELL_MARGIN + 12  # a column has room for its margins and a letter or two


class RuledTable(RLTable):  # type: ignore[misc]
    """A table whose rules are artifacts and whose header rows, repeated on
    a later page, are drawn as artifacts too (read once, where they stand)."""

    header_rows = 0

    def _drawLines(self) -> None:  # reportlab's name
        with artifact(self.canv, STRUCTURE["rule"]):
            super()._drawLines()

    def _drawBkgrnd(self) -> None:  # reportlab's name
        with artifact(self.canv, STRUCTURE["rule"]):
            super()._drawBkgrnd()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # reportlab's name
        parts: list[Flowable] = super().split(availWidth, availHeight)
        for part in parts[1:]:
            part.header_rows = self.header_rows
            for index in range(min(self.header_rows, len(part._cellvalues))):
                part._cellvalues[index] = [_repeated(value) for value in part._cellvalues[index]]
        return parts


def _repeated(value: Any) -> Any:
    """A header cell's content drawn again on a later page: a copy drawn as
    an artifact."""
    if isinstance(value, list | tuple):  # reportlab's own tuple type for a cell's flowables
        return type(value)(_repeated(item) for item in value)
    if isinstance(value, Flowable):
        return mark(copy.copy(value), STRUCTURE["pagebreak"])
    return value


def _table(
    block: Table, layout: Layout, styles: dict[str, ParagraphStyle], base_indent: float, tags: StructureBuilder
) -> Flowable:
    """A document's table: ruled cells, widths shared out over the text
    width (less the indent of a list around it), spans, header rows
    repeated on each page; tagged Table → TR → TH/TD."""
    data: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), TABLE_RULE, HexColor("#000000")),
        ("TOPPADDING", (0, 0), (-1, -1), TABLE_CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), TABLE_CELL_PADDING),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    with tags.element(tag_for(element_name(block))):
        for r, row in enumerate(block.rows):
            line: list[Any] = []
            with tags.element(tag_for("tablerow")):
                for c, cell in enumerate(row):
                    if cell is None:
                        line.append("")
                        continue
                    spans = (cell.row_span, cell.col_span)
                    line.append(list(_cell(cell.blocks, layout, styles, tags, _cell_element(cell), spans)))
                    if cell.col_span > 1 or cell.row_span > 1:
                        commands.append(("SPAN", (c, r), (c + cell.col_span - 1, r + cell.row_span - 1)))
            data.append(line)
    widths, margin = table_geometry(block, layout, layout.page.frame_width - base_indent)
    commands += [("LEFTPADDING", (0, 0), (-1, -1), margin), ("RIGHTPADDING", (0, 0), (-1, -1), margin)]
    table = RuledTable(
        data,
        colWidths=widths,
        hAlign="RIGHT" if base_indent else "LEFT",
        repeatRows=block.header_rows,
        splitInRow=1,  # a row taller than a page breaks inside (Word too), other rows stay whole
    )
    table.header_rows = block.header_rows
    table.setStyle(TableStyle(commands))
    return table


def table_geometry(block: Table, layout: Layout, available: float) -> tuple[list[float], float]:
    """The columns' widths and the cell margin, the same in both writers:
    each column keeps room for its longest word and its margins (Word's
    default margin, narrowed down to 1pt where a table has many columns)."""
    words = _longest_words(block, layout)
    margin = TABLE_CELL_MARGIN
    widths = block.column_widths(available, [max(TABLE_NARROWEST, w + 2 * margin + 1) for w in words])
    if all(width >= word + 2 * margin + 1 for width, word in zip(widths, words, strict=True)):
        return widths, margin
    widths = block.column_widths(available, [max(TABLE_NARROWEST, w + 3) for w in words])
    room = min((width - word - 1) / 2 for width, word in zip(widths, words, strict=True))
    return widths, max(1.0, min(TABLE_CELL_MARGIN, room))


def _longest_words(block: Table, layout: Layout) -> list[float]:
    """Each column's longest word in points (in the cells of that column alone)."""
    longest = [0.0] * len(block.widths)
    for row in block.rows:
        for column, cell in enumerate(row):
            if cell is None or cell.col_span != 1:
                continue
            for paragraph in cell.blocks:
                if not isinstance(paragraph, Paragraph):
                    continue
                style = layout.styles[paragraph.style]
                for run in paragraph.runs:
                    font = face_name(style.font, style.bold or run.bold, style.italic or run.italic)
                    for word in run.text.split():
                        longest[column] = max(longest[column], stringWidth(word, font, style.size))
    return longest


def _cell_element(cell: TableCell) -> str:
    return "tableheader" if cell.header else "tablecell"


def _cell(
    blocks: tuple[LayoutBlock, ...],
    layout: Layout,
    styles: dict[str, ParagraphStyle],
    tags: StructureBuilder,
    element: str = "gridcell",
    spans: tuple[int, int] | None = None,
) -> Iterator[Flowable]:
    """A grid or table cell's content with paragraph spacing as spacers:
    inside a cell reportlab drops the first space before and the last space
    after and merges the others, where Word adds every one. A table cell's
    `spans` (rows, columns) go on its element."""
    with tags.element(tag_for(element)) as made:
        if isinstance(made, Element):
            made.spans = spans
        for block in blocks:
            if not isinstance(block, Paragraph):
                yield from _flowables((block,), layout, styles, 0.0, tags)
                continue
            style = layout.styles[block.style]
            if style.space_before:
                yield RLSpacer(1, style.space_before)
            flat = ParagraphStyle(
                name=f"{block.style} in a cell", parent=styles[block.style], spaceBefore=0, spaceAfter=0
            )
            yield _paragraph(block, layout, {**styles, block.style: flat}, 0.0, tags)
            if style.space_after:
                yield RLSpacer(1, style.space_after)


def _first_style(layout: Layout) -> str:
    return next(iter(layout.styles))


def _image(block: Image, available: float) -> Flowable:
    """A picture at its size, no wider than `available`."""
    width, height = block.size(available)
    image = RLImage(block.source(), width=width, height=height)
    image.hAlign = {"left": "LEFT", "center": "CENTER", "right": "RIGHT"}[block.align]
    return image


# ---------------------------------------------------------------- header, footer


def _draw_margin_blocks(
    canvas: Canvas, layout: Layout, styles: dict[str, ParagraphStyle], number: int, total: int
) -> None:
    """Header blocks down from the top edge, footer blocks up from the bottom
    edge, page number and count filled in."""
    page = layout.page
    first = number == 1
    fields = {"page": str(number), "pages": str(total)}
    header = [_margin_flowable(block, layout, styles, fields) for block in layout.header_for(first)]
    footer = [_margin_flowable(block, layout, styles, fields) for block in layout.footer_for(first)]
    canvas.saveState()
    y = page.height - HEADER_DISTANCE
    with artifact(canvas, STRUCTURE["header"]):
        for flowable in header:
            width, height = flowable.wrap(page.frame_width, page.height)
            y -= height
            flowable.drawOn(canvas, page.margin_left, y, _sW=page.frame_width - width)
    y = HEADER_DISTANCE
    with artifact(canvas, STRUCTURE["footer"]):
        for flowable in reversed(footer):
            width, height = flowable.wrap(page.frame_width, page.height)
            flowable.drawOn(canvas, page.margin_left, y, _sW=page.frame_width - width)
            y += height
    canvas.restoreState()


def _margin_flowable(
    block: LayoutBlock, layout: Layout, styles: dict[str, ParagraphStyle], fields: dict[str, str]
) -> Flowable:
    if isinstance(block, Paragraph):
        return RLParagraph(paragraph_markup(block.runs, layout.styles[block.style], fields), styles[block.style])
    if isinstance(block, Row):
        return _row(block, layout, styles, fields)
    if isinstance(block, Image | Rule | Spacer):
        return next(_flowables((block,), layout, styles, 0.0, StructureBuilder()))
    raise TypeError(f"the PDF writer cannot draw {type(block).__name__} in a header or footer")


# ---------------------------------------------------------------- inline markup


def paragraph_markup(
    runs: tuple[Run, ...],
    style: Style,
    fields: dict[str, str] | None = None,
    references: dict[str, str] | None = None,
    shown: dict[str, str] | None = None,
) -> str:
    """reportlab paragraph markup for runs: escaped text, formatting tags,
    and fallback-font spans for characters the style's font lacks; a
    footnote mark found in `references` (label → anchor) links there, shows
    its `shown` label and is set at the size and rise Word gets too."""
    parts: list[str] = []
    for run in runs:
        text = (fields or {}).get(run.field, "") if run.field is not None else run.text
        if run.note is not None:
            text = (shown or {}).get(run.note, text)
        if text == "\n":
            parts.append("<br/>")
            continue
        # reportlab collapses white space: a tab as four no-break spaces, a run of spaces kept
        text = _SPACE_AFTER_SPACE.sub("\u00a0", text.replace("\t", "\u00a0" * 4))
        body = _text_with_fallback(text, style, run)
        if run.note is not None:
            size, rise = mark_metrics(style.size)
            body = f'<super size="{size:g}" rise="{rise:g}">{body}</super>'
        elif run.superscript:
            body = f"<super>{body}</super>"
        if run.underline:
            body = f"<u>{body}</u>"
        if run.italic:
            body = f"<i>{body}</i>"
        if run.bold:
            body = f"<b>{body}</b>"
        if run.href:
            body = f"<a href={quoteattr(run.href)}>{body}</a>"
        elif run.note is not None and references and run.note in references:
            body = f"<a href={quoteattr('#' + references[run.note])}>{body}</a>"
        parts.append(body)
    return "".join(parts)


def _text_with_fallback(text: str, style: Style, run: Run) -> str:
    bold = style.bold or run.bold
    main = face_name(style.font, bold, style.italic or run.italic)
    if _all_drawn(main, text):  # the common case: one font draws it all
        return escape(text)
    fallbacks = fallback_face_names(style.font, bold)
    out: list[str] = []
    span: tuple[str | None, list[str]] = (None, [])  # (fallback font, characters) not yet written

    def flush() -> None:
        font, chars = span
        if chars:
            out.append(f'<font name="{font}">{escape("".join(chars))}</font>')
            chars.clear()

    for char in text:
        if char in _INVISIBLE:
            continue
        if _has_glyph(main, char):
            flush()
            out.append(escape(char))
            continue
        # reportlab's text map (ToUnicode) only holds 16-bit code points: a
        # character beyond U+FFFF (emoji) would print but read back wrong.
        font = None
        if ord(char) <= 0xFFFF:
            font = next((f for f in fallbacks if _has_glyph(f, char)), None) or system_fonts.face_for(char)
        if font is not None:
            if font != span[0]:
                flush()
                span = (font, [])
            span[1].append(char)
        elif unicodedata.category(char) == "Cf":
            continue  # an invisible format character: nothing to draw
        else:
            raise CommuniqueError(
                f"the character {char!r} (U+{ord(char):04X}, {unicodedata.name(char, 'unnamed')}) in the paragraph "
                f"“{_preview(text)}” is in no font, bundled or installed"
            )
    flush()
    return "".join(out)


@cache
def _has_glyph(font: str, char: str) -> bool:
    return covers(font, char)


def _all_drawn(font: str, text: str) -> bool:
    """Whether `font` draws every character of `text` and none is to be
    dropped, so the text needs no character-by-character pass."""
    chars = set(text)
    return chars.isdisjoint(_INVISIBLE) and all(_has_glyph(font, char) for char in chars)


def _escape_label(label: str, style: Style) -> str:
    return _text_with_fallback(label, style, Run(label))


def _preview(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
