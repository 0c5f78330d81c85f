"""Footnotes: each at the foot of the page of its mark in our PDF and in
LibreOffice's rendering of our DOCX, real Word footnotes in the DOCX, read
back into the same model, numbered on or again on each page as the
template says."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from communique.errors import CommuniqueError
from communique.model import Document, Footnote, Inline, Meta, TextBlock, plain
from communique.publish import Options, render_outputs
from communique.readers import docxfile
from communique.render import find_template
from communique.template import load_template

from .conftest import libreoffice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORDS = (
    "The Council reaffirms its commitment to the principles of the Charter, recalls the decisions of its "
    "previous sessions and underlines the importance of dialogue between the member states"
)
MARKED = {4: "1", 13: "2", 14: "3", 25: "4", 36: "5"}  # paragraph number → the label of its mark


def notes_document(labels: dict[int, str] | None = None) -> Document:
    """Forty paragraphs over several pages, five of them ending in a mark
    (two on one page), each paragraph ending in its number "(P12)"."""
    labels = labels or MARKED
    blocks: list[TextBlock | Footnote] = []
    for number in range(1, 41):
        text = f"{WORDS} {WORDS} (P{number})"
        if number in labels:
            content = (Inline("text", text), Inline("footnote_ref", labels[number]), Inline("text", "."))
        else:
            content = (Inline("text", text + "."),)
        blocks.append(TextBlock("paragraph", content))
    for number, label in labels.items():
        length = 6 if number == 25 else 1  # one note of several lines
        blocks.append(Footnote(label, plain(" ".join([f"Note N{number} says"] * length) + f" {WORDS}.")))
    return Document(Meta(kind="statement", title="Footnotes on several pages", language="en"), tuple(blocks))


def publish(document: Document, folder: Path, template: str = "statement") -> tuple[Path, Path]:
    outputs = render_outputs(document, Options(template=find_template(template)))
    pdf, docx = folder / "notes.pdf", folder / "notes.docx"
    pdf.write_bytes(outputs["pdf"])
    docx.write_bytes(outputs["docx"])
    return pdf, docx


def page_texts(pdf: Path) -> list[str]:
    """Each page's text, one `pdftotext -f N -l N` each, whitespace squashed."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pages: list[str] = []
    while True:
        number = len(pages) + 1
        run = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"], capture_output=True)
        if run.returncode != 0 or (pages and number > page_count(pdf)):
            return pages
        pages.append(" ".join(run.stdout.decode().split()))


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


def assert_notes_on_their_pages(pdf: Path) -> None:
    """Each note starts on the page whose text holds the end of its mark's
    paragraph, and on no page before it."""
    pages = page_texts(pdf)
    assert len(pages) >= 3
    seen: set[int] = set()
    for number in MARKED:
        mark_page = next(i for i, text in enumerate(pages) if f"(P{number})" in text)
        note_page = next(i for i, text in enumerate(pages) if f"Note N{number} says" in text)
        assert note_page == mark_page, (number, mark_page, note_page)
        seen.add(mark_page)
    assert len(seen) >= 3  # notes on several pages


def test_each_note_is_at_the_foot_of_the_page_of_its_mark(tmp_path: Path) -> None:
    pdf, _ = publish(notes_document(), tmp_path)
    assert_notes_on_their_pages(pdf)
    pages = page_texts(pdf)
    last_body = max(i for i, text in enumerate(pages) if "(P40)" in text)
    # the notes come after the text of their page, not at the end of the document
    for number in MARKED:
        page = next(i for i, text in enumerate(pages) if f"Note N{number} says" in text)
        assert pages[page].index(f"Note N{number} says") > pages[page].index(f"(P{number})")
        assert page < last_body or number == 36


def test_a_note_too_long_for_its_page_goes_on_at_the_foot_of_the_next(tmp_path: Path) -> None:
    labels = {30: "1"}
    document = notes_document(labels)
    long_note = Footnote("1", plain(" ".join([f"Note N30 says {WORDS}"] * 30) + " (END)."))
    document = Document(document.meta, (*document.blocks[:-1], long_note))
    pdf, _ = publish(document, tmp_path)
    pages = page_texts(pdf)
    start = next(i for i, text in enumerate(pages) if "(P30)" in text)
    assert "Note N30 says" in pages[start]
    end = next(i for i, text in enumerate(pages) if "(END)" in text)
    assert end == start + 1  # continued at the foot of the next page, not further
    assert "(P31)" in pages[start + 1] or "(P31)" in pages[start]


