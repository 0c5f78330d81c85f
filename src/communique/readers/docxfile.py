"""Word reader: a DOCX (ours, edited, re-saved by an editor, or foreign) to a `Document`.

A paragraph's role comes from its style, never from hidden data, so an
edited copy reads as what it now shows:

1. Communique styles: each bundled template's `template.yaml` has a `roles:`
   table (style name → block kind, "meta.<field>", "footnote" or "decor").
   A derived style ("Operative continued 2", "Spacer 6pt") takes its base
   style's role through `w:basedOn`; "continued N" marks a later paragraph
   of a level-N list item.
2. Word's own styles in a foreign file: Title, Subtitle, Heading N (or an
   outline level), Quote, List Number / List Bullet.
3. Numbering makes list items: labels are rebuilt from each level's format
   (`w:numFmt`, `w:lvlText`) and counters; an item nests by its level
   (`w:ilvl`), then by indentation (lists that each number on level 0).
4. Anything else is a plain paragraph whose role the plain-text reader's
   rules (`plaintext.classify_units`) decide, as if the text had been pasted
   but knowing what Word shows of it: its style name, whether it is all
   bold, centred or aligned right (a bold centred first line is a title, a
   right-aligned closing block a signature or place and date).

Metadata comes from the core properties (title, creator → issuer, subject →
kind, keywords → reference, language, created at noon UTC → date) and the
title, subtitle and place-and-date lines. Reading is safe: the ZIP's entry
count, total size and per-entry compression ratio are checked before
anything is inflated, and XML is parsed without entities, DTDs or network.
"""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
import zlib
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import PurePosixPath
from typing import Any

from lxml import etree

from communique.composition import unbind_spaces
from communique.errors import CommuniqueError
from communique.layout import ListFormat
from communique.model import (
    META_LIST_FIELDS,
    META_RECORDS,
    Block,
    Content,
    Document,
    Footnote,
    Inline,
    ListBlock,
    ListItem,
    Meta,
    ModelError,
    Picture,
    Table,
    TableCell,
    TextBlock,
    image_type,
    meta_from_dict,
    meta_to_dict,
)
from communique.model import content_text as _content_text
from communique.numbering import format_number
from communique.readers import wordchars, wordmath
from communique.render import format_date, list_templates, locale_tag
from communique.template import DEFAULT_TEMPLATE
from communique.writers.ooxml import PICTURE_NAME

log = logging.getLogger("communique")

MAX_ENTRIES = 1000
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_ENTRY_BYTES = 50 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, per entry (XML rarely passes 30)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = R + "/officeDocument"
_CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
# Strict Open XML names its parts and relationships in other namespaces; read
# as the transitional ones, the same reader serves both.
_STRICT = {
    b"http://purl.oclc.org/ooxml/wordprocessingml/main": W.encode(),
    b"http://purl.oclc.org/ooxml/officeDocument/relationships": R.encode(),
    b"http://purl.oclc.org/ooxml/officeDocument/math": wordmath.M.encode(),
    b"http://purl.oclc.org/ooxml/drawingml/": b"http://schemas.openxmlformats.org/drawingml/2006/",
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# What Word records as tracked changes: text inserted, deleted, moved; formatting changed.
_TRACKED = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "tblPrChange", "sectPrChange")
_CORE = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
_FORMATS: dict[str, ListFormat] = {
    "decimal": "decimal", "lowerLetter": "lower-alpha", "upperLetter": "upper-alpha",
    "lowerRoman": "lower-roman", "upperRoman": "upper-roman",
}  # fmt: skip
# Symbol-font bullets Word and pandoc write, as the characters they show.
_SYMBOL_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf0fc": "✓", "o": "◦"}
# Word's built-in style names → roles, for files Communique did not write.
_WORD_ROLES = {
    "title": "meta.title", "subtitle": "meta.subtitle", "quote": "quote", "intense quote": "quote",
    "block text": "quote", "footnote text": "footnote", "header": "decor", "footer": "decor",
}  # fmt: skip
_CONTINUED = re.compile(r"^(?P<base>.+) continued(?: (?P<depth>\d+))?$")
_HEADING = re.compile(r"^heading (?P<level>[1-9])$", re.IGNORECASE)


def read(data: bytes, source: str, *, tracked_changes: str = "accept") -> Document:
    """Read a Word file's bytes; errors name `source`. Content set aside is
    a warning on the `communique` logger naming `source`; tracked changes
    are accepted, or refused with `tracked_changes="refuse"`."""
    try:
        reader = _Reader(_Package(data))
        document = reader.document()
        reader.report(source, tracked_changes)
        return document
    except CommuniqueError as err:
        raise err.located(source) from None


# ---------------------------------------------------------------- the package


# What a damaged, encrypted or oddly compressed ZIP entry raises on reading:
# a CRC or header error, bad deflate data, a password, an unknown method.
_UNPACK_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


class _Package:
    """The ZIP, checked before anything is inflated, and its parts by name."""

    def __init__(self, data: bytes) -> None:
        if data.startswith(_OLE_MAGIC):
            if "EncryptionInfo".encode("utf-16-le") in data:
                raise CommuniqueError("the Word file is password-protected; remove the password in Word and try again")
            raise CommuniqueError("an old Word 97–2003 file (.doc), not a .docx; save it as .docx in Word")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError):
            if data.startswith(b"PK"):
                raise CommuniqueError(
                    "the Word file is damaged: its ZIP directory is missing (was it cut short?)"
                ) from None
            raise CommuniqueError("not a Word file (not a ZIP archive)") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise CommuniqueError(f"the Word file has {len(infos)} parts; the limit is {MAX_ENTRIES}")
        total = sum(info.file_size for info in infos)
        if total > MAX_TOTAL_BYTES:
            raise CommuniqueError(f"the Word file unpacks to {total:,} bytes; the limit is {MAX_TOTAL_BYTES:,}")
        for info in infos:
            if info.file_size > MAX_ENTRY_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1024):
                raise CommuniqueError(f"the Word file's part {info.filename} is suspiciously large (a ZIP bomb?)")
        self.names = {info.filename for info in infos}

    def raw(self, name: str) -> bytes | None:
        """A part's bytes, or None when the package lacks it."""
        if name not in self.names:
            return None
        try:
            with self.zip.open(name) as stream:
                raw = stream.read(MAX_ENTRY_BYTES + 1)
        except _UNPACK_ERRORS as err:
            raise CommuniqueError(f"the Word file's part {name} cannot be unpacked ({err})") from None
        if len(raw) > MAX_ENTRY_BYTES:
            raise CommuniqueError(f"the Word file's part {name} is too large")
        return raw

    def xml(self, name: str) -> etree._Element | None:
        """A part parsed safely, or None when the package lacks it."""
        raw = self.raw(name)
        if raw is None:
            return None
        for strict, transitional in _STRICT.items():
            raw = raw.replace(strict, transitional)
        try:
            return etree.fromstring(raw, _parser())
        except etree.XMLSyntaxError as err:
            raise CommuniqueError(f"the Word file's part {name} is not well-formed XML: {err.msg}") from None

    def rels(self, part: str) -> dict[str, tuple[str, str, str]]:
        """A part's relationships: id → (type, target part name or URL, mode)."""
        path = PurePosixPath(part)
        root = self.xml(str(path.parent / "_rels" / f"{path.name}.rels").lstrip("/"))
        found: dict[str, tuple[str, str, str]] = {}
        for rel in root.iterfind(f"{{{_REL}}}Relationship") if root is not None else ():
            mode, target = rel.get("TargetMode", "Internal"), rel.get("Target", "")
            if mode != "External":
                target = _resolve(path.parent, target)
            found[rel.get("Id", "")] = (rel.get("Type", ""), target, mode)
        return found


