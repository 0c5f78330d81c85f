"""Helpers the reader tests share to look inside a `Document`: every block
with its depth, list items counted, and all the text the model holds."""

from __future__ import annotations

import re
from collections.abc import Iterator

from communique.model import Block, Document, Footnote, ListBlock, TextBlock


def walk(blocks: tuple[Block, ...], depth: int = 0) -> Iterator[tuple[int, Block]]:
    """Every block with its list depth (0 at the top), items' blocks included."""
    for block in blocks:
        yield depth, block
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from walk(item.blocks, depth + 1)


def list_items(document: Document, kind: str, nested: bool | None) -> int:
    """Items of `kind` lists: top-level lists only, nested ones only, or all (None)."""
    return sum(
        len(block.items)
        for depth, block in walk(document.blocks)
        if isinstance(block, ListBlock) and block.kind == kind and (nested is None or (depth > 0) == nested)
    )


def top(document: Document, kind: str) -> list[Block]:
    """The top-level blocks of one kind (list items' blocks not included)."""
    return [block for block in document.blocks if block.kind == kind]


def top_texts(document: Document, kind: str) -> list[str]:
    """The text of the top-level text blocks of one kind."""
    return [block.text() for block in top(document, kind) if isinstance(block, TextBlock)]


def model_text(document: Document) -> str:
    """All the text the model holds: metadata lines, labels, blocks, footnotes."""
    meta = document.meta
    parts = [meta.title or "", meta.subtitle or "", meta.issuer or ""]
    for _, block in walk(document.blocks):
        if isinstance(block, ListBlock):
            parts.extend(item.label for item in block.items)
        elif isinstance(block, Footnote):
            parts.extend([block.label, block.text()])
        else:
            parts.append(block.text())
    return "\n".join(parts)


def tokens(text: str) -> list[str]:
    """Words and numbers, to check that no word of a source is lost."""
    return re.findall(r"[^\W\d_]+|\d+", text)
