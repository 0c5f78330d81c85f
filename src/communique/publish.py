"""The pipeline in one place: source file → Document → Layout → files.

Outputs of one build are rendered in memory first, then written to
temporary files in the target folder and renamed into place together, so a
failed build leaves nothing behind and a reader never sees half a file.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from communique import readers
from communique.errors import CommuniqueError
from communique.model import Document
from communique.render import Template, find_template, render_layout, template_for_kind
from communique.writers import DEFAULT_PDF_PROFILE, FORMATS, LAYOUT_WRITERS, MODEL_WRITERS, WriterOptions, model_json

ATTACHMENT_NAME = "document.json"
log = logging.getLogger("communique")


@dataclass(frozen=True)
class Options:
    """What the user may set over what the reader found."""

    template: Template | None = None  # None: the source's `template`, else its kind's
    formats: tuple[str, ...] = ("pdf", "docx")
    overrides: tuple[tuple[str, str], ...] = ()  # meta field → value
    logo: Path | None = None
    max_bytes: int = readers.MAX_INPUT_BYTES
    pdf_profile: str = DEFAULT_PDF_PROFILE  # a key of writers.PDF_PROFILES
    tracked_changes: str = "accept"  # Word files: publish tracked changes as accepted, or "refuse"
    strict: bool = False  # a warning (content set aside) is an error: nothing is written


def apply_overrides(document: Document, overrides: Iterable[tuple[str, str]]) -> Document:
    changes = dict(overrides)
    return document.with_meta(**changes) if changes else document


def choose_template(document: Document, options: Options) -> Template:
    """The template to publish with: the one asked for (`--template`), else
    the one the source names (front matter `template:`), else the bundled
    template for the kind the reader recognised."""
    if options.template is not None:
        return options.template
    if document.meta.template:
        return find_template(document.meta.template)
    return template_for_kind(document.meta.kind)


@dataclass(frozen=True)
class Rendered:
    """Every requested format as bytes, keyed by format name, and the PDF's
    page count (None without a PDF)."""

    outputs: dict[str, bytes]
    pages: int | None = None


def render_outputs(document: Document, options: Options) -> dict[str, bytes]:
    """Every requested format as bytes, keyed by format name."""
    return render(document, options).outputs


def render(document: Document, options: Options) -> Rendered:
    """Every requested format as bytes, and the PDF's page count."""
    unknown = [f for f in options.formats if f not in FORMATS]
    if unknown:
        raise CommuniqueError(f"unknown format {unknown[0]!r} (known: {', '.join(FORMATS)})")
    source_json = model_json(document)
    outputs: dict[str, bytes] = {}
    pages: int | None = None
    if any(f in LAYOUT_WRITERS for f in options.formats):
        refuse_right_to_left(source_json.decode("utf-8"))
        layout = render_layout(document, choose_template(document, options), logo=options.logo)
        layout = layout.with_attachment(ATTACHMENT_NAME, source_json)
        for fmt in options.formats:
            if fmt in LAYOUT_WRITERS:
                written = LAYOUT_WRITERS[fmt](layout, WriterOptions(pdf_profile=options.pdf_profile))
                outputs[fmt] = written.data
                pages = written.pages if fmt == "pdf" else pages
    for fmt in options.formats:
        if fmt in MODEL_WRITERS:
            outputs[fmt] = source_json if fmt == "json" else MODEL_WRITERS[fmt](document)
    return Rendered(outputs, pages)


@dataclass(frozen=True)
class Built:
    """The files one build wrote, and the PDF's page count."""

    files: list[Path]
    pages: int | None = None


# Right-to-left scripts by their blocks of code points: the writers set text
# left to right, unshaped, so such text would come out reversed.
_RIGHT_TO_LEFT = {
    "Hebrew": ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    "Arabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    "Syriac": ((0x0700, 0x074F),),
    "Thaana": ((0x0780, 0x07BF),),
    "N'Ko": ((0x07C0, 0x07FF),),
}


