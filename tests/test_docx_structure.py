"""The Word copy is a real Word document: named styles on every paragraph,
numbering definitions, outline levels, languages, fields, page setup and
core properties, and nothing left over from python-docx's template."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from communique.model import Document
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
    allowed = {"pStyle", "numPr"}  # a style, and a list's numbering
    for paragraph in word.paragraphs:
        ppr = paragraph._p.pPr
        assert ppr is not None and ppr.pStyle is not None, paragraph.text
        extra = {child.tag.split("}")[1] for child in ppr} - allowed
        assert not extra, (paragraph.text, extra)
        for run in paragraph.runs:
            rpr = run._r.rPr
            kinds = {child.tag.split("}")[1] for child in rpr} if rpr is not None else set()
            assert kinds <= {"b", "i", "u", "vertAlign"}, (paragraph.text, kinds)


def test_list_continuation_is_a_derived_style(rich_document: Document) -> None:
    from dataclasses import replace

    from communique.model import ListBlock, ListItem, TextBlock, plain

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


def test_lists_restart_on_their_own_numbering(rich_docx: bytes) -> None:
    word = open_docx(rich_docx)
    numbering = word.part.numbering_part.element
    nums = numbering.findall(qn("w:num"))
    assert len(nums) == 3  # operative list, its sub-list, the bullets
    for num in nums:
        assert num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}") is not None
    texts = {lvl.find(qn("w:lvlText")).get(qn("w:val")) for lvl in numbering.iter(qn("w:lvl"))}
    assert {"%1.", "(%1)", "•"} <= texts


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
