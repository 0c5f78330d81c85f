"""The FastAPI application: the API under /api, the page at /, the limits.

Errors are JSON `{"error": "…", "line": …}` with a 4xx status on the API and
one sentence on the page. Bodies over the upload limit are refused with 413
from their Content-Length, before a byte is read, or as soon as a streamed
body passes it. Only the bundled templates can be chosen.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import re
import unicodedata
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from communique import __version__
from communique.render import Template, list_templates
from communique.web import jobs, page
from communique.web.pool import RenderPool, default_workers
from communique.writers import FORMATS

HERE = Path(__file__).parent
MB = 1024 * 1024
TEXT_NAME = "text.txt"  # pasted text is read as plain text
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "zip": "application/zip",
}
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# FastAPI's interactive API page loads Swagger UI from its CDN and starts it with an inline script.
DOCS_CSP = (
    "default-src 'none'; script-src 'unsafe-inline' https://cdn.jsdelivr.net; style-src https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Settings:
    """What `communique serve` may change."""

    max_upload_bytes: int = 10 * MB
    workers: int = field(default_factory=default_workers)
    time_limit: float = 60.0  # seconds one read, publish or preview may take in a worker
    max_waiting: int = 500  # jobs queued or running at once; more are refused (503) rather than held in memory
    preview_pages: int = 10
    preview_scale: float = 1.5  # 108 dpi


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


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application with its own pool of rendering workers."""
    settings = settings or Settings()
    pool = RenderPool(settings.workers, settings.time_limit, settings.max_waiting)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        pool.start()
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(
        title="Communique",
        version=__version__,
        description="Publish official documents as an archival PDF and an editable Word file.",
        lifespan=lifespan,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.pool = pool
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes, respond=_too_large)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _add_error_handlers(app)
    _add_api(app, settings, pool)
    _add_page(app, settings, pool)
    return app


# ---------------------------------------------------------------- middleware


class SecurityHeaders:
    """Content-Security-Policy, no MIME sniffing, no framing, no referrer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"] == "/docs" else PAGE_CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse a request body over `limit` bytes with 413: at once when its
    Content-Length says so, else as soon as the stream passes the limit
    (the application's own answer is then dropped)."""

    def __init__(self, app: ASGIApp, limit: int, respond: Callable[[Scope, int], Response]) -> None:
        self.app = app
        self.limit = limit
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await self.respond(scope, self.limit)(scope, receive, send)
            return
        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    exceeded = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return
            started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await self.respond(scope, self.limit)(scope, receive, send)


def _too_large_sentence(limit: int) -> str:
    size = f"{limit / MB:g} MB" if limit >= MB else f"{limit:,} bytes"
    return f"the upload is over the limit of {size}"


def _too_large(scope: Scope, limit: int) -> Response:
    if str(scope["path"]).startswith("/api/"):
        return JSONResponse(error_body(_too_large_sentence(limit)), status_code=413)
    return HTMLResponse(_render_page(Request(scope), error=_too_large_sentence(limit)), status_code=413)


def _add_error_handlers(app: FastAPI) -> None:
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


# ---------------------------------------------------------------- the API


@dataclass
class Source:
    """A request's document (as model data), its name and its other fields."""

    model: dict[str, Any]
    name: str
    values: Mapping[str, str]


def _template_names() -> list[str]:
    return [template.name for template in list_templates()]


def _template_info(template: Template) -> dict[str, Any]:
    """A template as the API lists it: every field but paths on the server."""
    out: dict[str, Any] = {}
    for item in fields(template):
        value = getattr(template, item.name)
        if isinstance(value, Path):
            continue
        if isinstance(value, tuple | list | set | frozenset):
            out[item.name] = (
                sorted(str(v) for v in value) if isinstance(value, set | frozenset) else [str(v) for v in value]
            )
        else:
            out[item.name] = value if isinstance(value, str | int | float | bool | None) else str(value)
    return out


