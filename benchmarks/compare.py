"""Communique against the same job done other ways, and a batch of 1,000, as ratios from one run.

The other ways, each given the same paragraphs:

- floor: what a developer writes by hand: reportlab PDF made PDF/A-3u with
  pikepdf (XMP, sRGB output intent) and python-docx DOCX (`bench.py`'s jobs);
- WeasyPrint: the paragraphs as HTML with the same fonts → PDF/A-3u;
- LibreOffice: our DOCX → PDF (`soffice --headless --convert-to pdf`).

Per document, warm (in one process, the median of several runs; for
LibreOffice, one more document in a single `soffice` call) and cold (a fresh
process each: imports, fonts, everything), for a 2-page and a 120-page
document. Then a batch of `--batch` real texts (../shared/corpus, repeated)
with `communique build --jobs 2`: time per document against the warm floor,
CPU use and the peak RSS of all its processes together, and whether the files
are byte-identical to one-by-one builds. Other programs running on the
machine make seconds noisy; the ratios come from one run.

    .venv/bin/pip install -e '.[bench]'      # WeasyPrint and psutil
    .venv/bin/python benchmarks/compare.py [--batch 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pikepdf
import psutil

import byhand
from bench import paragraphs
from communique import readers
from communique.cli import SAMPLE
from communique.model import Document
from communique.publish import Options, build_file, render_outputs

HERE = Path(__file__).resolve().parent

CORPUS = HERE.parents[1] / "shared" / "corpus"
LONG_SOURCE = "41-en-unga-a-res-80-45-nuclear-disarmament.txt"
COMMUNIQUE = [sys.executable, "-m", "communique"]


def communique(document: Document, options: Options) -> dict[str, bytes]:
    return render_outputs(document, options)


# ---------------------------------------------------------------- measuring


def warm(jobs: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median seconds of each job after one warm-up run; the jobs take turns,
    so a change in the machine's load falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for job in jobs.values():
        job()
    for _ in range(repeat):
        for name, job in jobs.items():
            start = time.perf_counter()
            job()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(seconds) for name, seconds in times.items()}


def cold(commands: dict[str, list[str]], repeat: int) -> dict[str, float]:
    """Median seconds of each command as a whole process, taking turns."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(seconds) for name, seconds in times.items()}


