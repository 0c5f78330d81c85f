"""The DOCX reader: our Word copy reads back to the model it was written
from, also after LibreOffice re-saves it or a person edits it; foreign
files read by their styles; hostile files are refused before parsing."""

from __future__ import annotations

import copy
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from communique.errors import CommuniqueError
from communique.layout import walk_paragraphs
from communique.model import Document, ListBlock, Meta, TextBlock, plain
from communique.readers import docxfile, plaintext, reader_for
from communique.render import find_template, render_layout
from communique.writers import docx as docx_writer

from .conftest import CORPUS, SAMPLE, corpus_files
from .test_docx_structure import deep_lists_document, nested_lists_document

SOURCES = [SAMPLE, *corpus_files()]
UN_RESOLUTION = CORPUS / "12-en-unga-a-res-80-1-palestine-participation.txt"


def write(document: Document) -> bytes:
    return docx_writer.write(render_layout(document, find_template("statement")))


def read_text_file(path: Path) -> Document:
    return plaintext.read(path.read_bytes(), str(path))


def test_docx_is_registered() -> None:
    assert reader_for(Path("x.docx")) is docxfile.read


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_round_trip_is_exact(source: Path) -> None:
    document = read_text_file(source)
    assert docxfile.read(write(document), "copy.docx") == document


def test_round_trip_of_every_block_kind(rich_document: Document) -> None:
    assert docxfile.read(write(rich_document), "rich.docx") == rich_document


def test_roles_table_matches_the_template(rich_document: Document) -> None:
    """Each style the template gives a block kind has that kind as its role."""
    roles = docxfile.template_roles()
    layout = render_layout(rich_document, find_template("statement"))
    used = {p.style for p in walk_paragraphs(layout.body)} | {"Footer"}
    for style in used:
        assert style.casefold() in roles, f"style {style!r} has no role in template.yaml"
    assert roles["recital"] == "recital" and roles["heading 1"] == "heading 1" and roles["title"] == "meta.title"


def _soffice_docx(data: bytes, tmp_path: Path, target: str = "docx") -> Path:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / "ours.docx"
    source.write_bytes(data)
    out = tmp_path / "office"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", target, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out / f"ours.{target.split(':')[0]}"


@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_libreoffice_resave_reads_back_the_same(source: Path, tmp_path: Path) -> None:
    document = read_text_file(source)
    resaved = _soffice_docx(write(document), tmp_path)
    assert docxfile.read(resaved.read_bytes(), str(resaved)) == document


@pytest.mark.slow
def test_libreoffice_resave_of_every_block_kind(rich_document: Document, tmp_path: Path) -> None:
    resaved = _soffice_docx(write(rich_document), tmp_path)
    assert docxfile.read(resaved.read_bytes(), str(resaved)) == rich_document


def test_nested_lists_read_back() -> None:
    """Sub-items on level 2 of their parent's Word list: restarted under
    each item, starting at (c), bullets, then a list going on at 5."""
    document = nested_lists_document()
    assert docxfile.read(write(document), "nested.docx") == document


def test_lists_deeper_than_word_allows_read_back() -> None:
    document = deep_lists_document()
    assert docxfile.read(write(document), "deep.docx") == document


@pytest.mark.slow
def test_libreoffice_resave_of_nested_lists(tmp_path: Path) -> None:
    document = nested_lists_document()
    resaved = _soffice_docx(write(document), tmp_path)
    assert docxfile.read(resaved.read_bytes(), str(resaved)) == document


