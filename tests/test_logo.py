"""A letterhead logo keeps its size and place in the Word copy: LibreOffice's
rendering of our DOCX shows it as our PDF does, and the text beside or under
it starts at the same height."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image

from communique import readers
from communique.publish import Options, render_outputs
from communique.render import find_template

from .conftest import REPO, libreoffice, write_logo

EXAMPLE = REPO / "examples" / "statement-joint-declaration.md"
OUR_MINISTRY = REPO / "examples" / "templates" / "our-ministry"


def _require_tools() -> None:
    for tool in ("soffice", "pdfimages", "pdftoppm"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")


def _image_sizes(pdf: Path) -> list[tuple[str, str, str, str]]:
    """pdfimages -list: each image's page, pixel size and resolution as placed."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    return [(row[0], row[3], row[4], row[12]) for row in rows]  # page, width, height, x-ppi


def _page(pdf: Path, tmp_path: Path) -> Image.Image:
    """Page 1 drawn at 144 dpi (two pixels to the point)."""
    stem = tmp_path / f"{pdf.parent.name}-page"
    subprocess.run(["pdftoppm", "-r", "144", "-png", "-f", "1", "-l", "1", str(pdf), str(stem)], check=True)
    return Image.open(next(tmp_path.glob(f"{stem.name}*.png"))).convert("RGB")


def _box(page: Image.Image, inked: Callable[[tuple[int, int, int]], bool]) -> tuple[float, ...]:
    """The bounding box, in points, of the pixels `inked` picks."""
    pixels = page.load()
    width, height = page.size
    points = [(x, y) for y in range(height) for x in range(width) if inked(pixels[x, y])]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs) / 2, min(ys) / 2, max(xs) / 2, max(ys) / 2


def _logo_blue(pixel: tuple[int, int, int]) -> bool:
    red, _, blue = pixel
    return blue > 90 and red < 80 and blue - red > 50  # the test logo's #1F4E79, antialiased edges too


def _black_text(pixel: tuple[int, int, int]) -> bool:
    red, green, blue = pixel
    return max(red, green, blue) < 110 and abs(red - blue) < 30  # text ink, not a logo's colours


def _both(options: Options, tmp_path: Path) -> tuple[Path, Path, bytes]:
    outputs = render_outputs(readers.read(EXAMPLE), options)
    ours = tmp_path / "ours" / "doc.pdf"
    ours.parent.mkdir()
    ours.write_bytes(outputs["pdf"])
    word = tmp_path / "doc.docx"
    word.write_bytes(outputs["docx"])
    return ours, libreoffice(word, tmp_path / "office"), outputs["docx"]


@pytest.mark.slow
@pytest.mark.parametrize("case", ["--logo over the statement", "our-ministry letterhead"])
def test_the_logo_keeps_its_size_and_the_text_its_height(case: str, tmp_path: Path) -> None:
    _require_tools()
    if case.startswith("--logo"):
        options = Options(template=find_template("statement"), logo=write_logo(tmp_path / "logo.png"))
    else:
        options = Options(template=find_template(str(OUR_MINISTRY)))
    ours, office, word = _both(options, tmp_path)
    assert _image_sizes(ours) == _image_sizes(office) != []  # the same pixels at the same resolution: the same size
    our_page, office_page = _page(ours, tmp_path), _page(office, tmp_path)
    if case.startswith("--logo"):  # the test logo's blue drawn at the same place, to a point
        logo = zip(_box(our_page, _logo_blue), _box(office_page, _logo_blue), strict=True)
        assert all(abs(a - b) <= 1 for a, b in logo)
    # The first text line's ink starts at the same height, to a point and a half.
    assert abs(_box(our_page, _black_text)[1] - _box(office_page, _black_text)[1]) <= 1.5
    for style in docx.Document(io.BytesIO(word)).styles:
        if style.name.startswith("Figure"):
            spacing = style.element.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
            assert spacing.get(qn("w:lineRule")) == "atLeast", style.name  # never an exact line that crops it
