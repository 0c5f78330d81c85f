"""Rendering: a `Document` through a template (`template.py`) into a `Layout`.

The template's Jinja files emit the layout vocabulary of `layout.py`.
What a template needs to decide about a document (which leading lines stand
at the top, whether a dateline is needed, which footnotes belong to the
title) is worked out here, in `document_parts`, so templates hold looks
only. Autoescaping is on, so document text can never become markup,
undefined names are errors, and every template, bundled or a user's, runs
in Jinja2's sandbox.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date as babel_format_date
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from communique import __version__
from communique import cache as disk_cache
from communique.composition import balance_titles
from communique.errors import CommuniqueError
from communique.layout import Layout, parse_layout
from communique.model import (
    Block,
    Content,
    Document,
    Footnote,
    Inline,
    ListBlock,
    Picture,
    Table,
    TextBlock,
    image_type,
    meta_to_dict,
)
from communique.template import (
    COMMON,
    ENTRY,
    Template,
    find_template,
    list_templates,
    template_for_kind,
    templates_root,
)

__all__ = ["Template", "find_template", "list_templates", "render_layout", "template_for_kind", "templates_root"]

# ---------------------------------------------------------------- rendering


def render_layout(document: Document, template: Template, *, logo: Path | None = None) -> Layout:
    """Render the document through the template and parse the result.
    Images come from the template's folders (or the `logo` given)."""
    xml = render_xml(document, template, logo=logo)
    allowed = (*template.folders, *((logo,) if logo else ()))
    layout = parse_layout(xml, sources=template.sources(), base_dir=template.folder, image_dirs=allowed)
    return balance_titles(replace(layout, roles=template.roles))


def render_xml(document: Document, template: Template, *, logo: Path | None = None) -> str:
    """The layout XML the template writes for the document (unparsed).

    A mistake in a user's template is a `CommuniqueError` naming its file and
    line; in a bundled template, anything but a Jinja2 error is our bug."""
    try:
        jinja_template = _environment(template.folders).get_template(_entry_name(template))
        return jinja_template.render(template_context(document, template, logo))
    except jinja2.TemplateSyntaxError as err:
        raise CommuniqueError(f"template syntax error: {err.message}", file=err.filename, line=err.lineno) from None
    except jinja2.exceptions.SecurityError as err:
        file, line = _template_frame(err, template)
        raise CommuniqueError(f"template tried something unsafe: {err}", file=file, line=line) from None
    except jinja2.TemplateError as err:
        file, line = _template_frame(err, template)
        raise CommuniqueError(f"template error: {err.message or err}", file=file, line=line) from None
    except CommuniqueError:
        raise
    except Exception as err:
        if template.bundled:
            raise
        file, line = _template_frame(err, template)
        raise CommuniqueError(f"template error: {type(err).__name__}: {err}", file=file, line=line) from None


def _template_frame(err: Exception, template: Template) -> tuple[str, int | None]:
    """The template file and line where a rendering error happened."""
    tb = err.__traceback__
    found: tuple[str, int | None] = (str(template.entry), None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _entry_name(template: Template) -> str:
    """The entry file as the loader finds it: the template's own, or its parent's."""
    return ENTRY if template.entry.parent == template.folder else f"{template.entry.parent.name}/{ENTRY}"


# The settings that shape the compiled code, so part of the cache's name.
_COMPILING = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's on-disk cache of compiled templates: a fresh process then
    skips parsing and compiling them (most of a one-file build's template
    cost). An entry serves only the same source (Jinja2 checks a hash of it)
    and the same Communique, Jinja2 and settings; a cache that cannot be
    written is simply not kept."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@cache
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """The compiled-template cache (see `communique.cache`), or None."""
    settings = hashlib.sha1(repr(sorted(_COMPILING.items())).encode()).hexdigest()[:8]
    folder = disk_cache.folder(f"templates-{__version__}-{jinja2.__version__}-{settings}")
    return None if folder is None else _QuietBytecodeCache(str(folder))


@cache
def _environment(folders: tuple[Path, ...]) -> jinja2.Environment:
    """A sandboxed environment that finds a template's files, then the shared
    ones (`base.xml.j2`, `blocks.xml.j2`), then bundled templates by folder
    ("note-verbale/document.xml.j2"), so a user's template can extend one."""
    root = templates_root()
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader([*map(str, folders), str(root / COMMON), str(root)]),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(),
        **_COMPILING,
    )
    env.filters.update(
        inline=inline_markup,
        upper_lang=upper_lang,
        format_date=format_date,
        locale_tag=locale_tag,
        list_numbering=list_numbering,
        opening_words=opening_words,
        resolution_number=resolution_number,
        data_uri=data_uri,
    )
    env.tests.update(text_block=lambda b: isinstance(b, TextBlock), list_block=lambda b: isinstance(b, ListBlock))
    return env


# ---------------------------------------------------------------- what a template is given

_TOP_KINDS = ("place_date", "reference", "metadata")


