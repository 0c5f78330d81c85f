"""Publish many documents at once: in warm worker processes, or on a Dask cluster.

The unit of work is `run(task)`: one document, from a path (its outputs
written beside each other by `publish.build`, all or nothing) or from
bytes (its outputs returned in memory), never raising for a bad document: a
`Result` says published or failed, with pages, time, warnings and the error.
Any process can run it; `make_pool` gives a pool of worker processes forked
from a fork server that loaded fonts, templates and the Word base package
once (`warm_up`), replaced after `RECYCLE_AFTER` documents each so memory
stays flat. The web server keeps one such pool (`web/pool.py`); submitting
`run` to one looks like:

    pool = make_pool(2)
    result = pool.submit(run, Task(Path("a.txt"), data=raw, options=options)).result()
    result.outputs["pdf"]  # bytes

`publish_batch` runs a whole batch (folders walked by `collect`, sources
skipped when `--changed` finds their outputs up to date) on such a pool,
in this process (one worker or one document), or on a Dask cluster through
`distributed.Client`, and reports each result as it comes.
"""

from __future__ import annotations

import csv
import gc
import importlib
import io
import json
import logging
import os
import signal
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from communique import readers, remote
from communique.errors import CommuniqueError
from communique.publish import Options, apply_overrides, build, render, write_together
from communique.render import templates_root

if TYPE_CHECKING:  # a one-file build starts no pool: multiprocessing is loaded by `make_pool`
    from concurrent.futures import ProcessPoolExecutor

# Suffixes a folder walk picks up; an archived PDF is republished only when named.
SOURCE_SUFFIXES = frozenset(suffix for suffix in readers.READERS if suffix != ".pdf")
RECYCLE_AFTER = 200  # documents per worker process before a fresh one takes over
log = logging.getLogger("communique")

Status = Literal["published", "failed", "unchanged"]


@dataclass(frozen=True)
class Task:
    """One document to publish: its source (a path, a URL, or a name when
    `data` carries the bytes), the folder its files go to, and the options."""

    source: Path | str  # a str is a URL (`remote`)
    out_dir: Path | str | None = None  # None with `data`: outputs come back in memory
    options: Options | None = None
    data: bytes | None = None


@dataclass(frozen=True)
class Result:
    """What became of one document."""

    source: str
    status: Status
    files: tuple[str, ...] = ()
    pages: int | None = None
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()
    error: str | None = None
    internal: bool = False  # the error is a bug in Communique, not the input
    detail: str | None = field(default=None, repr=False)  # the traceback of an internal error
    outputs: dict[str, bytes] | None = field(default=None, repr=False)  # for a task given as bytes

    def report_row(self) -> dict[str, object]:
        """The fields of a report line."""
        row = asdict(self)
        for name in ("detail", "outputs", "internal"):
            row.pop(name)
        row["seconds"] = round(self.seconds, 4)
        return row


# ---------------------------------------------------------------- one document


def run(task: Task) -> Result:
    """Publish one document; a bad input or a bug becomes a failed `Result`."""
    options = task.options
    if options is None:
        raise ValueError("a task needs options")
    captured = _Warnings()
    log.addHandler(captured)
    start = time.perf_counter()
    try:
        outputs = None
        if isinstance(task.source, str):
            assert isinstance(task.out_dir, str), "a task from a URL needs an output URL"
            urls, pages = remote.build_url(task.source, task.out_dir, options)
            files = list(map(str, urls))
        elif task.data is None:
            assert isinstance(task.out_dir, Path), "a task from a path needs an output folder"
            built = build(task.source, task.out_dir, options)
            files, pages = list(map(str, built.files)), built.pages
        else:
            files = []
            document = readers.reader_for(task.source)(task.data, str(task.source))
            rendered = render(apply_overrides(document, options.overrides), options)
            pages, outputs = rendered.pages, rendered.outputs
        return _result(task, start, captured, "published", files=tuple(files), pages=pages, outputs=outputs)
    except CommuniqueError as err:
        return _result(task, start, captured, "failed", error=str(err.located(str(task.source))))
    except Exception as err:
        error = f"{task.source}: internal error: {type(err).__name__}: {err}"
        return _result(task, start, captured, "failed", error=error, internal=True, detail=traceback.format_exc())
    finally:
        log.removeHandler(captured)


