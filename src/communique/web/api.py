"""The HTTP API under /api (and /healthz), documented by OpenAPI at /docs.

Errors are JSON `{"error": "…", "line": …}` with a 4xx status. A request
carries its document as a multipart `file` or `text`, or as a model JSON
body; only the bundled templates can be chosen.
"""

from __future__ import annotations

import base64
import functools
import json
import mimetypes
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from communique.render import Template, list_templates, template_for_kind
from communique.web import jobs, page
from communique.web.pool import RenderPool
from communique.web.settings import Settings
from communique.writers import FORMATS

TEXT_NAME = "text.txt"  # pasted text is read as plain text
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "zip": "application/zip",
}


class ApiError(Exception):
    """A request the API refuses: status, one sentence, the source line."""

    def __init__(self, status: int, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.line = line


def error_body(message: str, line: int | None = None) -> dict[str, Any]:
    return {"error": message, "line": line}


def formats() -> tuple[str, ...]:
    """What can be downloaded: every writer's format, and all of them as a ZIP."""
    return (*FORMATS, "zip")


def add_error_handlers(app: FastAPI) -> None:
    async def api_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return JSONResponse(error_body(exc.message, exc.line), status_code=exc.status)

    async def job_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, jobs.JobError)
        return JSONResponse(error_body(exc.message, exc.line), status_code=exc.status)

    async def validation_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return JSONResponse(error_body(f"{where}: {first.get('msg', 'invalid request')}"), status_code=422)

    async def http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return JSONResponse(error_body(str(exc.detail)), status_code=exc.status_code, headers=exc.headers)

    async def internal_error(_request: Request, exc: Exception) -> Response:
        message = f"internal error ({type(exc).__name__}); this is a bug in Communique, not in the document"
        return JSONResponse(error_body(message), status_code=500)

    app.add_exception_handler(Exception, internal_error)
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(jobs.JobError, job_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)


@dataclass
class Source:
    """A request's document (as model data), its name and its other fields."""

    model: dict[str, Any]
    name: str
    values: Mapping[str, str]


@functools.cache
def bundled_templates() -> tuple[Template, ...]:
    """The bundled templates, loaded once per process: loading them reads
    and merges every template's files, too slow to do on the event loop
    for each request."""
    return tuple(list_templates())


@functools.cache
def _kind_template(kind: str | None) -> str:
    return template_for_kind(kind).name


def _template_names() -> list[str]:
    return [template.name for template in bundled_templates()]


def _template_info(template: Template) -> dict[str, Any]:
    """A template as the API lists it: its names and words (text and lists
    of text), no paths or styles of the server."""
    out: dict[str, Any] = {}
    for item in fields(template):
        value = getattr(template, item.name)
        if isinstance(value, str):
            out[item.name] = value
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            out[item.name] = list(value)
    return out


def choose_template(requested: str | None, meta: Mapping[str, Any]) -> str:
    """The requested bundled template (400 for any other), else the bundled
    one the document names, else the one for its kind."""
    names = _template_names()
    if requested:
        if requested not in names:
            raise ApiError(400, f"unknown template {requested!r} (available: {', '.join(names)})")
        return requested
    named = meta.get("template")
    if isinstance(named, str) and named in names:  # a folder named by a source is never used over the web
        return named
    kind = meta.get("kind")
    return _kind_template(kind if isinstance(kind, str) else None)


def choose_format(requested: str | None) -> str:
    fmt = (requested or "pdf").strip().lower()
    if fmt not in formats():
        raise ApiError(400, f"unknown format {fmt!r} (available: {', '.join(formats())})")
    return fmt


