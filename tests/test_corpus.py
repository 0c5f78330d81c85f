"""The plain-text reader against the real texts of ../shared/corpus/public.

index.json says what a careful reader sees in each text; the reader must
see the same. The counting rules of the corpus README live in
tests/corpus_fields.py, which benchmarks/reader_eval.py shares.

The document date: the reader takes a date only from a dateline, the title
or the signature area, never from running prose. The seed (00) writes its
date only inside its first paragraph ("11 Ocak 2022 tarihinde … toplantı"),
so its expected `meta.date` is null; texts that do not write their date at
all (12, 27) must give null too.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from communique.model import Document, Footnote, TextBlock
from communique.readers import dates
from communique.readers.plaintext import read, read_text
from tests import corpus_fields
from tests.model_walk import model_text, tokens, top, walk

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "public"

# Texts whose date is written only inside running prose: not a document date.
DATE_ONLY_IN_PROSE = {"00-tr-ots-kazakhstan.txt"}


def _entries() -> list[dict[str, Any]]:
    index = CORPUS / "index.json"
    if not index.is_file():
        return []
    entries: list[dict[str, Any]] = json.loads(index.read_text(encoding="utf-8"))
    return entries


ENTRIES = _entries()
pytestmark = pytest.mark.skipif(not ENTRIES, reason=f"the public corpus is not at {CORPUS}")


def _ids() -> list[str]:
    return [entry["file"] for entry in ENTRIES]


@pytest.fixture(params=ENTRIES or [None], ids=_ids() or ["no-corpus"])
def case(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Document, str]:
    entry: dict[str, Any] = request.param
    path = CORPUS / entry["file"]
    data = path.read_bytes()
    return entry, read(data, str(path)), data.decode("utf-8-sig")


def test_counts(case: tuple[dict[str, Any], Document, str]) -> None:
    entry, document, _ = case
    if not corpus_fields.has_operative_part(entry) and "body_paragraphs" in entry:
        assert entry["intro_paragraphs"] == entry["body_paragraphs"]  # the same paragraphs, counted twice
    want, got = corpus_fields.expected(entry), corpus_fields.found(document)
    assert {key: got[key] for key in corpus_fields.COUNTS} == {key: want[key] for key in corpus_fields.COUNTS}


def test_roles_and_trailing_lines(case: tuple[dict[str, Any], Document, str]) -> None:
    entry, document, _ = case
    lead_ins = [block.text() for block in top(document, "lead_in") if isinstance(block, TextBlock)]
    assert lead_ins == ([entry["lead_in"]] if entry.get("lead_in") else [])
    formulae = [block.text() for block in top(document, "closing_formula") if isinstance(block, TextBlock)]
    assert formulae == ([entry["closing_formula"]] if entry.get("closing_formula") else [])
    assert bool(top(document, "signature")) == entry["has_signature"]
    assert bool(top(document, "place_date")) == entry["has_place_date_line"]
    if "metadata_lines" in entry:
        lines = [
            block.text()
            for block in document.blocks
            if isinstance(block, TextBlock) and block.kind in ("place_date", "reference", "metadata")
        ]
        assert lines == entry["metadata_lines"]


def test_meta(case: tuple[dict[str, Any], Document, str]) -> None:
    entry, document, text = case
    meta = document.meta
    assert meta.title == entry["title"]
    subtitle = entry.get("subtitle")
    if subtitle is not None and entry["footnotes"]:
        # The reader strips a footnote marker glued to the subtitle's end
        # ("…megünnepléséről1"); the footnote block keeps its label.
        subtitle = re.sub(r"(?<=[^\W\d_])\d{1,3}$", "", subtitle)
    assert meta.subtitle == subtitle
    latin_kazakh = entry["lang"] == "kk" and entry["script"] == "Latn"
    assert meta.language == ("kk-Latn" if latin_kazakh else entry["lang"])
    assert (meta.reference is not None) == entry["has_reference_number"]
    written = any(found.iso.startswith(entry["date"]) for found in dates.find_dates(text))
    if written and entry["file"] not in DATE_ONLY_IN_PROSE:
        assert meta.date is not None and meta.date.startswith(entry["date"])
    else:
        assert meta.date is None


def test_no_word_lost(case: tuple[dict[str, Any], Document, str]) -> None:
    _, document, text = case
    model = model_text(document)
    missing = set(tokens(text)) - set(tokens(model))
    assert not missing
    # Every word as often as written (digits aside: a footnote marker lives
    # on as the footnote's label).
    words = Counter(t for t in tokens(text) if not t.isdigit())
    assert not words - Counter(t for t in tokens(model) if not t.isdigit())


def test_footnote_markers_are_split_only_where_a_footnote_exists(
    case: tuple[dict[str, Any], Document, str],
) -> None:
    _, document, _ = case
    labels = {block.label for block in document.blocks if isinstance(block, Footnote)}
    refs = [
        run.text
        for _, block in walk(document.blocks)
        if isinstance(block, TextBlock)
        for run in block.content
        if run.kind == "footnote_ref"
    ]
    assert set(refs) <= labels


def _wrapped(text: str, width: int) -> str:
    return "\n".join(
        textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False) if line else ""
        for line in text.split("\n")
    )


@pytest.mark.parametrize("variant", ["crlf", "wrapped-72", "wrapped-40", "single-line-breaks"])
def test_same_model_however_the_text_was_pasted(case: tuple[dict[str, Any], Document, str], variant: str) -> None:
    """Hard-wrapped by a mailer, Windows line ends, or paragraphs on single
    line breaks: the reader sees the same document. (Hard-wrapped *and*
    without blank lines is ambiguous where a line ending in a comma is
    exactly full: such a text is not checked here.)"""
    _, document, text = case
    pasted = {
        "crlf": text.replace("\n", "\r\n"),
        "wrapped-72": _wrapped(text, 72),
        "wrapped-40": _wrapped(text, 40),
        "single-line-breaks": "\n".join(line for line in text.split("\n") if line.strip()),
    }[variant]
    assert read_text(pasted) == document
