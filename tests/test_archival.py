"""The archival PDF: PDF/A-3a + PDF/UA-1 (and PDF/A-3u on request) that
veraPDF passes, XMP matching the Info dictionary, an sRGB output intent, the source model attached (and read back
by `communique build archived.pdf`), byte-identical builds, Letter pages."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import docx
import pikepdf
import pytest
from lxml import etree

from communique import cli, readers
from communique.errors import CommuniqueError
from communique.model import Document, Inline, ListBlock, ListItem, Meta, TextBlock, plain
from communique.publish import ATTACHMENT_NAME, Options, render_outputs
from communique.readers import jsonfile, pdffile
from communique.render import find_template, render_layout
from communique.writers import PDF_PROFILES, model_json
from communique.writers import pdf as pdf_writer
from tests.conftest import SAMPLE, corpus_files

VERAPDF = Path(__file__).resolve().parents[2] / "shared/tools/verapdf/verapdf.py"
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
}


def statement() -> Document:
    """A model built here, independent of any reader: metadata in full,
    a list, a link (an annotation), characters from the fallback font."""
    return Document(
        Meta(
            kind="statement",
            title="Türk Devletleri Teşkilatı Açıklaması",
            language="tr",
            issuer="Türk Devletleri Teşkilatı",
            reference="No: 57 & ₺",
            date="2022-01-11",
            place="İstanbul",
        ),
        (
            TextBlock("recital", plain("Kardeşlik bağlarını teyit ederek,")),
            TextBlock("chapeau", plain("Konsey:")),
            ListBlock(
                "numbered_list",
                (
                    ListItem("1.", (TextBlock("paragraph", plain("Bedeli 1.234,56 ₺ olan “yardım”ı onaylar;")),)),
                    ListItem("2.", (TextBlock("paragraph", plain("Oʻzbekiston, Қазақстан, Ёлка, Őrség…")),)),
                ),
            ),
            TextBlock(
                "paragraph",
                (Inline("text", "Bkz. "), Inline("link", "turkicstates.org", "https://www.turkicstates.org/")),
            ),
            TextBlock("place_date", plain("İstanbul, 11 Ocak 2022")),
        ),
    )


def undated() -> Document:
    return Document(Meta(title="Undated note", language="en"), (TextBlock("paragraph", plain("No date here.")),))


def outputs(
    document: Document, formats: tuple[str, ...] = ("pdf",), template: str = "statement", profile: str = "3a"
) -> dict[str, bytes]:
    return render_outputs(document, Options(template=find_template(template), formats=formats, pdf_profile=profile))


def sources() -> list[Any]:
    """Documents to validate: built here, plus the bundled sample and the
    public corpus (where it is checked out) as the readers see them."""
    params = [pytest.param("model:statement", id="model-statement"), pytest.param("model:undated", id="model-undated")]
    params += [pytest.param(str(path), id=path.stem) for path in [SAMPLE, *corpus_files()]]
    return params


def load(source: str) -> Document:
    if source == "model:statement":
        return statement()
    if source == "model:undated":
        return undated()
    return readers.read(Path(source))


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, Path]:
    document = statement()
    path = tmp_path_factory.mktemp("archival") / "statement.pdf"
    path.write_bytes(outputs(document)["pdf"])
    return document, path


# ---------------------------------------------------------------- veraPDF


def verapdf(path: Path, flavour: str = "3u") -> dict[str, object]:
    """veraPDF's verdict on one file; skips when the engine is not set up."""
    if not VERAPDF.is_file():
        pytest.skip(f"veraPDF wrapper not found at {VERAPDF}")
    run = subprocess.run(
        [sys.executable, str(VERAPDF), str(path), flavour], capture_output=True, text=True, timeout=300
    )
    if run.returncode == 2:
        pytest.skip(f"veraPDF engine unavailable (run shared/tools/verapdf/setup.sh): {run.stdout[-300:]}")
    assert run.returncode == 0, run.stderr
    report: dict[str, object] = json.loads(run.stdout)
    return report


def assert_verapdf_passes(path: Path, profile: str) -> None:
    """Every veraPDF profile that checks `profile` (3a: 3a and ua1) passes."""
    for flavour in PDF_PROFILES[profile].verapdf_profiles:
        results = verapdf(path, flavour)["results"]
        assert isinstance(results, list) and results
        result = results[0]
        failed = [f"{rule['rule']} ×{rule['count']}: {rule['description'][:160]}" for rule in result["failed_rules"]]
        assert result["compliant"] and not failed, f"{flavour} failed rules:\n" + "\n".join(failed)


