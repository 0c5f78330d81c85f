"""DOCX writer: the layout tree as a real Word document (python-docx).

Takes a `Layout`, gives DOCX bytes. Each layout style becomes a named Word
paragraph style built from the same definition the PDF uses (font twin,
size, exact leading, spacing, indents, alignment, keeps); a list and the
lists nested in its items become one multi-level Word list (a list at depth
n numbers on level n); header and footer carry PAGE and NUMPAGES fields.
Paragraphs carry no direct formatting beyond inline emphasis: what varies
per paragraph (a list item's later paragraphs, spacer heights, rules) gets
a derived style based on the template's ("Operative continued", "Spacer
6pt"), so a Word user sees a named style everywhere and a reader can map
every paragraph back to its role. python-docx's default template is trimmed
of what the document does not use (styles, theme, fonts, settings). The ZIP
is written with fixed times, so the same input gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Protocol

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph
from lxml import etree

from communique.fonts import FAMILIES
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
)
from communique.writers import ooxml

_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}
# Styles python-docx's default template must keep: the defaults Word relies on.
_KEEP_STYLES = {"Normal", "Default Paragraph Font", "Normal Table", "No List"}
# Auxiliary styles for blocks that are not text paragraphs.
FIGURE_STYLE, SPACER_STYLE, RULE_STYLE, PAGE_BREAK_STYLE = "Figure", "Spacer", "Rule", "Page break"
CHARACTER_STYLES = {"opening": "Opening words", "decor": "Template text"}
CONTINUED = "continued"  # "Operative continued 2": a later paragraph of a level-2 list item
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
        self.derived: set[str] = set()  # derived style names made so far
        # The document's main font: Word's default, and that of the auxiliary styles.
        self.first_font = next(iter(layout.styles.values())).font if layout.styles else "serif"

    def build(self) -> bytes:
        self._page_setup()
        self._styles()
        body = self.doc.element.body
        for paragraph in list(body.iterchildren(qn("w:p"))):
            body.remove(paragraph)
        self._blocks(self.layout.body, self.doc, base_indent=0.0)
        self._margins()
        self._numbering_part()
        self._properties()
        self._tidy_package()
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
        for style in self.layout.styles.values():
            self._paragraph_style(style)
        self._paragraph_style(Style(name=SPACER_STYLE, font=self.first_font, size=1, leading=1))
        self._paragraph_style(Style(name=RULE_STYLE, font=self.first_font, size=1, leading=1))
        figure = Style(name=FIGURE_STYLE, font=self.first_font, size=12, leading=12, align="center")
        figure_ppr = self._paragraph_style(figure)
        # At least one line, as tall as the picture: an exact line height would crop it.
        ooxml.set_ordered(figure_ppr, _at_least_one_line())

    def _paragraph_style(self, style: Style, based_on: str | None = None) -> etree._Element:
        """A Word paragraph style carrying every property of `style` (a
        derived one names its `based_on` style too); returns its w:pPr."""
        word_style = self.doc.styles.add_style(style.name, WD_STYLE_TYPE.PARAGRAPH)
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

    def _derived_style(self, name: str, base: str, **changes: object) -> tuple[str, etree._Element | None]:
        """The name of a style derived from `base` with some properties
        changed, made on first use; its w:pPr on creation (else None)."""
        if name in self.derived:
            return name, None
        self.derived.add(name)
        source = self.layout.styles.get(base) or Style(name=base, font=self.first_font, size=1, leading=1)
        return name, self._paragraph_style(replace(source, name=name, **changes), based_on=base)  # type: ignore[arg-type]

    def _continued_style(self, base: str, depth: int, indent: float) -> str:
        """The style of a list item's later paragraph: `base`, indented to
        the item's text ("Operative continued", "Operative continued 2")."""
        name = f"{base} {CONTINUED}" + (f" {depth}" if depth > 1 else "")
        style = self.layout.styles[base]
        return self._derived_style(name, base, indent_left=style.indent_left + indent)[0]

    def _spacer_style(self, height: float) -> str:
        return self._derived_style(f"{SPACER_STYLE} {height:g}pt", SPACER_STYLE, leading=height)[0]

    def _rule_style(self, rule: Rule) -> str:
        # No commas: Word reads a comma in a style name as an alias separator.
        name = f"{RULE_STYLE} {rule.thickness:g}pt ({rule.space_before:g}pt above {rule.space_after:g}pt below)"
        short = rule.width is not None and rule.width < self.layout.page.frame_width
        if short:
            name += f" {rule.width:g}pt wide"
        if rule.color != "#000000":
            name += f" {rule.color}"
        right = self.layout.page.frame_width - rule.width if short and rule.width is not None else 0.0
        name, ppr = self._derived_style(
            name,
            RULE_STYLE,
            leading=rule.thickness,
            space_before=rule.space_before,
            space_after=rule.space_after,
            indent_right=right,
        )
        if ppr is not None:
            ooxml.set_ordered(ppr, ooxml.bottom_border(rule.thickness, rule.color))
        return name

    def _page_break_style(self) -> str:
        name, ppr = self._derived_style(PAGE_BREAK_STYLE, SPACER_STYLE)
        if ppr is not None:
            ooxml.set_ordered(ppr, ooxml.element("w:pageBreakBefore"))
        return name

    # -- blocks

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
                style = FIGURE_STYLE
                if block.align != "center":
                    style, ppr = self._derived_style(
                        f"{FIGURE_STYLE} {block.align}", FIGURE_STYLE, size=12, leading=12, align=block.align
                    )
                    if ppr is not None:  # at least one line, as tall as the picture (see _styles)
                        ooxml.set_ordered(ppr, _at_least_one_line())
                paragraph = container.add_paragraph(style=style)
                width, height = block.size(self.layout.page.frame_width - base_indent)  # as the PDF draws it
                shape = paragraph.add_run().add_picture(block.source(), width=Pt(width), height=Pt(height))
                alt = self.layout.alt_text(block)  # the same as the PDF's Figure
                if alt:
                    shape._inline.docPr.set("descr", alt)
                if block.data is not None:  # the document's own, not the template's
                    shape._inline.docPr.set("name", f"{ooxml.PICTURE_NAME} {shape._inline.docPr.get('id')}")
            elif isinstance(block, Rule):
                container.add_paragraph(style=self._rule_style(block))
            elif isinstance(block, Spacer):
                spacer = container.add_paragraph(style=self._spacer_style(block.height))
                if block.keep_with_next:
                    ooxml.set_ordered(spacer._p.get_or_add_pPr(), ooxml.element("w:keepNext"))
            elif isinstance(block, PageBreak):
                container.add_paragraph(style=self._page_break_style())
            else:  # pragma: no cover - the layout parser admits nothing else
                raise TypeError(f"the DOCX writer does not know {type(block).__name__}")

    def _paragraph(
        self, block: Paragraph, container: _Container, base_indent: float, num_id: int | None = None, depth: int = 0
    ) -> WordParagraph:
        """A paragraph; with `num_id`, a list item numbered at Word list level
        `depth`, else at list depth `depth` (a later paragraph of an item)."""
        style = block.style
        if num_id is None and base_indent:
            style = self._continued_style(style, depth, base_indent)
        paragraph: WordParagraph = container.add_paragraph(style=style)
        if num_id is not None:
            ooxml.set_ordered(paragraph._p.get_or_add_pPr(), ooxml.numbering_reference(num_id, depth))
        if block.keep_with_next and not self.layout.styles[block.style].keep_with_next:
            ooxml.set_ordered(paragraph._p.get_or_add_pPr(), ooxml.element("w:keepNext"))
        for run in block.runs:
            self._run(paragraph, run, block.lang)
        return paragraph

    def _row(self, block: Row, container: _Container) -> None:
        """A row as one paragraph: left part, a tab to a centre stop, the
        centre part, a tab to a right stop, the right part; the stops live
        in a style derived from the row's ("Date line row centre right")."""
        base = self.layout.styles[block.style]
        stops: list[tuple[str, float]] = []
        if block.center:
            stops.append(("center", self.layout.page.frame_width / 2))
        if block.right:
            stops.append(("right", self.layout.page.frame_width - base.indent_right))
        suffix = " ".join(("centre" if kind == "center" else kind) for kind, _ in stops)
        name, ppr = self._derived_style(f"{block.style} row {suffix}".rstrip(), block.style, align="left")
        if ppr is not None and stops:
            ooxml.set_ordered(ppr, ooxml.tab_stops(stops))
        paragraph: WordParagraph = container.add_paragraph(style=name)
        for part, runs in zip(("left", "center", "right"), block.parts(), strict=True):
            if part != "left" and runs:
                self._run(paragraph, Run("\t"), block.lang)
            for run in runs:
                self._run(paragraph, run, block.lang)

    def _grid(self, block: Grid, container: _Container, base_indent: float) -> None:
        """A grid as a Word table without borders or cell margins."""
        # The body or a cell: grids never stand in a header or footer (layout.py).
        table: WordTable = container.add_table(len(block.rows), len(block.widths))  # type: ignore[attr-defined]
        ooxml.borderless_table(table._tbl, block.widths)
        for r, row in enumerate(block.rows):
            for c, cell_blocks in enumerate(row):
                cell = table.cell(r, c)
                placeholder = cell.paragraphs[0]
                self._blocks(cell_blocks, cell, 0.0)
                if len(cell._tc.findall(qn("w:p"))) > 1 or cell._tc.find(qn("w:tbl")) is not None:
                    cell._tc.remove(placeholder._p)
                else:  # a cell must hold a paragraph: an empty one of no height
                    placeholder.style = self.doc.styles[SPACER_STYLE]

    def _table(self, block: Table, container: _Container, base_indent: float) -> None:
        """A document's table: ruled, fixed column widths over the text width
        (less a list's indent), merged cells for spans, rows kept whole and
        the header rows repeated on each page, as in the PDF."""
        from communique.writers.pdf import TABLE_RULE, table_geometry

        table: WordTable = container.add_table(len(block.rows), len(block.widths))  # type: ignore[attr-defined]
        width = self.layout.page.frame_width - base_indent
        for r, row in enumerate(block.rows):
            for c, cell in enumerate(row):
                if cell is not None and (cell.col_span > 1 or cell.row_span > 1):
                    table.cell(r, c).merge(table.cell(r + cell.row_span - 1, c + cell.col_span - 1))
        widths, margin = table_geometry(block, self.layout, width)  # as the PDF's
        ooxml.fixed_table(table._tbl, widths, TABLE_RULE, margin, base_indent)
        for r, row in enumerate(block.rows):
            ooxml.table_row_options(table.rows[r]._tr, header=r < block.header_rows)
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                word_cell = table.cell(r, c)
                placeholder = word_cell.paragraphs[0]
                self._blocks(cell.blocks, word_cell, 0.0)
                if len(word_cell._tc.findall(qn("w:p"))) > 1 or word_cell._tc.find(qn("w:tbl")) is not None:
                    word_cell._tc.remove(placeholder._p)
                else:  # a cell must hold a paragraph: an empty one in the cell's first style
                    placeholder.style = self.doc.styles[self._cell_style(block)]

    def _cell_style(self, block: Table) -> str:
        """The style of the first paragraph in the table, for an empty cell."""
        for row in block.rows:
            for cell in row:
                for inner in cell.blocks if cell is not None else ():
                    if isinstance(inner, Paragraph):
                        return inner.style
        return SPACER_STYLE

    def _run(self, paragraph: WordParagraph, run: Run, lang: str | None = None) -> None:
        if run.lang is None and lang is not None:
            run = replace(run, lang=lang)
        if run.field is not None:
            instruction = "PAGE" if run.field == "page" else "NUMPAGES"
            rpr = _run_properties(run)
            for node in ooxml.field_runs(instruction, "1", rpr):
                paragraph._p.append(node)
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
                self._blocks(blocks, part, base_indent=0.0)

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
    """python-docx's default package without what we never use, loaded and
    trimmed once per process: every document starts from these bytes."""
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


def _at_least_one_line() -> etree._Element:
    """Line spacing of at least one line: an inline picture sets the height."""
    return ooxml.element("w:spacing", before="0", after="0", line="240", lineRule="atLeast")


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
