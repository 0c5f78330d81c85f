"""The semantic document model: what an official text *is*, never how it looks.

Roles follow how official texts are built (Akoma Ntoso's preface, preamble,
body and conclusions): metadata, then blocks (title lines, recitals, the
chapeau, operative lists, closing formula, signature, place and date), each
holding inline runs. Everything is frozen plain data, so a `Document`
serialises to JSON and back without loss (`to_dict` / `from_dict`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any, Literal, TypeAlias, TypeVar, get_args

# ---------------------------------------------------------------- inline runs

InlineKind = Literal["text", "emphasis", "strong", "link", "footnote_ref"]
INLINE_KINDS: tuple[str, ...] = get_args(InlineKind)


@dataclass(frozen=True)
class Inline:
    """A run of text with one role: plain, emphasised, strong, a link or a
    footnote reference (whose `text` is the footnote's label, e.g. "1")."""

    kind: InlineKind
    text: str
    href: str | None = None


Content: TypeAlias = tuple[Inline, ...]


def plain(text: str) -> Content:
    """Content made of one plain text run (empty text gives no run)."""
    return (Inline("text", text),) if text else ()


def content_text(content: Content) -> str:
    """The visible text of a run sequence."""
    return "".join(run.text for run in content)


# ---------------------------------------------------------------- blocks

# Blocks whose whole substance is one run sequence.
TEXT_BLOCK_KINDS: tuple[str, ...] = (
    "heading",  # a section heading inside the body (`level` 1..6)
    "paragraph",  # prose: intro or body paragraph
    "lead_in",  # the organ line that opens a resolution: "The General Assembly,"
    "recital",  # preambular clause: "Recalling …,"
    "chapeau",  # the line that introduces the operative list: "… Konseyi:"
    "quote",  # a quoted passage
    "closing",  # a closing paragraph after the operative part
    "closing_formula",  # "Kamuoyuna saygıyla duyurulur.", "С уважением,"
    "signature",  # one signature block line: name, office
    "place_date",  # "İstanbul, 11 Ocak 2022", "2002.09.20."
    "reference",  # a reference number line: "№ 439"
    "metadata",  # any other metadata line kept as written: "3rd plenary meeting"
)
LIST_BLOCK_KINDS: tuple[str, ...] = ("numbered_list", "bullet_list")
BLOCK_KINDS: tuple[str, ...] = TEXT_BLOCK_KINDS + LIST_BLOCK_KINDS + ("footnote",)


@dataclass(frozen=True)
class TextBlock:
    """A block made of inline content; `kind` says its role."""

    kind: str
    content: Content
    level: int = 1  # headings only

    def __post_init__(self) -> None:
        if self.kind != "heading" and self.level != 1:
            object.__setattr__(self, "level", 1)  # a level means nothing elsewhere

    def text(self) -> str:
        return content_text(self.content)


@dataclass(frozen=True)
class ListItem:
    """One list item: its label as written ("1.", "(a)", "–") and its blocks,
    which may hold a nested list."""

    label: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ListBlock:
    """A numbered list (operative paragraphs, sub-items) or a bullet list."""

    kind: Literal["numbered_list", "bullet_list"]
    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class Footnote:
    """A footnote's text; inline `footnote_ref` runs point at its `label`."""

    label: str
    content: Content
    kind: Literal["footnote"] = "footnote"

    def text(self) -> str:
        return content_text(self.content)


Block: TypeAlias = TextBlock | ListBlock | Footnote


# ---------------------------------------------------------------- metadata

DOCUMENT_KINDS: tuple[str, ...] = (
    "statement",
    "declaration",
    "communique",
    "press-release",
    "resolution",
    "letter",
    "note-verbale",
)


@dataclass(frozen=True)
class Meta:
    """What the document is. `None` where unknown. `date` is ISO 8601
    (a full date, or a year or year-month where that is all the text says)."""

    kind: str = "statement"
    title: str | None = None
    subtitle: str | None = None
    language: str | None = None  # BCP 47: "tr", "kk-Latn", "ru"
    issuer: str | None = None
    reference: str | None = None
    date: str | None = None
    place: str | None = None


@dataclass(frozen=True)
class Document:
    """A whole official document: metadata and body blocks in reading order."""

    meta: Meta
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def with_meta(self, **changes: str) -> Document:
        """A copy with some metadata fields replaced (e.g. from CLI options)."""
        return replace(self, meta=replace(self.meta, **changes))


# ---------------------------------------------------------------- JSON shape


class ModelError(ValueError):
    """Raised when data does not fit the model; `path` says where (JSON pointer)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or '/'}: {message}")
        self.path = path
        self.message = message


def to_dict(document: Document) -> dict[str, Any]:
    """The document as plain JSON-ready data, in the shape DESIGN.md gives."""
    return {
        "meta": {f.name: getattr(document.meta, f.name) for f in fields(Meta)},
        "blocks": [_block_to_dict(block) for block in document.blocks],
    }


def _content_to_list(content: Content) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for run in content:
        item: dict[str, Any] = {"kind": run.kind, "text": run.text}
        if run.href is not None:
            item["href"] = run.href
        out.append(item)
    return out


def _block_to_dict(block: Block) -> dict[str, Any]:
    if isinstance(block, ListBlock):
        return {
            "kind": block.kind,
            "items": [
                {"label": item.label, "blocks": [_block_to_dict(b) for b in item.blocks]} for item in block.items
            ],
        }
    if isinstance(block, Footnote):
        return {"kind": "footnote", "label": block.label, "content": _content_to_list(block.content)}
    out: dict[str, Any] = {"kind": block.kind, "content": _content_to_list(block.content)}
    if block.kind == "heading":
        out["level"] = block.level
    return out


def from_dict(data: Any) -> Document:
    """Build a `Document` from JSON data; raise `ModelError` naming the place
    (as a JSON pointer such as `/blocks/3/items/0/label`) that does not fit."""
    obj = _expect(data, dict, "")
    _no_unknown_keys(obj, {"meta", "blocks"}, "")
    meta_data = _expect(obj.get("meta", {}), dict, "/meta")
    known = {f.name for f in fields(Meta)}
    _no_unknown_keys(meta_data, known, "/meta")
    meta_values: dict[str, Any] = {}
    for name in known:
        if name in meta_data:
            value = meta_data[name]
            if value is not None and not isinstance(value, str):
                raise ModelError(f"/meta/{name}", f"expected a string or null, got {_type_name(value)}")
            meta_values[name] = value
    if meta_values.get("kind") is None:
        meta_values["kind"] = "statement"
    if meta_values.get("date") is not None and not is_iso_date(meta_values["date"]):
        raise ModelError("/meta/date", f"{meta_values['date']!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    blocks = _expect(obj.get("blocks", []), list, "/blocks")
    return Document(
        meta=Meta(**meta_values),
        blocks=tuple(_block_from(b, f"/blocks/{i}") for i, b in enumerate(blocks)),
    )


def is_iso_date(value: str) -> bool:
    """True for a real ISO 8601 date, or a year or year-month where that is
    all a text says: "2022-01-11", "2022-01", "2022"; not "2022-02-30"."""
    parts = value.split("-")
    if not 1 <= len(parts) <= 3 or len(parts[0]) != 4 or not all(p.isdigit() for p in parts):
        return False
    if len(parts) == 3:
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return True
    return len(parts) == 1 or (len(parts[1]) == 2 and 1 <= int(parts[1]) <= 12)


def _block_from(data: Any, path: str) -> Block:
    obj = _expect(data, dict, path)
    kind = obj.get("kind")
    if kind in LIST_BLOCK_KINDS:
        _no_unknown_keys(obj, {"kind", "items"}, path)
        items = _expect(obj.get("items"), list, f"{path}/items")
        return ListBlock(kind=kind, items=tuple(_item_from(it, f"{path}/items/{i}") for i, it in enumerate(items)))
    if kind == "footnote":
        _no_unknown_keys(obj, {"kind", "label", "content"}, path)
        label = _expect(obj.get("label"), str, f"{path}/label")
        return Footnote(label=label, content=_content_from(obj.get("content"), f"{path}/content"))
    if kind in TEXT_BLOCK_KINDS:
        _no_unknown_keys(obj, {"kind", "content", "level"}, path)
        level = obj.get("level", 1)
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 6:
            raise ModelError(f"{path}/level", "expected a heading level from 1 to 6")
        return TextBlock(kind=kind, content=_content_from(obj.get("content"), f"{path}/content"), level=level)
    raise ModelError(f"{path}/kind", f"unknown block kind {kind!r} (known: {', '.join(BLOCK_KINDS)})")


def _item_from(data: Any, path: str) -> ListItem:
    obj = _expect(data, dict, path)
    _no_unknown_keys(obj, {"label", "blocks"}, path)
    label = _expect(obj.get("label"), str, f"{path}/label")
    blocks = _expect(obj.get("blocks", []), list, f"{path}/blocks")
    return ListItem(label=label, blocks=tuple(_block_from(b, f"{path}/blocks/{i}") for i, b in enumerate(blocks)))


def _content_from(data: Any, path: str) -> Content:
    runs = _expect(data, list, path)
    out: list[Inline] = []
    for i, run in enumerate(runs):
        here = f"{path}/{i}"
        obj = _expect(run, dict, here)
        _no_unknown_keys(obj, {"kind", "text", "href"}, here)
        kind = obj.get("kind")
        if kind not in INLINE_KINDS:
            raise ModelError(f"{here}/kind", f"unknown inline kind {kind!r} (known: {', '.join(INLINE_KINDS)})")
        text = _expect(obj.get("text"), str, f"{here}/text")
        href = obj.get("href")
        if href is not None and not isinstance(href, str):
            raise ModelError(f"{here}/href", f"expected a string, got {_type_name(href)}")
        out.append(Inline(kind=kind, text=text, href=href))
    return tuple(out)


_T = TypeVar("_T")


def _expect(value: object, kind: type[_T], path: str) -> _T:
    if not isinstance(value, kind):
        names: dict[type, str] = {dict: "an object", list: "an array", str: "a string"}
        expected = names.get(kind, kind.__name__)
        raise ModelError(path, f"expected {expected}, got {_type_name(value)}")
    return value


def _no_unknown_keys(obj: dict[str, Any], known: set[str], path: str) -> None:
    unknown = sorted(set(obj) - known)
    if unknown:
        raise ModelError(path, f"unknown field {unknown[0]!r}")


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )
