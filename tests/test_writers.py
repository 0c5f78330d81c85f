"""Both writers from one layout: text reads back, fonts are embedded, Word
structure is real (styles, numbering, fields, language)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from communique.model import Document, Meta, TextBlock, plain
from communique.publish import Options, render_outputs
from communique.render import find_template
from tests.conftest import pdf_bytes_text, pdf_text, squash

MARKUP = ["<b>", "&", "</para>", '<font color="red">', "&amp;", "{{ meta.title }}", "{% if x %}", "<img src=x>"]
LOGO = Path(__file__).resolve().parents[1] / "docs" / "sample-page-1.png"
LETTERS = "ğ ş ı İ ç ö ü Ğ Ş Ç Ö Ü Ə ə Қ қ Ң ң Ү ү Ұ ұ Ә ә Ё ё “quotes” – — … № ₺ Ő ő Ű ű Ž ž Ň ň Oʻ gʻ"


def publish(document: Document, tmp_path: Path) -> tuple[Path, Path]:
    outputs = render_outputs(document, Options(template=find_template("statement")))
    pdf, docx_path = tmp_path / "out.pdf", tmp_path / "out.docx"
    pdf.write_bytes(outputs["pdf"])
    docx_path.write_bytes(outputs["docx"])
    return pdf, docx_path


def test_every_word_reads_back_from_the_pdf(rich_document: Document, tmp_path: Path) -> None:
    pdf, _ = publish(rich_document, tmp_path)
    text = squash(pdf_text(pdf))
    for block in rich_document.blocks:
        if isinstance(block, TextBlock):
            assert squash(block.text()) in text


def test_letters_of_our_languages_read_back_exactly(tmp_path: Path) -> None:
    document = Document(Meta(title=LETTERS, language="tr"), (TextBlock("paragraph", plain(LETTERS)),))
    pdf, docx_path = publish(document, tmp_path)
    # -raw: pdftotext's layout analysis runs a centred line of one-letter words together
    assert squash(pdf_bytes_text(pdf.read_bytes())).count(LETTERS) == 2  # the title and the paragraph
    assert [p.text for p in docx.Document(str(docx_path)).paragraphs].count(LETTERS) == 2


def test_markup_in_the_input_is_text_in_both_files(tmp_path: Path) -> None:
    line = " ".join(MARKUP)
    document = Document(Meta(title=line, issuer="A & B <Ministry>"), (TextBlock("paragraph", plain(line)),))
    pdf, docx_path = publish(document, tmp_path)
    assert squash(pdf_text(pdf)).count(line) == 2
    texts = [p.text for p in docx.Document(str(docx_path)).paragraphs]
    assert texts.count(line) == 2


def test_pdf_embeds_only_bundled_fonts(rich_document: Document, tmp_path: Path) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    pdf, _ = publish(rich_document, tmp_path)
    rows = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        name, emb = row.split()[0], row.split()[-5]
        assert emb == "yes", row
        assert "Liberation" in name or "DejaVu" in name, row


def test_docx_uses_named_styles_and_real_numbering(rich_document: Document, tmp_path: Path) -> None:
    _, docx_path = publish(rich_document, tmp_path)
    document = docx.Document(str(docx_path))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Recital", "Chapeau", "Operative", "Lead-in"} <= styles
    operative = [p for p in document.paragraphs if p.style.name == "Operative" and p._p.pPr.numPr is not None]
    assert len(operative) >= 4  # two operative items, two sub-items
    assert not any(p.text.startswith(("1.", "2.", "(a)")) for p in operative)  # labels come from numbering
    numbering = document.part.numbering_part.element
    formats = {n.get(qn("w:val")) for n in numbering.iter(qn("w:numFmt"))}
    assert {"decimal", "lowerLetter", "bullet"} <= formats
    title = document.styles["Title"]
    assert title.font.name == "Times New Roman" and title.font.bold
    assert title.element.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) == "en-US"


def test_docx_footer_has_page_fields(rich_document: Document, tmp_path: Path) -> None:
    _, docx_path = publish(rich_document, tmp_path)
    footer = docx.Document(str(docx_path)).sections[0].footer._element
    instructions = " ".join(t.text for t in footer.iter(qn("w:instrText")))
    assert "PAGE" in instructions and "NUMPAGES" in instructions


def test_docx_properties_and_page(rich_document: Document, tmp_path: Path) -> None:
    _, docx_path = publish(rich_document, tmp_path)
    document = docx.Document(str(docx_path))
    core = document.core_properties
    assert core.title == rich_document.meta.title
    assert core.author == rich_document.meta.issuer
    assert core.language == "en-US"
    assert core.created is not None and core.created.date().isoformat() == "2025-09-19"
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_pdf_metadata_comes_from_the_document(rich_document: Document, tmp_path: Path) -> None:
    import pikepdf

    pdf, _ = publish(rich_document, tmp_path)
    with pikepdf.open(pdf) as opened:
        info = opened.docinfo
        assert str(info["/Title"]) == rich_document.meta.title
        assert str(info["/Author"]) == rich_document.meta.issuer
        assert str(opened.Root.Lang) == "en-US"


MARGINS_LAYOUT = """<document lang="en" margins="50mm 20mm">
  <styles><style name="Body" font="serif" size="12pt" leading="15pt"/></styles>
  <header pages="all">
    <image src="{logo}" height="10mm" align="left"/>
    <rule thickness="1pt"/>
    <spacer height="4pt"/>
    <p style="Body">Letterhead page <page-number/> of <page-count/></p>
  </header>
  <footer><p style="Body">Footer line</p></footer>
  <body>{body}</body>
