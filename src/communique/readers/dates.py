"""Find and parse the dates official texts write, in our languages.

Month names come from CLDR through Babel (format and stand-alone forms of
tr, en, ru, az, kk, ky, uz, uz-Cyrl, tk, hu), plus the Kazakh Latin names
CLDR lacks. A month word may carry a short grammatical suffix ("qańtarǵa",
"ýanwary", "январында"), since Turkic languages inflect month names.
Numeric forms are read day-first ("20.09.2002") or year-first
("2002-09-20", "2002.09.20."). Every result is a real calendar date:
"31 February 2022" is not a date.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import babel
from babel.dates import get_day_names, get_month_names

from communique import cache as disk_cache

_LOCALES = ("tr", "en", "ru", "az", "kk", "ky", "uz", "uz_Cyrl", "tk", "hu")

# CLDR has no Kazakh Latin locale: the 2018 alphabet (ý, ı, ǵ, ń, á, ó, ú)
# and the 2021 revision (ğ, ñ, ä, ö, ü, ū, ş).
_KAZAKH_LATIN: tuple[tuple[str, ...], ...] = (
    ("qańtar", "qañtar"),
    ("aqpan",),
    ("naýryz", "nauryz"),
    ("sáýir", "säuır", "sáuir"),
    ("mamyr",),
    ("maýsym", "mausym"),
    ("shilde", "şılde"),
    ("tamyz",),
    ("qyrkúıek", "qyrküiek", "qyrkúiek"),
    ("qazan",),
    ("qarasha", "qaraşa"),
    ("jeltoqsan",),
)

_MAX_SUFFIX = 5  # letters an inflected month word may add: "январ|ында"
_WORD = r"[^\W\d_]+"
_DAY = r"(?P<d>\d{1,2})"
_YEAR = r"(?P<y>\d{4})"
_MONTH = rf"(?P<m>{_WORD})"
# Russian official style quotes the day: «11» января, "11" января.
_QUOTED_DAY = rf"[«\"“„]?{_DAY}[»\"”“]?"
# An ordinal or case ending glued to a number: "11-nji", "20-i", "21st", "11."
_NUM_END = r"(?:st|nd|rd|th|-[^\W\d_]{1,5}(?=\s)|\.)?"
# A word naming the year: "yılı", "года", "jylǵy", "-yil", "évi", "г."
_YEAR_WORD = r"(?:-?\s?[^\W\d_]{1,7}\.?){0,2}"

_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        # 11 Ocak 2022 · 11 января 2022 года · 11 yanvar 2022-ci il · 11-nji ýanwar 2022 · «11» января 2022 г.
        rf"(?<![\d.]){_QUOTED_DAY}{_NUM_END}[\s-]*{_MONTH},?\s+{_YEAR}(?!\d)",
        # January 11, 2022 · January 11th 2022
        rf"(?<![\w.]){_MONTH}\s+{_DAY}{_NUM_END},?\s+{_YEAR}(?!\d)",
        # 2020 jylǵy 21 qazan · 2022-yil 11-yanvar · 2022-жылдын 11-январы
        rf"(?<![\d.]){_YEAR}{_YEAR_WORD}\s+{_DAY}{_NUM_END}[\s-]*{_MONTH}",
        # 2002. szeptember 17. · 2002. szeptember 17-i
        rf"(?<![\d.]){_YEAR}\.\s+{_MONTH}\s+{_DAY}(?!\d)(?:\.|-[^\W\d_]{{1,4}})?",
        # 2002-09-20 · 2002.09.20.
        r"(?<![\d.])(?P<y>\d{4})(?P<s>[-./])(?P<mn>\d{1,2})(?P=s)(?P<d>\d{1,2})(?!\d)\.?",
        # 20.09.2002 · 20/09/2002
        r"(?<![\d.])(?P<d>\d{1,2})(?P<s>[./])(?P<mn>\d{1,2})(?P=s)(?P<y>\d{4})(?!\d)\.?",
    )
)

_ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_ROMAN_DAY = re.compile(r"\((?P<m>[IVX]{1,4})\.\s?(?P<d>\d{1,2})\.\)")


@dataclass(frozen=True)
class FoundDate:
    """A date found in text: its ISO form and where it was written."""

    iso: str
    start: int
    end: int


def fold(text: str) -> str:
    """Case-fold for matching, with the Turkish and Azerbaijani I's made one
    letter ("İyun", "IYUN", "ıyun" all give "iyun")."""
    text = text.replace("İ", "i").replace("I", "i").replace("ı", "i").casefold()
    return unicodedata.normalize("NFC", text.replace("\u0307", ""))


@cache
def _month_table() -> dict[str, int]:
    """Every month name (folded) → its number; kept in the user's cache, as
    Babel takes a while to load ten locales' data in a fresh process. The
    entry is keyed by this file and Babel's version, so it never outlives them."""
    folder = disk_cache.folder("months")
    if folder is None:
        return _build_month_table()
    key = hashlib.sha1(Path(__file__).read_bytes() + babel.__version__.encode()).hexdigest()[:16]
    kept = disk_cache.read_json(folder / f"{key}.json")
    if isinstance(kept, dict) and all(isinstance(n, int) and 1 <= n <= 12 for n in kept.values()):
        return kept
    table = _build_month_table()
    disk_cache.write_json(folder / f"{key}.json", table)
    return table


