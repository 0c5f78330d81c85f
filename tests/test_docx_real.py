"""Real Word files from other projects' test suites: each publishes, or is
refused in one line naming a cause; the words pandoc reads from the input
reach our PDF (pdftotext, and the alternative texts of its pictures);
nothing set aside goes without a warning.

The files are not part of this repository: they are read from
``../shared/docx_real/`` beside the checkout, or from the folder named by
``COMMUNIQUE_REAL_DOCX`` (one folder per project, ``<project>/<prefix>--<name>.docx``);
the tests skip where neither exists, and a named file's test where it is missing."""

from __future__ import annotations

import collections
import logging
import os
import re
import shutil
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from communique import readers
from communique.errors import CommuniqueError
from communique.model import Document, Footnote, TextBlock, block_text
from communique.publish import Options, build_file, render_outputs
from communique.readers import docxfile
from communique.render import find_template

FOLDER = Path(os.environ.get("COMMUNIQUE_REAL_DOCX") or Path(__file__).parents[2] / "shared" / "docx_real")
FILES = sorted(FOLDER.rglob("*.docx"))
KEPT = 0.95  # share of pandoc's words a file must keep
FILES_KEEPING = 0.97  # share of the files pandoc reads that must keep them (measured: 526 of 541)
_CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef"
needs_files = pytest.mark.skipif(not FILES, reason=f"no real Word files in {FOLDER}")


def real_file(name: str) -> Path:
    """A real Word file by its name, in whichever project folder holds it."""
    found = next((path for path in FILES if path.name == name), None)
    if found is None:
        pytest.skip(f"{name} is not among the real Word files in {FOLDER}")
    return found


needs_tools = pytest.mark.skipif(
    not (shutil.which("pandoc") and shutil.which("pdftotext")), reason="needs pandoc and pdftotext (poppler-utils)"
)


def _made_docx() -> bytes:
    """A small Word file of our own making (python-docx's default package)."""
    import io

    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    for n in range(40):
        document.add_paragraph(f"Paragraph {n} of a file to be cut short.")
    document.save(buffer)
    return buffer.getvalue()


def words(text: str) -> collections.Counter[str]:
    """Words, case-folded; each CJK character counts as a word (no spaces there)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return collections.Counter(re.findall(rf"[{_CJK}]|[^\W{_CJK}]+", text))


@cache
def pandoc_words(path: Path) -> collections.Counter[str] | None:
    """pandoc's words, without its own note marks ("[1]") and table stand-ins."""
    result = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "plain", "--wrap=none", str(path)], capture_output=True, text=True, timeout=120
    )
    if result.returncode:
        return None
    return words(re.sub(r"\[(TABLE|\d+)\]", " ", result.stdout))


def figure_alt_texts(path: Path) -> str:
    """The alternative texts of the PDF's pictures (Figure /Alt): where
    pandoc's plain text writes a picture's description, our PDF draws the
    picture and keeps the description for screen readers."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        return " ".join(
            str(obj.Alt)
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == pikepdf.Name.Figure and "/Alt" in obj
        )


def note_labels(document: Document) -> set[str]:
    """The labels of the document's note marks ("1", "ii")."""
    labels: set[str] = set()
    for block in document.blocks:
        if isinstance(block, Footnote):
            labels.add(block.label.casefold())
    return labels


def without_note_marks(
    ours: collections.Counter[str], labels: set[str], expected: collections.Counter[str] | dict[str, int]
) -> collections.Counter[str]:
    """Our words with a note mark glued to a word's end taken off ("cellii"
    → "cell"), as pandoc's marks ("[2]") are: pdftotext reads a superscript
    mark with the word it follows."""
    out: collections.Counter[str] = collections.Counter()
    for word, count in ours.items():
        if word not in expected:
            bare = next((word[: -len(lb)] for lb in labels if word.endswith(lb) and word[: -len(lb)] in expected), None)
            word = bare or word
        out[word] += count
    return out


def kept(path: Path, tmp: Path) -> float | str:
    """The share of pandoc's words in our PDF, or the refusal message."""
    expected = pandoc_words(path)
    try:
        document = readers.read(path)
        pdf = render_outputs(document, Options(find_template("statement"), formats=("pdf",)))["pdf"]
    except CommuniqueError as err:
        return str(err)
    out = tmp / "out.pdf"
    out.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True).stdout
    ours = without_note_marks(words(f"{text} {figure_alt_texts(out)}"), note_labels(document), expected or {})
    if not expected:
        return 1.0
    return sum(min(n, ours[w]) for w, n in expected.items()) / sum(expected.values())


@cache
def _results(tmp: Path) -> dict[str, float | str]:
    return {path.name: kept(path, tmp) for path in FILES}


@needs_tools
@pytest.mark.slow
@needs_files
def test_real_word_files_keep_their_words(tmp_path_factory: pytest.TempPathFactory) -> None:
    results = _results(tmp_path_factory.mktemp("real"))
    refused = {name: r for name, r in results.items() if isinstance(r, str)}
    for name, message in refused.items():
        assert "\n" not in message and "Traceback" not in message, name
    read_by_pandoc = [p.name for p in FILES if pandoc_words(p) is not None]
    good = [n for n in read_by_pandoc if not isinstance(results[n], str) and float(results[n]) >= KEPT]
    short = sorted((n, results[n]) for n in read_by_pandoc if n not in good)
    assert len(good) >= FILES_KEEPING * len(read_by_pandoc), short


@needs_files
def test_text_boxes_are_read_in_order() -> None:
    document = docxfile.read(real_file("mammoth--text-box.docx").read_bytes(), "text-box.docx")
    texts = [b.text() for b in document.blocks if isinstance(b, TextBlock)]
    assert any("Datum plane" in t for t in texts), texts


