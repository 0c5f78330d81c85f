"""The template contract: a folder, its `template.yaml`, its labels.

A template is a folder holding `template.yaml` and `document.xml.j2`:

    name: official-letter
    description: What it is for, in one line.
    kinds: [letter, circular]          # the document kinds it serves
    extends: official-letter           # a user's template: the bundled one it builds on
    page: {size: A4, margins: 15mm 15mm 15mm 15mm}
    justify: false                     # ragged right: justified styles set flush left (default true)
    styles:                            # ONE table: each paragraph style, its role and its looks
      Body: {role: paragraph, font: serif, size: 12pt, leading: 14pt, align: justify}
      Operative: {role: paragraph, use: item, ...}
      Signature first: {role: signature, use: first, ...}
    list-styles:
      operative: {role: numbered_list, format: decimal, label: "%1.", indent: 10mm, hanging: 10mm}
    footnotes: {numbering: continuous}  # or per-page: 1, 2, … again on each page

The same `styles:` table gives the layout its `<styles>` (templates/_common/
base.xml.j2 writes them), the block macros the style of each block kind
(`style_map`), and the DOCX reader the role of each style of an edited copy
(`roles`), so no two tables have to agree by hand. A role is a model block
kind ("recital", "heading 2"), "meta.<field>" (a line the template writes
from the metadata), "footnote", or "decor" (drawn, not content); `use`
picks a variant of a role: `first` (the first of a run of such blocks),
`item` (a paragraph inside a list item), `top` (a metadata line the text
puts before its body).

Labels ("Sayı", "Distr.", "Page") are data: `labels/<language>.yaml` in
`_common/` and in each template folder, the template's over the shared
ones, the language's over English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from communique import yamlfile
from communique.errors import CommuniqueError

ENTRY = "document.xml.j2"
CONFIG = "template.yaml"
COMMON = "_common"
DEFAULT_TEMPLATE = "statement"
FOOTNOTE_NUMBERINGS = ("continuous", "per-page")

# The document kind a reader recognises → the bundled template that sets it.
KIND_TEMPLATES: dict[str, str] = {
    "statement": "statement",
    "declaration": "statement",
    "communique": "statement",
    "press-release": "press-release",
    "letter": "official-letter",
    "circular": "official-letter",
    "resolution": "resolution",
    "decision": "resolution",
    "decree": "decree",
    "note-verbale": "note-verbale",
}


def templates_root() -> Path:
    """The bundled templates: inside the installed package, or the
    repository's top-level `templates/` when running from a checkout."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class Template:
    """A loaded template: its contract, and the bundled template it extends."""

    name: str
    description: str
    folder: Path
    kinds: tuple[str, ...] = ()
    page: dict[str, str] = field(default_factory=dict)
    styles: dict[str, dict[str, str]] = field(default_factory=dict)
    list_styles: dict[str, dict[str, str]] = field(default_factory=dict)
    footnotes: dict[str, str] = field(default_factory=dict)  # `numbering`: continuous or per-page
    parent: Template | None = None
    justify: bool = True  # False: ragged right, for text that justified without hyphenation sets loose

    @property
    def entry(self) -> Path:
        """The Jinja file rendering starts from (a user's folder may have none
        and take its parent's)."""
        own = self.folder / ENTRY
        if own.is_file() or self.parent is None:
            return own
        return self.parent.entry

    @property
    def bundled(self) -> bool:
        """Whether Communique ships this template (its errors are our bugs)."""
        return self.folder.is_relative_to(templates_root().resolve())

    @property
    def folders(self) -> tuple[Path, ...]:
        """This template's folder, then those of the templates it extends."""
        return (self.folder, *(self.parent.folders if self.parent else ()))

    @property
    def roles(self) -> dict[str, str]:
        """Style name → role, for reading an edited Word copy back."""
        return {name: str(spec.get("role", "decor")) for name, spec in self.styles.items()}

    def sources(self) -> tuple[Path, ...]:
        """The files that can write layout markup, the entry first: a layout
        error is traced back to the line of one of them."""
        own = [path for folder in self.folders for path in sorted(folder.glob("*.j2")) if path != self.entry]
        return (self.entry, *own, *sorted((templates_root() / COMMON).glob("*.j2")))

    def style_map(self) -> dict[str, Any]:
        """Block kind (with its variant: "signature-first", "paragraph-item")
        → style name, for the block macros; headings and lists map to a list
        of names, one per level or depth. The first style listed wins."""
        out: dict[str, Any] = {}
        headings: dict[int, str] = {}
        for name, spec in self.styles.items():
            role = str(spec.get("role", "decor"))
            if role.startswith("heading "):
                headings.setdefault(int(role.split()[1]), name)
                continue
            key = f"{role}-{spec['use']}" if spec.get("use") else role
            out.setdefault(key, name)
        if headings:
            out["heading"] = [headings[level] for level in sorted(headings)]
        for kind in ("numbered_list", "bullet_list"):
            names = [name for name, spec in self.list_styles.items() if spec.get("role") == kind]
            if names:
                out[kind] = names
        return out

    def style_sheet(self) -> list[dict[str, str]]:
        """The `<styles>` content: each style's layout attributes, role and use
        left out; with `justify: false`, justified styles flush left."""
        sheet = []
        for name, spec in self.styles.items():
            attrs = {k: v for k, v in spec.items() if k not in ("role", "use")}
            if not self.justify and attrs.get("align") == "justify":
                attrs["align"] = "left"
            sheet.append({"name": name, **attrs})
        return sheet

    def list_style_sheet(self) -> list[dict[str, str]]:
        return [
            {"name": name, **{k: v for k, v in spec.items() if k not in ("role",)}}
            for name, spec in self.list_styles.items()
        ]

    def labels(self, language: str | None) -> dict[str, str]:
        """The label texts for a language: English first, then the language's
        base ("kk"), then its full tag ("kk-Latn"), shared files before the
        template's own (a user template's over its parent's)."""
        tags = ["en"]
        if language:
            base = language.split("-")[0]
            tags += [base] if base == language else [base, language]
        folders = [templates_root() / COMMON, *reversed(self.folders)]
        out: dict[str, str] = {}
        for tag in dict.fromkeys(tags):
            for folder in folders:
                out.update(_label_file(folder / "labels" / f"{tag}.yaml"))
        return out