def _result(task: Task, start: float, captured: _Warnings, status: Status, **fields: Any) -> Result:
    """One document's result, with the time since `start` and what it warned."""
    return Result(
        str(task.source), status, seconds=time.perf_counter() - start, warnings=tuple(captured.messages), **fields
    )


class _Warnings(logging.Handler):
    """Collects what Communique warns about while one document is published."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_warm = False


def warm_up() -> None:
    """Load once what every document needs: the writers' libraries, the
    fonts, the sample's template compiled (others on first use), the Word
    base package (by publishing the bundled sample in memory). Runs once per
    process, and a process forked from a warm one is warm: the pools' fork
    server runs it (`communique.preload`), so each worker starts warm."""
    global _warm
    if _warm:
        return
    _warm = True
    from communique.cli import SAMPLE

    sample = readers.read(SAMPLE)
    render(sample, Options(formats=("pdf", "docx")))  # its kind's template


def _worker_start(niceness: int, warm: Callable[[], object] | None) -> None:
    """A pool worker: Ctrl-C is the caller's to handle (the worker finishes
    its document and is shut down); `niceness` lowers its CPU priority; then
    whatever else the caller wants warm."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if niceness:
        os.nice(niceness)
    warm_up()  # a no-op when forked warm
    if warm is not None:
        warm()


def make_pool(workers: int, *, niceness: int = 0, warm: Callable[[], object] | None = None) -> ProcessPoolExecutor:
    """Worker processes that publish documents with `run` (or run any
    module-level function), forked warm from a fork server that loaded and
    warmed Communique once, so a pool starts in a fraction of a second and a
    fresh one costs no new warm-up. Workers ignore Ctrl-C so that the caller
    decides what stops; `niceness` lowers their CPU priority below the
    caller's (a server's event loop must answer at once); `warm` is run once
    in each. To keep memory flat, replace the pool after about
    `RECYCLE_AFTER` documents per worker, as `publish_batch` does (Python
    3.11's own `max_tasks_per_child` can deadlock: CPython issue 115634)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["communique.preload"])
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start, initargs=(niceness, warm))


def default_jobs() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# ---------------------------------------------------------------- a batch


Location = Path | str  # a local path, or a URL (`remote`)


def collect(inputs: Iterable[Location], out: Location) -> Sequence[tuple[Location, Location]]:
    """(source, output folder) for each input file, and for each source in
    each input folder (by suffix, hidden names and the output folder
    skipped), its output folder mirroring the input tree under `out`. When
    any of them is a URL, all are: local paths become file:// URLs."""
    inputs = list(inputs)
    if remote.is_url(out) or any(map(remote.is_url, inputs)):
        return [found for given in inputs for found in remote.collect(_url(given), _url(out), SOURCE_SUFFIXES)]
    return _collect_paths([Path(given) for given in inputs], Path(out))


def _url(location: Location) -> str:
    return location if isinstance(location, str) else location.resolve().as_uri()


def _collect_paths(inputs: Iterable[Path], out: Path) -> list[tuple[Path, Path]]:
    skip = out.resolve()
    found: list[tuple[Path, Path]] = []
    for given in inputs:
        if not given.is_dir():
            found.append((given, out))
            continue
        for folder, dirs, files in os.walk(given):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() != skip)
            for name in sorted(files):
                path = here / name
                if not name.startswith(".") and path.suffix.lower() in SOURCE_SUFFIXES:
                    found.append((path, out / here.relative_to(given)))
    return found


@dataclass
class Summary:
    """Counts and time of a batch, and its one-line account."""

    published: int = 0
    failed: int = 0
    unchanged: int = 0
    warnings: int = 0
    internal: int = 0
    seconds: float = 0.0
    interrupted: bool = False

    def add(self, result: Result) -> None:
        if result.status == "published":
            self.published += 1
        elif result.status == "failed":
            self.failed += 1
            self.internal += result.internal
        else:
            self.unchanged += 1
        self.warnings += len(result.warnings)

    def line(self) -> str:
        parts = [f"{self.published:,} published", f"{self.failed:,} failed"]
        if self.unchanged:
            parts.append(f"{self.unchanged:,} unchanged")
        parts.append(f"{self.warnings:,} warning{'' if self.warnings == 1 else 's'}")
        parts.append(duration(self.seconds))
        return ("interrupted: " if self.interrupted else "") + ", ".join(parts)