@pytest.mark.slow
@pytest.mark.parametrize("profile", sorted(PDF_PROFILES))
@pytest.mark.parametrize("source", sources())
def test_verapdf_passes_every_pdf_profile(source: str, profile: str, tmp_path: Path) -> None:
    path = tmp_path / "out.pdf"
    path.write_bytes(outputs(load(source), profile=profile)["pdf"])
    assert_verapdf_passes(path, profile)


# ---------------------------------------------------------------- structure


def test_xmp_claims_pdfa_3a_and_pdfua_1_and_matches_the_info_dictionary(archived: tuple[Document, Path]) -> None:
    document, path = archived
    with pikepdf.open(path) as pdf:
        info = {key: str(value) for key, value in pdf.docinfo.items()}
        xmp = etree.fromstring(pdf.Root.Metadata.read_bytes())
        assert "/Filter" not in pdf.Root.Metadata  # readable without a PDF library

    def one(xpath: str) -> str:
        found = xmp.xpath(xpath, namespaces=NS)
        assert isinstance(found, list) and len(found) == 1, xpath
        return str(found[0])

    assert one("//pdfaid:part/text()") == "3"
    assert one("//pdfaid:conformance/text()") == "A"
    assert one("//pdfuaid:part/text()") == "1"
    assert one("//pdfaSchema:namespaceURI/text()") == NS["pdfuaid"]  # the extension schema PDF/A asks for
    assert one("//pdfaSchema:prefix/text()") == "pdfuaid"
    assert one("//dc:title/rdf:Alt/rdf:li/text()") == info["/Title"] == document.meta.title
    assert one("//dc:creator/rdf:Seq/rdf:li/text()") == info["/Author"] == document.meta.issuer
    assert one("//dc:description/rdf:Alt/rdf:li/text()") == info["/Subject"] == "statement"
    assert one("//dc:language/rdf:Bag/rdf:li/text()") == "tr-TR"
    assert one("//pdf:Keywords/text()") == info["/Keywords"] == document.meta.reference
    assert one("//pdf:Producer/text()") == info["/Producer"]
    assert one("//xmp:CreatorTool/text()") == info["/Creator"]
    assert info["/CreationDate"] == info["/ModDate"] == "D:20220111120000+00'00'"
    for name in ("CreateDate", "ModifyDate", "MetadataDate"):
        assert one(f"//xmp:{name}/text()") == "2022-01-11T12:00:00+00:00"
    assert "/Trapped" not in info


def test_srgb_output_intent_with_an_embedded_profile(archived: tuple[Document, Path]) -> None:
    _, path = archived
    with pikepdf.open(path) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == pikepdf.Name.GTS_PDFA1
        profile = intent.DestOutputProfile
        assert int(profile.N) == 3
        icc = profile.read_bytes()
    assert icc[36:40] == b"acsp" and icc[12:16] == b"mntr" and icc[16:20] == b"RGB "


def test_catalog_language_viewer_preferences_and_no_encryption(archived: tuple[Document, Path]) -> None:
    _, path = archived
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "tr-TR"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        assert not pdf.is_encrypted and "/Encrypt" not in pdf.trailer
        assert len(pdf.trailer.ID) == 2
        assert pdf.pdf_version == "1.7"
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                assert int(annotation.F) & 4  # printable, as PDF/A requires


def test_every_stream_ends_with_an_eol(archived: tuple[Document, Path]) -> None:
    data = archived[1].read_bytes()
    assert data.count(b"endstream") > 0
    assert not re.search(rb"[^\r\n]endstream", data)


def test_source_model_is_attached_as_associated_file(archived: tuple[Document, Path]) -> None:
    document, path = archived
    with pikepdf.open(path) as pdf:
        (filespec,) = pdf.Root.AF
        assert filespec.AFRelationship == pikepdf.Name.Source
        assert str(filespec.UF) == str(filespec.F) == ATTACHMENT_NAME
        stream = filespec.EF.F
        assert stream.Subtype == pikepdf.Name("/application/json")
        data = stream.read_bytes()
        assert int(stream.Params.Size) == len(data)
        assert str(stream.Params.ModDate) == "D:20220111120000+00'00'"
        assert ATTACHMENT_NAME in pdf.attachments  # the EmbeddedFiles name tree too
        assert pdf.attachments[ATTACHMENT_NAME].obj.objgen == filespec.objgen
    assert data == model_json(document)
    assert jsonfile.read(data, "attached") == document


