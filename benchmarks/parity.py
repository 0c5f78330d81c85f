"""Layout parity: does LibreOffice draw our DOCX the way we draw our PDF?

For the bundled sample and each public corpus document this publishes the
PDF and the DOCX, has LibreOffice (headless) turn the DOCX into a PDF, and
prints, per document, the page counts of both PDFs and the share of our
PDF's text lines that LibreOffice's rendering has unchanged (the same
words broken at the same places). Run: `.venv/bin/python benchmarks/parity.py`.
The comparison itself is `compare_pdfs`, which the slow tests import.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from communique.cli import SAMPLE

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "public"
EXAMPLES = REPO / "examples"


@dataclass(frozen=True)
class Parity:
    """How one document's two renderings compare."""

    name: str
    our_pages: int
    office_pages: int
    lines: int  # non-empty text lines in our PDF
    matched: int  # of those, lines LibreOffice's PDF has unchanged
    missing: tuple[str, ...]  # our lines LibreOffice does not have

    @property
    def agreement(self) -> float:
        return self.matched / self.lines if self.lines else 1.0


# Characters both engines draw alike but extract differently: LibreOffice
# shows a non-breaking hyphen with the font's hyphen glyph and extracts "-".
_SAME_GLYPH = str.maketrans({"\u2011": "-", "\u00a0": " "})
# ... and may place it a hair apart, which pdftotext reads as a space.
_HYPHEN_GAP = re.compile(r" ?- ?")


def pdf_lines(pdf: Path) -> list[str]:
    """The PDF's text lines as pdftotext lays them out, whitespace squashed."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [
        _HYPHEN_GAP.sub("-", " ".join(line.translate(_SAME_GLYPH).split()))
        for line in text.splitlines()
        if line.strip()
    ]


def _letters(line: str) -> str:
    """A line without its spaces: the same words broken at the same places
    match, however pdftotext reads a hair's gap (a footnote mark set a
    fraction of a point from its word reads as "word 1" in one file and
    "word1" in the other)."""
    return "".join(line.split())


def pdf_pages(pdf: Path) -> int:
    """The page count pdfinfo reports."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return next(int(line.split()[1]) for line in info.splitlines() if line.startswith("Pages:"))


def compare_pdfs(ours: Path, office: Path, name: str = "") -> Parity:
    """Compare two PDFs: pages, and how many of our lines (as a multiset)
    appear unchanged in the other rendering."""
    our_lines, office_lines = pdf_lines(ours), pdf_lines(office)
    available = Counter(map(_letters, office_lines))
    matched, missing = 0, []
    for line in our_lines:
        if available[_letters(line)] > 0:
            available[_letters(line)] -= 1
            matched += 1
        else:
            missing.append(line)
    return Parity(name or ours.stem, pdf_pages(ours), pdf_pages(office), len(our_lines), matched, tuple(missing))


def office_pdf(docx: Path, out_dir: Path) -> Path:
    """LibreOffice's PDF of a DOCX (its own profile, so runs never collide)."""
    profile = out_dir / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out_dir), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    result = out_dir / f"{docx.stem}.pdf"
    if not result.is_file():
        raise RuntimeError(f"LibreOffice wrote no PDF for {docx}")
    return result


def publish_both(source: Path, out_dir: Path) -> tuple[Path, Path]:
    """Our PDF and DOCX of a source file, written into `out_dir`."""
    from communique import readers
    from communique.publish import Options, render_outputs

    document = readers.read(source)
    outputs = render_outputs(document, Options())  # the template the document's kind selects
    pdf, docx = out_dir / f"{source.stem}.pdf", out_dir / f"{source.stem}.docx"
    pdf.write_bytes(outputs["pdf"])
    docx.write_bytes(outputs["docx"])
    return pdf, docx


def parity_of(source: Path, work: Path) -> Parity:
    """Publish one source and compare our PDF with LibreOffice's."""
    ours_dir, office_dir = work / "ours", work / "office"
    ours_dir.mkdir(parents=True, exist_ok=True)
    office_dir.mkdir(parents=True, exist_ok=True)
    pdf, docx = publish_both(source, ours_dir)
    return compare_pdfs(pdf, office_pdf(docx, office_dir), source.name)


def sources() -> list[Path]:
    """The sample, each template's example and every public corpus document."""
    examples = sorted(EXAMPLES.glob("*.md"))
    return [SAMPLE, *examples, *(sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else [])]


def main(argv: list[str]) -> int:
    for tool in ("soffice", "pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            print(f"parity: {tool} is not installed", file=sys.stderr)
            return 2
    keep = Path(argv[1]) if len(argv) > 1 else None
    with tempfile.TemporaryDirectory() as scratch:
        work = keep or Path(scratch)
        print(f"{'document':<58} {'pages':>9} {'lines':>12} {'agree':>7}")
        worst = 1.0
        for source in sources():
            result = parity_of(source, work / source.stem)
            worst = min(worst, result.agreement if result.our_pages == result.office_pages else 0.0)
            pages = f"{result.our_pages}/{result.office_pages}"
            lines = f"{result.matched}/{result.lines}"
            print(f"{result.name:<58} {pages:>9} {lines:>12} {result.agreement:>7.1%}")
            for line in result.missing if os.environ.get("PARITY_VERBOSE") else ():
                print(f"    ours only: {line}")
    return 0 if worst >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
