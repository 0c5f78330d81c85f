"""Guess the language of an official text (BCP 47), small and scored.

The script (Cyrillic or Latin) narrows the field; letters only one or two
of our languages use (ə, ň, ő, ǵ, ұ, U+02BB in "oʻ" …) and frequent
function words ("ve", "және", "the", "и") score the candidates. No
dictionary, no dependency: enough to tell tr, en, ru, az, kk, kk-Latn, ky,
uz, uz-Cyrl, tk and hu apart in a paragraph or more.
"""

from __future__ import annotations

import re
from collections import Counter

_MIN_LETTERS = 40  # below this, a guess would be a coin toss

# Letters that point to a language, with their weight per occurrence.
_LETTERS: dict[str, dict[str, float]] = {
    # Latin script
    "tr": {"ğ": 1, "ı": 1, "ş": 1, "İ": 1, "ç": 0.5, "ö": 0.3, "ü": 0.3},
    "az": {"ə": 4, "Ə": 4, "ğ": 1, "ı": 1, "ş": 1, "İ": 1, "ç": 0.5, "x": 0.3, "q": 0.3},
    "tk": {"ň": 4, "Ň": 4, "ž": 3, "ä": 2, "ý": 2, "Ý": 2, "ş": 1, "ç": 0.5, "w": 0.3},
    # Kazakh Latin: the 2018 alphabet (ǵ, ń, ý, á) and the 2021 one (ñ, ū, ä, ğ, ş)
    "kk-Latn": {"ǵ": 4, "Ǵ": 4, "ń": 4, "ý": 1.5, "ı": 1, "á": 1, "ó": 1, "ú": 1, "q": 0.5, "ñ": 4, "ū": 4, "ä": 1},
    "uz": {"\u02bb": 4, "\u02bc": 1, "q": 0.3, "x": 0.3},
    "hu": {"ő": 4, "ű": 4, "Ő": 4, "Ű": 4, "é": 1, "á": 0.7, "í": 0.7, "ó": 0.5, "ú": 0.5},
    "en": {"w": 0.2},
    # Cyrillic script
    "ru": {"ы": 0.3, "э": 0.5, "ё": 0.5, "ъ": 1},
    "kk": {"ә": 3, "Ә": 3, "ғ": 3, "Ғ": 3, "қ": 3, "Қ": 3, "ұ": 4, "Ұ": 4, "һ": 2, "і": 3, "І": 3},
    "ky": {"ң": 2, "Ң": 2, "ө": 2, "Ө": 2, "ү": 2, "Ү": 2},
    "uz-Cyrl": {"ў": 4, "Ў": 4, "ҳ": 3, "Ҳ": 3, "қ": 1, "ғ": 1},
}


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Frequent short words (case-folded), two points per occurrence.
_WORDS: dict[str, frozenset[str]] = {
    "tr": _words("ve bir bu ile için olarak olan da de ilişkin tarafından göre ise veya"),
    "az": _words("və bir bu ilə üçün olan da də ki barədə tərəfindən həmçinin"),
    "tk": _words("we bilen üçin bu hem boýunça hakynda ýaly bolup"),
    "kk-Latn": _words("jáne men boıynsha týraly osy bul úshin retinde jäne boiynşa turaly üşın retınde"),
    "uz": _words("va bilan uchun bu ham boʻyicha bo'yicha yil hamda tomonidan"),
    "hu": _words("a az és hogy nem egy is szerint valamint között"),
    "en": _words("the and of to in that for is with on by"),
    "ru": _words("и в на с по не что для от о к"),
    "kk": _words("және мен бойынша туралы осы бұл үшін ретінде"),
    "ky": _words("жана менен боюнча жөнүндө бул үчүн катары"),
    "uz-Cyrl": _words("ва билан учун бу ҳам бўйича йил"),
}

_CYRILLIC_LANGS = frozenset({"ru", "kk", "ky", "uz-Cyrl"})
_WORD_RE = re.compile(r"[^\W\d_]+(?:[\u02bb\u02bc'][^\W\d_]+)*")


def _languages_of_words() -> dict[str, tuple[str, ...]]:
    """Each frequent word → the languages it is frequent in."""
    languages: dict[str, tuple[str, ...]] = {}
    for lang, words in _WORDS.items():
        for word in words:
            languages[word] = (*languages.get(word, ()), lang)
    return languages


_LANGUAGES_OF_WORD = _languages_of_words()


def guess_language(text: str) -> str | None:
    """The most likely language tag of `text`, or None when it is too short
    (or has too few letters) to say."""
    counts = Counter(text)
    letters = sum(n for ch, n in counts.items() if ch.isalpha())
    if letters < _MIN_LETTERS:
        return None
    cyrillic = sum(n for ch, n in counts.items() if "\u0400" <= ch <= "\u04ff" and ch.isalpha())
    candidates = _CYRILLIC_LANGS if cyrillic * 2 > letters else frozenset(_LETTERS) - _CYRILLIC_LANGS
    scores: dict[str, float] = dict.fromkeys(candidates, 0.0)
    for lang in candidates:
        scores[lang] += sum(weight * counts[ch] for ch, weight in _LETTERS[lang].items())
    hits: Counter[str] = Counter()  # each language's frequent words, counted over each distinct word once
    for word, n in Counter(_WORD_RE.findall(text)).items():
        for lang in _LANGUAGES_OF_WORD.get(word.casefold(), ()):
            hits[lang] += n
    for lang in candidates:
        for _ in range(hits[lang]):
            scores[lang] += 2  # one by one, as the points always added up (a float sum depends on it)
    # Absence of every special letter is itself a sign of Russian or English.
    plain = "ru" if "ru" in candidates else "en"
    scores[plain] += 0.5
    best, score = max(sorted(scores.items()), key=lambda item: item[1])
    return best if score > 0 else None
