"""What a foreign Word file states of a plain paragraph (its style, bold,
centring, right alignment) reaches the plain-text reader's rules: a bold
centred first paragraph is the title, right-aligned closing lines are the
signature and the place and date, a Title-styled paragraph is the title.
Each file is a minimal Word package built here (`test_docx_conventions.docx`)."""

from __future__ import annotations

from communique.model import Document, TextBlock
from communique.readers import docxfile
from tests.test_docx_conventions import docx

_STYLES = (
    '<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Banner"><w:name w:val="Banner"/><w:basedOn w:val="Normal"/>'
    '<w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>'
)
_BODY = (
    "The committee met on Tuesday and agreed the plan for the coming year, "
    "after a long discussion of the budget and of the new members."
)
_OPENING = "New opening hours from Monday."  # ends like a sentence: alone, no title
_STYLES_WITH_SUBTITLE = (
    _STYLES + '<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/></w:style>'
)


def para(*runs: tuple[str, str], align: str | None = None, style: str | None = None) -> str:
    """A paragraph of (text, run properties) runs, aligned and styled as asked."""
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + (f'<w:jc w:val="{align}"/>' if align else "")
    inside = "".join(f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>' for text, rpr in runs)
    return f"<w:p><w:pPr>{ppr}</w:pPr>{inside}</w:p>"


def read(*paragraphs: str) -> Document:
    return docxfile.read(docx("".join(paragraphs), parts={"styles": _STYLES}), "hints.docx")


def kinds(document: Document) -> list[tuple[str, str]]:
    return [(b.kind, b.text()) for b in document.blocks if isinstance(b, TextBlock)]


def test_a_bold_centred_first_paragraph_is_the_title() -> None:
    plain = read(para((_OPENING, "")), para((_BODY, "")), para((_BODY, "")))
    assert plain.meta.title is None and kinds(plain)[0] == ("paragraph", _OPENING)
    shown = read(para((_OPENING, "<w:b/>"), align="center"), para((_BODY, "")), para((_BODY, "")))
    assert shown.meta.title == _OPENING
    assert kinds(shown) == [("paragraph", _BODY), ("paragraph", _BODY)]


def test_bold_by_the_paragraph_or_character_style_counts_and_one_plain_run_breaks_it() -> None:
    by_style = read(para((_OPENING, ""), style="Banner"), para((_BODY, "")), para((_BODY, "")))
    assert by_style.meta.title == _OPENING
    by_runs = read(
        para(("New opening hours ", '<w:rStyle w:val="Strong"/>'), ("from Monday.", "<w:b/>"), align="center"),
        para((_BODY, "")),
    )
    assert by_runs.meta.title == _OPENING
    half = para(("New opening hours ", "<w:b/>"), ("from Monday.", ""), align="center")
    partly = read(half, para((_BODY, "")), para((_BODY, "")))
    assert partly.meta.title is None and kinds(partly)[0] == ("paragraph", _OPENING)
    unbolded = read(para((_OPENING, '<w:b w:val="0"/>'), style="Banner"), para((_BODY, "")))
    assert unbolded.meta.title is None


def test_right_aligned_closing_lines_are_the_place_and_date_and_the_signature() -> None:
    head = (para(("Notice to members", "")), para((_BODY, "")), para((_BODY, "")))
    lines = ("London, March 2024", "Dr Jane Smith (on behalf of the board)")
    plain = read(*head, *(para((line, "")) for line in lines))
    assert [kind for kind, _ in kinds(plain)[-2:]] == ["metadata", "signature"]
    right = read(*head, *(para((line, ""), align="right") for line in lines))
    assert kinds(right)[-2:] == [("place_date", lines[0]), ("signature", lines[1])]
    assert right.meta.place == "London, March 2024"
    # A name alone, which the rules leave a paragraph, is a signature when aligned right.
    alone = read(*head, para((lines[1], "")))
    assert kinds(alone)[-1] == ("paragraph", lines[1])
    alone_right = read(*head, para((lines[1], ""), align="end"))
    assert kinds(alone_right)[-1] == ("signature", lines[1])


def test_a_right_aligned_line_in_the_body_stays_a_paragraph() -> None:
    document = read(
        para(("Notice to members", "")), para(("Jane Smith", ""), align="right"), para((_BODY, "")), para((_BODY, ""))
    )
    assert kinds(document)[0] == ("paragraph", "Jane Smith")


def test_a_title_styled_paragraph_is_the_title_and_the_rules_read_it_as_one() -> None:
    document = read(
        para(("Notice to members", ""), style="Title"),
        para(("to all members of the club", "")),
        para((_BODY, "")),
        para((_BODY, "")),
    )
    assert document.meta.title == "Notice to members"
    # The line under the stated title is its subtitle, by the plain-text rules' subtitle under a title.
    assert document.meta.subtitle == "to all members of the club"
    assert kinds(document) == [("paragraph", _BODY), ("paragraph", _BODY)]


def test_a_subtitle_the_styles_state_keeps_a_second_one_the_rules_find() -> None:
    body = (
        para(("Notice to members", ""), style="Title")
        + para(("Spring meeting", ""), style="Subtitle")
        + para(("to all members of the club", ""))
        + para((_BODY, ""))
    )
    document = docxfile.read(docx(body, parts={"styles": _STYLES_WITH_SUBTITLE}), "hints.docx")
    assert (document.meta.title, document.meta.subtitle) == ("Notice to members", "Spring meeting")
    assert ("paragraph", "to all members of the club") in kinds(document)


def test_right_aligned_lines_over_the_text_are_no_closing_block() -> None:
    """A cover page's or a sender's right-aligned lines stand over long paragraphs: not a signature."""
    document = read(
        para(("Notice to members", "")),
        *(para((line, ""), align="right") for line in ("Microsoft", "Jane Smith", "London", "11/1/2007")),
        *(para((_BODY, "")) for _ in range(3)),
    )
    assert [kind for kind, _ in kinds(document)][-3:] == ["paragraph"] * 3
    assert ("signature", "Jane Smith") not in kinds(document)


def test_a_plain_copy_of_the_styled_subtitle_is_kept() -> None:
    body = (
        para(("Notice to members", ""), style="Title")
        + para(("to all members of the club", ""), style="Subtitle")
        + para(("to all members of the club", ""))
        + para((_BODY, ""))
    )
    document = docxfile.read(docx(body, parts={"styles": _STYLES_WITH_SUBTITLE}), "hints.docx")
    assert document.meta.subtitle == "to all members of the club"
    assert ("paragraph", "to all members of the club") in kinds(document)
