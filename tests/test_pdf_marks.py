"""The reportlab internals the tagged PDF relies on (writers/pdf_marks.py).

These fail loudly when a reportlab upgrade moves what they rely on: the
module-level bullet drawing function, `Paragraph.split` building its halves
with the paragraph's own class, and link annotations going through
`Canvas.linkURL`.
"""

from __future__ import annotations

import inspect
import io
import re

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import paragraph as rl_paragraph

from communique.writers import pdf_marks
from communique.writers.pdf_marks import MarkedCanvas, artifact, mark
from communique.writers.pdf_tags import STRUCTURE, Annotation, Content, Element, Marks

STYLE = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12, leftIndent=20, bulletIndent=0)


def canvas() -> MarkedCanvas:
    drawing = MarkedCanvas(io.BytesIO())
    drawing.marks = Marks()
    return drawing


def operators(drawing: MarkedCanvas) -> list[str]:
    """The marked-content operators written so far, in order."""
    return [line for line in drawing._code if line.endswith(("BDC", "EMC"))]


def test_the_label_hook_wraps_reportlabs_bullet_function() -> None:
    assert rl_paragraph._drawBullet is pdf_marks._draw_labelled_bullet
    parameters = list(inspect.signature(pdf_marks._draw_bullet).parameters)
    assert parameters == ["canvas", "offset", "cur_y", "bulletText", "style", "rtl"]


def test_a_list_label_is_its_own_piece_before_the_paragraph() -> None:
    label, body = Element("Lbl"), Element("P")
    flowable = mark(RLParagraph("<bullet>1.</bullet>First item.", STYLE), body, label)
    drawing = canvas()
    flowable.wrap(300, 100)
    flowable.drawOn(drawing, 50, 700)
    assert operators(drawing) == ["/Lbl <</MCID 0>> BDC", "EMC", "/P <</MCID 1>> BDC", "EMC"]
    assert label.kids == [Content(0, 0)] and body.kids == [Content(0, 1)]
    code = "\n".join(drawing._code)
    assert code.index("(1.) Tj") < code.index("EMC") < code.index("First")


def test_a_label_drawn_past_the_hook_is_an_error_not_untagged_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rl_paragraph, "_drawBullet", pdf_marks._draw_bullet)  # as if reportlab stopped using it
    flowable = mark(RLParagraph("<bullet>1.</bullet>First item.", STYLE), Element("P"), Element("Lbl"))
    flowable.wrap(300, 100)
    with pytest.raises(RuntimeError, match="_drawBullet"):
        flowable.drawOn(canvas(), 50, 700)


def test_both_halves_of_a_split_paragraph_belong_to_one_element() -> None:
    label, body = Element("Lbl"), Element("P")
    flowable = mark(RLParagraph("<bullet>1.</bullet>" + "A long sentence. " * 60, STYLE), body, label)
    flowable.wrap(300, 1000)
    first, second = flowable.split(300, 40)
    assert isinstance(first, pdf_marks._Marked) and isinstance(second, pdf_marks._Marked)
    assert first._tag_target is body and second._tag_target is body
    assert first._tag_label is label and second._tag_label is None  # the label is drawn once, on the first half
    drawing = canvas()
    first.wrap(300, 40)
    first.drawOn(drawing, 50, 700)
    drawing.showPage()
    second.wrap(300, 1000)
    second.drawOn(drawing, 50, 700)
    assert body.kids == [Content(0, 1), Content(1, 0)]


def test_a_link_drawn_inside_an_element_becomes_a_link_element() -> None:
    body = Element("P")
    flowable = mark(RLParagraph('See <a href="https://example.org/">the site</a>.', STYLE), body)
    flowable.wrap(300, 100)
    flowable.drawOn(canvas(), 50, 700)
    content, link = body.kids
    assert content == Content(0, 0)
    assert isinstance(link, Element) and link.type == STRUCTURE["link"].type
    assert link.kids == [Annotation(0, 0)] and link.contents == "https://example.org/"


def test_artifacts_hold_no_numbered_content() -> None:
    drawing = canvas()
    with artifact(drawing, STRUCTURE["footer"]):
        flowable = mark(RLParagraph("1 / 2", STYLE), Element("P"))
        flowable.wrap(300, 100)
        flowable.drawOn(drawing, 50, 30)
    assert operators(drawing) == ["/Artifact <</Type /Pagination /Subtype /Footer>> BDC", "EMC"]


def test_an_untagged_canvas_draws_no_marks() -> None:
    drawing = MarkedCanvas(io.BytesIO())
    flowable = mark(RLParagraph("<bullet>1.</bullet>First item.", STYLE), Element("P"), Element("Lbl"))
    flowable.wrap(300, 100)
    flowable.drawOn(drawing, 50, 700)
    assert not any(re.search(r"\b(BDC|EMC)\b", line) for line in drawing._code)


def test_every_layout_element_has_a_row_in_the_structure_table() -> None:
    """A new layout element fails here until `STRUCTURE` says what it is."""
    from typing import get_args

    from communique.layout import LayoutBlock, ListItem
    from communique.writers.pdf_tags import element_name

    for cls in (*get_args(LayoutBlock), ListItem):
        assert cls.__name__.lower() in STRUCTURE, f"STRUCTURE has no row for {cls.__name__}"
    assert element_name(ListItem(())) == "listitem"


def test_a_paragraph_in_another_language_carries_its_own_lang() -> None:
    from communique.writers.pdf_tags import StructureBuilder

    builder = StructureBuilder(lang="en-US")
    russian = builder.new(STRUCTURE["paragraph"], lang="ru")
    english = builder.new(STRUCTURE["paragraph"], lang="en-US")
    assert isinstance(russian, Element) and russian.lang == "ru"
    assert isinstance(english, Element) and english.lang == ""  # the document's language is said once, in the catalog