@needs_files
def test_endnotes_are_kept_as_notes_with_their_marks() -> None:
    document = docxfile.read(real_file("mammoth--endnotes.docx").read_bytes(), "endnotes.docx")
    notes = [b for b in document.blocks if isinstance(b, Footnote)]
    assert [n.label for n in notes] == ["i", "ii"]
    marks = [r.text for b in document.blocks if isinstance(b, TextBlock) for r in b.content if r.kind == "footnote_ref"]
    assert marks == ["i", "ii"]
    assert all(n.text() for n in notes)


@pytest.mark.parametrize("name", ["mammoth--strict-format.docx", "d2p--strict.docx"])
@needs_files
def test_strict_open_xml_is_read(name: str) -> None:
    document = docxfile.read(real_file(name).read_bytes(), name)
    assert any(block_text(b) for b in document.blocks) or document.meta.title  # d2p's is one table


@needs_files
def test_symbol_font_bullets_become_unicode() -> None:
    document = docxfile.read(real_file("oxsdk--bullet--bullet-symbol.docx").read_bytes(), "bullet-symbol.docx")
    text = repr(document)
    assert not any(0xE000 <= ord(c) <= 0xF8FF for c in text)
    assert "☺" in text  # Wingdings "J"


@needs_files
def test_a_paragraph_equal_to_the_title_is_kept() -> None:
    document = docxfile.read(real_file("d2p--apples_and_pears.docx").read_bytes(), "apples.docx")
    texts = [b.text() for b in document.blocks if isinstance(b, TextBlock)]
    title = document.meta.title
    lifted = [title] if title and texts[:1] != [title] else []  # a title taken out of the blocks
    assert lifted + texts == ["Apples and Pears", "Pears and Apples", "Apples and Pears", "Pears and Apples"]


@needs_files
def test_comments_and_tracked_changes_warn(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="communique"):
        docxfile.read(real_file("mammoth--comments.docx").read_bytes(), "comments.docx")
        docxfile.read(real_file("oxsdk--track-change--trackChange.docx").read_bytes(), "track.docx")
    messages = [r.getMessage() for r in caplog.records]
    assert "comments.docx: 2 comment(s) left out" in messages
    assert any(m.startswith("track.docx: 1 tracked change(s) published as accepted") for m in messages)


@needs_files
def test_tracked_changes_can_be_refused() -> None:
    data = real_file("oxsdk--track-change--trackChange.docx").read_bytes()
    with pytest.raises(CommuniqueError, match="has 1 tracked changes; accept or reject them in Word"):
        docxfile.read(data, "track.docx", tracked_changes="refuse")


@needs_files
def test_strict_turns_a_warning_into_an_error(tmp_path: Path) -> None:
    options = Options(find_template("statement"), formats=("pdf",), strict=True)
    with pytest.raises(CommuniqueError, match=r"comment.*with --strict; nothing written"):
        build_file(real_file("mammoth--comments.docx"), tmp_path, options)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + bytes(600), "password-protected"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old Word 97–2003 file"),
        (_made_docx()[:5000], "damaged: its ZIP directory is missing"),
    ],
)
def test_encrypted_old_and_damaged_files_say_so(data: bytes, message: str) -> None:
    with pytest.raises(CommuniqueError, match=message):
        docxfile.read(data, "x.docx")


@needs_files
def test_tables_are_read_as_tables_with_regular_rows() -> None:
    from communique.model import Table, table_grid

    for name in ("mammoth--tables.docx", "pandoc--table_gridbefore.docx", "d2p--paragraphs_and_tables.docx"):
        document = docxfile.read(real_file(name).read_bytes(), name)
        tables = [b for b in document.blocks if isinstance(b, Table)]
        assert tables, name
        for table in tables:  # every row fills the grid: cells, spans and cells spanning down
            grid = table_grid(table)
            assert all(len(row) == table.columns for row in grid), name


@needs_files
def test_pictures_are_read_with_their_alt_text() -> None:
    from communique.model import Picture

    document = docxfile.read(real_file("pandoc--inline_images.docx").read_bytes(), "inline_images.docx")
    pictures = [b for b in document.blocks if isinstance(b, Picture)]
    assert len(pictures) == 2 and pictures[0].alt.startswith("This one is green")
    assert all(p.width and p.height for p in pictures)


def test_symbol_font_copyright_signs_become_the_plain_signs() -> None:
    from communique.readers import wordchars

    signs = [wordchars.from_symbol_font(chr(0xF000 + code), "Symbol") for code in (0xD2, 0xD3, 0xD4, 0xE2, 0xE3, 0xE4)]
    assert signs == ["®", "©", "™", "®", "©", "™"]  # not Adobe's private-use serif and sans-serif variants


@needs_files
def test_a_vml_picture_keeps_its_size() -> None:
    from communique.model import Picture

    document = docxfile.read(real_file("pandoc--image_vml.docx").read_bytes(), "image_vml.docx")
    (picture,) = [b for b in document.blocks if isinstance(b, Picture)]
    assert picture.width and picture.height and picture.width < picture.height  # from the shape's style


@needs_files
def test_a_drop_cap_joins_its_paragraph() -> None:
    document = docxfile.read(real_file("pandoc--drop_cap.docx").read_bytes(), "drop_cap.docx")
    texts = [b.text() for b in document.blocks if isinstance(b, TextBlock)]
    assert texts[:2] == ["Drop cap.", "Next paragraph."] and "Drop cap in margin." in texts
