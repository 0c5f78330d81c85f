"""`--format md`: Markdown with front matter that the Markdown reader publishes back to the same model."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique import cli
from communique.errors import CommuniqueError
from communique.model import Document, Footnote, Inline, ListBlock, ListItem, Meta, TextBlock, plain
from communique.readers import markdown as reader
from communique.writers import markdown as writer


def again(document: Document) -> Document:
    return reader.read(writer.write(document), "corrected.md")


def test_tricky_text_survives(rich_document: Document) -> None:
    tricky = "1. *not* a list, # not a heading, [^9] not a note, <b>&amp;</b> \\ `code` {.recital} _x_"
    document = Document(
        Meta(kind="resolution", title="T", language="en", date="2022-01-11", reference="057"),
        (
            TextBlock("paragraph", plain(tricky)),
            TextBlock("recital", plain("- Recalling,")),
            TextBlock("heading", plain("Section"), level=2),
            TextBlock("quote", plain("> quoted")),
        ),
    )
    assert again(document) == document
    assert again(rich_document) == rich_document


def test_labels_markdown_cannot_write_are_kept_in_a_mark() -> None:
    sub = ListBlock("numbered_list", (ListItem("(a)", (TextBlock("paragraph", plain("first;")),)),))
    items = (
        ListItem("3.", (TextBlock("paragraph", plain("Decides:")), sub)),
        ListItem("§ 4", (TextBlock("paragraph", plain("Requests.")),)),
    )
    bullets = ListBlock("bullet_list", (ListItem("–", (TextBlock("paragraph", plain("dash")),)),))
    document = Document(Meta(), (ListBlock("numbered_list", items), bullets))
    text = writer.write(document).decode()
    assert '{label="(a)"}' in text and '{label="§ 4"}' in text and '{label="–"}' in text
    assert again(document) == document


def test_footnotes_and_styles_survive() -> None:
    content = (Inline("text", "See "), Inline("strong", "this"), Inline("footnote_ref", "1"), Inline("text", "."))
    document = Document(Meta(), (TextBlock("closing", content), Footnote("1", plain("A note."))))
    assert again(document) == document


def test_a_corrected_role_is_published() -> None:
    document = Document(Meta(), (TextBlock("heading", plain("Nth plenary meeting")),))
    corrected = writer.write(document).decode().replace("## Nth plenary meeting", "Nth plenary meeting {.metadata}")
    assert reader.read(corrected.encode(), "x.md").blocks == (TextBlock("metadata", plain("Nth plenary meeting")),)


def test_an_unknown_role_mark_names_the_line() -> None:
    with pytest.raises(CommuniqueError, match=r"x\.md:3: unknown role mark \{\.recitle\}"):
        reader.read(b"---\n---\nRecalling, {.recitle}\n", "x.md")


def test_build_writes_markdown_and_inspect_shows_roles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "text.txt"
    source.write_text("No: 57\n\nStatement\n\nRecalling its resolutions,\n\n1. Decides to act.\n", encoding="utf-8")
    assert cli.main(["build", str(source), "--format", "md", "--out", str(tmp_path / "out")]) == 0
    written = (tmp_path / "out" / "text.md").read_text(encoding="utf-8")
    assert written.startswith("---\n") and "Recalling its resolutions, {.recital}" in written
    capsys.readouterr()
    assert cli.main(["inspect", str(source)]) == 0
    shown = capsys.readouterr().out
    assert "reference: 57" in shown and "recital" in shown and "numbered_list" in shown
    assert cli.main(["inspect", str(tmp_path / "missing.txt")]) == 1
