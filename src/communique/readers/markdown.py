"""Markdown with YAML front matter to a `Document`.

The front matter (`---` … `---` at the very top) gives the metadata fields
(kind, title, subtitle, language, issuer, reference, date, place), each as
written (`language: no` is Norwegian, `reference: 057` keeps its zero);
`date` must be a real date (YYYY-MM-DD, YYYY-MM or YYYY; a timestamp gives
its date). The body is CommonMark, read with markdown-it-py with raw HTML
off, so `<b>` stays text (entities such as `&amp;` are decoded, as
CommonMark says). What Markdown marks up, it decides:

- the first `# H1` is the title unless the front matter has one (an H1
  repeating it is dropped; any other H1 is a level-1 heading); `##` is
  level 1, `###` level 2 … (the title sits above level 1, as in the
  templates' outline levels);
- ordered and bullet lists keep their labels as written ("3)", "-"), and
  nested lists go into their item's blocks; a blockquote's text is `quote`;
- `*em*`, `**strong**`, links with their href (when styles nest, the
  strongest wins: link, strong, emphasis); code spans, code blocks and
  image alt texts are plain text; a thematic break is dropped;
- a hard line break (two trailing spaces or a backslash) ends a block: the
  model has no line break, and the lines a writer breaks by hand
  (signature, address, place and date) are separate blocks in it; a soft
  break is a space;
- footnotes, minimally: a top-level paragraph `[^1]: text` is footnote
  "1" (one paragraph), and `[^1]` in text refers to it.

What Markdown does not say — recital, chapeau, closing formula, signature,
place and date … — the plain-text reader's scored rules decide for
top-level paragraphs (`plaintext.classify_units`, over the whole text as
units carrying what Markdown states of each); the metadata they find fills
fields the front matter left empty. Paragraphs inside lists
and quotes are left as they are: "(a)" in an item's text stays text.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock, paragraph
from markdown_it.token import Token

from communique.errors import CommuniqueError
from communique.model import (
    META_LIST_FIELDS,
    META_RECORDS,
    TEXT_BLOCK_KINDS,
    Block,
    Content,
    Document,
    Footnote,
    Inline,
    InlineKind,
    ListBlock,
    ListItem,
    Meta,
    ModelError,
    Picture,
    Table,
    TableCell,
    TextBlock,
    content_text,
    image_type,
    is_iso_date,
    meta_from_dict,
    plain,
)
from communique.readers import plaintext
from communique.readers.decoding import decode


def read(data: bytes, source: str) -> Document:
    """Read a Markdown file's bytes; errors name `source` and the line."""
    try:
        text = decode(data, source).text
        front, body, body_line = _split_front_matter(text)
        fields_given = _front_matter(front) if front is not None else {}
        return _document(fields_given, body, body_line)
    except CommuniqueError as err:
        raise err.located(source) from None


# ---------------------------------------------------------------- front matter

