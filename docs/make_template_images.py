"""Regenerate docs/templates/<name>.png: the first page of each template's
example, our PDF at the left and LibreOffice's rendering of our DOCX at the
right, small. Needs LibreOffice and poppler's pdftoppm.

    .venv/bin/python docs/make_template_images.py
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from communique import readers
from communique.publish import Options, choose_template, render_outputs

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "templates"
PAD = 8


def first_page(pdf: Path, stem: Path) -> Image.Image:
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(stem)], check=True)
    return Image.open(f"{stem}.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for source in sorted((REPO / "examples").glob("*.md")):
            document = readers.read(source)
            name = choose_template(document, Options()).name
            outputs = render_outputs(document, Options())
            pdf, docx = work / f"{name}.pdf", work / f"{name}.docx"
            pdf.write_bytes(outputs["pdf"])
            docx.write_bytes(outputs["docx"])
            subprocess.run(
                ["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                 "--convert-to", "pdf", "--outdir", str(work / "office"), str(docx)],
                check=True, capture_output=True, timeout=180,
            )  # fmt: skip
            ours, office = first_page(pdf, work / f"{name}-ours"), first_page(work / "office" / pdf.name, work / name)
            sheet = Image.new("RGB", (ours.width + office.width + 3 * PAD, ours.height + 2 * PAD), (200, 200, 200))
            sheet.paste(ours, (PAD, PAD))
            sheet.paste(office, (ours.width + 2 * PAD, PAD))
            sheet.convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(OUT / f"{name}.png", optimize=True)
            print(OUT / f"{name}.png")


if __name__ == "__main__":
    main()
