"""The semantic document model: what an official text *is*, never how it looks.

Roles follow how official texts are built (Akoma Ntoso's preface, preamble,
body and conclusions): metadata, then blocks (title lines, recitals, the
chapeau, operative lists, closing formula, signature, place and date), each
holding inline runs. Everything is frozen plain data, so a `Document`
serialises to JSON and back without loss (`to_dict` / `from_dict`).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any, Literal, TypeAlias, TypeVar, get_args

from communique.numbering import format_number, label_shapes

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
BLOCK_KINDS: tuple[str, ...] = TEXT_BLOCK_KINDS + LIST_BLOCK_KINDS + ("footnote", "table", "image")


@dataclass(frozen=True)
class TextBlock:
    """A block made of inline content; `kind` says its role."""

    kind: str
    content: Content
    level: int = 1  # headings only
    confidence: float | None = field(default=None, compare=False)  # how sure the reader is of `kind`, 0..1

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
class Numbering:
    """How a list numbers its items, as its labels are written: "1. §" is
    decimal with suffix ". §", "(a)" lower-alpha with "(" and ")", a bullet
    list's "–" is format "bullet" with prefix "–". Kept in the model so no
    later layer guesses it again from the label text."""

    format: str  # one of NUMBERING_FORMATS
    prefix: str = ""
    suffix: str = ""
    start: int = 1

    def label(self, number: int) -> str:
        """The label of the item numbered `number`: 3 → "3. §"."""
        if self.format == "bullet":
            return self.prefix
        return f"{self.prefix}{format_number(self.format, number)}{self.suffix}"


NUMBERING_FORMATS: tuple[str, ...] = ("decimal", "lower-alpha", "upper-alpha", "lower-roman", "upper-roman", "bullet")


@dataclass(frozen=True)
class ListBlock:
    """A numbered list (operative paragraphs, sub-items) or a bullet list.
    `numbering` is read from the labels when not given; it stays None when
    the labels follow no sequence a numbering can reproduce."""

    kind: Literal["numbered_list", "bullet_list"]
    items: tuple[ListItem, ...]
    numbering: Numbering | None = None
    confidence: float | None = field(default=None, compare=False)  # how sure the reader is of `kind`, 0..1

    def __post_init__(self) -> None:
        if self.numbering is None:
            object.__setattr__(self, "numbering", numbering_of(self.kind, [item.label for item in self.items]))


@dataclass(frozen=True)
class Footnote:
    """A footnote's text; inline `footnote_ref` runs point at its `label`."""

    label: str
    content: Content
    kind: Literal["footnote"] = "footnote"
    confidence: float | None = field(default=None, compare=False)  # how sure the reader is of `kind`, 0..1

    def text(self) -> str:
        return content_text(self.content)


@dataclass(frozen=True)
class TableCell:
    """One cell: its blocks, and how many columns and rows it spans. A cell
    spanned over is not written: rows list only the cells that start there."""

    blocks: tuple[Block, ...]
    col_span: int = 1
    row_span: int = 1


@dataclass(frozen=True)
class Table:
    """A table of rows of cells; the first `header_rows` rows are its header
    (repeated on each page). `widths` are the columns' shares of the table's
    width (summing to 1); empty: equal columns."""

    rows: tuple[tuple[TableCell, ...], ...]
    header_rows: int = 0
    widths: tuple[float, ...] = ()
    kind: Literal["table"] = "table"
    confidence: float | None = field(default=None, compare=False)  # how sure the reader is of `kind`, 0..1

    @property
    def columns(self) -> int:
        """The number of columns: the widest row, spans and cells spanning
        down from rows above counted."""
        return max((len(row) for row in table_grid(self)), default=0)

    def text(self) -> str:
        """The cells' text, a cell to a line."""
        return "\n".join(block_text(b) for row in self.rows for cell in row for b in cell.blocks)


IMAGE_SIGNATURES: dict[bytes, str] = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}