_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Meta))
_FIRST_YAML_LINE = 2  # the front matter's YAML starts on the file's second line
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _split_front_matter(text: str) -> tuple[str | None, str, int]:
    """The front matter's YAML (None without one), the body with the front
    matter's lines blanked (so markdown-it's line numbers are the file's),
    and the body's first line."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, text, 1
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            body = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
            return "\n".join(lines[1:end]), body, end + 2
    raise CommuniqueError("invalid YAML front matter: no closing '---' line", line=1)


def _front_matter(yaml_text: str) -> dict[str, Any]:
    """Metadata fields from the front matter. YAML is composed, never
    constructed: no Python objects are built, and each value is taken as
    written, so `language: no` is Norwegian, not False, and every key and
    value keeps its line for error messages."""
    try:
        root = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + _FIRST_YAML_LINE if mark is not None else 1
        raise CommuniqueError(f"invalid YAML front matter: {err.problem or err.context}", line=line) from None
    except yaml.YAMLError as err:
        raise CommuniqueError(f"invalid YAML front matter: {err}", line=1) from None
    except RecursionError:
        raise CommuniqueError("invalid YAML front matter: nested too deeply", line=1) from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise CommuniqueError(
            "invalid YAML front matter: expected fields as 'name: value' lines",
            line=root.start_mark.line + _FIRST_YAML_LINE,
        )
    values: dict[str, Any] = {}
    seen: set[str] = set()
    for key, node in root.value:
        line = key.start_mark.line + _FIRST_YAML_LINE
        name = key.value if isinstance(key, yaml.ScalarNode) else None
        if name not in _FIELDS:
            raise CommuniqueError(
                f"unknown front matter field {name!r} (known: {', '.join(_FIELDS)})"
                if name is not None
                else "a front matter field name must be a word",
                line=line,
            )
        if name in seen:
            raise CommuniqueError(f"front matter field {name!r} is given twice", line=line)
        seen.add(name)
        value = _structured_value(name, node) if name in _STRUCTURED else _field_value(name, node)
        if value is not None:
            values[name] = value
    return values


_STRUCTURED = (*META_LIST_FIELDS, *META_RECORDS)


def _structured_value(name: str, node: yaml.Node) -> Any:
    """A list or record field (addressee, signatories, contact …), checked
    by the model; a mistake names the line of the field."""
    value = _plain(node)
    try:
        meta_from_dict({name: value})
    except ModelError as err:
        raise CommuniqueError(
            f"front matter field {name!r}: {err.message} at {err.path.removeprefix('/meta/')}",
            line=node.start_mark.line + _FIRST_YAML_LINE,
        ) from None
    return value


def _plain(node: yaml.Node) -> Any:
    """A composed YAML node as plain data, every scalar as the text written."""
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {str(getattr(key, "value", key)): _plain(value) for key, value in node.value}
    if node.tag == _NULL:
        return None
    return _SPACES.sub(" ", str(node.value)).strip()


def _field_value(name: str, node: yaml.Node) -> str | None:
    """One field's text as written, checked; None when empty or null."""
    line = node.start_mark.line + _FIRST_YAML_LINE
    if not isinstance(node, yaml.ScalarNode):
        raise CommuniqueError(f"front matter field {name!r} must be text, not a list or mapping", line=line)
    if node.tag == _NULL:
        return None
    value = _SPACES.sub(" ", str(node.value)).strip()
    if not value:
        return None
    if name == "date":
        if node.tag == _TIMESTAMP:
            value = value[:10]  # "2022-01-11T10:00:00+03:00": the date as written, not converted to UTC
        if not is_iso_date(value):
            raise CommuniqueError(
                f"front matter date {str(node.value)!r} is not a real date (YYYY-MM-DD, YYYY-MM or YYYY)", line=line
            )
    if name == "language" and not _LANGUAGE_TAG.fullmatch(value):
        raise CommuniqueError(f"front matter language {value!r} is not a BCP 47 tag (tr, en, kk-Latn …)", line=line)
    return value


# ---------------------------------------------------------------- parsing

_MAX_NESTING = 20  # markdown-it's own limit; deeper content would be dropped silently
_FOOTNOTE_DEFINITION = re.compile(r"\[\^([^\]\s]+)\]:[ \t]*")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")


