"""Page make-up both files share: nothing stranded at the foot of a page,
no line broken between a day and its month or after "№"."""

from __future__ import annotations

import copy
import io
import random
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from communique import layout, readers
from communique.composition import bind_spaces, unbind_spaces
from communique.model import Document, ListBlock, ListItem, Meta, TextBlock, plain
from communique.publish import Options, render_outputs
from communique.readers import docxfile
from communique.render import find_template, render_layout

from .conftest import REPO, corpus_files, libreoffice, long_document
from .test_parity import _parity

INTRODUCTION = "The Council instructs the relevant ministries to:"
FILLER = "The Council recalls its earlier decisions on the matter and the reports it received."


def _document(fillers: int) -> Document:
    items = tuple(
        ListItem(f"{n}.", (TextBlock("paragraph", plain(f"Item {n} of the instruction, set out in one line.")),))
        for n in range(1, 4)
    )
    blocks = (
        *(TextBlock("paragraph", plain(FILLER)) for _ in range(fillers)),
        TextBlock("paragraph", plain(INTRODUCTION)),
        ListBlock("numbered_list", items),
        TextBlock("paragraph", plain("The Council remains seized of the matter.")),
    )
    return Document(Meta(title="Decision", language="en"), blocks)


def _page_lines(pdf: Path) -> list[list[str]]:
    """Each page's text lines (pdftotext), without the page-number footer."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = [[line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")]
    return [[line for line in page if not line.replace(" ", "").replace("/", "").isdigit()] for page in pages if page]


def _stranded(pdf: Path) -> bool:
    """Whether a page (not the last) ends with the introduction."""
    return any(page and page[-1].endswith(":") for page in _page_lines(pdf)[:-1])


def _pdf(document: Document, path: Path) -> Path:
    path.write_bytes(render_outputs(document, Options(template=find_template("statement"), formats=("pdf",)))["pdf"])
    return path


def _stranding_length(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """A number of filler paragraphs that, without the keeps, leaves the
    introduction alone at the foot of page 1."""
    with monkeypatch.context() as patch:
        patch.setattr(layout, "apply_keeps", lambda blocks: blocks)
        for fillers in range(8, 40):
            if _stranded(_pdf(_document(fillers), tmp_path / "unkept.pdf")):
                return fillers
    raise AssertionError("no length strands the introduction without keeps")


def test_an_introduction_keeps_with_its_list_in_both_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for tool in ("pdftotext", "soffice"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    document = _document(_stranding_length(tmp_path, monkeypatch))
    outputs = render_outputs(document, Options(template=find_template("statement"), formats=("pdf", "docx")))
    (tmp_path / "kept.pdf").write_bytes(outputs["pdf"])
    (tmp_path / "kept.docx").write_bytes(outputs["docx"])
    office = libreoffice(tmp_path / "kept.docx", tmp_path / "office")
    for pdf in (tmp_path / "kept.pdf", office):
        pages = _page_lines(pdf)
        assert not _stranded(pdf), pdf
        page = next(page for page in pages if INTRODUCTION in page)
        after = " ".join(page[page.index(INTRODUCTION) + 1 :])
        assert "Item 1 of the instruction" in after and "Item 2 of the instruction" in after, pdf


def _kept(blocks: tuple[layout.LayoutBlock, ...]) -> list[str]:
    return [p.text() for p in layout.walk_paragraphs(blocks) if p.keep_with_next]


def test_keeps_are_set_where_the_rules_say() -> None:
    intro = layout.Paragraph("Body", (layout.Run("He said:"),))
    item = layout.ListItem((layout.Paragraph("Body", (layout.Run("first"),)),))
    second = layout.ListItem((layout.Paragraph("Body", (layout.Run("second"),)),))
    blocks = layout.apply_keeps((intro, layout.List("L", (item, second, second))))
    assert _kept(blocks) == ["He said:", "first"]
    assert _kept((layout.Paragraph("Body", (layout.Run("Alone:"),)),)) == []


SIGNED = """<document size="A4" margins="20mm 20mm 20mm 20mm">
<styles><style name="Body"/><list-style name="L"/></styles>
<body>
<p style="Body">First.</p>
<list style="L"><item><p style="Body">One.</p></item><item><p style="Body">Last.</p></item></list>
<spacer height="18pt"/>
<grid columns="1" keep-with-previous="true"><cell><p style="Body">Signer</p></cell></grid>
</body></document>"""


def test_signatures_keep_with_the_last_paragraph() -> None:
    body = layout.parse_layout(SIGNED).body
    assert _kept(body) == ["One.", "Last."]  # the list's first item keeps with its second
    assert isinstance(body[2], layout.Spacer) and body[2].keep_with_next


@pytest.mark.parametrize(
    ("loose", "bound"),
    [
        ("Baku, 12 September 2025", "Baku, 12\u00a0September 2025"),
        ("on September 12, 2025", "on September\u00a012, 2025"),
        ("«11» января 2022 г. № 439", "«11»\u00a0января 2022 г. №\u00a0439"),
        ("11-nji ýanwar 2022", "11-nji\u00a0ýanwar 2022"),
        ("2002. szeptember 17.", "2002. szeptember\u00a017."),
        ("5 countries and 12 delegations", "5 countries and 12 delegations"),
    ],
)
def test_day_and_month_and_numero_are_bound(loose: str, bound: str) -> None:
    assert bind_spaces(loose) == bound
    assert unbind_spaces(bound) == loose
    assert unbind_spaces("a\u00a0b 12\u00a0September") == "a\u00a0b 12 September"  # a source's own stays


def test_both_files_bind_and_the_docx_reads_back_loose() -> None:
    text = "The meeting held on 12 September 2025 adopted decision № 439."
    document = Document(Meta(title="Decision", language="en"), (TextBlock("paragraph", plain(text)),))
    outputs = render_outputs(document, Options(template=find_template("statement"), formats=("pdf", "docx")))
    word = docx.Document(io.BytesIO(outputs["docx"]))
    assert any("12\u00a0September" in p.text and "№\u00a0439" in p.text for p in word.paragraphs)
    assert docxfile.read(outputs["docx"], "copy.docx") == document
    body = render_layout(document, find_template("statement")).body
    assert any("12\u00a0September" in p.text() for p in layout.walk_paragraphs(body))


def _operative(numbers: range) -> ListBlock:
    return ListBlock(
        "numbered_list",
        tuple(ListItem(f"{n}.", (TextBlock("paragraph", plain(f"Operative paragraph {n}.")),)) for n in numbers),
    )


def test_word_renumbers_operative_paragraphs_across_headings(tmp_path: Path) -> None:
    """Operative paragraphs split by a heading are one Word list: a paragraph
    inserted in the first part renumbers the second, in LibreOffice's rendering."""
    for tool in ("pdftotext", "soffice"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    blocks = (_operative(range(1, 3)), TextBlock("heading", plain("Section II")), _operative(range(3, 5)))
    document = Document(Meta(title="Resolution", language="en"), blocks)
    data = render_outputs(document, Options(template=find_template("statement"), formats=("docx",)))["docx"]
    assert docxfile.read(data, "copy.docx") == document
    word = docx.Document(io.BytesIO(data))
    items = [p for p in word.paragraphs if p.text.startswith("Operative paragraph")]
    num_ids = {p._p.pPr.numPr.numId.val for p in items if p._p.pPr is not None and p._p.pPr.numPr is not None}
    assert len(items) == 4 and len(num_ids) == 1
    inserted = copy.deepcopy(items[0]._p)
    items[0]._p.addnext(inserted)
    for text in inserted.iter(qn("w:t")):
        text.text = ""
    next(inserted.iter(qn("w:t"))).text = "Inserted paragraph."
    word.save(str(tmp_path / "edited.docx"))
    edited = libreoffice(tmp_path / "edited.docx", tmp_path / "office")
    text = " ".join(line for page in _page_lines(edited) for line in page)
    assert "2. Inserted paragraph." in text or "2.\tInserted paragraph." in text, text
    assert "5. Operative paragraph 4." in text, text


def _long_markdown(seed: int) -> str:
    """Operative paragraphs split by headings, each section with an
    introduction and a nested list: the keeps decide several page breaks."""
    rng = random.Random(seed)
    words = (
        "the council recalls its resolutions on cooperation and reaffirms commitment to sovereignty "
        "territorial integrity of member states welcomes progress report secretary general"
    ).split()

    def sentence(low: int, high: int) -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(low, high))).capitalize()

    lines = ["---", "title: Declaration on regional cooperation", "language: en", "place: Baku", "---", ""]
    number = 1
    for section in range(1, 5):
        lines += [f"## Section {section}", ""]
        for _ in range(4):
            lines += [f"{number}. {sentence(30, 70)}.", ""]
            number += 1
        lines += [f"{sentence(10, 20)} decided to:", "", f"1. {sentence(8, 15)};", f"   1. {sentence(8, 12)};"]
        lines += [f"   2. {sentence(8, 12)};", f"2. {sentence(8, 15)}.", "", f"{sentence(40, 80)}.", ""]
    return "\n".join(lines)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [4, 5])
