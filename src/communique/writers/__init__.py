"""Writers: one per output format, each turning a document into bytes.

PDF and DOCX draw the same layout tree; JSON and Markdown write the model itself. The
PDF and DOCX writers are imported on first use: reportlab, pikepdf and
python-docx are slow to import, and a build pays only for what it writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

if TYPE_CHECKING:  # the layout and the model are loaded by the build, not by `--help`
    from communique.layout import Layout
    from communique.model import Document


def model_json(document: Document) -> bytes:
    """The document model as pretty, stable JSON (UTF-8, not ASCII-escaped)."""
    from communique.model import to_dict

    return (json.dumps(to_dict(document), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@dataclass(frozen=True)
class PdfProfile:
    """A PDF variant: the PDF/A part and conformance level it claims, and
    the PDF/UA part (tagged files only)."""

    description: str
    part: int
    conformance: str  # "A" (accessible: tagged) or "U" (Unicode text only)
    ua_part: int | None = None

    @property
    def tagged(self) -> bool:
        return self.conformance == "A"

    @property
    def verapdf_profiles(self) -> tuple[str, ...]:
        """The veraPDF profiles that check this variant."""
        own = f"{self.part}{self.conformance.lower()}"
        return (own, f"ua{self.ua_part}") if self.ua_part else (own,)


# The PDF variants `--pdf-profile` offers.
PDF_PROFILES: dict[str, PdfProfile] = {
    "3a": PdfProfile("PDF/A-3a and PDF/UA-1: tagged, for screen readers and archives", 3, "A", 1),
    "3u": PdfProfile("PDF/A-3u: archival, untagged", 3, "U"),
}
DEFAULT_PDF_PROFILE = "3a"


@dataclass(frozen=True)
class WriterOptions:
    """What a writer may be asked beyond the layout."""

    pdf_profile: str = DEFAULT_PDF_PROFILE


def _pdf(layout: Layout, options: WriterOptions) -> Written:
    from communique.writers import pdf

    return Written(*pdf.write_paged(layout, options.pdf_profile))


def _docx(layout: Layout, options: WriterOptions) -> Written:
    from communique.writers import docx

    return Written(docx.write(layout))


def _markdown(document: Document) -> bytes:
    from communique.writers import markdown

    return markdown.write(document)


class Written(NamedTuple):
    """A layout writer's file, and its page count where the format has pages
    of its own (a PDF; Word paginates when it opens the file)."""

    data: bytes
    pages: int | None = None


LayoutWriter: TypeAlias = "Callable[[Layout, WriterOptions], Written]"
ModelWriter: TypeAlias = "Callable[[Document], bytes]"

# Formats drawn from the layout tree, and formats written from the model
# itself ("md": Markdown with front matter, to correct roles and publish again).
LAYOUT_WRITERS: dict[str, LayoutWriter] = {"pdf": _pdf, "docx": _docx}
MODEL_WRITERS: dict[str, ModelWriter] = {"json": model_json, "md": _markdown}
FORMATS: tuple[str, ...] = ("pdf", "docx", "json", "md")
