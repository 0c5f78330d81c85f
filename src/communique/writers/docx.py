"""DOCX writer: the layout tree as a real Word document (python-docx).

Takes a `Layout`, gives DOCX bytes. Each layout style becomes a named Word
paragraph style built from the same definition the PDF uses (font twin,
size, exact leading, spacing, indents, alignment, keeps); a list and the
lists nested in its items become one multi-level Word list (a list at depth
n numbers on level n); header and footer carry PAGE and NUMPAGES fields.
Footnotes are Word footnotes (word/footnotes.xml with Word's separators),
their marks `w:footnoteReference` runs in the "footnote reference"
character style, their text in the "footnote text" paragraph style, based
on the template's footnote style; a mark has the size and rise the PDF
draws. Only the styles the document uses are written, so Word's style gallery
shows the template's own names (Title, Recital, Operative…) and nothing
else; a list item's later paragraphs get a derived style ("Operative
continued"). What lies between paragraphs is no paragraph of its own: a
spacer becomes space before (or after) its neighbour, a rule the neighbour's
border, a page break its neighbour's page-break-before, written as the
paragraph's direct spacing, border and tabs (see `_Flow`), so an editor
meets no empty paragraph for them (but a short rule, shorter than a border
can be, and the one Word needs between two tables). python-docx's default
template is trimmed of what the document does not use (styles, theme, fonts, settings). The ZIP is
written with fixed times, so the same input gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Protocol

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.table import Table as WordTable
from docx.table import _Cell as WordCell
from docx.text.paragraph import Paragraph as WordParagraph
from lxml import etree

from communique import cache as disk_cache
from communique.fonts import FAMILIES
from communique.layout import (
    HEADER_DISTANCE,
    NOTE_RULE,
    Grid,
    Image,
    Layout,
    LayoutBlock,
    List,
    Note,
    PageBreak,
    Paragraph,
    Row,
    Rule,
    Run,
    Spacer,
    Style,
    Table,
)
from communique.writers import ooxml

_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}
# Styles python-docx's default template must keep: the defaults Word relies on.
_KEEP_STYLES = {"Normal", "Default Paragraph Font", "Normal Table", "No List"}
# The style of a paragraph holding an image.
FIGURE_STYLE = "Figure"
# Word's border spacing (w:space) is whole points, at most 31.
_MAX_BORDER_SPACE = 31
CHARACTER_STYLES = {"opening": "Opening words", "decor": "Template text"}
CONTINUED = "continued"  # "Operative continued 2": a later paragraph of a level-2 list item
# Word's built-in footnote styles: (name, style id).
FOOTNOTE_TEXT, FOOTNOTE_REFERENCE = ("footnote text", "FootnoteText"), ("footnote reference", "FootnoteReference")
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write(layout: Layout) -> bytes:
    """The layout as DOCX bytes."""
    return _DocxBuilder(layout).build()


class _Container(Protocol):
    """Where paragraphs go: the document body, a header or a footer."""

    def add_paragraph(self, text: str = "", style: str | None = None) -> WordParagraph: ...


@dataclass
class _WordList:
    """One Word list (a w:num): a top-level list and the lists nested in its
    items, one level per depth, so Word and pandoc see one nested list."""

    num_id: int
    levels: dict[int, tuple[ooxml.ListLevel, int]] = field(default_factory=dict)  # ilvl → (level, start)
    counting: set[int] = field(default_factory=set)  # levels counting on since their last restart
    top_items: int = 0  # items numbered on level 0 so far

    def continues(self, level: ooxml.ListLevel, start: int) -> bool:
        """Whether a top-level list numbered `level` from `start` goes on
        counting this one (operative paragraphs split by headings), so it
        joins this Word list and Word renumbers both after an insertion."""
        first = self.levels.get(0)
        return first is not None and first[0] == level and first[1] + self.top_items == start

    def admits(self, ilvl: int, level: ooxml.ListLevel, start: int) -> bool:
        """Whether a nested list can number on level `ilvl`: the level looks
        the same, starts at the same value and restarts before it (a higher
        level has numbered an item since this one last did)."""
        return self.levels.get(ilvl, (level, start)) == (level, start) and ilvl not in self.counting

    def numbered(self, ilvl: int) -> None:
        """An item numbered on level `ilvl`: deeper levels restart, as in Word."""
        self.counting = {d for d in self.counting if d < ilvl} | {ilvl}
        if ilvl == 0:
            self.top_items += 1


class _DocxBuilder:
    """Walks the layout once, writing into a trimmed python-docx document."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.doc: WordDocument = docx.Document(io.BytesIO(_base_package()))
        self.numbering = self.doc.part.numbering_part.element
        self.word_lists: list[_WordList] = []
        self.derived: set[str] = set()  # style names written so far
        self.style_ids: dict[str, str] = {}  # paragraph style name → its w:styleId
        self.flows: dict[int, _Flow] = {}  # id of a container being written → its flow
        # The document's main font: Word's default, and that of the auxiliary styles.
        self.first_font = next(iter(layout.styles.values())).font if layout.styles else "serif"
        # Footnotes: Word numbers them 1, 2, … itself unless the labels say otherwise ("*", "a").
        self.note_ids = {note.label: index for index, note in enumerate(layout.notes, start=1)}
        numbered = [note.label for note in layout.notes] == [str(i) for i in range(1, len(layout.notes) + 1)]
        self.custom_marks = not numbered and layout.note_numbering != "per-page"

    def build(self) -> bytes:
        self._page_setup()
        self._styles()
        body = self.doc.element.body
        for paragraph in list(body.iterchildren(qn("w:p"))):
            body.remove(paragraph)
        self._write(self.layout.body, self.doc)
        self._margins()
        self._numbering_part()
        self._properties()
        self._tidy_package()
        self._footnotes()
        return _deterministic_zip(self.doc)

    # -- package

    def _tidy_package(self) -> None:
        """Settings, font table and application properties that describe this
        document, not python-docx's template (no Calibri, Cambria, MS Mincho)."""
        ooxml.tidy_settings(self.doc.settings.element)
        used = sorted({FAMILIES[style.font].word_name for style in self.layout.styles.values()})
        for rel in self.doc.part.rels.values():
            if rel.reltype == RT.FONT_TABLE:
                rel.target_part._blob = ooxml.font_table(used)
        for rel in self.doc.part.package.rels.values():
            if rel.reltype == RT.EXTENDED_PROPERTIES:
                rel.target_part._blob = ooxml.app_properties()

    def _page_setup(self) -> None:
        page = self.layout.page
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE if page.width > page.height else WD_ORIENT.PORTRAIT
        # Word counts in twips: round the text area's edges, not each length,
        # so the line width is the PDF's to within a twentieth of a point.
        width, height = _twips(page.width), _twips(page.height)
        left, top = _twips(page.margin_left), _twips(page.margin_top)
        section.page_width, section.page_height = Twips(width), Twips(height)
        section.left_margin, section.top_margin = Twips(left), Twips(top)
        section.right_margin = Twips(width - left - _twips(page.frame_width))
        section.bottom_margin = Twips(height - top - _twips(page.height - page.margin_top - page.margin_bottom))
        section.header_distance = Twips(_twips(HEADER_DISTANCE))
        section.footer_distance = Twips(_twips(HEADER_DISTANCE))
        section.gutter = Twips(0)
        for name in [n for n in section._sectPr.attrib if "rsid" in n]:  # revision ids of the template's author
            del section._sectPr.attrib[name]

    # -- styles

    def _styles(self) -> None:
        lang = self.layout.info.lang
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        assert defaults is not None
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        assert rpr is not None
        ooxml.set_ordered(rpr, ooxml.fonts(FAMILIES[self.first_font].word_name))
        for node in ooxml.font_size(12):
            ooxml.set_ordered(rpr, node)
        ooxml.set_ordered(rpr, ooxml.language(lang))
        ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
        assert ppr is not None
        ooxml.set_ordered(ppr, ooxml.element("w:spacing", before="0", after="0", line="240", lineRule="auto"))

    def _paragraph_style(self, style: Style, based_on: str | None = None) -> etree._Element:
        """A Word paragraph style carrying every property of `style` (a
        derived one names its `based_on` style too); returns its w:pPr."""
        word_style = self.doc.styles.add_style(style.name, WD_STYLE_TYPE.PARAGRAPH)
        self.style_ids[style.name] = word_style.style_id
        word_style.quick_style = based_on is None
        element = word_style.element
        for node in element.findall(qn("w:basedOn")):
            element.remove(node)
        if based_on is not None:
            word_style.base_style = self.doc.styles[based_on]
        ppr = ooxml.get_or_add(element, "w:pPr")
        if style.keep_with_next:
            ooxml.set_ordered(ppr, ooxml.element("w:keepNext"))
        if style.keep_together:
            ooxml.set_ordered(ppr, ooxml.element("w:keepLines"))
        ooxml.set_ordered(ppr, ooxml.element("w:widowControl"))
        ooxml.set_ordered(ppr, ooxml.element("w:suppressAutoHyphens", val="0" if style.hyphenate else "1"))
        ooxml.set_ordered(ppr, ooxml.exact_spacing(style.space_before, style.space_after, style.leading))
        ooxml.set_ordered(ppr, ooxml.indentation(style.indent_left, style.indent_right, style.first_line))
        ooxml.set_ordered(ppr, ooxml.element("w:jc", val=_ALIGN[style.align]))
        if style.outline_level is not None:
            ooxml.set_ordered(ppr, ooxml.element("w:outlineLvl", val=str(style.outline_level - 1)))
        rpr = ooxml.get_or_add(element, "w:rPr")
        ooxml.set_ordered(rpr, ooxml.fonts(FAMILIES[style.font].word_name))
        if style.bold:
            ooxml.set_ordered(rpr, ooxml.element("w:b"))
            ooxml.set_ordered(rpr, ooxml.element("w:bCs"))
        if style.italic:
            ooxml.set_ordered(rpr, ooxml.element("w:i"))
            ooxml.set_ordered(rpr, ooxml.element("w:iCs"))
        ooxml.set_ordered(rpr, ooxml.element("w:color", val=style.color.lstrip("#")))
        for node in ooxml.font_size(style.size):
            ooxml.set_ordered(rpr, node)
        ooxml.set_ordered(rpr, ooxml.language(self.layout.info.lang))
        return ppr

    def _use_style(self, name: str) -> str:
        """The template's style `name`, written into the package on first use:
        styles no paragraph uses stay out of Word's gallery."""
        if name not in self.derived:
            self.derived.add(name)
            self._paragraph_style(self.layout.styles[name])
        return name

    def _styled(self, container: _Container, name: str) -> WordParagraph:
        """A new paragraph on the written style `name`, set by its id: python-docx's
        `add_paragraph(style=name)` searches the style sheet by name every time."""
        paragraph = container.add_paragraph()
        paragraph._p.style = self.style_ids[name]
        return paragraph

    def _derived_style(self, name: str, base: str, **changes: object) -> tuple[str, etree._Element | None]:
        """The name of a style derived from the template's `base` with some
        properties changed, made on first use; its w:pPr on creation (else None)."""
        if name in self.derived:
            return name, None
        self._use_style(base)
        self.derived.add(name)
        source = self.layout.styles[base]
        return name, self._paragraph_style(replace(source, name=name, **changes), based_on=base)  # type: ignore[arg-type]

    def _continued_style(self, base: str, depth: int, indent: float) -> str:
        """The style of a list item's later paragraph: `base`, indented to
        the item's text ("Operative continued", "Operative continued 2")."""
        name = f"{base} {CONTINUED}" + (f" {depth}" if depth > 1 else "")
        style = self.layout.styles[base]
        return self._derived_style(name, base, indent_left=style.indent_left + indent)[0]

    def _figure_style(self, align: str) -> str:
        """The style of a paragraph holding a picture: "Figure" (centred) or
        "Figure left"/"Figure right"; its line is at least one line and as
        tall as the picture, never an exact height that would crop it."""
        name = FIGURE_STYLE if align == "center" else f"{FIGURE_STYLE} {align}"
        if name not in self.derived:
            self.derived.add(name)
            figure = Style(name=name, font=self.first_font, size=12, leading=12, align=align)  # type: ignore[arg-type]
            ooxml.set_ordered(self._paragraph_style(figure), _FIGURE_SPACING.element())
        return name

    # -- blocks

    def _flow(self, container: _Container) -> _Flow:
        """The paragraph flow of a container (body, header, footer, cell)."""
        key = id(container)
        if key not in self.flows:
            self.flows[key] = _Flow()
        return self.flows[key]

    def _write(self, blocks: tuple[LayoutBlock, ...], container: _Container) -> None:
        """Write a container's blocks and settle what its last spacer, rule or
        page break left for a paragraph that never came."""
        self._blocks(blocks, container, 0.0)
        self._flow(container).settle(container)
        del self.flows[id(container)]

    def _placed(self, container: _Container, paragraph: WordParagraph, spacing: _Spacing) -> None:
        """A paragraph was written: it takes what is pending before it."""
        self._flow(container).place(paragraph._p, spacing)

    def _blocks(
        self,
        blocks: tuple[LayoutBlock, ...],
        container: _Container,
        base_indent: float,
        depth: int = 0,
        word_list: _WordList | None = None,
    ) -> None:
        """Write blocks; inside a list item, `depth` is the item's list depth
        and `word_list` the Word list a nested list may join."""
        for block in blocks:
            if isinstance(block, Paragraph):
                self._paragraph(block, container, base_indent, depth=depth)
            elif isinstance(block, List):
                self._list(block, container, base_indent, depth, word_list)
            elif isinstance(block, Row):
                self._row(block, container)
            elif isinstance(block, Grid):
                self._grid(block, container, base_indent)
            elif isinstance(block, Table):
                self._table(block, container, base_indent)
            elif isinstance(block, Image):
                paragraph = self._styled(container, self._figure_style(block.align))
                width, height = block.size(self.layout.page.frame_width - base_indent)  # as the PDF draws it
                shape = paragraph.add_run().add_picture(block.source(), width=Pt(width), height=Pt(height))
                alt = self.layout.alt_text(block)  # the same as the PDF's Figure
                if alt:
                    shape._inline.docPr.set("descr", alt)
                if block.data is not None:  # the document's own, not the template's
                    shape._inline.docPr.set("name", f"{ooxml.PICTURE_NAME} {shape._inline.docPr.get('id')}")
                self._placed(container, paragraph, _FIGURE_SPACING)
            elif isinstance(block, Rule):
                short = block.width is not None and block.width < self.layout.page.frame_width - 0.5
                if short:
                    self._short_rule(block, container)
                else:
                    self._flow(container).rule(block, container)
            elif isinstance(block, Spacer):
                self._flow(container).space(block.height)
            elif isinstance(block, PageBreak):
                self._flow(container).page_break = True
            else:  # pragma: no cover - the layout parser admits nothing else
                raise TypeError(f"the DOCX writer does not know {type(block).__name__}")

    def _short_rule(self, rule: Rule, container: _Container) -> None:
        """A rule narrower than the text (the footnote separator): a border
        cannot be shorter than its paragraph, so it stays a paragraph of its
        own, on Normal, as tall as the line and indented to its width."""
        paragraph: WordParagraph = container.add_paragraph()
        ppr = paragraph._p.get_or_add_pPr()
        ooxml.border(ppr, "bottom", rule.thickness, rule.color, 0)
        width = rule.width if rule.width is not None else self.layout.page.frame_width
        ooxml.set_ordered(ppr, ooxml.indentation(0.0, self.layout.page.frame_width - width, 0.0))
        self._flow(container).place(paragraph._p, _Spacing(rule.space_before, rule.space_after, rule.thickness), True)

    def _paragraph(
        self, block: Paragraph, container: _Container, base_indent: float, num_id: int | None = None, depth: int = 0
    ) -> WordParagraph:
        """A paragraph; with `num_id`, a list item numbered at Word list level
        `depth`, else at list depth `depth` (a later paragraph of an item)."""
        style = self._use_style(block.style)
        if num_id is None and base_indent:
            style = self._continued_style(style, depth, base_indent)
        paragraph = self._styled(container, style)
        if num_id is not None:
            ooxml.set_ordered(paragraph._p.get_or_add_pPr(), ooxml.numbering_reference(num_id, depth))
        if block.keep_with_next and not self.layout.styles[block.style].keep_with_next:
            ooxml.set_ordered(paragraph._p.get_or_add_pPr(), ooxml.element("w:keepNext"))
        if block.narrow:  # a balanced title: the PDF's narrower measure, so the same lines
            left, right = block.narrowed(self.layout.styles[block.style])
            indent = ooxml.indentation(left, right, self.layout.styles[block.style].first_line)
            ooxml.set_ordered(paragraph._p.get_or_add_pPr(), indent)
        for run in block.runs:
            self._run(paragraph, run, block.lang)
        self._placed(container, paragraph, _Spacing.of(self.layout.styles[block.style]))
        return paragraph

    def _row(self, block: Row, container: _Container) -> None:
        """A row as one paragraph on the row's style: left part, a tab to a
        centre stop, the centre part, a tab to a right stop, the right part
        (the stops and left alignment set on the paragraph)."""
        base = self.layout.styles[block.style]
        stops: list[tuple[str, float]] = []
        if block.center:
            stops.append(("center", self.layout.page.frame_width / 2))
        if block.right:
            stops.append(("right", self.layout.page.frame_width - base.indent_right))
        paragraph = self._styled(container, self._use_style(block.style))
        ppr = paragraph._p.get_or_add_pPr()
        if stops:
            ooxml.set_ordered(ppr, ooxml.tab_stops(stops))
        if base.align != "left":
            ooxml.set_ordered(ppr, ooxml.element("w:jc", val="left"))
        for part, runs in zip(("left", "center", "right"), block.parts(), strict=True):
            if part != "left" and runs:
                self._run(paragraph, Run("\t"), block.lang)
            for run in runs:
                self._run(paragraph, run, block.lang)
        self._placed(container, paragraph, _Spacing.of(base))

    def _grid(self, block: Grid, container: _Container, base_indent: float) -> None:
        """A grid as a Word table without borders or cell margins."""
        # The body or a cell: grids never stand in a header or footer (layout.py).
        self._flow(container).settle(container)  # what a spacer or rule left goes to the paragraph above
        self._flow(container).last = None
        table: WordTable = container.add_table(len(block.rows), len(block.widths))  # type: ignore[attr-defined]
        ooxml.borderless_table(table._tbl, block.widths)
        for r, row in enumerate(block.rows):
            for c, cell_blocks in enumerate(row):
                self._fill_cell(table.cell(r, c), cell_blocks, None)

    def _fill_cell(self, cell: WordCell, blocks: tuple[LayoutBlock, ...], empty_style: str | None) -> None:
        """Write a Word cell's blocks in place of the paragraph python-docx
        put there; a cell must hold a paragraph, so an empty cell keeps it,
        in `empty_style`, or else one point high."""
        placeholder = cell.paragraphs[0]
        self._write(blocks, cell)
        if len(cell._tc.findall(qn("w:p"))) > 1 or cell._tc.find(qn("w:tbl")) is not None:
            cell._tc.remove(placeholder._p)
        elif empty_style is None:
            ooxml.set_ordered(placeholder._p.get_or_add_pPr(), _Spacing(0.0, 0.0, 1.0).element())
        else:
            placeholder._p.style = self.style_ids[self._use_style(empty_style)]

    def _table(self, block: Table, container: _Container, base_indent: float) -> None:
        """A document's table: ruled, fixed column widths over the text width
        (less a list's indent), merged cells for spans, rows kept whole and
        the header rows repeated on each page, as in the PDF."""
        from communique.writers.pdf import TABLE_CELL_PADDING, TABLE_RULE, table_geometry

        self._flow(container).settle(container)  # what a spacer or rule left goes to the paragraph above
        self._flow(container).last = None
        table: WordTable = container.add_table(len(block.rows), len(block.widths))  # type: ignore[attr-defined]
        width = self.layout.page.frame_width - base_indent
        for r, row in enumerate(block.rows):
            for c, cell in enumerate(row):
                if cell is not None and (cell.col_span > 1 or cell.row_span > 1):
                    table.cell(r, c).merge(table.cell(r + cell.row_span - 1, c + cell.col_span - 1))
        widths, margin = table_geometry(block, self.layout, width)  # as the PDF's
        ooxml.fixed_table(table._tbl, widths, TABLE_RULE, margin, base_indent, TABLE_CELL_PADDING)
        empty_style = self._cell_style(block)  # an empty cell's paragraph: the table's first style
        for r, row in enumerate(block.rows):
            ooxml.table_row_options(table.rows[r]._tr, header=r < block.header_rows)
            for c, cell in enumerate(row):
                if cell is not None:
                    self._fill_cell(table.cell(r, c), cell.blocks, empty_style)

    def _cell_style(self, block: Table) -> str | None:
        """The style of the first paragraph in the table, for an empty cell."""
        for row in block.rows:
            for cell in row:
                for inner in cell.blocks if cell is not None else ():
                    if isinstance(inner, Paragraph):
                        return inner.style
        return None

    def _run(self, paragraph: WordParagraph, run: Run, lang: str | None = None) -> None:
        if run.lang is None and lang is not None:
            run = replace(run, lang=lang)
        if run.field is not None:
            instruction = "PAGE" if run.field == "page" else "NUMPAGES"
            rpr = _run_properties(run)
            for node in ooxml.field_runs(instruction, "1", rpr):
                paragraph._p.append(node)
            return
        if run.note is not None and run.note in self.note_ids:
            self._note_reference(paragraph._p, run)
            return
        if run.text == "\n":
            paragraph.add_run().add_break()
            return
        if "\t" in run.text and run.text != "\t":  # each tab a w:tab, as Word writes it
            for index, piece in enumerate(run.text.split("\t")):
                if index:
                    self._run(paragraph, replace(run, text="\t"), lang)
                if piece:
                    self._run(paragraph, replace(run, text=piece), lang)
            return
        target: etree._Element = paragraph._p
        if run.href:
            r_id = paragraph.part.relate_to(run.href, RT.HYPERLINK, is_external=True)
            target = ooxml.child(paragraph._p, "w:hyperlink")
            target.set(qn("r:id"), r_id)
        word_run = ooxml.child(target, "w:r")
        rpr = _run_properties(run)
        if run.role is not None:
            rpr = rpr if rpr is not None else ooxml.element("w:rPr")
            ooxml.set_ordered(rpr, ooxml.element("w:rStyle", val=self._character_style(run.role)))
            for node in rpr.findall(qn("w:i")):  # the style sets it
                rpr.remove(node)
        if rpr is not None and len(rpr):
            word_run.append(rpr)
        if run.text == "\t":  # a tab keeps the run's formatting
            ooxml.child(word_run, "w:tab")
            return
        text = ooxml.child(word_run, "w:t")
        text.text = run.text
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def _list(
        self, block: List, container: _Container, base_indent: float, depth: int, parent: _WordList | None
    ) -> None:
        """A list's items, numbered at level `depth` of its parent's Word list
        when that level fits, else of a Word list of its own. Word has nine
        levels: a list nested deeper numbers on the last, in a list of its own."""
        style = self.layout.list_style_of(block)
        text_indent = base_indent + style.indent
        font = FAMILIES[self._label_font(block)].word_name
        level = ooxml.ListLevel(style.format, style.label, style.bullet, text_indent, style.hanging, font)
        ilvl = min(depth, ooxml.DEEPEST_LEVEL)
        word_list = parent
        if parent is None:  # a top-level list goes on with the last one it continues
            word_list = next((w for w in reversed(self.word_lists) if w.continues(level, block.start)), None)
            if word_list is not None:
                word_list.counting = set()
        if word_list is None or (word_list is parent and not word_list.admits(ilvl, level, block.start)):
            # A list of its own; it keeps the levels above for a Word user who promotes an item.
            above = {i: v for i, v in parent.levels.items() if i < ilvl} if parent else {}
            word_list = _WordList(len(self.word_lists) + 1, above)
            self.word_lists.append(word_list)
        word_list.levels.setdefault(ilvl, (level, block.start))
        for item in block.items:
            labelled = False
            for child in item.blocks:
                if isinstance(child, Paragraph) and not labelled:
                    self._paragraph(child, container, text_indent, word_list.num_id, ilvl)
                    word_list.numbered(ilvl)
                    labelled = True
                else:
                    self._blocks((child,), container, text_indent, depth + 1, word_list)
            if not item.blocks:  # an empty item keeps its number, as in the PDF
                name = next(
                    (b.style for it in block.items for b in it.blocks if isinstance(b, Paragraph)),
                    next(iter(self.layout.styles)),
                )
                self._paragraph(Paragraph(name, ()), container, text_indent, word_list.num_id, ilvl)
                word_list.numbered(ilvl)

    def _character_style(self, role: str) -> str:
        """The id of the character style for an inline role, made on first
        use: "Opening words" (italic) or "Template text" (text the template
        adds, left out when the copy is read back)."""
        name = CHARACTER_STYLES[role]
        if name not in self.derived:
            self.derived.add(name)
            style = self.doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
            if role == "opening":
                style.font.italic = True
        return str(self.doc.styles[name].style_id)

    def _numbering_part(self) -> None:
        """A numbering definition per distinct set of levels, and each Word
        list as an instance of it restarting every level at its start."""
        abstract_ids: dict[tuple[ooxml.ListLevel, ...], int] = {}
        instances = []
        for word_list in self.word_lists:
            ilvls = range(len(word_list.levels))  # levels 0..n: a list nests in an item of its parent
            levels = tuple(word_list.levels[i][0] for i in ilvls)
            if levels not in abstract_ids:
                abstract_ids[levels] = len(abstract_ids)
                self.numbering.append(ooxml.abstract_numbering(abstract_ids[levels], levels))
            starts = [word_list.levels[i][1] for i in ilvls]
            instances.append(ooxml.numbering_instance(word_list.num_id, abstract_ids[levels], starts))
        self.numbering.extend(instances)

    def _label_font(self, block: List) -> str:
        """Labels take the font of the item text they stand before."""
        for item in block.items:
            for child in item.blocks:
                if isinstance(child, Paragraph):
                    return self.layout.styles[child.style].font
        return "serif"

    # -- footnotes

    def _note_reference(self, target: etree._Element, run: Run) -> None:
        """A footnote mark in the text: Word's number, or the label after it."""
        word_run = ooxml.child(target, "w:r")
        word_run.append(self._mark_properties())
        reference = ooxml.child(word_run, "w:footnoteReference", id=str(self.note_ids[run.note or ""]))
        if self.custom_marks:
            reference.set(qn("w:customMarkFollows"), "1")
            ooxml.child(word_run, "w:t").text = run.text

    def _mark_properties(self) -> etree._Element:
        """A mark's run properties: the "footnote reference" style, Word's
        superscript (the size and rise `mark_metrics` gives the PDF's)."""
        rpr = ooxml.element("w:rPr")
        ooxml.set_ordered(rpr, ooxml.element("w:rStyle", val=self._footnote_styles()[1]))
        return rpr

    def _footnote_styles(self) -> tuple[str, str]:
        """The ids of Word's "footnote text" (based on the template's
        footnote style) and "footnote reference" styles, made on first use."""
        if FOOTNOTE_TEXT[0] not in self.derived:
            base = self.layout.notes[0].paragraph.style
            self._derived_style(FOOTNOTE_TEXT[0], base)
            text = self.doc.styles[FOOTNOTE_TEXT[0]]
            text.style_id = FOOTNOTE_TEXT[1]
            self.derived.add(FOOTNOTE_REFERENCE[0])
            reference = self.doc.styles.add_style(FOOTNOTE_REFERENCE[0], WD_STYLE_TYPE.CHARACTER)
            reference.style_id = FOOTNOTE_REFERENCE[1]
            ooxml.set_ordered(
                ooxml.get_or_add(reference.element, "w:rPr"), ooxml.element("w:vertAlign", val="superscript")
            )
            for style in (text, reference):  # Word's own styles, not custom ones
                style.element.attrib.pop(qn("w:customStyle"), None)
        return FOOTNOTE_TEXT[1], FOOTNOTE_REFERENCE[1]

    def _footnotes(self) -> None:
        """word/footnotes.xml: Word's separators, then each note, its mark
        first; settings.xml names the separators; per-page numbering
        restarts on each page (w:numRestart)."""
        notes = self.layout.notes
        if not notes:
            return
        spacing = ooxml.exact_spacing(
            0.0, 0.0, NOTE_RULE["space_before"] + NOTE_RULE["thickness"] + NOTE_RULE["space_after"]
        )
        root = ooxml.footnotes_root(spacing)
        package = self.doc.part.package
        part = XmlPart(PackURI("/word/footnotes.xml"), ooxml.FOOTNOTES_CONTENT_TYPE, root, package)  # type: ignore[arg-type]
        self.doc.part.relate_to(part, RT.FOOTNOTES)
        holder = SimpleNamespace(part=part)
        for note_id, note in enumerate(notes, start=1):
            self._note(ooxml.child(root, "w:footnote", id=str(note_id)), note, holder)
        ooxml.footnote_settings(self.doc.settings.element)
        section = self.doc.sections[0]._sectPr
        ooxml.section_footnote_numbering(section, self.layout.note_numbering == "per-page")

    def _note(self, target: etree._Element, note: Note, holder: object) -> None:
        text_style, _ = self._footnote_styles()
        base = self.layout.notes[0].paragraph.style
        style = text_style if note.paragraph.style == base else self.doc.styles[note.paragraph.style].style_id
        p = ooxml.child(target, "w:p")
        ooxml.child(ooxml.child(p, "w:pPr"), "w:pStyle", val=str(style))
        self.mark_size = self.layout.styles[note.paragraph.style].size
        mark = ooxml.child(p, "w:r")
        mark.append(self._mark_properties())
        if self.custom_marks:
            ooxml.child(mark, "w:t").text = note.label
        else:
            ooxml.child(mark, "w:footnoteRef")
        paragraph = WordParagraph(p, holder)  # type: ignore[arg-type]
        for run in (Run(" "), *note.paragraph.runs):
            self._run(paragraph, run, note.paragraph.lang)

    # -- header and footer

    def _margins(self) -> None:
        section = self.doc.sections[0]
        layout = self.layout
        if layout.different_first_page:
            section.different_first_page_header_footer = True
        for first in (False, True) if layout.different_first_page else (False,):
            header = section.first_page_header if first else section.header
            footer = section.first_page_footer if first else section.footer
            for part, blocks in ((header, layout.header_for(first)), (footer, layout.footer_for(first))):
                if not blocks:
                    continue  # no part at all: Word and LibreOffice show an empty margin
                part.is_linked_to_previous = False
                for paragraph in list(part._element.iterchildren(qn("w:p"))):
                    part._element.remove(paragraph)
                self._write(blocks, part)

    # -- document properties

    def _properties(self) -> None:
        info = self.layout.info
        core = self.doc.core_properties
        core.title = info.title
        core.author = info.author
        core.subject = info.subject
        core.keywords = info.keywords
        core.language = info.lang
        core.last_modified_by = "Communique"
        core.comments = ""
        core.category = ""
        core.revision = 1
        moment = info.moment()
        core.created = moment
        core.modified = moment
        for node in core._element.findall(qn("cp:lastPrinted")):  # never printed
            core._element.remove(node)
        if info.properties:
            package = self.doc.part.package
            blob = ooxml.custom_properties(info.properties)
            part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package)
            package.relate_to(part, RT.CUSTOM_PROPERTIES)


