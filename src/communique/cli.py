"""The `communique` command: build documents, list templates.

Exit codes: 0 success, 1 a bad input (one line per problem, naming the file
and line), 2 bad usage, 130 interrupted. A user never sees a traceback; an
unexpected failure is reported in one line too (and in full with `--debug`).
The pipeline's modules are imported when a command needs them, so `--help`
answers at once; `build` hands its documents to `communique.batch`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from communique import __version__
from communique.errors import CommuniqueError
from communique.readers import MAX_INPUT_BYTES
from communique.readers import read as read_source
from communique.writers import DEFAULT_PDF_PROFILE, FORMATS, PDF_PROFILES

if TYPE_CHECKING:
    from communique.batch import Result, Summary

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
SAMPLE = Path(__file__).parent / "samples" / "statement-tr-ots-kazakhstan.txt"
# What the sample's text does not say but its letterhead and dateline need.
SAMPLE_META = (("issuer", "Türk Devletleri Teşkilatı"), ("date", "2022-01-11"), ("place", "İstanbul"))
_META_OPTIONS = ("language", "date", "place", "issuer", "reference", "title", "kind")


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="communique",
        description="Publish official documents (statements, declarations, communiqués, press releases, "
        "letters) as an archival PDF and an editable Word file from one source.",
    )
    parser.add_argument("--version", action="version", version=f"communique {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an unexpected failure")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    build = commands.add_parser(
        "build", help="publish source files (.txt, .md, .json, .docx, archived .pdf) as PDF, DOCX and JSON"
    )
    build.add_argument(
        "files",
        nargs="*",
        type=_location,
        metavar="PATH",
        help="source files, or folders whose .txt .md .json .docx files are published into the same tree under --out"
        " (or fsspec URLs: s3://bucket/archive, needs communique[dask])",
    )
    build.add_argument("--sample", action="store_true", help="publish the bundled sample statement")
    build.add_argument(
        "--out",
        "-o",
        type=_location,
        default=Path("build"),
        metavar="DIR",
        help="output folder, or an fsspec URL (default: build/)",
    )
    build.add_argument(
        "--template",
        "-t",
        metavar="NAME|DIR",
        help="bundled template name or a template folder (default: the one the document's kind selects)",
    )
    build.add_argument(
        "--format",
        "-f",
        default="pdf,docx",
        metavar="LIST",
        help=f"comma-separated output formats: {', '.join(FORMATS)} (default: pdf,docx)",
    )
    build.add_argument("--language", metavar="TAG", help="document language as a BCP 47 tag (tr, en, kk-Latn, …)")
    build.add_argument("--date", metavar="YYYY-MM-DD", help="document date")
    build.add_argument("--place", metavar="TEXT", help="place of issue (İstanbul, Astana, …)")
    build.add_argument("--issuer", metavar="TEXT", help="issuing body, shown in the letterhead")
    build.add_argument("--reference", metavar="TEXT", help="reference number (No: 57, № 439, …)")
    build.add_argument("--title", metavar="TEXT", help="document title")
    build.add_argument("--kind", metavar="KIND", help="document kind (statement, press-release, resolution, …)")
    build.add_argument("--logo", type=Path, metavar="IMAGE", help="letterhead image (PNG or JPEG)")
    build.add_argument(
        "--pdf-profile",
        choices=sorted(PDF_PROFILES),
        default=DEFAULT_PDF_PROFILE,
        help="; ".join(f"{name}: {profile.description}" for name, profile in PDF_PROFILES.items())
        + f" (default: {DEFAULT_PDF_PROFILE})",
    )
    build.add_argument(
        "--max-bytes",
        type=_size,
        default=MAX_INPUT_BYTES,
        metavar="SIZE",
        help="refuse inputs larger than this (default 20M; suffixes K, M)",
    )
    build.add_argument(
        "--tracked-changes",
        choices=("accept", "refuse"),
        default="accept",
        help="Word files: publish tracked changes as accepted (default, with a warning) or refuse the file",
    )
    build.add_argument("--strict", action="store_true", help="treat a warning (content set aside) as an error")
    build.add_argument("--verbose", "-v", action="store_true", help="say what was read and written")
    build.add_argument(
        "--jobs", "-j", type=_count, metavar="N", help="documents published at once (default: the number of cores)"
    )
    build.add_argument(
        "--changed",
        action="store_true",
        help="skip documents whose outputs are newer than the source, the template and this version",
    )
    build.add_argument("--report", type=Path, metavar="FILE", help="write a line per document (JSON lines, or .csv)")
    build.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    build.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="publish on a Dask cluster (tcp://host:8786); needs communique[dask] and a shared folder",
    )

    commands.add_parser("templates", help="list the bundled templates: name, description, kinds, folder")
    commands.add_parser("schema", help="print the JSON Schema of the document model")

    serve = commands.add_parser("serve", help="run the web page and HTTP API (needs communique[web])")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--workers", type=int, metavar="N", help="rendering worker processes (default: one per core)")
    serve.add_argument(
        "--max-upload", type=_size, default=10 * 1024**2, metavar="SIZE", help="largest request body (default 10M)"
    )
    serve.add_argument(
        "--time-limit", type=float, default=60.0, metavar="SECONDS", help="longest one rendering may take (default 60)"
    )
    inspect = commands.add_parser("inspect", help="show what the reader understood: each block's role and confidence")
    inspect.add_argument("files", nargs="+", type=Path, metavar="FILE", help="source files to read")
    return parser


def _location(text: str) -> Path | str:
    """A local path, or a URL (`scheme://…`) kept as text."""
    return text if "://" in text else Path(text)


def _size(text: str) -> int:
    """A byte count such as 500K or 20M."""
    factor = {"K": 1024, "M": 1024**2, "G": 1024**3}.get(text[-1:].upper(), 1)
    digits = text[:-1] if factor > 1 else text
    if not digits.isdigit() or int(digits) == 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 500K or 20M")
    return int(digits) * factor


def _count(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args: argparse.Namespace | None = None
    try:
        args = parser.parse_args(argv)
        if args.command == "build":
            return _build(args) if argv is not None else _build_as_process(args)
        if args.command == "templates":
            return _templates()
        if args.command == "schema":
            from communique.schema import schema_json

            sys.stdout.write(schema_json())
            return EXIT_OK
        if args.command == "serve":
            return _serve(args)
        if args.command == "inspect":
            return _inspect(args.files)
        parser.print_help()
        return EXIT_USAGE
    except _UsageError as err:
        print(f"communique: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("communique: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as err:
        if args is not None and args.debug:
            traceback.print_exc()
        print(
            f"communique: internal error: {type(err).__name__}: {err} (run with --debug for details)", file=sys.stderr
        )
        return EXIT_BUG


def _build_as_process(args: argparse.Namespace) -> NoReturn:
    """`build` as the command, in a process of its own (not `main([...])`
    called by a program). Importing the pipeline makes a great many objects
    and few reference cycles: the cycle collector's passes over them cost a
    tenth of a one-document process and free almost nothing, so it is off
    (`batch.collect_cycles` turns it on again for a batch of several). Once
    the files are written whole and closed, the process ends without
    Python's tear-down, which frees every object one by one and takes a
    fifth of a one-document process (mypy ends the same way)."""
    gc.disable()
    code = _build(args)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _build(args: argparse.Namespace) -> int:
    # Warnings (content set aside) always reach stderr, one line each naming the file.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("communique: %(message)s"))
    logger = logging.getLogger("communique")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if args.verbose else logging.WARNING)
    handler.setLevel(logging.INFO if args.verbose else logging.WARNING)
    try:
        return _build_files(args)
    finally:
        logger.removeHandler(handler)


def _build_files(args: argparse.Namespace) -> int:
    files: list[Path | str] = list(args.files)
    if args.sample:
        files.append(SAMPLE)
    if not files:
        raise _UsageError("build: give at least one FILE, or --sample")
    formats = tuple(f.strip().lower() for f in args.format.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise _UsageError(
            f"build: unknown format {unknown[0] if unknown else args.format!r} (use {', '.join(FORMATS)})"
        )
    if args.date is not None:
        try:
            dt.date.fromisoformat(args.date)
        except ValueError:
            raise _UsageError(f"build: --date {args.date!r} is not a date as YYYY-MM-DD") from None
    from communique.layout import image_format

    if args.logo is not None and image_format(args.logo) is None:
        problem = "not a PNG or JPEG image" if args.logo.is_file() else "no such file"
        raise _UsageError(f"build: --logo {str(args.logo)!r}: {problem}")
    from dataclasses import replace

    from communique import batch
    from communique.publish import Options
    from communique.render import find_template

    try:
        template = find_template(args.template) if args.template else None
    except CommuniqueError as err:
        raise _UsageError(f"build: {err}") from None
    overrides = tuple((name, getattr(args, name)) for name in _META_OPTIONS if getattr(args, name) is not None)
    options = Options(
        template=template,
        formats=formats,
        overrides=overrides,
        logo=args.logo.resolve() if args.logo else None,
        max_bytes=args.max_bytes,
        pdf_profile=args.pdf_profile,
        tracked_changes=args.tracked_changes,
        strict=args.strict,
    )
    sample_options = replace(options, overrides=SAMPLE_META + overrides)
    try:
        found = batch.collect(files, args.out)
    except CommuniqueError as err:
        raise _UsageError(f"build: {err}") from None
    sample = (SAMPLE, SAMPLE.as_uri())  # the sample, as a path or a file:// URL
    sources = [(path, out_dir, sample_options if path in sample else options) for path, out_dir in found]
    folders = any(isinstance(f, str) or f.is_dir() for f in files)
    console = _Console(quiet=args.quiet, debug=args.debug, many=len(sources) > 1 or folders)
    try:
        results, summary = batch.publish_batch(
            sources,
            jobs=args.jobs or batch.default_jobs(),
            changed=args.changed,
            scheduler=args.scheduler,
            on_total=console.start,
            on_result=console.result,
        )
    except CommuniqueError as err:
        console.close()
        raise _UsageError(f"build: {err}") from None
    console.close(summary)
    if args.report is not None:
        try:
            batch.write_report(args.report, results)
        except CommuniqueError as err:
            print(f"communique: {err}", file=sys.stderr)
            return EXIT_INPUT
    if summary.interrupted:
        return EXIT_INTERRUPTED
    if summary.internal:
        return EXIT_BUG
    return EXIT_INPUT if summary.failed else EXIT_OK


class _Console:
    """What a build says while it runs: a progress bar on a terminal, else the
    files written, a line per file; problems always; a summary for a batch."""

    def __init__(self, *, quiet: bool, debug: bool, many: bool) -> None:
        self.quiet, self.debug, self.many = quiet, debug, many
        self.bar: Any = None

    def start(self, total: int) -> None:
        if self.quiet or not self.many or not sys.stderr.isatty():
            return
        from tqdm import tqdm

        self.bar = tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)

    def say(self, line: str, stream: IO[str]) -> None:
        if self.bar is not None and stream.isatty():
            self.bar.write(line, file=stream)
        else:
            print(line, file=stream, flush=True)

    def result(self, result: Result) -> None:
        if result.error is not None:
            if self.debug and result.detail:
                self.say(result.detail.rstrip(), sys.stderr)
            suffix = "" if self.debug or not result.internal else " (run with --debug for details)"
            self.say(f"communique: {result.error}{suffix}", sys.stderr)
        for warning in result.warnings:
            self.say(f"communique: {result.source}: warning: {warning}", sys.stderr)
        if not self.quiet and result.status == "published" and not (self.bar is not None and sys.stdout.isatty()):
            for path in result.files:
                self.say(path, sys.stdout)
        if self.bar is not None:
            self.bar.update()

    def close(self, summary: Summary | None = None) -> None:
        if self.bar is not None:
            self.bar.close()
        if summary is not None and not self.quiet and (self.many or summary.interrupted):
            print(f"communique: {summary.line()}", file=sys.stderr)


def _inspect(files: list[Path]) -> int:
    from communique.inspection import describe

    status = EXIT_OK
    for source in files:
        try:
            document = read_source(source)
        except CommuniqueError as err:
            print(f"communique: {err.located(str(source))}", file=sys.stderr)
            status = EXIT_INPUT
            continue
        print(f"{source}:")
        print(describe(document), end="")
    return status


def _templates() -> int:
    from communique.render import list_templates

    for template in list_templates():
        print(f"{template.name}\t{template.description}\t{', '.join(template.kinds)}\t{template.folder}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from dataclasses import replace

    try:
        from communique.web.app import serve
        from communique.web.settings import Settings
    except ImportError as err:
        raise _UsageError(f"serve needs the web extra: pip install 'communique[web]' ({err})") from None
    if args.workers is not None and args.workers < 1:
        raise _UsageError("serve: --workers must be at least 1")
    if args.time_limit <= 0:
        raise _UsageError("serve: --time-limit must be more than 0")
    settings = Settings(max_upload_bytes=args.max_upload, time_limit=args.time_limit)
    if args.workers is not None:
        settings = replace(settings, workers=args.workers)
    serve(args.host, args.port, settings)
    return EXIT_OK