@cache
def _label_file(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    data = _yaml_file(path)
    return {str(key): "" if value is None else str(value) for key, value in data.items()}


def _yaml_file(path: Path) -> dict[str, Any]:
    """A YAML file's table, parsed once per process while the file stays
    the same (a worker publishes thousands of documents with one template).
    The table is shared: callers copy what they keep."""
    stat = path.stat()
    return _parsed_yaml(path, stat.st_mtime_ns, stat.st_size)


@cache
def _parsed_yaml(path: Path, _mtime_ns: int, _size: int) -> dict[str, Any]:
    try:
        loaded = yamlfile.safe_load(path.read_text(encoding="utf-8"))
    except yamlfile.YAMLSyntaxError as err:
        raise CommuniqueError(f"invalid YAML: {err.problem}", file=str(path), line=err.line) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise CommuniqueError("expected 'name: value' lines", file=str(path), line=1)
    return loaded


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
    if "/" not in name_or_dir and not name_or_dir.startswith((".", "_")) and (candidate / CONFIG).is_file():
        return load_template(candidate)
    known = ", ".join(t.name for t in list_templates())
    raise CommuniqueError(f"unknown template {name_or_dir!r} (bundled: {known}; or give a template folder)")


def template_for_kind(kind: str | None) -> Template:
    """The bundled template that sets a document of this kind (statement for
    a kind no template serves)."""
    name = KIND_TEMPLATES.get(kind or "", DEFAULT_TEMPLATE)
    return find_template(name if (templates_root() / name / CONFIG).is_file() else DEFAULT_TEMPLATE)


def load_template(folder: Path) -> Template:
    """A template folder's contract; `extends:` merges it over a bundled one."""
    folder = folder.resolve()
    config_path = folder / CONFIG
    config = _yaml_file(config_path) if config_path.is_file() else {}
    parent: Template | None = None
    extends = config.get("extends")
    if extends is not None:
        if not isinstance(extends, str) or not (templates_root() / extends / CONFIG).is_file():
            raise CommuniqueError(f"extends: {extends!r} is not a bundled template", file=str(config_path))
        parent = load_template(templates_root() / extends)
    if not (folder / ENTRY).is_file() and parent is None:
        raise CommuniqueError(f"template folder has no {ENTRY}", file=str(folder))
    styles = _merged(parent.styles if parent else {}, _table(config, "styles", config_path))
    list_styles = _merged(parent.list_styles if parent else {}, _table(config, "list-styles", config_path))
    page = {**(parent.page if parent else {}), **_strings(config.get("page") or {}, config_path, "page")}
    kinds = config.get("kinds", list(parent.kinds) if parent else [])
    footnotes = {
        **(parent.footnotes if parent else {}),
        **_strings(config.get("footnotes") or {}, config_path, "footnotes"),
    }
    if footnotes.get("numbering", "continuous") not in FOOTNOTE_NUMBERINGS or set(footnotes) - {"numbering"}:
        raise CommuniqueError(
            "footnotes: expected {numbering: continuous} or {numbering: per-page}", file=str(config_path)
        )
    justify = config.get("justify", parent.justify if parent else True)
    if not isinstance(justify, bool):
        raise CommuniqueError(f"justify: {justify!r} is not true or false", file=str(config_path))
    return Template(
        name=str(config.get("name", folder.name)),
        description=str(config.get("description", parent.description if parent else "")),
        folder=folder,
        kinds=tuple(str(kind) for kind in kinds or ()),
        page=page,
        styles=styles,
        list_styles=list_styles,
        footnotes=footnotes,
        parent=parent,
        justify=justify,
    )


def _table(config: dict[str, Any], key: str, path: Path) -> dict[str, dict[str, str]]:
    table = config.get(key) or {}
    if not isinstance(table, dict):
        raise CommuniqueError(f"{key}: expected a table of 'Name: {{attributes}}'", file=str(path))
    return {str(name): _strings(spec or {}, path, f"{key}: {name}") for name, spec in table.items()}


def _strings(spec: Any, path: Path, where: str) -> dict[str, str]:
    """Attributes as the layout's text: true → "true", 12 → "12"."""
    if not isinstance(spec, dict):
        raise CommuniqueError(f"{where}: expected attributes as {{name: value}}", file=str(path))
    return {str(k): (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in spec.items()}


def _merged(base: dict[str, dict[str, str]], own: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The parent's styles with a child's over them, attribute by attribute."""
    out = {name: dict(spec) for name, spec in base.items()}
    for name, spec in own.items():
        out[name] = {**out.get(name, {}), **spec}
    return out
