"""Footnotes at the foot of the page of their mark, as Word sets them.

The body frame shrinks from the bottom as marks are placed: before a
flowable holding footnote marks is drawn, its notes (those not yet placed)
must fit below it with the separator rule, or the flowable goes on (split
to the part whose notes fit, or moved) to the next page. A note that does
not fit whole may start on the page of its mark and continue at the foot of
the next page, before that page's own notes, only when at least its first
two lines fit there; the rest of such a page is then left to the notes.
The notes are drawn when the page ends, the rule first.

A mark is found in a laid-out paragraph by its link to the note (`#note-N`,
which `paragraph_markup` writes for every mark), so a paragraph split
across pages asks for the notes of its own half only.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus.doctemplate import ActionFlowable, LayoutError

from communique.layout import NOTE_RULE
from communique.writers.pdf_marks import artifact
from communique.writers.pdf_tags import STRUCTURE

_BIG = 1e6
NOTE_LINK = "#note-"


class NoteParagraph(RLParagraph):  # type: ignore[misc]
    """A paragraph holding footnote marks: `note_ids` survive a split, so
    the half not yet laid out still says it may hold marks."""

    note_ids: tuple[str, ...] = ()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # reportlab's name
        parts: list[Flowable] = super().split(availWidth, availHeight)
        for part in parts:
            part.note_ids = self.note_ids
        return parts


class NotesFlush(Flowable):  # type: ignore[misc]
    """The story's last flowable: pages for notes still waiting to be set."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        pass


@dataclass
class _Plan:
    """Where a flowable's new notes go: `here` on this page (the last one
    perhaps a first piece), `later` to the next page; `height` the notes
    area grows by; `fills` when the notes take the rest of the page."""

    ids: list[str]
    here: list[Flowable]
    later: list[Flowable]
    height: float
    fills: bool = False


