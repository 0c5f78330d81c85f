"""A layout tree as readable text, for the per-template snapshots in
tests/snapshots/: one line per style, block and run group, so a change of
looks shows up in review as a small diff.

Regenerate after a deliberate change of looks:

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_templates.py -k snapshot
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from communique.layout import Grid, Image, Layout, LayoutBlock, List, PageBreak, Paragraph, Row, Rule, Run, Spacer


def _pt(value: float) -> str:
    return f"{value:.1f}pt"


def _non_default(obj: Any, skip: tuple[str, ...] = ("name",)) -> str:
    parts = []
    for f in fields(obj):
        value = getattr(obj, f.name)
        if f.name in skip or value == f.default:
            continue
        parts.append(f"{f.name}={_pt(value) if isinstance(value, float) else value}")
    return " ".join(parts)


def _runs(runs: tuple[Run, ...]) -> str:
    out = []
    for run in runs:
        marks = [name for name in ("bold", "italic", "underline", "superscript") if getattr(run, name)]
        if run.role:
            marks.append(run.role)
        if run.lang:
            marks.append(f"lang={run.lang}")
        if run.href:
            marks.append(f"href={run.href}")
        text = f"<{run.field}>" if run.field else repr(run.text)
        out.append(f"[{' '.join(marks)} {text}]" if marks else text)
    return " ".join(out)


def _blocks(blocks: tuple[LayoutBlock, ...], depth: int) -> list[str]:
    pad = "  " * depth
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lang = f" lang={block.lang}" if block.lang else ""
            narrow = f" narrow={_pt(block.narrow)}" if block.narrow else ""
            out.append(f"{pad}p {block.style}{lang}{narrow}: {_runs(block.runs)}")
        elif isinstance(block, Row):
            parts = " | ".join(_runs(part) for part in block.parts())
            out.append(f"{pad}row {block.style}: {parts}")
        elif isinstance(block, Grid):
            out.append(f"{pad}grid {' '.join(_pt(w) for w in block.widths)}")
            for r, row in enumerate(block.rows, start=1):
                for c, cell in enumerate(row, start=1):
                    out.append(f"{pad}  cell {r}.{c}")
                    out.extend(_blocks(cell, depth + 2))
        elif isinstance(block, List):
            extra = " ".join(f"{k}={v}" for k, v in (("format", block.format), ("label", block.label)) if v)
            out.append(f"{pad}list {block.style} start={block.start} {extra}".rstrip())
            for n, item in enumerate(block.items, start=block.start):
                out.append(f"{pad}  item {n}")
                out.extend(_blocks(item.blocks, depth + 2))
        elif isinstance(block, Image):
            out.append(f"{pad}image {block.src.name} alt={block.alt!r}")
        elif isinstance(block, Rule):
            out.append(f"{pad}rule {_non_default(block, ())}".rstrip())
        elif isinstance(block, Spacer):
            out.append(f"{pad}spacer {_pt(block.height)}")
        elif isinstance(block, PageBreak):
            out.append(f"{pad}page-break")
    return out


def layout_snapshot(layout: Layout) -> str:
    page = layout.page
    info = layout.info
    lines = [
        f"page {_pt(page.width)} x {_pt(page.height)}, margins {_pt(page.margin_top)} {_pt(page.margin_right)} "
        f"{_pt(page.margin_bottom)} {_pt(page.margin_left)}",
        f"info lang={info.lang} subject={info.subject} keywords={info.keywords!r} date={info.date}",
        *(f"property {name} = {value}" for name, value in info.properties),
        *(f"style {name}: {_non_default(style)}" for name, style in layout.styles.items()),
        *(f"list-style {name}: {_non_default(style)}" for name, style in layout.list_styles.items()),
    ]
    for kind, parts in (("header", layout.headers), ("footer", layout.footers)):
        for pages, blocks in parts.items():
            lines.append(f"{kind} {pages}")
            lines.extend(_blocks(blocks, 1))
    lines.append("body")
    lines.extend(_blocks(layout.body, 1))
    return "\n".join(lines) + "\n"
