"""The PDF's structure tree: what each layout element is for a screen reader.

`STRUCTURE` is the one table saying which structure type (ISO 32000-1,
14.8.4) a layout element or a paragraph role becomes, or that it is an
artifact (drawn, not content). The PDF writer asks `StructureBuilder` for an
element while it builds the story, in reading order; `Marks` numbers the
marked-content pieces (MCIDs) page by page as the flowables are drawn; and
`write_structure` turns the tree into the StructTreeRoot, ParentTree,
IDTree and RoleMap with pikepdf. Nothing here knows reportlab: the drawing
hooks live in `pdf_marks`.

A new layout element needs one row in `STRUCTURE` (its class name in lower
case) and, if it holds blocks, the writer opening it with
`StructureBuilder.element` around its children.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from communique.layout import Layout, Paragraph, walk_paragraphs


@dataclass(frozen=True)
class Tag:
    """A structure type (`P`, `LI`, …), or an artifact of a kind
    (`Pagination`/`Layout`, subtype `Header`/`Footer`)."""

    type: str
    artifact: str = ""
    subtype: str = ""

    @property
    def is_artifact(self) -> bool:
        return self.type == "Artifact"


HEADING = "H"  # H1…H6, the level from the style's outline level
_LAYOUT_ARTIFACT = Tag("Artifact", "Layout")

# Layout elements (the layout.py class name in lower case, or a part of one)
# and paragraph roles (`role <role>`, from the template's `roles:`) → tag.
STRUCTURE: dict[str, Tag] = {
    "document": Tag("Document"),
    "paragraph": Tag("P"),
    "heading": Tag(HEADING),  # a paragraph whose style has an outline level
    "list": Tag("L"),
    "listitem": Tag("LI"),
    "label": Tag("Lbl"),  # a list item's number or bullet
    "listbody": Tag("LBody"),  # the rest of a list item, nested lists included
    "row": Tag("P"),  # one line in three parts, read left, centre, right
    "grid": Tag("Div"),  # borderless columns for layout (signers side by side): no table semantics
    "gridrow": Tag("Div"),
    "gridcell": Tag("Div"),
    "table": Tag("Table"),  # a document's table
    "tablerow": Tag("TR"),
    "tableheader": Tag("TH"),  # a cell of the header rows
    "tablecell": Tag("TD"),
    "image": Tag("Figure"),  # with /Alt
    "decoration": _LAYOUT_ARTIFACT,  # an image with no alt text at all
    "link": Tag("Link"),  # with the annotation as an object reference
    "rule": _LAYOUT_ARTIFACT,
    "spacer": _LAYOUT_ARTIFACT,
    "pagebreak": _LAYOUT_ARTIFACT,
    "header": Tag("Artifact", "Pagination", "Header"),
    "footer": Tag("Artifact", "Pagination", "Footer"),
    "role footnote": Tag("Note"),  # with an /ID in the IDTree
    "role quote": Tag("BlockQuote"),
    # "decor" (text a template adds: field labels, mastheads) stays content: it is read.
}

# Custom structure types mapped to standard ones; the table above uses
# standard types only, so the map is written empty.
ROLE_MAP: dict[str, str] = {}


def element_name(block: object) -> str:
    """A layout element's key in `STRUCTURE`: its class name in lower case."""
    return type(block).__name__.lower()


def tag_for(element: str, role: str | None = None, outline_level: int | None = None) -> Tag:
    """The tag of a layout element; for a paragraph its role, then its
    outline level, decide."""
    if role is not None and f"role {role}" in STRUCTURE:
        return STRUCTURE[f"role {role}"]
    if element == "paragraph" and outline_level is not None:
        return STRUCTURE["heading"]
    return STRUCTURE[element]


