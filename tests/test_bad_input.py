"""Bad input never crashes, never loses text, never leaves broken files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import pytest

from communique.errors import CommuniqueError
from communique.model import Document, Meta, TextBlock, plain
from communique.publish import Options, render_outputs, write_together
from communique.readers import pdffile
from communique.render import find_template
from tests.conftest import docx_text, pdf_text, squash

NASTY = Path(__file__).resolve().parent / "fixtures" / "nasty"
EXPECTED: dict[str, dict[str, object]] = json.loads((NASTY / "expected.json").read_text(encoding="utf-8"))


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "communique", *map(str, args)], capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_nasty_input_gives_the_expected_outcome(name: str, tmp_path: Path) -> None:
    expected = EXPECTED[name]
    result = run("build", NASTY / name, "--out", tmp_path)
    assert "Traceback" not in result.stderr
    stem = Path(name).stem
    if "ok" in expected:
        assert result.returncode == 0, result.stderr
        pdf = squash(pdf_text(tmp_path / f"{stem}.pdf"))
        word = squash(docx_text(tmp_path / f"{stem}.docx"))
        for fragment in expected["ok"]:  # type: ignore[union-attr]
            assert fragment in word, fragment
            if name != "long-word.txt":  # a 20,000-letter word is broken across lines in the PDF
                assert fragment in pdf, fragment
    else:
        assert result.returncode == 1, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and name in lines[0] and str(expected["error"]) in lines[0], result.stderr
        assert list(tmp_path.iterdir()) == []


def test_control_characters_never_reach_the_outputs(tmp_path: Path) -> None:
    assert run("build", NASTY / "control-characters.txt", "--out", tmp_path).returncode == 0
    text = docx_text(tmp_path / "control-characters.docx") + pdf_text(tmp_path / "control-characters.pdf")
    assert not any(ch in text for ch in "\x00\x1b\x07\x7f")


def test_legacy_encoding_is_reported_with_verbose(tmp_path: Path) -> None:
    result = run("build", NASTY / "windows-1254.txt", "--out", tmp_path, "--verbose")
    assert result.returncode == 0
    assert "read as cp1254" in result.stderr


def test_size_limit_is_an_option(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Başlık\n\n" + "Uzun bir paragraf metni. " * 50_000, encoding="utf-8")
    refused = run("build", big, "--out", tmp_path / "a", "--max-bytes", "100K")
    assert refused.returncode == 1 and "--max-bytes" in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert run("build", big, "--out", tmp_path / "b", "--format", "docx").returncode == 0


def test_thousands_of_paragraphs_publish(tmp_path: Path) -> None:
    many = tmp_path / "many.txt"
    many.write_text(
        "Başlık\n\n" + "\n\n".join(f"Paragraf {i} metni burada biter." for i in range(3000)), encoding="utf-8"
    )
    assert run("build", many, "--out", tmp_path).returncode == 0
    assert "Paragraf 2999 metni" in squash(pdf_text(tmp_path / "many.pdf"))


def test_concurrent_builds_of_one_file_all_succeed(tmp_path: Path) -> None:
    source = NASTY / "utf8-bom.txt"
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: run("build", source, "--out", tmp_path), range(4)))
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["utf8-bom.docx", "utf8-bom.pdf"]
    docx.Document(str(tmp_path / "utf8-bom.docx"))
    assert "harflerini" in pdf_text(tmp_path / "utf8-bom.pdf")


def test_a_killed_build_leaves_no_broken_file_under_a_final_name(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Başlık\n\n" + "\n\n".join("Paragraf metni burada. " * 20 for _ in range(4000)), encoding="utf-8")
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "communique", "build", str(big), "--out", str(out)])
    time.sleep(2.0)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    finals = [p for p in out.iterdir() if not p.name.startswith(".")] if out.exists() else []
    for path in finals:  # whatever has a final name is complete
        if path.suffix == ".pdf":
            assert path.read_bytes().rstrip().endswith(b"%%EOF")
        else:
            docx.Document(str(path))


def test_outputs_appear_together_or_not_at_all(tmp_path: Path) -> None:
    blocker = tmp_path / "b.docx"
    blocker.mkdir()  # a folder where the DOCX should go: its rename fails
    (blocker / "keep").write_text("x")
    with pytest.raises(CommuniqueError):
        write_together({tmp_path / "b.pdf": b"%PDF-1.7 test", blocker: b"PK"})
    assert not (tmp_path / "b.pdf").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["b.docx"]


def test_an_archived_pdf_source_inflates_only_so_far(monkeypatch: pytest.MonkeyPatch) -> None:
    """The source attached to a PDF is inflated with a limit: a flate bomb
    is refused, not unpacked into memory."""
    document = Document(Meta(title="Başlık", language="tr"), (TextBlock("paragraph", plain("Metin. " * 100)),))
    pdf = render_outputs(document, Options(template=find_template("statement"), formats=("pdf",)))["pdf"]
    assert pdffile.read(pdf, "archived.pdf") == document
    monkeypatch.setattr(pdffile, "MAX_SOURCE_BYTES", 500)
    with pytest.raises(CommuniqueError, match="over 500 bytes") as caught:
        pdffile.read(pdf, "archived.pdf")
    assert caught.value.file == "archived.pdf"


def test_a_failed_build_keeps_the_previous_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the second output cannot be put in place, the first output's
    previous version is back under its name and the second is untouched."""
    pdf, docx_file = tmp_path / "b.pdf", tmp_path / "b.docx"
    pdf.write_bytes(b"old pdf")
    docx_file.write_bytes(b"old docx")
    real_replace = os.replace
    calls: list[object] = []

    def failing_second(source: object, target: object) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise PermissionError(13, "Permission denied", str(target))
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing_second)
    with pytest.raises(CommuniqueError, match="Permission denied"):
        write_together({pdf: b"new pdf", docx_file: b"new docx"})
    monkeypatch.setattr(os, "replace", real_replace)
    assert pdf.read_bytes() == b"old pdf"
    assert docx_file.read_bytes() == b"old docx"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.docx", "b.pdf"]


def test_a_build_replaces_the_previous_build(tmp_path: Path) -> None:
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(b"old pdf")
    write_together({pdf: b"new pdf", tmp_path / "b.docx": b"new docx"})
    assert pdf.read_bytes() == b"new pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.docx", "b.pdf"]
