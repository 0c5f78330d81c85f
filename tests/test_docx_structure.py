"""The Word copy is a real Word document: named styles on every paragraph,
numbering definitions, outline levels, languages, fields, page setup and
core properties, and nothing left over from python-docx's template."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from communique.layout import parse_layout
from communique.model import Document, ListBlock, ListItem, Meta, TextBlock, plain
from communique.publish import Options, render_outputs
from communique.readers import markdown, plaintext
from communique.render import find_template, render_layout
from communique.writers import docx as docx_writer

from .conftest import REPO, SAMPLE

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture
def rich_docx(rich_document: Document) -> bytes:
    return docx_writer.write(render_layout(rich_document, find_template("statement")))


@pytest.fixture
def sample_docx() -> bytes:
    document = plaintext.read(SAMPLE.read_bytes(), str(SAMPLE))
    return docx_writer.write(render_layout(document, find_template("statement")))


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_every_paragraph_has_a_template_style_and_no_direct_formatting(rich_docx: bytes) -> None:
    word = open_docx(rich_docx)
    # a style, a list's numbering, a page make-up keep (layout.apply_keeps), and
    # what stands for a spacer, a rule or a page break (spacing, a border, a page break)
    # and a balanced title's measure
    allowed = {"pStyle", "numPr", "keepNext", "spacing", "pBdr", "pageBreakBefore", "ind"}  # ind: a balanced title
    for paragraph in word.paragraphs:
        if not paragraph.text.strip():
            continue  # the footnote rule, shorter than a border can be
        ppr = paragraph._p.pPr
        assert ppr is not None and ppr.pStyle is not None, paragraph.text
        extra = {child.tag.split("}")[1] for child in ppr} - allowed
        assert not extra, (paragraph.text, extra)
        for run in paragraph.runs:
            rpr = run._r.rPr
            kinds = {child.tag.split("}")[1] for child in rpr} if rpr is not None else set()
            assert kinds <= {"rStyle", "b", "i", "u", "vertAlign"}, (
                paragraph.text,
                kinds,
            )  # a character style is a style


def _paragraph_styles(data: bytes) -> dict[str, str]:
    """styles.xml's paragraph styles: id → name."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
    return {
        s.get(qn("w:styleId")): s.find(qn("w:name")).get(qn("w:val"))
        for s in styles.iter(qn("w:style"))
        if s.get(qn("w:type")) == "paragraph"
    }


def _used_styles(data: bytes) -> set[str]:
    """The paragraph style ids the body, headers and footers use."""
    used: set[str] = set()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name == "word/document.xml" or name.startswith(("word/header", "word/footer")):
                used |= {node.get(qn("w:val")) for node in etree.fromstring(package.read(name)).iter(qn("w:pStyle"))}
    return used


@pytest.mark.parametrize("example", sorted((REPO / "examples").glob("*.md")), ids=lambda p: p.stem)
def test_the_style_gallery_holds_only_the_documents_own_styles(example: Path) -> None:
    """Word's style list shows the template's names, each used; spacers,
    rules and page breaks are no styles and no empty paragraphs."""
    document = markdown.read(example.read_bytes(), str(example))
    data = render_outputs(document, Options(formats=("docx",)))["docx"]
    styles = _paragraph_styles(data)
    for name in styles.values():
        assert not re.search(r"\dpt\b|Spacer|Rule|Page break", name), name
    unused = {styles[i] for i in set(styles) - _used_styles(data)} - {"Normal"}
    assert not unused
    body = open_docx(data).element.body
    empty = [
        p
        for p in body.iterchildren(qn("w:p"))  # top level: a table's empty cell must hold a paragraph
        if not "".join(p.itertext()).strip() and p.find(f".//{qn('w:drawing')}") is None
    ]
    between_tables = [p for p in empty if _is_table(p.getprevious()) and _is_table(p.getnext())]
    assert empty == between_tables  # Word joins two tables with nothing between them


