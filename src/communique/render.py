"""Templates: find them, and render a `Document` into a `Layout` with Jinja2.

A template is a folder holding `template.yaml` (name, description) and
`document.xml.j2`, which emits the layout vocabulary of `layout.py`.
Autoescaping is on, so document text can never become markup, undefined
names are errors, and every template, bundled or a user's, runs in Jinja2's
sandbox.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date as babel_format_date
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from communique.errors import CommuniqueError
from communique.layout import Layout, parse_layout
from communique.model import Block, Content, Document, Footnote, ListBlock, TextBlock
from communique.numbering import from_roman

ENTRY = "document.xml.j2"
CONFIG = "template.yaml"


def templates_root() -> Path:
    """The bundled templates: inside the installed package, or the
    repository's top-level `templates/` when running from a checkout."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class Template:
    name: str
    description: str
    folder: Path

    @property
    def entry(self) -> Path:
        return self.folder / ENTRY

    @property
    def bundled(self) -> bool:
        """Whether Communique ships this template (its errors are our bugs)."""
        return self.folder.is_relative_to(templates_root().resolve())

    def sources(self) -> tuple[Path, ...]:
        """The files that can write layout markup, the entry first: a layout
        error is traced back to the line of one of them."""
        own = sorted(path for path in self.folder.glob("*.j2") if path != self.entry)
        return (self.entry, *own, *sorted((templates_root() / "_common").glob("*.j2")))


def list_templates() -> list[Template]:
    """Every bundled template, by name."""
    root = templates_root()
    return [load_template(folder) for folder in sorted(root.iterdir()) if (folder / CONFIG).is_file()]


def find_template(name_or_dir: str) -> Template:
    """A bundled template by name, or a user's template folder by path."""
    path = Path(name_or_dir)
    if (path / CONFIG).is_file() or (path / ENTRY).is_file():
        return load_template(path)
    candidate = templates_root() / name_or_dir
    if "/" not in name_or_dir and (candidate / CONFIG).is_file():
        return load_template(candidate)
    known = ", ".join(t.name for t in list_templates())
    raise CommuniqueError(f"unknown template {name_or_dir!r} (bundled: {known}; or give a template folder)")


def load_template(folder: Path) -> Template:
    config_path = folder / CONFIG
    config: dict[str, Any] = {}
    if config_path.is_file():
        try:
            loaded = yaml.safe_load(config_path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            raise CommuniqueError(
                f"invalid YAML: {getattr(err, 'problem', err)}",
                file=str(config_path),
                line=mark.line + 1 if mark else None,
            ) from None
        config = loaded if isinstance(loaded, dict) else {}
    if not (folder / ENTRY).is_file():
        raise CommuniqueError(f"template folder has no {ENTRY}", file=str(folder))
    return Template(
        name=str(config.get("name", folder.name)),
        description=str(config.get("description", "")),
        folder=folder.resolve(),
    )


# ---------------------------------------------------------------- rendering


def render_layout(document: Document, template: Template, *, logo: Path | None = None) -> Layout:
    """Render the document through the template and parse the result."""
    xml = render_xml(document, template, logo=logo)
    return parse_layout(xml, sources=template.sources(), base_dir=template.folder)


def render_xml(document: Document, template: Template, *, logo: Path | None = None) -> str:
    """The layout XML the template writes for the document (unparsed).

    A mistake in a user's template is a `CommuniqueError` naming its file and
    line; in a bundled template, anything but a Jinja2 error is our bug."""
    try:
        jinja_template = _environment(template.folder).get_template(ENTRY)
        return jinja_template.render(doc=document, meta=document.meta, blocks=document.blocks, logo=logo)
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


@cache
def _environment(folder: Path) -> jinja2.Environment:
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(folder), str(templates_root() / "_common")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        inline=inline_markup,
        upper_lang=upper_lang,
        format_date=format_date,
        locale_tag=locale_tag,
        list_numbering=list_numbering,
        unreferenced_footnotes=unreferenced_footnotes,
    )
    env.tests.update(text_block=lambda b: isinstance(b, TextBlock), list_block=lambda b: isinstance(b, ListBlock))
    return env


# ---------------------------------------------------------------- filters


def inline_markup(content: Content) -> Markup:
    """Inline runs as layout markup; the text itself is always escaped."""
    parts: list[str] = []
    for run in content:
        text = escape(run.text)
        if run.kind == "strong":
            parts.append(f"<b>{text}</b>")
        elif run.kind == "emphasis":
            parts.append(f"<i>{text}</i>")
        elif run.kind == "link":
            parts.append(f'<a href="{escape(run.href or run.text)}">{text}</a>')
        elif run.kind == "footnote_ref":
            parts.append(f"<sup>{text}</sup>")
        else:
            parts.append(str(text))
    return Markup("".join(parts))


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


def format_date(iso: str | None, language: str | None, width: str = "long") -> str:
    """An ISO date written out in the document's language ("11 Ocak 2022")."""
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
    return str(babel_format_date(day, format=width, locale=locale))


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

    visit(blocks)
    return [b.label for b in blocks if isinstance(b, Footnote) and b.label not in referenced]


_LABEL = re.compile(r"^(?P<open>[(\[]?)(?P<value>\d+|[a-z]+|[A-Z]+)(?P<close>[.)\]]*)$")


def list_numbering(block: ListBlock) -> dict[str, str | int]:
    """How a list numbers itself, read from its labels as written: "1)" →
    decimal "%1)", "(a)" → lower-alpha "(%1)", "–" → bullet "–". Empty
    where the labels say nothing a numbering format can reproduce."""
    if not block.items:
        return {}
    first = block.items[0].label.strip()
    if block.kind == "bullet_list":
        return {"format": "bullet", "bullet": first} if first else {}
    match = _LABEL.match(first)
    if not match:
        return {}
    value = match.group("value")
    second = block.items[1].label.strip() if len(block.items) > 1 else ""
    roman = from_roman(value)
    # A lone "i" is a Roman one only when "ii" follows (or nothing): else it is the letter.
    roman_one = value.lower() == "i" and second.strip("().").lower() in ("", "ii")
    if value.isdigit():
        fmt, start = "decimal", int(value)
    elif roman is not None and (len(value) > 1 or roman_one):
        fmt, start = ("lower-roman" if value.islower() else "upper-roman"), roman
    elif len(value) == 1:
        fmt, start = ("lower-alpha" if value.islower() else "upper-alpha"), ord(value.lower()) - ord("a") + 1
    else:
        return {}
    return {"format": fmt, "label": f"{match.group('open')}%1{match.group('close')}", "start": start}