def _resolve(base: PurePosixPath, target: str) -> str:
    parts: list[str] = [] if target.startswith("/") else [p for p in str(base).split("/") if p and p != "."]
    for piece in target.lstrip("/").split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


# ---------------------------------------------------------------- styles and numbering


@cache
def template_roles(name: str | None = None) -> dict[str, str]:
    """Style name (case-folded) → role, from the styles table of the named
    bundled template, else of every bundled template (the first one wins)."""
    roles: dict[str, str] = {}
    templates = sorted(list_templates(), key=lambda t: t.name != DEFAULT_TEMPLATE)  # the default's table first
    named = [t for t in templates if t.name == name]
    for template in named or templates:
        for style, role in template.roles.items():
            roles.setdefault(style.casefold(), role)
    return roles


_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def _custom_properties(package: _Package) -> dict[str, str]:
    """docProps/custom.xml as name → text (Communique writes the template's
    name and the metadata the core properties do not hold)."""
    part = next((t for k, t, _ in package.rels("").values() if k == _CUSTOM_REL), None)
    root = package.xml(part) if part else None
    out: dict[str, str] = {}
    for prop in root.iterfind(f"{{{_CUSTOM}}}property") if root is not None else ():
        value = "".join(str(part) for part in prop.itertext()).strip()
        if prop.get("name"):
            out[prop.get("name", "")] = value
    return out


@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    num: tuple[str, int] | None  # numbering a style carries (List Number)
    indent: int | None  # w:ind left, twips
    align: str | None = None  # w:jc: "center", "right", …
    bold: bool | None = None  # w:b in the style's run properties; None: not said


@dataclass
class _Level:
    fmt: str
    text: str
    start: int
    indent: int | None
    font: str | None = None  # a bullet's font (Symbol, Wingdings)


@dataclass
class _Numbering:
    """numId → (abstract id, levels, start overrides)."""

    nums: dict[str, tuple[str, dict[int, _Level], dict[int, int]]] = field(default_factory=dict)

    def level(self, num_id: str, ilvl: int) -> _Level | None:
        entry = self.nums.get(num_id)
        return entry[1].get(ilvl) if entry else None

    def list_key(self, num_id: str, ilvl: int) -> tuple[str, int]:
        """Lists count per abstract definition and level: Word's numbering
        goes on across every w:num of one definition."""
        return self.nums[num_id][0], ilvl

    def restarts(self, num_id: str, ilvl: int) -> bool:
        """Whether this w:num restarts the count (a start override)."""
        return ilvl in self.nums[num_id][2]

    def start(self, num_id: str, ilvl: int) -> int:
        _, levels, overrides = self.nums[num_id]
        return overrides.get(ilvl, levels[ilvl].start if ilvl in levels else 1)


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _indent(ppr: etree._Element | None) -> int | None:
    ind = ppr.find(_w("ind")) if ppr is not None else None
    if ind is None:
        return None
    return _int(ind.get(_w("left")) or ind.get(_w("start")))


def _num_pr(ppr: etree._Element | None) -> tuple[str, int] | None:
    num = ppr.find(_w("numPr")) if ppr is not None else None
    if num is None:
        return None
    num_id = num.find(_w("numId"))
    ilvl = num.find(_w("ilvl"))
    value = num_id.get(_w("val")) if num_id is not None else None
    if value is None:
        return None
    return value, _int(ilvl.get(_w("val")) if ilvl is not None else None, 0) or 0


def _styles(root: etree._Element | None) -> dict[str, _Style]:
    styles: dict[str, _Style] = {}
    for node in root.iterfind(_w("style")) if root is not None else ():
        if node.get(_w("type")) != "paragraph":
            continue
        name = node.find(_w("name"))
        based = node.find(_w("basedOn"))
        ppr = node.find(_w("pPr"))
        outline = ppr.find(_w("outlineLvl")) if ppr is not None else None
        styles[node.get(_w("styleId"), "")] = _Style(
            name=name.get(_w("val"), "") if name is not None else "",
            based_on=based.get(_w("val")) if based is not None else None,
            outline=_int(outline.get(_w("val"))) if outline is not None else None,
            num=_num_pr(ppr),
            indent=_indent(ppr),
            align=_prop(ppr, "jc"),
            bold=_bold(node.find(_w("rPr"))),
        )
    return styles


def _character_styles(root: etree._Element | None) -> dict[str, str]:
    """Character style id → name (case-folded)."""
    out: dict[str, str] = {}
    for node in root.iterfind(_w("style")) if root is not None else ():
        name = node.find(_w("name"))
        if node.get(_w("type")) == "character" and name is not None:
            out[node.get(_w("styleId"), "")] = name.get(_w("val"), "").casefold()
    return out


def _bold_character_styles(root: etree._Element | None) -> dict[str, bool]:
    """Character style id → whether it makes text bold, where it says."""
    out: dict[str, bool] = {}
    for node in root.iterfind(_w("style")) if root is not None else ():
        bold = _bold(node.find(_w("rPr")))
        if node.get(_w("type")) == "character" and bold is not None:
            out[node.get(_w("styleId"), "")] = bold
    return out


def _bold(rpr: etree._Element | None) -> bool | None:
    """Whether run properties make text bold; None where they do not say."""
    node = rpr.find(_w("b")) if rpr is not None else None
    return None if node is None else node.get(_w("val"), "true") not in ("0", "false", "off")


def _numbering(root: etree._Element | None) -> _Numbering:
    found = _Numbering()
    if root is None:
        return found
    abstracts: dict[str, dict[int, _Level]] = {}
    for abstract in root.iterfind(_w("abstractNum")):
        abstracts[abstract.get(_w("abstractNumId"), "")] = _levels(abstract)
    for num in root.iterfind(_w("num")):
        abstract_ref = num.find(_w("abstractNumId"))
        abstract_id = abstract_ref.get(_w("val"), "") if abstract_ref is not None else ""
        levels = dict(abstracts.get(abstract_id, {}))
        overrides: dict[int, int] = {}
        for override in num.iterfind(_w("lvlOverride")):
            ilvl = _int(override.get(_w("ilvl")), 0) or 0
            start = override.find(_w("startOverride"))
            if start is not None:
                overrides[ilvl] = _int(start.get(_w("val")), 1) or 0
            levels.update(_levels(override))
        found.nums[num.get(_w("numId"), "")] = (abstract_id, levels, overrides)
    return found