def soffice(docx: Path, copies: int, out: Path, profile: Path) -> float:
    """Seconds for one `soffice` call converting `copies` copies of a DOCX."""
    folder = out / f"in-{copies}"
    folder.mkdir(exist_ok=True)
    files = []
    for index in range(copies):
        files.append(folder / f"{index}-{docx.name}")
        shutil.copy(docx, files[-1])
    start = time.perf_counter()
    options = [f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf"]
    subprocess.run(
        ["soffice", *options, "--outdir", str(out / f"pdf-{copies}"), *map(str, files)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def long_text() -> bytes:
    """A real resolution's text with its paragraphs repeated to about 120 pages."""
    lines = (CORPUS / "dev" / LONG_SOURCE).read_text(encoding="utf-8").strip().split("\n")
    title, body = lines[0], "\n".join(lines[1:])
    return (title + "\n\n" + "\n\n".join([body] * 53) + "\n").encode("utf-8")


def per_document(name: str, data: bytes, work: Path, repeat: int, profile: Path) -> dict[str, float]:
    """Warm and cold seconds of each way for one document."""
    source = work / f"{name}.txt"
    source.write_bytes(data)
    options = Options()
    document = readers.read(source)
    given = paragraphs(document)
    model = work / f"{name}-paragraphs.json"
    model.write_text(json.dumps(given, ensure_ascii=False), encoding="utf-8")
    build_file(source, work, options)
    with pikepdf.open(work / f"{name}.pdf") as pdf:
        pages = len(pdf.pages)
    results = {"pages": float(pages)}
    jobs: dict[str, Callable[[], object]] = {
        "communique": lambda: communique(document, options),
        "floor": lambda: byhand.floor(given),
        "weasyprint": lambda: byhand.weasyprint(given),
    }
    results.update({f"{way} warm": seconds for way, seconds in warm(jobs, repeat).items()})
    commands = {"communique": [*COMMUNIQUE, "build", str(source), "--out", str(work / "cold")]}
    for way in ("floor", "weasyprint"):
        commands[way] = [sys.executable, str(HERE / "byhand.py"), way, str(model), str(work / way)]
    results.update({f"{way} cold": seconds for way, seconds in cold(commands, max(1, repeat // 2)).items()})
    if shutil.which("soffice"):
        one = soffice(work / f"{name}.docx", 1, work, profile)
        results["libreoffice cold"] = one
        results["libreoffice warm"] = (soffice(work / f"{name}.docx", 8, work, profile) - one) / 7
    return results


def corpus_texts() -> list[Path]:
    return sorted([*(CORPUS / "public").glob("*.txt"), *(CORPUS / "dev").glob("*.txt")])


def warm_floor_of_corpus(repeat: int) -> tuple[float, float]:
    """Mean warm seconds per corpus document: the floor, and Communique."""
    options = Options()
    documents = [readers.read(path) for path in corpus_texts()]
    floors, ours = [], []
    for document in documents:
        given = paragraphs(document)
        jobs: dict[str, Callable[[], object]] = {
            "floor": lambda: byhand.floor(given),  # noqa: B023 (run before the next document)
            "communique": lambda: communique(document, options),  # noqa: B023
        }
        seconds = warm(jobs, repeat)
        floors.append(seconds["floor"])
        ours.append(seconds["communique"])
    return statistics.mean(floors), statistics.mean(ours)


def batch(count: int, work: Path) -> dict[str, float]:
    """`communique build --jobs 2` over `count` corpus texts: seconds, CPU
    seconds and peak RSS (MiB) of all its processes, identical files."""
    archive = work / "archive"
    archive.mkdir()
    texts = corpus_texts()
    for index in range(count):
        shutil.copy(texts[index % len(texts)], archive / f"{index:04d}-{texts[index % len(texts)].name}")
    site = work / "site"
    start = time.perf_counter()
    process = psutil.Popen([*COMMUNIQUE, "build", str(archive), "--out", str(site), "--jobs", "2", "-q"])
    peak = 0
    cpu: dict[int, float] = {}
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            rss = 0
            for member in tree:
                with member.oneshot():
                    rss += member.memory_info().rss
                    times = member.cpu_times()
                    cpu[member.pid] = times.user + times.system
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"the batch failed with exit code {process.returncode}")
    alone = work / "alone"
    options = Options()
    checked = identical = 0
    for source in sorted(archive.iterdir())[::10]:
        build_file(source, alone, options)
        checked += 1
        identical += all(
            (site / f"{source.stem}.{fmt}").read_bytes() == (alone / f"{source.stem}.{fmt}").read_bytes()
            for fmt in ("pdf", "docx")
        )
    return {
        "seconds": seconds,
        "cpu": sum(cpu.values()),
        "peak_mib": peak / 2**20,
        "checked": checked,
        "identical": identical,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1000, help="documents in the batch (0: none)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"this benchmark reads the real texts in {CORPUS}")
    machine = f"{os.cpu_count()} cores ({platform.processor() or platform.machine()})"
    print(f"{time.strftime('%Y-%m-%d', time.gmtime())}, {machine}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        profile = work / "lo-profile"
        documents = {"2-page statement": SAMPLE.read_bytes(), "120-page resolution": long_text()}
        for name, data in documents.items():
            (work / name.split()[0]).mkdir()
            r = per_document(name.split()[0], data, work / name.split()[0], args.repeat, profile)
            print(f"\n{name} ({r['pages']:.0f} pages): seconds, and Communique ÷ the other way")
            print(f"{'way':<12} {'warm s':>8} {'ratio':>6} {'cold s':>8} {'ratio':>6}")
            for way in ("communique", "floor", "weasyprint", "libreoffice"):
                if f"{way} warm" not in r:
                    continue
                w, c = r[f"{way} warm"], r[f"{way} cold"]
                print(
                    f"{way:<12} {w:>8.3f} {r['communique warm'] / w:>6.2f} {c:>8.3f} {r['communique cold'] / c:>6.2f}"
                )
        if args.batch:
            before = warm_floor_of_corpus(max(1, args.repeat // 2))
            b = batch(args.batch, work)
            after = warm_floor_of_corpus(max(1, args.repeat // 2))  # the load may change during the batch
            floor_s, ours_s = (before[0] + after[0]) / 2, (before[1] + after[1]) / 2
            limit = 1.5 * args.batch * floor_s / 2
            print(f"\nbatch of {args.batch:,} corpus texts, --jobs 2")
            print(f"  warm per document, mean of {len(corpus_texts())} texts: floor {floor_s * 1000:.1f} ms, ")
            print(f"    Communique {ours_s * 1000:.1f} ms ({ours_s / floor_s:.2f} × floor)")
            print(f"  wall {b['seconds']:.1f} s = {b['seconds'] / args.batch * 1000:.1f} ms per document")
            print(f"  goal ≤ 1.5 × {args.batch:,} × floor ÷ 2 = {limit:.1f} s: {b['seconds'] / limit:.2f} of it")
            print(f"  CPU {b['cpu']:.1f} s ({b['cpu'] / b['seconds'] * 100:.0f}% of one core on average)")
            print(f"  peak RSS of all processes {b['peak_mib']:.0f} MiB (goal ≤ 400 MB = 381 MiB)")
            print(f"  byte-identical to one-by-one builds: {b['identical']:.0f} of {b['checked']:.0f} checked")
        print(json.dumps({"note": "timings share the machine with other programs; ratios from this one run"}))


if __name__ == "__main__":
    main()
