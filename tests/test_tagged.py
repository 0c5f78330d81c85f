"""The tagged PDF read back: its structure tree against the document model.

A long document built here (three heading levels, nested lists, eight
footnotes filling the last pages, a link and a logo) is published as the
default PDF/A-3a + PDF/UA-1 file and read back with pikepdf and poppler:
the same headings, list items with their labels, footnotes as `Note`s with
IDs, the footer only in artifacts, every marked-content piece on every page
reachable from the tree, and the tree's text in reading order.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest

from communique.layout import Layout, LayoutBlock, List, Paragraph, format_label
from communique.model import Document, Footnote, ListBlock, TextBlock
from communique.publish import Options, render_outputs
from communique.render import find_template, render_layout
from tests.conftest import SAMPLE, corpus_files, long_document, pdf_text, write_logo
from tests.test_archival import assert_verapdf_passes

# Operators that put something on the page; each must sit in marked content.
FOOTER = re.compile(r"(?m)^\d+ ?/ ?\d+$")  # the page number and count, as pdftotext reads them
PAINTING = {"Tj", "TJ", "'", '"', "Do", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "BI"}


@pytest.fixture(scope="module")
def logo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_logo(tmp_path_factory.mktemp("logo") / "logo.png")


def publish(document: Document, folder: Path, profile: str = "3a", logo: Path | None = None) -> Path:
    options = Options(template=find_template("statement"), formats=("pdf",), logo=logo, pdf_profile=profile)
    path = folder / f"{profile}.pdf"
    path.write_bytes(render_outputs(document, options)["pdf"])
    return path


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory, logo: Path) -> Path:
    return publish(long_document(), tmp_path_factory.mktemp("tagged"), logo=logo)


# ---------------------------------------------------------------- reading the tree back


@dataclass
class Node:
    """A structure element as read back: its type, attributes, kids, and
    the (page, MCID) pieces it holds directly."""

    type: str
    obj: pikepdf.Object
    kids: list[Node] = field(default_factory=list)
    pieces: list[tuple[int, int]] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        yield self
        for kid in self.kids:
            yield from kid.walk()


def structure(pdf: pikepdf.Pdf) -> Node:
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}

    def node(obj: pikepdf.Object) -> Node:
        element = Node(str(obj.S)[1:], obj)
        kids = obj.get("/K", pikepdf.Array())
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                element.pieces.append((pages[obj.Pg.objgen], int(kid)))
            elif kid.get("/Type") == pikepdf.Name.MCR:
                element.pieces.append((pages[kid.Pg.objgen], int(kid.MCID)))
            elif kid.get("/Type") != pikepdf.Name.OBJR:
                element.kids.append(node(kid))
        return element

    (document,) = pdf.Root.StructTreeRoot.K
    return node(document)


def marked_pieces(pdf: pikepdf.Pdf) -> tuple[set[tuple[int, int]], list[str]]:
    """Every MCID in the pages' content, and each painting operator found
    outside marked content (there should be none)."""
    found: set[tuple[int, int]] = set()
    loose: list[str] = []
    for index, page in enumerate(pdf.pages):
        depth = 0
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("BDC", "BMC"):
                depth += 1
                if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                    found.add((index, int(operands[1].MCID)))
            elif name == "EMC":
                depth -= 1
            elif name in PAINTING and depth == 0:
                loose.append(f"page {index + 1}: {name}")
    return found, loose


@dataclass
class TextNode:
    type: str
    texts: list[str] = field(default_factory=list)
    kids: list[TextNode] = field(default_factory=list)

    def walk(self) -> Iterator[TextNode]:
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def text(self) -> str:
        return "".join(self.texts) + "".join(kid.text() for kid in self.kids)


def struct_text(path: Path) -> TextNode:
    """poppler's `pdfinfo -struct-text` as a tree of types and texts."""
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    output = subprocess.run(["pdfinfo", "-struct-text", str(path)], check=True, capture_output=True, text=True).stdout
    root = TextNode("")
    stack: list[tuple[int, TextNode]] = [(-1, root)]
    for line in output.splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        while stack[-1][0] >= depth:
            stack.pop()
        body = line.strip()
        if body.startswith('"'):
            stack[-1][1].texts.append(body[1:-1])
            continue
        element = TextNode(body.split(" ")[0])
        stack[-1][1].kids.append(element)
        stack.append((depth, element))
    (document,) = root.kids
    return document


