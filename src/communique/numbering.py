"""List numbers written out and read back: 3 ↔ "iii", 27 → "aa".

One place for the arithmetic the writers need to draw a label and the
readers and templates need to tell what number a label as written stands for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_ROMAN_NUMERALS = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip
_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def to_roman(number: int) -> str:
    """14 → "XIV" (upper case; "0" for what Roman numerals cannot write)."""
    out = ""
    for value, letters in _ROMAN_NUMERALS:
        count, number = divmod(number, value)
        out += letters * count
    return out or "0"


def from_roman(numeral: str) -> int | None:
    """ "xiv" or "XIV" → 14; None unless written the canonical way ("IIII" is not)."""
    upper = numeral.upper()
    if not upper or any(ch not in _ROMAN_DIGITS for ch in upper):
        return None
    values = [_ROMAN_DIGITS[ch] for ch in upper]
    total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    return total if total > 0 and to_roman(total) == upper else None


def to_letters(number: int) -> str:
    """1 → "a", 27 → "aa", 28 → "bb", as Word (and the UN Editorial Manual)
    count lettered lists past z."""
    if number < 1:
        return "a"
    repeat, index = divmod(number - 1, 26)
    return chr(ord("a") + index) * (repeat + 1)


def from_letters(letters: str) -> int | None:
    """ "c" → 3, "bb" → 28; None unless written as Word counts."""
    lower = letters.lower()
    if not lower or not lower.isascii() or not lower.isalpha() or len(set(lower)) != 1:
        return None
    return (len(lower) - 1) * 26 + ord(lower[0]) - ord("a") + 1


_LABEL = re.compile(r"^(?P<prefix>.*?)(?P<value>\d+|[A-Za-z]+)(?P<suffix>[^0-9A-Za-z]*)$")


def label_shapes(label: str) -> Iterator[tuple[str, str, str, int]]:
    """The ways a label can be read as a number with text around it, likelier
    first: "(c)" → ("lower-alpha", "(", ")", 3); "1. §" → ("decimal", "",
    ". §", 1); "(i)" → lower-roman 1, then lower-alpha 9."""
    match = _LABEL.match(label.strip())
    if not match:
        return
    prefix, value, suffix = match.group("prefix", "value", "suffix")
    if value.isdigit():
        yield "decimal", prefix, suffix, int(value)
        return
    case = "lower" if value.islower() else "upper" if value.isupper() else None
    if case is None:
        return
    roman, letters = from_roman(value), from_letters(value)
    shapes = []
    if roman is not None:
        shapes.append((f"{case}-roman", prefix, suffix, roman))
    if letters is not None:
        shapes.append((f"{case}-alpha", prefix, suffix, letters))
    if len(value) == 1 and value.lower() != "i":
        shapes.reverse()  # a lone "c" or "v" is a letter before it is a Roman numeral
    yield from shapes


def format_number(fmt: str, number: int) -> str:
    """A number in a list format: decimal, lower/upper-alpha, lower/upper-roman."""
    if fmt in ("lower-alpha", "upper-alpha"):
        letters = to_letters(number)
        return letters.upper() if fmt == "upper-alpha" else letters
    if fmt in ("lower-roman", "upper-roman"):
        roman = to_roman(number)
        return roman if fmt == "upper-roman" else roman.lower()
    return str(number)
