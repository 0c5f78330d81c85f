"""Tables: the model's `table` block through JSON, Markdown pipe tables and
Word files (ours read back exactly, foreign ones with their spans), the
layout tree and both writers: a real table in the PDF (tagged Table → TR → TH/TD, rules as
artifacts, header rows repeated but read once) and in the DOCX (w:tbl with
its grid, borders, merged cells, repeated header rows), drawn alike by
LibreOffice."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.oxml.ns import qn

from communique.model import (
    Document,
    Meta,
    ModelError,
    Table,
    TableCell,
    TextBlock,
    block_text,
    from_dict,
    plain,
    to_dict,
)
from communique.publish import Options, render_outputs
from communique.readers import docxfile
from communique.readers import markdown as markdown_reader
from communique.render import find_template
from communique.writers import markdown as markdown_writer
from tests.conftest import pdf_bytes_text, squash
from tests.test_archival import assert_verapdf_passes
from tests.test_parity import _parity, _require_rendering_tools
from tests.test_tagged import marked_pieces, structure


def cell(text: str, **spans: int) -> TableCell:
    return TableCell((TextBlock("paragraph", plain(text)),), **spans)


def table_document(rows: int = 4) -> Document:
    """A paragraph, a table with a header row, a row span and a column span
    and `rows` body rows, a closing paragraph."""
    body = [
        (cell("Alpha spans two rows", row_span=2), cell("First description"), cell("12")),
        (cell("Spans two columns", col_span=2),),
    ]
    body += [(cell(f"Item {n}"), cell(f"Description of item {n} in a few words"), cell(str(n))) for n in range(rows)]
    table = Table(((cell("Name"), cell("Description"), cell("Amount")), *body), header_rows=1, widths=(0.25, 0.5, 0.25))
    blocks = (TextBlock("paragraph", plain("Before the table.")), table, TextBlock("paragraph", plain("After it.")))
    return Document(Meta(title="Tables", language="en"), blocks)


def publish(document: Document, *formats: str) -> dict[str, bytes]:
    return render_outputs(document, Options(find_template("statement"), formats=formats))


# ---------------------------------------------------------------- model


def test_a_table_goes_through_json_unchanged() -> None:
    document = table_document()
    data = json.loads(json.dumps(to_dict(document)))
    assert data["blocks"][1]["rows"][1][0] == {
        "blocks": [{"kind": "paragraph", "content": [{"kind": "text", "text": "Alpha spans two rows"}]}],
        "row_span": 2,
    }
    assert from_dict(data) == document
    table = document.blocks[1]
    assert isinstance(table, Table) and table.columns == 3


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"widths": [1, 2]}, "/blocks/0/widths"),
        ({"header_rows": 5}, "/blocks/0/header_rows"),
        ({"rows": [[{"blocks": [], "col_span": 0}]]}, "/blocks/0/rows/0/0/col_span"),
    ],
)
def test_a_table_that_does_not_fit_names_the_place(change: dict[str, object], where: str) -> None:
    block = {"kind": "table", "rows": [[{"blocks": []}, {"blocks": []}, {"blocks": []}]], **change}
    with pytest.raises(ModelError) as caught:
        from_dict({"blocks": [block]})
    assert caught.value.path == where


# ---------------------------------------------------------------- PDF


def test_the_pdf_holds_a_tagged_table_read_in_order() -> None:
    pdf = publish(table_document(), "pdf")["pdf"]
    text = squash(pdf_bytes_text(pdf))
    assert "Name Description Amount Alpha spans two rows First description 12 Spans two columns" in text
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        tree = structure(doc)
        tables = [n for n in tree.walk() if n.type == "Table"]
        assert len(tables) == 1
        rows = tables[0].kids
        assert [n.type for n in rows] == ["TR"] * 7
        assert [n.type for n in rows[0].kids] == ["TH"] * 3
        assert [n.type for n in rows[1].kids] == ["TD"] * 3
        assert [n.type for n in rows[2].kids] == ["TD"]  # the spanned-over cells are not written
        assert not marked_pieces(doc)[1]  # the rules are artifacts


def test_a_long_table_repeats_its_header_and_is_read_once(tmp_path: Path) -> None:
    pdf = publish(table_document(rows=70), "pdf")["pdf"]
    path = tmp_path / "table.pdf"
    path.write_bytes(pdf)
    with pikepdf.open(path) as doc:
        assert len(doc.pages) >= 2
        tree = structure(doc)
        headers = [n for n in tree.walk() if n.type == "TH"]
        assert len(headers) == 3 and all(len(n.kids[0].pieces) == 1 for n in headers)  # one piece: read once
        assert not marked_pieces(doc)[1]
    pages = pdf_bytes_text(pdf).split("\f")
    assert all("Name" in page and "Amount" in page for page in pages if page.strip())  # repeated on each page
    assert_verapdf_passes(path, "3a")


# ---------------------------------------------------------------- DOCX


def test_the_docx_holds_a_word_table_with_borders_spans_and_a_header_row() -> None:
    data = publish(table_document(), "docx")["docx"]
    word = docx.Document(io.BytesIO(data))
    (table,) = word.tables
    assert [c.text for c in table.rows[0].cells] == ["Name", "Description", "Amount"]
    assert table.cell(1, 0).text == table.cell(2, 0).text == "Alpha spans two rows"  # merged down
    assert table.cell(2, 1).text == table.cell(2, 2).text == "Spans two columns"  # merged across
    tbl = table._tbl
    assert tbl.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}/{qn('w:insideH')}").get(qn("w:val")) == "single"
    widths = [int(col.get(qn("w:w"))) for col in tbl.find(qn("w:tblGrid"))]
    assert widths[1] == pytest.approx(2 * widths[0], abs=2) and widths[0] == pytest.approx(widths[2], abs=1)
    headers = [row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for row in tbl.findall(qn("w:tr"))]
    assert headers == [True] + [False] * 6
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs.index("Before the table.") < paragraphs.index("After it.")


@pytest.mark.slow
def test_libreoffice_draws_the_table_like_our_pdf(tmp_path: Path) -> None:
    _require_rendering_tools()
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "table.json"
    source.write_text(json.dumps(to_dict(table_document(rows=70))), encoding="utf-8")
    result = _parity().parity_of(source, tmp_path / "work")
    assert result.our_pages == result.office_pages >= 2
    assert result.agreement >= 0.95, "\n".join(result.missing)


# ---------------------------------------------------------------- readers


def test_our_docx_reads_back_to_the_same_table() -> None:
    document = table_document()
    back = docxfile.read(publish(document, "docx")["docx"], "table.docx")
    assert back.blocks == document.blocks


def _foreign_docx() -> bytes:
    """A Word file made with python-docx: a header row marked to repeat, a
    cell merged across, one merged down, a short row, text around it."""
    word = docx.Document()
    word.add_paragraph("Before the table.")
    table = word.add_table(rows=5, cols=3)
    for r in range(5):
        for c in range(3):
            table.cell(r, c).text = f"r{r}c{c}"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "across"
    table.cell(2, 2).merge(table.cell(3, 2)).text = "down"
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(header.makeelement(qn("w:tblHeader"), {}))
    last = table.rows[4]._tr
    last.remove(last.findall(qn("w:tc"))[2])  # a short row
    word.add_paragraph("After the table.")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def test_a_foreign_word_table_is_read_as_a_table() -> None:
    document = docxfile.read(_foreign_docx(), "foreign.docx")
    (table,) = [b for b in document.blocks if isinstance(b, Table)]
    texts = [[" ".join(block_text(b) for b in c.blocks) for c in row] for row in table.rows]
    assert texts == [
        ["r0c0", "r0c1", "r0c2"],
        ["across", "r1c2"],
        ["r2c0", "r2c1", "down"],
        ["r3c0", "r3c1"],
        ["r4c0", "r4c1", ""],  # the short row filled with an empty cell
    ]
    assert table.header_rows == 1
    assert (table.rows[1][0].col_span, table.rows[2][2].row_span) == (2, 2)
    assert table.rows[4][2].col_span == 1 and table.columns == 3
    kinds = [b.kind for b in document.blocks]
    assert kinds.index("table") == 1 and len(kinds) == 3


def test_a_foreign_table_publishes_with_all_its_words(tmp_path: Path) -> None:
    document = docxfile.read(_foreign_docx(), "foreign.docx")
    outputs = publish(document, "pdf", "docx")
    text = squash(pdf_bytes_text(outputs["pdf"]))
    for word in ("r0c0", "across", "r1c2", "down", "r3c1", "r4c1"):
        assert word in text
    (table,) = docx.Document(io.BytesIO(outputs["docx"])).tables
    assert table.cell(2, 2).text == table.cell(3, 2).text == "down"


def test_a_markdown_pipe_table_is_read_and_written_back() -> None:
    source = "Intro.\n\n| Item | Amount |\n|---|--:|\n| Travel | *1 200* |\n| a \\| b | |\n\nAfter.\n"
    document = markdown_reader.read(source.encode(), "t.md")
    (table,) = [b for b in document.blocks if isinstance(b, Table)]
    assert table.header_rows == 1 and table.columns == 2
    assert [[block_text(b) for c in row for b in c.blocks] for row in table.rows] == [
        ["Item", "Amount"],
        ["Travel", "1 200"],
        ["a | b"],
    ]
    assert table.rows[1][1].blocks[0].content[0].kind == "emphasis"  # type: ignore[union-attr]
    written = markdown_writer.write(document).decode()
    assert "| a \\| b |  |" in written
    again = markdown_reader.read(written.encode(), "t.md")
    assert [b for b in again.blocks if isinstance(b, Table)] == [table]


@pytest.mark.slow
def test_our_table_reads_back_after_a_libreoffice_resave(tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    document = table_document()
    ours = tmp_path / "ours.docx"
    ours.write_bytes(publish(document, "docx")["docx"])
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "office"), str(ours)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    back = docxfile.read((tmp_path / "office" / "ours.docx").read_bytes(), "resaved.docx")
    assert back.blocks == document.blocks


def test_a_narrow_column_keeps_room_for_its_longest_word() -> None:
    from communique.layout import Table as LayoutTable

    table = LayoutTable(widths=(0.02, 0.49, 0.49), rows=())
    widths = table.column_widths(400, [30, 20, 20])
    assert widths[0] == 30 and widths[1] == pytest.approx(widths[2]) and sum(widths) == pytest.approx(400)
    assert table.column_widths(60, [30, 30, 30]) == pytest.approx([20, 20, 20])  # too narrow: shares of the least


def test_words_of_a_narrow_foreign_column_are_not_broken() -> None:
    word = docx.Document()
    table = word.add_table(rows=2, cols=3)
    for r in range(2):
        table.cell(r, 0).text, table.cell(r, 1).text, table.cell(r, 2).text = "Assignment", "x " * 80, "Wednesday"
    grid = table._tbl.find(qn("w:tblGrid"))
    for col, width in zip(grid, ("200", "9000", "200"), strict=True):
        col.set(qn("w:w"), width)
    buffer = io.BytesIO()
    word.save(buffer)
    document = docxfile.read(buffer.getvalue(), "narrow.docx")
    text = pdf_bytes_text(publish(document, "pdf")["pdf"])
    assert text.count("Assignment") == 2 and text.count("Wednesday") == 2


def test_a_table_of_many_columns_narrows_its_cell_margins_to_keep_words_whole() -> None:
    header = tuple(cell(str(100 + n)) for n in range(17))
    table = Table((header, header), widths=(1 / 17,) * 17)
    document = Document(Meta(title="Many columns"), (table,))
    outputs = publish(document, "pdf", "docx")
    text = pdf_bytes_text(outputs["pdf"])
    assert all(text.count(str(100 + n)) == 2 for n in range(17))
    margins = docx.Document(io.BytesIO(outputs["docx"])).tables[0]._tbl.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    assert int(margins.find(qn("w:left")).get(qn("w:w"))) < 108  # narrower than Word's default 5.4pt