def _build_month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for locale in _LOCALES:
        for context in ("format", "stand-alone"):
            for number, name in get_month_names("wide", context, locale).items():
                table[fold(name)] = number
    for number, names in enumerate(_KAZAKH_LATIN, start=1):
        for name in names:
            table[fold(name)] = number
    # Stems for names ending in a soft sign or -й, which inflect on the stem:
    # Kyrgyz "январь" → "январы", "январында".
    for name, number in list(table.items()):
        if name[-1] in "ьй" and len(name) >= 5:
            table.setdefault(name[:-1], number)
    return table


@cache
def _weekdays() -> frozenset[str]:
    return frozenset(
        fold(name)
        for locale in _LOCALES
        for context in ("format", "stand-alone")
        for width in ("wide", "abbreviated")
        for name in get_day_names(width, context, locale).values()
        if len(name.rstrip(".")) >= 3  # not the one-letter abbreviations
    )


def is_weekday(word: str) -> bool:
    """Whether `word` names a day of the week ("Tuesday", "вторник", "kedd"),
    as a date line may open: "Tuesday, 11 January 2022"."""
    return fold(word.strip(" ,.")) in _weekdays()


@lru_cache(maxsize=4096)
def month_number(word: str) -> int | None:
    """The month a (possibly inflected) month word names, or None."""
    table = _month_table()
    folded = fold(word)
    for cut in range(_MAX_SUFFIX + 1):
        stem = folded[: len(folded) - cut] if cut else folded
        if len(stem) >= 3 and stem in table:
            return table[stem]
    return None


def iso_date(year: int, month: int, day: int) -> str | None:
    """ISO form of a real calendar date, or None ("31 February")."""
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


_DIGIT = re.compile(r"\d")


def _candidates(text: str) -> Iterator[FoundDate]:
    if not _DIGIT.search(text):
        return  # every form has a number in it
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            month = int(groups["mn"]) if groups.get("mn") else month_number(groups["m"])
            if month is None:
                continue
            iso = iso_date(int(groups["y"]), month, int(groups["d"]))
            if iso is not None:
                yield FoundDate(iso, match.start(), match.end())


def find_dates(text: str) -> list[FoundDate]:
    """All dates written in `text`, in order, without overlaps (the longest
    reading wins where two overlap)."""
    return list(_dates_in(text))


@lru_cache(maxsize=4096)  # a reader asks about the same lines again and again
def _dates_in(text: str) -> tuple[FoundDate, ...]:
    chosen: list[FoundDate] = []
    for found in sorted(_candidates(text), key=lambda f: (f.start, -(f.end - f.start))):
        if chosen and found.start < chosen[-1].end:
            continue
        chosen.append(found)
    return tuple(chosen)


def parse_date(text: str) -> str | None:
    """The ISO date if `text` is a date and nothing else (a trailing year word
    such as "года", "г." or "yılı" may follow), else None."""
    stripped = text.strip()
    found = find_dates(stripped)
    if len(found) != 1 or found[0].start != 0:
        return None
    rest = stripped[found[0].end :].strip()
    if rest and not _may_follow_date(rest):
        return None
    return found[0].iso


_YEAR_WORD_AFTER = re.compile(r"-?[^\W\d_]{1,6}\.?(\s[^\W\d_]{1,3}\.?)?")
_TIME_AFTER = re.compile(r"[,–—-]?\s*\d{1,2}:\d{2}(?:\s?(?:[AaPp]\.?[Mm]\.?|GMT[+-]?\d*|UTC[+-]?\d*))?")


def _may_follow_date(rest: str) -> bool:
    """What may follow a date on a date line: a year word ("года", "г.",
    "yılı"), a time ("18:35": web pages print one) or a weekday
    ("2023. február 6., hétfő")."""
    return bool(_YEAR_WORD_AFTER.fullmatch(rest) or _TIME_AFTER.fullmatch(rest)) or is_weekday(rest.lstrip(", "))


def citation_date(text: str, year: int) -> str | None:
    """A date written with a Roman-numeral month in a citation, as Hungarian
    legal numbers do: "59/2002. (IX. 20.)" gives 2002-09-20 for year 2002."""
    match = _ROMAN_DAY.search(text)
    if match is None or match.group("m") not in _ROMAN_MONTHS:
        return None
    return iso_date(year, _ROMAN_MONTHS.index(match.group("m")) + 1, int(match.group("d")))