def _levels(parent: etree._Element) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for lvl in parent.iterfind(_w("lvl")):

        def val(tag: str, node: etree._Element = lvl) -> str | None:
            found = node.find(_w(tag))
            return found.get(_w("val")) if found is not None else None

        levels[_int(lvl.get(_w("ilvl")), 0) or 0] = _Level(
            fmt=val("numFmt") or "decimal",
            text=val("lvlText") or "",
            start=_int(val("start"), 1) or 0,
            indent=_indent(lvl.find(_w("pPr"))),
            font=_run_font(lvl.find(_w("rPr"))),
        )
    return levels


# ---------------------------------------------------------------- paragraphs


@dataclass
class _Para:
    """One body paragraph as the reader sees it."""

    role: str | None  # from its style; None: a plain paragraph
    content: Content
    num: tuple[str, int] | None
    indent: int
    depth: int = 0  # "continued N" styles: the list level it continues
    style: str | None = None  # its paragraph style's name
    bold: bool = False  # all its text bold (by its runs or its style)
    align: str | None = None  # its alignment (w:jc), its own or its style's
    table: Table | None = None  # a table standing here, read whole
    picture: Picture | None = None  # a picture standing here

    def text(self) -> str:
        return _content_text(self.content)

    @property
    def position(self) -> tuple[int, int]:
        """How deep a list item sits: its numbering level, then its indent."""
        return (self.num[1] if self.num else 0), self.indent


