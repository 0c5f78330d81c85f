"""The FastAPI application: the API (api.py), the page at /, the limits.

The page is server-rendered from the web package's own Jinja2 templates,
with its labels from labels/*.yaml; its state (the document as model JSON)
travels in the form, so the server keeps nothing between requests. A
problem comes back as the page with one sentence saying what is wrong.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import Scope

from communique import __version__
from communique.web import jobs, page
from communique.web.api import (
    ApiError,
    add_api,
    add_error_handlers,
    bundled_templates,
    choose_format,
    choose_template,
    data_url,
    download_name,
    error_body,
    file_response,
    formats,
    read_source,
)
from communique.web.middleware import BodyLimit, SecurityHeaders
from communique.web.pool import RenderPool
from communique.web.settings import MB, Settings

HERE = Path(__file__).parent


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
    add_error_handlers(app)
    add_api(app, settings, pool)
    _add_page(app, settings, pool)
    return app


def _too_large_sentence(limit: int) -> str:
    size = f"{limit / MB:g} MB" if limit >= MB else f"{limit:,} bytes"
    return f"the upload is over the limit of {size}"


def _too_large(scope: Scope, limit: int) -> Response:
    if str(scope["path"]).startswith("/api/"):
        return JSONResponse(error_body(_too_large_sentence(limit)), status_code=413)
    return HTMLResponse(_render_page(Request(scope), error=_too_large_sentence(limit)), status_code=413)


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
    return _environment.get_template("page.html.j2").render(
        t=labels,
        language=language,
        languages=page.interface_languages(),
        error=error,
        text=values.get("text", ""),
        model=model,
        model_json=json.dumps(model, ensure_ascii=False) if model is not None else "",
        name=name,
        templates=bundled_templates(),
        template=template,
        meta_fields=page.meta_fields(),
        meta_values=page.meta_form_values(model) if model is not None else {},
        kinds=page.document_kinds(),
        outline=page.outline(model) if model is not None else [],
        previews=[data_url(image) for image in preview[0]] if preview else [],
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
        template = choose_template(values.get("template") or None, model.get("meta", {}))
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
            source = await read_source(request, pool, settings)
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
            fmt = choose_format(values.get("format"))
            template = choose_template(values.get("template") or None, model.get("meta", {}))
            data = await pool.run(jobs.publish, model, template, fmt)
            name = download_name(values.get("name") or "document", model.get("meta", {}).get("title"), fmt)
            return file_response(data, name, fmt)

        return await guarded(request, work)


def _state(values: Mapping[str, str]) -> dict[str, Any] | None:
    """The document the page carries in its hidden `model` field."""
    try:
        model = json.loads(values.get("model", ""))
    except (ValueError, RecursionError):
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
