"""The template contract and the six bundled templates: each publishes its
example, keeps one styles table, renders the layout tree checked in under
tests/snapshots/, and its DOCX reads back to the same model."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import fields
from pathlib import Path

import pytest

from communique import cli, readers
from communique.errors import CommuniqueError
from communique.layout import Grid, Row, length, walk_paragraphs
from communique.model import Document, Meta, TextBlock, from_dict, plain, to_dict
from communique.publish import Options, choose_template, render_outputs
from communique.readers import docxfile
from communique.render import find_template, format_date, list_templates, render_layout
from communique.schema import schema_json
from communique.template import KIND_TEMPLATES

from .conftest import REPO, pdf_text
from .layout_snapshot import layout_snapshot

EXAMPLES = sorted((REPO / "examples").glob("*.md"))
SNAPSHOTS = Path(__file__).parent / "snapshots"
TEMPLATE_NAMES = ("statement", "press-release", "official-letter", "resolution", "decree", "note-verbale")


def _example(name: str) -> Path:
    return next(p for p in EXAMPLES if choose_template(readers.read(p), Options()).name == name)


def _outputs(source: Path, formats: tuple[str, ...] = ("pdf", "docx")) -> dict[str, bytes]:
    return render_outputs(readers.read(source), Options(formats=formats))


# ---------------------------------------------------------------- the contract


def test_six_templates_each_with_an_example() -> None:
    names = {t.name for t in list_templates()}
    assert set(TEMPLATE_NAMES) <= names
    chosen = {choose_template(readers.read(p), Options()).name for p in EXAMPLES}
    assert chosen == set(TEMPLATE_NAMES)


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_one_styles_table_gives_roles_and_looks(name: str) -> None:
    """Every style has a role the DOCX reader knows, and the layout's styles
    are the table's, attribute for attribute."""
    template = find_template(name)
    assert template.description and template.kinds and template.page["size"] == "A4"
    meta_fields = {f.name for f in fields(Meta)} | {"place_date", "signatory"}
    for style, role in template.roles.items():
        kind = role.removeprefix("meta.")
        assert (
            role in ("decor", "footnote")
            or role.startswith("heading ")
            or (role.startswith("meta.") and kind in meta_fields)
            or kind in {"paragraph", "lead_in", "recital", "chapeau", "quote", "closing", "closing_formula"}
            or kind in {"signature", "place_date", "reference", "metadata"}
        ), f"{name}: style {style!r} has the unknown role {role!r}"
    layout = render_layout(readers.read(_example(name)), template)
    assert list(layout.styles) == list(template.styles)
    for style_name, spec in template.styles.items():
        if "size" in spec:
            assert layout.styles[style_name].size == pytest.approx(length(spec["size"]))
    used = {p.style for p in walk_paragraphs(layout.body)}
    assert used <= set(template.styles)


@pytest.mark.parametrize("kind", sorted(KIND_TEMPLATES))
def test_the_kind_selects_the_template(kind: str) -> None:
    document = Document(Meta(kind=kind, title="T"), (TextBlock("paragraph", plain("x")),))
    assert choose_template(document, Options()).name == KIND_TEMPLATES[kind]


def test_template_option_and_front_matter_override_the_kind() -> None:
    document = Document(Meta(kind="resolution", template="note-verbale"))
    assert choose_template(document, Options()).name == "note-verbale"
    assert choose_template(document, Options(template=find_template("decree"))).name == "decree"


def test_labels_come_from_data_files() -> None:
    letter = find_template("official-letter")
    assert letter.labels("tr")["number"] == "Sayı"
    assert letter.labels("en")["number"] == "Ref."
    assert letter.labels("kk-Latn")["page"] == "Бет"  # the shared Kazakh file, then English for the rest
    assert letter.labels("xx")["subject"] == "Subject"


# ---------------------------------------------------------------- snapshots


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_layout_snapshot(name: str) -> None:
    """The layout tree of each template's example, as checked in. After a
    deliberate change of looks: UPDATE_SNAPSHOTS=1 pytest tests/test_templates.py -k snapshot"""
    source = _example(name)
    document = readers.read(source)
    text = layout_snapshot(render_layout(document, choose_template(document, Options())))
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_docx_reads_back_to_the_same_model(name: str) -> None:
    document = readers.read(_example(name))
    docx = render_outputs(document, Options(formats=("docx",)))["docx"]
    assert docxfile.read(docx, "copy.docx") == document