@cache
def _base_package() -> bytes:
    """python-docx's default package without what we never use: every
    document starts from these bytes. Made once and kept in the user's
    cache (keyed by this file and python-docx's version), so a fresh
    process need not load and trim the default package."""
    key = Path(__file__).read_bytes() + docx.__version__.encode()
    return disk_cache.remembered("word-base", key, _trimmed_default_package)


def _trimmed_default_package() -> bytes:
    doc = docx.Document()
    package = doc.part.package
    for rel in list(package.rels.values()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel.rId)
    for rel in list(doc.part.rels.values()):
        if rel.reltype in (RT.CUSTOM_XML, RT.WEB_SETTINGS, RT.THEME) or rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rel.rId)
    styles = doc.styles.element
    for style in list(styles.iterchildren(qn("w:style"))):
        name = style.find(qn("w:name"))
        if name is None or name.get(qn("w:val")) not in _KEEP_STYLES:
            styles.remove(style)
    numbering = doc.part.numbering_part.element
    for node in list(numbering):
        numbering.remove(node)
    for node in list(styles.iterchildren(qn("w:latentStyles"))) + list(styles.iter(qn("w:rsid"))):
        node.getparent().remove(node)
    saved = io.BytesIO()
    doc.save(saved)
    return saved.getvalue()


