"""Speed and memory of Communique against hand-written reportlab and python-docx.

Each job publishes the same statement; the hand-written versions do what a
developer would write by hand for the same output (bundled fonts, styles,
numbered paragraphs, footer page numbers), without templates, validation or
archival post-processing. Ratios are measured in the same run, so they hold
across machines better than seconds do.

    python benchmarks/bench.py [--repeat N] [FILE ...]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

import byhand
from communique.cli import SAMPLE
from communique.model import Document, ListBlock, TextBlock
from communique.publish import Options, render_outputs
from communique.readers import plaintext
from communique.render import find_template

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / "shared" / "corpus" / "public"


def paragraphs(document: Document) -> list[tuple[str, str]]:
    """(role, text) pairs: the plain content the hand-written jobs lay out."""
    out: list[tuple[str, str]] = []

    def visit(blocks: tuple[object, ...]) -> None:
        for block in blocks:
            if isinstance(block, ListBlock):
                for item in block.items:
                    for index, child in enumerate(item.blocks):
                        if isinstance(child, TextBlock):
                            out.append(("item" if index == 0 else "body", f"{item.label}\t{child.text()}"))
                        elif isinstance(child, ListBlock):
                            visit((child,))
            elif isinstance(block, TextBlock):
                out.append(("body", block.text()))

    if document.meta.title:
        out.append(("title", document.meta.title))
    visit(document.blocks)
    return out


def hand_pdf(document: Document) -> bytes:
    """What a developer writes by hand with reportlab for the same page."""
    return byhand.pdf(paragraphs(document))


def hand_docx(document: Document) -> bytes:
    """What a developer writes by hand with python-docx for the same file."""
    return byhand.docx(paragraphs(document))


def publish(data: bytes, name: str, options: Options) -> dict[str, bytes]:
    """Communique's whole job: read the text, render, write."""
    return render_outputs(plaintext.read(data, name), options)


def measure(job: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median seconds and peak traced memory (MiB) of a job."""
    job()  # warm caches (fonts, templates), as a long-running service would
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    job()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = args.files or [SAMPLE, *sorted(CORPUS.glob("*.txt"))]
    template = find_template("statement")
    header = (
        f"{'document':<46} {'job':<6} {'communique ms':>13} {'by hand ms':>10} {'time ×':>7} "
        f"{'communique MiB':>14} {'by hand MiB':>11} {'mem ×':>6}"
    )
    print(header)
    print("-" * len(header))
    for path in files:
        data = path.read_bytes()
        document = plaintext.read(data, str(path))
        jobs = {
            "pdf": (partial(publish, data, str(path), Options(template, ("pdf",))), partial(hand_pdf, document)),
            "docx": (partial(publish, data, str(path), Options(template, ("docx",))), partial(hand_docx, document)),
        }
        for name, (ours, theirs) in jobs.items():
            our_time, our_mem = measure(ours, args.repeat)
            hand_time, hand_mem = measure(theirs, args.repeat)
            print(
                f"{path.name[:46]:<46} {name:<6} {our_time * 1000:>13.1f} {hand_time * 1000:>10.1f} "
                f"{our_time / hand_time:>7.2f} {our_mem:>14.1f} {hand_mem:>11.1f} {our_mem / hand_mem:>6.2f}"
            )


if __name__ == "__main__":
    main()