def duration(seconds: float) -> str:
    """4.2 s, 2 m 14 s, 1 h 3 m."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} m {secs} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} m"


Executor = Callable[[Sequence[Task], Callable[[], bool]], Iterator[Result]]


def publish_batch(
    sources: Sequence[tuple[Location, Location, Options]],
    *,
    jobs: int = 1,
    changed: bool = False,
    scheduler: str | None = None,
    on_result: Callable[[Result], None] = lambda result: None,
    on_total: Callable[[int], None] = lambda total: None,
) -> tuple[list[Result], Summary]:
    """Publish (source, output folder, options) triples; every result, in
    the order they finish, goes to `on_result`. Ctrl-C stops the batch after
    the documents under way: no file is left half-written, and a rerun with
    `changed` publishes the rest."""
    start = time.perf_counter()
    summary = Summary()
    results: list[Result] = []

    def finish(result: Result) -> None:
        results.append(result)
        summary.add(result)
        on_result(result)

    on_total(len(sources))
    tasks: list[Task] = []
    clashes = _clashes(sources)
    for source, out_dir, options in sources:
        if source in clashes:
            finish(Result(str(source), "failed", error=f"{source}: {clashes[source]}"))
        elif changed and _up_to_date(source, out_dir, options):
            finish(Result(str(source), "unchanged", files=tuple(map(str, _targets(source, out_dir, options)))))
        else:
            tasks.append(Task(source, out_dir, options))
    if scheduler is not None:
        executor: Executor = partial_dask(scheduler)
    elif jobs > 1 and len(tasks) > 1:
        executor = partial_pool(min(jobs, len(tasks)))
    else:
        executor = _in_process
    if len(tasks) > 1:
        collect_cycles()  # a batch of several must free its documents' cycles
    stop = _StopFlag()
    with stop:
        try:
            for result in executor(tasks, stop.requested):
                finish(result)
        except KeyboardInterrupt:
            stop.set()
    summary.interrupted = stop.requested()
    summary.seconds = time.perf_counter() - start
    return results, summary


class _StopFlag:
    """Ctrl-C while a batch runs: asks it to stop after the documents under way."""

    def __init__(self) -> None:
        self._stop = False
        self._previous: Any = None

    def set(self) -> None:
        self._stop = True

    def requested(self) -> bool:
        return self._stop

    def __enter__(self) -> _StopFlag:
        if _is_main_thread():
            self._previous = signal.signal(signal.SIGINT, lambda *_: self.set())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


def _is_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _in_process(tasks: Sequence[Task], stopped: Callable[[], bool]) -> Iterator[Result]:
    for task in tasks:
        if stopped():
            return
        yield run(task)


def collect_cycles() -> None:
    """Turn the cycle collector on again where the command line turned it
    off for a one-document build (see `cli`), the objects made so far
    (mostly the imported modules) set aside as permanent, so that its first
    pass need not walk them all."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def partial_pool(workers: int, recycle_after: int = RECYCLE_AFTER) -> Executor:
    """Run the tasks on pools of `workers` processes, a fresh pool for each
    `recycle_after` documents per worker."""

    def execute(tasks: Sequence[Task], stopped: Callable[[], bool]) -> Iterator[Result]:
        share = workers * recycle_after
        for first in range(0, len(tasks), share):
            if stopped():
                return
            yield from _on_pool(make_pool(workers), tasks[first : first + share], stopped)

    return execute


def _on_pool(pool: ProcessPoolExecutor, tasks: Sequence[Task], stopped: Callable[[], bool]) -> Iterator[Result]:
    """Results of the tasks as they finish; on a stop, those under way finish
    and the others are cancelled."""
    futures = {pool.submit(run, task): task for task in tasks}
    pending = set(futures)
    try:
        while pending and not stopped():
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in done:
                yield _outcome(future.result, futures[future])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for future in pending:  # documents that were under way when the batch stopped
        if future.done() and not future.cancelled():
            yield _outcome(future.result, futures[future])