def model_labels(blocks: tuple[object, ...]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                yield item.label
                yield from model_labels(item.blocks)


def no_space(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------- the tests


def test_headings_follow_the_model(long_pdf: Path) -> None:
    document = long_document()
    expected = [("H1", document.meta.title)]
    expected += [
        (f"H{b.level + 1}", b.text()) for b in document.blocks if isinstance(b, TextBlock) and b.kind == "heading"
    ]
    tree = struct_text(long_pdf)
    headings = [(n.type, n.text()) for n in tree.walk() if re.fullmatch(r"H\d", n.type)]
    assert headings == expected


def test_list_items_carry_their_labels_and_nest_inside_the_parents_body(long_pdf: Path) -> None:
    tree = struct_text(long_pdf)
    labels = [n.text() for n in tree.walk() if n.type == "Lbl"]
    assert labels == list(model_labels(long_document().blocks))
    for item in (n for n in tree.walk() if n.type == "LI"):
        assert [kid.type for kid in item.kids] == ["Lbl", "LBody"]
    nested = [kid for n in tree.walk() if n.type == "LBody" for kid in n.kids if kid.type == "L"]
    assert len(nested) == 2  # (a)–(c) inside 1., (i)–(ii) inside (a)


def test_footnotes_are_notes_with_ids_in_the_id_tree(long_pdf: Path) -> None:
    footnotes = [b for b in long_document().blocks if isinstance(b, Footnote)]
    with pikepdf.open(long_pdf) as pdf:
        notes = [n for n in structure(pdf).walk() if n.type == "Note"]
        assert len(notes) == len(footnotes)
        ids = [str(n.obj.ID) for n in notes]
        assert len(set(ids)) == len(ids)
        names = pdf.Root.StructTreeRoot.IDTree.Names
        assert {str(names[i]): names[i + 1].objgen for i in range(0, len(names), 2)} == {
            str(n.obj.ID): n.obj.objgen for n in notes
        }
        pages_of_notes = {page for n in notes for page, _ in n.pieces}
        assert len(pages_of_notes) >= 2  # footnotes on several pages
        split = [n for n in structure(pdf).walk() if len({page for page, _ in n.pieces}) > 1]
        assert split, "a paragraph broken across pages is one element with a piece on each page"
    texts = [n.text() for n in struct_text(long_pdf).walk() if n.type == "Note"]
    assert [no_space(t) for t in texts] == [no_space(f.label + f.text()) for f in footnotes]


def test_every_marked_piece_is_reachable_and_nothing_is_left_unmarked(long_pdf: Path) -> None:
    with pikepdf.open(long_pdf) as pdf:
        in_content, loose = marked_pieces(pdf)
        tree = structure(pdf)
        in_tree = [piece for node in tree.walk() for piece in node.pieces]
        assert not loose
        assert len(in_tree) == len(set(in_tree))
        assert set(in_tree) == in_content
        parent_tree = pdf.Root.StructTreeRoot.ParentTree.Nums
        owners = {node.obj.objgen: node for node in tree.walk()}
        for index, page in enumerate(pdf.pages):
            assert page.Tabs == pikepdf.Name.S
            key = int(page.StructParents)
            assert int(parent_tree[2 * key]) == key
            for mcid, element in enumerate(parent_tree[2 * key + 1]):
                assert (index, mcid) in owners[element.objgen].pieces


def test_the_footer_is_an_artifact_never_content(long_pdf: Path) -> None:
    pages = pdf_text(long_pdf).count("\f")
    assert pages > 2 and len(re.findall(rf"(?m)^\d+ ?/ ?{pages}$", pdf_text(long_pdf))) == pages
    assert not re.search(rf"\d ?/ ?{pages}", struct_text(long_pdf).text())


def test_figure_link_and_catalog(long_pdf: Path) -> None:
    with pikepdf.open(long_pdf) as pdf:
        nodes = list(structure(pdf).walk())
        (figure,) = [n for n in nodes if n.type == "Figure"]
        assert str(figure.obj.Alt) == long_document().meta.issuer
        links = [(n, k.Obj) for n in nodes if n.type == "Link" for k in n.obj.K if k.get("/Type") == pikepdf.Name.OBJR]
        ((link, annotation),) = [(n, a) for n, a in links if "/A" in a]  # the one link to a web page
        assert str(annotation.Contents) == "https://example.org/"
        key = int(annotation.StructParent)
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        assert nums[list(nums).index(key) + 1].objgen == link.obj.objgen
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert str(pdf.Root.Lang) == "en-US"  # the template's locale tag for "en"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True


def layout_text(blocks: tuple[LayoutBlock, ...], layout: Layout) -> Iterator[str]:
    """The layout's text in reading order, list labels before their items."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text()
        elif isinstance(block, List):
            style = layout.list_style_of(block)
            for number, item in enumerate(block.items, start=block.start):
                yield format_label(style, number)
                yield from layout_text(item.blocks, layout)


def test_the_tree_reads_in_the_order_of_the_layout(long_pdf: Path, logo: Path) -> None:
    """Every word of the body in the tree, in the layout's order, then the
    footnotes (each label and text), nothing else."""
    layout = render_layout(long_document(), find_template("statement"), logo=logo)
    expected = "".join(layout_text(layout.body, layout))
    expected += "".join(note.label + note.paragraph.text() for note in layout.notes)
    assert no_space(struct_text(long_pdf).text()) == no_space(expected)


@pytest.mark.parametrize("source", [SAMPLE, *corpus_files()], ids=lambda p: p.stem)
def test_tagging_changes_no_text_or_order_and_the_tree_reads_like_the_page(source: Path, tmp_path: Path) -> None:
    from communique import readers

    document = readers.read(source)
    tagged, untagged = publish(document, tmp_path, "3a"), publish(document, tmp_path, "3u")
    assert pdf_text(tagged) == pdf_text(untagged)
    page_text = re.sub(FOOTER, "", pdf_text(tagged))
    tree = struct_text(tagged)
    notes = [node for node in tree.walk() if node.type == "Note"]
    if not notes:
        assert no_space(tree.text()) == no_space(page_text)
        return
    # The notes stand at the foot of their pages and at the end of the tree;
    # pdftotext gathers the small labels at the left margin (list labels,
    # a note's label) into a column of their own: compare the text without
    # them in order, and the labels as a whole.
    label = re.compile(r"^\(?[0-9A-Za-z]{1,4}[.)]?$")
    lines = [line for line in page_text.splitlines() if not label.match(line.strip())]
    page_labels = sorted(line.strip() for line in page_text.splitlines() if label.match(line.strip()))
    body = "".join(kid.text() for kid in tree.kids if kid.type != "Note")
    notes_text = "".join(n.text() for n in notes)
    tree_labels = [n.text() for n in tree.walk() if n.type == "Lbl"]
    note_labels = [b.label for b in document.blocks if isinstance(b, Footnote)]
    assert sorted([*tree_labels, *note_labels]) == page_labels
    stripped = [re.sub(rf"^{re.escape(lbl)}", "", n.text()) for lbl, n in zip(note_labels, notes, strict=True)]
    text_without_labels = no_space("".join(_without_labels(tree)))
    page_clean = no_space("\n".join(lines))
    for note in stripped:  # each note's text is on the page (at the foot of its mark's page)
        assert no_space(note) in page_clean
        page_clean = page_clean.replace(no_space(note), "", 1)
    assert page_clean == text_without_labels
    assert no_space(body + notes_text) == no_space(tree.text())


def _without_labels(node: TextNode) -> Iterator[str]:
    """A tree's text in order, list labels and notes left out."""
    if node.type in ("Lbl", "Note"):
        return
    yield from node.texts
    for kid in node.kids:
        yield from _without_labels(kid)


def test_profile_3u_is_the_untagged_file(tmp_path: Path) -> None:
    path = publish(long_document(), tmp_path, "3u")
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked) is False
        assert b"pdfuaid" not in pdf.Root.Metadata.read_bytes()
        assert b"<pdfaid:conformance>U</pdfaid:conformance>" in pdf.Root.Metadata.read_bytes()
        in_content, _ = marked_pieces(pdf)
        assert not in_content


@pytest.mark.slow
def test_verapdf_passes_the_long_document(long_pdf: Path) -> None:
    assert_verapdf_passes(long_pdf, "3a")


def test_the_word_copy_describes_its_logo_and_names_its_language_and_title(logo: Path) -> None:
    import docx

    document = long_document()
    options = Options(template=find_template("statement"), formats=("docx",), logo=logo)
    word = docx.Document(io.BytesIO(render_outputs(document, options)["docx"]))
    (picture,) = word.inline_shapes
    assert picture._inline.docPr.get("descr") == document.meta.issuer
    assert word.core_properties.title == document.meta.title
    assert word.core_properties.language == "en-US"
    languages = word.styles.element.xpath("//w:lang/@w:val")
    assert languages and set(languages) == {"en-US"}


@pytest.mark.slow
def test_the_word_copy_with_a_described_logo_is_valid(logo: Path, tmp_path: Path) -> None:
    from tests.test_docx_valid import validate

    options = Options(template=find_template("statement"), formats=("docx",), logo=logo)
    verdict = validate(render_outputs(long_document(), options)["docx"], tmp_path)
    assert verdict.get("ok") is True, verdict


def test_tagging_changes_nothing_visible(long_pdf: Path, logo: Path, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    untagged = publish(long_document(), tmp_path, "3u", logo=logo)
    for path in (long_pdf, untagged):
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / path.stem)], check=True)
    tagged_pages = sorted(tmp_path.glob(f"{long_pdf.stem}-*.png"))
    untagged_pages = sorted(tmp_path.glob(f"{untagged.stem}-*.png"))
    assert len(tagged_pages) == len(untagged_pages) > 2
    for mine, theirs in zip(tagged_pages, untagged_pages, strict=True):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name


