"""Archival post-processing of reportlab's PDF (see issue: PDF/A-3u)."""

from __future__ import annotations

from communique.layout import Layout


def finalize(pdf: bytes, layout: Layout) -> bytes:
    """Temporary pass-through; replaced by the PDF/A-3u post-processor."""
    del layout
    return pdf