def partial_dask(address: str) -> Executor:
    """Run the tasks on the Dask cluster whose scheduler is at `address`."""

    def execute(tasks: Sequence[Task], stopped: Callable[[], bool]) -> Iterator[Result]:
        try:
            distributed: Any = importlib.import_module("distributed")  # the optional extra, untyped
        except ImportError:
            raise CommuniqueError("--scheduler needs Dask: pip install 'communique[dask]'") from None
        try:
            client = distributed.Client(address, timeout=30)
        except (OSError, TimeoutError) as err:
            raise CommuniqueError(f"cannot reach the Dask scheduler at {address}: {err}") from None
        with client:
            futures = client.map(run, tasks, pure=False)
            task_of = {future.key: task for future, task in zip(futures, tasks, strict=True)}
            completed = distributed.as_completed(futures)
            try:
                while not completed.is_empty() and not stopped():
                    for future in completed.next_batch(block=False) or _pause():
                        yield _outcome(future.result, task_of[future.key])
            finally:
                client.cancel([future for future in futures if not future.done()])

    return execute


def _pause() -> tuple[()]:
    time.sleep(0.1)
    return ()


def _outcome(get: Callable[[], Result], task: Task) -> Result:
    """A future's result; a worker that died is a failed document."""
    try:
        return get()
    except Exception as err:
        error = f"{task.source}: internal error: the worker failed: {type(err).__name__}: {err}"
        return Result(str(task.source), "failed", error=error, internal=True)


def _targets(source: Location, out_dir: Location, options: Options) -> list[Location]:
    if isinstance(source, str) or isinstance(out_dir, str):
        return list(remote.targets(str(source), str(out_dir), options.formats))
    return [out_dir / f"{source.stem}.{fmt}" for fmt in options.formats]


def _clashes(sources: Sequence[tuple[Location, Location, Options]]) -> dict[Location, str]:
    """Sources that would write the same files as another source."""
    writers: dict[Location, list[Location]] = {}
    for source, out_dir, options in sources:
        for target in _targets(source, out_dir, options):
            writers.setdefault(target, []).append(source)
    clashes: dict[Location, str] = {}
    for target, names in writers.items():
        if len(set(names)) > 1:
            for name in names:
                others = ", ".join(str(n) for n in names if n != name)
                clashes[name] = f"writes {_name(target)} as {others} does; build them into different folders"
    return clashes


def _name(location: Location) -> str:
    return remote.name(location) if isinstance(location, str) else location.name


def _up_to_date(source: Location, out_dir: Location, options: Options) -> bool:
    """Whether every output is newer than the source, the template and
    Communique itself."""
    try:
        template = options.template.folder if options.template else templates_root()
        newest_input = max(_modified_ns(source), _code_time(template))
        if options.logo is not None:
            newest_input = max(newest_input, options.logo.stat().st_mtime_ns)
        return all(_modified_ns(target) >= newest_input for target in _targets(source, out_dir, options))
    except OSError:
        return False


def _modified_ns(location: Location) -> int:
    return remote.modified_ns(location) if isinstance(location, str) else location.stat().st_mtime_ns


_newest_times: dict[Path, int] = {}


def _code_time(template: Path) -> int:
    """When Communique (its code, data and bundled templates: a new version
    installs new files) or the template folder last changed, in ns."""
    if template not in _newest_times:
        folders = (Path(__file__).parent, templates_root(), template)
        files = [path for folder in folders for path in folder.rglob("*") if "__pycache__" not in path.parts]
        _newest_times[template] = max((f.stat().st_mtime_ns for f in files if f.is_file()), default=0)
    return _newest_times[template]


# ---------------------------------------------------------------- the report


REPORT_FIELDS = ("source", "status", "files", "pages", "seconds", "warnings", "error")


def write_report(path: Path, results: Sequence[Result]) -> None:
    """A line per document: CSV when the name ends in .csv, else JSON lines."""
    rows = [result.report_row() for result in results]
    if path.suffix.lower() == ".csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=REPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "files": " ".join(row["files"]), "warnings": "; ".join(row["warnings"])})  # type: ignore[arg-type]
        text = buffer.getvalue()
    else:
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    write_together({path: text.encode("utf-8")})
