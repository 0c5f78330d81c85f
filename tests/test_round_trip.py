"""Our own DOCX reads back to exactly the model that wrote it: tabs and
runs of spaces, a language only where the source gave one, empty list
items; and a foreign file's stale core title (a template's name, a
placeholder) is not taken for the document's."""

from __future__ import annotations

import io

import docx
import pytest

from communique.model import Document, Inline, ListBlock, ListItem, Meta, TextBlock, plain
from communique.publish import Options, render_outputs
from communique.readers import docxfile
from communique.render import find_template


def round_trip(document: Document) -> Document:
    data = render_outputs(document, Options(find_template("statement"), formats=("docx",)))["docx"]
    return docxfile.read(data, "ours.docx")


def test_tabs_and_runs_of_spaces_are_kept() -> None:
    content = (Inline("text", "Item\tone and   three spaces, "), Inline("strong", "bold\tafter a tab"))
    document = Document(Meta(title="Spaces"), (TextBlock("paragraph", content),))
    assert round_trip(document).blocks == document.blocks


@pytest.mark.parametrize("language", [None, "tr", "kk-Latn"])
def test_the_language_comes_back_only_where_the_source_gave_one(language: str | None) -> None:
    document = Document(Meta(title="Language", language=language), (TextBlock("paragraph", plain("Text.")),))
    assert round_trip(document).meta == document.meta


def test_empty_list_items_are_kept() -> None:
    items = tuple(
        ListItem(f"{n}.", (TextBlock("paragraph", plain(f"Item {n}")),) if n != 2 else ()) for n in range(1, 4)
    )
    document = Document(
        Meta(title="Lists"), (TextBlock("paragraph", plain("Intro")), ListBlock("numbered_list", items))
    )
    assert round_trip(document).blocks == document.blocks


@pytest.mark.parametrize(
    ("stale", "kept"),
    [("Normal.dot", False), ("Microsoft Word - memo.doc", False), ("[Title]", False), ("Document1", False),
     ("Annual budget 2024", True)],
)  # fmt: skip
def test_a_stale_core_title_is_not_taken(stale: str, kept: bool) -> None:
    word = docx.Document()
    word.core_properties.title = stale
    word.add_paragraph("The committee met on Monday and agreed on the budget for the coming year.")
    buffer = io.BytesIO()
    word.save(buffer)
    assert docxfile.read(buffer.getvalue(), "foreign.docx").meta.title == (stale if kept else None)