def test_the_docx_has_word_footnotes_with_separators_styles_and_references(tmp_path: Path) -> None:
    _, docx = publish(notes_document(), tmp_path)
    with zipfile.ZipFile(docx) as package:
        notes = etree.fromstring(package.read("word/footnotes.xml"))
        body = etree.fromstring(package.read("word/document.xml"))
        styles = etree.fromstring(package.read("word/styles.xml"))
        settings = etree.fromstring(package.read("word/settings.xml"))
        assert "footnotes+xml" in package.read("[Content_Types].xml").decode()
    kinds = [(n.get(f"{W}id"), n.get(f"{W}type")) for n in notes.iter(f"{W}footnote")]
    assert kinds[:2] == [("-1", "separator"), ("0", "continuationSeparator")]
    assert [k[0] for k in kinds[2:]] == ["1", "2", "3", "4", "5"]
    texts = ["".join(n.itertext()) for n in notes.iter(f"{W}footnote")][2:]
    assert all(f"Note N{number} says" in text for number, text in zip(MARKED, texts, strict=True))
    for note in list(notes.iter(f"{W}footnote"))[2:]:
        paragraph = note.find(f"{W}p")
        assert paragraph is not None
        assert paragraph.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "FootnoteText"  # type: ignore[union-attr]
        assert paragraph.find(f"{W}r/{W}footnoteRef") is not None
    references = list(body.iter(f"{W}footnoteReference"))
    assert [r.get(f"{W}id") for r in references] == ["1", "2", "3", "4", "5"]
    for reference in references:
        style = reference.getparent().find(f"{W}rPr/{W}rStyle")  # type: ignore[union-attr]
        assert style is not None and style.get(f"{W}val") == "FootnoteReference"
    names = {s.get(f"{W}styleId"): s.find(f"{W}name").get(f"{W}val") for s in styles.iter(f"{W}style")}  # type: ignore[union-attr]
    assert names["FootnoteText"] == "footnote text" and names["FootnoteReference"] == "footnote reference"
    assert [n.get(f"{W}id") for n in settings.iter(f"{W}footnote")] == ["-1", "0"]
    # the notes are no longer paragraphs after the text
    assert "Note N4 says" not in "".join(body.itertext())


def test_our_word_footnotes_read_back_into_the_same_model(tmp_path: Path) -> None:
    for labels in (MARKED, {4: "*", 13: "†", 25: "a"}):
        document = notes_document(labels)
        _, docx = publish(document, tmp_path)
        read = docxfile.read(docx.read_bytes(), "notes.docx")
        notes = [(b.label, b.text()) for b in read.blocks if isinstance(b, Footnote)]
        assert notes == [(b.label, b.text()) for b in document.blocks if isinstance(b, Footnote)]
        marks = [r.text for b in read.blocks if isinstance(b, TextBlock) for r in b.content if r.kind == "footnote_ref"]
        assert marks == list(labels.values())
        texts = [b.text() for b in read.blocks if isinstance(b, TextBlock)]
        assert texts == [b.text() for b in document.blocks if isinstance(b, TextBlock)]


def test_custom_labels_are_custom_marks_in_word(tmp_path: Path) -> None:
    _, docx = publish(notes_document({4: "*", 13: "†"}), tmp_path)
    with zipfile.ZipFile(docx) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    references = list(body.iter(f"{W}footnoteReference"))
    assert [r.get(f"{W}customMarkFollows") for r in references] == ["1", "1"]
    assert ["".join(r.getparent().itertext()) for r in references] == ["*", "†"]  # type: ignore[union-attr]


def test_per_page_numbering_restarts_on_each_page(tmp_path: Path) -> None:
    folder = tmp_path / "per-page"
    folder.mkdir()
    (folder / "template.yaml").write_text("name: per-page\nextends: statement\nfootnotes: {numbering: per-page}\n")
    template = load_template(folder)
    outputs = render_outputs(notes_document(), Options(template=template))
    pdf = tmp_path / "notes.pdf"
    pdf.write_bytes(outputs["pdf"])
    pages = page_texts(pdf)
    # each page's notes are numbered from 1: the first note of every page with notes shows "1"
    for number in MARKED:
        page = next(i for i, text in enumerate(pages) if f"Note N{number} says" in text)
        first = min((pages[page].index(f"Note N{n} says"), n) for n in MARKED if f"Note N{n} says" in pages[page])
        if first[1] == number:
            assert f"1 Note N{number} says" in pages[page]
    assert sum(f"2 Note N{n} says" in " ".join(pages) for n in MARKED) == 1  # only one page has two notes
    with zipfile.ZipFile(io.BytesIO(outputs["docx"])) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    restart = body.find(f".//{W}sectPr/{W}footnotePr/{W}numRestart")
    assert restart is not None and restart.get(f"{W}val") == "eachPage"


def test_a_bad_numbering_option_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text("name: bad\nextends: statement\nfootnotes: {numbering: sometimes}\n")
    with pytest.raises(CommuniqueError, match="footnotes"):
        load_template(tmp_path)


