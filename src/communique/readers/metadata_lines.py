"""Recognisers for the lines that frame an official text's body.

Reference numbers ("No: 57", "№ 439", "S/PRST/2022/1"), place-and-date
lines ("Bakı, 11 yanvar 2022-ci il"), a press release's dateline
("Istanbul, 12 November 2021 – The Council …"), closing formulae
("Kamuoyuna saygıyla duyurulur.", "Please accept, Excellency, the
assurances of my highest consideration.") and genre words standing as a
title ("Bəyanat", "PRESS RELEASE", "Közlemény"). Each is recognised by the
conventions of official texts in our languages, never by one text's words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from communique import lexicons
from communique.lexicons import fold
from communique.model import DOCUMENT_KINDS
from communique.readers import dates

# The reader asks about the same lines again and again: answers about this
# many recent lines are kept.
LINES_KEPT = 4096
OPENERS = "\"'«„“”‘‚(["  # what may stand before a paragraph's or a name's first letter
# An initial before a name or another initial: "A. Smith", "M.K. Tokayev".
INITIALS = re.compile(r"(?:^|\s)[^\W\d_]\.\s?[^\W\d_]")


def _alternatives(phrases: tuple[str, ...]) -> str:
    """A regular-expression alternation of `phrases`, longest first."""
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


@lru_cache(maxsize=LINES_KEPT)
def word_count(text: str) -> int:
    """Whitespace-separated words in `text`."""
    return len(text.split())


def capitalised_share(text: str, min_letters: int = 1) -> float:
    """The share of `text`'s words (those with `min_letters` letters or more)
    that start with a capital; a `min_letters` of 4 leaves out the short
    function words ("of", "the", "ve", "и") that stay lower case in names."""
    words = [w for w in text.split() if sum(ch.isalpha() for ch in w) >= min_letters]
    if not words:
        return 0.0
    return sum(1 for w in words if w.lstrip(OPENERS)[:1].isupper()) / len(words)


# ---------------------------------------------------------------- reference numbers

# A reference alone: a "No:"-style label before a number with a digit in
# it ("No: 57", "№ 12/345", "Sayı: E-123"), or a UN-style document symbol
# ("S/PRST/2022/1", "A/RES/80/1").
_REFERENCE_LINE = re.compile(
    r"(?:(?:No|Nr|N°|Nº|№|Sayı|Sayi|Ref|Reference|Réf|Исх|Номер)\.?\s*:?\s*(?P<ref>[\w./-]*\d[\w./-]*)"
    r"|(?P<symbol>[A-Z]{1,5}(?:/[A-Z0-9.()-]+){2,}))",
    re.IGNORECASE,
)
# A reference at the start of a title: "No: 57 …", a law's "59/2002. …",
# a document symbol "S/PRST/2022/1 …".
TITLE_REFERENCE = re.compile(
    r"(?:No|Nr|N°|Nº|№|Sayı)\.?\s*:?\s*(?P<ref>\d[\w/-]*)\b"
    r"|(?P<number>\d+(?:/\d+)+)\.?(?=\s)"
    r"|(?P<symbol>[A-Z]{1,5}(?:/[A-Z0-9.]+){2,})(?=[\s,.]|$)",
    re.IGNORECASE,
)


def is_reference_line(text: str) -> bool:
    """A reference number alone on its line: "No: 57", "№ 12/345", "S/PRST/2022/1"."""
    return word_count(text) <= 3 and bool(_REFERENCE_LINE.fullmatch(text))


def reference_of(text: str) -> str | None:
    """The number of a reference line, without its "No:" ("12/345")."""
    match = _REFERENCE_LINE.fullmatch(text)
    if match is None:
        return None
    return (match.group("ref") or match.group("symbol")).rstrip(".,")


# ---------------------------------------------------------------- place and date


# The formula that closes a treaty-style text: where and when it was done.
_SIGNING_FORMULA = re.compile(
    rf"(?:{_alternatives(lexicons.combined().signing_formulae)})\s+"
    r"(?P<place>[^\W\d_][^,\d]*?)(?=,|\s+(?:on|the|le|el|am)\s|\s+\d|$)"
)


def signing_formula(text: str) -> tuple[str | None, str] | None:
    """(place, ISO date) of "Done at Astana on 12 October 2022 …",
    "Совершено в городе Астане 12 октября 2022 года …", "Kelt Budapesten, …"."""
    match = _SIGNING_FORMULA.match(text)
    if match is None:
        return None
    found = dates.find_dates(text[match.end("place") :])
    if not found:
        return None
    return match.group("place").strip(), found[0].iso


@lru_cache(maxsize=LINES_KEPT)
def date_line(text: str) -> tuple[str | None, str] | None:
    """(place, ISO date) when `text` is a date line, optionally after a place:
    "İstanbul, 11 Ocak 2022", "2020 jylǵy 21 qazan", "г. Ташкент, 12 мая 2022 г.",
    or the signing formula of a treaty-style text."""
    formula = signing_formula(text)
    if formula is not None:
        return formula
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]  # "(Нью-Йорк, 15 декабря 1991 г.)"
    if word_count(text) > 10:
        return None
    found = dates.find_dates(text)
    if len(found) != 1:
        return None
    rest = text[found[0].start :]
    if dates.parse_date(rest) is None and dates.parse_date(rest.rstrip(".")) is None:
        return None
    before = text[: found[0].start].strip()
    if not before or dates.is_weekday(before):  # "Tuesday, 11 January 2022"
        return None, found[0].iso
    place = before.rstrip(" ,–—-")
    if place == before or word_count(place) > 6 or any(ch.isdigit() for ch in place):
        return None
    if not any(ch.isupper() for ch in place):
        return None
    return place, found[0].iso


def is_place_line(text: str) -> bool:
    """A place alone, written above its date line and ending in a comma:
    "Nur-Sultan, Aqorda,". (Without the comma it could be a signer's name.)"""
    return (
        text.endswith(",")
        and word_count(text) <= 5
        and not any(ch.isdigit() for ch in text)
        and not INITIALS.search(text)
        and capitalised_share(text) >= 0.5
    )


# "ISTANBUL, 12 November 2021 – The Council …", "Baku, 11 January 2022 (AZERTAC) - …"
_DATELINE = re.compile(r"(?P<line>[^–—\-]{4,80}?)(?:\s\([^()]{1,40}\))?\s?[–—-]{1,2}\s(?=\S)")


def dateline(text: str) -> tuple[str | None, str] | None:
    """(place, ISO date) of a news dateline opening a paragraph: a place and
    a date, then a dash, then the text."""
    match = _DATELINE.match(text)
    if match is None:
        return None
    return date_line(match.group("line").strip())


# ---------------------------------------------------------------- other lines

_END_MARKS = frozenset(fold(mark) for mark in lexicons.combined().end_marks)
# A header line labelled as a memo or letter field: "Konu: …", "Subject: …".
_FIELD_LABELS = lexicons.combined().field_labels
_HEADER_FIELDS = tuple(label for key in ("subject", "date", "related") for label in _FIELD_LABELS[key])
_FIELD_LINE = re.compile(rf"(?:{_alternatives(_HEADER_FIELDS)})\s?:\s*\S.*", re.IGNORECASE)


def is_decoration_line(text: str) -> bool:
    """A line that only marks a place: "***", "###", "- ENDS -"."""
    if len(text) > 12 or not text.isupper():  # no end mark: only a line without letters or digits
        return not any(ch.isalnum() for ch in text)
    letters = "".join(ch for ch in text if ch.isalnum())
    return not letters or fold(letters) in _END_MARKS


def is_field_line(text: str) -> bool:
    """A labelled field of a letter's or memo's header: "Konu: Deprem
    yardımları hk.", "Subject: Consultations", "Тема: О визите"."""
    return word_count(text) <= 20 and bool(_FIELD_LINE.fullmatch(text))


# ---------------------------------------------------------------- closing formulae

# Closing formulae (set phrases, and the fixed wording of diplomatic
# complimentary closes) come from the lexicons of every language.
_CLOSING_FORMULAE = frozenset(fold(f) for f in lexicons.combined().closing_formulae)
_CLOSING_PATTERNS = re.compile("|".join(lexicons.combined().closing_patterns), re.IGNORECASE)


@lru_cache(maxsize=LINES_KEPT)
def is_closing_formula(text: str) -> bool:
    """A closing formula: a set phrase ("Kamuoyuna saygıyla duyurulur.",
    "С уважением,") or a diplomatic complimentary close."""
    if fold(text.rstrip(" .,!:")) in _CLOSING_FORMULAE:
        return True
    return word_count(text) <= 60 and bool(_CLOSING_PATTERNS.search(text))


# ---------------------------------------------------------------- genre words

# A document's genre named alone as its title, case-folded, and the kind it
# names ("Bəyanat", "PRESS RELEASE", "Közlemény", "МӘЛІМДЕМЕ"): the lexicons'
# genre words of the kinds the model knows.
_GENRE_KINDS: dict[str, str] = {
    fold(word): kind for kind, words in lexicons.combined().genres.items() if kind in DOCUMENT_KINDS for word in words
}


@lru_cache(maxsize=LINES_KEPT)
def genre_kind(text: str) -> str | None:
    """The document kind a line names when it is a genre word alone
    ("Bəyanat", "PRESS RELEASE" give "statement", "press-release")."""
    return _GENRE_KINDS.get(fold(text.strip().rstrip(" .:")))