def choose_template(requested: str | None, kind: str | None) -> str:
    """The requested bundled template (400 for any other), else the one
    made for the document's kind, else the first."""
    templates = list_templates()
    names = [template.name for template in templates]
    if requested:
        if requested not in names:
            raise ApiError(400, f"unknown template {requested!r} (available: {', '.join(names)})")
        return requested
    for template in templates:
        if kind and (template.name == kind or kind in getattr(template, "kinds", ())):
            return template.name
    return names[0]


def _choose_format(requested: str | None) -> str:
    fmt = (requested or "pdf").strip().lower()
    if fmt not in formats():
        raise ApiError(400, f"unknown format {fmt!r} (available: {', '.join(formats())})")
    return fmt


async def _read_source(request: Request, pool: RenderPool, settings: Settings) -> Source:
    """The document a request carries: a model JSON body, or a form with an
    uploaded `file` or pasted `text` (read in a worker)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            model = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError) as err:
            raise ApiError(422, f"the body is not valid JSON ({err})") from None
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
    meta = {name: {"type": "string"} for name in page.meta_fields()}
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


def _add_api(app: FastAPI, settings: Settings, pool: RenderPool) -> None:
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
        return [_template_info(template) for template in list_templates()]

    @app.post("/api/read", tags=["api"], responses=errors, openapi_extra=_source_body_schema())
    async def read(request: Request) -> dict[str, Any]:
        """Read a source: the model as JSON (roles of blocks, metadata)."""
        source = await _read_source(request, pool, settings)
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
        source = await _read_source(request, pool, settings)
        fmt = _choose_format(source.values.get("format") or format)
        model = page.apply_meta(source.model, source.values)
        chosen = choose_template(source.values.get("template") or template, model.get("meta", {}).get("kind"))
        data = await pool.run(jobs.publish, model, chosen, fmt)
        return file_response(data, download_name(source.name, model.get("meta", {}).get("title"), fmt), fmt)

    @app.post("/api/preview", tags=["api"], responses=errors, openapi_extra=_source_body_schema())
    async def preview(
        request: Request,
        template: str | None = Query(None, description="a bundled template; default: the document kind's"),
    ) -> dict[str, Any]:
        """Page images of the PDF, as PNG data URLs (the first pages)."""
        source = await _read_source(request, pool, settings)
        model = page.apply_meta(source.model, source.values)
        chosen = choose_template(source.values.get("template") or template, model.get("meta", {}).get("kind"))
        images, count = await pool.run(
            jobs.preview_pages, model, chosen, settings.preview_pages, settings.preview_scale
        )
        return {"page_count": count, "template": chosen, "pages": [_data_url(image) for image in images]}


def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


# ---------------------------------------------------------------- the page

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _language(request: Request, values: Mapping[str, str]) -> str:
    """The interface language: switched to, asked for, else the browser's first known one."""
    asked = values.get("switch_to") or values.get("lang") or request.query_params.get("lang")
    if asked in page.interface_languages():
        return str(asked)
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().split("-")[0].lower()
        if tag in page.interface_languages():
            return tag
    return page.DEFAULT_LANGUAGE


def _render_page(
    request: Request,
    *,
    values: Mapping[str, str] | None = None,
    model: dict[str, Any] | None = None,
    name: str = "",
    template: str | None = None,
    preview: tuple[list[bytes], int] | None = None,
    error: str | None = None,
) -> str:
    values = values or {}
    language = _language(request, values)
    labels = page.labels(language)
    meta = (model or {}).get("meta", {})
    return _environment.get_template("page.html.j2").render(
        t=labels,
        language=language,
        languages=page.interface_languages(),
        error=error,
        text=values.get("text", ""),
        model=model,
        model_json=json.dumps(model, ensure_ascii=False) if model is not None else "",
        name=name,
        templates=list_templates(),
        template=template,
        meta_fields=[(item, meta.get(item)) for item in page.meta_fields()],
        kinds=page.document_kinds(),
        outline=page.outline(model) if model is not None else [],
        previews=[_data_url(image) for image in preview[0]] if preview else [],
        page_count=preview[1] if preview else 0,
        formats=formats(),
        role_field=page.ROLE_FIELD,
    )