def _is_table(node: etree._Element | None) -> bool:
    return node is not None and node.tag == qn("w:tbl")


def test_rules_are_borders_and_spacers_space(tmp_path: Path) -> None:
    """A rule after a paragraph is its bottom border, after a table the next
    paragraph's top border; a spacer adds to the next paragraph's space
    before; a page break is the next paragraph's page-break-before."""
    layout = parse_layout(
        '<document margins="25mm"><styles><style name="Body" space-before="3pt" space-after="6pt"/></styles>'
        '<header><p style="Body">Head</p><rule thickness="1pt" space-before="2pt" space-after="0pt"/></header>'
        '<body><p style="Body">One</p><rule thickness="0.5pt" space-before="4pt" space-after="8pt"/>'
        '<spacer height="10pt"/><p style="Body">Two</p><grid columns="2"><cell><p style="Body">a</p></cell>'
        '<cell><p style="Body">b</p></cell></grid><rule thickness="1.5pt" space-before="5pt" space-after="5pt"/>'
        '<p style="Body">Three</p><page-break/><p style="Body">Four</p><spacer height="7pt"/></body></document>'
    )
    word = open_docx(docx_writer.write(layout))
    by_text = {p.text: p._p.pPr for p in word.paragraphs}
    assert set(by_text) == {"One", "Two", "Three", "Four"}

    def side(text: str, name: str) -> dict[str, str]:
        node = by_text[text].find(f"{qn('w:pBdr')}/{qn('w:' + name)}")
        assert node is not None, (text, name)
        return {key.split("}")[1]: value for key, value in node.attrib.items()}

    def spacing(text: str) -> tuple[str, str]:
        node = by_text[text].find(qn("w:spacing"))
        return node.get(qn("w:before")), node.get(qn("w:after"))

    assert side("One", "bottom") == {"val": "single", "sz": "4", "space": "6", "color": "000000"}
    assert spacing("One") == ("60", "160")  # space after: the rule's
    assert spacing("Two") == ("260", "120")  # 3 pt of its own and the spacer's 10 pt
    assert side("Three", "top")["sz"] == "12" and spacing("Three")[0] == "100"  # the rule above the text
    assert by_text["Four"].find(qn("w:pageBreakBefore")) is not None
    assert spacing("Four") == ("60", "260")  # the last spacer, after the last paragraph
    header = word.sections[0].header.paragraphs
    assert [p.text for p in header] == ["Head"]
    assert header[0]._p.pPr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}") is not None
    assert set(_paragraph_styles(docx_writer.write(layout)).values()) == {"Normal", "Body"}


def test_list_continuation_is_a_derived_style(rich_document: Document) -> None:
    listing = ListBlock(
        "numbered_list", (ListItem("1.", (TextBlock("paragraph", plain("a")), TextBlock("paragraph", plain("b")))),)
    )
    document = replace(rich_document, blocks=(listing,))
    word = open_docx(docx_writer.write(render_layout(document, find_template("statement"))))
    second = next(p for p in word.paragraphs if p.text == "b")
    assert second.style.name == "Operative continued"
    assert second.style.base_style.name == "Operative"
    assert second.style.paragraph_format.left_indent.pt == pytest.approx(28.35, abs=0.05)


def test_headings_have_outline_levels_and_styles_have_language(rich_docx: bytes) -> None:
    word = open_docx(rich_docx)
    heading = word.styles["Heading 1"]
    assert heading.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}").get(qn("w:val")) == "1"
    assert word.styles["Title"].element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}").get(qn("w:val")) == "0"
    for style in word.styles:
        if style.type == 1 and style.name not in ("Normal",) and style.element.find(qn("w:rPr")) is not None:
            lang = style.element.find(f"{qn('w:rPr')}/{qn('w:lang')}")
            assert lang is not None and lang.get(qn("w:val")) == "en-US", style.name


