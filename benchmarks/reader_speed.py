"""How fast the plain-text reader reads, and proof that a faster one reads the same.

Times `communique.readers.read` on the long text of `compare.py` (a real
resolution repeated to about 80 pages) and on the 2-page sample: warm (after
one read, so the per-line caches hold that text's lines) and with the
per-line caches emptied before each read (as for a new text), each the
fastest of `--repeat` runs: on a shared machine the least disturbed run is
the best estimate of the work.

`--dump FOLDER` writes instead the model JSON of every text of the corpora
(tests/corpus, ../shared/corpus, the examples and the samples), one file
each: dump before and after a change and compare the folders byte for byte
(`diff -r`); the grammar's confidences are in them.

    .venv/bin/python benchmarks/reader_speed.py [--repeat 5] [--dump FOLDER]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from communique import readers
from communique.readers import dates, metadata_lines, plaintext
from communique.writers import model_json
from compare import long_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src" / "communique" / "samples" / "statement-tr-ots-kazakhstan.txt"
CORPORA = (  # (name in the dump, folder, files)
    ("test", ROOT / "tests" / "corpus" / "test", "*.txt"),
    ("dev", ROOT / "tests" / "corpus" / "dev", "*.txt"),
    ("shared-public", ROOT.parent / "shared" / "corpus" / "public", "*.txt"),
    ("shared-dev", ROOT.parent / "shared" / "corpus" / "dev", "*.txt"),
    ("examples", ROOT / "examples", "*.md"),
    ("samples", ROOT / "src" / "communique" / "samples", "*.txt"),
)


def empty_caches() -> None:
    """Forget what the reader kept about lines it has seen (not its tables)."""
    for module in (dates, metadata_lines, plaintext):
        for name, value in vars(module).items():
            if name not in ("_month_table", "_weekdays") and callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def fastest(path: Path, repeat: int, before: Callable[[], None]) -> float:
    """The fastest of `repeat` reads of `path`, in seconds, after one read."""
    readers.read(path)
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        readers.read(path)
        times.append(time.perf_counter() - start)
    return min(times)


def dump(folder: Path) -> int:
    """The model JSON of every corpus text into `folder`; how many."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for corpus, where, pattern in CORPORA:
        for path in sorted(where.glob(pattern)):
            (folder / f"{corpus}--{path.name}.json").write_bytes(model_json(readers.read(path)))
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dump", type=Path, help="write every corpus text's model JSON here instead")
    args = parser.parse_args()
    if args.dump:
        print(f"{dump(args.dump)} models written to {args.dump}")
        return
    with tempfile.TemporaryDirectory() as work:
        long = Path(work) / "long.txt"
        long.write_bytes(long_text())
        for path in (long, SAMPLE):
            warm = fastest(path, args.repeat, lambda: None)
            fresh = fastest(path, args.repeat, empty_caches)
            print(f"{path.name}: {warm * 1000:.1f} ms warm, {fresh * 1000:.1f} ms with the line caches emptied")


if __name__ == "__main__":
    sys.exit(main())