# Where every right-to-left letter (bidi class R or AL) is: the blocks Unicode
# keeps for right-to-left scripts, and the right-to-left mark. Searching them
# is a scan in C; asking each character's class would take a long document
# a third of a second.
RIGHT_TO_LEFT_BLOCKS = re.compile(
    "[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


def refuse_right_to_left(text: str) -> None:
    """Refuse text in a right-to-left script in one line naming the script:
    neither writer shapes it or sets it right to left, and a reversed text
    must never be published."""
    for found in RIGHT_TO_LEFT_BLOCKS.finditer(text):
        char = found.group()
        if unicodedata.bidirectional(char) not in ("R", "AL"):
            continue
        script = next(
            (name for name, ranges in _RIGHT_TO_LEFT.items() if any(a <= ord(char) <= b for a, b in ranges)),
            "a right-to-left",
        )
        raise CommuniqueError(
            f"the text is written in {script} script, right to left, which the PDF and DOCX writers cannot set "
            f"yet (first letter {char!r}, U+{ord(char):04X}); nothing written"
        )


def build_file(source: Path, out_dir: Path, options: Options) -> list[Path]:
    """Publish one source file into `out_dir`; returns the files written."""
    return build(source, out_dir, options).files


def build(source: Path, out_dir: Path, options: Options) -> Built:
    """Publish one source file into `out_dir`: the files written and the pages."""
    with _warnings() as warned:
        document = readers.read(source, max_bytes=options.max_bytes, tracked_changes=options.tracked_changes)
    if options.strict and warned:
        raise CommuniqueError(f"{warned[0]} (an error with --strict; nothing written)", file=str(source))
    document = apply_overrides(document, options.overrides)
    log.info(
        "%s: %d blocks, language %s, kind %s",
        source,
        len(document.blocks),
        document.meta.language or "unknown",
        document.meta.kind,
    )
    targets = {fmt: out_dir / f"{source.stem}.{fmt}" for fmt in options.formats}
    if source.resolve() in {t.resolve() for t in targets.values()}:
        raise CommuniqueError("the output would overwrite the input; choose another --out folder", file=str(source))
    try:
        rendered = render(document, options)
    except CommuniqueError as err:
        raise err.located(str(source)) from None
    write_together({targets[fmt]: data for fmt, data in rendered.outputs.items()})
    return Built(list(targets.values()), rendered.pages)


@contextmanager
def _warnings() -> Iterator[list[str]]:
    """The warnings logged on the `communique` logger meanwhile, each
    without the file name the reader put first."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            found.append(record.getMessage().split(": ", 1)[-1])

    handler = Collect(logging.WARNING)
    log.addHandler(handler)
    try:
        yield found
    finally:
        log.removeHandler(handler)


def write_together(files: dict[Path, bytes]) -> None:
    """Write all files or none: temporary files first, then renames. The
    previous build's files are kept aside (hard links) until every rename
    has succeeded, so a failed build leaves them exactly as they were."""
    temporaries: dict[Path, Path] = {}
    previous: dict[Path, Path] = {}  # target → the previous build's file, kept aside
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
            temporaries[target] = Path(name)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(name, 0o644)
        for target in files:
            if target.is_file():
                previous[target] = _keep_aside(target)
        _rename_together(temporaries, previous)
    except OSError as err:
        where = str(err.filename) if err.filename else None
        raise CommuniqueError(f"cannot write output: {err.strerror or err}", file=where) from None
    finally:
        for path in (*temporaries.values(), *previous.values()):
            path.unlink(missing_ok=True)


def _keep_aside(target: Path) -> Path:
    """A second name for `target` beside it (a hard link, so the file stays
    in place under its own name while the build is written)."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".previous", dir=target.parent)
    os.close(handle)
    os.unlink(name)
    os.link(target, name)
    return Path(name)


def _rename_together(temporaries: dict[Path, Path], previous: dict[Path, Path]) -> None:
    """Rename each temporary onto its target; on a failure put back what the
    targets held before (the previous build's file, or nothing)."""
    renamed: list[Path] = []
    try:
        for target, temporary in temporaries.items():
            os.replace(temporary, target)
            renamed.append(target)
    except OSError:
        for target in renamed:
            if target in previous:
                os.replace(previous.pop(target), target)
            else:
                target.unlink(missing_ok=True)
        raise
