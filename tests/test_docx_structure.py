"""The Word copy is a real Word document: named styles on every paragraph,
numbering definitions, outline levels, languages, fields, page setup and
core properties, and nothing left over from python-docx's template."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import docx
import pytest
from docx.oxml.ns import qn

from communique.model import Document, ListBlock, ListItem, Meta, TextBlock, plain
from communique.readers import plaintext
from communique.render import find_template, render_layout
from communique.writers import docx as docx_writer

from .conftest import SAMPLE

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
    # a style, a list's numbering, and a page make-up keep (layout.apply_keeps)
    allowed = {"pStyle", "numPr", "keepNext"}
    for paragraph in word.paragraphs:
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