def test_a_note_without_a_mark_is_printed_after_the_text(tmp_path: Path) -> None:
    document = Document(
        Meta(kind="statement", language="en"),
        (TextBlock("paragraph", plain("Text without marks.")), Footnote("7", plain("An orphan note."))),
    )
    pdf, docx = publish(document, tmp_path)
    assert "7 An orphan note." in " ".join(page_texts(pdf))
    read = docxfile.read(docx.read_bytes(), "orphan.docx")
    assert [(b.label, b.text()) for b in read.blocks if isinstance(b, Footnote)] == [("7", "An orphan note.")]


@pytest.mark.slow
def test_libreoffice_sets_each_note_on_the_page_of_its_mark(tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    pdf, docx = publish(notes_document(), tmp_path)
    office = libreoffice(docx, tmp_path / "office")
    assert_notes_on_their_pages(office)
    ours, theirs = page_texts(pdf), page_texts(office)
    assert len(ours) == len(theirs)
    for number in MARKED:
        assert [f"Note N{number} says" in t for t in ours] == [f"Note N{number} says" in t for t in theirs]


@pytest.mark.slow
@pytest.mark.parametrize("labels", [MARKED, {4: "*", 13: "†"}], ids=["numbered", "custom-marks"])
@pytest.mark.parametrize("numbering", ["continuous", "per-page"])
def test_the_docx_with_footnotes_is_valid(labels: dict[int, str], numbering: str, tmp_path: Path) -> None:
    from .test_docx_valid import validate

    folder = tmp_path / "template"
    folder.mkdir()
    (folder / "template.yaml").write_text(f"name: notes\nextends: statement\nfootnotes: {{numbering: {numbering}}}\n")
    outputs = render_outputs(notes_document(labels), Options(template=load_template(folder), formats=("docx",)))
    verdict = validate(outputs["docx"], tmp_path)
    assert verdict["ok"] is True, verdict["errors"]


@pytest.mark.slow
def test_footnotes_read_back_after_a_libreoffice_resave(tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    document = notes_document()
    _, docx = publish(document, tmp_path)
    resaved = libreoffice(docx, tmp_path / "office", "docx:MS Word 2007 XML")
    back = docxfile.read(resaved.read_bytes(), "resaved.docx")
    assert [b for b in back.blocks if isinstance(b, Footnote)] == [
        b for b in document.blocks if isinstance(b, Footnote)
    ]
    assert [b for b in back.blocks if isinstance(b, TextBlock)] == [
        b for b in document.blocks if isinstance(b, TextBlock)
    ]


def _layout(body: str) -> str:
    return (
        '<document><styles><style name="Body"/><style name="Note" size="9pt" leading="10pt"/></styles>'
        f"<body>{body}</body></document>"
    )


def test_the_first_mark_of_a_label_is_its_notes_a_later_one_or_one_without_a_note_plain() -> None:
    from communique.layout import parse_layout

    layout = parse_layout(
        _layout(
            '<p style="Body">A<note-ref label="1"/> b<note-ref label="1"/> c<note-ref label="9"/></p>'
            '<footnotes><note label="1" style="Note">One.</note><note label="2" style="Note">Two.</note></footnotes>'
        )
    )
    assert [note.label for note in layout.notes] == ["1"]
    paragraph = layout.body[0]
    marks = [(run.text, run.note) for run in paragraph.runs if run.superscript]  # type: ignore[union-attr]
    assert marks == [("1", "1"), ("1", None), ("9", None)]
    texts = [block.text() for block in layout.body[1:] if hasattr(block, "text")]
    assert texts == ["2 Two."]  # the note no mark refers to, after the text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<footnotes numbering="sometimes"/>', "numbering="),
        ('<p style="Body">A<note-ref/></p>', "<note-ref> needs a label"),
        ('<footnotes><p style="Body">x</p></footnotes>', "<footnotes> holds only <note>"),
        ('<footnotes><note style="Body">x</note></footnotes>', "<note> needs a label"),
    ],
)
def test_bad_footnote_markup_is_one_clear_error(body: str, message: str) -> None:
    from communique.layout import LayoutError, parse_layout

    with pytest.raises(LayoutError, match=re.escape(message)):
        parse_layout(_layout(body))


def test_a_mark_in_a_row_leaves_its_note_after_the_text() -> None:
    from communique.layout import parse_layout

    layout = parse_layout(
        _layout(
            '<row style="Body"><left>Ref<note-ref label="1"/></left></row>'
            '<footnotes><note label="1" style="Note">One.</note></footnotes>'
        )
    )
    assert layout.notes == ()
    assert [block.text() for block in layout.body if hasattr(block, "text")] == ["1 One."]