def image_type(data: bytes) -> str | None:
    """ "png" or "jpeg" by the first bytes (the two both writers draw), else None."""
    return next((name for magic, name in IMAGE_SIGNATURES.items() if data.startswith(magic)), None)


@dataclass(frozen=True)
class Picture:
    """A picture of the document's own: PNG or JPEG bytes, its alternative
    text (what it shows, for a screen reader) and its size in points (None:
    its pixel size at 96 dpi); drawn no wider than the text."""

    data: bytes
    alt: str = ""
    width: float | None = None
    height: float | None = None
    kind: Literal["image"] = "image"
    confidence: float | None = field(default=None, compare=False)  # how sure the reader is of `kind`, 0..1

    def text(self) -> str:
        return self.alt


Block: TypeAlias = TextBlock | ListBlock | Footnote | Table | Picture


def block_text(block: Block) -> str:
    """The visible text of any block, nested blocks a line each."""
    if isinstance(block, ListBlock):
        return "\n".join(
            f"{item.label} " + " ".join(block_text(b) for b in item.blocks) for item in block.items
        ).strip()
    return block.text()


def table_grid(table: Table) -> list[list[TableCell | None]]:
    """The table as a full grid: each cell at its top-left slot, None in the
    slots its spans cover (and in slots a short row leaves empty)."""
    grid: list[list[TableCell | None]] = []
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(table.rows):
        line: list[TableCell | None] = []
        col = 0
        for cell in row:
            while (r, col) in covered:
                line.append(None)
                col += 1
            line.append(cell)
            for dr in range(cell.row_span):
                for dc in range(cell.col_span):
                    if dr or dc:
                        covered.add((r + dr, col + dc))
            line.extend([None] * (cell.col_span - 1))
            col += cell.col_span
        while (r, col) in covered:
            line.append(None)
            col += 1
        grid.append(line)
    width = max((len(line) for line in grid), default=0)
    return [line + [None] * (width - len(line)) for line in grid]


def numbering_of(kind: str, labels: list[str]) -> Numbering | None:
    """The numbering that reproduces every label of a list exactly, or None."""
    if not labels:
        return None
    first = labels[0].strip()
    if kind == "bullet_list":
        return Numbering("bullet", prefix=first) if first and all(lb.strip() == first for lb in labels) else None
    for fmt, prefix, suffix, start in label_shapes(first):
        numbering = Numbering(fmt, prefix, suffix, start)
        if all(numbering.label(start + i) == label.strip() for i, label in enumerate(labels)):
            return numbering
    return None


# ---------------------------------------------------------------- metadata

DOCUMENT_KINDS: tuple[str, ...] = (
    "statement",
    "declaration",
    "communique",
    "press-release",
    "resolution",
    "decision",
    "letter",
    "circular",
    "decree",
    "note-verbale",
)


@dataclass(frozen=True)
class Signatory:
    """One signer: name, office, organisation, and whom they sign for."""

    name: str
    title: str | None = None
    organisation: str | None = None
    on_behalf_of: str | None = None


@dataclass(frozen=True)
class Contact:
    """The contact block of a letter or release ("Bilgi için" = `information`)."""

    address: str | None = None
    phone: str | None = None
    email: str | None = None
    web: str | None = None
    information: str | None = None


@dataclass(frozen=True)
class Distribution:
    """Who receives a letter: for action ("Gereği") and for information ("Bilgi")."""

    action: tuple[str, ...] = ()
    information: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meta:
    """What the document is. `None` (or empty) where unknown. `date` is ISO
    8601 (a full date, or a year or year-month where that is all the text says)."""

    kind: str = "statement"
    title: str | None = None
    subtitle: str | None = None
    language: str | None = None  # BCP 47: "tr", "kk-Latn", "ru"
    issuer: str | None = None
    reference: str | None = None
    date: str | None = None
    place: str | None = None
    template: str | None = None  # a template chosen by the source, over the kind's
    unit: str | None = None  # the issuing department under the issuer
    addressee: tuple[str, ...] = ()  # lines: "DIŞİŞLERİ BAKANLIĞINA"
    subject: str | None = None  # "Konu"
    related: tuple[str, ...] = ()  # "İlgi" items
    attachments: tuple[str, ...] = ()  # "Ek" items
    distribution: Distribution = field(default_factory=Distribution)
    symbol: str | None = None  # "A/RES/80/1"
    distribution_class: str | None = None  # "General", "Limited"
    session: str | None = None  # "Eightieth session"
    agenda_item: str | None = None  # "Agenda item 8"
    original_language: str | None = None  # "English"
    meeting: str | None = None  # "3rd plenary meeting"
    signatories: tuple[Signatory, ...] = ()
    contact: Contact | None = None


