"""Layout parity: LibreOffice draws our DOCX with the same pages and line
breaks as our PDF (benchmarks/parity.py holds the comparison)."""

from __future__ import annotations

import importlib.util
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from communique.model import Document
from communique.publish import Options, render_outputs
from communique.readers import plaintext
from communique.render import find_template

from .conftest import REPO, SAMPLE, corpus_files


def _parity() -> ModuleType:
    spec = importlib.util.spec_from_file_location("parity", REPO / "benchmarks" / "parity.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["parity"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _require_rendering_tools() -> None:
    """Skip unless LibreOffice and poppler's tools are installed."""
    for tool in ("soffice", "pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")


@pytest.mark.slow
@pytest.mark.parametrize("source", [SAMPLE, *corpus_files()], ids=lambda p: p.name)
def test_libreoffice_draws_the_docx_like_our_pdf(source: Path, tmp_path: Path) -> None:
    _require_rendering_tools()
    result = _parity().parity_of(source, tmp_path)
    assert result.our_pages == result.office_pages
    assert result.agreement >= 0.95, "\n".join(result.missing)


def _mixed_statement(seed: int) -> str:
    """A long statement of random words from our languages (a fixed seed):
    recitals, numbered paragraphs, prose, in both scripts, with fallback
    glyphs and typographic punctuation. No hyphenated compounds: LibreOffice
    may break a line after their hyphen, our PDF does not (writers/pdf.py
    says why), a known difference the corpus documents keep clear of."""
    rng = random.Random(seed)
    words = (
        "Türk Devletleri Teşkilatı Dışişleri kardeşlik bağlarını işbirliği Astana Qazaqstan Respýblıkasy "
        "materıaldyq General Assembly pre‑recorded Министерство иностранных дел "
        "обеспокоенность Országgyűlés megemlékezik történelmi lobogók «два государства» “Vizyonu 2040” "
        "Əliyev ölkə Oʻzbekiston gʻalaba Türkmenistanyň ýurt 1.234,56 ₺ № 439 — – …"
    ).split()

    def sentence(low: int, high: int) -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(low, high)))

    parts = ["Açıklama", ""]
    for number in range(1, 25):
        kind = rng.random()
        if kind < 0.3:
            parts += [sentence(15, 60) + ",", ""]
        elif kind < 0.7:
            parts += [f"{number}. " + sentence(10, 50) + ";", ""]
        else:
            parts += [sentence(30, 120) + ".", ""]
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_parity_holds_on_long_mixed_statements(seed: int, tmp_path: Path) -> None:
    _require_rendering_tools()
    source = tmp_path / f"mixed-{seed}.txt"
    source.write_text(_mixed_statement(seed), encoding="utf-8")
    result = _parity().parity_of(source, tmp_path / "work")
    assert result.our_pages == result.office_pages >= 2
    assert result.agreement >= 0.95, "\n".join(result.missing)


def _pandoc_blocks(document: Document, tmp_path: Path) -> list[dict[str, Any]]:
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed")
    outputs = render_outputs(document, Options(template=find_template("statement"), formats=("docx",)))
    path = tmp_path / "ours.docx"
    path.write_bytes(outputs["docx"])
    ast = json.loads(
        subprocess.run(
            ["pandoc", "-f", "docx", "-t", "json", str(path)], check=True, capture_output=True, text=True, timeout=60
        ).stdout
    )
    blocks: list[dict[str, Any]] = ast["blocks"]
    return blocks


@pytest.mark.slow
def test_pandoc_reads_the_operative_paragraphs_as_one_ordered_list(tmp_path: Path) -> None:
    blocks = _pandoc_blocks(plaintext.read(SAMPLE.read_bytes(), str(SAMPLE)), tmp_path)
    ordered = [block for block in blocks if block["t"] == "OrderedList"]
    assert len(ordered) == 1
    (start, style, _), items = ordered[0]["c"]
    assert start == 1 and style["t"] == "Decimal" and len(items) == 9


@pytest.mark.slow
def test_pandoc_reads_headings_and_lists(rich_document: Document, tmp_path: Path) -> None:
    kinds = [block["t"] for block in _pandoc_blocks(rich_document, tmp_path)]
    assert {"Header", "OrderedList", "BulletList"} <= set(kinds)


@pytest.mark.slow
def test_libreoffice_converts_our_docx_to_odt(rich_document: Document, tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    outputs = render_outputs(rich_document, Options(template=find_template("statement"), formats=("docx",)))
    path = tmp_path / "ours.docx"
    path.write_bytes(outputs["docx"])
    run = subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "odt", "--outdir", str(tmp_path / "odt"), str(path)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert run.returncode == 0 and "Error" not in run.stderr, run.stderr
    odt = tmp_path / "odt" / "ours.odt"
    assert odt.is_file() and odt.stat().st_size > 1000
