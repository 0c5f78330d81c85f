"""List labels by depth where the source states none, the same in both
files, and counting past z and past 3999 as LibreOffice counts."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from lxml import etree

from communique.layout import parse_layout
from communique.model import ListBlock, ListItem, Numbering, TextBlock, plain
from communique.publish import Options, render_outputs
from communique.readers import markdown
from communique.render import find_template, list_numbering
from communique.writers import docx as docx_writer
from communique.writers import pdf as pdf_writer

from .conftest import libreoffice

NESTED = """---
title: Labels
language: en
---

The Council decided to:

1. first level
   1. second level
      1. third level
         1. fourth level
            1. fifth level
            2. fifth again
         2. fourth again
      2. third again
   2. second again
2. first again

- a bullet
  - a nested bullet
"""
DEPTHS = [
    ("decimal", "%1."),
    ("lowerLetter", "(%2)"),
    ("lowerRoman", "(%3)"),
    ("lowerLetter", "%4."),
    ("lowerRoman", "%5."),
]


def _pdf_lines(data: bytes, tmp_path: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _levels(docx: bytes) -> list[list[tuple[str, str]]]:
    """Each numbering definition's levels as (numFmt, lvlText)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        numbering = etree.fromstring(package.read("word/numbering.xml"))
    return [
        [
            (lvl.find(qn("w:numFmt")).get(qn("w:val")), lvl.find(qn("w:lvlText")).get(qn("w:val")))
            for lvl in abstract.iter(qn("w:lvl"))
        ]
        for abstract in numbering.iter(qn("w:abstractNum"))
    ]


def test_markdown_nested_lists_are_labelled_by_depth_in_both_files(tmp_path: Path) -> None:
    """1. → (a) → (i) → a. → i., and "-" bullets as the template's "•"."""
    document = markdown.read(NESTED.encode(), "nested.md")
    outputs = render_outputs(document, Options(template=find_template("statement")))
    lines = _pdf_lines(outputs["pdf"], tmp_path)
    labelled = [line for line in lines if "level" in line or "again" in line or "bullet" in line]
    assert labelled == [
        "1. first level",
        "(a) second level",
        "(i) third level",
        "a. fourth level",
        "i. fifth level",
        "ii. fifth again",
        "b. fourth again",
        "(ii) third again",
        "(b) second again",
        "2. first again",
        "• a bullet",
        "• a nested bullet",
    ]
    levels = _levels(outputs["docx"])
    assert DEPTHS in levels  # one Word list, a level per depth
    assert [("bullet", "•"), ("bullet", "•")] in levels
    assert "-" not in {text for definition in levels for _, text in definition}


def test_a_label_the_source_states_is_kept() -> None:
    """Only what says no more than "a list" gives way to the template."""

    def numbering(fmt: str, prefix: str = "", suffix: str = "", start: int = 1) -> ListBlock:
        item = ListItem("x", (TextBlock("paragraph", plain("x")),))
        return ListBlock("numbered_list", (item,), numbering=Numbering(fmt, prefix, suffix, start))

    assert list_numbering(numbering("decimal", suffix="."), depth=1) == {}
    assert list_numbering(numbering("decimal", suffix=")"), depth=2) == {}
    assert list_numbering(numbering("decimal", suffix=".", start=4), depth=2)["label"] == "%1."  # counted on purpose
    assert list_numbering(numbering("decimal", suffix="."))["label"] == "%1."  # the top level keeps its own
    assert list_numbering(numbering("lower-alpha", "(", ")"), depth=1)["label"] == "(%1)"
    assert list_numbering(numbering("decimal", "§ ", "."), depth=1)["label"] == "§ %1."
    assert list_numbering(numbering("bullet", "–")) == {"format": "bullet", "bullet": "–"}
    assert list_numbering(numbering("bullet", "-")) == {}


COUNTING = """<document><styles><style name="Body"/><list-style name="l" format="lower-alpha" label="%1)"/></styles>
<body>{lists}</body></document>"""


@pytest.mark.slow
def test_counting_past_z_and_past_3999_as_libreoffice_draws_it(tmp_path: Path) -> None:
    """y, z, aa, bb … zz, aaa (Word's letters) and Roman numerals past 3999
    with repeated M: our PDF's labels are LibreOffice's labels of our DOCX."""
    for tool in ("soffice", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    items = "".join(f'<item><p style="Body">item {i}</p></item>' for i in range(4))
    lists = "".join(
        f'<list style="l" format="{fmt}" label="%1." start="{start}">{items}</list>'
        for fmt, start in (("lower-alpha", 25), ("lower-alpha", 51), ("lower-roman", 3998), ("upper-roman", 4999))
    )
    layout = parse_layout(COUNTING.format(lists=lists))
    ours = [line for line in _pdf_lines(pdf_writer.write(layout), tmp_path) if "item" in line]
    (tmp_path / "count.docx").write_bytes(docx_writer.write(layout))
    office_pdf = libreoffice(tmp_path / "count.docx", tmp_path / "office").read_bytes()
    office = [line for line in _pdf_lines(office_pdf, tmp_path) if "item" in line]
    labels = [re.sub(r" item \d+$", "", line) for line in ours]
    assert labels == [re.sub(r" item \d+$", "", line) for line in office]
    assert labels[:4] == ["y.", "z.", "aa.", "bb."] and labels[6:8] == ["aaa.", "bbb."]
    assert labels[10:12] == ["mmmm.", "mmmmi."] and labels[13] == "MMMMM."