def test_footnote_marks_link_to_their_notes(long_pdf: Path) -> None:
    footnotes = [b for b in long_document().blocks if isinstance(b, Footnote)]
    with pikepdf.open(long_pdf) as pdf:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        nodes = list(structure(pdf).walk())
        notes = [n for n in nodes if n.type == "Note"]
        annotations = [k.Obj for n in nodes if n.type == "Link" for k in n.obj.K if k.get("/Type") == pikepdf.Name.OBJR]
        internal = [a for a in annotations if "/Dest" in a]
        assert len(internal) == len(notes) == len(footnotes)
        for annotation, note, footnote in zip(internal, notes, footnotes, strict=True):
            assert pages[annotation.Dest[0].objgen] == note.pieces[0][0]
            assert str(annotation.Contents).startswith(f"{footnote.label} {footnote.text()[:40]}")


@pytest.mark.slow
def test_a_document_without_a_title_takes_its_first_heading_as_title(tmp_path: Path) -> None:
    from communique.model import Meta, plain

    document = Document(
        Meta(language="en"),
        (TextBlock("paragraph", plain("An opening line.")), TextBlock("heading", plain("Section"), level=2)),
    )
    path = publish(document, tmp_path)
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo.Title) == "Section"
        assert b'<rdf:li xml:lang="x-default">Section</rdf:li>' in pdf.Root.Metadata.read_bytes()
    headings = [n for n in struct_text(path).walk() if re.fullmatch(r"H\d", n.type)]
    assert [(n.type, n.text()) for n in headings] == [("H1", "Section")]  # a level 2 with no level 1 reads as H1
    assert_verapdf_passes(path, "3a")