def _numbered(word: docx.document.Document) -> dict[str, tuple[int, int]]:
    """Each numbered paragraph's text → (numId, ilvl)."""
    out = {}
    for paragraph in word.paragraphs:
        num_pr = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
        if num_pr is not None:
            out[paragraph.text] = (num_pr.numId.val, num_pr.ilvl.val)
    return out


def test_a_list_and_its_sub_list_are_one_word_list(rich_docx: bytes) -> None:
    """The sub-items are level 2 of the operative list, not a list of their own."""
    word = open_docx(rich_docx)
    numbered = _numbered(word)
    operative_num, _ = numbered["that observers may speak:"]
    assert numbered["that observers may speak:"] == (operative_num, 0)
    assert numbered["first sub-item;"] == numbered["second sub-item."] == (operative_num, 1)
    assert numbered["a bullet"][0] != operative_num  # another top-level list
    numbering = word.part.numbering_part.element
    nums = numbering.findall(qn("w:num"))
    assert len(nums) == 2  # the operative list with its sub-list, the bullets
    for num in nums:  # every level restarts at its own start
        assert num.findall(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
    abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if len(a.findall(qn("w:lvl"))) == 2)
    assert abstract.find(qn("w:multiLevelType")).get(qn("w:val")) == "multilevel"
    levels = abstract.findall(qn("w:lvl"))
    assert [lvl.find(qn("w:lvlText")).get(qn("w:val")) for lvl in levels] == ["%1.", "(%2)"]
    assert [lvl.find(qn("w:numFmt")).get(qn("w:val")) for lvl in levels] == ["decimal", "lowerLetter"]
    indents = [lvl.find(f"{qn('w:pPr')}/{qn('w:ind')}") for lvl in levels]
    assert [(i.get(qn("w:left")), i.get(qn("w:hanging"))) for i in indents] == [("567", "567"), ("1134", "567")]


def nested_lists_document() -> Document:
    """Operative paragraphs whose sub-items restart, start at (c), or are
    bullets, then a second list going on at 5."""

    def items(*labels: str) -> tuple[ListItem, ...]:
        return tuple(ListItem(label, (TextBlock("paragraph", plain(f"text {label}")),)) for label in labels)

    def item(label: str, sub: ListBlock) -> ListItem:
        return ListItem(label, (TextBlock("paragraph", plain(f"item {label}")), sub))

    sub = ListBlock("numbered_list", items("(a)", "(b)"))
    return Document(
        Meta(title="Nested lists", language="en"),
        (
            TextBlock("chapeau", plain("Decides:")),
            ListBlock(
                "numbered_list",
                (
                    item("1.", sub),
                    item("2.", sub),
                    item("3.", ListBlock("numbered_list", items("(c)", "(d)"))),
                    item("4.", ListBlock("bullet_list", items("–", "–"))),
                ),
            ),
            TextBlock("paragraph", plain("Between the lists.")),
            ListBlock("numbered_list", items("5.", "6.")),
        ),
    )


def test_sub_items_restart_start_and_change_format_in_word() -> None:
    """Sub-items of item 2 number on the same Word list as those of item 1
    (Word restarts them after item 2); a sub-list starting at (c) or made of
    bullets takes a Word list of its own, the levels above kept. Items 5-6,
    after a paragraph, go on counting on the Word list of items 1-4."""
    data = docx_writer.write(render_layout(nested_lists_document(), find_template("statement")))
    word = open_docx(data)
    numbered = _numbered(word)
    top, _ = numbered["item 1."]
    assert {numbered[f"item {n}."] for n in "1234"} == {(top, 0)}
    assert numbered["text (a)"] == (top, 1)
    assert numbered["text (c)"][1] == 1 and numbered["text (c)"][0] != top
    assert numbered["text –"][1] == 1 and numbered["text –"][0] not in (top, numbered["text (c)"][0])
    assert numbered["text 5."] == (top, 0)
    numbering = word.part.numbering_part.element

    def starts(num_id: int) -> dict[str, str]:
        num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_id))
        return {
            o.get(qn("w:ilvl")): o.find(qn("w:startOverride")).get(qn("w:val"))
            for o in num.findall(qn("w:lvlOverride"))
        }

    assert starts(top) == {"0": "1", "1": "1"}
    assert starts(numbered["text (c)"][0])["1"] == "3"
    types = {a.find(qn("w:multiLevelType")).get(qn("w:val")) for a in numbering.findall(qn("w:abstractNum"))}
    assert types == {"multilevel", "hybridMultilevel"}  # 1-6 with (a); 4 with bullets


