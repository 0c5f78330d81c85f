"""What the archival post-processing costs: reportlab's render against
`archival.finalize` (PDF/A-3u metadata, output intent, attachment, rewrite).

Per document — the bundled sample, plus the public corpus when it is
present — the median of 5 runs of each step, and finalize as a share of the
render. Run: `.venv/bin/python benchmarks/archival_cost.py`. Not a test.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pikepdf

from communique import archival, readers
from communique.cli import SAMPLE
from communique.layout import Layout
from communique.publish import ATTACHMENT_NAME
from communique.render import find_template, render_layout
from communique.writers import model_json
from communique.writers import pdf as pdf_writer

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "public"
RUNS = 5


def documents() -> list[Path]:
    """The sample, then the corpus texts when the corpus is checked out."""
    corpus = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []
    return [SAMPLE, *corpus]


def median_seconds(step: Callable[[], object], runs: int = RUNS) -> float:
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def layout_for(path: Path) -> Layout:
    """The layout the CLI would draw for `path`, source attachment included."""
    document = readers.read(path)
    layout = render_layout(document, find_template("statement"))
    return layout.with_attachment(ATTACHMENT_NAME, model_json(document))


def main() -> None:
    pdf_writer.render(layout_for(SAMPLE))  # warm up: font registration, imports
    header = f"{'document':<48} {'pages':>5} {'render ms':>10} {'finalize ms':>12} {'ratio':>7} {'KiB':>7}"
    print(header)
    print("-" * len(header))
    total_render = total_finalize = 0.0
    for path in documents():
        layout = layout_for(path)
        raw = pdf_writer.render(layout)
        final = archival.finalize(raw, layout)
        render_s = median_seconds(partial(pdf_writer.render, layout))
        finalize_s = median_seconds(partial(archival.finalize, raw, layout))
        total_render += render_s
        total_finalize += finalize_s
        with pikepdf.open(io.BytesIO(final)) as pdf:
            pages = len(pdf.pages)
        print(
            f"{path.name[:48]:<48} {pages:>5} {render_s * 1000:>10.1f} {finalize_s * 1000:>12.1f} "
            f"{finalize_s / render_s:>6.0%} {len(final) / 1024:>7.1f}"
        )
    print("-" * len(header))
    print(
        f"{'all':<48} {'':>5} {total_render * 1000:>10.1f} {total_finalize * 1000:>12.1f} "
        f"{total_finalize / total_render:>6.0%}"
    )


if __name__ == "__main__":
    main()
