"""The work done in the rendering worker processes: read, publish, preview.

Every job takes and returns plain, picklable data (bytes, the model as a
dict), so a request shares nothing with the next one but the code. A job
runs under a time limit and inside a temporary folder that is removed when
it ends, so nothing it or a library writes outlives the request.
"""

from __future__ import annotations

import contextlib
import functools
import io
import signal
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

from communique import readers
from communique.errors import CommuniqueError
from communique.model import ModelError, from_dict, to_dict
from communique.publish import Options, render_outputs
from communique.render import Template, find_template, list_templates, template_for_kind
from communique.writers import FORMATS

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same document gives the same archive
_T = TypeVar("_T")


class JobError(Exception):
    """A problem to report to the user: a message, the source line where
    known, and the HTTP status that fits it."""

    def __init__(self, message: str, line: int | None = None, status: int = 422, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.status = status
        self.field = field  # the metadata field at fault, where one is

    def __reduce__(self) -> tuple[type[JobError], tuple[str, int | None, int, str | None]]:
        return (JobError, (self.message, self.line, self.status, self.field))


def run_limited(seconds: float, job: Callable[..., _T], *args: Any) -> _T:
    """Run `job` with a wall-clock limit, inside a fresh temporary folder."""
    with _temporary_folder(), _time_limit(seconds):
        return job(*args)


WORKER_NICENESS = 10  # below the server's event loop, which must answer at once


def warm_up() -> None:
    """Start a worker (at `WORKER_NICENESS`, forked warm by `batch.make_pool`):
    load the bundled templates and make a preview once, so the first request
    is fast."""
    sample = Path(__file__).resolve().parents[1] / "samples" / "statement-tr-ots-kazakhstan.txt"
    # Only a head start: whatever fails here fails again, reported, in the request that needs it.
    with _temporary_folder(), contextlib.suppress(Exception):
        document = readers.read(sample)
        for template in list_templates():  # load every bundled template once
            _template(template.name)
        name = template_for_kind(document.meta.kind).name
        render_outputs(document, Options(template=_template(name), formats=("pdf", "docx")))
        preview_pages(to_dict(document), name, 1, 0.5)


def ready() -> bool:
    """A no-op job: submitting one per worker starts them all at once."""
    return True


def read_source(data: bytes, filename: str) -> dict[str, Any]:
    """The model a source file holds, as JSON-ready data; the file's suffix
    chooses the reader (plain text when it is unknown)."""
    reader = readers.reader_for(Path(filename))
    try:
        return to_dict(reader(data, filename))
    except CommuniqueError as err:
        raise JobError(_sentence(err.message, err.file or filename), err.line) from None


def normalise(model: dict[str, Any]) -> dict[str, Any]:
    """The model checked against the model's rules, in its own JSON shape."""
    return to_dict(_document(model))


def publish(model: dict[str, Any], template: str, fmt: str) -> bytes:
    """One output file: a format of FORMATS, or "zip" holding them all."""
    document = _document(model)
    formats = FORMATS if fmt == "zip" else (fmt,)
    try:
        outputs = render_outputs(document, Options(template=_template(template), formats=formats))
    except CommuniqueError as err:
        raise JobError(_sentence(err.message, err.file), err.line) from None
    if fmt != "zip":
        return outputs[fmt]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in outputs.items():
            archive.writestr(zipfile.ZipInfo(f"document.{name}", ZIP_TIME), data)
    return buffer.getvalue()


def preview_pages(model: dict[str, Any], template: str, max_pages: int, scale: float) -> tuple[list[bytes], int]:
    """PNG images of the first `max_pages` pages of the PDF, and the page count."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(publish(model, template, "pdf"))
    try:
        images: list[bytes] = []
        for index in range(min(len(pdf), max_pages)):
            page = pdf[index]
            bitmap = page.render(scale=scale)
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, format="PNG", optimize=True)
            images.append(buffer.getvalue())
            page.close()
        return images, len(pdf)
    finally:
        pdf.close()


@functools.cache
def _template(name: str) -> Template:
    """A bundled template, loaded once per worker."""
    return find_template(name)


def _document(model: dict[str, Any]) -> Any:
    try:
        return from_dict(model)
    except ModelError as err:
        field = err.path.removeprefix("/meta/").split("/")[0] if err.path.startswith("/meta/") else None
        raise JobError(
            f"the document does not fit the model at {err.path or '/'}: {err.message}", field=field
        ) from None
    except RecursionError:
        raise JobError("the document's lists are nested too deeply") from None


def _sentence(message: str, file: str | None) -> str:
    return f"{file}: {message}" if file else message


@contextlib.contextmanager
def _temporary_folder() -> Iterator[None]:
    previous = tempfile.tempdir
    with tempfile.TemporaryDirectory(prefix="communique-web-") as folder:
        tempfile.tempdir = folder
        try:
            yield
        finally:
            tempfile.tempdir = previous


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise JobError(f"rendering took longer than the limit of {seconds:g} seconds", status=503)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