class _Reader:
    def __init__(self, package: _Package) -> None:
        self.package = package
        main = next(
            (target for kind, target, _ in package.rels("").values() if kind == _DOC_REL),
            "word/document.xml",
        )
        root = package.xml(main)
        body = root.find(_w("body")) if root is not None else None
        if body is None:
            raise CommuniqueError("not a Word file (no main document part)")
        self.body: etree._Element = body
        self.rels = package.rels(main)
        parts = {kind.rsplit("/", 1)[-1]: target for kind, target, _ in self.rels.values()}
        styles_part = package.xml(parts["styles"]) if "styles" in parts else None
        self.styles = _styles(styles_part)
        self.character_styles = _character_styles(styles_part)
        self.bold_styles = _bold_character_styles(styles_part)
        self.numbering = _numbering(package.xml(parts["numbering"]) if "numbering" in parts else None)
        self.note_parts = {kind: self._notes(parts.get(f"{kind}s"), kind) for kind in ("footnote", "endnote")}
        self.word_footnotes: list[Footnote] = []
        self.word_endnotes: list[Footnote] = []
        self.unmapped_symbols = 0  # symbol-font characters with no Unicode equivalent
        self.pictures_read = 0  # pictures kept as the model's pictures
        core_part = next((t for k, t, _ in package.rels("").values() if k == _CORE_REL), "docProps/core.xml")
        self.core = package.xml(core_part)
        self.ours = any(_is_ours(s.name) for s in self.styles.values())
        self.custom = _custom_properties(package) if self.ours else {}
        self.roles = template_roles(self.custom.get("extends") or self.custom.get("template"))

    def _notes(self, part: str | None, kind: str) -> dict[str, etree._Element]:
        root = self.package.xml(part) if part else None
        return {note.get(_w("id"), ""): note for note in (root.iterfind(_w(kind)) if root is not None else ())}

    def report(self, source: str, tracked_changes: str) -> None:
        """Say what the file holds that the model does not carry: tracked
        changes (accepted, or refused on request), comments, pictures."""
        changes = sum(1 for tag in _TRACKED for _ in self.body.iter(_w(tag)))
        if changes and tracked_changes == "refuse":
            raise CommuniqueError(
                f"the Word file has {changes} tracked changes; accept or reject them in Word "
                "(or build without --tracked-changes refuse to publish them as accepted)"
            )
        comments = len({ref.get(_w("id")) for ref in self.body.iter(_w("commentReference"))})
        pictures = sum(1 for node in self.body.iter() if isinstance(node.tag, str) and _is_picture(node))
        pictures = max(0, pictures - self.pictures_read)
        notices = (
            (changes, "tracked change(s) published as accepted"),
            (comments, "comment(s) left out"),
            (pictures, "picture(s) not in PNG, JPEG, GIF, BMP or TIFF left out (their alternative text is kept)"),
            (self.unmapped_symbols, "symbol-font character(s) with no Unicode equivalent left out"),
        )
        for count, what in notices:
            if count:
                log.warning("%s: %d %s", source, count, what)

    # -- roles

    def role_of(self, style_id: str | None) -> tuple[str | None, int]:
        """A style's role and, for a "continued N" style, its list depth."""
        seen: set[str] = set()
        depth = 0
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            style = self.styles[style_id]
            name = style.name.casefold()
            match = _CONTINUED.match(name)
            if match and not depth:
                depth = int(match.group("depth") or 1)
            role = self.roles.get(name) if self.ours else None
            role = role or _WORD_ROLES.get(name)
            if role == "decor" and not self.ours:
                role = None  # a foreign body paragraph on the Header style is still body text
            heading = _HEADING.match(name)
            if role is None and heading:
                role = f"heading {heading.group('level')}"
            if role is None and style.outline is not None and style.outline < 9:
                role = f"heading {style.outline + 1}"
            if role is None and re.match(r"list (number|bullet|paragraph)", name):
                role = "paragraph"
            if role is not None:
                return role, depth
            style_id = style.based_on
        return None, depth

    def paragraphs(self, container: etree._Element | None = None) -> list[_Para]:
        """The paragraphs of the body (or of a table cell) in reading order,
        each table as one `_Para` holding it."""
        out: list[_Para] = []
        drop_cap: Content = ()  # a drop cap's letters, a frame of their own before the rest of the paragraph
        for p in _body_paragraphs(self.body if container is None else container, self.flattened):
            if p.tag == _w("tbl"):
                table = self.table(p)
                if table is not None:
                    out.append(_Para(None, (), None, 0, table=table))
                continue
            ppr = p.find(_w("pPr"))
            style_node = ppr.find(_w("pStyle")) if ppr is not None else None
            style_id = style_node.get(_w("val")) if style_node is not None else None
            if style_id is None:
                style_id = next((k for k, s in self.styles.items() if s.name.casefold() == "normal"), None)
            role, depth = self.role_of(style_id)
            outline = ppr.find(_w("outlineLvl")) if ppr is not None else None
            if role is None and outline is not None and (_int(outline.get(_w("val")), 9) or 0) < 9:
                role = f"heading {(_int(outline.get(_w('val')), 0) or 0) + 1}"
            num = _num_pr(ppr) or self._style_value(style_id, "num")
            if num is not None and (num[0] == "0" or num[0] not in self.numbering.nums):
                num = None
            indent = _indent(ppr)
            if indent is None and num is not None:
                level = self.numbering.level(*num)
                indent = level.indent if level else None
            if indent is None:
                indent = self._style_value(style_id, "indent")
            content = self.runs(p)
            frame = ppr.find(_w("framePr")) if ppr is not None else None
            if frame is not None and frame.get(_w("dropCap")) in ("drop", "margin"):
                drop_cap += content
                continue
            content, drop_cap = _tidy([*drop_cap, *content]), ()
            pictures = [_Para(None, (), None, 0, picture=picture) for picture in self.pictures(p)]
            if _content_text(content).strip() or num is not None:
                style = self.styles[style_id].name if style_id in self.styles else None
                align = _prop(ppr, "jc") or self._style_value(style_id, "align")
                bold = self.all_bold(p, bool(self._style_value(style_id, "bold")))
                out.append(_Para(role, content, num, indent or 0, depth, style=style, bold=bold, align=align))
            out.extend(pictures)  # a paragraph's pictures follow its text
        return out

    def pictures(self, p: etree._Element) -> list[Picture]:
        """The pictures in a paragraph's own runs (a text box's are its own
        paragraphs'), each a PNG or JPEG (GIF, BMP and TIFF converted to PNG)
        at its size in the file, with its alternative text; in our own copy
        only the document's pictures, not the template's letterhead."""
        found: list[Picture] = []
        for run, _ in _inline_runs(p, self.rels):
            for frame in run:
                if not isinstance(frame.tag, str) or etree.QName(frame).localname not in ("drawing", "pict", "object"):
                    continue
                picture = self.picture(frame)
                if picture is not None:
                    found.append(picture)
        self.pictures_read += len(found)
        return found

    def picture(self, frame: etree._Element) -> Picture | None:
        doc_pr = next(frame.iter(f"{{{_DRAWING_NS}}}docPr"), None)
        if self.ours and (doc_pr is None or not doc_pr.get("name", "").startswith(PICTURE_NAME)):
            return None
        blip = next(frame.iter(f"{{{_DRAWINGML}}}blip"), None)
        vml = next(frame.iter(f"{{{_VML}}}imagedata"), None)
        rid = blip.get(f"{{{R}}}embed") if blip is not None else vml.get(f"{{{R}}}id") if vml is not None else None
        rel = self.rels.get(rid or "")
        if rel is None or rel[2] == "External":
            return None
        data = _png_or_jpeg(self.package.raw(rel[1]) or b"")
        if data is None:
            return None
        extent = next(frame.iter(f"{{{_DRAWING_NS}}}extent"), None)
        width = height = None
        if extent is not None and (_int(extent.get("cx"), 0) or 0) > 0 and (_int(extent.get("cy"), 0) or 0) > 0:
            width, height = int(extent.get("cx", "0")) / _EMU_PER_POINT, int(extent.get("cy", "0")) / _EMU_PER_POINT
        shape = vml.getparent() if vml is not None and width is None else None
        if shape is not None:  # a VML picture: its size in the shape's style, "width:120pt;height:40pt"
            width, height = (_css_length(shape.get("style", ""), side) for side in ("width", "height"))
        alt = _alt_text(frame) or ""
        return Picture(data, alt=alt[1:-1] if alt else "", width=width, height=height)

    def flattened(self, tbl: etree._Element) -> bool:
        """A table read as the paragraphs it holds: one of our grids (signers
        side by side), whose paragraphs with text are all metadata."""
        if not self.ours:
            return False
        roles = [self.role_of(_style_id(p))[0] or "" for p in tbl.iter(_w("p")) if _text_of_node(p).strip()]
        return bool(roles) and all(role.startswith("meta.") or role == "decor" for role in roles)

    def table(self, tbl: etree._Element) -> Table | None:
        """A Word table as the model's: merged cells as spans (gridSpan
        across, vMerge down), the leading rows marked to repeat as header
        rows, the grid's column widths as shares; short rows filled with
        empty cells. None for a table with no cells."""
        rows: list[list[TableCell]] = []
        starts: list[list[int]] = []  # each cell's first grid column, row by row
        header_rows, in_header = 0, True
        for tr in _children(tbl, "tr"):
            tr_pr = tr.find(_w("trPr"))
            if in_header and tr_pr is not None and tr_pr.find(_w("tblHeader")) is not None:
                header_rows += 1
            else:
                in_header = False
            cells: list[TableCell] = []
            columns: list[int] = []
            column = _int(_grid_skip(tr_pr, "gridBefore"), 0) or 0
            if column:
                cells.append(TableCell((), col_span=column))
                columns.append(0)
            for tc in _children(tr, "tc"):
                tc_pr = tc.find(_w("tcPr"))
                span = max(1, _int(_prop(tc_pr, "gridSpan"), 1) or 1)
                merge = tc_pr.find(_w("vMerge")) if tc_pr is not None else None
                if (
                    merge is not None
                    and merge.get(_w("val"), "continue") == "continue"
                    and self._extend(rows, starts, column)
                ):
                    column += span
                    continue
                cells.append(TableCell(tuple(self.cell_blocks(tc)), col_span=span))
                columns.append(column)
                column += span
            rows.append(cells)
            starts.append(columns)
        if not any(rows):
            return None
        widths = [(_int(col.get(_w("w")), 0) or 0) for col in _children(tbl.find(_w("tblGrid")), "gridCol")]
        filled: dict[int, int] = {}  # row → grid columns its cells and the spans into it fill
        for r, (row, columns) in enumerate(zip(rows, starts, strict=True)):
            for cell, start in zip(row, columns, strict=True):
                for below in range(r, r + cell.row_span):
                    filled[below] = max(filled.get(below, 0), start + cell.col_span)
        columns_count = max(filled.values())
        for r, row in enumerate(rows):
            if filled[r] < columns_count:
                row.append(TableCell((), col_span=columns_count - filled[r]))
        table = Table(tuple(tuple(row) for row in rows), header_rows=min(header_rows, len(rows) - 1))
        if len(widths) == columns_count and min(widths, default=0) > 0:
            # the twips of the grid, shares again: 0.25 stays 0.25 through the round trip
            table = replace(table, widths=tuple(max(round(w / sum(widths), 3), 0.001) for w in widths))
        return table

    @staticmethod
    def _extend(rows: list[list[TableCell]], starts: list[list[int]], column: int) -> bool:
        """Lengthen by one row the cell above that starts at `column` (a
        vertical merge going on); False when no row above has one there."""
        for r in range(len(rows) - 1, -1, -1):
            if column in starts[r]:
                index = starts[r].index(column)
                cell = rows[r][index]
                if cell.row_span < len(rows) - r:  # a merge broken by a row in between
                    return False
                rows[r][index] = replace(cell, row_span=cell.row_span + 1)
                return True
        return False

    def cell_blocks(self, tc: etree._Element) -> list[Block]:
        """A cell's blocks: its paragraphs, lists and nested tables."""
        builder = _ListBuilder(self.numbering)
        for para in self.paragraphs(tc):
            if para.table is not None or para.picture is not None:
                builder.mark()
                builder.blocks.append(para.table or para.picture)  # type: ignore[arg-type]
            elif para.role not in ("decor",) and not (para.role or "").startswith("meta."):
                builder.add(para)
        return builder.finish()

    def all_bold(self, p: etree._Element, style_bold: bool) -> bool:
        """Whether every run of `p` that shows text is bold: by its own
        properties, else its character style, else the paragraph style's."""
        shown = False
        for node, _ in _inline_runs(p, self.rels):
            if not any(part.tag == _w("t") and _text_of_node(part).strip() for part in node):
                continue
            shown = True
            rpr = node.find(_w("rPr"))
            bold = _bold(rpr)
            if bold is None:
                style = rpr.find(_w("rStyle")) if rpr is not None else None
                bold = self.bold_styles.get(style.get(_w("val"), "") if style is not None else "")
            if not (style_bold if bold is None else bold):
                return False
        return shown

    def _style_value(self, style_id: str | None, attr: str) -> Any:
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            value = getattr(self.styles[style_id], attr)
            if value is not None:
                return value
            style_id = self.styles[style_id].based_on
        return None

    # -- inline

    def runs(self, p: etree._Element) -> Content:
        out: list[Inline] = []
        in_field_code = False
        for node, href in _inline_runs(p, self.rels):
            if etree.QName(node).namespace == wordmath.M:  # an equation, as linear text
                out.append(Inline("text", wordmath.linear(node)))
                continue
            if self.ours and self._template_text(node):
                continue
            if self._note_mark(node):  # a note's own custom mark ("*"): its label, not its text
                continue
            rpr = node.find(_w("rPr"))
            font = _run_font(rpr)
            custom: str | None = None  # the kind of note whose custom mark (w:customMarkFollows) follows
            for part in node:
                tag = etree.QName(part).localname
                if custom is not None and tag == "t":
                    out[-1] = Inline("footnote_ref", self.relabel(custom, _text_of_node(part)))
                    custom = None
                    continue
                if tag == "fldChar":
                    kind = part.get(_w("fldCharType"))
                    in_field_code = kind == "begin"
                    continue
                if in_field_code:
                    continue
                if tag in ("footnoteReference", "endnoteReference"):
                    out.append(Inline("footnote_ref", self.word_note(tag[:-9], part.get(_w("id"), ""))))
                    if part.get(_w("customMarkFollows")) in ("1", "true", "on"):
                        custom = tag[:-9]
                    continue
                # itertext: an unexpanded entity reference must not cut the text after it
                text = {"t": _text_of_node(part), "tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "\u2011"}.get(
                    tag
                )
                if tag == "sym":
                    text = _symbol_char(part.get(_w("char")))
                    font = part.get(_w("font")) or font
                elif tag in ("drawing", "pict", "object"):
                    # A picture read as one keeps its alternative text there; in our own copy the
                    # template's pictures (the letterhead) are not the document's.
                    text = None if self.ours or self.picture(part) is not None else _alt_text(part)
                if text is None:
                    continue
                text = self.characters(text, font)
                kind = self.run_kind(rpr, text, href)
                if kind != "footnote_ref" and _superscript(rpr):
                    text = wordchars.superscript(text) or text
                out.append(Inline(kind, text, href))
        if self.ours:  # our writer bound dates and "№ 439" with no-break spaces
            return tuple(replace(run, text=unbind_spaces(run.text)) for run in _tidy(out))
        return _tidy(out)

    def _template_text(self, run: etree._Element) -> bool:
        """A run in our "Template text" character style: text the template
        added (a composed headline's number and date), not the document's."""
        style = run.find(f"{_w('rPr')}/{_w('rStyle')}")
        return style is not None and self.character_styles.get(style.get(_w("val"), "")) == "template text"

    def characters(self, text: str, font: str | None) -> str:
        """Control characters dropped, symbol-font characters as the Unicode
        characters they show (counted where none is known)."""
        text = wordchars.drop_controls(text)
        if not any(wordchars.is_private(c) for c in text) and not wordchars.symbol_font(font):
            return text
        out: list[str] = []
        for char in text:
            if wordchars.is_private(char) or (wordchars.symbol_font(font) and char.strip()):
                mapped = wordchars.from_symbol_font(char, font)
                if mapped is None:
                    self.unmapped_symbols += 1
                    continue
                char = mapped
            out.append(char)
        return "".join(out)

    def run_kind(self, rpr: etree._Element | None, text: str, href: str | None) -> Any:
        """A run's inline kind. Superscript text is a footnote mark only in
        our own files (which write marks so); elsewhere a real footnote
        reference is the only mark, and "мм²" keeps its superscript two."""
        if self.ours and _superscript(rpr) and text and text.strip() == text and len(text) <= 4:
            return "footnote_ref"
        return _run_kind(rpr, href)

    def _note_mark(self, run: etree._Element) -> bool:
        """A run in Word's "footnote reference" style holding only text: the
        custom mark a note's text starts with ("*")."""
        style = run.find(f"{_w('rPr')}/{_w('rStyle')}")
        if style is None or self.character_styles.get(style.get(_w("val"), "")) != "footnote reference":
            return False
        return all(etree.QName(part).localname in ("rPr", "t") for part in run)

    def relabel(self, kind: str, mark: str) -> str:
        """The note just read takes its custom mark as its label."""
        notes = self.word_footnotes if kind == "footnote" else self.word_endnotes
        label = mark.strip()
        if notes and label:
            notes[-1] = replace(notes[-1], label=label)
        return notes[-1].label if notes else label

    def word_note(self, kind: str, note_id: str) -> str:
        """Read a footnote or endnote once; its label. Footnotes number 1, 2, …;
        endnotes i, ii, … as Word numbers them, and follow the footnotes."""
        notes = self.word_footnotes if kind == "footnote" else self.word_endnotes
        label = str(len(notes) + 1) if kind == "footnote" else format_number("lower-roman", len(notes) + 1)
        note = self.note_parts[kind].get(note_id)
        runs: list[Inline] = []
        for p in note.iter(_w("p")) if note is not None else ():
            if runs:
                runs.append(Inline("text", " "))
            runs.extend(self.runs(p))
        content = tuple(r for r in _tidy(runs) if r.kind != "footnote_ref")
        notes.append(Footnote(label, _strip(content)))
        return label

    # -- the document

    def document(self) -> Document:
        paragraphs = self.paragraphs()
        meta_lines: dict[str, str] = {}
        footnotes: list[Footnote] = []
        blocks = _ListBuilder(self.numbering)
        plain: list[tuple[int, _Para]] = []  # paragraphs whose role the plain-text rules decide
        title_at: int | None = None  # the block a foreign file's Title-styled paragraph stands before
        for para in paragraphs:
            if para.table is not None or para.picture is not None:
                blocks.mark()
                blocks.blocks.append(para.table or para.picture)  # type: ignore[arg-type]
                continue
            role = para.role
            if role == "decor":
                continue
            if role and role.startswith("meta."):
                text = _content_text(tuple(r for r in para.content if r.kind != "footnote_ref"))
                meta_lines.setdefault(role[5:], text.strip())  # a title's footnote mark is not its text
                if role == "meta.title" and not self.ours and title_at is None and not blocks.stack:
                    title_at = len(blocks.blocks)
                continue
            if role == "footnote" and para.num is None:
                footnotes.append(_footnote(para.content))
                continue
            if role is None and not self.ours and para.num is None and para.depth == 0:
                plain.append((blocks.mark(), para))
            blocks.add(para)
        result = blocks.finish()
        meta = self.meta(meta_lines, result)
        if plain:
            meta, result = _classify_plain(meta, result, plain, title_at)
        from communique.readers.plaintext import stated  # roles the file's styles state are sure ones

        read = (*result, *footnotes, *self.word_footnotes, *self.word_endnotes)
        return Document(meta=meta, blocks=tuple(stated(b) for b in read))

    def meta(self, lines: dict[str, str], blocks: list[Block]) -> Meta:
        core = self.core

        def prop(name: str) -> str | None:
            node = core.find(name, _CORE) if core is not None else None
            text = (node.text or "").strip() if node is not None else ""
            return text or None

        kind = prop("dc:subject")
        language = _language(prop("dc:language"))
        if self.ours and self.custom.get("language") == "":  # the source gave none; the template's was written
            language = None
        date = _date(prop("dcterms:created"))
        place = None
        if "place_date" in lines:
            place = _place_from_dateline(lines["place_date"], date, language)
        else:
            place = _place_from_blocks(blocks)
        found = Meta(
            kind=kind if kind and re.fullmatch(r"[a-z][a-z-]{1,30}", kind) else "statement",
            title=lines.get("title") or _core_title(prop("dc:title"), self.ours),
            subtitle=lines.get("subtitle"),
            language=language,
            # Our files say the issuer and reference in the properties; in a
            # foreign file they name whoever typed it and their own keywords.
            issuer=(prop("dc:creator") if self.ours else None) or lines.get("issuer"),
            reference=(self.custom.get("reference") or prop("cp:keywords") if self.ours else None)
            or lines.get("reference"),
            date=date,
            place=place,
        )
        return self.with_custom_meta(found)

    def with_custom_meta(self, found: Meta) -> Meta:
        """The metadata our custom properties carry (unit, addressee,
        signatories …) under what the page and core properties say; a
        property that does not fit the model is left out."""
        given: dict[str, Any] = {}
        for name in ({f.name for f in fields(Meta)} - {"template", "extends"}) & set(self.custom):
            raw = self.custom[name]
            if not raw:
                continue
            if name in META_LIST_FIELDS or name in META_RECORDS:
                try:
                    given[name] = json.loads(raw)
                except ValueError:
                    continue
            else:
                given[name] = raw
        empty = meta_to_dict(Meta())
        shown = {name: value for name, value in meta_to_dict(found).items() if value != empty[name] or name == "kind"}
        try:
            return meta_from_dict({**given, **shown})
        except ModelError:
            return found


def _text_of_node(node: etree._Element) -> str:
    """All the text inside an element, entity references left as written."""
    return "".join(str(part) for part in node.itertext())


def _is_ours(style_name: str) -> bool:
    """A style only a Communique template defines (not one of Word's own)."""
    name = style_name.casefold()
    return name in template_roles() and name not in _WORD_ROLES and not _HEADING.match(name)


def _body_paragraphs(body: etree._Element, flattened: Any = None) -> list[etree._Element]:
    """Paragraphs and tables (`w:tbl`, read whole) in reading order, through
    content controls and tracked insertions and moves; a table `flattened`
    says to read as paragraphs gives its paragraphs. A paragraph's text
    boxes and shapes follow it (once: the VML fallback copy of a DrawingML
    text box is skipped)."""
    out: list[etree._Element] = []
    for node in body:
        tag = etree.QName(node).localname if isinstance(node.tag, str) else ""
        if tag == "p":
            out.append(node)
            for box in _text_boxes(node):
                out.extend(_body_paragraphs(box, flattened))
        elif tag == "tbl" and not (flattened and flattened(node)):
            out.append(node)
        elif tag in ("tbl", "sdt", "customXml", "ins", "moveTo", "sdtContent", "tr", "tc"):
            out.extend(_body_paragraphs(node, flattened))
    return out


