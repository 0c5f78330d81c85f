"""Marked content drawn by reportlab: the one place that relies on its internals.

reportlab writes no structure tree, but every flowable draws through
`drawOn` and the canvas takes literal operators (`addLiteral`). So a flowable
bound to a structure element draws inside `/P <</MCID n>> BDC … EMC`, both
halves of a split are bound to the same element (a paragraph broken across
pages is one element with a piece on each page), and an artifact draws
inside `/Artifact <<…>> BDC … EMC`.

Two things below reach further into reportlab than its documented API, and
`tests/test_pdf_marks.py` fails loudly if an upgrade moves them:

- a list label is drawn by `reportlab.platypus.paragraph._drawBullet`
  before the paragraph's text; it is wrapped so the label becomes its own
  `Lbl` piece (inert unless a paragraph being drawn asked for it);
- `Paragraph.split` builds both halves with `self.__class__`, so the halves
  of a tagged paragraph are tagged too and only need their element.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable
from reportlab.platypus import paragraph as rl_paragraph

from communique.writers.pdf_tags import Element, Marks, Tag

F = TypeVar("F", bound=Flowable)


class MarkedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that numbers marked content (`marks` set) or draws plain
    (`marks` None); link annotations drawn inside an element become `Link`
    elements."""

    marks: Marks | None = None
    current: Element | None = None  # the element being drawn
    pending_label: tuple[Element, Element] | None = None  # (label, body) for the next list bullet

    def page_index(self) -> int:
        return int(self.getPageNumber()) - 1

    def linkURL(self, url: str, rect: Any, relative: int = 0, *args: Any, **kwargs: Any) -> None:  # reportlab's name
        super().linkURL(url, rect, relative, *args, **kwargs)
        if self.marks is not None and self.current is not None:
            self.marks.link(self.current, self.page_index(), url)

    def linkRect(self, contents: str, destinationname: str, *args: Any, **kwargs: Any) -> None:  # reportlab's name
        """A link inside the document (a footnote mark to its note)."""
        super().linkRect(contents, destinationname, *args, **kwargs)
        if self.marks is not None and self.current is not None:
            description = self.marks.notes.descriptions.get(destinationname, destinationname)
            self.marks.link(self.current, self.page_index(), description, destinationname)


@contextmanager
def artifact(canvas: Canvas, tag: Tag) -> Iterator[None]:
    """Whatever is drawn inside the `with` is an artifact (headers, footers),
    with no marked content of its own inside."""
    marks = getattr(canvas, "marks", None)
    if marks is None:
        yield
        return
    canvas.addLiteral(marks.begin(tag, canvas.getPageNumber() - 1))
    canvas.marks = None
    try:
        yield
    finally:
        canvas.marks = marks
        canvas.addLiteral("EMC")


def mark(flowable: F, target: Element | Tag, label: Element | None = None) -> F:
    """Bind `flowable` to a structure element (or an artifact tag); `label`
    is the `Lbl` element for the list bullet this paragraph draws."""
    flowable.__class__ = _marked_class(type(flowable))
    flowable._tag_target = target
    flowable._tag_label = label
    return flowable


class _Marked:
    """Mixed in before a flowable class: draws inside a marked-content sequence."""

    _tag_target: Element | Tag
    _tag_label: Element | None = None

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # reportlab's name
        marks: Marks | None = getattr(canvas, "marks", None)
        draw: Callable[..., None] = super().drawOn  # type: ignore[misc]
        if marks is None:
            draw(canvas, x, y, _sW=_sW)
            return
        target = self._tag_target
        if isinstance(target, Tag):
            with artifact(canvas, target):
                draw(canvas, x, y, _sW=_sW)
            return
        outer = canvas.current
        canvas.current = target
        if self._tag_label is not None:  # the bullet hook opens the label's piece, then the paragraph's
            canvas.pending_label = (self._tag_label, target)
        else:
            canvas.addLiteral(marks.begin(target, canvas.page_index()))
        try:
            draw(canvas, x, y, _sW=_sW)
        finally:
            canvas.current = outer
        if canvas.pending_label is not None:
            raise RuntimeError("reportlab drew a list item without passing its label through _drawBullet")
        canvas.addLiteral("EMC")

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # reportlab's name
        parts: list[Flowable] = super().split(availWidth, availHeight)  # type: ignore[misc]
        for index, part in enumerate(parts):
            if part is not self:
                mark(part, self._tag_target, self._tag_label if index == 0 else None)
        return parts


_MARKED_CLASSES: dict[type, type] = {}


def _marked_class(cls: type) -> type:
    """The flowable class with `_Marked` mixed in, made once per class."""
    if issubclass(cls, _Marked):
        return cls
    if cls not in _MARKED_CLASSES:
        _MARKED_CLASSES[cls] = type(f"Marked{cls.__name__}", (_Marked, cls), {})
    return _MARKED_CLASSES[cls]


# ---------------------------------------------------------------- list labels

_draw_bullet = rl_paragraph._drawBullet


def _draw_labelled_bullet(canvas: Canvas, *args: Any, **kwargs: Any) -> Any:
    """reportlab's bullet drawing, with the label as its own `Lbl` piece
    when the paragraph being drawn asked for one."""
    pending = getattr(canvas, "pending_label", None)
    marks = getattr(canvas, "marks", None)
    if pending is None or marks is None:
        return _draw_bullet(canvas, *args, **kwargs)
    label, body = pending
    canvas.pending_label = None
    page = canvas.getPageNumber() - 1
    canvas.addLiteral(marks.begin(label, page))
    try:
        return _draw_bullet(canvas, *args, **kwargs)
    finally:
        canvas.addLiteral("EMC")
        canvas.addLiteral(marks.begin(body, page))


rl_paragraph._drawBullet = _draw_labelled_bullet
