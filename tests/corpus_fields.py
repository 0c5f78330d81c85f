"""What a corpus `index.json` entry says about a text, and what the reader
found in it, as the same fields, counted by the corpus README's rules.

One counter for the corpus tests and for `benchmarks/reader_eval.py`.
Block kinds are counted at the top level, except list items: items of
top-level numbered lists are numbered paragraphs, items of nested numbered
lists are sub-items, bullet items count wherever they are. `paragraphs` are
the intro paragraphs plus the body paragraphs where the text has an
operative part; where it has none, index.json counts the same paragraphs as
both intro and body.
"""

from __future__ import annotations

import re
from typing import Any

from communique.model import Document, TextBlock
from tests.model_walk import list_items, top

# Role counts: the number of blocks of each role.
COUNTS = (
    "preamble_clauses",
    "chapeau_lines",
    "numbered_paragraphs",
    "sub_items",
    "bullet_items",
    "headings",
    "footnotes",
    "paragraphs",
    "closing_paragraphs",
    "quoted_paragraphs",
)
# Roles a text has once or not at all: a string as written, or a yes/no.
TEXTS = ("title", "lead_in", "closing_formula")
FLAGS = ("has_reference_number", "has_signature", "has_place_date_line")

# The structure fields: what must be right for a text's structure to be
# right (the paragraph counts are scored as roles but left out here, since
# a split or merged body paragraph does not change the structure).
# Order: as a reader meets them (title, lead-in, the counted roles, the
# closing formula, the flags).
_PROSE = ("paragraphs", "closing_paragraphs", "quoted_paragraphs")
STRUCTURE = (
    *TEXTS[:2],
    *(field for field in COUNTS if field not in _PROSE),
    TEXTS[2],
    *FLAGS,
)

Fields = dict[str, int | str | bool | None]


def has_operative_part(entry: dict[str, Any]) -> bool:
    """Whether the labelled text has an operative part (so its body
    paragraphs are counted apart from its intro paragraphs)."""
    return bool(entry["numbered_paragraphs"] or entry["chapeau_lines"] or entry["preamble_clauses"])


def expected(entry: dict[str, Any]) -> Fields:
    """The fields an index.json entry labels."""
    body = entry.get("body_paragraphs", 0)
    paragraphs = entry["intro_paragraphs"] + body if has_operative_part(entry) else entry["intro_paragraphs"]
    fields: Fields = {key: entry.get(key, 0) for key in COUNTS}
    fields["paragraphs"] = paragraphs
    fields |= {key: entry.get(key) for key in TEXTS}
    fields |= {key: bool(entry[key]) for key in FLAGS}
    return fields


def found(document: Document) -> Fields:
    """The same fields as the reader found them in `document`."""

    def texts(kind: str) -> list[str]:
        return [block.text() for block in top(document, kind) if isinstance(block, TextBlock)]

    lead_ins, formulae = texts("lead_in"), texts("closing_formula")
    return {
        "preamble_clauses": len(top(document, "recital")),
        "chapeau_lines": len(top(document, "chapeau")),
        "numbered_paragraphs": list_items(document, "numbered_list", nested=False),
        "sub_items": list_items(document, "numbered_list", nested=True),
        "bullet_items": list_items(document, "bullet_list", nested=None),
        "headings": len(top(document, "heading")),
        "footnotes": len(top(document, "footnote")),
        "paragraphs": len(top(document, "paragraph")),
        "closing_paragraphs": len(top(document, "closing")),
        "quoted_paragraphs": len(top(document, "quote")),
        "title": document.meta.title,
        # Several lead-ins or formulae where the text has one: wrong, kept visible.
        "lead_in": " | ".join(lead_ins) or None,
        "closing_formula": " | ".join(formulae) or None,
        "has_reference_number": document.meta.reference is not None,
        "has_signature": bool(top(document, "signature")),
        "has_place_date_line": bool(top(document, "place_date")),
    }


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def same_title(want: str | None, got: str | None) -> bool:
    """The title is right as written; a reader may split a reference number
    and a date out of a title line ("No: 57, 22 Şubat 2022, … hk."), so the
    rest of the line alone is right too when what was split off is short
    (at most eight words) and holds a digit."""
    if want is None or got is None:
        return want == got
    want, got = _squeeze(want), _squeeze(got)
    if want == got:
        return True
    if not got or got not in want:
        return False
    left, _, right = want.partition(got)
    split_off = left + right
    return bool(re.search(r"\d", split_off)) and len(split_off.split()) <= 8


def field_right(key: str, want: int | str | bool | None, got: int | str | bool | None) -> bool:
    """Whether the reader got one field right."""
    if key == "title":
        return same_title(want if isinstance(want, str) else None, got if isinstance(got, str) else None)
    if key in TEXTS:
        return (_squeeze(want) if isinstance(want, str) else want) == (_squeeze(got) if isinstance(got, str) else got)
    return want == got
