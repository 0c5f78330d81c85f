"""Writers: one per output format, each turning a document into bytes.

PDF and DOCX draw the same layout tree; JSON writes the model itself. The
PDF and DOCX writers are imported on first use: reportlab, pikepdf and
python-docx are slow to import, and a build pays only for what it writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from communique.layout import Layout
from communique.model import Document, to_dict


def model_json(document: Document) -> bytes:
    """The document model as pretty, stable JSON (UTF-8, not ASCII-escaped)."""
    return (json.dumps(to_dict(document), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _pdf(layout: Layout) -> bytes:
    from communique.writers import pdf

    return pdf.write(layout)


def _docx(layout: Layout) -> bytes:
    from communique.writers import docx

    return docx.write(layout)


LayoutWriter = Callable[[Layout], bytes]

# Formats drawn from the layout tree; "json" is written from the model.
LAYOUT_WRITERS: dict[str, LayoutWriter] = {"pdf": _pdf, "docx": _docx}
FORMATS: tuple[str, ...] = ("pdf", "docx", "json")