def _style_id(p: etree._Element) -> str | None:
    node = p.find(f"{_w('pPr')}/{_w('pStyle')}")
    return node.get(_w("val")) if node is not None else None


def _children(node: etree._Element | None, tag: str) -> list[etree._Element]:
    """The `w:<tag>` children of a table part, through content controls,
    custom XML and tracked insertions around them."""
    out: list[etree._Element] = []
    for child in node if node is not None else ():
        name = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name == tag:
            out.append(child)
        elif name in ("sdt", "sdtContent", "customXml", "ins", "moveTo"):
            out.extend(_children(child, tag))
    return out


def _prop(parent: etree._Element | None, tag: str) -> str | None:
    node = parent.find(_w(tag)) if parent is not None else None
    return node.get(_w("val")) if node is not None else None


def _grid_skip(tr_pr: etree._Element | None, tag: str) -> str | None:
    """A row's `gridBefore` (grid columns left empty before its first cell)."""
    return _prop(tr_pr, tag)


def _text_boxes(p: etree._Element) -> list[etree._Element]:
    """The outermost text box contents inside a paragraph, in document order."""
    boxes: list[etree._Element] = []
    for box in p.iter(_w("txbxContent")):
        outer = box.getparent()
        nested = False
        while outer is not None and outer is not p:
            if outer.tag == _w("txbxContent") or outer.tag == _MC_FALLBACK:
                nested = True
                break
            outer = outer.getparent()
        if not nested:
            boxes.append(box)
    return boxes


def _inline_runs(p: etree._Element, rels: dict[str, tuple[str, str, str]]) -> list[tuple[etree._Element, str | None]]:
    """The paragraph's runs with their link targets, through hyperlinks,
    insertions, smart tags and content controls (deleted text is skipped)."""
    out: list[tuple[etree._Element, str | None]] = []

    def walk(node: etree._Element, href: str | None) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if tag == "r" or (tag in ("oMath", "oMathPara") and etree.QName(child).namespace == wordmath.M):
                out.append((child, href))
            elif tag == "hyperlink":
                rel = rels.get(child.get(f"{{{R}}}id", ""))
                walk(child, rel[1] if rel and rel[2] == "External" else href)
            elif tag in ("ins", "moveTo", "smartTag", "customXml", "sdt", "sdtContent", "fldSimple", "dir", "bdo"):
                walk(child, href)

    walk(p, None)
    return out