def test_keeps_break_pages_alike_in_both_files(seed: int, tmp_path: Path) -> None:
    """Word keeps a paragraph with the first lines of the next, not its whole:
    our PDF does the same, so LibreOffice breaks the pages where we do."""
    for tool in ("pdftotext", "pdfinfo", "soffice"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    source = tmp_path / f"long-{seed}.md"
    source.write_text(_long_markdown(seed), encoding="utf-8")
    result = _parity().parity_of(source, tmp_path / "work")
    assert result.our_pages == result.office_pages >= 3
    assert result.agreement >= 0.95, "\n".join(result.missing)
    ours, office = (_page_lines(tmp_path / "work" / side / f"long-{seed}.pdf") for side in ("ours", "office"))
    assert [page[0] for page in ours] == [page[0] for page in office]  # every page starts with the same line
    assert not _stranded(tmp_path / "work" / "ours" / f"long-{seed}.pdf")


def _page_starts_and_ends(document: Document, tmp_path: Path) -> tuple[list[str], list[str]]:
    """Each page's first and last line in our PDF (pdftotext), page numbers
    and running headers left out."""
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(render_outputs(document, Options(formats=("pdf",)))["pdf"])
    running = {document.meta.symbol or "", document.meta.reference or ""} - {""}
    pages = [[line for line in page if line not in running] for page in _page_lines(pdf)]
    pages = [page for page in pages if page]
    return [page[0] for page in pages], [page[-1] for page in pages]


def _makeup_sources() -> list[Path]:
    return [*corpus_files(), *sorted((REPO / "examples").glob("*.md"))]


def _signature_lines(document: Document) -> set[str]:
    """The text of the document's signature blocks and signatories, line by line."""
    lines = {
        line.strip()
        for block in document.blocks
        if isinstance(block, TextBlock) and block.kind in ("signature", "closing_formula")
        for line in block.text().splitlines()
    }
    for signer in document.meta.signatories:
        lines |= {signer.name, signer.title or "", signer.organisation or ""}
    return lines - {""}


@pytest.mark.parametrize("source", [*_makeup_sources(), None], ids=lambda p: p.name if p else "long-document")
def test_no_page_ends_with_an_introduction_or_opens_with_a_signature(source: Path | None, tmp_path: Path) -> None:
    """Over the public corpus, the examples and a long document: no page
    ends with a line ending in ":", no page after the first opens with a
    signature or a closing formula (they keep with the last paragraph)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    document = long_document() if source is None else readers.read(source)
    firsts, lasts = _page_starts_and_ends(document, tmp_path)
    assert not [line for line in lasts[:-1] if line.rstrip('"»”’)').endswith(":")]
    signatures = _signature_lines(document)
    assert not [line for line in firsts[1:] if line in signatures]


def test_the_meeting_block_and_signatures_keep_with_the_last_paragraph() -> None:
    """The layout flags: the last operative paragraph keeps with the meeting
    line (UN resolution), the last paragraph with a closing formula and the
    closing formula with the signature."""
    resolution = readers.read(REPO / "examples" / "resolution-un-general-assembly.md")
    body = render_layout(resolution, find_template("resolution")).body
    meeting = next(i for i, b in enumerate(body) if isinstance(b, layout.Paragraph) and b.style == "Meeting")
    last_list = body[meeting - 1]
    assert isinstance(last_list, layout.List)
    assert last_list.items[-1].blocks[-1].keep_with_next  # type: ignore[union-attr]
    letter = Document(
        Meta(title="Letter", language="en"),
        (
            TextBlock("paragraph", plain(FILLER)),
            TextBlock("closing_formula", plain("Respectfully,")),
            TextBlock("signature", plain("The Minister")),
        ),
    )
    paragraphs = list(layout.walk_paragraphs(render_layout(letter, find_template("statement")).body))
    texts = {p.text(): p.keep_with_next for p in paragraphs}
    assert texts[FILLER] and texts["Respectfully,"]