@dataclass(frozen=True)
class _Spacing:
    """A paragraph's vertical spacing in points: before, after and its line
    height, exact (text) or at least (a picture sets it)."""

    before: float
    after: float
    line: float
    at_least: bool = False

    @classmethod
    def of(cls, style: Style) -> _Spacing:
        return cls(style.space_before, style.space_after, style.leading)

    def element(self) -> etree._Element:
        if self.at_least:
            return ooxml.element(
                "w:spacing",
                before=ooxml.twips(self.before),
                after=ooxml.twips(self.after),
                line=ooxml.twips(self.line),
                lineRule="atLeast",
            )
        return ooxml.exact_spacing(self.before, self.after, self.line)


# A picture's paragraph: at least one 12 pt line, as tall as the picture.
_FIGURE_SPACING = _Spacing(0.0, 0.0, 12.0, at_least=True)


@dataclass
class _Flow:
    """The paragraphs of one container as they are written, and what a
    spacer, a rule or a page break leaves for its neighbours: a spacer is
    space before the next paragraph, a rule the bottom border of the
    paragraph before it (or the top border of the next one, after a table),
    a page break the next paragraph's page-break-before. What is left at the
    container's end goes to its last paragraph."""

    last: tuple[etree._Element, _Spacing] | None = None  # the last paragraph (w:p) and its spacing
    before: float = 0.0  # space pending above the next paragraph (above a pending rule)
    top: Rule | None = None  # a rule pending above the next paragraph
    below_rule: float = 0.0  # space pending between that rule and the paragraph
    page_break: bool = False
    bottom_taken: bool = False  # the last paragraph has a bottom border already

    def pending(self) -> bool:
        return bool(self.before or self.top or self.below_rule or self.page_break)

    def space(self, height: float) -> None:
        if self.top is None:
            self.before += height
        else:
            self.below_rule += height

    def rule(self, rule: Rule, container: _Container) -> None:
        if self.last is not None and not self.pending() and not self.bottom_taken:
            paragraph, spacing = self.last
            ppr = _ppr(paragraph)
            ooxml.border(ppr, "bottom", rule.thickness, rule.color, max(spacing.after, rule.space_before))
            self._respace(paragraph, replace(spacing, after=rule.space_after))
            self.bottom_taken = True
            return
        if self.top is not None:  # two rules with nothing between: the first one on an empty paragraph
            self._empty(container)
        self.top = rule

    def place(self, paragraph: etree._Element, spacing: _Spacing, write: bool = False) -> None:
        """A paragraph was written on `spacing`: it takes what is pending."""
        changed = spacing
        ppr = _ppr(paragraph)
        if self.top is not None:
            changed = replace(spacing, before=self.before + self.top.space_before)
            gap = self.below_rule + max(self.top.space_after, spacing.before)
            ooxml.border(ppr, "top", self.top.thickness, self.top.color, gap)
        elif self.before:
            changed = replace(spacing, before=spacing.before + self.before)
        if self.page_break:
            ooxml.set_ordered(ppr, ooxml.element("w:pageBreakBefore"))
        if write or changed != spacing:
            self._respace(paragraph, changed)
        self.last = (paragraph, changed)
        self.before, self.top, self.below_rule, self.page_break, self.bottom_taken = 0.0, None, 0.0, False, False

    def settle(self, container: _Container) -> None:
        """Give what is pending to the last paragraph (space after, a bottom
        border, a page break after it); with none, to an empty paragraph."""
        if not self.pending():
            return
        if self.last is None or (self.top is not None and self.bottom_taken):
            self._empty(container)
            return
        paragraph, spacing = self.last
        if self.top is not None:
            gap = max(spacing.after, self.before + self.top.space_before)
            ooxml.border(_ppr(paragraph), "bottom", self.top.thickness, self.top.color, gap)
            spacing = replace(spacing, after=self.top.space_after + self.below_rule)
            self.bottom_taken = True
        else:
            spacing = replace(spacing, after=spacing.after + self.before + self.below_rule)
        self._respace(paragraph, spacing)
        if self.page_break:
            ooxml.child(ooxml.child(paragraph, "w:r"), "w:br", type="page")
        self.last = (paragraph, spacing)
        self.before, self.top, self.below_rule, self.page_break = 0.0, None, 0.0, False

    def _empty(self, container: _Container) -> None:
        """What has no paragraph to go to, on an empty one of a point's height."""
        self.place(container.add_paragraph()._p, _Spacing(0.0, 0.0, 1.0), write=True)

    def _respace(self, paragraph: etree._Element, spacing: _Spacing) -> None:
        ooxml.set_ordered(_ppr(paragraph), spacing.element())
        if self.last is not None and self.last[0] is paragraph:
            self.last = (paragraph, spacing)


def _ppr(paragraph: etree._Element) -> etree._Element:
    ppr: etree._Element = paragraph.get_or_add_pPr()  # type: ignore[attr-defined]  # a CT_P
    return ppr


def _twips(points: float) -> int:
    return round(points * 20)


def _run_properties(run: Run) -> etree._Element | None:
    rpr = ooxml.element("w:rPr")
    if run.bold:
        ooxml.set_ordered(rpr, ooxml.element("w:b"))
    if run.italic:
        ooxml.set_ordered(rpr, ooxml.element("w:i"))
    if run.underline:
        ooxml.set_ordered(rpr, ooxml.element("w:u", val="single"))
    if run.superscript:
        ooxml.set_ordered(rpr, ooxml.element("w:vertAlign", val="superscript"))
    if run.lang:
        ooxml.set_ordered(rpr, ooxml.language(run.lang))
    return rpr if len(rpr) else None


def _deterministic_zip(doc: WordDocument) -> bytes:
    """Save, then rewrite the ZIP with fixed entry times and order."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in _entry_order(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def _entry_order(names: list[str]) -> Iterator[str]:
    first = "[Content_Types].xml"
    if first in names:
        yield first
    yield from sorted(n for n in names if n != first)