@pytest.mark.slow
def test_pandoc_nests_the_sub_items_in_their_item(tmp_path: Path) -> None:
    """pandoc sees sub-items (a)-(c) of the UN resolution as a list inside
    operative paragraph 1, not as a list of their own."""
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed")
    if not UN_RESOLUTION.is_file():
        pytest.skip("the public corpus is not there")
    path = tmp_path / "resolution.docx"
    path.write_bytes(write(read_text_file(UN_RESOLUTION)))
    result = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "json", str(path)], check=True, capture_output=True, timeout=60
    )
    blocks = json.loads(result.stdout)["blocks"]
    lists = [b for b in blocks if b["t"] == "OrderedList"]
    assert len(lists) == 1  # operative paragraphs 1-3 with their sub-items
    (start, style, _), items = lists[0]["c"]
    assert (start, style["t"], len(items)) == (1, "Decimal", 3)
    nested = [b for b in items[0] if b["t"] == "OrderedList"]
    assert len(nested) == 1
    (start, style, _), sub_items = nested[0]["c"]
    assert (start, style["t"], len(sub_items)) == (1, "LowerAlpha", 3)
    assert not any(b["t"] == "OrderedList" for item in items[1:] for b in item)


# ---------------------------------------------------------------- a person's edits


def _edited(document: Document, edit: object) -> Document:
    word = docx.Document(io.BytesIO(write(document)))
    edit(word)  # type: ignore[operator]
    out = io.BytesIO()
    word.save(out)
    return docxfile.read(out.getvalue(), "edited.docx")


def _sample() -> Document:
    return read_text_file(SAMPLE)


def test_changed_word_is_read() -> None:
    def edit(word: docx.document.Document) -> None:
        paragraph = next(p for p in word.paragraphs if p.style.name == "Chapeau")
        paragraph.runs[0].text = paragraph.runs[0].text.replace("Konseyi", "Kurulu")

    back = _edited(_sample(), edit)
    chapeau = next(b for b in back.blocks if isinstance(b, TextBlock) and b.kind == "chapeau")
    assert chapeau.text() == "Türk Devletleri Teşkilatı Dışişleri Bakanları Kurulu:"


def test_added_recital_is_read() -> None:
    def edit(word: docx.document.Document) -> None:
        last = [p for p in word.paragraphs if p.style.name == "Recital"][-1]
        added = copy.deepcopy(last._p)
        last._p.addnext(added)
        new = docx.text.paragraph.Paragraph(added, last._parent)
        for run in new.runs[1:]:
            run._r.getparent().remove(run._r)
        new.runs[0].text = "Yeni bir gerekçe ekleyerek,"

    back = _edited(_sample(), edit)
    recitals = [b for b in back.blocks if isinstance(b, TextBlock) and b.kind == "recital"]
    assert len(recitals) == 5 and recitals[-1].text() == "Yeni bir gerekçe ekleyerek,"


def test_paragraph_added_to_the_list_is_numbered() -> None:
    def edit(word: docx.document.Document) -> None:
        items = [p for p in word.paragraphs if p.style.name == "Operative" and p._p.pPr.numPr is not None]
        new = word.add_paragraph("Yeni bir karar paragrafı eklemiş,", style="Operative")
        new._p.get_or_add_pPr().append(copy.deepcopy(items[3]._p.pPr.numPr))
        items[3]._p.addnext(new._p)

    back = _edited(_sample(), edit)
    numbered = next(b for b in back.blocks if isinstance(b, ListBlock))
    assert [item.label for item in numbered.items] == [f"{n}." for n in range(1, 11)]
    added = numbered.items[4].blocks[0]
    assert isinstance(added, TextBlock) and added.text() == "Yeni bir karar paragrafı eklemiş,"


def test_sub_item_added_in_word_is_numbered() -> None:
    """A paragraph given the numbering of sub-item (b), as Word does on Enter,
    becomes sub-item (c); the sub-items of item 2 still restart at (a)."""

    def edit(word: docx.document.Document) -> None:
        second = next(p for p in word.paragraphs if p.text == "text (b)")
        new = word.add_paragraph("added sub-item", style=second.style)
        new._p.get_or_add_pPr().append(copy.deepcopy(second._p.pPr.numPr))
        second._p.addnext(new._p)

    back = _edited(nested_lists_document(), edit)
    numbered = next(b for b in back.blocks if isinstance(b, ListBlock))
    first, second = (next(b for b in numbered.items[n].blocks if isinstance(b, ListBlock)) for n in (0, 1))
    assert [item.label for item in first.items] == ["(a)", "(b)", "(c)"]
    assert [item.label for item in second.items] == ["(a)", "(b)"]


