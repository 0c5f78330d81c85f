"""What the page shows, computed from the model as data: the outline of
blocks with their roles, the metadata fields, the labels of the interface.

Everything is read from the model module (block kinds, metadata fields) and
from the label files, never listed here, so a new role or field appears on
the page as soon as the model has it.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from communique import model

LABELS_DIR = Path(__file__).parent / "labels"
DEFAULT_LANGUAGE = "en"
LOW_CONFIDENCE = 0.5  # a block the reader was less sure of than this is marked
ROLE_FIELD = "role:"  # form field name prefix: "role:/blocks/3/items/0/blocks/1"
EXCERPT_CHARS = 120


# ---------------------------------------------------------------- labels


@cache
def interface_languages() -> dict[str, str]:
    """Language tag → its own name, for every label file."""
    return {path.stem: str(_label_file(path.stem).get("language_name", path.stem)) for path in _label_paths()}


def labels(language: str) -> Labels:
    """The interface labels in `language`, English where a label is missing."""
    if language not in interface_languages():
        language = DEFAULT_LANGUAGE
    return Labels(language, _label_file(language), _label_file(DEFAULT_LANGUAGE))


def _label_paths() -> list[Path]:
    return sorted(LABELS_DIR.glob("*.yaml"))


@cache
def _label_file(language: str) -> dict[str, Any]:
    loaded = yaml.safe_load((LABELS_DIR / f"{language}.yaml").read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


@dataclass(frozen=True)
class Labels:
    """Look-up of dotted keys ("role.recital"); a key no file has shows as
    its last part in words, so a new role is still named."""

    language: str
    own: dict[str, Any]
    fallback: dict[str, Any]

    def __call__(self, key: str, **values: object) -> str:
        text = _lookup(self.own, key)
        if text is None:
            text = _lookup(self.fallback, key)
        if text is None:
            text = key.rsplit(".", 1)[-1].replace("_", " ").replace("-", " ")
        return text.format(**values) if values else text


def _lookup(table: dict[str, Any], key: str) -> str | None:
    node: Any = table
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return str(node) if isinstance(node, str | int | float) else None


# ---------------------------------------------------------------- metadata

# Meta fields with a control of their own on the page and in the API (the template choice).
OWN_CONTROLS = frozenset({"template"})
PART_SEPARATOR = " | "  # between the parts of one record on a line: "name | office | …"


@dataclass(frozen=True)
class MetaField:
    """A metadata field as a form edits it, by its shape in the model:
    "text" (one line), "lines" (a list, one item per line), "record" (one
    record: a part per field, "name.part") or "records" (a list of records,
    one per line, parts separated by " | ")."""

    name: str
    shape: str
    parts: tuple[tuple[str, str], ...] = ()  # a record's fields and their shapes ("text" or "lines")

    def form_names(self) -> tuple[str, ...]:
        if self.shape == "record":
            return tuple(f"{self.name}.{part}" for part, _ in self.parts)
        return (self.name,)


def meta_fields() -> list[MetaField]:
    """The metadata fields of the model, in its order, by the shapes the
    model gives them."""
    lines = set(getattr(model, "META_LIST_FIELDS", ()))
    records: dict[str, type] = getattr(model, "META_RECORDS", {})
    out: list[MetaField] = []
    for item in dataclasses.fields(model.Meta):
        if item.name in OWN_CONTROLS:
            continue
        if item.name in records:
            parts = tuple(
                (part.name, "lines" if part.default == () else "text")
                for part in dataclasses.fields(records[item.name])
            )
            out.append(MetaField(item.name, "records" if item.default == () else "record", parts))
        else:
            out.append(MetaField(item.name, "lines" if item.name in lines else "text"))
    return out


def document_kinds() -> tuple[str, ...]:
    return tuple(getattr(model, "DOCUMENT_KINDS", ()))


def apply_meta(data: dict[str, Any], values: Mapping[str, str]) -> dict[str, Any]:
    """A copy of the model with the metadata fields `values` names set from
    form text (an empty value clears a field)."""
    out = copy.deepcopy(data)
    meta = out.setdefault("meta", {})
    for field in meta_fields():
        if not any(name in values for name in field.form_names()):
            continue
        if field.shape == "text":
            meta[field.name] = values[field.name].strip() or None
        elif field.shape == "lines":
            meta[field.name] = _lines(values[field.name])
        elif field.shape == "record":
            record = {part: _part(values.get(f"{field.name}.{part}", ""), shape) for part, shape in field.parts}
            meta[field.name] = record if any(record.values()) else None
        else:
            meta[field.name] = [_record_from_line(line, field.parts) for line in _lines(values[field.name])]
    return out


def meta_form_values(data: dict[str, Any]) -> dict[str, str]:
    """Form text for every metadata field of the model (the inverse of `apply_meta`)."""
    meta = data.get("meta") or {}
    out: dict[str, str] = {}
    for field in meta_fields():
        value = meta.get(field.name)
        if field.shape == "text":
            out[field.name] = value if isinstance(value, str) else ""
        elif field.shape == "lines":
            out[field.name] = "\n".join(str(v) for v in value) if isinstance(value, list) else str(value or "")
        elif field.shape == "record":
            record = value if isinstance(value, dict) else {}
            for part, _shape in field.parts:
                part_value = record.get(part)
                text = "\n".join(map(str, part_value)) if isinstance(part_value, list) else str(part_value or "")
                out[f"{field.name}.{part}"] = text
        else:
            records = value if isinstance(value, list) else []
            out[field.name] = "\n".join(_record_line(r, field.parts) for r in records if isinstance(r, dict))
    return out


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _part(text: str, shape: str) -> Any:
    return _lines(text) if shape == "lines" else (text.strip() or None)


def _record_from_line(line: str, parts: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    pieces = [piece.strip() for piece in line.split(PART_SEPARATOR.strip())]
    record: dict[str, Any] = {}
    for index, (part, shape) in enumerate(parts):
        piece = pieces[index] if index < len(pieces) else ""
        record[part] = ([piece] if piece else []) if shape == "lines" else (piece or None)
    return record


def _record_line(record: dict[str, Any], parts: tuple[tuple[str, str], ...]) -> str:
    pieces = []
    for part, _shape in parts:
        value = record.get(part)
        pieces.append("; ".join(map(str, value)) if isinstance(value, list) else str(value or ""))
    while pieces and not pieces[-1]:
        pieces.pop()
    return PART_SEPARATOR.join(pieces)


# ---------------------------------------------------------------- outline


@dataclass(frozen=True)
class OutlineEntry:
    """One block as the page lists it."""

    pointer: str  # JSON pointer to the block: /blocks/3/items/0/blocks/1
    kind: str
    choices: tuple[str, ...]  # roles it may take instead (one: not changeable)
    excerpt: str
    depth: int
    label: str | None  # a list item's label, on the item's first block
    confidence: float | None
    items: int = 0  # a list's item count

    @property
    def low_confidence(self) -> bool:
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE

    @property
    def field(self) -> str:
        return ROLE_FIELD + self.pointer


def role_choices(kind: str) -> tuple[str, ...]:
    """The roles a block of `kind` may be given: those of its own shape."""
    for group in (model.TEXT_BLOCK_KINDS, model.LIST_BLOCK_KINDS):
        if kind in group:
            return tuple(group)
    return (kind,)


def outline(data: dict[str, Any]) -> list[OutlineEntry]:
    """The blocks of the model in reading order, nested lists flattened."""
    return list(_walk(data.get("blocks", []), "/blocks", 0, None))


def _walk(blocks: list[Any], base: str, depth: int, label: str | None) -> Iterator[OutlineEntry]:
    for index, block in enumerate(blocks):
        if not isinstance(block, dict):
            continue
        pointer = f"{base}/{index}"
        kind = str(block.get("kind", ""))
        confidence = block.get("confidence")
        yield OutlineEntry(
            pointer=pointer,
            kind=kind,
            choices=role_choices(kind),
            excerpt=_excerpt(block),
            depth=depth,
            label=label if index == 0 else None,
            confidence=float(confidence) if isinstance(confidence, int | float) else None,
            items=len(block.get("items") or []),
        )
        for item_index, item in enumerate(block.get("items", []) or []):
            if isinstance(item, dict):
                yield from _walk(
                    item.get("blocks", []) or [],
                    f"{pointer}/items/{item_index}/blocks",
                    depth + 1,
                    str(item.get("label", "")),
                )


def _excerpt(block: dict[str, Any]) -> str:
    """The start of a block's text; a list's text is in its items, listed after it."""
    runs = block.get("content") or []
    text = " ".join("".join(str(r.get("text", "")) for r in runs if isinstance(r, dict)).split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def apply_roles(data: dict[str, Any], values: Mapping[str, str]) -> dict[str, Any]:
    """A copy of the model with the roles the form's `role:` fields give;
    a role outside the block's own shape is ignored. A role the user chose
    is certain, so its confidence becomes 1 where the model keeps one."""
    out = copy.deepcopy(data)
    for name, role in values.items():
        if not name.startswith(ROLE_FIELD):
            continue
        block = _at(out, name[len(ROLE_FIELD) :])
        if block is None or block.get("kind") == role or role not in role_choices(str(block.get("kind"))):
            continue
        block["kind"] = role
        if "confidence" in block:
            block["confidence"] = 1.0
    return out


def _at(data: dict[str, Any], pointer: str) -> dict[str, Any] | None:
    node: Any = data
    for part in pointer.strip("/").split("/"):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node if isinstance(node, dict) else None
