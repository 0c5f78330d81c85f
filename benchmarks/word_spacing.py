"""How loose justified lines run: the share of justified lines whose space
between words is over twice the font's normal space, set justified (the
templates as they are) and ragged right (the same layout with every justified
style set flush left, what a template's `justify: false` does).

Per document — the public corpus texts, the examples and the long test
document — reportlab breaks each paragraph as the PDF writer draws it; a
justified line (not a paragraph's last line, nor one ending in a line break)
spreads its free space over its gaps, so a gap is the space plus that share.
Ragged right has no stretched gap; for it the mean gap at the right edge is
given instead, as a share of the line. Run:
`.venv/bin/python benchmarks/word_spacing.py`. Not a test.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether
from reportlab.platypus import Paragraph as RLParagraph

from communique import readers
from communique.fonts import register_pdf_fonts
from communique.layout import Layout
from communique.model import Document
from communique.publish import Options, choose_template
from communique.render import render_layout
from communique.writers import pdf as pdf_writer
from communique.writers.pdf_tags import StructureBuilder

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "public"
LOOSE = 2.0  # a gap over twice the normal space counts as loose


@dataclass
class Spacing:
    """Lines of one document's paragraphs as reportlab breaks them."""

    justified: int = 0  # justified lines (all but the last of a justified paragraph)
    loose: int = 0  # of those, lines with a gap over LOOSE × the normal space
    lines: int = 0  # every full line (not a paragraph's last) of the paragraphs that were justified
    right_gap: float = 0.0  # summed free space at the right end of those lines, as a share of the line

    @property
    def loose_share(self) -> float:
        return self.loose / self.justified if self.justified else 0.0

    @property
    def mean_right_gap(self) -> float:
        return self.right_gap / self.lines if self.lines else 0.0


def documents() -> list[tuple[str, Document]]:
    sys.path.insert(0, str(REPO))  # the long test document lives in the tests
    from tests.conftest import long_document

    paths = [*(sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []), *sorted((REPO / "examples").glob("*.md"))]
    return [(path.name, readers.read(path)) for path in paths] + [("long document (tests)", long_document())]


def ragged(layout: Layout) -> Layout:
    """The layout with its justified styles set flush left."""
    styles = {name: replace(s, align="left") if s.align == "justify" else s for name, s in layout.styles.items()}
    return replace(layout, styles=styles)


def paragraphs(flowables: list[Flowable]) -> Iterator[RLParagraph]:
    for flowable in flowables:
        if isinstance(flowable, RLParagraph):
            yield flowable
        elif isinstance(flowable, KeepTogether):
            yield from paragraphs(flowable._content)


def measure(layout: Layout, justified_styles: set[str]) -> Spacing:
    """Break the body's paragraphs as the PDF writer does and count."""
    register_pdf_fonts()
    styles = {name: pdf_writer.paragraph_style(style) for name, style in layout.styles.items()}
    flowables = list(pdf_writer._flowables(layout.body, layout, styles, 0.0, StructureBuilder()))
    result = Spacing()
    for paragraph in paragraphs(flowables):
        base = paragraph.style.name.split("@")[0]  # list items' styles are derived as "Name@indent"
        if base not in justified_styles:
            continue
        width = layout.page.frame_width - paragraph.style.leftIndent - paragraph.style.rightIndent
        paragraph.wrap(layout.page.frame_width, layout.page.height)
        space = stringWidth(" ", paragraph.style.fontName, paragraph.style.fontSize)
        lines = paragraph.blPara.lines
        for line in lines[:-1]:
            extra, gaps, broken = _line_facts(line)
            if broken:
                continue
            result.lines += 1
            result.right_gap += max(extra, 0.0) / width if width > 0 else 0.0
            if paragraph.style.alignment == 4 and gaps:  # TA_JUSTIFY
                result.justified += 1
                if space + extra / gaps > LOOSE * space:
                    result.loose += 1
    return result


def _line_facts(line: object) -> tuple[float, int, bool]:
    """A broken line's free space, its gaps between words, and whether it
    ends in a line break (then it is not stretched)."""
    if isinstance(line, tuple):  # one font: (free space, words)
        extra, words = line
        return float(extra), len(words) - 1, False
    extra = float(getattr(line, "extraSpace", 0.0))
    return extra, int(getattr(line, "wordCount", 1)) - 1, bool(getattr(line, "lineBreak", False))


def main() -> int:
    totals = {"justified": Spacing(), "ragged right": Spacing()}
    print(f"{'document':44} {'justified lines':>15} {'loose (>2× space)':>18} {'ragged: right gap':>18}")
    for name, document in documents():
        layout = render_layout(document, choose_template(document, Options()))
        justified_styles = {n for n, s in layout.styles.items() if s.align == "justify"}
        tight, loose_free = measure(layout, justified_styles), measure(ragged(layout), justified_styles)
        for key, value in (("justified", tight), ("ragged right", loose_free)):
            total = totals[key]
            total.justified += value.justified
            total.loose += value.loose
            total.lines += value.lines
            total.right_gap += value.right_gap
        print(f"{name[:44]:44} {tight.justified:>15} {tight.loose_share:>17.1%} {loose_free.mean_right_gap:>17.1%}")
    both = totals["justified"]
    print(
        f"\nJustified: {both.loose} of {both.justified} lines ({both.loose_share:.1%}) have a gap over "
        f"{LOOSE:g}× the normal space."
    )
    rag = totals["ragged right"]
    print(
        f"Ragged right: {rag.loose} of {rag.lines} lines ({rag.loose / rag.lines if rag.lines else 0:.1%}) "
        f"stretched; the mean free space at the right end of a line is {rag.mean_right_gap:.1%} of it."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