def _footnote_definition(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A line starting `[^1]:` opens a paragraph (read as a footnote later),
    never a link reference definition, which would swallow its text."""
    start = state.bMarks[start_line] + state.tShift[start_line]
    if state.sCount[start_line] - state.blkIndent >= 4 or not _FOOTNOTE_DEFINITION.match(state.src, start):
        return False
    return silent or paragraph(state, start_line, end_line, silent)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": _MAX_NESTING})
    md.block.ruler.before("reference", "footnote_definition", _footnote_definition, {"alt": ["paragraph"]})
    md.enable("table")  # GitHub's pipe tables
    return md


def _parse(body: str) -> list[Token]:
    """markdown-it's tokens; nesting beyond its limit is an error, not lost text."""
    tokens = _parser().parse(body)
    for token in tokens:
        # Inside a container opened at this level, markdown-it stops reading.
        if (
            token.nesting == 1
            and token.level >= _MAX_NESTING - 1
            and token.type not in ("paragraph_open", "heading_open")
        ):
            raise CommuniqueError("lists and quotes are nested too deeply", line=_line(token))
    return tokens


def _line(token: Token) -> int | None:
    return token.map[0] + 1 if token.map else None


# ---------------------------------------------------------------- inline

_STYLE_OF: dict[str, InlineKind] = {"em_open": "emphasis", "strong_open": "strong", "link_open": "link"}
_CLOSERS = {"em_close", "strong_close", "link_close"}
_RANK = {"emphasis": 1, "strong": 2, "link": 3}
_SPACES = re.compile(r"[ \n]+")


def _lines(children: list[Token] | None, *, split: bool = True) -> list[Content]:
    """Inline tokens as runs; a hard break starts a new line when `split`
    (else it is a space, like a soft break)."""
    lines: list[list[Inline]] = [[]]
    open_styles: list[tuple[Inline, int]] = []  # style, number of runs in the line when it opened
    for token in children or []:
        if token.type in _STYLE_OF:
            href = token.attrs.get("href")
            style = Inline(_STYLE_OF[token.type], "", None if href is None else str(href))
            open_styles.append((style, len(lines[-1])))
            continue
        if token.type in _CLOSERS:
            style, opened_at = open_styles.pop()
            if style.kind == "link" and len(lines[-1]) == opened_at:  # [](url): show the address
                lines[-1].append(Inline("link", style.href or "", style.href))
            continue
        if token.type == "hardbreak" and split:
            lines.append([])
            continue
        if token.type in ("softbreak", "hardbreak"):
            text = " "
        elif token.type == "image":
            text = content_text(tuple(run for line in _lines(token.children, split=False) for run in line))
        else:  # text, code_inline and anything else with text
            text = token.content
        strongest = max((s for s, _ in open_styles), key=lambda s: _RANK[s.kind], default=None)
        lines[-1].append(Inline(strongest.kind, text, strongest.href) if strongest else Inline("text", text))
    return [_tidy(line) for line in lines]


def _tidy(runs: Iterable[Inline]) -> Content:
    """Runs with spaces collapsed and trimmed, neighbours of one style merged."""
    out: list[Inline] = []
    for run in runs:
        text = _SPACES.sub(" ", run.text)
        if not out or out[-1].text.endswith(" "):
            text = text.lstrip(" ")
        if not text:
            continue
        if out and (out[-1].kind, out[-1].href) == (run.kind, run.href):
            out[-1] = Inline(run.kind, out[-1].text + text, run.href)
        else:
            out.append(Inline(run.kind, text, run.href))
    while out and not out[-1].text.rstrip(" "):
        out.pop()
    if out:
        out[-1] = Inline(out[-1].kind, out[-1].text.rstrip(" "), out[-1].href)
    return tuple(out)


def _one_line(children: list[Token] | None) -> Content:
    return _lines(children, split=False)[0]


# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class _H1:
    """A top-level `# H1`: the title, or a level-1 heading."""

    content: Content


class _Blocks:
    """markdown-it's flat token stream turned into model blocks."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.label: str | None = None  # the label a mark gave the paragraph just read
        self.marked: set[int] = set()  # ids of blocks whose role a mark gave

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def inline(self) -> Token:
        """The inline token of a paragraph or heading, skipping its close."""
        inline = self.take()
        self.take()
        return inline

    def blocks(self, until: str | None = None) -> list[Block | _H1]:
        """Blocks up to the `until` closing token (the end at the top level)."""
        out: list[Block | _H1] = []
        top = until is None
        while self.pos < len(self.tokens):
            token = self.take()
            if token.type == until:
                break
            if token.type == "paragraph_open":
                out.extend(self.paragraph(top))
            elif token.type == "heading_open":
                content = _one_line(self.inline().children)
                level = int(token.tag[1:])
                if content:
                    out.append(_H1(content) if level == 1 and top else TextBlock("heading", content, max(1, level - 1)))
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                out.append(self.list(token))
            elif token.type == "blockquote_open":
                out.extend(_as_quote(b) for b in self.blocks("blockquote_close") if not isinstance(b, _H1))
            elif token.type == "table_open":
                out.append(self.table())
            elif token.type in ("code_block", "fence"):
                content = _tidy(plain(token.content))
                if content:
                    out.append(TextBlock("paragraph", content))
            # "hr" and anything without text: nothing to keep
        return out

    def paragraph(self, top: bool) -> list[Block]:
        """A paragraph: a block per hard-broken line, or a footnote; a mark
        at its end (`{.recital}`, `{label="(a)"}`) gives its role or label."""
        inline = self.inline()
        children = inline.children
        picture = _picture(children)
        if picture is not None:
            return [picture]
        if top:
            content = _one_line(children)
            match = _FOOTNOTE_DEFINITION.match(content[0].text) if content and content[0].kind == "text" else None
            if match:
                rest = content[0].text[match.end() :]
                return [Footnote(match.group(1), (*plain(rest), *content[1:]))]
        mark = _MARK.search(inline.content)
        lines = [line for line in _lines(children) if line]
        if mark is None:
            return [TextBlock("paragraph", line) for line in lines]
        role, self.label = mark.group("role"), mark.group("label")
        if role is not None and role not in TEXT_BLOCK_KINDS:
            raise CommuniqueError(
                f"unknown role mark {{.{role}}} (known: {', '.join(TEXT_BLOCK_KINDS)})", line=_line(inline)
            )
        last = _without_mark(lines[-1] if lines else (), mark.group(0).strip())
        lines = [*lines[:-1], last] if last else lines[:-1]
        blocks = [TextBlock("paragraph", line) for line in lines]
        if role is not None and blocks:
            blocks[-1] = TextBlock(role, blocks[-1].content)
            self.marked.add(id(blocks[-1]))
        return list(blocks)

    def list(self, opening: Token) -> ListBlock:
        """A list whose items keep their labels as written."""
        ordered = opening.type == "ordered_list_open"
        closing = "ordered_list_close" if ordered else "bullet_list_close"
        items: list[ListItem] = []
        while (token := self.take()).type != closing:
            if token.type == "list_item_open":
                label = f"{token.info}{token.markup}" if ordered else token.markup
                self.label = None
                first = self.pos + 1 if self.tokens[self.pos].type == "paragraph_open" else None
                blocks = [b for b in self.blocks("list_item_close") if not isinstance(b, _H1)]
                if first is not None and self.label is not None:
                    label = self.label  # a mark wrote the label Markdown cannot: {label="(a)"}
                self.label = None
                items.append(ListItem(label, tuple(blocks)))
        return ListBlock("numbered_list" if ordered else "bullet_list", tuple(items))

    def table(self) -> Table:
        """A pipe table: its header row (the row above the `---` line) and
        body rows, each cell one paragraph (or none when empty)."""
        rows: list[tuple[TableCell, ...]] = []
        cells: list[TableCell] = []
        header_rows = 0
        while (token := self.take()).type != "table_close":
            if token.type in ("th_open", "td_open"):
                content = _one_line(self.inline().children)
                cells.append(TableCell((TextBlock("paragraph", content),) if content else ()))
            elif token.type == "tr_close":
                rows.append(tuple(cells))
                cells = []
            elif token.type == "thead_close":
                header_rows = len(rows)
        return Table(tuple(rows), header_rows=header_rows)


def _picture(children: list[Token] | None) -> Picture | None:
    """A paragraph that is one picture given by its bytes (`![alt](data:image/png;base64,…)`,
    as our Markdown writer puts a document's picture): that picture."""
    tokens = [t for t in children or [] if not (t.type == "text" and not t.content.strip())]
    if len(tokens) != 1 or tokens[0].type != "image":
        return None
    src = str(tokens[0].attrs.get("src", ""))
    head, _, body = src.partition(",")
    if not (head.startswith("data:image/") and head.endswith(";base64")):
        return None
    try:
        data = base64.b64decode(body, validate=True)
    except binascii.Error:
        return None
    if image_type(data) is None:
        return None
    alt = content_text(tuple(run for line in _lines(tokens[0].children, split=False) for run in line))
    return Picture(data, alt=alt)


# A mark at the end of a paragraph's source: " {.recital}", " {label=\"(a)\"}", " {.paragraph label=\"§ 1\"}".
_MARK = re.compile(r'(?<!\\)\{(?:\.(?P<role>[a-z_]+))?\s*(?:label="(?P<label>[^"]*)")?\}\s*$')


def _without_mark(content: Content, mark: str) -> Content:
    """`content` without the mark its last text run ends with."""
    if not content or not content[-1].text.rstrip().endswith(mark):
        return content
    last = content[-1]
    text = last.text.rstrip()[: -len(mark)].rstrip()
    return (*content[:-1], replace(last, text=text)) if text else content[:-1]


def _as_quote(block: Block) -> Block:
    if isinstance(block, TextBlock):
        return TextBlock("quote", block.content)
    return block


# ---------------------------------------------------------------- the document


def _document(given: dict[str, Any], body: str, body_line: int) -> Document:
    reader = _Blocks(_parse(body))
    entries = reader.blocks()
    footnotes = [entry for entry in entries if isinstance(entry, Footnote)]
    labels = {note.label for note in footnotes}
    title = given.get("title")
    blocks: list[Block] = []
    for entry in entries:
        if isinstance(entry, Footnote):
            continue
        if isinstance(entry, _H1):
            text = _title_text(entry.content, labels)
            if title is None or text == title:
                title = title or text
                continue  # the title: no block
            entry = TextBlock("heading", entry.content, 1)
        blocks.append(entry)
    if not blocks and title is None:
        raise CommuniqueError("the document has no text", line=body_line)
    if reader.marked:  # written with role marks (`--format md`): the marks and the front matter say it all
        return Document(
            meta=replace(meta_from_dict(given), title=title),
            blocks=tuple(plaintext.stated(b) for b in (*(_with_refs(b, labels) for b in blocks), *footnotes)),
        )
    meta, classified = _classify(replace(meta_from_dict(given), title=title), blocks)
    blocks_read = (*(_with_refs(b, labels) for b in classified), *footnotes)
    return Document(meta=meta, blocks=tuple(plaintext.stated(b) for b in blocks_read))


def _title_text(content: Content, labels: set[str]) -> str:
    runs = _refs_in(content, labels)
    return content_text(tuple(run for run in runs if run.kind != "footnote_ref"))


def _classify(meta: Meta, blocks: list[Block]) -> tuple[Meta, list[Block]]:
    """Roles for top-level paragraphs by the scored rules, which read the
    whole text as units with what Markdown states about each (the title,
    headings with their level, quotes, list items with their labels, a
    wholly bold paragraph); what they find fills the metadata the front
    matter left empty. A paragraph stays a paragraph where the rules make
    it a heading (Markdown would have said so) or something that is no
    block of its own."""
    units: list[plaintext.Unit] = [plaintext.Unit(meta.title, role="title")] if meta.title else []
    at: list[int | None] = []  # each block's unit
    for block in blocks:
        at.append(len(units) if isinstance(block, (TextBlock, ListBlock)) else None)
        if isinstance(block, TextBlock):
            units.append(_unit(block))
        elif isinstance(block, ListBlock):
            for item in block.items:
                first = next((b.text() for b in item.blocks if isinstance(b, TextBlock)), "…")
                label = item.label if block.kind == "numbered_list" else "-"
                units.append(plaintext.Unit(first, role="item", label=label))
    found_meta, roles = plaintext.classify_units(units)
    title = meta.title
    subtitle = meta.subtitle
    out: list[Block] = []
    for block, index in zip(blocks, at, strict=True):
        if not (isinstance(block, TextBlock) and block.kind == "paragraph" and index is not None):
            out.append(block)
            continue
        role = roles[index]
        if role.kind == "title" and title is None:
            title = plaintext.as_unit(block.text())  # a paragraph shaped like a title, where Markdown gave none
            continue
        if role.kind == "subtitle" and subtitle is None and found_meta.title == title:
            subtitle = plaintext.as_unit(block.text())
            continue
        if role.kind == "heading":
            out.append(replace(block, confidence=role.confidence))
        elif role.kind in TEXT_BLOCK_KINDS:
            out.append(replace(block, kind=role.kind, confidence=role.confidence))
        else:  # a title, subtitle or issuer the metadata has already, a list item, a footnote
            out.append(block)
    merged = replace(
        meta,
        title=title,
        subtitle=subtitle,
        language=meta.language or found_meta.language,
        reference=meta.reference or found_meta.reference,
        date=meta.date or found_meta.date,
        place=meta.place or found_meta.place,
    )
    return merged, out


def _unit(block: TextBlock) -> plaintext.Unit:
    """A top-level text block as a unit: what Markdown states of its role."""
    bold = all(run.kind == "strong" for run in block.content if run.text.strip())
    role = plaintext.stated_role(block.kind)
    return plaintext.Unit(block.text(), role=role, level=block.level if role else None, bold=bold)


# ---------------------------------------------------------------- footnote references


def _refs_in(content: Content, labels: set[str]) -> Content:
    """`[^1]` markers of defined footnotes as `footnote_ref` runs."""
    if not labels:
        return content
    out: list[Inline] = []
    for run in content:
        if run.kind == "link":
            out.append(run)
            continue
        last = 0
        for match in _FOOTNOTE_REF.finditer(run.text):
            if match.group(1) not in labels:
                continue
            if match.start() > last:
                out.append(replace(run, text=run.text[last : match.start()]))
            out.append(Inline("footnote_ref", match.group(1)))
            last = match.end()
        if last < len(run.text):
            out.append(replace(run, text=run.text[last:]))
    return tuple(out)


def _with_refs(block: Block, labels: set[str]) -> Block:
    if isinstance(block, TextBlock):
        return replace(block, content=_refs_in(block.content, labels))
    if isinstance(block, ListBlock):
        items = tuple(replace(item, blocks=tuple(_with_refs(b, labels) for b in item.blocks)) for item in block.items)
        return replace(block, items=items)
    if isinstance(block, Table):
        rows = tuple(
            tuple(replace(cell, blocks=tuple(_with_refs(b, labels) for b in cell.blocks)) for cell in row)
            for row in block.rows
        )
        return replace(block, rows=rows)
    return block