@dataclass
class NotesArea:
    """The notes of the page being set and those carried to the next."""

    notes: dict[str, Flowable]  # note ID → its paragraph (label and text), not yet placed
    width: float
    placed: set[str] = field(default_factory=set)
    here: list[Flowable] = field(default_factory=list)  # to draw at this page's foot
    carry: list[Flowable] = field(default_factory=list)  # pieces for the next page
    pages: dict[str, int] = field(default_factory=dict)  # note ID → page of its mark (1-based)
    page: int = 0

    @property
    def rule_height(self) -> float:
        return NOTE_RULE["space_before"] + NOTE_RULE["thickness"] + NOTE_RULE["space_after"]

    def height_of(self, flowable: Flowable) -> float:
        """A note's height with its space after (the last note's space after
        is left out at the page's foot, as LibreOffice does)."""
        return float(flowable.wrap(self.width, _BIG)[1]) + float(flowable.getSpaceAfter())

    def area_height(self) -> float:
        return self._total([])

    def begin_page(self, frame: Frame) -> None:
        """A new page: the notes carried over go first, as much of them as
        the page holds."""
        self.page += 1
        waiting, self.carry, self.here = self.carry, [], []
        room = frame._y2 - frame._y1 - self.rule_height
        for index, piece in enumerate(waiting):
            height = self.height_of(piece)
            if height - float(piece.getSpaceAfter()) <= room:
                self.here.append(piece)
                room -= height
                continue
            parts = piece.split(self.width, room - float(piece.getSpaceAfter())) if room > 0 else []
            if len(parts) >= 2:
                self.here.append(parts[0])
                self.carry = [*parts[1:], *waiting[index + 1 :]]
            else:
                self.carry = waiting[index:]
            if not self.here:  # not even a line fits: give up rather than loop
                raise LayoutError("a footnote cannot be set on an empty page")
            break
        frame._y1p = frame._y1 + frame._bottomPadding + self.area_height()
        if self.carry:  # the page is all notes
            frame._y1p = frame._y

    def plan(self, ids: list[str], room: float) -> _Plan | None:
        """How the notes `ids` go when `room` points are left below their
        mark's flowable; None when they cannot start on this page."""
        current = self.area_height()
        here: list[Flowable] = []
        for index, note_id in enumerate(ids):
            note = self.notes[note_id]
            if self._total([*here, note]) - current <= room + 1e-6:
                here.append(note)
                continue
            top = [*self.here, *here]  # what stands above the note in the area
            used = self._total(here) + float(top[-1].getSpaceAfter()) if top else self.rule_height
            left = room + current - used
            parts = note.split(self.width, left) if left > 0 else []
            if len(parts) < 2:
                return None
            later = [*parts[1:], *(self.notes[i] for i in ids[index + 1 :])]
            return _Plan(ids, [*here, parts[0]], later, room, fills=True)
        return _Plan(ids, here, [], self._total(here) - current)

    def _total(self, more: list[Flowable]) -> float:
        """The notes area's height with `more` notes below those placed."""
        items = [*self.here, *more]
        if not items:
            return 0.0
        return self.rule_height + sum(self.height_of(f) for f in items) - float(items[-1].getSpaceAfter())

    def commit(self, plan: _Plan) -> None:
        self.here += plan.here
        self.carry += plan.later
        for note_id in plan.ids:
            self.placed.add(note_id)
            self.pages[note_id] = self.page

    def draw(self, canvas: Canvas, frame: Frame) -> None:
        """The rule, then the notes, from the top of the notes area down."""
        if not self.here:
            return
        x = frame._x1 + frame._leftPadding
        y = frame._y1 + frame._bottomPadding + self.area_height() - NOTE_RULE["space_before"]
        with artifact(canvas, STRUCTURE["rule"]):
            canvas.saveState()
            canvas.setStrokeColor(black)
            canvas.setLineWidth(NOTE_RULE["thickness"])
            canvas.setLineCap(0)
            y -= NOTE_RULE["thickness"] / 2
            canvas.line(x, y, x + self.width * NOTE_RULE["width"], y)
            canvas.restoreState()
        y -= NOTE_RULE["thickness"] / 2 + NOTE_RULE["space_after"]
        for piece in self.here:
            height = float(piece.wrap(self.width, _BIG)[1])
            y -= height
            piece.drawOn(canvas, x, y)
            y -= float(piece.getSpaceAfter())
        self.here = []


def per_page_labels(labels: list[str], pages: list[int]) -> dict[str, str]:
    """Labels numbered 1, 2, … again on each page, from the page of each
    note's mark (notes in the order of their marks)."""
    out: dict[str, str] = {}
    count: dict[int, int] = {}
    for label, page in zip(labels, pages, strict=True):
        count[page] = count.get(page, 0) + 1
        out[label] = str(count[page])
    return out


def marks_in(flowable: Any) -> list[str]:
    """The note IDs a laid-out flowable's marks link to, in order."""
    found: list[str] = []
    _collect(flowable, found)
    return list(dict.fromkeys(found))


def may_hold_marks(flowable: Any) -> bool:
    """Whether a flowable (before layout) may hold footnote marks."""
    if getattr(flowable, "note_ids", ()):
        return True
    return any(may_hold_marks(child) for child in _children(flowable))


def _collect(flowable: Any, found: list[str]) -> None:
    if isinstance(flowable, NoteParagraph):
        paragraph = getattr(flowable, "blPara", None)
        if getattr(paragraph, "kind", 1) == 0:  # one formatting throughout: the paragraph is its marks
            found.extend(flowable.note_ids if any(getattr(paragraph, "lines", ())) else ())
            return
        lines = getattr(paragraph, "lines", ())
        for line in lines:
            for word in getattr(line, "words", ()):
                for link in getattr(word, "link", None) or ():
                    target = link[1] if isinstance(link, tuple) else getattr(link, "link", "")
                    if isinstance(target, str) and target.startswith(NOTE_LINK):
                        found.append(target[1:])
        return
    for child in _children(flowable):
        _collect(child, found)


