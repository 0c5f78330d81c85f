"""The page in a real browser: Playwright driving Debian's Chromium against
`communique serve` on 127.0.0.1, with axe-core checking accessibility.

Skips with a reason where Chromium, Playwright or the web extra is missing.
Saves the screenshot the README shows (docs/web-page.png).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra (communique[web]) is not installed")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

import docx  # noqa: E402
from benchmarks.load import running_server  # noqa: E402

from communique.readers import pdffile  # noqa: E402
from tests.conftest import REPO, SAMPLE, squash  # noqa: E402

CHROMIUM = Path(os.environ.get("COMMUNIQUE_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT = REPO / "docs" / "web-page.png"
TIMEOUT_MS = 60_000

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.is_file(), reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    ),
]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server("--workers", "2") as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 960}, accept_downloads=True, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def read_sample(page: Any, server: str) -> None:
    """Paste the sample and read it, by keyboard: Tab to the text, type, submit."""
    page.goto(f"{server}/?lang=en")
    page.get_by_label("Paste the text").focus()
    page.keyboard.insert_text(SAMPLE.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Read the document").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#preview img")


def hidden_model(page: Any) -> dict[str, Any]:
    model: dict[str, Any] = json.loads(page.locator("input[name=model]").input_value())
    return model


def serious_violations(page: Any) -> list[str]:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (npm install)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document)")
    assert len(result["passes"]) > 10  # axe ran its rules on this page
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s)"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_paste_see_outline_and_preview_change_a_role_download(page: Any, server: str, tmp_path: Path) -> None:
    read_sample(page, server)
    outline = page.locator("#outline li")
    assert outline.count() >= 10
    assert page.locator("#outline li[data-kind=recital]").count() >= 1
    image = page.locator("#preview img").first
    assert image.evaluate("img => img.naturalWidth") > 500
    assert page.get_by_label("Template", exact=True).input_value() == "statement"
    assert "KAZAKİSTAN" in page.get_by_label("Title", exact=True).input_value()
    page.screenshot(path=str(SCREENSHOT))

    # Change the first recital into a quotation: the outline and preview follow.
    index = next(i for i, b in enumerate(hidden_model(page)["blocks"]) if b["kind"] == "recital")
    select = page.locator(f"select[name='role:/blocks/{index}']")
    before = image.get_attribute("src")
    select.select_option("quote")
    page.wait_for_function(
        "i => document.querySelector(`select[name='role:/blocks/${i}']`).closest('li').dataset.kind === 'quote'",
        arg=index,
    )
    page.get_by_text("The outline and preview are up to date.").wait_for()
    assert hidden_model(page)["blocks"][index]["kind"] == "quote"
    assert page.locator("#preview img").first.get_attribute("src") != before
    assert page.evaluate("document.activeElement.name") == f"role:/blocks/{index}"  # focus stays for keyboard users

    with page.expect_download() as pdf_download:
        page.get_by_role("button", name="PDF (archival)").click()
    pdf_path = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.suffix == ".pdf"
    document = pdffile.read(pdf_path.read_bytes(), str(pdf_path))
    assert document.blocks[index].kind == "quote"
    pdf_text = _pdf_text(pdf_path.read_bytes())
    assert "KAZAKİSTAN'DAKİ DURUMA İLİŞKİN" in pdf_text

    with page.expect_download() as docx_download:
        page.get_by_role("button", name="Word (DOCX)").click()
    docx_path = tmp_path / docx_download.value.suggested_filename
    docx_download.value.save_as(docx_path)
    paragraphs = docx.Document(str(docx_path)).paragraphs
    assert "KAZAKİSTAN'DAKİ DURUMA İLİŞKİN" in squash(" ".join(p.text for p in paragraphs))
    changed_text = squash(_text_of(hidden_model(page)["blocks"][index]))
    styles = {squash(p.text): p.style.name for p in paragraphs}
    assert styles[changed_text] == "Quote"


def _pdf_text(data: bytes) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(io.BytesIO(data))
    try:
        return squash(" ".join(pdf[i].get_textpage().get_text_bounded() for i in range(len(pdf))))
    finally:
        pdf.close()


def _text_of(block: dict[str, Any]) -> str:
    return "".join(run["text"] for run in block["content"])


def test_language_switch_keeps_the_document(page: Any, server: str) -> None:
    read_sample(page, server)
    page.get_by_role("button", name="Türkçe").click()
    page.wait_for_selector("html[lang=tr]")
    assert page.get_by_role("heading", name="Anlaşılan").is_visible()
    assert page.locator("#outline li").count() >= 10
    title = page.get_by_label("Başlık", exact=True)
    title.fill("Yeni başlık")
    with page.expect_navigation():
        title.press("Enter")  # Enter in a field updates; it does not switch the language
    assert page.evaluate("document.documentElement.lang") == "tr"
    assert page.get_by_label("Başlık", exact=True).input_value() == "Yeni başlık"
    page.get_by_role("button", name="Русский").click()
    page.wait_for_selector("html[lang=ru]")
    assert page.get_by_role("heading", name="Что распознано").is_visible()


def test_bad_upload_shows_one_sentence(page: Any, server: str) -> None:
    page.goto(f"{server}/?lang=en")
    page.get_by_label("Or upload a file").set_input_files(
        {"name": "statement.docx", "mimeType": "application/octet-stream", "buffer": b"this is not Word"}
    )
    page.get_by_role("button", name="Read the document").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    message = alert.inner_text()
    assert "statement.docx:" in message and "not a Word file" in message
    assert message.count("\n") == 0


def test_no_serious_accessibility_violations(page: Any, server: str) -> None:
    page.goto(f"{server}/?lang=tr")
    assert serious_violations(page) == []
    read_sample(page, server)
    assert serious_violations(page) == []