def _on(rpr: etree._Element | None, tag: str) -> bool:
    node = rpr.find(_w(tag)) if rpr is not None else None
    return node is not None and node.get(_w("val"), "true") not in ("0", "false", "off")


def _symbol_char(code: str | None) -> str:
    """A `w:sym` character (its hex code); a space when it has none."""
    try:
        return chr(int(code or "20", 16))
    except ValueError:
        return " "


def _superscript(rpr: etree._Element | None) -> bool:
    vert = rpr.find(_w("vertAlign")) if rpr is not None else None
    return vert is not None and vert.get(_w("val")) == "superscript"


def _run_font(rpr: etree._Element | None) -> str | None:
    fonts = rpr.find(_w("rFonts")) if rpr is not None else None
    if fonts is None:
        return None
    return fonts.get(_w("ascii")) or fonts.get(_w("hAnsi")) or fonts.get(_w("cs"))


_DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_DRAWINGML = "http://schemas.openxmlformats.org/drawingml/2006/main"
_EMU_PER_POINT = 12700


_CSS_UNITS = {"pt": 1.0, "in": 72.0, "px": 0.75, "mm": 72 / 25.4, "cm": 72 / 2.54, "pc": 12.0}


def _css_length(style: str, name: str) -> float | None:
    """A length in points from a VML shape's CSS style; None where absent."""
    match = re.search(rf"(?:^|;)\s*{name}\s*:\s*([\d.]+)\s*(pt|in|px|mm|cm|pc)?", style)
    if match is None:
        return None
    try:
        value = float(match.group(1)) * _CSS_UNITS[match.group(2) or "px"]
    except ValueError:
        return None
    return value if value > 0 else None


def _png_or_jpeg(data: bytes) -> bytes | None:
    """A picture as PNG or JPEG bytes: those as they are, GIF, BMP and TIFF
    converted to PNG; None for what Pillow cannot read (EMF, WMF, SVG)."""
    if image_type(data) is not None:
        return data
    from PIL import Image as PILImage

    try:
        with PILImage.open(io.BytesIO(data)) as picture:
            if picture.format not in ("GIF", "BMP", "TIFF", "DIB"):
                return None
            out = io.BytesIO()
            picture.convert("RGBA" if "A" in picture.getbands() or "transparency" in picture.info else "RGB").save(
                out, "PNG"
            )
            return out.getvalue()
    except (OSError, ValueError, SyntaxError):
        return None


_VML = "urn:schemas-microsoft-com:vml"


def _is_picture(node: etree._Element) -> bool:
    """A picture: a DrawingML graphic frame or a VML image."""
    return node.tag in (f"{{{_DRAWING_NS}}}docPr", f"{{{_VML}}}imagedata")


def _alt_text(node: etree._Element) -> str | None:
    """A picture's alternative text (description, else title), in brackets."""
    for item in node.iter(f"{{{_DRAWING_NS}}}docPr", f"{{{_VML}}}shape"):
        alt = (item.get("descr") or item.get("title") or item.get("alt") or "").strip()
        if alt:
            return f"[{' '.join(alt.split())}]"
    return None


def _run_kind(rpr: etree._Element | None, href: str | None) -> Any:
    if href:
        return "link"
    if _on(rpr, "b"):
        return "strong"
    if _on(rpr, "i"):
        return "emphasis"
    return "text"


def _tidy(runs: list[Inline]) -> Content:
    """Join neighbouring runs of one kind; trim the paragraph's ends."""
    merged: list[Inline] = []
    for run in runs:
        if merged and merged[-1].kind == run.kind and merged[-1].href == run.href and run.kind != "footnote_ref":
            merged[-1] = replace(merged[-1], text=merged[-1].text + run.text)
        elif run.text:
            merged.append(run)
    return _strip(tuple(merged))


def _strip(content: Content) -> Content:
    runs = list(content)
    if runs and runs[0].kind != "footnote_ref":
        runs[0] = replace(runs[0], text=runs[0].text.lstrip())
    if runs and runs[-1].kind != "footnote_ref":
        runs[-1] = replace(runs[-1], text=runs[-1].text.rstrip())
    return tuple(run for run in runs if run.text)


def _footnote(content: Content) -> Footnote:
    """A footnote paragraph as the template writes it: label, space, text."""
    if content and content[0].kind == "footnote_ref":
        return Footnote(content[0].text, _strip(content[1:]))
    text = _content_text(content)
    label, _, rest = text.partition(" ")
    return Footnote(label, _strip((Inline("text", rest),)))


# ---------------------------------------------------------------- lists


@dataclass
class _Frame:
    """An open list: its numbering, how deep it sits, its items."""

    key: tuple[str, int]  # abstract numbering definition and level
    position: tuple[int, int]  # numbering level, indent of its text (`_Para.position`)
    kind: str
    items: list[tuple[str, list[Block]]] = field(default_factory=list)


