"""Shared fixtures: the bundled sample, the public corpus, output readers."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from communique import cli
from communique.model import Block, Document, Footnote, Inline, ListBlock, ListItem, Meta, TextBlock, plain

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


def pdf_bytes_text(data: bytes) -> str:
    """A PDF's text in memory as `pdftotext -raw` reads it back."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, check=True, capture_output=True).stdout.decode()


def docx_bytes_text(data: bytes) -> str:
    """A DOCX's paragraph text in memory, a footnote reference Word numbers
    as its number (our footnotes' ids are their numbers), then the text of
    its footnotes (word/footnotes.xml, separators aside)."""
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def text(paragraph: etree._Element) -> str:
        out = []
        for node in paragraph.iter(f"{w}t", f"{w}tab", f"{w}br", f"{w}footnoteReference"):
            if node.tag == f"{w}t":
                out.append(node.text or "")
            elif node.tag == f"{w}footnoteReference":
                out.append("" if node.get(f"{w}customMarkFollows") == "1" else node.get(f"{w}id", ""))
            else:
                out.append("\t" if node.tag == f"{w}tab" else "\n")
        return "".join(out)

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = etree.fromstring(package.read("word/document.xml"))
        lines = [text(p) for p in body.iter(f"{w}p")]
        if "word/footnotes.xml" in package.namelist():
            lines += [text(p) for p in etree.fromstring(package.read("word/footnotes.xml")).iter(f"{w}p")]
    return "\n".join(lines)


def libreoffice(source: Path, out: Path, target: str = "pdf") -> Path:
    """LibreOffice's conversion of `source` (`pdf`, or a filter such as
    `docx:MS Word 2007 XML`) into the folder `out`, with a profile of its
    own beside it so parallel runs never share one; skips without LibreOffice."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = out.parent / f"{out.name}-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target,
         "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out / f"{source.stem}.{target.split(':')[0]}"


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


def long_document() -> Document:
    """A document of several pages built here: headings on three levels,
    operative paragraphs with nested sub-items, a bullet list, a quotation,
    a link, and eight footnotes (one long enough to break across pages) that
    fill pages of their own at the end."""
    words = (
        "The Council reaffirms its commitment to the principles of the Charter, recalls the decisions of its "
        "previous sessions and underlines the importance of dialogue between the member states and the observers"
    )

    def paragraph(number: int, kind: str = "paragraph") -> TextBlock:
        return TextBlock(kind, plain(f"{words} ({number})."))

    def sub_items(count: int) -> ListBlock:
        deeper = ListBlock(
            "numbered_list", tuple(ListItem(f"({r})", (paragraph(90 + i),)) for i, r in enumerate(("i", "ii")))
        )
        items = [ListItem(f"({chr(97 + i)})", (paragraph(50 + i),)) for i in range(count)]
        items[0] = ListItem("(a)", (paragraph(50), deeper))
        return ListBlock("numbered_list", tuple(items))

    blocks: list[Block] = [TextBlock("lead_in", plain("The Council of Ministers,"))]
    blocks += [paragraph(n, "recital") for n in range(1, 4)]
    blocks.append(TextBlock("heading", plain("Cooperation"), level=1))
    blocks.append(
        TextBlock(
            "paragraph",
            (Inline("text", f"{words}"), Inline("footnote_ref", "1"), Inline("text", " and elsewhere.")),
        )
    )
    blocks.append(TextBlock("heading", plain("Economic cooperation"), level=2))
    blocks.append(TextBlock("chapeau", plain("Decides:")))
    items = [ListItem("1.", (paragraph(10), sub_items(3)))]
    items += [
        ListItem(
            f"{n}.",
            (TextBlock("paragraph", (Inline("text", f"{words} ({n})"), Inline("footnote_ref", str(n)))),),
        )
        for n in range(2, 9)
    ]
    blocks.append(ListBlock("numbered_list", tuple(items)))
    blocks.append(TextBlock("heading", plain("Follow-up"), level=1))
    blocks.append(ListBlock("bullet_list", tuple(ListItem("•", (paragraph(70 + n),)) for n in range(3))))
    blocks.append(TextBlock("quote", plain(f"“{words}.”")))
    blocks.append(
        TextBlock(
            "paragraph",
            (
                Inline("text", "The text is published at "),
                Inline("link", "example.org", "https://example.org/"),
                Inline("text", "."),
            ),
        )
    )
    blocks += [paragraph(n, "closing") for n in range(80, 83)]
    blocks.append(TextBlock("signature", plain("The Secretary-General")))
    notes = [Footnote("1", plain(" ".join([words] * 40) + "."))]  # longer than a page
    notes += [Footnote(str(n), plain(" ".join([words] * 3) + f" ({n}).")) for n in range(2, 9)]
    return Document(
        Meta(
            kind="resolution",
            title="Resolution on cooperation between the member states",
            language="en",
            issuer="Council of Ministers",
            reference="CM/RES/12",
            date="2025-03-14",
            place="Geneva",
        ),
        (*blocks, *notes),
    )


def write_logo(path: Path) -> Path:
    """A small PNG letterhead image."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 120), "white")
    ImageDraw.Draw(image).ellipse((70, 10, 170, 110), fill="#1F4E79")
    image.save(path, format="PNG")
    return path