def document_parts(document: Document) -> dict[str, Any]:
    """What templates decide about a document, decided once here:

    - `top`: place-and-date, reference and other metadata lines the text
      puts before its body (they stand at the top); `body`: the rest;
    - `footnotes`, and `title_notes`: labels of footnotes no text refers to,
      whose marks follow the subtitle, else the title;
    - `reference_line`: the letterhead shows the reference number unless
      the title or a line of the text does;
    - `dateline`: the place and date to close the text with, unless it has
      its own place-and-date line or the title gives the full date ("" then);
    - `meeting_line`: the template draws the meeting line unless a line of
      the text is that meeting line already."""
    meta, blocks = document.meta, document.blocks
    kinds = {block.kind for block in blocks}
    count = 0
    while count < len(blocks) and blocks[count].kind in _TOP_KINDS:
        count += 1
    written = format_date(meta.date, meta.language)
    full_date = len(meta.date or "") == 10 and written not in (meta.title or "")
    needs_dateline = "place_date" not in kinds and (meta.place or full_date)
    return {
        "top": blocks[:count],
        "body": tuple(b for b in blocks[count:] if not isinstance(b, Footnote)),
        "footnotes": tuple(b for b in blocks if isinstance(b, Footnote)),
        "title_notes": unreferenced_footnotes(blocks),
        "reference_line": bool(meta.reference)
        and (meta.reference or "") not in (meta.title or "")
        and "reference" not in kinds,
        "meeting_line": bool(meta.meeting)
        and not any(isinstance(b, TextBlock) and b.text().strip() == meta.meeting for b in blocks),
        "dateline": ", ".join(p for p in (meta.place, written if full_date or meta.date else "") if p)
        if needs_dateline
        else "",
    }


def template_context(document: Document, template: Template, logo: Path | None = None) -> dict[str, Any]:
    """Everything a template's Jinja files see."""
    meta = document.meta
    lang = meta.language or "en"
    return {
        "doc": document,
        "meta": meta,
        "blocks": document.blocks,
        "logo": logo,
        "lang": lang,
        "locale": locale_tag(lang),
        "labels": template.labels(lang),
        "styles": template.style_map(),
        "style_sheet": template.style_sheet(),
        "list_style_sheet": template.list_style_sheet(),
        "page": {"size": "A4", "margins": "25mm 25mm 25mm 25mm", **template.page},
        "footnote_numbering": template.footnotes.get("numbering", "continuous"),
        "template_name": template.name,
        "properties": document_properties(document, template),
        "parts": document_parts(document),
    }


def document_properties(document: Document, template: Template) -> list[tuple[str, str]]:
    """The DOCX's custom properties: the template's name, then every metadata
    field the core properties do not hold (lists and records as JSON)."""
    core = {"title", "issuer", "date", "language"}  # the reference too: an editor may rewrite keywords
    out = [("template", template.name)]
    if template.parent is not None:  # a user's template: the reader takes its parent's table
        out.append(("extends", template.parent.name))
    if document.meta.language is None:  # the file's language is the template's: say the source gave none
        out.append(("language", ""))
    for name, value in meta_to_dict(document.meta).items():
        if name in core or name == "template" or value in (None, [], {}) or value == {"action": [], "information": []}:
            continue
        out.append((name, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)))
    return out


# ---------------------------------------------------------------- filters


def inline_markup(content: Content) -> Markup:
    """Inline runs as layout markup; the text itself is always escaped."""
    parts: list[str] = []
    for run in content:
        text = _kept_spaces(escape(run.text))
        if run.kind == "strong":
            parts.append(f"<b>{text}</b>")
        elif run.kind == "emphasis":
            parts.append(f"<i>{text}</i>")
        elif run.kind == "link":
            parts.append(f'<a href="{escape(run.href or run.text)}">{text}</a>')
        elif run.kind == "footnote_ref":
            parts.append(f'<note-ref label="{text}"/>')
        else:
            parts.append(str(text))
    return Markup("".join(parts))


_SPACE_RUN = re.compile(r"(?<= ) +")


def _kept_spaces(text: Markup) -> Markup:
    """Tabs as `<tab/>`, and each space after the first of a run as
    `<space/>`, which the layout keeps where it collapses XML whitespace."""
    marked = _SPACE_RUN.sub(lambda match: "<space/>" * len(match.group(0)), str(text)).replace("\t", "<tab/>")
    return Markup(marked)


_TURKIC_DOTTED_I = ("tr", "az", "crh", "gag", "tt", "kk-Latn")


def upper_lang(text: str | None, language: str | None) -> str:
    """Upper case by the language's rules: Turkish and Azerbaijani i → İ."""
    if not text:
        return ""
    if language and any(language == tag or language.startswith(tag + "-") for tag in _TURKIC_DOTTED_I):
        text = text.replace("i", "İ").replace("ı", "I")
    return text.upper()


def locale_tag(language: str | None) -> str:
    """A full language tag with region for the file metadata: tr → tr-TR."""
    if not language:
        return "en"
    likely = get_global("likely_subtags")
    parts = language.replace("-", "_").split("_")
    full = likely.get(parts[0])
    if not full:
        return language
    region = next((p for p in full.split("_")[1:] if p.isupper() and len(p) == 2), None)
    has_region = any(p.isupper() and len(p) == 2 for p in parts[1:])
    return language if has_region or region is None else f"{language}-{region}"