def test_every_font_is_an_embedded_subset_with_tounicode(archived: tuple[Document, Path]) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    listing = subprocess.run(["pdffonts", str(archived[1])], check=True, capture_output=True, text=True).stdout
    rows = listing.splitlines()[2:]
    assert rows
    for row in rows:
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
    names = [row.split()[0] for row in rows]
    assert len(set(names)) == len(names), "each subset needs its own tag (ISO 32000 9.6.4)"


# ---------------------------------------------------------------- reproducible builds


def test_same_model_gives_identical_bytes_a_second_later() -> None:
    first = outputs(statement(), ("pdf", "docx"))
    time.sleep(1.1)
    second = outputs(statement(), ("pdf", "docx"))
    assert first["pdf"] == second["pdf"]
    assert first["docx"] == second["docx"]


def test_undated_document_takes_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    first = outputs(undated(), ("pdf", "docx"))
    time.sleep(1.1)
    second = outputs(undated(), ("pdf", "docx"))
    assert first == second
    with pikepdf.open(io.BytesIO(first["pdf"])) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20231114221320+00'00'"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    assert outputs(undated())["pdf"] != first["pdf"]


def test_different_documents_get_different_ids() -> None:
    def file_id(document: Document) -> bytes:
        with pikepdf.open(io.BytesIO(outputs(document)["pdf"])) as pdf:
            return bytes(pdf.trailer.ID[0])

    assert file_id(statement()) != file_id(undated())


# ---------------------------------------------------------------- reading an archived PDF back


def test_pdf_to_model_to_pdf_round_trip_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "statement.json"
    source.write_bytes(model_json(statement()))
    assert cli.main(["build", str(source), "--out", str(tmp_path / "first"), "--format", "pdf,json"]) == 0
    archived = tmp_path / "archived.pdf"
    shutil.copy(tmp_path / "first" / "statement.pdf", archived)
    assert cli.main(["build", str(archived), "--out", str(tmp_path / "again"), "--format", "pdf,json"]) == 0
    capsys.readouterr()
    assert (tmp_path / "again" / "archived.json").read_bytes() == source.read_bytes()
    assert (tmp_path / "again" / "archived.pdf").read_bytes() == archived.read_bytes()


def test_pdf_without_attachment_is_rejected_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain_pdf = tmp_path / "plain.pdf"
    plain_pdf.write_bytes(pdf_writer.render(render_layout(statement(), find_template("statement"))))
    assert cli.main(["build", str(plain_pdf), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "has no Communique source attached" in err and str(plain_pdf) in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("cut", [0, 10, 400, 5000])
def test_truncated_or_foreign_pdf_is_a_clear_error(archived: tuple[Document, Path], cut: int) -> None:
    data = archived[1].read_bytes()[:cut] if cut else b"%PDF-1.7\nthis is not really a PDF\n"
    with pytest.raises(CommuniqueError) as caught:
        pdffile.read(data, "broken.pdf")
    assert caught.value.file == "broken.pdf"
    assert "BytesIO" not in str(caught.value)


# ---------------------------------------------------------------- paper size

LETTER_TEMPLATE = """<document size="Letter" margins="1in" lang="en-US" title="{{ meta.title or '' }}">
  <styles><style name="Body" font="serif" size="12pt" leading="15pt"/></styles>
  <body>
{% for block in blocks %}{% if block is text_block %}
    <p style="Body">{{ block.content|inline }}</p>
{% endif %}{% endfor %}
  </body>
</document>
"""


def test_letter_template_gives_letter_pages_in_both_files(tmp_path: Path) -> None:
    folder = tmp_path / "us-letter"
    folder.mkdir()
    (folder / "template.yaml").write_text("name: us-letter\ndescription: US Letter test template\n")
    (folder / "document.xml.j2").write_text(LETTER_TEMPLATE)
    files = outputs(undated(), ("pdf", "docx"), template=str(folder))
    with pikepdf.open(io.BytesIO(files["pdf"])) as pdf:
        assert [float(v) for v in pdf.pages[0].MediaBox] == [0, 0, 612, 792]
    section = docx.Document(io.BytesIO(files["docx"])).sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.pt), round(section.page_height.pt)) == (612, 792)


def test_a4_is_the_default(archived: tuple[Document, Path]) -> None:
    with pikepdf.open(archived[1]) as pdf:
        width, height = (float(v) for v in pdf.pages[0].MediaBox[2:])
    assert (round(width), round(height)) == (595, 842)
