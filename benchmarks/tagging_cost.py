"""What tagging costs: the whole PDF write (reportlab render + archival pass)
as tagged PDF/A-3a + PDF/UA-1 against the untagged PDF/A-3u file, in one run.

Per document — the bundled sample, the public corpus when it is present, and
a long document of several pages (nested lists, footnotes, a logo) — the
fastest of 9 alternating runs of each profile (the least disturbed by other
work on the machine), and the tagged time as a ratio of the untagged one. The target is at most +25 %. Run:
`.venv/bin/python benchmarks/tagging_cost.py`. Not a test.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from communique import readers
from communique.cli import SAMPLE
from communique.layout import Layout
from communique.model import Document
from communique.publish import ATTACHMENT_NAME
from communique.render import find_template, render_layout
from communique.writers import model_json
from communique.writers import pdf as pdf_writer

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "public"
RUNS = 9
TARGET = 1.25


def documents() -> list[tuple[str, Document]]:
    """The sample, the corpus texts when checked out, and the long test document."""
    from tests.conftest import long_document

    paths = [SAMPLE, *(sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else [])]
    return [(path.name, readers.read(path)) for path in paths] + [("long document (tests)", long_document())]


def layout_for(document: Document, logo: Path | None) -> Layout:
    """The layout the CLI would draw, source attachment included."""
    layout = render_layout(document, find_template("statement"), logo=logo)
    return layout.with_attachment(ATTACHMENT_NAME, model_json(document))


def seconds(layout: Layout, profile: str) -> float:
    start = time.perf_counter()
    pdf_writer.write(layout, profile)
    return time.perf_counter() - start


def main() -> None:
    sys.path.insert(0, str(REPO))  # the long document lives with the tests
    from tests.conftest import write_logo

    with tempfile.TemporaryDirectory() as folder:
        logo = write_logo(Path(folder) / "logo.png")
        rows = [
            (name, layout_for(document, logo if name.startswith("long") else None)) for name, document in documents()
        ]
        pdf_writer.write(rows[0][1])  # warm up: font registration, imports
        header = f"{'document':<48} {'3u ms':>8} {'3a ms':>8} {'3a / 3u':>8}"
        print(header)
        print("-" * len(header))
        total_untagged = total_tagged = 0.0
        for name, layout in rows:
            untagged: list[float] = []
            tagged: list[float] = []
            for _ in range(RUNS):  # alternate, so a busy moment hits both alike
                untagged.append(seconds(layout, "3u"))
                tagged.append(seconds(layout, "3a"))
            plain, marked = min(untagged), min(tagged)
            total_untagged += plain
            total_tagged += marked
            print(f"{name[:48]:<48} {plain * 1000:>8.1f} {marked * 1000:>8.1f} {marked / plain:>8.2f}")
    print("-" * len(header))
    ratio = total_tagged / total_untagged
    verdict = "within" if ratio <= TARGET else "OVER"
    print(f"{'all':<48} {total_untagged * 1000:>8.1f} {total_tagged * 1000:>8.1f} {ratio:>8.2f}")
    print(f"tagging adds {ratio - 1:+.0%} ({verdict} the {TARGET - 1:.0%} target)")


if __name__ == "__main__":
    main()
