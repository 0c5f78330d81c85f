"""Shared fixtures: the bundled sample, the public corpus, output readers."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from communique import cli
from communique.model import Document, Footnote, Inline, ListBlock, ListItem, Meta, TextBlock, plain

REPO = Path(__file__).resolve().parents[1]
SAMPLE = cli.SAMPLE
CORPUS = REPO.parent / "shared" / "corpus" / "public"


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []


def pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext reads it back."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def rich_document() -> Document:
    """A small document using every block kind and inline kind."""
    sub = ListBlock(
        "numbered_list",
        (
            ListItem("(a)", (TextBlock("paragraph", plain("first sub-item;")),)),
            ListItem("(b)", (TextBlock("paragraph", plain("second sub-item.")),)),
        ),
    )
    return Document(
        Meta(
            kind="resolution",
            title="Participation of observers",
            subtitle="adopted without a vote",
            language="en",
            issuer="General Assembly",
            reference="A/RES/80/1",
            date="2025-09-19",
            place="New York",
        ),
        (
            TextBlock("lead_in", plain("The General Assembly,")),
            TextBlock("recital", (Inline("emphasis", "Recalling"), Inline("text", " its resolutions,"))),
            TextBlock("heading", plain("Procedures"), level=1),
            TextBlock("chapeau", plain("Decides:")),
            ListBlock(
                "numbered_list",
                (
                    ListItem("1.", (TextBlock("paragraph", plain("that observers may speak:")), sub)),
                    ListItem(
                        "2.",
                        (
                            TextBlock(
                                "paragraph",
                                (Inline("strong", "Also"), Inline("text", " decides.")),
                            ),
                        ),
                    ),
                ),
            ),
            ListBlock("bullet_list", (ListItem("•", (TextBlock("paragraph", plain("a bullet")),)),)),
            TextBlock("quote", plain("“A quoted passage.”")),
            TextBlock(
                "paragraph",
                (
                    Inline("text", "See the Charter"),
                    Inline("footnote_ref", "1"),
                    Inline("text", " and "),
                    Inline("link", "the site", "https://example.org/"),
                ),
            ),
            TextBlock("closing", plain("The Assembly remains seized of the matter.")),
            TextBlock("closing_formula", plain("Respectfully,")),
            TextBlock("signature", plain("A. Person")),
            TextBlock("place_date", plain("New York, 19 September 2025")),
            TextBlock("reference", plain("A/RES/80/1")),
            TextBlock("metadata", plain("3rd plenary meeting")),
            Footnote("1", plain("See resolution 169 (II).")),
        ),
    )


# Property-based tests: a fixed, derandomised profile for CI and `make test`,
# and a long one for a deliberate hunt: HYPOTHESIS_PROFILE=long make test
settings.register_profile(
    "ci", max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=1500, derandomize=False, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