def test_nesting_follows_the_numbering_level_not_the_indent() -> None:
    """A Word user who pulls level 2 back to level 1's indent still has sub-items."""

    def edit(word: docx.document.Document) -> None:
        numbering = word.part.numbering_part.element
        for ind in numbering.iter(qn("w:ind")):
            ind.set(qn("w:left"), "567")

    document = nested_lists_document()
    assert _edited(document, edit) == document


# ---------------------------------------------------------------- foreign files


@pytest.mark.slow
def test_pandoc_docx_reads_by_its_styles(tmp_path: Path) -> None:
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed")
    markdown = (
        "---\ntitle: Joint Statement\nlang: en\n---\n\n"
        "# Background\n\nThe Ministers met in Baku on 3 May 2024.\n\n"
        "Recalling the founding agreement,\n\nThe Ministers:\n\n"
        "1. Welcome the *progress* made;\n2. Agree to meet again.\n\n"
        "   a. in spring;\n   b. in autumn.\n\n"
        "- one\n- two\n"
    )
    source = tmp_path / "in.md"
    source.write_text(markdown, encoding="utf-8")
    target = tmp_path / "pandoc.docx"
    subprocess.run(["pandoc", str(source), "-o", str(target)], check=True, timeout=60)
    document = docxfile.read(target.read_bytes(), str(target))
    assert document.meta.title == "Joint Statement"
    assert document.meta.language == "en"
    kinds = [b.kind for b in document.blocks]
    assert kinds[0] == "heading"
    assert "numbered_list" in kinds and "bullet_list" in kinds
    numbered = next(b for b in document.blocks if isinstance(b, ListBlock) and b.kind == "numbered_list")
    assert [item.label for item in numbered.items] == ["1.", "2."]
    nested = [b for b in numbered.items[1].blocks if isinstance(b, ListBlock)]
    assert nested and [item.label for item in nested[0].items] == ["a.", "b."]
    first = numbered.items[0].blocks[0]
    assert isinstance(first, TextBlock) and ("emphasis", "progress") in [(r.kind, r.text) for r in first.content]
    by_text = {b.text(): b.kind for b in document.blocks if isinstance(b, TextBlock)}
    assert by_text["Recalling the founding agreement,"] == "recital"
    assert by_text["The Ministers:"] == "chapeau"


# ---------------------------------------------------------------- safety


def test_not_a_zip_is_refused() -> None:
    with pytest.raises(CommuniqueError, match=r"not a Word file \(not a ZIP archive\)"):
        docxfile.read(b"plain text pretending to be Word", "fake.docx")


def test_zip_without_a_document_is_refused() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(CommuniqueError, match="no main document part"):
        docxfile.read(data.getvalue(), "empty.docx")


def test_zip_bomb_is_refused_before_inflating() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a/>" + b" " * (60 * 1024 * 1024))
    with pytest.raises(CommuniqueError, match="suspiciously large"):
        docxfile.read(data.getvalue(), "bomb.docx")


def test_too_many_entries_are_refused() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for n in range(docxfile.MAX_ENTRIES + 1):
            archive.writestr(f"part{n}.xml", "<a/>")
    with pytest.raises(CommuniqueError, match="parts; the limit"):
        docxfile.read(data.getvalue(), "many.docx")


def _damaged(how: str) -> bytes:
    """A Word file whose parts cannot be unpacked: the main part's deflate
    data garbled, or every entry flagged as encrypted."""
    data = bytearray(write(Document(Meta(title="T", language="en"), (TextBlock("paragraph", plain("x")),))))
    if how == "garbled":
        info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)  # after the local header
        data[start + 5 : start + 40] = bytes(b ^ 0x55 for b in data[start + 5 : start + 40])
    else:
        entry = data.find(b"PK\x01\x02")  # central directory entries
        while entry != -1:
            data[entry + 8] |= 1  # general purpose flag: encrypted
            entry = data.find(b"PK\x01\x02", entry + 4)
    return bytes(data)