def _children(flowable: Any) -> list[Any]:
    content = getattr(flowable, "_content", None)  # KeepTogether
    if isinstance(content, list):
        return content
    cells = getattr(flowable, "_cellvalues", None)  # Table
    if isinstance(cells, list):
        return [f for row in cells for cell in row for f in (cell if isinstance(cell, list | tuple) else [cell])]
    parts = getattr(flowable, "parts", None)  # RowFlowable
    if isinstance(parts, list):
        return parts
    return []


class NotesFrame(Frame):  # type: ignore[misc]
    """The body frame, shortened at the bottom by the page's notes."""

    area: NotesArea | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> NotesFrame:
        """reportlab copies the frame to wrap a keep-together group against
        the copy (`_listWrapOn`); a wrap places no note, so the copy shares
        the notes area instead of copying every note's paragraph (which
        made long documents with notes several times slower)."""
        copied: NotesFrame = copy.copy(self)
        for name, value in self.__dict__.items():
            if name != "area":
                setattr(copied, name, copy.deepcopy(value, memo))
        return copied

    def _reset(self) -> None:
        super()._reset()
        if self.area is not None:
            self.area.begin_page(self)

    def _space_before(self, flowable: Flowable) -> float:
        if self._atTop:
            return 0.0
        space = float(flowable.getSpaceBefore())
        return max(space - self._prevASpace, 0.0) if self._oASpace else space

    def _add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:  # reportlab's name
        area = self.area
        if isinstance(flowable, NotesFlush):
            if area is not None:
                self._unplaced(area)
            return 0 if area is not None and area.carry else 1
        if area is None or not may_hold_marks(flowable):
            return int(super()._add(flowable, canv, trySplit))
        space = self._space_before(flowable)
        bottom = float(self._y1p)  # type: ignore[has-type]
        if self._y - bottom - space <= 0:
            return 0
        flowable.canv = canv
        try:
            height = float(flowable.wrap(self._getAvailableWidth(), self._y - bottom - space)[1])
        finally:
            del flowable.canv
        ids = [i for i in marks_in(flowable) if i not in area.placed]
        if not ids:
            return int(super()._add(flowable, canv, trySplit))
        plan = area.plan(ids, self._y - space - height - bottom)
        if plan is None:
            return 0
        self._y1p = bottom + plan.height
        if not super()._add(flowable, canv, trySplit):
            self._y1p = bottom
            return 0
        area.commit(plan)
        if plan.fills:
            self._y1p = self._y
        return 1

    add = _add

    def _unplaced(self, area: NotesArea) -> None:
        """Notes whose mark was never drawn (nothing is lost): at the foot of
        the last page, or carried to a page of their own."""
        left = [note_id for note_id in area.notes if note_id not in area.placed]
        if not left:
            return
        plan = area.plan(left, self._y - self._y1p)
        if plan is None:
            area.carry += [area.notes[note_id] for note_id in left]
            area.placed.update(left)
            return
        area.commit(plan)
        self._y1p = self._y if plan.fills else self._y1p + plan.height

    def split(self, flowable: Flowable, canv: Canvas) -> list[Flowable]:
        area = self.area
        if isinstance(flowable, NotesFlush):
            return [RLPageBreak(), flowable]
        if area is None or not may_hold_marks(flowable):
            return list(super().split(flowable, canv))
        space = self._space_before(flowable)
        width = self._getAvailableWidth()
        step = float(getattr(getattr(flowable, "style", None), "leading", 0) or 6.0)
        available = self._y - self._y1p - space
        while available > 0:
            flowable._frame, flowable.canv = self, canv
            try:
                parts: list[Flowable] = flowable.split(width, available)
            finally:
                for name in ("_frame", "canv"):
                    if hasattr(flowable, name):
                        delattr(flowable, name)
            if not parts or isinstance(parts[0], RLPageBreak | ActionFlowable):
                return parts
            first = parts[0]
            first.canv = canv
            try:
                height = float(first.wrap(width, available)[1])
            finally:
                del first.canv
            ids = [i for i in marks_in(first) if i not in area.placed]
            if not ids or area.plan(ids, self._y - space - height - self._y1p) is not None:
                return parts
            available -= step
        return []
