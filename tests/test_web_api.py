"""The HTTP API and the page's routes, through FastAPI's test client."""

from __future__ import annotations

import asyncio
import io
import json
import os
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

pytest.importorskip("fastapi", reason="the web extra (communique[web]) is not installed")
pypdfium2 = pytest.importorskip("pypdfium2", reason="the web extra (communique[web]) is not installed")

import docx  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from communique.model import TEXT_BLOCK_KINDS, from_dict  # noqa: E402
from communique.readers import pdffile  # noqa: E402
from communique.render import list_templates, templates_root  # noqa: E402
from communique.web import jobs, page  # noqa: E402
from communique.web.api import ApiError, choose_template, content_disposition  # noqa: E402
from communique.web.app import create_app  # noqa: E402
from communique.web.pool import RenderPool  # noqa: E402
from communique.web.settings import Settings  # noqa: E402
from communique.writers import FORMATS  # noqa: E402
from tests.conftest import SAMPLE, squash  # noqa: E402

TEXT = SAMPLE.read_text(encoding="utf-8")
TITLE_WORDS = "KAZAKİSTAN'DAKİ DURUMA İLİŞKİN"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cwd")


@pytest.fixture(scope="module")
def client(workdir: Path) -> Iterator[TestClient]:
    """One app with one warm worker for the module; run from an empty folder
    so that anything written beside it would show."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(workdir)
        with TestClient(create_app(Settings(workers=1))) as test_client:
            yield test_client


def pdf_page_text(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_bounded() for i in range(len(pdf)))
    finally:
        pdf.close()


def docx_paragraphs(data: bytes) -> list[Any]:
    return list(docx.Document(io.BytesIO(data)).paragraphs)


def read_model(client: TestClient, text: str = TEXT) -> dict[str, Any]:
    response = client.post("/api/read", data={"text": text})
    assert response.status_code == 200, response.text
    model: dict[str, Any] = response.json()
    return model


# ---------------------------------------------------------------- service


def test_health_and_templates(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    listed = client.get("/api/templates").json()
    assert [t["name"] for t in listed] == [t.name for t in list_templates()]
    assert all("folder" not in t and t["description"] for t in listed)  # no server paths


def test_openapi_documents_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/healthz", "/api/templates", "/api/read", "/api/publish", "/api/preview"} <= set(schema["paths"])
    body = schema["paths"]["/api/publish"]["post"]["requestBody"]["content"]
    assert {"multipart/form-data", "application/json"} <= set(body)
    names = {name for field in page.meta_fields() for name in field.form_names()}
    assert names <= set(body["multipart/form-data"]["schema"]["properties"])
    assert client.get("/docs").status_code == 200


def test_security_headers(client: TestClient) -> None:
    for path in ("/", "/api/templates", "/static/page.js"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]


# ---------------------------------------------------------------- read and publish


def test_read_gives_the_model_with_roles_and_meta(client: TestClient) -> None:
    model = read_model(client)
    assert model["meta"]["language"] == "tr"
    assert TITLE_WORDS in model["meta"]["title"]
    kinds = {block["kind"] for block in model["blocks"]}
    assert {"recital", "numbered_list"} <= kinds
    from_dict(model)  # it is the model's own JSON shape


def test_publish_pdf_from_upload_keeps_turkish_file_name(client: TestClient) -> None:
    response = client.post(
        "/api/publish",
        files={"file": ("açıklama İstanbul.txt", TEXT.encode("utf-8"), "text/plain")},
        data={"format": "pdf", "place": "Astana"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "açıklama İstanbul.pdf"
    text = squash(pdf_page_text(response.content))
    assert TITLE_WORDS in text
    assert "Astana" in text  # the metadata field given replaced the reader's place
    assert pdffile.read(response.content, "x.pdf").meta.place == "Astana"


def test_publish_docx_and_json_from_a_model_body(client: TestClient) -> None:
    model = read_model(client)
    response = client.post("/api/publish?format=docx&title=Özel%20Başlık", json=model)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].endswith("wordprocessingml.document")
    texts = [p.text for p in docx_paragraphs(response.content)]
    assert any("Özel Başlık" in t or "ÖZEL BAŞLIK" in t for t in texts)
    response = client.post("/api/publish?format=json", json=model)
    assert response.json() == model


def test_publish_zip_holds_every_format(client: TestClient) -> None:
    response = client.post("/api/publish", data={"text": TEXT, "format": "zip"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == [f"document.{fmt}" for fmt in FORMATS]


def test_markdown_follows_the_writers(client: TestClient) -> None:
    response = client.post("/api/publish", data={"text": TEXT, "format": "md"})
    if "md" in FORMATS:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/markdown")
    else:
        assert response.status_code == 400
        assert "unknown format 'md'" in response.json()["error"]


def test_preview_gives_png_pages(client: TestClient) -> None:
    response = client.post("/api/preview", data={"text": TEXT})
    assert response.status_code == 200
    body = response.json()
    assert body["page_count"] == len(body["pages"]) >= 1
    assert all(url.startswith("data:image/png;base64,iVBORw0KGgo") for url in body["pages"])


def test_requests_share_no_state(client: TestClient) -> None:
    first = client.post("/api/publish", data={"text": TEXT, "format": "json", "title": "Birinci"}).json()
    second = client.post("/api/publish", data={"text": TEXT, "format": "json"}).json()
    assert first["meta"]["title"] == "Birinci"
    assert TITLE_WORDS in second["meta"]["title"]


def test_nothing_is_written_outside_the_request_folder(client: TestClient, workdir: Path) -> None:
    before = set(Path(tempfile.gettempdir()).glob("communique-web-*"))
    client.post("/api/publish", files={"file": ("a.docx", _docx_bytes(client), "application/octet-stream")})
    client.post("/api/preview", data={"text": TEXT})
    assert list(workdir.iterdir()) == []
    assert set(Path(tempfile.gettempdir()).glob("communique-web-*")) <= before


def _docx_bytes(client: TestClient) -> bytes:
    return client.post("/api/publish", data={"text": TEXT, "format": "docx"}).content


# ---------------------------------------------------------------- errors


def test_bad_document_is_422_in_one_sentence(client: TestClient) -> None:
    response = client.post("/api/publish", files={"file": ("statement.docx", b"not a zip", "application/octet-stream")})
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"error", "line"}
    assert body["error"].startswith("statement.docx: ") and "\n" not in body["error"]


def test_bad_markdown_names_the_line(client: TestClient) -> None:
    source = b"---\ntitle: [unclosed\n---\nBody.\n"
    response = client.post("/api/read", files={"file": ("note.md", source, "text/markdown")})
    assert response.status_code == 422
    assert isinstance(response.json()["line"], int)


def test_a_model_that_does_not_fit_is_422(client: TestClient) -> None:
    bad_kind = {"meta": {}, "blocks": [{"kind": "poem", "content": []}]}
    response = client.post("/api/publish", json=bad_kind)
    assert response.status_code == 422
    assert "/blocks/0/kind" in response.json()["error"]
    for shapeless in ([1, 2], {"meta": "statement"}):
        response = client.post("/api/publish", json=shapeless)
        assert response.status_code == 422
        assert response.json()["error"].startswith("the body must be a model JSON object")
    deep = b'{"meta": {}, "blocks": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = client.post("/api/publish", content=deep, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "nested too deeply" in response.json()["error"]
    response = client.post("/api/publish?date=2022-02-30", json=read_model(client))
    assert response.status_code == 422
    assert "/meta/date" in response.json()["error"]


@pytest.mark.parametrize("template", ["../../etc", "/etc", str(templates_root() / "statement"), "nonesuch"])
def test_only_listed_templates(client: TestClient, template: str) -> None:
    response = client.post("/api/publish", data={"text": TEXT, "template": template})
    assert response.status_code == 400
    assert response.json()["error"].startswith(f"unknown template {template!r}")


def test_no_document_and_unknown_format_are_400(client: TestClient) -> None:
    assert client.post("/api/publish", data={"format": "pdf"}).status_code == 400
    response = client.post("/api/publish", data={"text": TEXT, "format": "exe"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("unknown format 'exe'")
    assert client.post("/api/publish", content=b"x", headers={"content-type": "text/plain"}).status_code == 415


def test_upload_over_the_limit_is_413_by_its_length() -> None:
    small = TestClient(create_app(Settings(max_upload_bytes=1000, workers=1)))
    response = small.post("/api/publish", files={"file": ("big.txt", b"x" * 5000, "text/plain")})
    assert response.status_code == 413
    assert response.json() == {"error": "the upload is over the limit of 1,000 bytes", "line": None}
    page_response = small.post("/read", files={"file": ("big.txt", b"x" * 5000, "text/plain")})
    assert page_response.status_code == 413
    assert 'role="alert"' in page_response.text


def test_streamed_upload_over_the_limit_is_413() -> None:
    small = TestClient(create_app(Settings(max_upload_bytes=10_000, workers=1)))

    def chunks() -> Iterator[bytes]:
        for _ in range(100):  # 100 kB without a Content-Length
            yield b"y" * 1000

    response = small.post("/api/read", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "over the limit" in response.json()["error"]


def test_time_limit_stops_a_long_rendering() -> None:
    with TestClient(create_app(Settings(workers=1, time_limit=0.001))) as hurried:
        response = hurried.post("/api/publish", data={"text": TEXT})
    assert response.status_code == 503
    assert "longer than the limit" in response.json()["error"]


def test_the_kind_chooses_the_template() -> None:
    for template in list_templates():
        for kind in template.kinds:  # the template made for the kind is preselected
            assert choose_template(None, {"kind": kind}) == template.name
        assert choose_template(None, {"kind": "statement", "template": template.name}) == template.name
    assert choose_template(None, {"kind": "statement", "template": "/etc"}) == "statement"  # never a folder
    assert choose_template("resolution", {"kind": "statement"}) == "resolution"
    with pytest.raises(ApiError):
        choose_template("../statement", {})


def test_metadata_of_every_shape_is_edited_as_form_text(client: TestClient) -> None:
    form = {
        "text": TEXT,
        "format": "json",
        "addressee": "DIŞİŞLERİ BAKANLIĞINA\n\n  ANKARA ",
        "signatories": "Kubanychbek Omuraliev | Secretary General\nA. B.",
        "contact.phone": "+90 212 000 00 00",
        "distribution.action": "Bakanlık A\nBakanlık B",
    }
    meta = client.post("/api/publish", data=form).json()["meta"]
    assert meta["addressee"] == ["DIŞİŞLERİ BAKANLIĞINA", "ANKARA"]
    assert meta["signatories"][0]["name"] == "Kubanychbek Omuraliev"
    assert meta["signatories"][0]["title"] == "Secretary General"
    assert meta["signatories"][1]["name"] == "A. B."
    assert meta["contact"]["phone"] == "+90 212 000 00 00"
    assert meta["distribution"]["action"] == ["Bakanlık A", "Bakanlık B"]
    values = page.meta_form_values({"meta": meta})
    assert page.apply_meta({"meta": meta}, values)["meta"] == meta  # the form gives back what it shows
    assert values["signatories"] == "Kubanychbek Omuraliev | Secretary General\nA. B."


def test_content_disposition_is_safe() -> None:
    header = content_disposition('a"b\r\nçı.pdf')
    assert "\r" not in header and "\n" not in header
    assert header.split("filename=")[1].split(";")[0].count('"') == 2


# ---------------------------------------------------------------- the page


@pytest.mark.parametrize(
    ("language", "label"), [("tr", "Metni yapıştırın"), ("en", "Paste the text"), ("ru", "Вставьте текст")]
)
def test_page_speaks_three_languages(client: TestClient, language: str, label: str) -> None:
    html = client.get(f"/?lang={language}").text
    assert f'<html lang="{language}">' in html
    assert label in html


def test_page_follows_the_browser_language(client: TestClient) -> None:
    assert "Вставьте текст" in client.get("/", headers={"accept-language": "ru-RU,ru;q=0.9"}).text


def test_page_reads_shows_outline_and_preview(client: TestClient) -> None:
    html = client.post("/read", data={"text": TEXT, "lang": "en"}).text
    assert html.count('<img src="data:image/png;base64,') >= 1
    assert 'data-kind="recital"' in html
    assert '<option value="statement" selected>' in html


def test_page_changes_a_role_and_downloads_it(client: TestClient) -> None:
    model = read_model(client)
    index = next(i for i, b in enumerate(model["blocks"]) if b["kind"] == "recital")
    form = {"model": json.dumps(model), "name": "text.txt", f"role:/blocks/{index}": "quote", "format": "json"}
    changed = client.post("/download", data=form).json()
    assert changed["blocks"][index]["kind"] == "quote"
    html = client.post("/update", data=form).text
    assert 'data-kind="quote"' in html


def test_page_names_the_field_at_fault_and_keeps_the_edit(client: TestClient) -> None:
    form = {"model": json.dumps(read_model(client)), "lang": "tr", "date": "2022-02-30"}
    response = client.post("/update", data=form)
    assert response.status_code == 422
    assert "<strong>Sorun:</strong> Tarih: &#39;2022-02-30&#39; is not a date" in response.text
    assert 'name="date" value="2022-02-30"' in response.text


def test_page_shows_a_bad_file_in_one_sentence(client: TestClient) -> None:
    response = client.post("/read", files={"file": ("broken.docx", b"PK\x03\x04 broken", "application/octet-stream")})
    assert response.status_code == 422
    assert 'role="alert"' in response.text and "broken.docx:" in response.text


# ---------------------------------------------------------------- page data


def test_label_files_have_every_english_label() -> None:
    def keys(table: dict[str, Any], prefix: str = "") -> set[str]:
        out: set[str] = set()
        for key, value in table.items():
            out |= keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key}
        return out

    english = keys(page.labels("en").own)
    for language in page.interface_languages():
        assert keys(page.labels(language).own) == english, language


def test_labels_fall_back_to_the_role_name() -> None:
    assert page.labels("tr")("role.some_new_role") == "some new role"
    assert page.labels("xx").language == "en"


def test_roles_change_only_within_a_block_shape() -> None:
    model = {"meta": {}, "blocks": [{"kind": "recital", "content": []}, {"kind": "numbered_list", "items": []}]}
    changed = page.apply_roles(model, {"role:/blocks/0": "chapeau", "role:/blocks/1": "recital", "role:/x/9": "a"})
    assert [b["kind"] for b in changed["blocks"]] == ["chapeau", "numbered_list"]
    assert model["blocks"][0]["kind"] == "recital"  # the input is left alone
    assert page.role_choices("recital") == TEXT_BLOCK_KINDS


def test_outline_marks_low_confidence_blocks() -> None:
    model = {
        "blocks": [
            {"kind": "recital", "content": [{"kind": "text", "text": "Recalling"}], "confidence": 0.3},
            {"kind": "numbered_list", "items": [{"label": "1.", "blocks": [{"kind": "paragraph", "content": []}]}]},
        ]
    }
    entries = page.outline(model)
    assert [(e.pointer, e.low_confidence, e.depth, e.label) for e in entries] == [
        ("/blocks/0", True, 0, None),
        ("/blocks/1", False, 0, None),
        ("/blocks/1/items/0/blocks/0", False, 1, "1."),
    ]
    assert entries[1].items == 1 and entries[0].excerpt == "Recalling"


def test_a_full_queue_is_refused() -> None:
    async def scenario() -> int:
        pool = RenderPool(workers=1, time_limit=30, max_waiting=1)
        pool.start()
        try:
            first = asyncio.ensure_future(pool.run(time.sleep, 0.5))
            await asyncio.sleep(0)  # the first job is submitted
            with pytest.raises(jobs.JobError) as refused:
                await pool.run(jobs.ready)
            await first
            assert await pool.run(jobs.ready)  # room again
            return refused.value.status
        finally:
            pool.close()

    assert asyncio.run(scenario()) == 503


def test_a_dead_worker_is_replaced() -> None:
    async def scenario() -> tuple[int, bool]:
        pool = RenderPool(workers=1, time_limit=30)
        pool.start()
        try:
            with pytest.raises(jobs.JobError) as failure:
                await pool.run(os._exit, 1)  # the worker dies mid-job
            return failure.value.status, await pool.run(jobs.ready)
        finally:
            pool.close()

    assert asyncio.run(scenario()) == (503, True)


def test_workers_render_at_a_lower_priority_than_the_server_within_the_time_limit() -> None:
    async def scenario() -> tuple[int, int]:
        pool = RenderPool(workers=1, time_limit=0.3)
        pool.start()
        try:
            niceness = await pool.run(os.nice, 0)
            with pytest.raises(jobs.JobError) as late:
                await pool.run(time.sleep, 2)
            return niceness, late.value.status
        finally:
            pool.close()

    niceness, status = asyncio.run(scenario())
    assert niceness == os.nice(0) + jobs.WORKER_NICENESS
    assert status == 503


@pytest.mark.parametrize("template", [t.name for t in list_templates()])
def test_every_listed_template_previews_and_publishes(client: TestClient, template: str) -> None:
    preview = client.post("/api/preview", data={"text": TEXT, "template": template})
    assert preview.status_code == 200, preview.text
    assert preview.json()["template"] == template and preview.json()["pages"]
    docx_file = client.post("/api/publish", data={"text": TEXT, "template": template, "format": "docx"})
    assert docx_file.status_code == 200
    assert "Olaylarda hayatını kaybedenler" in " ".join(p.text for p in docx_paragraphs(docx_file.content))
