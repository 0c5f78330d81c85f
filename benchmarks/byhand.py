"""The floor: the same documents written by hand, and by WeasyPrint.

What a developer writes without Communique for the same output: reportlab
with the bundled fonts, made PDF/A-3u with pikepdf (XMP, sRGB output
intent), and python-docx; and, for comparison, WeasyPrint from HTML. Each
job takes the plain (role, text) paragraphs, so no Communique reader or
template runs; `python benchmarks/byhand.py floor|weasyprint PARAGRAPHS.json OUT`
runs one job in a fresh process (the cold measurement of `compare.py`).
"""

from __future__ import annotations

import io
import json
import sys
from html import escape as html_escape
from pathlib import Path
from xml.sax.saxutils import escape

import docx as python_docx
import pikepdf
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate
from reportlab.platypus.flowables import Flowable

from communique.fonts import FONT_DIR

ICC = FONT_DIR.parent / "icc" / "sRGB.icc"
Paragraphs = list[tuple[str, str]]
# The faces the page uses, registered as a developer would: parsed from the
# font files by reportlab (Communique keeps parsed fonts in its cache).
FACES = {
    "Serif": "LiberationSerif-Regular.ttf",
    "Serif-Bold": "LiberationSerif-Bold.ttf",
    "Sans": "LiberationSans-Regular.ttf",
}


def register_fonts() -> None:
    """Register the page's three faces, once per process."""
    for name, file in FACES.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))


def pdf(paragraphs: list[tuple[str, str]]) -> bytes:
    """What a developer writes by hand with reportlab for the same page."""
    register_fonts()
    body = ParagraphStyle(
        "body",
        fontName="Serif",
        fontSize=12,
        leading=15,
        alignment=TA_JUSTIFY,
        spaceAfter=8,
        firstLineIndent=10 * mm,
    )
    title = ParagraphStyle(
        "title",
        parent=body,
        fontName="Serif-Bold",
        fontSize=13,
        alignment=TA_CENTER,
        firstLineIndent=0,
    )
    item = ParagraphStyle("item", parent=body, leftIndent=10 * mm, firstLineIndent=0, bulletIndent=0)
    story: list[Flowable] = []
    for role, text in paragraphs:
        if role == "item":
            label, rest = text.split("\t", 1)
            story.append(Paragraph(escape(rest), item, bulletText=label))
        else:
            story.append(Paragraph(escape(text), title if role == "title" else body))
    buffer = io.BytesIO()

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.setFont("Sans", 9)
        canvas.drawCentredString(A4[0] / 2, 36, str(doc.page))

    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        invariant=1,
        initialFontName="Serif",
    )
    template.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def docx(paragraphs: list[tuple[str, str]]) -> bytes:
    """What a developer writes by hand with python-docx for the same file."""
    word = python_docx.Document()
    normal = word.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    for role, text in paragraphs:
        if role == "item":
            paragraph = word.add_paragraph(text.split("\t", 1)[1], style="List Number")
        else:
            paragraph = word.add_paragraph(text)
            if role == "title":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.runs[0].bold = True
            else:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def pdfa(paragraphs: Paragraphs) -> bytes:
    """reportlab's PDF made PDF/A-3u by hand with pikepdf."""
    with pikepdf.open(io.BytesIO(pdf(paragraphs))) as document:
        with document.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdfaid:part"] = "3"
            meta["pdfaid:conformance"] = "U"
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name.GTS_PDFA1,
            OutputConditionIdentifier="sRGB",
            DestOutputProfile=document.make_stream(ICC.read_bytes(), N=3),
        )
        document.Root.OutputIntents = pikepdf.Array([intent])
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
        return out.getvalue()


def floor(paragraphs: Paragraphs) -> dict[str, bytes]:
    """The hand-written job: an archival PDF and a DOCX."""
    return {"pdf": pdfa(paragraphs), "docx": docx(paragraphs)}


def html(paragraphs: Paragraphs) -> str:
    """The paragraphs as an HTML page with the fonts and page of the floor."""
    fonts = {400: FONT_DIR / "LiberationSerif-Regular.ttf", 700: FONT_DIR / "LiberationSerif-Bold.ttf"}
    faces = "".join(
        f"@font-face {{ font-family: 'Liberation Serif'; src: url('{path.as_uri()}'); font-weight: {weight}; }}"
        for weight, path in fonts.items()
    )
    css = (
        faces + "@page { size: A4; margin: 25mm; @bottom-center { content: counter(page); font: 9pt sans-serif; } }"
        " body { font: 12pt/15pt 'Liberation Serif'; } p { text-align: justify; text-indent: 10mm; margin: 0 0 8pt; }"
        " h1 { font-size: 13pt; text-align: center; } ol { margin: 0; } li { text-align: justify; margin: 0 0 8pt; }"
    )
    parts = [f"<!DOCTYPE html><html><head><style>{css}</style></head><body>"]
    for role, text in paragraphs:
        if role == "title":
            parts.append(f"<h1>{html_escape(text)}</h1>")
        elif role == "item":
            parts.append(f"<ol><li>{html_escape(text.split(chr(9), 1)[1])}</li></ol>")
        else:
            parts.append(f"<p>{html_escape(text)}</p>")
    return "".join(parts) + "</body></html>"


def weasyprint(paragraphs: Paragraphs) -> dict[str, bytes]:
    """WeasyPrint's PDF/A-3u of the same page."""
    import weasyprint as weasy

    return {"pdf": weasy.HTML(string=html(paragraphs)).write_pdf(pdf_variant="pdf/a-3u")}


if __name__ == "__main__":
    job, source, out = sys.argv[1:4]
    given = [(role, text) for role, text in json.loads(Path(source).read_text(encoding="utf-8"))]
    for fmt, data in {"floor": floor, "weasyprint": weasyprint}[job](given).items():
        Path(f"{out}.{fmt}").write_bytes(data)