</document>"""


def test_header_images_rules_and_page_fields_reach_both_files(tmp_path: Path) -> None:
    """Every margin block the vocabulary admits is drawn in the PDF on every
    page (not only paragraphs) and written into the Word header."""
    import pikepdf

    from communique.layout import parse_layout
    from communique.writers import docx as docx_writer
    from communique.writers import pdf as pdf_writer

    body = '<p style="Body">Page one.</p><page-break/><p style="Body">Page two.</p>'
    layout = parse_layout(MARGINS_LAYOUT.format(logo=LOGO, body=body))
    pdf = tmp_path / "margins.pdf"
    pdf.write_bytes(pdf_writer.write(layout))
    with pikepdf.open(pdf) as opened:
        assert len(opened.pages) == 2
        for page in opened.pages:
            assert len(page.get_images()) == 1  # the header image, on each page
    text = squash(pdf_text(pdf))
    assert "Letterhead page 1 of 2" in text and "Letterhead page 2 of 2" in text
    assert text.count("Footer line") == 2
    header = docx.Document(io.BytesIO(docx_writer.write(layout))).sections[0].header
    assert header._element.findall(f".//{qn('w:drawing')}")
    assert any(p._p.find(f".//{qn('w:pBdr')}") is not None for p in header.paragraphs)  # the rule, a border
    instructions = " ".join(t.text for t in header._element.iter(qn("w:instrText")))
    assert "PAGE" in instructions and "NUMPAGES" in instructions


def test_a_short_rule_is_as_wide_in_both_files(tmp_path: Path) -> None:
    """The footnote separator: 45 mm from the left margin, not the full line."""
    from communique.layout import Rule, length, parse_layout
    from communique.writers import docx as docx_writer
    from communique.writers import pdf as pdf_writer

    layout = parse_layout(
        '<document margins="25mm"><styles><style name="Body"/></styles><body>'
        '<p style="Body">Text.</p><rule width="45mm" thickness="0.5pt"/><p style="Body">Note.</p></body></document>'
    )
    word = docx.Document(io.BytesIO(docx_writer.write(layout)))
    rule = next(p for p in word.paragraphs if p._p.find(f".//{qn('w:pBdr')}") is not None)
    right = rule.paragraph_format.right_indent
    assert right is not None and abs(right.pt - (layout.page.frame_width - length("45mm"))) < 0.1
    from reportlab.platypus.flowables import HRFlowable  # the width the PDF writer asks reportlab for

    from communique.writers.pdf_tags import StructureBuilder

    rules = tuple(b for b in layout.body if isinstance(b, Rule))
    flowables = [
        f for f in pdf_writer._flowables(rules, layout, {}, 0.0, StructureBuilder()) if isinstance(f, HRFlowable)
    ]
    assert flowables and abs(float(flowables[0].width) - length("45mm")) < 0.01