def _error_sentence(labels: page.Labels, message: str, line: int | None) -> str:
    return labels("error.at_line", message=message, line=line) if line is not None else message


def _add_page(app: FastAPI, settings: Settings, pool: RenderPool) -> None:
    async def show(request: Request, values: Mapping[str, str], model: dict[str, Any], name: str) -> HTMLResponse:
        """The page for a document: apply the form's edits, render the preview."""
        model = page.apply_roles(page.apply_meta(model, values), values)
        template = choose_template(values.get("template") or None, model.get("meta", {}).get("kind"))
        preview = await pool.run(jobs.preview_pages, model, template, settings.preview_pages, settings.preview_scale)
        html = _render_page(request, values=values, model=model, name=name, template=template, preview=preview)
        return HTMLResponse(html)

    async def guarded(request: Request, work: Callable[[dict[str, str]], Awaitable[Response]]) -> Response:
        """Run a page action; a problem comes back as the page with one sentence."""
        values: dict[str, str] = {}
        try:
            form = await request.form(max_files=1, max_fields=2000, max_part_size=settings.max_upload_bytes)
            values = {k: v for k, v in form.items() if isinstance(v, str)}
            return await work(values)
        except ApiError as err:
            status = err.status
            sentence = _error_sentence(page.labels(_language(request, values)), err.message, err.line)
        except jobs.JobError as err:
            status = err.status
            labels = page.labels(_language(request, values))
            message = f"{labels('meta.' + err.field)}: {err.message.split(': ', 1)[-1]}" if err.field else err.message
            sentence = _error_sentence(labels, message, err.line)
        model = _state(values)
        if model is not None:  # show the user's edits again, beside the sentence saying what is wrong
            model = page.apply_roles(page.apply_meta(model, values), values)
        html = _render_page(request, values=values, model=model, name=values.get("name", ""), error=sentence)
        return HTMLResponse(html, status_code=status)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def start(request: Request) -> HTMLResponse:
        return HTMLResponse(_render_page(request))

    @app.post("/read", include_in_schema=False)
    async def read(request: Request) -> Response:
        async def work(values: dict[str, str]) -> Response:
            source = await _read_source(request, pool, settings)
            return await show(request, values, source.model, source.name)

        return await guarded(request, work)

    @app.post("/update", include_in_schema=False)
    async def update(request: Request) -> Response:
        async def work(values: dict[str, str]) -> Response:
            return await show(request, values, _required_state(values), values.get("name", ""))

        return await guarded(request, work)

    @app.post("/download", include_in_schema=False)
    async def download(request: Request) -> Response:
        async def work(values: dict[str, str]) -> Response:
            model = page.apply_roles(page.apply_meta(_required_state(values), values), values)
            fmt = _choose_format(values.get("format"))
            template = choose_template(values.get("template") or None, model.get("meta", {}).get("kind"))
            data = await pool.run(jobs.publish, model, template, fmt)
            name = download_name(values.get("name") or "document", model.get("meta", {}).get("title"), fmt)
            return file_response(data, name, fmt)

        return await guarded(request, work)


def _state(values: Mapping[str, str]) -> dict[str, Any] | None:
    """The document the page carries in its hidden `model` field."""
    try:
        model = json.loads(values.get("model", ""))
    except ValueError:
        return None
    return model if isinstance(model, dict) else None


def _required_state(values: Mapping[str, str]) -> dict[str, Any]:
    model = _state(values)
    if model is None:
        raise ApiError(400, "the page lost its document; read the text or file again")
    return model


def serve(host: str, port: int, settings: Settings) -> None:
    """Run the application with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", proxy_headers=False)
