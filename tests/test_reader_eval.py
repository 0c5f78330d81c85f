"""benchmarks/reader_eval.py counts as the corpus README says: a corpus
labelled with what the reader finds scores 100 %, and each wrong label
shows up as false or missed blocks of its role."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from benchmarks import reader_eval

from communique.cli import SAMPLE
from communique.readers.plaintext import read
from tests import corpus_fields


def _corpus(folder: Path, **changes: Any) -> Path:
    """A one-text corpus: the bundled sample, labelled with what the reader finds, then `changes`."""
    shutil.copy(SAMPLE, folder / "00-tr-sample.txt")
    got = corpus_fields.found(read(SAMPLE.read_bytes(), str(SAMPLE)))
    entry = {"file": "00-tr-sample.txt", "lang": "tr", "intro_paragraphs": got["paragraphs"]}
    entry |= {key: value for key, value in got.items() if key != "paragraphs"} | changes
    (folder / "index.json").write_text(json.dumps([entry], ensure_ascii=False), encoding="utf-8")
    return folder


def test_labels_as_the_reader_reads_score_everything_right(tmp_path: Path) -> None:
    results = reader_eval.evaluate(_corpus(tmp_path))
    everything, by_lang = reader_eval.summary(results)
    assert (everything.texts, everything.structure_right) == (1, 1)
    assert everything.fields_right == everything.fields == len(corpus_fields.STRUCTURE)
    assert list(by_lang) == ["tr"]
    assert everything.total().false == everything.total().missed == 0


def test_wrong_labels_count_as_false_and_missed_blocks(tmp_path: Path) -> None:
    found = corpus_fields.found(read(SAMPLE.read_bytes(), str(SAMPLE)))
    headings = int(found["headings"] or 0)
    results = reader_eval.evaluate(_corpus(tmp_path, headings=headings + 2, title="Another title"))
    everything, _ = reader_eval.summary(results)
    assert everything.structure_right == 0
    assert everything.fields - everything.fields_right == 2
    assert (everything.roles["headings"].missed, everything.roles["headings"].false) == (2, 0)
    title = everything.roles["title"]
    assert (title.right, title.false, title.missed) == (0, 1, 1)
    assert set(results[0].wrong()) == {"headings", "title"}
    assert "headings" in reader_eval.report(results, docs=True)


def test_the_report_tables_precision_and_recall_per_role_and_language(tmp_path: Path) -> None:
    found = corpus_fields.found(read(SAMPLE.read_bytes(), str(SAMPLE)))
    results = reader_eval.evaluate(_corpus(tmp_path, headings=int(found["headings"] or 0) + 2))
    _, by_lang = reader_eval.summary(results)
    table = reader_eval.role_by_language(by_lang)
    assert table[1].split() == ["role", "tr"]
    rows = {line.split()[0]: line.split()[1] for line in table[2:]}
    assert set(rows) == set(reader_eval.ROLES)
    assert rows["headings"].endswith("/0")  # two headings labelled, none found: recall 0
    assert rows["quoted_paragraphs"] == "–"
    assert "\n".join(table) in reader_eval.report(results, docs=False)


def test_a_folder_without_an_index_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"no index\.json"):
        reader_eval.evaluate(tmp_path)


@pytest.mark.parametrize(
    ("want", "got", "right"),
    [
        ("No: 57, 22 Şubat 2022, Rusya hk.", "Rusya hk.", True),
        ("No: 57, 22 Şubat 2022, Rusya hk.", "No: 57, 22 Şubat 2022, Rusya hk.", True),
        ("Statement on the situation in the region", "Statement", False),
        (None, None, True),
        ("Bəyanat", None, False),
    ],
)
def test_a_title_may_lose_its_reference_and_date(want: str | None, got: str | None, right: bool) -> None:
    assert corpus_fields.same_title(want, got) is right


@pytest.mark.parametrize("part", ["dev", "test"])
def test_every_text_of_the_corpus_is_read_and_scored(part: str) -> None:
    folder = Path(__file__).resolve().parent / "corpus" / part
    results = reader_eval.evaluate(folder)
    assert results, f"no texts in {folder}"
    assert [result.path.name for result in results if result.error] == []
    assert {result.lang for result in results} <= {"tr", "en", "ru", "az", "kk", "ky", "uz", "tk", "hu"}
