"""The reader over every real text of the corpus: nothing lost, mistakes cheap, inspect and Markdown work.

Real texts: the development part `tests/corpus/dev/`, and `../shared/corpus/`
(dev and public) where it exists. Per text: every word of the source is in
the published PDF and DOCX; no block is a heading or a numbered item the
text does not have (index.json says how many it has); `communique inspect`
shows every block; `--format md` publishes back to the same model. The
frozen part `tests/corpus/test/` is checked the same way in aggregate only
(its texts are never looked at one by one, and a failure names none).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from communique import cli
from communique.model import Document, ListBlock
from communique.publish import Options, render_outputs
from communique.readers import markdown as markdown_reader
from communique.readers.plaintext import read
from communique.render import find_template
from communique.writers import markdown as markdown_writer
from tests import corpus_fields
from tests.conftest import docx_bytes_text, pdf_bytes_text
from tests.model_walk import tokens, walk

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpus"
FOLDERS = (REPO / "tests" / "corpus" / "dev", SHARED / "dev", SHARED / "public")
FROZEN = REPO / "tests" / "corpus" / "test"


def _entries(folder: Path) -> list[dict[str, Any]]:
    index = folder / "index.json"
    if not index.is_file():
        return []
    entries: list[dict[str, Any]] = json.loads(index.read_text(encoding="utf-8"))
    return entries


CASES = [(folder, entry) for folder in FOLDERS for entry in _entries(folder)]


@pytest.fixture(params=CASES or [None], ids=[entry["file"] for _, entry in CASES] or ["no-corpus"])
def case(request: pytest.FixtureRequest) -> tuple[Path, dict[str, Any], Document]:
    if request.param is None:
        pytest.skip("no corpus folder is present")
    folder, entry = request.param
    path = folder / entry["file"]
    return path, entry, read(path.read_bytes(), str(path))


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def lost_words(path: Path, document: Document) -> dict[str, list[str]]:
    """Words of the source missing from the PDF and from the DOCX (where
    list labels are Word's automatic numbering, not paragraph text)."""
    outputs = render_outputs(document, Options(find_template("statement"), ("pdf", "docx")))
    source = path.read_text(encoding="utf-8-sig")
    labels = {
        word
        for _, block in walk(document.blocks)
        if isinstance(block, ListBlock)
        for item in block.items
        for word in tokens(item.label)
    }
    lost: dict[str, list[str]] = {}
    for fmt, text in (("pdf", pdf_bytes_text(outputs["pdf"])), ("docx", docx_bytes_text(outputs["docx"]))):
        published = _squeezed(text)
        numbered = labels if fmt == "docx" else set()
        lost[fmt] = sorted({word for word in tokens(source) if word not in published and word not in numbered})
    return lost


def false_structure(entry: dict[str, Any], document: Document) -> dict[str, tuple[int, int]]:
    """Headings and numbered items the reader made beyond what the text has."""
    want, got = corpus_fields.expected(entry), corpus_fields.found(document)
    out = {}
    for key in ("headings", "numbered_paragraphs", "sub_items"):
        if int(got[key] or 0) > int(want[key] or 0):
            out[key] = (int(want[key] or 0), int(got[key] or 0))
    return out


def test_no_word_is_lost_in_pdf_and_docx(case: tuple[Path, dict[str, Any], Document]) -> None:
    path, _, document = case
    assert lost_words(path, document) == {"pdf": [], "docx": []}


def test_no_heading_or_numbered_item_the_text_lacks(case: tuple[Path, dict[str, Any], Document]) -> None:
    _, entry, document = case
    assert false_structure(entry, document) == {}


def test_markdown_publishes_back_to_the_same_model(case: tuple[Path, dict[str, Any], Document]) -> None:
    _, _, document = case
    again = markdown_reader.read(markdown_writer.write(document), "corrected.md")
    assert again.meta == document.meta
    assert again.blocks == document.blocks


def test_inspect_shows_every_block(
    case: tuple[Path, dict[str, Any], Document], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _, document = case
    assert cli.main(["inspect", str(path)]) == 0
    shown = capsys.readouterr().out
    assert shown.split("blocks:\n", 1)[1].count("\n") >= len(document.blocks)  # a line per block at least
    assert f"kind: {document.meta.kind}" in shown


def _frozen() -> list[tuple[Path, Document]]:
    """The frozen texts read, under no name of their own."""
    return [(FROZEN / e["file"], read((FROZEN / e["file"]).read_bytes(), "frozen text")) for e in _entries(FROZEN)]


@pytest.mark.skipif(not _entries(FROZEN), reason="the frozen corpus part is absent")
def test_frozen_part_has_no_heading_or_numbered_item_the_texts_lack() -> None:
    """The frozen texts, counted only (no text is named): the reader makes
    no heading, numbered paragraph or sub-item beyond what a text has."""
    read_back = zip(_entries(FROZEN), _frozen(), strict=True)
    wrong = sum(bool(false_structure(entry, document)) for entry, (_, document) in read_back)
    assert wrong == 0, f"{wrong} frozen texts get a heading or numbered item they do not have"


@pytest.mark.skipif(not _entries(FROZEN), reason="the frozen corpus part is absent")
def test_frozen_part_inspects_and_publishes_back_from_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    """The frozen texts, counted only: `inspect` shows each one's blocks,
    and its `--format md` reads back to the same model."""
    failing = 0
    for path, document in _frozen():
        again = markdown_reader.read(markdown_writer.write(document), "corrected.md")
        shown = capsys.readouterr().out if cli.main(["inspect", str(path)]) == 0 else ""
        inspected = "blocks:\n" in shown and shown.split("blocks:\n", 1)[1].count("\n") >= len(document.blocks)
        failing += not (inspected and again.meta == document.meta and again.blocks == document.blocks)
    assert failing == 0, f"{failing} frozen texts fail inspect or the Markdown round trip"


@pytest.mark.slow
@pytest.mark.skipif(not _entries(FROZEN), reason="the frozen corpus part is absent")
def test_frozen_part_loses_no_word() -> None:
    """The frozen texts, counted only (no text is named): none loses a word
    in the PDF or the DOCX."""
    losing = sum(any(lost_words(path, document).values()) for path, document in _frozen())
    assert losing == 0, f"{losing} frozen texts lose words"
