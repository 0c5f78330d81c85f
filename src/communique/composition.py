"""Composition rules on text both writers share: where a line must not break.

The writers bind with no-break spaces; the DOCX reader, reading one of our
own files, loosens exactly those again, so the model round-trips.
"""

from __future__ import annotations

import re

from communique.readers.dates import month_number

NBSP = "\u00a0"
# A day and its month word ("12 September", "«11» января", "11-nji ýanwar"),
# not the end of a range ("18-19 Nisan", where a line may break after the
# hyphen), a month word and its day ("September 12", "szeptember 17"), and "№ 439".
_DAY_MONTH = re.compile(r"(?<![\d.,\-–])(\d{1,2}(?:st|nd|rd|th|-[^\W\d_]{1,5}|\.)?[»\"”]?) ([^\W\d_]+)")
_MONTH_DAY = re.compile(r"([^\W\d_]+) (\d{1,2})(?![\d.,]\d)")
_NUMERO = re.compile(r"№ (?=\d)")


def bind_spaces(text: str) -> str:
    """No-break spaces where a line must not break: between a day and its
    month and after "№", so "12 / September" never ends and starts a line."""

    def day_month(match: re.Match[str]) -> str:
        day, word = match.groups()
        return f"{day}{NBSP}{word}" if month_number(word) else match.group(0)

    def month_day(match: re.Match[str]) -> str:
        word, day = match.groups()
        return f"{word}{NBSP}{day}" if month_number(word) else match.group(0)

    return _NUMERO.sub("№" + NBSP, _MONTH_DAY.sub(month_day, _DAY_MONTH.sub(day_month, text)))


def unbind_spaces(text: str) -> str:
    """`text` with the no-break spaces `bind_spaces` would have put there
    turned back into spaces; other no-break spaces stay."""
    bound = bind_spaces(text.replace(NBSP, " "))
    return "".join(" " if ours == NBSP and char == NBSP else char for char, ours in zip(text, bound, strict=True))
