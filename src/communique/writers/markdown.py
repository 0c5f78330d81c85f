"""The document model as Markdown with YAML front matter, to correct and publish again.

The metadata goes into the front matter; each block into CommonMark that
the Markdown reader (`readers/markdown.py`) reads back to the same model:

- a block's role, where Markdown has no syntax for it, as a mark at the end
  of its paragraph: `Recalling its resolutions, {.recital}`; a user who
  finds a role misread changes the mark and publishes again;
- headings as `##` (level 1) … ; quotes as `> …`;
- numbered lists as `1.`, `2.` … and bullet lists as `-`, with the label
  as written in a mark where Markdown cannot write it: `1. … {label="(a)"}`;
- footnotes as `[^1]` and `[^1]: …`;
- text escaped so that nothing in it is read as Markdown.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from communique.model import (
    Block,
    Content,
    Document,
    Footnote,
    Inline,
    ListBlock,
    ListItem,
    Meta,
    Picture,
    Table,
    TableCell,
    TextBlock,
    block_text,
    meta_to_dict,
    plain,
)
from communique.render import data_uri

# Roles Markdown writes with its own syntax; every other text role gets a mark.
_NATIVE = frozenset({"heading", "quote"})
_PLAIN_LABEL = re.compile(r"\d{1,9}[.)]")
_ALWAYS = re.compile(r"([\\`*_\[\]<>&{}])")
_AT_START = re.compile(r"^([#>+=|~-])")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")  # a pipe inside a table cell
_NUMBER_AT_START = re.compile(r"^(\d{1,9})([.)])")


def write(document: Document) -> bytes:
    """Markdown with YAML front matter, UTF-8."""
    parts = [_front_matter(document.meta)]
    notes = [block for block in document.blocks if isinstance(block, Footnote)]
    for block in document.blocks:
        if not isinstance(block, Footnote):
            parts.append(_block(block, indent=""))
    parts.extend(f"[^{note.label}]: {_content(note.content)}" for note in notes)
    return ("\n\n".join(part for part in parts if part) + "\n").encode("utf-8")


def _front_matter(meta: Meta) -> str:
    values = {name: value for name, value in meta_to_dict(meta).items() if _given(value)}
    text = yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=10_000, default_style=None)
    return f"---\n{text}---"


def _given(value: Any) -> bool:
    """Whether a metadata value says something (not null, not an empty list or record)."""
    if isinstance(value, dict):
        return any(_given(v) for v in value.values())
    return value not in (None, "", [])


def escape(text: str) -> str:
    """`text` with everything Markdown would read as markup backslash-escaped."""
    text = _ALWAYS.sub(r"\\\1", text)
    text = _AT_START.sub(r"\\\1", text)
    return _NUMBER_AT_START.sub(r"\1\\\2", text)


def _content(content: Content) -> str:
    out: list[str] = []
    for run in content:
        text = escape(run.text)
        if run.kind == "emphasis" and run.text.strip():
            out.append(f"*{text}*")
        elif run.kind == "strong" and run.text.strip():
            out.append(f"**{text}**")
        elif run.kind == "link" and run.href is not None:
            out.append(f"[{text}](<{run.href.replace('>', '%3E')}>)")
        elif run.kind == "footnote_ref":
            out.append(f"[^{run.text}]")
        else:
            out.append(text)
    return "".join(out)


def _mark(role: str | None = None, label: str | None = None) -> str:
    """The mark at the end of a paragraph: ` {.recital label="(a)"}`."""
    parts = ([f".{role}"] if role else []) + ([f'label="{label}"'] if label is not None else [])
    return f" {{{' '.join(parts)}}}" if parts else ""


def _block(block: Block, indent: str, *, nested: bool = False, label: str | None = None) -> str:
    """One block at `indent`; `nested` inside a list item (where a paragraph
    needs no mark: the reader leaves item paragraphs as they are)."""
    if isinstance(block, ListBlock):
        return _list(block, indent)
    if isinstance(block, Footnote):  # only at the top level
        return ""
    if isinstance(block, Table):
        return _table(block, indent)
    if isinstance(block, Picture):
        return f"{indent}![{escape(block.alt)}]({data_uri(block)})"
    text = _content(block.content)
    if not nested and block.kind == "heading":
        return f"{'#' * min(block.level + 1, 6)} {text}"
    if not nested and block.kind == "quote":
        return f"> {text}"
    role = None if (nested and block.kind == "paragraph") else block.kind
    return f"{indent}{text}{_mark(role, label)}"


def _table(block: Table, indent: str) -> str:
    """A pipe table: a cell's blocks on one line, its pipes escaped; the
    first row is the header row Markdown requires (spans are not kept)."""
    rows = [
        [_UNESCAPED_PIPE.sub(r"\\|", _content(_cell_content(cell))) for cell in row] + [""] * (block.columns - len(row))
        for row in block.rows
    ]
    if not rows:
        return ""
    lines = [rows[0], ["---"] * block.columns, *rows[1:]]
    return "\n".join(f"{indent}| " + " | ".join(line) + " |" for line in lines)


def _cell_content(cell: TableCell) -> Content:
    """A cell's text runs, blocks joined by a space (nested lists as text)."""
    runs: list[Inline] = []
    for inner in cell.blocks:
        if runs:
            runs.append(Inline("text", " "))
        runs.extend(inner.content if isinstance(inner, TextBlock) else plain(block_text(inner)))
    return tuple(runs)


def _list(block: ListBlock, indent: str) -> str:
    delimiter = "."
    if block.kind == "numbered_list" and block.items and _PLAIN_LABEL.fullmatch(block.items[0].label):
        delimiter = block.items[0].label[-1]
    return "\n\n".join(
        _item(block, item, number, indent, delimiter) for number, item in enumerate(block.items, start=1)
    )


def _item(block: ListBlock, item: ListItem, number: int, indent: str, delimiter: str) -> str:
    if block.kind == "numbered_list":
        plain_label = _PLAIN_LABEL.fullmatch(item.label) and item.label.endswith(delimiter)
        marker = item.label if plain_label else f"{number}{delimiter}"
    else:
        marker = "-"
    label = None if marker == item.label else item.label
    inner = indent + " " * (len(marker) + 1)
    first = item.blocks[0] if item.blocks else None
    if isinstance(first, TextBlock):
        head, rest = _block(first, "", nested=True, label=label), item.blocks[1:]
    else:  # an item opening with a list, or empty: the mark alone keeps its label
        head, rest = _mark(None, label).strip() or "{}", item.blocks
    parts = [f"{indent}{marker} {head}"] + [_block(b, inner, nested=True) for b in rest]
    return "\n\n".join(parts)
