"""Communique against the same job done other ways, and a batch of 1,000, as ratios from one run.

The other ways, each given the same paragraphs:

- floor: what a developer writes by hand: reportlab PDF made PDF/A-3u with
  pikepdf (XMP, sRGB output intent) and python-docx DOCX (`bench.py`'s jobs);
- WeasyPrint: the paragraphs as HTML with the same fonts → PDF/A-3u;
- LibreOffice: our DOCX → PDF (`soffice --headless --convert-to pdf`).

Per document, warm (in one process; for LibreOffice, one more document in
a single `soffice` call) and cold (a fresh process each: imports, fonts,
everything; Communique with the cache an earlier process left, and as the
first run on a machine, with an empty cache), for a 2-page and a 120-page
document, each the fastest of
several runs taking turns: on a shared machine the run least disturbed by
the other programs is the best estimate of the work itself. Then a batch
of `--batch` real texts (../shared/corpus, repeated) with `communique build
--jobs 2`, in each PDF profile: time per document against the warm floor,
CPU use (and CPU per document against the floor's: the goal as it would
be on two cores free of other programs), the peak RSS (and PSS: pages
shared by forked workers counted once)
of all its processes together, and whether the files are byte-identical to
one-by-one builds (the floor per document there is the median of its runs
before and after the batch, which runs under the load of its moment too).
Other programs running on the machine make seconds noisy; the ratios come
from one run.

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
FIRST_RUN = frozenset({"first run"})  # Communique 3a with an empty cache


def communique(document: Document, options: Options) -> dict[str, bytes]:
    return render_outputs(document, options)


# ---------------------------------------------------------------- measuring


def warm(
    jobs: dict[str, Callable[[], object]],
    repeat: int,
    pick: Callable[[list[float]], float] = min,
    cpu: dict[str, float] | None = None,
) -> dict[str, float]:
    """The fastest (or `pick`'s) seconds of each job after one warm-up run;
    the jobs take turns, so a change in the machine's load falls on all of
    them alike. `cpu`, if given, receives `pick`'s CPU seconds of each."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    cpu_times: dict[str, list[float]] = {name: [] for name in jobs}
    for job in jobs.values():
        job()
    for _ in range(repeat):
        for name, job in jobs.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            job()
            times[name].append(time.perf_counter() - start)
            cpu_times[name].append(time.process_time() - start_cpu)
    if cpu is not None:
        cpu.update({name: pick(seconds) for name, seconds in cpu_times.items()})
    return {name: pick(seconds) for name, seconds in times.items()}


def cold(commands: dict[str, list[str]], repeat: int, first_runs: frozenset[str] = frozenset()) -> dict[str, float]:
    """The fastest seconds of each command as a whole process, taking turns;
    a command named in `first_runs` runs each time with an empty cache, as
    the first Communique process on a machine does."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            with tempfile.TemporaryDirectory() as empty:
                env = {**os.environ, "COMMUNIQUE_CACHE_DIR": empty} if name in first_runs else None
                start = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True, env=env)
                times[name].append(time.perf_counter() - start)
    return {name: min(seconds) for name, seconds in times.items()}


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
    options, untagged = Options(), Options(pdf_profile="3u")
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
        "communique 3u": lambda: communique(document, untagged),
        "floor": lambda: byhand.floor(given),
        "weasyprint": lambda: byhand.weasyprint(given),
    }
    results.update({f"{way} warm": seconds for way, seconds in warm(jobs, repeat).items()})
    build = [*COMMUNIQUE, "build", str(source), "--out", str(work / "cold")]
    commands = {"communique": build, "communique 3u": [*build, "--pdf-profile", "3u"], "first run": build}
    for way in ("floor", "weasyprint"):
        commands[way] = [sys.executable, str(HERE / "byhand.py"), way, str(model), str(work / way)]
    results.update({f"{way} cold": seconds for way, seconds in cold(commands, repeat, FIRST_RUN).items()})
    if shutil.which("soffice"):
        calls = range(max(2, repeat // 2))
        one = min(soffice(work / f"{name}.docx", 1, work, profile) for _ in calls)
        eight = min(soffice(work / f"{name}.docx", 8, work, profile) for _ in calls)
        results["libreoffice cold"] = one
        if eight > one:  # else the difference is lost in the machine's noise
            results["libreoffice warm"] = (eight - one) / 7
    return results


def corpus_texts() -> list[Path]:
    return sorted([*(CORPUS / "public").glob("*.txt"), *(CORPUS / "dev").glob("*.txt")])


def warm_floor_of_corpus(repeat: int) -> dict[str, float]:
    """Mean warm seconds per corpus document, and CPU seconds ("… cpu"): the
    floor, and Communique in each PDF profile."""
    profiles = {"3a": Options(), "3u": Options(pdf_profile="3u")}
    documents = [readers.read(path) for path in corpus_texts()]
    totals = dict.fromkeys([f"{name}{clock}" for name in ("floor", *profiles) for clock in ("", " cpu")], 0.0)
    for document in documents:
        given = paragraphs(document)
        jobs: dict[str, Callable[[], object]] = {"floor": lambda: byhand.floor(given)}  # noqa: B023
        for name, options in profiles.items():
            jobs[name] = lambda options=options: communique(document, options)  # type: ignore[misc]  # noqa: B023
        # The median, as the batch's wall time is under the machine's load of the moment too.
        cpu: dict[str, float] = {}
        for name, seconds in warm(jobs, repeat, statistics.median, cpu).items():
            totals[name] += seconds
            totals[f"{name} cpu"] += cpu[name]
    return {name: total / len(documents) for name, total in totals.items()}


def batch(count: int, work: Path, profile: str) -> dict[str, float]:
    """`communique build --jobs 2` over `count` corpus texts: seconds, CPU
    seconds and peak RSS and PSS (MiB) of all its processes, identical files."""
    archive = work / "archive"
    if not archive.is_dir():
        archive.mkdir()
        texts = corpus_texts()
        for index in range(count):
            shutil.copy(texts[index % len(texts)], archive / f"{index:04d}-{texts[index % len(texts)].name}")
    site = work / f"site-{profile}"
    command = [*COMMUNIQUE, "build", str(archive), "--out", str(site), "--jobs", "2", "-q", "--pdf-profile", profile]
    start = time.perf_counter()
    process = psutil.Popen(command)
    peak = peak_pss = 0
    cpu: dict[int, float] = {}
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            rss = pss = 0
            for member in tree:
                with member.oneshot():
                    memory = member.memory_full_info()
                    rss += memory.rss
                    pss += memory.pss
                    times = member.cpu_times()
                    cpu[member.pid] = times.user + times.system
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"the batch failed with exit code {process.returncode}")
    alone = work / f"alone-{profile}"
    options = Options(pdf_profile=profile)
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
        "peak_pss_mib": peak_pss / 2**20,
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
    print(f"load average {os.getloadavg()[0]:.1f} at the start (other programs share the machine)")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # Communique's cache (parsed fonts, compiled templates, …) of this run
        # only: made by the first build, used by the later ones.
        os.environ["COMMUNIQUE_CACHE_DIR"] = str(work / "cache")
        profile = work / "lo-profile"
        documents = {"2-page statement": SAMPLE.read_bytes(), "120-page resolution": long_text()}
        cold_ratios = []
        for name, data in documents.items():
            (work / name.split()[0]).mkdir()
            r = per_document(name.split()[0], data, work / name.split()[0], args.repeat, profile)
            print(f"\n{name} ({r['pages']:.0f} pages): seconds, and Communique (3a, 3u) ÷ the other way")
            print(f"{'way':<14} {'warm s':>8} {'3a ÷':>6} {'3u ÷':>6} {'cold s':>8} {'3a ÷':>6} {'3u ÷':>6}")
            for way in ("communique", "communique 3u", "first run", "floor", "weasyprint", "libreoffice"):
                if f"{way} cold" not in r:
                    continue
                c = r[f"{way} cold"]
                cold_ratios_ = "".join(f" {r[f'{ours} cold'] / c:>6.2f}" for ours in ("communique", "communique 3u"))
                if f"{way} warm" in r:
                    w = r[f"{way} warm"]
                    warm_ratios = "".join(f" {r[f'{ours} warm'] / w:>6.2f}" for ours in ("communique", "communique 3u"))
                    print(f"{way:<14} {w:>8.3f}{warm_ratios} {c:>8.3f}{cold_ratios_}")
                else:  # a first run is cold by definition; LibreOffice's warm time can be lost in noise
                    shown = "–" if way in FIRST_RUN else "noise"
                    print(f"{way:<14} {shown:>8} {'':>6} {'':>6} {c:>8.3f}{cold_ratios_}")
            cold_ratios.append(
                (
                    name,
                    r["communique cold"] / r["floor cold"],
                    r["communique 3u cold"] / r["floor cold"],
                    r["first run cold"] / r["floor cold"],
                )
            )
        print("\ngoal: a whole process ≤ 1.25 × the floor's process")
        for name, tagged, untagged, first in cold_ratios:
            print(
                f"  {name}: 3a {tagged:.2f} ({_met(tagged <= 1.25)}), 3u {untagged:.2f} ({_met(untagged <= 1.25)}); "
                f"a first run, with an empty cache, {first:.2f}"
            )
        if args.batch:
            before = warm_floor_of_corpus(max(1, args.repeat // 2))
            batches = {name: batch(args.batch, work, name) for name in ("3a", "3u")}
            after = warm_floor_of_corpus(max(1, args.repeat // 2))  # the load may change during the batch
            mean = {name: (before[name] + after[name]) / 2 for name in before}
            floor_s = mean["floor"]
            limit = 1.5 * args.batch * floor_s / 2
            print(f"\nbatch of {args.batch:,} corpus texts, --jobs 2")
            print(f"  warm per document, mean of {len(corpus_texts())} texts: floor {floor_s * 1000:.1f} ms,")
            for name in batches:
                ratio, cpu_ratio = mean[name] / floor_s, mean[f"{name} cpu"] / mean["floor cpu"]
                print(f"    Communique {name} {mean[name] * 1000:.1f} ms ({ratio:.2f} × floor; CPU {cpu_ratio:.2f} ×)")
            print(f"  goal ≤ 1.5 × {args.batch:,} × floor ÷ 2 = {limit:.1f} s; peak memory ≤ 400 MB = 381 MiB")
            for name, b in batches.items():
                share = b["seconds"] / limit
                print(f"  {name}: wall {b['seconds']:.1f} s = {b['seconds'] / args.batch * 1000:.1f} ms per document,")
                print(f"    {share:.2f} of the goal ({_met(share <= 1)});")
                print(f"    CPU {b['cpu']:.1f} s ({b['cpu'] / b['seconds'] * 100:.0f}% of one core on average);")
                cpu_each = b["cpu"] / args.batch
                free = cpu_each / mean["floor cpu"] / 1.5
                print(
                    f"    CPU per document {cpu_each * 1000:.1f} ms = {cpu_each / mean['floor cpu']:.2f} × the "
                    f"floor's ({mean['floor cpu'] * 1000:.1f} ms): on two free cores {free:.2f} of the goal "
                    f"({_met(free <= 1)})"
                )
                print(
                    f"    peak RSS of all processes {b['peak_mib']:.0f} MiB ({_met(b['peak_mib'] <= 381)}), "
                    f"PSS {b['peak_pss_mib']:.0f} MiB (shared pages counted once);"
                )
                print(f"    byte-identical to one-by-one builds: {b['identical']:.0f} of {b['checked']:.0f} checked")
        print(json.dumps({"note": "timings share the machine with other programs; ratios from this one run"}))


def _met(met: bool) -> str:
    return "met" if met else "NOT met"


if __name__ == "__main__":
    main()
