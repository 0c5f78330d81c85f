"""The Word reader on conventions of files Communique did not write (text
boxes, endnotes, Strict Open XML, symbol fonts, comments, tracked changes),
each on a minimal Word package built here, so the tests need no outside
files."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import pytest

from communique.errors import CommuniqueError
from communique.model import Footnote, TextBlock
from communique.publish import Options, build_file
from communique.readers import docxfile
from communique.render import find_template

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
STRICT_R = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_NAMESPACES = (
    'xmlns:w="{w}" xmlns:r="{r}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
_CONTENT_TYPES = {
    "document": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "styles": "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
    "endnotes": "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
    "comments": "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
}


def docx(body: str, *, parts: dict[str, str] | None = None, strict: bool = False) -> bytes:
    """A minimal Word package: `body` is the inside of w:body, `parts` maps a
    part's relationship kind ("endnotes", "comments", "styles") to the inside
    of its root element. `strict` writes Strict Open XML namespaces."""
    w, r = (STRICT_W, STRICT_R) if strict else (W, R)
    ns = _NAMESPACES.format(w=w, r=r)
    parts = parts or {}
    overrides = "".join(
        f'<Override PartName="/word/{name}.xml" ContentType="{_CONTENT_TYPES[name]}"/>' for name in ("document", *parts)
    )
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{r}/{name}" Target="{name}.xml"/>' for n, name in enumerate(parts, 1)
    )
    package_rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    files = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package_rels}">'
            f'<Relationship Id="rId1" Type="{r}/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": f"<w:document {ns}><w:body>{body}</w:body></w:document>",
        "word/_rels/document.xml.rels": f'<Relationships xmlns="{package_rels}">{rels}</Relationships>',
    }
    for name, inside in parts.items():
        files[f"word/{name}.xml"] = f"<w:{name} {ns}>{inside}</w:{name}>"  # the root is named as the part
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in files.items():
            package.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + text)
    return buffer.getvalue()


def p(*runs: str, style: str | None = None) -> str:
    """A paragraph of runs (each the inside of a w:r, or plain text)."""
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    inside = "".join(
        run if run.startswith("<") else f'<w:r><w:t xml:space="preserve">{run}</w:t></w:r>' for run in runs
    )
    return f"<w:p>{ppr}{inside}</w:p>"


def texts(data: bytes) -> list[str]:
    document = docxfile.read(data, "x.docx")
    return [b.text() for b in document.blocks if isinstance(b, TextBlock)]


def test_a_text_box_is_read_once_after_its_anchor_paragraph() -> None:
    box = p("Datum plane of the survey")
    anchor = p(
        "The anchor paragraph says where the box is. ",
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="Box"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx><w:txbxContent>{box}</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{box}</w:txbxContent></v:textbox></v:shape>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>",
    )
    read = texts(docx(anchor + p("A paragraph after the anchor.")))
    assert [t for t in read if "Datum plane" in t] == ["Datum plane of the survey"], read
    at = read.index("Datum plane of the survey")
    assert read[at - 1].startswith("The anchor paragraph") and read[at + 1] == "A paragraph after the anchor.", read


_TITLE_STYLES = (
    '<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
)


def _endnote(note_id: int, text: str) -> str:
    return f'<w:endnote w:id="{note_id}">{p(text)}</w:endnote>'


def test_endnotes_are_kept_as_notes_labelled_i_ii_with_their_marks() -> None:
    mark = '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:endnoteReference w:id="{}"/></w:r>'
    separators = '<w:endnote w:type="separator" w:id="-1"><w:p/></w:endnote>'
    data = docx(
        p("Notes on the survey", style="Title")
        + p("The first claim, which the survey of the northern district made in its report.", mark.format(1))
        + p("The second claim, which the same survey made about the southern district.", mark.format(2)),
        parts={
            "styles": _TITLE_STYLES,
            "endnotes": separators + _endnote(1, "First source.") + _endnote(2, "Second source."),
        },
    )
    document = docxfile.read(data, "endnotes.docx")
    notes = [b for b in document.blocks if isinstance(b, Footnote)]
    assert [(n.label, n.text()) for n in notes] == [("i", "First source."), ("ii", "Second source.")]
    marks = [r.text for b in document.blocks if isinstance(b, TextBlock) for r in b.content if r.kind == "footnote_ref"]
    assert marks == ["i", "ii"]


def test_strict_open_xml_is_read() -> None:
    data = docx(
        p("Opening paragraph of a Strict file.") + p("Its closing paragraph."), parts={"styles": ""}, strict=True
    )
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert STRICT_W in package.read("word/document.xml").decode()
    assert texts(data) == ["Opening paragraph of a Strict file.", "Its closing paragraph."]


def test_symbol_and_wingdings_characters_become_unicode() -> None:
    bullet = '<w:r><w:sym w:font="Symbol" w:char="F0B7"/></w:r>'
    smiley = '<w:r><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr><w:t>J</w:t></w:r>'
    document = docxfile.read(docx(p(bullet, " Item with a bullet, then a face ", smiley)), "symbols.docx")
    assert not any(0xE000 <= ord(c) <= 0xF8FF for c in repr(document))
    assert [b.text() for b in document.blocks if isinstance(b, TextBlock)] == ["• Item with a bullet, then a face ☺"]


def test_a_paragraph_equal_to_the_title_is_kept() -> None:
    body = p("Apples and Pears", style="Title") + p("Pears and Apples") + p("Apples and Pears") + p("Pears and Apples")
    document = docxfile.read(docx(body, parts={"styles": _TITLE_STYLES}), "apples.docx")
    read = [b.text() for b in document.blocks if isinstance(b, TextBlock)]
    assert document.meta.title == "Apples and Pears"
    assert read.count("Apples and Pears") == 1 and read.count("Pears and Apples") == 2, read


_COMMENTED = p(
    '<w:commentRangeStart w:id="0"/>',
    "A sentence someone commented on.",
    '<w:commentRangeEnd w:id="0"/>',
    '<w:r><w:commentReference w:id="0"/></w:r>',
    '<w:commentRangeStart w:id="1"/>',
    " And a second one.",
    '<w:commentRangeEnd w:id="1"/>',
    '<w:r><w:commentReference w:id="1"/></w:r>',
)
_COMMENTS = "".join(f'<w:comment w:id="{n}" w:author="Editor">{p(f"Remark {n}.")}</w:comment>' for n in (0, 1))
_TRACKED = p(
    "Text before. ",
    '<w:ins w:id="5" w:author="Editor" w:date="2024-01-01T00:00:00Z"><w:r><w:t>Inserted words.</w:t></w:r></w:ins>',
)


def test_comments_and_a_tracked_insertion_warn(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="communique"):
        docxfile.read(docx(_COMMENTED, parts={"comments": _COMMENTS}), "comments.docx")
        tracked = docxfile.read(docx(_TRACKED), "track.docx")
    messages = [r.getMessage() for r in caplog.records if r.name == "communique"]
    assert "comments.docx: 2 comment(s) left out" in messages
    assert "track.docx: 1 tracked change(s) published as accepted" in messages
    assert [b.text() for b in tracked.blocks if isinstance(b, TextBlock)] == ["Text before. Inserted words."]


def test_tracked_changes_can_be_refused() -> None:
    with pytest.raises(CommuniqueError, match="has 1 tracked changes; accept or reject them in Word"):
        docxfile.read(docx(_TRACKED), "track.docx", tracked_changes="refuse")


def test_strict_turns_a_warning_into_an_error(tmp_path: Path) -> None:
    source = tmp_path / "comments.docx"
    source.write_bytes(docx(_COMMENTED, parts={"comments": _COMMENTS}))
    out = tmp_path / "out"
    out.mkdir()
    options = Options(find_template("statement"), formats=("pdf",), strict=True)
    with pytest.raises(CommuniqueError, match=r"2 comment\(s\) left out \(an error with --strict; nothing written\)"):
        build_file(source, out, options)
    assert list(out.iterdir()) == []
