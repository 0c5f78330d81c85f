"""What the reader understood: each block with its role and confidence, and the metadata.

`communique inspect FILE` prints this, so a user sees at a glance which
line was taken for a title, a recital, a signature, and how sure the
reader was; `--format md` then lets them correct a role and publish again.
"""

from __future__ import annotations

from communique.model import Block, Document, Footnote, ListBlock, Table, TextBlock, block_text, meta_to_dict

_WIDTH = 100  # characters of a block's text shown


def describe(document: Document) -> str:
    """The metadata, then one line per block: confidence, role, text."""
    lines = ["metadata:"]
    for name, value in meta_to_dict(document.meta).items():
        if _says_something(value):
            lines.append(f"  {name}: {value}")
    lines.append("blocks:")
    for block in document.blocks:
        lines.extend(_block(block, depth=0))
    return "\n".join(lines) + "\n"


def _says_something(value: object) -> bool:
    if isinstance(value, dict):
        return any(_says_something(v) for v in value.values())
    return value not in (None, "", [])


def _sure(block: Block) -> str:
    return "  -  " if block.confidence is None else f"{block.confidence:.2f}"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"


def _block(block: Block, depth: int, label: str = "") -> list[str]:
    indent = "  " * (depth + 1)
    if isinstance(block, ListBlock):
        out = [f"{indent}{_sure(block)}  {block.kind} ({len(block.items)} items)"]
        for item in block.items:
            for number, inner in enumerate(item.blocks):
                out.extend(_block(inner, depth + 1, item.label if number == 0 else ""))
        return out
    if isinstance(block, Footnote):
        return [f"{indent}{_sure(block)}  footnote [{block.label}] {_short(block.text())}"]
    if isinstance(block, Table):
        out = [f"{indent}{_sure(block)}  table ({len(block.rows)} rows, {block.columns} columns)"]
        for row in block.rows:
            out.append(f"{indent}  | " + " | ".join(_short(" ".join(block_text(b) for b in c.blocks)) for c in row))
        return out
    assert isinstance(block, TextBlock)
    role = f"heading {block.level}" if block.kind == "heading" else block.kind
    shown = f"{label} " if label else ""
    return [f"{indent}{_sure(block)}  {role:<16} {shown}{_short(block.text())}"]
