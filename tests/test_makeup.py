"""Page make-up both files share: nothing stranded at the foot of a page,
no line broken between a day and its month or after "№"."""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from communique import layout
from communique.composition import bind_spaces, unbind_spaces
from communique.model import Document, ListBlock, ListItem, Meta, TextBlock, plain
from communique.publish import Options, render_outputs
from communique.readers import docxfile
from communique.render import find_template, render_layout

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
    office = tmp_path / "office"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(office), str(tmp_path / "kept.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    for pdf in (tmp_path / "kept.pdf", office / "kept.pdf"):
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
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "edited.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = " ".join(line for page in _page_lines(tmp_path / "edited.pdf") for line in page)
    assert "2. Inserted paragraph." in text or "2.\tInserted paragraph." in text, text
    assert "5. Operative paragraph 4." in text, text