@dataclass(frozen=True)
class Notes:
    """The footnotes of a layout: each `Note` paragraph's ID, and the
    footnote marks (superscript labels) that refer to them, so a mark in the
    text becomes a link to its note."""

    ids: dict[int, str] = field(default_factory=dict)  # id() of a note paragraph in the body → its ID
    by_label: dict[str, str] = field(default_factory=dict)  # a footnote's label → its ID
    descriptions: dict[str, str] = field(default_factory=dict)  # ID → the note's text, for the link
    shown: dict[str, str] = field(default_factory=dict)  # a footnote's label → the label drawn

    @classmethod
    def of(cls, layout: Layout, shown: dict[str, str] | None = None) -> Notes:
        """The layout's footnotes (`layout.notes`), then the notes no mark
        refers to, printed after the text (paragraphs in a footnote role)."""
        notes = cls(shown=dict(shown or {}))
        for note in layout.notes:
            note_id = f"note-{len(notes.descriptions) + 1}"
            notes.by_label[note.label] = note_id
            label = notes.shown.setdefault(note.label, note.label)
            notes.descriptions[note_id] = _shorten(" ".join(f"{label} {note.paragraph.text()}".split()))
        for paragraph in walk_paragraphs(layout.body):
            if tag_for("paragraph", layout.roles.get(paragraph.style)) != STRUCTURE["role footnote"]:
                continue
            note_id = f"note-{len(notes.descriptions) + 1}"
            notes.ids[id(paragraph)] = note_id
            notes.descriptions[note_id] = _shorten(" ".join(paragraph.text().split()))
        return notes

    def id_of(self, paragraph: Paragraph) -> str:
        return self.ids.get(id(paragraph), "")


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Content:
    """A marked-content piece: MCID `mcid` on page `page` (0-based)."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Annotation:
    """The `index`-th link annotation drawn on page `page`."""

    page: int
    index: int


@dataclass(eq=False)
class Element:
    """A structure element; kids in reading order."""

    type: str
    kids: list[Element | Content | Annotation] = field(default_factory=list)
    alt: str = ""
    lang: str = ""
    id: str = ""
    contents: str = ""  # a Link's description of its target
    destination: str = ""  # a Link's target inside the document: an element's ID
    spans: tuple[int, int] | None = None  # a table cell's (rows, columns): kept even when empty

    def walk(self) -> Iterator[Element]:
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.walk()


@dataclass
class StructureBuilder:
    """Builds the element tree in reading order while the story is built."""

    lang: str = ""
    notes: Notes = field(default_factory=Notes)
    root: Element = field(default_factory=lambda: Element(STRUCTURE["document"].type))
    _stack: list[Element] = field(default_factory=list)
    _last_heading: int = 0

    @property
    def current(self) -> Element:
        return self._stack[-1] if self._stack else self.root

    def new(
        self, tag: Tag, *, outline_level: int | None = None, alt: str = "", lang: str = "", id: str = ""
    ) -> Element | Tag:
        """A new element under the current one, or the artifact tag itself.
        Heading levels follow the outline level but never skip one (PDF/UA
        7.4.2): a document whose first heading is a level 2 starts at H1."""
        if tag.is_artifact:
            return tag
        kind = tag.type
        if kind == HEADING:
            level = min(outline_level or 1, self._last_heading + 1, 6)
            self._last_heading = level
            kind = f"H{level}"
        element = Element(kind, alt=alt, lang=lang if lang and lang != self.lang else "", id=id)
        self.current.kids.append(element)
        return element

    @contextmanager
    def element(self, tag: Tag) -> Iterator[Element | Tag]:
        """An element whose children are created inside the `with`."""
        made = self.new(tag)
        if isinstance(made, Tag):
            yield made
            return
        self._stack.append(made)
        try:
            yield made
        finally:
            self._stack.pop()


class Marks:
    """Hands out MCIDs page by page while drawing and records them in the tree."""

    def __init__(self, notes: Notes | None = None) -> None:
        self.notes = notes or Notes()
        self._next: dict[int, int] = {}
        self._links: dict[int, int] = {}

    def begin(self, target: Element | Tag, page: int) -> str:
        """The operator opening a marked-content sequence for `target`."""
        if isinstance(target, Tag):
            properties = f"/Type /{target.artifact}"
            if target.subtype:
                properties += f" /Subtype /{target.subtype}"
            return f"/Artifact <<{properties}>> BDC"
        mcid = self._next.get(page, 0)
        self._next[page] = mcid + 1
        target.kids.append(Content(page, mcid))
        return f"/{_pdf_name(target.type)} <</MCID {mcid}>> BDC"

    def link(self, parent: Element, page: int, description: str, destination: str = "") -> None:
        """A link annotation just drawn on `page`, inside `parent`;
        `description` says where it leads (a URL, a footnote's text),
        `destination` is the ID of the element it leads to, if any."""
        index = self._links.get(page, 0)
        self._links[page] = index + 1
        link = Element(STRUCTURE["link"].type, kids=[Annotation(page, index)], contents=description)
        link.destination = destination
        parent.kids.append(link)


def _pdf_name(name: str) -> str:
    return "".join(c if c.isalnum() else f"#{ord(c):02X}" for c in name)


# ---------------------------------------------------------------- writing


def write_structure(doc: pikepdf.Pdf, root: Element, lang: str) -> None:
    """The tree as the catalog's StructTreeRoot, with a ParentTree keyed by
    each page's /StructParents and each link's /StructParent, an IDTree for
    the notes, and the pages marked for tab order in structure order."""
    pages = [page.obj for page in doc.pages]
    tree_root = doc.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    objects: dict[int, pikepdf.Object] = {}
    by_page: dict[int, dict[int, pikepdf.Object]] = {index: {} for index in range(len(pages))}
    link_parents: list[tuple[pikepdf.Object, pikepdf.Object]] = []  # (annotation, Link element)
    ids: list[tuple[str, pikepdf.Object]] = []
    first_pages = {element.id: _first_page(element) for element in root.walk() if element.id}

    def build(element: Element, parent: pikepdf.Object) -> pikepdf.Object | None:
        if not _has_content(element) and element.spans is None:
            return None
        obj = doc.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + _pdf_name(element.type)), P=parent))
        objects[id(element)] = obj
        first_page = next((kid.page for kid in _contents(element)), None)
        if first_page is not None:
            obj.Pg = pages[first_page]
        kids = Array()
        for kid in element.kids:
            if isinstance(kid, Element):
                child = build(kid, obj)
                if child is not None:
                    kids.append(child)
            elif isinstance(kid, Content):
                by_page[kid.page][kid.mcid] = obj
                if kid.page == first_page:
                    kids.append(kid.mcid)
                else:
                    kids.append(Dictionary(Type=Name.MCR, Pg=pages[kid.page], MCID=kid.mcid))
            else:
                annotation = _link_annotations(pages[kid.page])[kid.index]
                kids.append(Dictionary(Type=Name.OBJR, Obj=annotation, Pg=pages[kid.page]))
                link_parents.append((annotation, obj))
                target_page = first_pages.get(element.destination)
                if target_page is not None and isinstance(annotation.get("/Dest"), Array):
                    # reportlab resolves a destination to the page being drawn when it is
                    # named, which our held-back pages make the first one: point it at the
                    # page the target element is on (keeping reportlab's position there).
                    annotation.Dest[0] = pages[target_page]
        obj.K = kids
        if element.alt:
            obj.Alt = String(element.alt)
        if element.lang:
            obj.Lang = String(element.lang)
        if element.id:
            obj.ID = String(element.id)
            ids.append((element.id, obj))
        if element.contents:
            obj.Alt = String(element.contents)
        if element.spans is not None:  # a header cell heads its column (PDF/UA 7.5)
            attributes = Dictionary(O=Name.Table, RowSpan=element.spans[0], ColSpan=element.spans[1])
            if element.type == "TH":
                attributes.Scope = Name.Column
            obj.A = attributes
        return obj

    document = build(root, tree_root)
    nums: list[Any] = []  # key, value, key, value… in key order
    for index, page in enumerate(pages):
        page.StructParents = index
        page.Tabs = Name.S
        marked = by_page[index]
        nums += [index, Array([marked[mcid] for mcid in range(len(marked))])]
    next_key = len(pages)
    for annotation, element in link_parents:
        annotation.StructParent = next_key
        if not str(annotation.get("/Contents", "")).strip():
            annotation.Contents = element.get("/Alt", String("link"))
        nums += [next_key, element]
        next_key += 1
    tree_root.K = Array([document]) if document is not None else Array()
    tree_root.ParentTree = doc.make_indirect(Dictionary(Nums=Array(nums)))
    tree_root.ParentTreeNextKey = next_key
    tree_root.RoleMap = Dictionary({f"/{key}": Name("/" + value) for key, value in ROLE_MAP.items()})
    if ids:
        names: list[Any] = []
        for key, obj in sorted(ids, key=lambda pair: pair[0]):
            names += [String(key), obj]
        tree_root.IDTree = doc.make_indirect(Dictionary(Names=Array(names)))
    doc.Root.StructTreeRoot = tree_root
    doc.Root.MarkInfo = Dictionary(Marked=True)
    if lang:
        doc.Root.Lang = String(lang)


def _first_page(element: Element) -> int | None:
    return next((piece.page for node in element.walk() for piece in _contents(node)), None)


def _contents(element: Element) -> Iterator[Content | Annotation]:
    for kid in element.kids:
        if isinstance(kid, Content | Annotation):
            yield kid


def _has_content(element: Element) -> bool:
    """Whether the element holds something drawn, or a table cell (a table's
    rows keep all their cells, empty or not)."""
    return (
        any(True for _ in _contents(element))
        or element.spans is not None
        or any(_has_content(kid) for kid in element.kids if isinstance(kid, Element))
    )


def _link_annotations(page: pikepdf.Object) -> list[pikepdf.Object]:
    return [a for a in page.get("/Annots", Array()) if a.get("/Subtype") == Name.Link]
