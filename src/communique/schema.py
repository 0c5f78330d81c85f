"""The JSON Schema of the document model (`communique schema`).

Built from the model's own tables (block kinds, inline kinds, metadata
fields and records, numbering formats), so it cannot drift from what
`model.from_dict` accepts; docs/document.schema.json is this output, and a
test keeps the two equal.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from communique.model import (
    BLOCK_KINDS,
    DOCUMENT_KINDS,
    INLINE_KINDS,
    META_LIST_FIELDS,
    META_RECORDS,
    NUMBERING_FORMATS,
    TEXT_BLOCK_KINDS,
    Meta,
)

SCHEMA_ID = "https://communique.invalid/schema/document.schema.json"

_TEXT_OR_NULL: dict[str, Any] = {"type": ["string", "null"]}
_LINES: dict[str, Any] = {"type": "array", "items": {"type": "string"}}

# What each metadata field holds, for the schema's descriptions.
_META_HELP: dict[str, str] = {
    "kind": f"what the document is: {', '.join(DOCUMENT_KINDS)} (or another word)",
    "title": "the title as written",
    "subtitle": "a line under the title",
    "language": "BCP 47 language tag: tr, en, ru, kk-Latn …",
    "issuer": "the issuing body, shown in the letterhead",
    "reference": "the reference number as written: No: 57, № 439",
    "date": "ISO 8601: YYYY-MM-DD, or YYYY-MM or YYYY where that is all the text says",
    "place": "the place of issue",
    "template": "the template to publish with, over the one the kind selects",
    "unit": "the issuing department under the issuer",
    "addressee": "the addressee's lines",
    "subject": "the subject line (Konu)",
    "related": "references to earlier correspondence (İlgi), in date order",
    "attachments": "attachments (Ek)",
    "distribution": "recipients for action (Gereği) and for information (Bilgi)",
    "symbol": "a document symbol: A/RES/80/1",
    "distribution_class": "General, Limited …",
    "session": "the session: Eightieth session",
    "agenda_item": "the agenda item: Agenda item 8",
    "original_language": "the language of the original: English",
    "meeting": "the meeting that adopted it: 3rd plenary meeting",
    "signatories": "the signers, each a name or {name, title, organisation, on_behalf_of}",
    "contact": "the contact block: address, phone, email, web, information (the person to ask)",
}


def _record_schema(name: str) -> dict[str, Any]:
    kind = META_RECORDS[name]
    names = [f.name for f in fields(kind)]
    if name == "distribution":
        return {
            "type": "object",
            "properties": {n: _LINES for n in names},
            "additionalProperties": False,
        }
    properties: dict[str, Any] = {n: _TEXT_OR_NULL for n in names}
    record: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if name == "signatories":
        record["required"] = ["name"]
        properties["name"] = {"type": "string"}
        return {"type": "array", "items": {"anyOf": [{"type": "string"}, record]}}
    return {"anyOf": [record, {"type": "null"}]}


def document_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `{"meta": …, "blocks": […]}`."""
    meta_properties: dict[str, Any] = {}
    for f in fields(Meta):
        if f.name in META_LIST_FIELDS:
            schema: dict[str, Any] = {"anyOf": [_LINES, {"type": "string"}, {"type": "null"}]}
        elif f.name in META_RECORDS:
            schema = _record_schema(f.name)
        else:
            schema = dict(_TEXT_OR_NULL)
        if f.name == "date":
            schema["pattern"] = r"^\d{4}(-\d{2}(-\d{2})?)?$"
        meta_properties[f.name] = {"description": _META_HELP.get(f.name, f.name), **schema}
    inline = {
        "type": "object",
        "required": ["kind", "text"],
        "properties": {
            "kind": {"enum": list(INLINE_KINDS)},
            "text": {"type": "string"},
            "href": {"type": ["string", "null"]},
        },
        "additionalProperties": False,
    }
    confidence = {
        "description": "how sure the reader is of the block's kind, 0..1 (set by the reader, ignored on input)",
        "type": "number",
        "minimum": 0,
        "maximum": 1,
    }
    numbering = {
        "description": "how the list numbers its items, as its labels are written",
        "anyOf": [
            {
                "type": "object",
                "required": ["format"],
                "properties": {
                    "format": {"enum": list(NUMBERING_FORMATS)},
                    "prefix": {"type": "string"},
                    "suffix": {"type": "string"},
                    "start": {"type": "integer", "minimum": 0},
                },
                "additionalProperties": False,
            },
            {"type": "null"},
        ],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Communique document",
        "description": "The document model: metadata, and blocks in reading order.",
        "type": "object",
        "properties": {
            "meta": {"type": "object", "properties": meta_properties, "additionalProperties": False},
            "blocks": {"type": "array", "items": {"$ref": "#/$defs/block"}},
        },
        "additionalProperties": False,
        "$defs": {
            "content": {"type": "array", "items": inline},
            "block": {
                "description": f"one of: {', '.join(BLOCK_KINDS)}",
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["kind", "content"],
                        "properties": {
                            "kind": {"enum": list(TEXT_BLOCK_KINDS)},
                            "content": {"$ref": "#/$defs/content"},
                            "level": {"type": "integer", "minimum": 1, "maximum": 6},
                            "confidence": confidence,
                        },
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "required": ["kind", "items"],
                        "properties": {
                            "kind": {"enum": ["numbered_list", "bullet_list"]},
                            "numbering": numbering,
                            "confidence": confidence,
                            "items": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["label"],
                                    "properties": {
                                        "label": {"type": "string"},
                                        "blocks": {"type": "array", "items": {"$ref": "#/$defs/block"}},
                                    },
                                    "additionalProperties": False,
                                },
                            },
                        },
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "required": ["kind", "label", "content"],
                        "properties": {
                            "kind": {"const": "footnote"},
                            "label": {"type": "string"},
                            "content": {"$ref": "#/$defs/content"},
                            "confidence": confidence,
                        },
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "required": ["kind", "rows"],
                        "properties": {
                            "kind": {"const": "table"},
                            "header_rows": {
                                "description": "how many rows from the top are the header, repeated on each page",
                                "type": "integer",
                                "minimum": 0,
                            },
                            "widths": {
                                "description": "each column's share of the table's width; empty: equal columns",
                                "type": "array",
                                "items": {"type": "number", "exclusiveMinimum": 0},
                            },
                            "rows": {
                                "description": "rows of cells; a cell spanned over by another is left out",
                                "type": "array",
                                "items": {"type": "array", "items": {"$ref": "#/$defs/cell"}},
                            },
                            "confidence": confidence,
                        },
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "required": ["kind", "data"],
                        "properties": {
                            "kind": {"const": "image"},
                            "data": {"description": "the picture, PNG or JPEG, in base64", "type": "string"},
                            "alt": {"description": "what the picture shows, for a screen reader", "type": "string"},
                            "width": {
                                "description": "points; absent: its own",
                                "type": "number",
                                "exclusiveMinimum": 0,
                            },
                            "height": {
                                "description": "points; absent: its own",
                                "type": "number",
                                "exclusiveMinimum": 0,
                            },
                            "confidence": confidence,
                        },
                        "additionalProperties": False,
                    },
                ],
            },
            "cell": {
                "type": "object",
                "properties": {
                    "blocks": {"type": "array", "items": {"$ref": "#/$defs/block"}},
                    "col_span": {"type": "integer", "minimum": 1},
                    "row_span": {"type": "integer", "minimum": 1},
                },
                "additionalProperties": False,
            },
        },
    }


def schema_json() -> str:
    """The schema as the text `communique schema` prints and docs/ holds."""
    return json.dumps(document_schema(), ensure_ascii=False, indent=2) + "\n"