def deep_lists_document(depth: int = 11) -> Document:
    """Lists nested deeper than Word's nine list levels."""
    blocks: tuple[ListBlock | TextBlock, ...] = (TextBlock("paragraph", plain("the deepest")),)
    for n in range(depth, 0, -1):
        blocks = (
            ListBlock("numbered_list", (ListItem(f"{n}.", (TextBlock("paragraph", plain(f"level {n}")), *blocks)),)),
        )
    return Document(Meta(title="Deep", language="en"), blocks)


def test_lists_deeper_than_word_allows_number_on_its_last_level() -> None:
    word = open_docx(docx_writer.write(render_layout(deep_lists_document(), find_template("statement"))))
    numbered = _numbered(word)
    assert [numbered[f"level {n}"][1] for n in range(1, 12)] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 8]
    assert len({numbered[f"level {n}"][0] for n in range(9, 12)}) == 3  # a Word list each
    for abstract in word.part.numbering_part.element.findall(qn("w:abstractNum")):
        assert len(abstract.findall(qn("w:lvl"))) <= 9


def test_footer_fields_and_page_setup(sample_docx: bytes) -> None:
    word = open_docx(sample_docx)
    section = word.sections[0]
    footer = section.footer._element
    instructions = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert section.page_width.twips == 11906 and section.page_height.twips == 16838
    assert section.left_margin.twips == 1417 and section.top_margin.twips == 1417
    assert section.different_first_page_header_footer is False
    assert not section.header._has_definition  # the template has no header: no empty part


def test_core_properties(rich_document: Document, rich_docx: bytes) -> None:
    core = open_docx(rich_docx).core_properties
    assert core.title == rich_document.meta.title
    assert core.author == rich_document.meta.issuer
    assert core.language == "en-US"
    assert core.keywords == rich_document.meta.reference
    assert core.subject == rich_document.meta.kind
    assert core.created.isoformat() == "2025-09-19T12:00:00+00:00"


def test_no_leftovers_from_the_default_template(sample_docx: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(sample_docx)) as archive:
        names = set(archive.namelist())
        assert not any(name.startswith(("word/theme/", "customXml/", "docProps/thumbnail")) for name in names)
        assert "word/stylesWithEffects.xml" not in names and "word/webSettings.xml" not in names
        for name in names:
            if name.endswith(".xml"):
                text = archive.read(name).decode("utf-8")
                for leftover in ("Calibri", "Cambria", "MS Mincho", "ＭＳ", "Macintosh", "w:rsid", "latentStyles"):
                    assert leftover not in text, (name, leftover)
        app = archive.read("docProps/app.xml").decode("utf-8")
        assert "<Application>Communique</Application>" in app
        fonts = archive.read("word/fontTable.xml").decode("utf-8")
        assert "Times New Roman" in fonts and "Arial" in fonts
        settings = archive.read("word/settings.xml").decode("utf-8")
        assert 'w:name="compatibilityMode"' in settings and 'w:val="15"' in settings


def test_same_input_same_bytes(rich_document: Document) -> None:
    layout = render_layout(rich_document, find_template("statement"))
    assert docx_writer.write(layout) == docx_writer.write(layout)
