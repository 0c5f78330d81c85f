"""Composition both files share: titles balanced over their lines, and a
template's ragged-right setting."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from communique.composition import balance_titles
from communique.errors import CommuniqueError
from communique.layout import Paragraph, parse_layout, walk_paragraphs
from communique.model import Document, Meta, TextBlock, plain
from communique.publish import Options, render_outputs
from communique.render import find_template, render_layout

from .conftest import libreoffice

TITLE = "Türk Devletleri Teşkilatı Üye Devletleri Parlamento Başkanlarının Ortak Bildirisi"


def _document(title: str) -> Document:
    return Document(Meta(title=title, language="tr"), (TextBlock("paragraph", plain("Metin.")),))


def _title_lines(pdf: bytes, tmp_path: Path, name: str = "title.pdf") -> list[str]:
    """The lines of the title: the text's first lines above the body."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    path = tmp_path / name
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return lines[: lines.index("Metin.")]


def test_a_title_that_breaks_is_balanced_in_both_files(tmp_path: Path) -> None:
    """Greedy breaking leaves "Bildirisi" alone on the second line; balanced,
    the two lines are of nearly even length, and the Word copy carries the
    same narrower measure."""
    outputs = render_outputs(_document(TITLE), Options(template=find_template("statement")))
    lines = _title_lines(outputs["pdf"], tmp_path)
    assert len(lines) == 2 and " ".join(lines) == TITLE
    assert min(map(len, lines)) / max(map(len, lines)) > 0.8
    layout = render_layout(_document(TITLE), find_template("statement"))
    title = next(p for p in walk_paragraphs(layout.body) if p.style == "Title")
    left, right = title.narrowed(layout.styles["Title"])
    assert left == right == pytest.approx(title.narrow / 2) and title.narrow > 50
    paragraph = next(p for p in docx.Document(io.BytesIO(outputs["docx"])).paragraphs if p.style.name == "Title")
    indent = paragraph._p.pPr.find(qn("w:ind"))
    assert int(indent.get(qn("w:left"))) == round(left * 20) and int(indent.get(qn("w:right"))) == round(right * 20)


def test_unbalanced_greedy_lines_without_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the balancing mends: the greedy second line is one word."""
    from communique import render

    monkeypatch.setattr(render, "balance_titles", lambda layout: layout)
    outputs = render_outputs(_document(TITLE), Options(template=find_template("statement"), formats=("pdf",)))
    assert _title_lines(outputs["pdf"], tmp_path)[-1] == "Bildirisi"


def test_a_one_line_title_and_other_paragraphs_stay_as_they_are() -> None:
    layout = parse_layout(
        '<document><styles><style name="Title" align="center"/><style name="Body" align="justify"/></styles><body>'
        f'<p style="Title">Short title</p><p style="Body">{TITLE} {TITLE}</p></body></document>'
    )
    from dataclasses import replace

    balanced = balance_titles(replace(layout, roles={"Title": "meta.title", "Body": "paragraph"}))
    assert all(isinstance(b, Paragraph) and not b.narrow for b in balanced.body)


@pytest.mark.slow
def test_libreoffice_breaks_the_balanced_title_where_we_do(tmp_path: Path) -> None:
    for tool in ("soffice", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    outputs = render_outputs(_document(TITLE), Options(template=find_template("press-release")))
    (tmp_path / "title.docx").write_bytes(outputs["docx"])
    office = libreoffice(tmp_path / "title.docx", tmp_path / "office").read_bytes()
    ours = _title_lines(outputs["pdf"], tmp_path)
    assert len(ours) >= 2 and ours == _title_lines(office, tmp_path, "office.pdf")


def _ragged_template(folder: Path, value: str) -> Path:
    folder.mkdir()
    (folder / "template.yaml").write_text(f"name: ragged\nextends: statement\njustify: {value}\n", encoding="utf-8")
    (folder / "document.xml.j2").write_text('{% extends "statement/document.xml.j2" %}\n', encoding="utf-8")
    return folder


def test_justify_false_sets_the_template_ragged_right(tmp_path: Path) -> None:
    template = find_template(str(_ragged_template(tmp_path / "ragged", "false")))
    layout = render_layout(_document(TITLE), template)
    assert layout.styles["Body"].align == "left" and layout.styles["Title"].align == "center"
    assert not [s for s in layout.styles.values() if s.align == "justify"]
    assert any(
        s.align == "justify" for s in render_layout(_document(TITLE), find_template("statement")).styles.values()
    )
    word = docx.Document(io.BytesIO(render_outputs(_document(TITLE), Options(template=template))["docx"]))
    body = word.styles["Body"].element.find(f"{qn('w:pPr')}/{qn('w:jc')}")
    assert body.get(qn("w:val")) == "left"


def test_justify_must_be_true_or_false(tmp_path: Path) -> None:
    with pytest.raises(CommuniqueError, match="justify"):
        find_template(str(_ragged_template(tmp_path / "bad", "sometimes")))