# Meta fields by shape: plain text, a list of lines, or one of the records above.
META_TEXT_FIELDS: tuple[str, ...] = tuple(
    f.name
    for f in fields(Meta)
    if f.name not in ("addressee", "related", "attachments", "distribution", "signatories", "contact")
)
META_LIST_FIELDS: tuple[str, ...] = ("addressee", "related", "attachments")
META_RECORDS: dict[str, type] = {"signatories": Signatory, "contact": Contact, "distribution": Distribution}


@dataclass(frozen=True)
class Document:
    """A whole official document: metadata and body blocks in reading order."""

    meta: Meta
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def with_meta(self, **changes: Any) -> Document:
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
        "meta": meta_to_dict(document.meta),
        "blocks": [_block_to_dict(block) for block in document.blocks],
    }


def meta_to_dict(meta: Meta) -> dict[str, Any]:
    """The metadata as JSON-ready data: text or null, lists, records."""
    return {f.name: _plain_data(getattr(meta, f.name)) for f in fields(Meta)}


def _plain_data(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain_data(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain_data(getattr(value, f.name)) for f in fields(value)}
    return value


def _content_to_list(content: Content) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for run in content:
        item: dict[str, Any] = {"kind": run.kind, "text": run.text}
        if run.href is not None:
            item["href"] = run.href
        out.append(item)
    return out


def _block_to_dict(block: Block) -> dict[str, Any]:
    out: dict[str, Any]
    if isinstance(block, ListBlock):
        out = {
            "kind": block.kind,
            "numbering": _plain_data(block.numbering) if block.numbering else None,
            "items": [
                {"label": item.label, "blocks": [_block_to_dict(b) for b in item.blocks]} for item in block.items
            ],
        }
    elif isinstance(block, Footnote):
        out = {"kind": "footnote", "label": block.label, "content": _content_to_list(block.content)}
    elif isinstance(block, Picture):
        out = {"kind": "image", "data": base64.b64encode(block.data).decode("ascii"), "alt": block.alt}
        out.update({name: getattr(block, name) for name in ("width", "height") if getattr(block, name) is not None})
    elif isinstance(block, Table):
        out = {"kind": "table", "header_rows": block.header_rows, "widths": list(block.widths)}
        out["rows"] = [[_cell_to_dict(cell) for cell in row] for row in block.rows]
    else:
        out = {"kind": block.kind, "content": _content_to_list(block.content)}
        if block.kind == "heading":
            out["level"] = block.level
    if block.confidence is not None:
        out["confidence"] = block.confidence
    return out


def _cell_to_dict(cell: TableCell) -> dict[str, Any]:
    out: dict[str, Any] = {"blocks": [_block_to_dict(b) for b in cell.blocks]}
    if cell.col_span != 1:
        out["col_span"] = cell.col_span
    if cell.row_span != 1:
        out["row_span"] = cell.row_span
    return out


def from_dict(data: Any) -> Document:
    """Build a `Document` from JSON data; raise `ModelError` naming the place
    (as a JSON pointer such as `/blocks/3/items/0/label`) that does not fit."""
    obj = _expect(data, dict, "")
    _no_unknown_keys(obj, {"meta", "blocks"}, "")
    meta = meta_from_dict(_expect(obj.get("meta", {}), dict, "/meta"), "/meta")
    blocks = _expect(obj.get("blocks", []), list, "/blocks")
    return Document(
        meta=meta,
        blocks=tuple(_block_from(b, f"/blocks/{i}") for i, b in enumerate(blocks)),
    )


def meta_from_dict(data: dict[str, Any], path: str = "/meta") -> Meta:
    """`Meta` from JSON-shaped data (the JSON model or Markdown front matter);
    `ModelError` names the field that does not fit."""
    _no_unknown_keys(data, {f.name for f in fields(Meta)}, path)
    values: dict[str, Any] = {}
    for name, value in data.items():
        here = f"{path}/{name}"
        if value is None:
            continue
        if name in META_LIST_FIELDS:
            values[name] = _text_list(value, here)
        elif name in META_RECORDS:
            if name == "signatories":
                items = _expect(value, list, here)
                values[name] = tuple(_record(Signatory, item, f"{here}/{i}") for i, item in enumerate(items))
            else:
                values[name] = _record(META_RECORDS[name], value, here)
        else:
            values[name] = _text(value, here)
    if values.get("kind") is None:
        values["kind"] = "statement"
    if values.get("date") is not None and not is_iso_date(values["date"]):
        raise ModelError(f"{path}/date", f"{values['date']!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    return Meta(**values)


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise ModelError(path, f"expected a string or null, got {_type_name(value)}")
    return value


def _text_list(value: Any, path: str) -> tuple[str, ...]:
    """A list of lines; one string is a list of one."""
    if isinstance(value, str):
        return (value,)
    items = _expect(value, list, path)
    return tuple(_text(item, f"{path}/{i}") for i, item in enumerate(items))


_R = TypeVar("_R")


def _record(kind: type[_R], value: Any, path: str) -> _R:
    """A record (signatory, contact, distribution) from an object; a signatory
    may be given as its name alone."""
    if kind is Signatory and isinstance(value, str):
        return kind(name=value)  # type: ignore[call-arg]
    obj = _expect(value, dict, path)
    names = {f.name for f in fields(kind)}  # type: ignore[arg-type]
    _no_unknown_keys(obj, names, path)
    values: dict[str, Any] = {}
    for name, item in obj.items():
        if item is None:
            continue
        values[name] = _text_list(item, f"{path}/{name}") if kind is Distribution else _text(item, f"{path}/{name}")
    if kind is Signatory and "name" not in values:
        raise ModelError(path, "a signatory needs a name")
    return kind(**values)


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
    confidence = _confidence_from(obj.get("confidence"), f"{path}/confidence")
    if kind in LIST_BLOCK_KINDS:
        _no_unknown_keys(obj, {"kind", "items", "numbering", "confidence"}, path)
        items = _expect(obj.get("items"), list, f"{path}/items")
        numbering = _numbering_from(obj.get("numbering"), f"{path}/numbering")
        return ListBlock(
            kind=kind,
            items=tuple(_item_from(it, f"{path}/items/{i}") for i, it in enumerate(items)),
            numbering=numbering,
            confidence=confidence,
        )
    if kind == "footnote":
        _no_unknown_keys(obj, {"kind", "label", "content", "confidence"}, path)
        label = _expect(obj.get("label"), str, f"{path}/label")
        content = _content_from(obj.get("content"), f"{path}/content")
        return Footnote(label=label, content=content, confidence=confidence)
    if kind == "table":
        return _table_from(obj, path, confidence)
    if kind == "image":
        return _picture_from(obj, path, confidence)
    if kind in TEXT_BLOCK_KINDS:
        _no_unknown_keys(obj, {"kind", "content", "level", "confidence"}, path)
        level = obj.get("level", 1)
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 6:
            raise ModelError(f"{path}/level", "expected a heading level from 1 to 6")
        content = _content_from(obj.get("content"), f"{path}/content")
        return TextBlock(kind=kind, content=content, level=level, confidence=confidence)
    raise ModelError(f"{path}/kind", f"unknown block kind {kind!r} (known: {', '.join(BLOCK_KINDS)})")


def _table_from(obj: dict[str, Any], path: str, confidence: float | None) -> Table:
    _no_unknown_keys(obj, {"kind", "rows", "header_rows", "widths", "confidence"}, path)
    rows: list[tuple[TableCell, ...]] = []
    for r, row in enumerate(_expect(obj.get("rows"), list, f"{path}/rows")):
        cells = []
        for c, cell in enumerate(_expect(row, list, f"{path}/rows/{r}")):
            here = f"{path}/rows/{r}/{c}"
            data = _expect(cell, dict, here)
            _no_unknown_keys(data, {"blocks", "col_span", "row_span"}, here)
            blocks = _expect(data.get("blocks", []), list, f"{here}/blocks")
            spans = [_whole(data.get(name, 1), f"{here}/{name}", 1) for name in ("col_span", "row_span")]
            inner = tuple(_block_from(b, f"{here}/blocks/{i}") for i, b in enumerate(blocks))
            cells.append(TableCell(inner, col_span=spans[0], row_span=spans[1]))
        rows.append(tuple(cells))
    header_rows = _whole(obj.get("header_rows", 0), f"{path}/header_rows", 0)
    if header_rows > len(rows):
        raise ModelError(f"{path}/header_rows", f"{header_rows} header rows in a table of {len(rows)}")
    widths = _expect(obj.get("widths", []), list, f"{path}/widths")
    for i, width in enumerate(widths):
        if isinstance(width, bool) or not isinstance(width, int | float) or width <= 0:
            raise ModelError(f"{path}/widths/{i}", "expected a positive number")
    table = Table(tuple(rows), header_rows=header_rows, widths=tuple(float(w) for w in widths), confidence=confidence)
    if widths and len(widths) != table.columns:
        raise ModelError(f"{path}/widths", f"{len(widths)} widths for {table.columns} columns")
    total = sum(table.widths)
    return replace(table, widths=tuple(w / total for w in table.widths)) if widths else table


def _picture_from(obj: dict[str, Any], path: str, confidence: float | None) -> Picture:
    _no_unknown_keys(obj, {"kind", "data", "alt", "width", "height", "confidence"}, path)
    try:
        data = base64.b64decode(_expect(obj.get("data"), str, f"{path}/data"), validate=True)
    except binascii.Error:
        raise ModelError(f"{path}/data", "expected the picture's bytes in base64") from None
    if image_type(data) is None:
        raise ModelError(f"{path}/data", "the picture is not a PNG or JPEG")
    size: dict[str, float] = {}
    for name in ("width", "height"):
        value = obj.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ModelError(f"{path}/{name}", "expected a length in points, more than 0")
        size[name] = float(value)
    alt = _text(obj.get("alt", ""), f"{path}/alt")
    return Picture(data, alt=alt, width=size.get("width"), height=size.get("height"), confidence=confidence)


def _whole(value: Any, path: str, least: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise ModelError(path, f"expected a whole number from {least}")
    return value


def _numbering_from(data: Any, path: str) -> Numbering | None:
    if data is None:
        return None
    obj = _expect(data, dict, path)
    _no_unknown_keys(obj, {"format", "prefix", "suffix", "start"}, path)
    fmt = obj.get("format")
    if fmt not in NUMBERING_FORMATS:
        raise ModelError(f"{path}/format", f"unknown numbering format {fmt!r} (known: {', '.join(NUMBERING_FORMATS)})")
    start = obj.get("start", 1)
    if not isinstance(start, int) or isinstance(start, bool) or start < 0:
        raise ModelError(f"{path}/start", "expected a whole number")
    return Numbering(
        format=fmt,
        prefix=_text(obj.get("prefix", ""), f"{path}/prefix"),
        suffix=_text(obj.get("suffix", ""), f"{path}/suffix"),
        start=start,
    )


def _confidence_from(value: Any, path: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ModelError(path, "expected a number from 0 to 1")
    return float(value)


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
