"""List numbers written out and read back: 3 ↔ "iii", 27 → "aa".

One place for the arithmetic the writers need to draw a label and the
readers and templates need to tell what number a label as written stands for.
"""

from __future__ import annotations

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
    """1 → "a", 27 → "aa", as Word counts lettered lists."""
    letters = ""
    while number > 0:
        number -= 1
        letters = chr(ord("a") + number % 26) + letters
        number //= 26
    return letters or "a"


def format_number(fmt: str, number: int) -> str:
    """A number in a list format: decimal, lower/upper-alpha, lower/upper-roman."""
    if fmt in ("lower-alpha", "upper-alpha"):
        letters = to_letters(number)
        return letters.upper() if fmt == "upper-alpha" else letters
    if fmt in ("lower-roman", "upper-roman"):
        roman = to_roman(number)
        return roman if fmt == "upper-roman" else roman.lower()
    return str(number)
