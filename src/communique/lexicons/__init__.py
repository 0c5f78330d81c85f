"""The words official texts are built from, per language, as data.

One YAML file per language tag (`tr.yaml`, `kk-Latn.yaml`, …), all with the
same keys (see `en.yaml`): preambular and operative opening words, genre
words, closing formulae, header field labels, signing formulae, organ lines,
issuer words, salutations, UN header tokens, web leftovers, end marks, and a
few regular expressions ("…_patterns"). The reader matches them; templates
use the opening words to set a recital's or an operative paragraph's first
words in italics.

    >>> load("ru").operative[:2]
    ('Постановляет', 'Просит')
    >>> load("kk-Cyrl").language
    'kk'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from typing import Any

from communique import cache as disk_cache
from communique import yamlfile

# Tags without a file of their own: the script each language writes by default.
_ALIASES = {
    "kk-cyrl": "kk",
    "ky-cyrl": "ky",
    "uz-latn": "uz",
    "tk-latn": "tk",
    "az-latn": "az",
    "ru-cyrl": "ru",
    "tr-latn": "tr",
    "hu-latn": "hu",
    "en-latn": "en",
}


class LexiconError(ValueError):
    """A lexicon file that does not have the shape `en.yaml` shows."""


@dataclass(frozen=True)
class Lexicon:
    """The words of one language (or of all, see `combined`). Phrases are
    kept as written; `fold` them to compare."""

    language: str
    name: str
    preambular: tuple[str, ...] = ()
    operative: tuple[str, ...] = ()
    genres: dict[str, tuple[str, ...]] = field(default_factory=dict)
    closing_formulae: tuple[str, ...] = ()
    closing_patterns: tuple[str, ...] = ()
    field_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    signing_formulae: tuple[str, ...] = ()
    organ_lines: tuple[str, ...] = ()
    issuer_words: tuple[str, ...] = ()
    salutations: tuple[str, ...] = ()
    un_header: tuple[str, ...] = ()
    un_header_marks: tuple[str, ...] = ()
    meeting_patterns: tuple[str, ...] = ()
    web_leftovers: tuple[str, ...] = ()
    end_marks: tuple[str, ...] = ()
    addressee_patterns: tuple[str, ...] = ()
    reference_patterns: tuple[str, ...] = ()


def fold(text: str) -> str:
    """Case-fold for matching: the Turkish and Azerbaijani I's made one,
    the Uzbek apostrophes (ʻ ʼ ' `) made one."""
    text = text.replace("İ", "i").replace("I", "i").replace("ı", "i")
    return re.sub("[\u02bb\u02bc\u2018\u2019'`]", "'", text).casefold()


@cache
def tags() -> tuple[str, ...]:
    """The language tags that have a lexicon file."""
    names = (entry.name for entry in resources.files(__name__).iterdir())
    return tuple(sorted(name.removesuffix(".yaml") for name in names if name.endswith(".yaml")))


def file_tag(tag: str) -> str | None:
    """The lexicon file's tag for a BCP 47 tag ("kk-Cyrl" → "kk",
    "en-GB" → "en"), or None when no file fits."""
    known = {t.casefold(): t for t in tags()}
    folded = tag.strip().replace("_", "-").casefold()
    for candidate in (folded, _ALIASES.get(folded, ""), folded.split("-")[0]):
        if candidate in known:
            return known[candidate]
    return None


@cache
def load(tag: str) -> Lexicon:
    """The lexicon of language `tag`; `LexiconError` for a tag with no file
    or a file that does not fit the shape."""
    name = file_tag(tag)
    if name is None:
        raise LexiconError(f"no lexicon for language {tag!r} (known: {', '.join(tags())})")
    text = resources.files(__name__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    # Checked once, then kept checked in the user's cache (the patterns'
    # test compiles are a good part of a fresh process's start-up).
    values = disk_cache.remembered(
        "lexicons", text.encode("utf-8"), lambda: _values(yamlfile.safe_load(text), f"{name}.yaml")
    )
    return Lexicon(**values)


@cache
def combined() -> Lexicon:
    """All languages' words in one lexicon, for a text whose language is not
    known yet (phrases in file order, duplicates dropped)."""
    lexicons = [load(tag) for tag in tags()]
    values: dict[str, Any] = {}
    for spec in fields(Lexicon):
        if spec.name in ("language", "name"):
            continue
        if spec.name in ("genres", "field_labels"):
            merged: dict[str, tuple[str, ...]] = {}
            for lexicon in lexicons:
                for key, phrases in getattr(lexicon, spec.name).items():
                    merged[key] = _unique([*merged.get(key, ()), *phrases])
            values[spec.name] = merged
        else:
            values[spec.name] = _unique(p for lexicon in lexicons for p in getattr(lexicon, spec.name))
    return Lexicon(language="und", name="all languages", **values)


def _unique(phrases: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(phrases))


def _values(data: Any, source: str) -> dict[str, Any]:
    """A lexicon file's table checked against the shape `en.yaml` shows."""
    if not isinstance(data, dict):
        raise LexiconError(f"{source}: expected a mapping")
    known = {spec.name for spec in fields(Lexicon)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise LexiconError(f"{source}: unknown key {unknown[0]!r}")
    values: dict[str, Any] = {}
    for spec in fields(Lexicon):
        value = data.get(spec.name)
        if spec.name in ("language", "name"):
            if not isinstance(value, str):
                raise LexiconError(f"{source}: {spec.name!r} must be a string")
            values[spec.name] = value
        elif spec.name in ("genres", "field_labels"):
            value = value or {}
            if not isinstance(value, dict):
                raise LexiconError(f"{source}: {spec.name!r} must be a mapping")
            values[spec.name] = {str(k): _phrases(v, f"{source}: {spec.name}.{k}") for k, v in value.items()}
        else:
            values[spec.name] = _phrases(value, f"{source}: {spec.name}")
    for name in ("closing_patterns", "meeting_patterns", "addressee_patterns", "reference_patterns"):
        for pattern in values[name]:
            try:
                re.compile(pattern)
            except re.error as err:
                raise LexiconError(f"{source}: {name}: {pattern!r}: {err}") from None
    return values


def _phrases(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise LexiconError(f"{where} must be a list of strings")
    return tuple(value)