_DAY_BEFORE_MONTH = re.compile(r"\b(\d{1,2}) (?=[^\W\d])")
_MONTH_BEFORE_DAY = re.compile(r"([^\W\d]) (\d{1,2})\b")


def format_date(iso: str | None, language: str | None, width: str = "long") -> str:
    """An ISO date written out in the document's language ("11 Ocak 2022"),
    in a CLDR width ("long", "medium", "short") or pattern ("dd.MM.yyyy")
    the template chooses; a no-break space keeps day and month together."""
    if not iso:
        return ""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso  # a year or year-month: print as given
    tag = (language or "en").replace("-", "_")
    if tag == "en":
        tag = "en_GB"  # international usage writes "19 September 2025"
    try:
        locale = Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    written = str(babel_format_date(day, format=width, locale=locale))
    return _MONTH_BEFORE_DAY.sub("\\1\u00a0\\2", _DAY_BEFORE_MONTH.sub("\\1\u00a0", written))


def unreferenced_footnotes(blocks: tuple[Block, ...]) -> list[str]:
    """Labels of footnotes no text points at: they belong to the title part
    (a reader takes a marker glued to a subtitle off its text)."""
    referenced: set[str] = set()

    def visit(items: tuple[Block, ...]) -> None:
        for block in items:
            if isinstance(block, TextBlock):
                referenced.update(run.text for run in block.content if run.kind == "footnote_ref")
            elif isinstance(block, ListBlock):
                for item in block.items:
                    visit(item.blocks)
            elif isinstance(block, Table):
                for row in block.rows:
                    for cell in row:
                        visit(cell.blocks)

    visit(blocks)
    return [b.label for b in blocks if isinstance(b, Footnote) and b.label not in referenced]


def data_uri(picture: Picture) -> str:
    """A document's picture as the `data:` address a layout `<image>` takes."""
    kind = image_type(picture.data) or "png"
    return f"data:image/{kind};base64,{base64.b64encode(picture.data).decode('ascii')}"


# Bullets that are Markdown's syntax (and a typist's stand-in), not a choice of
# mark: the template's bullet ("•") takes their place.
_PLAIN_BULLETS = ("-", "*", "+")


def list_numbering(block: ListBlock, depth: int = 0) -> dict[str, str | int]:
    """The list's own numbering (the model's, as its labels are written) as
    layout attributes: "1. §" → decimal, label "%1. §"; "–" → bullet "–".
    Empty where the labels follow no sequence a numbering reproduces, and
    where the source states no label of its own: a hyphen, asterisk or plus
    bullet, or a nested list numbered "1." or "1)" from one (Markdown
    numbers every list so), which takes the template's label for its depth:
    1. → (a) → (i) → a. → i. in the UN form."""
    numbering = block.numbering
    if numbering is None:
        return {}
    if numbering.format == "bullet":
        return {} if numbering.prefix in _PLAIN_BULLETS else {"format": "bullet", "bullet": numbering.prefix}
    unstated = numbering.format == "decimal" and not numbering.prefix and numbering.suffix in (".", ")")
    if depth > 0 and unstated and numbering.start == 1:
        return {}
    label = f"{numbering.prefix}%1{numbering.suffix}"
    return {"format": numbering.format, "label": label, "start": numbering.start}


_GA_SYMBOL = re.compile(r"^A/RES/(?:[A-Z]+-)?(\d+)/(\d+)")


def resolution_number(symbol: str | None) -> str:
    """The number a General Assembly resolution's title carries: "A/RES/80/1"
    → "80/1"; "" for other symbols (Security Council resolutions have no
    numbered title)."""
    match = _GA_SYMBOL.match(symbol or "")
    return f"{match.group(1)}/{match.group(2)}" if match else ""


def opening_words(content: Content, language: str | None, part: str) -> Markup:
    """Inline markup with the opening words of a preambular or operative
    paragraph in italics (UN practice: *Recalling*, *Requests the
    Secretary-General*), the phrases taken from the language's lexicon; the
    content as it is where none matches."""
    phrases = opening_phrases(language, part)
    text = "".join(run.text for run in content[:1]) if content and content[0].kind == "text" else ""
    match = next((p for p in phrases if text.startswith(p) and text[len(p) : len(p) + 1] in ("", " ", ",")), None)
    if not match:
        return inline_markup(content)
    rest = (Inline("text", text[len(match) :]), *content[1:])
    return Markup(f'<span role="opening">{escape(match)}</span>') + inline_markup(rest)


def opening_phrases(language: str | None, part: str) -> tuple[str, ...]:
    """The language's opening phrases of one part ("preambular",
    "operative"), longest first, from `communique.lexicons`."""
    from communique import lexicons

    try:
        lexicon = lexicons.load(language or "en")
    except lexicons.LexiconError:
        return ()
    phrases = lexicon.preambular if part == "preambular" else lexicon.operative
    return tuple(sorted(phrases, key=len, reverse=True))