class _ListBuilder:
    """Builds blocks from paragraphs, nesting numbered ones into lists."""

    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.stack: list[_Frame] = []
        self.counters: dict[tuple[str, int], int] = {}  # (abstract, level) → last number
        self.started: set[tuple[str, int]] = set()  # (numId, level) whose start override was applied

    def mark(self) -> int:
        """Where the next top-level block will go."""
        self.close(0)
        return len(self.blocks)

    def add(self, para: _Para) -> None:
        block = _text_block(para)
        if para.num is not None:
            self.item(para, block)
        elif para.depth and self.stack:
            self.close(min(para.depth, len(self.stack)))
            self.stack[-1].items[-1][1].append(block)
        else:
            self.close(0)
            self.blocks.append(block)

    def item(self, para: _Para, block: Block) -> None:
        assert para.num is not None
        key = self.numbering.list_key(*para.num)
        restart = self.numbering.restarts(*para.num) and para.num not in self.started
        while self.stack and (
            self.stack[-1].position > para.position
            or (self.stack[-1].position == para.position and (self.stack[-1].key != key or restart))
        ):
            self.close(len(self.stack) - 1)
        if not self.stack or self.stack[-1].key != key or restart:
            level = self.numbering.level(*para.num)
            kind = "bullet_list" if level is not None and level.fmt == "bullet" else "numbered_list"
            self.stack.append(_Frame(key, para.position, kind))
        self.stack[-1].items.append((self.label(*para.num, restart), [block] if _text_of(block) else []))

    def label(self, num_id: str, ilvl: int, restart: bool) -> str:
        """The item's label: the level's pattern with the current counts."""
        key = self.numbering.list_key(num_id, ilvl)[0]
        count = self.counters.get((key, ilvl))
        if restart:
            self.started.add((num_id, ilvl))
        fresh = restart or count is None
        self.counters[(key, ilvl)] = self.numbering.start(num_id, ilvl) if fresh else (count or 0) + 1
        for deeper in [k for k in self.counters if k[0] == key and k[1] > ilvl]:
            del self.counters[deeper]
        level = self.numbering.level(num_id, ilvl)
        if level is None:
            return f"{self.counters[(key, ilvl)]}."
        if level.fmt == "bullet":
            return _bullet(level) or "•"

        def number(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            fmt = self.numbering.level(num_id, at)
            value = self.counters.get((key, at), self.numbering.start(num_id, at))
            return format_number(_FORMATS.get(fmt.fmt if fmt else "decimal", "decimal"), value)

        return re.sub(r"%([1-9])", number, level.text)

    def close(self, keep: int) -> None:
        """Close open lists until `keep` remain, each into its parent."""
        while len(self.stack) > keep:
            frame = self.stack.pop()
            block = ListBlock(frame.kind, tuple(ListItem(label, tuple(b)) for label, b in frame.items))  # type: ignore[arg-type]
            if self.stack:
                self.stack[-1].items[-1][1].append(block)
            else:
                self.blocks.append(block)

    def finish(self) -> list[Block]:
        self.close(0)
        return self.blocks


def _bullet(level: _Level) -> str:
    """A bullet level's label as the characters it shows."""
    out: list[str] = []
    for char in wordchars.drop_controls(level.text):
        if wordchars.is_private(char) or wordchars.symbol_font(level.font):
            char = wordchars.from_symbol_font(char, level.font) or _SYMBOL_BULLETS.get(char, "•")
        out.append(_SYMBOL_BULLETS.get(char, char) if char in ("o",) else char)
    return "".join(out)


def _text_block(para: _Para) -> TextBlock:
    role = para.role or "paragraph"
    if role.startswith("heading "):
        return TextBlock("heading", para.content, level=min(6, int(role.split()[1])))
    if role in ("footnote", "decor") or role.startswith("meta."):
        role = "paragraph"
    return TextBlock(role, para.content)


def _text_of(block: Block) -> str:
    return block.text() if isinstance(block, TextBlock) else "x"


# ---------------------------------------------------------------- metadata


_STALE_TITLE = re.compile(
    r"""^(?:.*\.(?:dotx?|dotm|docx?|docm|rtf|txt|odt)          # a file name: Normal.dot, memo.docx
    |microsoft\ word\ -\ .*                                   # Word's old default: its window title
    |\[.*\]|<.*>|\{.*\}                                         # a placeholder: [Title], <title>
    |(?:document|doc|untitled|title|document\ title|type\ the\ document\ title
      |click\ here\ to\ enter\ (?:a\ )?(?:text|title)|enter\ (?:the\ )?title|your\ title\ here)\ ?\d*)$""",
    re.IGNORECASE | re.VERBOSE,
)


def _core_title(title: str | None, ours: bool) -> str | None:
    """The core properties' title, unless in a foreign file it is a stale
    one: a template's or file's name ("Normal.dot"), or a placeholder
    ("[Title]", "Document1", "Type the document title")."""
    if title is None or ours:
        return title
    return None if _STALE_TITLE.match(title.strip()) else title


def _language(tag: str | None) -> str | None:
    """The document language as the model writes it: "tr-TR" → "tr" when
    the region is only the likely one the template added."""
    if not tag:
        return None
    shorter = tag.rsplit("-", 1)[0]
    return shorter if "-" in tag and locale_tag(shorter) == tag else tag


def _date(created: str | None) -> str | None:
    """The document date: our writer stamps it at noon UTC; any other time
    is when a file was made, not the document's date."""
    if not created:
        return None
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T12:00:00(?:\.0+)?(?:Z|\+00:00)?", created)
    return match.group(1) if match else None


def _place_from_dateline(line: str, date: str | None, language: str | None) -> str | None:
    written = unbind_spaces(format_date(date, language)) if date else ""  # read as the runs were
    if written and line == written:
        return None
    if written and line.endswith(", " + written):
        return line[: -len(written) - 2] or None
    return line or None


def _place_from_blocks(blocks: list[Block]) -> str | None:
    """The place a place-and-date line names, by the plain-text reader's own
    rule: the place before the date ("İstanbul, 11 Ocak 2022"; not a weekday),
    the place of a signing formula, or a place line alone."""
    from communique.readers.metadata_lines import date_line

    for block in blocks:
        if isinstance(block, TextBlock) and block.kind == "place_date":
            text = block.text()
            line = date_line(text)
            place = line[0] if line is not None else text.rstrip(" ,")
            if place:
                return place
    return None


def _classify_plain(
    meta: Meta, blocks: list[Block], plain: list[tuple[int, _Para]], title_at: int | None = None
) -> tuple[Meta, list[Block]]:
    """Roles for a foreign file's unstyled paragraphs by the plain-text
    reader's scored rules, over the whole text as units with what the file
    states: the title (a Title-styled paragraph, where it stood: before
    block `title_at`), headings, quotes and list items, and of each plain
    paragraph its style name, whether it is all bold, centred or aligned
    right. What the rules find fills the metadata the file did not give."""
    from communique.model import TEXT_BLOCK_KINDS
    from communique.readers import plaintext

    units: list[plaintext.Unit] = []
    at: dict[int, int] = {}  # block index → its unit
    hints = dict(plain)
    for i, block in enumerate(blocks):
        if i == title_at and meta.title:
            units.append(plaintext.Unit(meta.title, role="title"))
        if isinstance(block, TextBlock) and i in hints:
            at[i] = len(units)
            para = hints[i]
            units.append(
                plaintext.Unit(
                    block.text(),
                    style=para.style,
                    bold=para.bold,
                    centred=para.align == "center",
                    right=para.align in ("right", "end"),
                )
            )
        elif isinstance(block, TextBlock):
            at[i] = len(units)
            stated = plaintext.stated_role(block.kind)
            units.append(plaintext.Unit(block.text(), role=stated, level=block.level if stated else None))
        elif isinstance(block, ListBlock):
            units.extend(
                plaintext.Unit(_text_of(item.blocks[0]) if item.blocks else "", role="item", label=item.label)
                for item in block.items
            )
    found_meta, roles = plaintext.classify_units(units)
    out: list[Block | None] = list(blocks)
    for index, para in plain:
        role = roles[at[index]]
        text = plaintext.as_unit(para.text())
        # The line that became metadata (a subtitle, where the file's styles gave none) leaves the body.
        if (role.kind == "subtitle" and meta.subtitle is None) or (
            role.kind in ("title", "issuer") and not (meta.title and text != meta.title)
        ):
            out[index] = None  # the line that became metadata
            continue
        block = _text_block(para)
        if role.kind in TEXT_BLOCK_KINDS and role.kind != "heading":
            block = replace(block, kind=role.kind, confidence=role.confidence)
        out[index] = block
    merged = replace(
        meta,
        title=meta.title or found_meta.title,
        subtitle=meta.subtitle or found_meta.subtitle,
        issuer=meta.issuer or found_meta.issuer,
        kind=meta.kind if meta.kind != "statement" else found_meta.kind,
        language=meta.language or found_meta.language,
        reference=meta.reference or found_meta.reference,
        date=meta.date or found_meta.date,
        place=meta.place or found_meta.place,
    )
    return merged, [block for block in out if block is not None]
