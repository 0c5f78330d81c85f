"""The layout vocabulary: parsing, validation, and errors that point at the template."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.errors import CommuniqueError
from communique.layout import PAGE_SIZES, Image, List, Paragraph, format_label, length, parse_layout
from communique.layout import ListStyle as LS

MINIMAL = """<document size="A4" margins="25mm" lang="tr-TR">
  <styles><style name="body" font="serif" size="12pt"/>
  <list-style name="ops" format="decimal" label="%1."/></styles>
  <body>{body}</body>
</document>"""


def test_parses_paragraphs_lists_and_inline_formatting() -> None:
    layout = parse_layout(
        MINIMAL.format(
            body='<p style="body">A <b>bold</b> &amp; <i>it</i></p>'
            '<list style="ops" start="3"><item><p style="body">x</p></item></list>'
        )
    )
    paragraph, numbered = layout.body
    assert isinstance(paragraph, Paragraph) and isinstance(numbered, List)
    assert paragraph.text() == "A bold & it"
    assert [r.bold for r in paragraph.runs] == [False, True, False, False]
    assert numbered.start == 3
    assert layout.info.lang == "tr-TR"
    assert layout.page.margin_left == pytest.approx(length("25mm"))


def test_markup_inside_text_stays_text() -> None:
    layout = parse_layout(MINIMAL.format(body='<p style="body">&lt;b&gt;not bold&lt;/b&gt;</p>'))
    paragraph = layout.body[0]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.text() == "<b>not bold</b>" and not paragraph.runs[0].bold


def test_no_break_spaces_survive_whitespace_folding() -> None:
    layout = parse_layout(MINIMAL.format(body='<p style="body">No:\u00a057\n   next</p>'))
    assert layout.body[0].text() == "No:\u00a057 next"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<blink/>", "unknown element <blink>"),
        ('<p style="body" colour="red">x</p>', "unknown attribute 'colour'"),
        ('<p style="nope">x</p>', "undefined style 'nope'"),
        ("<p>x</p>", "needs a style"),
        ("loose text", "text directly inside <body>"),
        ('<p style="body"><font>x</font></p>', "unknown inline element <font>"),
        ('<p style="body">page <page-number/></p>', "<page-number> belongs in a <header> or <footer>"),
    ],
)
def test_invalid_layout_is_an_error(body: str, message: str) -> None:
    with pytest.raises(CommuniqueError, match=message):
        parse_layout(MINIMAL.format(body=body))


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (MINIMAL.replace('size="A4"', 'size="A4" orientation="sideways"'), "orientation='sideways'"),
        (MINIMAL.replace("<body>", '<header><list style="ops"><item/></list></header><body>'), "<list> cannot stand"),
        (MINIMAL.replace("<body>", "<footer><page-break/></footer><body>"), "<page-break> cannot stand in a <footer>"),
    ],
)
def test_invalid_page_setup_is_an_error(xml: str, message: str) -> None:
    with pytest.raises(CommuniqueError, match=message):
        parse_layout(xml.format(body=""))


def test_landscape_swaps_the_page_sides() -> None:
    layout = parse_layout(MINIMAL.replace('size="A4"', 'size="A4" orientation="landscape"').format(body=""))
    assert (layout.page.width, layout.page.height) == PAGE_SIZES["A4"][::-1]


def test_an_image_must_be_png_or_jpeg(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_text("not an image", encoding="utf-8")
    (tmp_path / "real.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(16))
    assert isinstance(parse_layout(MINIMAL.format(body='<image src="real.png"/>'), base_dir=tmp_path).body[0], Image)
    with pytest.raises(CommuniqueError, match=r"not a PNG or JPEG: logo\.png"):
        parse_layout(MINIMAL.format(body='<image src="logo.png"/>'), base_dir=tmp_path)


def test_error_names_the_template_file_and_line(tmp_path: Path) -> None:
    source = tmp_path / "document.xml.j2"
    text = MINIMAL.format(body='\n<p style="body">ok</p>\n<blink/>\n')
    source.write_text(text, encoding="utf-8")
    with pytest.raises(CommuniqueError) as caught:
        parse_layout(text, sources=(source,))
    assert caught.value.file == str(source)
    assert caught.value.line == text.splitlines().index("<blink/>") + 1


def test_lengths_and_labels() -> None:
    assert length("72pt") == 72 and length("1in") == 72 and length("25.4mm") == pytest.approx(72)
    with pytest.raises(ValueError):
        length("12px")
    assert format_label(LS("x", "decimal", "%1."), 12) == "12."
    assert format_label(LS("x", "lower-alpha", "(%1)"), 3) == "(c)"
    assert format_label(LS("x", "lower-alpha", "(%1)"), 27) == "(aa)"
    assert format_label(LS("x", "upper-roman", "%1."), 14) == "XIV."
    assert format_label(LS("x", "bullet", bullet="–"), 5) == "–"


def test_roman_numerals_are_read_only_when_written_the_canonical_way() -> None:
    from communique.numbering import from_roman, to_roman

    assert [from_roman(s) for s in ("i", "iv", "IX", "xiv", "XL")] == [1, 4, 9, 14, 40]
    assert [from_roman(s) for s in ("iiii", "vx", "IC", "", "abc")] == [None] * 5
    assert all(from_roman(to_roman(n)) == n for n in range(1, 400))
