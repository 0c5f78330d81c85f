"""The repository's corpus (tests/corpus/) is split once, by file name, into
a development part (dev/) and a frozen test part (test/): a text belongs in
test/ when `int(sha1(name).hexdigest()[:8], 16) % 5 < 2`. Each folder's
index.json lists exactly its texts, sorted by file name, each with where it
was published and the labels the corpus README asks for."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from communique.model import DOCUMENT_KINDS

CORPUS = Path(__file__).resolve().parent / "corpus"
PARTS = ("dev", "test")
NAME = re.compile(r"^[123]\d\d-(tr|en|ru|az|kk|ky|uz|tk|hu)-[a-z0-9-]+\.txt$")
REQUIRED = {
    "file": str,
    "lang": str,
    "script": str,
    "kind": str,
    "source_url": str,
    "notes": str,
    "title": (str, type(None)),
    "intro_paragraphs": int,
    "body_paragraphs": int,
    "preamble_clauses": int,
    "chapeau_lines": int,
    "numbered_paragraphs": int,
    "sub_items": int,
    "bullet_items": int,
    "headings": int,
    "footnotes": int,
    "has_place_date_line": bool,
    "has_reference_number": bool,
    "has_signature": bool,
}


def part_of(name: str) -> str:
    """Where the split rule puts a text: two names in five go to the frozen part."""
    return "test" if int(hashlib.sha1(name.encode("utf-8")).hexdigest()[:8], 16) % 5 < 2 else "dev"


def _index(part: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads((CORPUS / part / "index.json").read_text(encoding="utf-8"))
    return entries


@pytest.mark.parametrize("part", PARTS)
def test_each_text_sits_where_the_rule_puts_it(part: str) -> None:
    misplaced = [path.name for path in (CORPUS / part).glob("*.txt") if part_of(path.name) != part]
    assert not misplaced


@pytest.mark.parametrize("part", PARTS)
def test_the_index_lists_exactly_the_texts_sorted(part: str) -> None:
    names = [entry["file"] for entry in _index(part)]
    assert names == sorted(names)
    assert len(names) == len(set(names))
    assert set(names) == {path.name for path in (CORPUS / part).glob("*.txt")}


@pytest.mark.parametrize("part", PARTS)
def test_every_entry_says_where_it_was_published_and_is_labelled(part: str) -> None:
    for entry in _index(part):
        assert NAME.match(entry["file"]), entry["file"]
        for key, kind in REQUIRED.items():
            assert isinstance(entry.get(key), kind), f"{entry['file']}: {key}"
        assert entry["source_url"].startswith(("http://", "https://")), entry["file"]
        assert entry["file"].split("-")[1] == entry["lang"], entry["file"]
        assert entry["kind"] in DOCUMENT_KINDS, entry["file"]
        text = (CORPUS / part / entry["file"]).read_text(encoding="utf-8")
        assert text.strip(), entry["file"]
        if entry["title"] is not None:
            assert " ".join(entry["title"].split()) in " ".join(text.split()), entry["file"]


def test_the_rule_splits_as_stated() -> None:
    assert part_of("101-en-wh-israel-scg-joint-statement.txt") == "dev"  # sha1 prefix % 5 == 4
    names = [f"{n}-en-x.txt" for n in range(100, 300)]
    share = sum(part_of(name) == "test" for name in names) / len(names)
    assert 0.3 < share < 0.5