def test_the_tree_writes_an_elements_own_language() -> None:
    from communique.writers.pdf_tags import Content, Element, write_structure

    pdf = pikepdf.new()
    pdf.add_blank_page()
    root = Element("Document", kids=[Element("P", kids=[Content(0, 0)], lang="ru"), Element("P")])
    write_structure(pdf, root, "en-US")
    (document,) = pdf.Root.StructTreeRoot.K
    (paragraph,) = document.K  # the empty element is left out
    assert str(paragraph.Lang) == "ru" and str(pdf.Root.Lang) == "en-US"
    assert list(paragraph.K) == [0] and paragraph.Pg.objgen == pdf.pages[0].obj.objgen


def test_grids_are_divs_rows_are_paragraphs_and_template_text_is_read(tmp_path: Path) -> None:
    """The letter's number-and-date grid: cells in reading order, the labels
    the template adds ("Sayı") read as content, not hidden as artifacts."""
    from communique import readers
    from tests.conftest import REPO

    document = readers.read(REPO / "examples" / "official-letter-tr.md")
    path = tmp_path / "letter.pdf"
    path.write_bytes(render_outputs(document, Options(formats=("pdf",)))["pdf"])
    tree = struct_text(path)
    grids = [n for n in tree.kids if n.type == "Div"]
    assert grids and all(row.type == "Div" and row.kids for grid in grids for row in grid.kids)
    first_row = grids[0].kids[0]
    assert [cell.text().strip(" :") for cell in first_row.kids][:1] == ["Sayı"]
    assert first_row.kids[0].type == "Div" and first_row.kids[0].kids[0].type == "P"


def test_a_paragraph_in_another_language_says_so_in_the_tree(tmp_path: Path) -> None:
    from communique.layout import parse_layout
    from communique.writers import pdf as pdf_writer

    layout = parse_layout(
        '<document lang="en-GB" title="Two languages"><styles><style name="Body"/></styles><body>'
        '<p style="Body">In English.</p><p style="Body" lang="ru">По-русски.</p></body></document>'
    )
    path = tmp_path / "two.pdf"
    path.write_bytes(pdf_writer.write(layout))
    with pikepdf.open(path) as pdf:
        english, russian = structure(pdf).kids
        assert "/Lang" not in english.obj and str(russian.obj.Lang) == "ru"
        assert str(pdf.Root.Lang) == "en-GB"
