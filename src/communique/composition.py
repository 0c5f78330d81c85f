"""Composition rules on text both writers share: where a line must not
break, and titles balanced over their lines.

The writers bind with no-break spaces; the DOCX reader, reading one of our
own files, loosens exactly those again, so the model round-trips.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from communique.readers.dates import month_number

if TYPE_CHECKING:
    from communique.layout import Layout, LayoutBlock, Paragraph

NBSP = "\u00a0"
# A day and its month word ("12 September", "«11» января", "11-nji ýanwar"),
# not the end of a range ("18-19 Nisan", where a line may break after the
# hyphen), a month word and its day ("September 12", "szeptember 17"), and "№ 439".
_DAY_MONTH = re.compile(r"(?<![\d.,\-–])(\d{1,2}(?:st|nd|rd|th|-[^\W\d_]{1,5}|\.)?[»\"”]?) ([^\W\d_]+)")
_MONTH_DAY = re.compile(r"([^\W\d_]+) (\d{1,2})(?![\d.,]\d)")
_NUMERO = re.compile(r"№ (?=\d)")


def bind_spaces(text: str) -> str:
    """No-break spaces where a line must not break: between a day and its
    month and after "№", so "12 / September" never ends and starts a line."""

    def day_month(match: re.Match[str]) -> str:
        day, word = match.groups()
        return f"{day}{NBSP}{word}" if month_number(word) else match.group(0)

    def month_day(match: re.Match[str]) -> str:
        word, day = match.groups()
        return f"{word}{NBSP}{day}" if month_number(word) else match.group(0)

    return _NUMERO.sub("№" + NBSP, _MONTH_DAY.sub(month_day, _DAY_MONTH.sub(day_month, text)))


def unbind_spaces(text: str) -> str:
    """`text` with the no-break spaces `bind_spaces` would have put there
    turned back into spaces; other no-break spaces stay."""
    bound = bind_spaces(text.replace(NBSP, " "))
    return "".join(" " if ours == NBSP and char == NBSP else char for char, ours in zip(text, bound, strict=True))


# Roles whose paragraphs are titles, balanced when they break.
TITLE_ROLES = ("meta.title", "meta.subtitle")
# Points given back to a balanced title's measure, so a rounding (Word counts
# in twips) or a wider fallback glyph never costs it a line.
_BALANCE_SLACK = 2.0


def balance_titles(layout: Layout) -> Layout:
    """Titles that break over lines, their measure narrowed to the shortest
    that keeps their number of lines: the lines come out of even length and
    no last line holds a lone word. Both writers break lines the same way,
    so the narrowing (`Paragraph.narrow`) gives the same lines in each."""
    from communique.layout import Paragraph

    titles = {name for name, role in layout.roles.items() if role in TITLE_ROLES}
    if not titles:
        return layout
    body: list[LayoutBlock] = [
        _balanced(b, layout) if isinstance(b, Paragraph) and b.style in titles else b for b in layout.body
    ]
    return replace(layout, body=tuple(body))


def _balanced(paragraph: Paragraph, layout: Layout) -> Paragraph:
    style = layout.styles[paragraph.style]
    if style.align == "justify" or any(run.text == "\n" for run in paragraph.runs):
        return paragraph  # a justified title fills its lines; the author's own breaks stay
    full = layout.page.frame_width - style.indent_left - style.indent_right
    lines = _line_count(paragraph, layout, full)
    if lines < 2:
        return paragraph
    low, high = full / lines, full  # the narrowest measure that keeps the count lies between
    while high - low > 0.5:
        middle = (low + high) / 2
        if _line_count(paragraph, layout, middle) <= lines:
            high = middle
        else:
            low = middle
    narrow = full - high - _BALANCE_SLACK
    return replace(paragraph, narrow=round(narrow, 1)) if narrow >= 1 else paragraph


def _line_count(paragraph: Paragraph, layout: Layout, width: float) -> int:
    """How many lines the PDF writer breaks the paragraph into at `width`."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as RLParagraph

    from communique.writers.pdf import paragraph_markup, paragraph_style

    style = layout.styles[paragraph.style]
    measure = ParagraphStyle("measure", parent=paragraph_style(style), leftIndent=0, rightIndent=0)
    drawn = RLParagraph(paragraph_markup(paragraph.runs, style), measure)
    drawn.wrap(width, 10_000)
    return len(drawn.blPara.lines)