async def read_source(request: Request, pool: RenderPool, settings: Settings) -> Source:
    """The document a request carries: a model JSON body, or a form with an
    uploaded `file` or pasted `text` (read in a worker)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            model = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError) as err:
            raise ApiError(422, f"the body is not valid JSON ({err})") from None
        except RecursionError:
            raise ApiError(422, "the body is JSON nested too deeply to be a document") from None
        if not isinstance(model, dict) or not isinstance(model.get("meta", {}), dict):
            raise ApiError(422, "the body must be a model JSON object with meta (an object) and blocks")
        return Source(model, str(model.get("meta", {}).get("title") or "document"), dict(request.query_params))
    if content_type not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise ApiError(415, "send a multipart form with a file or text, or a model JSON body")
    form = await request.form(max_files=1, max_fields=200, max_part_size=settings.max_upload_bytes)
    values = {**request.query_params, **{k: v for k, v in form.items() if isinstance(v, str)}}
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        name = Path(upload.filename.replace("\\", "/")).name or "upload"
        data = await upload.read()
        await upload.close()
    elif values.get("text", "").strip():
        name, data = TEXT_NAME, values["text"].encode("utf-8")
    else:
        raise ApiError(400, "give a document: a file, text, or a model JSON body")
    return Source(await pool.run(jobs.read_source, data, name), name, values)


def download_name(source_name: str, title: str | None, fmt: str) -> str:
    """A safe file name: the source's stem (or the title), letters of any
    script kept, path and control characters dropped."""
    stem = Path(source_name).stem if source_name not in (TEXT_NAME, "document") else (title or "document")
    stem = "".join(c for c in stem if unicodedata.category(c)[0] != "C")
    stem = re.sub(r'[\\/:*?"<>|;]+', " ", stem)
    stem = " ".join(stem.split())[:80].strip(" .") or "document"
    return f"{stem}.{fmt}"


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the real name per RFC 5987."""
    letters = "".join(c for c in unicodedata.normalize("NFKD", filename) if not unicodedata.combining(c))
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", letters)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(data: bytes, filename: str, fmt: str) -> Response:
    media_type = CONTENT_TYPES.get(fmt) or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return Response(data, media_type=media_type, headers={"Content-Disposition": content_disposition(filename)})


def _source_body_schema() -> dict[str, Any]:
    """The request body of publish and preview, for the OpenAPI page."""
    meta = {
        name: {"type": "string", "description": f"metadata ({field.shape})"}
        for field in page.meta_fields()
        for name in field.form_names()
    }
    form = {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "binary", "description": ".txt, .md, .docx, .json or archived .pdf"},
            "text": {"type": "string", "description": "pasted plain text"},
            "format": {"type": "string", "enum": list(formats())},
            "template": {"type": "string", "enum": _template_names()},
            **meta,
        },
    }
    model = {"type": "object", "description": "the document model: {meta, blocks}"}
    return {
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": form}, "application/json": {"schema": model}},
        }
    }


def add_api(app: FastAPI, settings: Settings, pool: RenderPool) -> None:
    errors: dict[int | str, dict[str, Any]] = {
        code: {"description": text, "content": {"application/json": {"example": error_body(text, 3)}}}
        for code, text in (
            (400, "an unknown template or format, or no document"),
            (413, "the upload is over the limit"),
            (422, "a document that cannot be read"),
        )
    }

    @app.get("/healthz", tags=["service"])
    async def healthz() -> dict[str, str]:
        """The service answers (it never waits for rendering)."""
        return {"status": "ok"}

    @app.get("/api/templates", tags=["api"])
    async def templates() -> list[dict[str, Any]]:
        """The bundled templates that can be chosen."""
        return [_template_info(template) for template in bundled_templates()]

    @app.post("/api/read", tags=["api"], responses=errors, openapi_extra=_source_body_schema())
    async def read(request: Request) -> dict[str, Any]:
        """Read a source: the model as JSON (roles of blocks, metadata)."""
        source = await read_source(request, pool, settings)
        return await pool.run(jobs.normalise, page.apply_meta(source.model, source.values))

    @app.post(
        "/api/publish",
        tags=["api"],
        responses={200: {"description": "the file", "content": {CONTENT_TYPES["pdf"]: {}}}, **errors},
        response_class=Response,
        openapi_extra=_source_body_schema(),
    )
    async def publish(
        request: Request,
        format: str | None = Query(None, description=f"one of {', '.join(formats())}; default pdf"),
        template: str | None = Query(None, description="a bundled template; default: the document kind's"),
    ) -> Response:
        """Publish a source or a model as a file (Content-Disposition attachment).
        Metadata fields (title, date, place, …) given as form fields or query
        parameters replace what the reader found."""
        source = await read_source(request, pool, settings)
        fmt = choose_format(source.values.get("format") or format)
        model = page.apply_meta(source.model, source.values)
        chosen = choose_template(source.values.get("template") or template, model.get("meta", {}))
        data = await pool.run(jobs.publish, model, chosen, fmt)
        return file_response(data, download_name(source.name, model.get("meta", {}).get("title"), fmt), fmt)

    @app.post("/api/preview", tags=["api"], responses=errors, openapi_extra=_source_body_schema())
    async def preview(
        request: Request,
        template: str | None = Query(None, description="a bundled template; default: the document kind's"),
    ) -> dict[str, Any]:
        """Page images of the PDF, as PNG data URLs (the first pages)."""
        source = await read_source(request, pool, settings)
        model = page.apply_meta(source.model, source.values)
        chosen = choose_template(source.values.get("template") or template, model.get("meta", {}))
        images, count = await pool.run(
            jobs.preview_pages, model, chosen, settings.preview_pages, settings.preview_scale
        )
        return {"page_count": count, "template": chosen, "pages": [data_url(image) for image in images]}


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
