"""Pictures: the model's `image` block (PNG or JPEG bytes, alt text, size)
read from Word files and JSON, drawn in both writers at its size but no
wider than the text, its alt text the PDF Figure's /Alt and the DOCX's
wp:docPr/@descr; our DOCX reads back to the same picture."""

from __future__ import annotations

import base64
import io
import logging
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.shared import Pt
from PIL import Image as PILImage

from communique.model import Document, Meta, ModelError, Picture, TextBlock, from_dict, plain, to_dict
from communique.publish import Options, render_outputs
from communique.readers import docxfile
from communique.render import find_template
from tests.test_archival import assert_verapdf_passes
from tests.test_tagged import marked_pieces, structure

FRAME = 595.2756 - 2 * 25 * 72 / 25.4  # the statement template's text width on A4, in points


def picture_bytes(size: tuple[int, int] = (400, 200), fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (30, 90, 160)).save(buffer, fmt)
    return buffer.getvalue()


def word_file(data: bytes, width: float, alt: str = "A blue chart") -> bytes:
    word = docx.Document()
    word.add_paragraph("Before the picture.")
    shape = word.add_paragraph().add_run().add_picture(io.BytesIO(data), width=Pt(width))
    shape._inline.docPr.set("descr", alt)
    word.add_paragraph("After the picture.")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def publish(document: Document, *formats: str) -> dict[str, bytes]:
    return render_outputs(document, Options(find_template("statement"), formats=formats))


def test_a_picture_goes_through_json_unchanged() -> None:
    picture = Picture(picture_bytes(), alt="A chart", width=120.0, height=60.0)
    document = Document(Meta(title="Pictures"), (picture,))
    data = to_dict(document)
    assert base64.b64decode(data["blocks"][0]["data"]) == picture.data
    assert from_dict(data) == document
    with pytest.raises(ModelError, match="not a PNG or JPEG"):
        from_dict({"blocks": [{"kind": "image", "data": base64.b64encode(b"GIF89a").decode()}]})


def test_a_word_picture_is_read_with_its_alt_text_and_size(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="communique"):
        document = docxfile.read(word_file(picture_bytes(), 150), "pic.docx")
    kinds = [b.kind for b in document.blocks]
    assert kinds == ["paragraph", "image", "paragraph"]
    picture = document.blocks[1]
    assert isinstance(picture, Picture)
    assert picture.alt == "A blue chart" and picture.width == pytest.approx(150) and picture.height == pytest.approx(75)
    assert "[A blue chart]" not in repr(document.blocks[0]) + repr(document.blocks[2])
    assert not [r for r in caplog.records if "picture" in r.getMessage()]  # nothing left out


def test_a_gif_becomes_a_png() -> None:
    document = docxfile.read(word_file(picture_bytes(fmt="GIF"), 100), "gif.docx")
    (picture,) = [b for b in document.blocks if isinstance(b, Picture)]
    assert picture.data.startswith(b"\x89PNG")


def test_the_pdf_draws_the_picture_as_a_figure_no_wider_than_the_text(tmp_path: Path) -> None:
    document = docxfile.read(word_file(picture_bytes((2000, 500)), 700), "wide.docx")
    path = tmp_path / "wide.pdf"
    path.write_bytes(publish(document, "pdf")["pdf"])
    with pikepdf.open(path) as pdf:
        figures = [n for n in structure(pdf).walk() if n.type == "Figure"]
        assert [str(f.obj.Alt) for f in figures] == ["A blue chart"]
        assert not marked_pieces(pdf)[1]
        content = pdf.pages[0].Contents.read_bytes().decode("latin-1")
        scale = [line for line in content.splitlines() if line.endswith(" cm") and " 0 0 " in line]
        widths = [float(line.split()[0]) for line in scale]
        assert max(widths) == pytest.approx(FRAME, abs=0.5)  # clamped to the text width
    assert_verapdf_passes(path, "3a")


def test_the_docx_holds_the_picture_with_its_alt_text_and_reads_back() -> None:
    document = docxfile.read(word_file(picture_bytes(), 150), "pic.docx")
    data = publish(document, "docx")["docx"]
    word = docx.Document(io.BytesIO(data))
    (shape,) = word.inline_shapes
    assert shape._inline.docPr.get("descr") == "A blue chart"
    assert shape.width.pt == pytest.approx(150, abs=0.01)
    assert docxfile.read(data, "ours.docx").blocks == document.blocks


def test_a_picture_goes_through_markdown_as_a_data_address() -> None:
    from communique.readers import markdown as markdown_reader
    from communique.writers import markdown as markdown_writer

    picture = Picture(picture_bytes((20, 10)), alt="A [blue] band")
    document = Document(Meta(title="Pictures"), (TextBlock("paragraph", plain("Before.")), picture))
    written = markdown_writer.write(document)
    assert b"](data:image/png;base64," in written
    (back,) = [b for b in markdown_reader.read(written, "p.md").blocks if isinstance(b, Picture)]
    assert (back.data, back.alt) == (picture.data, picture.alt)
