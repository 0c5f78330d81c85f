"""The `communique` command as a user runs it: outputs, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from communique import batch, cli
from tests.conftest import SAMPLE, pdf_text, squash


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "communique", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, *fragments: str) -> None:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_build_sample_writes_pdf_and_docx(tmp_path: Path) -> None:
    result = run("build", "--sample", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    stem = SAMPLE.stem
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{stem}.docx", f"{stem}.pdf"]
    assert "Türk Devletleri Teşkilatı Dışişleri Bakanları Konseyi" in squash(pdf_text(tmp_path / f"{stem}.pdf"))


def test_build_several_files_and_formats_with_metadata(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("Statement on A\n\nThe Ministry welcomes the agreement.\n", encoding="utf-8")
    b.write_text("Statement on B\n\nThe Ministry regrets the decision.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(
        "build",
        a,
        b,
        "--out",
        out,
        "--format",
        "pdf,docx,json",
        "--language",
        "en",
        "--date",
        "2024-05-01",
        "--place",
        "Baku",
        "--issuer",
        "Ministry of Foreign Affairs",
        "--reference",
        "No: 12",
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a.docx", "a.json", "a.pdf", "b.docx", "b.json", "b.pdf"]
    meta = json.loads((out / "a.json").read_text(encoding="utf-8"))["meta"]
    assert meta["date"] == "2024-05-01" and meta["place"] == "Baku" and meta["reference"] == "No: 12"
    text = squash(pdf_text(out / "a.pdf"))
    assert "MINISTRY OF FOREIGN AFFAIRS" in text and "Baku, 1 May 2024" in text


def test_json_output_is_a_valid_input(tmp_path: Path) -> None:
    first = run("build", "--sample", "--out", tmp_path / "one", "--format", "json")
    assert first.returncode == 0, first.stderr
    model = tmp_path / "one" / f"{SAMPLE.stem}.json"
    second = run("build", model, "--out", tmp_path / "two", "--format", "json,pdf")
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "two" / model.name).read_text(encoding="utf-8") == model.read_text(encoding="utf-8")


def test_templates_lists_the_statement_template() -> None:
    result = run("templates")
    assert result.returncode == 0
    assert any(line.startswith("statement\t") for line in result.stdout.splitlines())


def test_help_and_version() -> None:
    assert "build" in run("--help").stdout
    assert run("--version").stdout.startswith("communique ")


def test_missing_file_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", tmp_path / "nope.txt", "--out", out)
    assert_one_line_error(result, 1, "nope.txt", "no such file")
    assert not out.exists() or not any(out.iterdir())


def test_bad_input_does_not_stop_the_good_ones(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"meta": {}, "blocks": [{"kind": "poem"}]}', encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("A title\n\nA paragraph of text.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", bad, good, "--out", out)
    assert result.returncode == 1, result.stderr
    error, summary = result.stderr.strip().splitlines()
    assert "bad.json" in error and "/blocks/0/kind" in error and "poem" in error
    assert summary.startswith("communique: 1 published, 1 failed, 0 warnings, ")
    assert sorted(p.name for p in out.iterdir()) == ["good.docx", "good.pdf"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["build", "--sample", "--template", "nosuch"], "unknown template 'nosuch'"),
        (["build", "--sample", "--format", "pdf,odt"], "unknown format"),
        (["build", "--sample", "--date", "2022-02-30"], "--date"),
        (["build", "--sample", "--frobnicate"], "--frobnicate"),
        (["build"], "at least one FILE"),
        (["explode"], "explode"),
    ],
)
def test_bad_usage_exits_2_with_one_line(args: list[str], fragment: str, tmp_path: Path) -> None:
    result = run(*args, "--out", tmp_path) if args[0] == "build" and len(args) > 1 else run(*args)
    assert_one_line_error(result, 2, fragment)
    assert not any(tmp_path.iterdir())


def test_template_error_names_template_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "template.yaml").write_text("name: mine\ndescription: test\n", encoding="utf-8")
    (folder / "document.xml.j2").write_text(
        '<document>\n<styles><style name="b"/></styles>\n<body>\n<p style="b">{{ meta.title }}</p>\n'
        "<marquee/>\n</body>\n</document>\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run("build", "--sample", "--template", folder, "--out", out)
    assert_one_line_error(result, 1, "document.xml.j2:5", "unknown element <marquee>")
    assert not out.exists() or not any(out.iterdir())


def test_user_template_cannot_escape_the_sandbox(tmp_path: Path) -> None:
    folder = tmp_path / "evil"
    folder.mkdir()
    (folder / "document.xml.j2").write_text(
        "<document><body>{{ meta.__class__.__init__.__globals__ }}</body></document>", encoding="utf-8"
    )
    result = run("build", "--sample", "--template", folder, "--out", tmp_path / "out")
    assert_one_line_error(result, 1, "document.xml.j2:1", "unsafe")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ('{% include "missing.xml.j2" %}', "'missing.xml.j2' not found"),
        ("{{ 1 // 0 }}", "ZeroDivisionError"),
        ("{{ meta.title + 1 }}", "TypeError"),
    ],
)
def test_a_mistake_in_a_user_template_is_a_one_line_error(line: str, fragment: str, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "document.xml.j2").write_text(f"<document>\n<body>\n{line}\n</body>\n</document>\n", encoding="utf-8")
    result = run("build", "--sample", "--template", folder, "--out", tmp_path / "out")
    assert_one_line_error(result, 1, "document.xml.j2:3", "template error", fragment)
    assert not (tmp_path / "out").exists()


def test_a_logo_that_is_not_an_image_is_bad_usage(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_text("not an image", encoding="utf-8")
    result = run("build", "--sample", "--logo", logo, "--out", tmp_path / "out")
    assert_one_line_error(result, 2, "--logo", "not a PNG or JPEG image")
    assert not (tmp_path / "out").exists()


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    assert run("build", "--sample", "--out", tmp_path).returncode == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_an_internal_error_is_one_line_and_a_traceback_with_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*args: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(batch, "build", boom)
    assert cli.main(["build", "--sample", "--out", str(tmp_path)]) == cli.EXIT_BUG
    assert capsys.readouterr().err.splitlines() == [
        f"communique: {SAMPLE}: internal error: RuntimeError: boom (run with --debug for details)"
    ]
    assert cli.main(["--debug", "build", "--sample", "--out", str(tmp_path)]) == cli.EXIT_BUG
    assert "Traceback" in capsys.readouterr().err


def test_a_template_changed_on_disk_is_read_again_in_the_same_process(tmp_path: Path) -> None:
    import pikepdf

    mine = tmp_path / "mine"
    mine.mkdir()
    config = mine / "template.yaml"

    def page_width(size: str) -> float:
        config.write_text(f"name: mine\nextends: statement\npage: {{size: {size}}}\n", encoding="utf-8")
        out = tmp_path / size
        assert cli.main(["build", "--sample", "--template", str(mine), "--out", str(out), "-q"]) == 0
        with pikepdf.open(out / f"{SAMPLE.stem}.pdf") as pdf:
            return float(pdf.pages[0].mediabox[2])

    assert round(page_width("A4")) == 595
    assert round(page_width("A5")) == 420  # the parsed YAML is kept only while the file stays the same


def test_a_build_that_ends_without_tear_down_says_everything(tmp_path: Path) -> None:
    """The command ends a build's process at once (no tear-down); what it
    printed to a pipe, its warnings and its report still all arrive, with
    its exit code."""
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    report = tmp_path / "report.jsonl"
    result = run("build", SAMPLE, bad, "--out", tmp_path / "out", "--report", report, "--jobs", "1")
    assert result.returncode == 1
    stem = SAMPLE.stem
    assert result.stdout.splitlines() == [str(tmp_path / "out" / f"{stem}.pdf"), str(tmp_path / "out" / f"{stem}.docx")]
    assert "empty.txt: the file is empty" in result.stderr and "1 published, 1 failed" in result.stderr
    assert [json.loads(line)["status"] for line in report.read_text(encoding="utf-8").splitlines()] == [
        "published",
        "failed",
    ]