@pytest.mark.slow
@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_docx_reads_back_after_a_libreoffice_resave(name: str, tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    document = readers.read(_example(name))
    ours = tmp_path / "ours.docx"
    ours.write_bytes(render_outputs(document, Options(formats=("docx",)))["docx"])
    out = tmp_path / "office"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(ours)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    back = docxfile.read((out / "ours.docx").read_bytes(), "resaved.docx")
    assert back == document  # confidences aside: they are the reader's opinion, not the content


def test_metadata_travels_in_custom_properties_and_the_kind_in_the_subject() -> None:
    outputs = _outputs(_example("resolution"))
    with zipfile.ZipFile(io.BytesIO(outputs["docx"])) as package:
        custom = package.read("docProps/custom.xml").decode("utf-8")
        core = package.read("docProps/core.xml").decode("utf-8")
    assert 'name="template"' in custom and ">resolution<" in custom and "A/RES/80/12" in custom
    assert "<dc:subject>resolution</dc:subject>" in core
    import pikepdf

    with pikepdf.open(io.BytesIO(outputs["pdf"])) as pdf:
        assert str(pdf.docinfo["/Subject"]) == "resolution"


def test_json_model_carries_the_new_metadata() -> None:
    document = readers.read(_example("official-letter"))
    data = json.loads(json.dumps(to_dict(document)))
    assert data["meta"]["distribution"]["action"][0] == "Ticaret Bakanlığına"
    assert data["meta"]["signatories"][0]["name"] == "Ahmet YILMAZ"
    assert from_dict(data) == document


# ---------------------------------------------------------------- what the pages show


@pytest.mark.slow
@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_each_example_publishes(name: str, tmp_path: Path) -> None:
    """Every example's PDF holds its text; the layout elements land in both files."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    document = readers.read(_example(name))
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(render_outputs(document, Options(formats=("pdf",)))["pdf"])
    text = " ".join(pdf_text(pdf).split())
    first = next(b for b in document.blocks if isinstance(b, TextBlock))
    assert " ".join(first.text().split())[:40] in text


def test_letter_row_puts_number_left_and_date_right(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    outputs = _outputs(_example("official-letter"))
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(outputs["pdf"])
    layout_text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    line = next(line for line in layout_text.splitlines() if "Sayı" in line)
    assert line.rstrip().endswith("11.03.2024") and ": E-12345678-010.06-4567" in line
    with zipfile.ZipFile(io.BytesIO(outputs["docx"])) as package:
        body = package.read("word/document.xml").decode("utf-8")
        footers = "".join(package.read(n).decode("utf-8") for n in package.namelist() if n.startswith("word/footer"))
    assert '<w:tblBorders><w:top w:val="nil"/>' in body  # the Sayı/Konu grid: a table without borders
    assert '<w:tab w:val="right"' in footers  # the contact rows: right tab stops on the paragraph


def test_resolution_sets_opening_words_in_italics_and_the_symbol_from_page_two() -> None:
    document = readers.read(_example("resolution"))
    long = Document(document.meta, document.blocks * 6)
    layout = render_layout(long, find_template("resolution"))
    preambular = next(p for p in walk_paragraphs(layout.body) if p.style == "Preambular")
    assert preambular.runs[0].italic and preambular.runs[0].role == "opening"
    assert preambular.runs[0].text == "Recalling" and not preambular.runs[1].italic
    assert layout.header_for(first_page=False) and not layout.header_for(first_page=True)
    docx = render_outputs(long, Options(formats=("docx",)))["docx"]
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        names = package.namelist()
        body = package.read("word/document.xml").decode("utf-8")
    assert "<w:titlePg/>" in body and any("header" in n for n in names)
    assert 'w:rStyle w:val="Openingwords"' in body


def test_statement_sets_several_signers_in_columns() -> None:
    layout = render_layout(readers.read(_example("statement")), find_template("statement"))
    grid = next(b for b in layout.body if isinstance(b, Grid))
    assert len(grid.widths) == 2 and len(grid.rows) == 2
    names = [cell[0].text() for row in grid.rows for cell in row if cell]  # type: ignore[union-attr]
    assert names == ["Sahiba GAFAROVA", "Yerlan KOŞANOV", "Nurlanbek ŞAKİYEV", "Numan KURTULMUŞ"]


def test_decree_signer_is_one_row() -> None:
    layout = render_layout(readers.read(_example("decree")), find_template("decree"))
    row = next(b for b in layout.body if isinstance(b, Row))
    assert row.left[0].text == "Президент Республики Казахстан" and row.right[0].text == "К. ТОКАЕВ"


def test_dates_keep_day_and_month_together() -> None:
    assert format_date("2025-09-12", "en") == "12\u00a0September 2025"
    assert format_date("2022-01-11", "tr") == "11\u00a0Ocak 2022"
    assert format_date("2022-01-11", "tr", "dd.MM.yyyy") == "11.01.2022"


# ---------------------------------------------------------------- lists keep their labels


def test_list_labels_are_kept_whole() -> None:
    from communique.model import ListBlock, ListItem, Numbering

    block = ListBlock("numbered_list", tuple(ListItem(f"{n}. §", ()) for n in (1, 2, 3)))
    assert block.numbering == Numbering("decimal", "", ". §", 1)
    lettered = ListBlock("numbered_list", tuple(ListItem(f"({x})", ()) for x in ("y", "z", "aa", "bb")))
    assert lettered.numbering == Numbering("lower-alpha", "(", ")", 25)
    assert [lettered.numbering.label(n) for n in (27, 28)] == ["(aa)", "(bb)"]
    assert ListBlock("numbered_list", (ListItem("1.", ()), ListItem("3.", ()))).numbering is None


# ---------------------------------------------------------------- schema


def test_schema_in_docs_is_current() -> None:
    assert (REPO / "docs" / "document.schema.json").read_text(encoding="utf-8") == schema_json()


def test_examples_fit_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_json())
    for source in EXAMPLES:
        jsonschema.validate(to_dict(readers.read(source)), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"meta": {"signatories": [{"title": "no name"}]}}, schema)


def test_schema_command_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Communique document"


# ---------------------------------------------------------------- user templates


def _user_template(folder: Path, entry: str, extra: str = "") -> Path:
    folder.mkdir()
    (folder / "template.yaml").write_text(f"name: our-embassy\nextends: note-verbale\n{extra}", encoding="utf-8")
    (folder / "document.xml.j2").write_text(entry, encoding="utf-8")
    return folder


def test_a_user_template_extends_a_bundled_one(tmp_path: Path) -> None:
    folder = _user_template(
        tmp_path / "ours",
        '{% extends "note-verbale/document.xml.j2" %}\n'
        '{% block letterhead %}<p style="Letterhead">OUR EMBASSY</p>{{ super() }}{% endblock %}\n',
        "styles:\n  Letterhead: {size: 15pt}\n",
    )
    template = find_template(str(folder))
    layout = render_layout(readers.read(_example("note-verbale")), template)
    assert layout.styles["Letterhead"].size == 15 and layout.styles["Body"].size == 12
    texts = [p.text() for p in walk_paragraphs(layout.body)]
    assert texts[0] == "OUR EMBASSY" and texts[1].startswith("Embassy of the Republic")


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("{{ ''.__class__.__mro__ }}", "unsafe"),
        ("{{ ().__class__.__base__.__subclasses__() }}", "unsafe"),
        ('{% include "/etc/passwd" %}', "not found"),
    ],
)
def test_a_user_template_runs_in_the_sandbox(tmp_path: Path, entry: str, problem: str) -> None:
    folder = _user_template(tmp_path / "bad", '{% extends "note-verbale/document.xml.j2" %}\n'
                            "{% block letterhead %}\n" + entry + "\n{% endblock %}\n")  # fmt: skip
    with pytest.raises(CommuniqueError) as caught:
        render_layout(readers.read(_example("note-verbale")), find_template(str(folder)))
    message = str(caught.value)
    assert "document.xml.j2" in message and problem in message.lower()
    if problem == "unsafe":
        assert ":3:" in message  # the line of the file the author wrote


def test_an_image_outside_the_template_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "logo.png"
    outside.write_bytes((REPO / "tests" / "fixtures").joinpath("..", "..", "docs", "sample-page-1.png").read_bytes())
    folder = _user_template(
        tmp_path / "ours",
        '{% extends "note-verbale/document.xml.j2" %}\n'
        '{% block letterhead %}<image src="../logo.png" width="20mm"/>{% endblock %}\n',
    )
    with pytest.raises(CommuniqueError, match="outside the template's folder"):
        render_layout(readers.read(_example("note-verbale")), find_template(str(folder)))


def test_a_bad_user_template_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _user_template(tmp_path / "bad", '{% extends "note-verbale/document.xml.j2" %}\n'
                            "{% block body %}{{ meta.nothing_here }}{% endblock %}\n")  # fmt: skip
    out = tmp_path / "out"
    status = cli.main(["build", str(_example("note-verbale")), "--template", str(folder), "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert status == 1 and len(err.splitlines()) == 1 and "document.xml.j2:2" in err
    assert not out.exists() or not any(out.iterdir())


# ---------------------------------------------------------------- archival, validity, parity


@pytest.mark.slow
@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_example_pdf_passes_verapdf_and_docx_the_open_xml_sdk(name: str, tmp_path: Path) -> None:
    from .test_archival import assert_verapdf_passes
    from .test_docx_valid import validate

    outputs = _outputs(_example(name))
    verdict = validate(outputs["docx"], tmp_path)
    assert verdict["ok"] is True, verdict["errors"]
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(outputs["pdf"])
    assert_verapdf_passes(pdf, "3a")  # PDF/A-3a and PDF/UA-1


@pytest.mark.slow
@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_libreoffice_draws_each_example_like_our_pdf(name: str, tmp_path: Path) -> None:
    from .test_parity import _parity, _require_rendering_tools

    _require_rendering_tools()
    result = _parity().parity_of(_example(name), tmp_path)
    assert result.our_pages == result.office_pages
    assert result.agreement >= 0.95, "\n".join(result.missing)


def test_the_worked_example_of_a_ministry_letterhead(tmp_path: Path) -> None:
    """TEMPLATES.md's worked example: emblem beside the header, own label and style."""
    template = find_template(str(REPO / "examples" / "templates" / "our-ministry"))
    document = readers.read(_example("official-letter"))
    layout = render_layout(document, template)
    header = layout.body[0]
    assert isinstance(header, Grid)
    image = header.rows[0][0][0]
    assert image.alt == "Bakanlık amblemi" and image.src.name == "logo.png"  # type: ignore[union-attr]
    assert layout.styles["Institution"].size == 13 and layout.styles["Body"].size == 12
    assert any(
        "Ayrıntılı bilgi için" in run.text for row in layout.footers["all"] if isinstance(row, Row) for run in row.right
    )
    docx = render_outputs(document, Options(template=template, formats=("docx",)))["docx"]
    assert docxfile.read(docx, "copy.docx") == document
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        assert 'descr="Bakanlık amblemi"' in package.read("word/document.xml").decode("utf-8")


def test_a_circular_carries_its_type_label_and_number() -> None:
    document = readers.read(_example("official-letter"))
    circular = document.with_meta(kind="circular", reference="2024/3", title="Resmî yazışmalarda birlik")
    layout = render_layout(circular, choose_template(circular, Options()))
    texts = [(p.style, p.text()) for p in walk_paragraphs(layout.body)]
    assert ("Type label", "GENELGE") in texts and ("Circular number", "2024/3") in texts
    assert not any(text == "Sayı" for _, text in texts)
    assert docxfile.read(render_outputs(circular, Options(formats=("docx",)))["docx"], "c.docx") == circular


def test_resolution_text_with_its_own_meeting_line_gets_no_second_one() -> None:
    document = readers.read(_example("resolution"))
    assert document.meta.meeting
    texts = [p.text() for p in walk_paragraphs(render_layout(document, find_template("resolution")).body)]
    assert texts.count(document.meta.meeting) == 1
    own = Document(document.meta, (*document.blocks, TextBlock("metadata", plain(document.meta.meeting))))
    texts = [p.text() for p in walk_paragraphs(render_layout(own, find_template("resolution")).body)]
    assert texts.count(document.meta.meeting) == 1


def test_decree_text_with_its_own_place_and_date_gets_no_second_one() -> None:
    document = readers.read(_example("decree"))
    own = Document(
        document.meta,
        (*document.blocks, TextBlock("place_date", plain("Астана, Акорда")), TextBlock("reference", plain("№ 482"))),
    )
    layout = render_layout(own, find_template("decree"))
    # "№ 482" is bound by a no-break space
    texts = [p.text().replace("\u00a0", " ") for p in walk_paragraphs(layout.body)]
    assert texts.count("Астана, Акорда") == 1 and texts.count("№ 482") == 1


def _build_with_cache(source: Path, template: Path, out: Path, cache: Path) -> str:
    """The PDF's text from `communique build` in a fresh process using the template cache `cache`."""
    env = {**os.environ, "COMMUNIQUE_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO / "src")}
    command = [sys.executable, "-m", "communique", "build", str(source), "--template", str(template), "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True, env=env)
    return pdf_text(out / f"{source.stem}.pdf")


def test_compiled_templates_are_cached_and_never_served_stale(tmp_path: Path) -> None:
    entry = (
        '{% extends "note-verbale/document.xml.j2" %}\n'
        '{% block letterhead %}<p style="Body">WORDS ONE</p>{% endblock %}\n'
    )
    folder = _user_template(tmp_path / "ours", entry)
    cache = tmp_path / "cache"
    assert "WORDS ONE" in _build_with_cache(_example("note-verbale"), folder, tmp_path / "a", cache)
    assert list(cache.glob("templates-*/*.cache"))  # the compiled templates were kept
    (folder / "document.xml.j2").write_text(entry.replace("ONE", "TWO"), encoding="utf-8")
    text = _build_with_cache(_example("note-verbale"), folder, tmp_path / "b", cache)
    assert "WORDS TWO" in text and "WORDS ONE" not in text
    # A cache that cannot be made (a file stands in its place) is simply not used.
    (tmp_path / "blocked").write_text("", encoding="utf-8")
    assert "WORDS TWO" in _build_with_cache(_example("note-verbale"), folder, tmp_path / "c", tmp_path / "blocked")