@pytest.mark.parametrize("how", ["garbled", "encrypted"])
def test_a_part_that_cannot_be_unpacked_is_refused(how: str) -> None:
    with pytest.raises(CommuniqueError, match=r"part \S+ cannot be unpacked"):
        docxfile.read(_damaged(how), "damaged.docx")


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    """A billion-laughs or external-entity document part yields no expansion."""
    base = write(Document(Meta(title="T", language="en"), (TextBlock("paragraph", plain("x")),)))
    hostile = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY e SYSTEM "file:///etc/passwd">'
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>before &e;&b; after</w:t></w:r></w:p></w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, hostile if name == "word/document.xml" else source.read(name))
    document = docxfile.read(out.getvalue(), "hostile.docx")
    text = " ".join(b.text() for b in document.blocks if isinstance(b, TextBlock))
    assert "root:" not in text and "aaaaaaaaaa" not in text
    assert "before" in text and "after" in text  # the paragraph itself is still read


def test_styles_map_continued_paragraphs(rich_document: Document) -> None:
    word = docx.Document(io.BytesIO(write(rich_document)))
    names = {s.name for s in word.styles}
    assert "Operative continued" not in names or word.styles["Operative continued"].base_style.name == "Operative"
    assert all(p.style is not None for p in word.paragraphs)
    texts = [p for p in word.paragraphs if p.text.strip()]  # the footnote rule is an empty paragraph
    assert qn("w:ind") not in {c.tag for p in texts for c in (p._p.pPr if p._p.pPr is not None else [])}


def test_a_plain_word_file_gives_its_issuer_line_and_genre_to_the_metadata() -> None:
    word = docx.Document()
    for text in (
        "Azərbaycan Respublikası Xarici İşlər Nazirliyi",
        "Bəyanat",
        "Azərbaycan Respublikası Xarici İşlər Nazirliyi Qazaxıstan Respublikasında son günlər baş verən "
        "hadisələri diqqətlə izləyir.",
        "Hadisələr nəticəsində həlak olanların ailələrinə dərin hüznlə başsağlığı veririk.",
        "Bakı, 11 yanvar 2022-ci il",
    ):
        word.add_paragraph(text)
    buffer = io.BytesIO()
    word.save(buffer)
    document = docxfile.read(buffer.getvalue(), "foreign.docx")
    assert document.meta.issuer == "Azərbaycan Respublikası Xarici İşlər Nazirliyi"
    assert document.meta.title == "Bəyanat"
    assert document.meta.date == "2022-01-11" and document.meta.place == "Bakı"
    assert [b.kind for b in document.blocks] == ["paragraph", "paragraph", "place_date"]


def test_a_plain_word_file_reads_lines_broken_by_hand_as_the_plain_text_rules_do() -> None:
    """A paragraph with a manual line break or a tab is one line to the
    plain-text rules, and keeps the role they give it."""
    word = docx.Document()
    for text in (
        "Joint Statement",
        "The Ministers met in Baku and discussed cooperation in many areas of common interest.",
        "The Ministers agreed to meet again next year in Astana to continue the dialogue.",
        "Baku,\t11 January 2022",
    ):
        word.add_paragraph(text)
    word.add_paragraph("John Smith").add_run().add_break()
    word.paragraphs[-1].add_run("Minister of Foreign Affairs")
    buffer = io.BytesIO()
    word.save(buffer)
    document = docxfile.read(buffer.getvalue(), "foreign.docx")
    assert document.meta.title == "Joint Statement"
    assert document.meta.date == "2022-01-11" and document.meta.place == "Baku"
    assert [b.kind for b in document.blocks] == ["paragraph", "paragraph", "place_date", "signature"]


def test_a_weekday_before_the_date_is_not_the_place() -> None:
    """Our own file: the place comes back from the place-and-date line by the
    plain-text reader's rule, so "Tuesday" is not taken for a place."""
    document = Document(
        Meta(title="Statement", language="en", date="2022-01-11"),
        (
            TextBlock("paragraph", plain("The Ministry welcomes the peaceful conduct of the elections.")),
            TextBlock("place_date", plain("Tuesday, 11 January 2022")),
        ),
    )
    assert docxfile.read(write(document), "ours.docx") == document
