"""Plain text, as a person pastes it from an e-mail, to a `Document`.

Two steps, each usable alone:

1. `split_paragraphs` turns lines into paragraphs ("units"): blank lines
   separate them; inside a run of lines, a line continues the previous one
   (a hard wrap) unless the previous line ends a sentence or clause and the
   new one starts like a paragraph, a list item follows its predecessor, or
   the previous line is visibly short (an intended break).
2. `classify` gives each paragraph its role, using only how official texts
   are built, never the words of one text, zone by zone:
   - footnotes (`_split_footnotes`): labelled lines at the very end whose
     labels are glued to words earlier on;
   - the header zone (`_header`): reference and date lines, the issuer over
     a genre title, the title and a subtitle;
   - the trailing zone (`_trailing`), scanned back from the end: closing
     formula, signature, place and date, reference number, other metadata
     lines;
   - the body between them (`_body`): numbered, lettered and bullet lists
     nested by label style (`_build_lists`), then the roles around them:
     lead-in ("The General Assembly,"), recitals (ending in "," or ";"
     before the operative part), chapeau (":" before a list), headings,
     quotes and closing paragraphs.
   The recognisers of the framing lines live in `metadata_lines`.

Other readers (Markdown, Word) hand the same rules their paragraphs as
units with what their format states (`classify_units`: a heading and its
level, a quote, a list item and its label, emphasis) and get one role per
unit back, in order. The sections below follow the stages in order, after
the shapes and list labels every stage uses.

No text is ever dropped: whatever is not recognised stays a paragraph, and
labels, metadata lines and footnote labels are kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from communique import lexicons
from communique.errors import CommuniqueError
from communique.lexicons import fold
from communique.model import (
    Block,
    Content,
    Distribution,
    Document,
    Footnote,
    Inline,
    ListBlock,
    ListItem,
    Meta,
    TextBlock,
    plain,
)
from communique.numbering import from_roman
from communique.readers import dates, grammar
from communique.readers.decoding import clean_text, decode
from communique.readers.language import guess_language
from communique.readers.metadata_lines import (
    INITIALS,
    LINES_KEPT,
    OPENERS,
    TITLE_REFERENCE,
    capitalised_share,
    date_line,
    dateline,
    genre_kind,
    is_closing_formula,
    is_decoration_line,
    is_field_line,
    is_place_line,
    is_reference_line,
    reference_of,
    word_count,
)

# ---------------------------------------------------------------- entry points


def read(data: bytes, source: str) -> Document:
    """Read a plain-text file's bytes; errors name `source`."""
    try:
        return read_text(decode(data, source).text)
    except CommuniqueError as err:
        raise err.located(source) from None


def read_text(text: str) -> Document:
    """Read pasted plain text into a `Document`."""
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise CommuniqueError("the text is empty")
    meta, blocks = classify(paragraphs)
    return Document(meta=meta, blocks=blocks)


def classify(paragraphs: list[str]) -> tuple[Meta, tuple[Block, ...]]:
    """Roles for already-split paragraphs of pasted text: the metadata and
    the blocks in reading order."""
    reading = _read([Unit(p) for p in paragraphs])
    return reading.meta, reading.blocks


StatedRole = Literal["title", "heading", "quote", "item"]


def stated_role(kind: str) -> StatedRole | None:
    """The role a block of `kind` states to the rules: a heading or a
    quote keeps its role; any other kind is for the rules to decide."""
    return "heading" if kind == "heading" else "quote" if kind == "quote" else None


@dataclass(frozen=True)
class Unit:
    """A paragraph as a reader found it, with what its format already says
    about it (nothing, for pasted text). The format's word is taken as
    given: a stated title is the title, a stated heading, quote or list
    item belongs to the body and keeps its role; emphasis (bold, centred)
    counts towards a title, a short right-aligned line towards the closing
    lines (a signature, a place and date)."""

    text: str
    role: StatedRole | None = None
    level: int | None = None  # a heading's level
    label: str | None = None  # a list item's label as the format numbers it: "1.", "a)", "•"
    style: str | None = None  # the format's style name, where it has one
    bold: bool = False
    centred: bool = False
    right: bool = False  # aligned right, as a letter's signature or place and date

    @property
    def line(self) -> str:
        """The unit as the rules read it: one line, single-spaced, a list
        item after its label."""
        text = as_unit(self.text)
        return f"{self.label} {text}" if self.role == "item" and self.label and text else text


@dataclass(frozen=True)
class UnitRole:
    """What the rules make of one unit: a block kind, or "title",
    "subtitle" or "issuer" (metadata, no block), or "item" (an item of a
    list the rules built); how sure they are (None: no grammar decision)."""

    kind: str
    confidence: float | None


def classify_units(units: Sequence[Unit]) -> tuple[Meta, list[UnitRole]]:
    """Roles for the units another reader found (a Markdown file's blocks,
    a Word file's paragraphs), one per unit in order, by the same scored
    rules as pasted text: the metadata found, and each unit's role. An
    empty unit is a paragraph."""
    reading = _read(units)
    return reading.meta, reading.roles


@dataclass
class _Reading:
    meta: Meta
    blocks: tuple[Block, ...]
    roles: list[UnitRole]


def _read(given: Sequence[Unit]) -> _Reading:
    """The metadata, blocks and each unit's role.

    Footnotes and their marks are found first, so a recital ending ",1" is
    still a recital; the frame (header lines, title, body, trailing lines)
    is decoded over the document grammar (`grammar`); the body's lists and
    roles follow from their labels and shapes."""
    kept = [i for i, unit in enumerate(given) if unit.line]
    roles = [UnitRole("paragraph", None) for _ in given]
    if not kept:
        return _Reading(Meta(), (), roles)
    hints = [given[i] for i in kept]
    units, footnotes = _split_footnotes([unit.line for unit in hints])
    labels = [note.label for note in footnotes]
    bare = [_strip_markers(unit, labels) for unit in units]
    found = _Found()
    frame = grammar.decode([_frame_features(bare, i, hints[i]) for i in range(len(bare))])
    body_at = [i for i, role in enumerate(frame.roles) if role == "body"]
    start, end = (body_at[0], body_at[-1] + 1) if body_at else (len(bare), len(bare))
    kinds: list[str] = []
    head = _frame_blocks(bare[:start], frame.roles[:start], frame.confidence[:start], found, kinds)
    opening = dateline(bare[start]) if start < len(bare) else None
    if opening is not None:  # "Istanbul, 12 November 2021 – The Council …"
        found.offer(place=opening[0], date=opening[1])
    body_kinds = ["paragraph"] * (end - start)
    body = _body(bare[start:end], list(frame.confidence[start:end]), hints[start:end], body_kinds)
    tail = _frame_blocks(bare[end:], frame.roles[end:], frame.confidence[end:], found, kinds)
    kinds[start:start] = body_kinds
    kinds += ["footnote"] * len(footnotes)
    for i, kind, sure in zip(kept, kinds, [*frame.confidence, *(note.confidence for note in footnotes)], strict=True):
        roles[i] = UnitRole(kind, sure)
    restored = _Restorer(units, bare)
    blocks = tuple(_apply_refs(restored.block(block), labels) for block in [*head, *body, *tail]) + tuple(footnotes)
    if found.kind is None and any(block.kind == "lead_in" for block in body):
        found.kind = "resolution"  # an organ line opens it: "The General Assembly,"
    return _Reading(found.meta(guess_language("\n".join(unit.text for unit in given))), blocks, roles)


def as_unit(paragraph: str) -> str:
    """A paragraph as the rules see it: one line, single-spaced."""
    return " ".join(paragraph.split())


def stated(block: Block) -> Block:
    """`block` (and what it holds) with confidence 1 where none is set: a
    role the source's format states (a Markdown list, a Word style)."""
    if isinstance(block, ListBlock):
        items = tuple(ListItem(item.label, tuple(stated(b) for b in item.blocks)) for item in block.items)
        return replace(block, items=items, confidence=1.0 if block.confidence is None else block.confidence)
    return block if block.confidence is not None else replace(block, confidence=1.0)


# ---------------------------------------------------------------- shapes

# A line ending in punctuation (a closing quote or bracket may follow it):
# any clause end, and a sentence end only.
_TERMINAL = re.compile(r"[.!?:;,…][\"'»”’)\]]*$")
_SENTENCE_END = re.compile(r"[.!?…][\"'»”’)\]]*$")
# A word cut at the end of a line by a hyphen: "sürdürül-".
_HYPHENATED = re.compile(r"[^\W\d_][-\u2010]$")
# A list label or footnote mark with nothing after it: "1.", "(a)", "iv)", "–", "²".
_BARE_LABEL = re.compile(r"\(?(?:\d{1,3}|[a-zа-я]|[ivx]{1,4})[.)]?|[-–—•·*▪◦‣●■]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_MIN_WIDTH = 60  # no mailer wraps narrower; used when a text has few multi-line runs
_MIN_WRAPPED_LINES = 2
_MIN_BREAKS_TO_JUDGE = 3  # line breaks inside paragraphs' runs needed to call a text unwrapped
_MAX_WIDTH = 120  # no text is wrapped wider
_MIN_RUNS = 3  # blank lines separate paragraphs when they make this many runs
_UNWRAPPED = 1_000_000


def _ends_terminal(text: str) -> bool:
    return bool(_TERMINAL.search(text))


def _starts_like_paragraph(text: str) -> bool:
    first = text[:1]
    return first.isupper() or first.isdigit() or first in OPENERS or first in "№§"


# ---------------------------------------------------------------- list labels

_BULLETS = "-–—•·*▪◦‣●■►➢"
_LETTERS_LATIN = "abcdefghijklmnopqrstuvwxyz"
_LETTERS_CYRILLIC = "абвгдежзиклмнопрстуфхцчшщэюя"


@dataclass(frozen=True)
class _Label:
    """A list label at the start of a paragraph: as written, its style (two
    labels of one style belong to one list) and its ordinal value."""

    text: str
    style: str
    value: int  # 0 for bullets
    body: str

    @property
    def bullet(self) -> bool:
        return self.value == 0


_LABEL_FORMS: tuple[tuple[re.Pattern[str], str, Callable[[str], int | None]], ...] = (
    (re.compile(r"(\d{1,3})\.\s?§"), "1. §", int),  # Hungarian sections: "1. §"
    (re.compile(r"§\s?(\d{1,3})\.?"), "§", int),
    (re.compile(r"(\d{1,3})\.(?!\d)"), "1.", int),
    (re.compile(r"(\d{1,3})\)"), "1)", int),
    (re.compile(r"(\d{1,3})-(?=\s)"), "1-", int),
    (re.compile(r"\((\d{1,3})\)"), "(1)", int),
    (re.compile(r"\(([ivx]{1,4})\)"), "(i)", from_roman),
    (re.compile(r"([ivx]{1,4})\)"), "i)", from_roman),
    (re.compile(r"\(([a-z])\)"), "(a)", lambda s: _LETTERS_LATIN.index(s) + 1),
    (re.compile(r"([a-z])\)"), "a)", lambda s: _LETTERS_LATIN.index(s) + 1),
    (re.compile(r"([a-z])\.(?=\s)"), "a.", lambda s: _LETTERS_LATIN.index(s) + 1),
    (re.compile(r"\(([а-я])\)"), "(а)", lambda s: _LETTERS_CYRILLIC.find(s) + 1 or None),
    (re.compile(r"([а-я])\)"), "а)", lambda s: _LETTERS_CYRILLIC.find(s) + 1 or None),
    (re.compile(r"\(([A-Z])\)"), "(A)", lambda s: _LETTERS_LATIN.index(s.lower()) + 1),
    (re.compile(r"([A-Z])\)"), "A)", lambda s: _LETTERS_LATIN.index(s.lower()) + 1),
    (re.compile(r"([IVX]{1,4})\.(?=\s)"), "I.", from_roman),
)
_BULLET_FORM = re.compile(rf"[{re.escape(_BULLETS)}](?=\s)")


@lru_cache(maxsize=LINES_KEPT)
def _labels(text: str) -> tuple[_Label, ...]:
    """Every reading of `text` as a list item (an "(i)" may be roman one or
    letter nine), most likely first; empty when it has no label."""
    found: list[_Label] = []
    bullet = _BULLET_FORM.match(text)
    if bullet:
        body = text[bullet.end() :].strip()
        if body:
            found.append(_Label(bullet.group(), bullet.group(), 0, body))
        return tuple(found)
    for pattern, style, value_of in _LABEL_FORMS:
        match = pattern.match(text)
        if match is None:
            continue
        rest = text[match.end() :]
        # "1.Olaylarda" is an item; "1.5 million" and "a)b" are not.
        if rest and not rest[0].isspace() and not (style == "1." and rest[0].isupper()):
            continue
        value = value_of(match.group(1))
        if value:
            found.append(_Label(match.group(), style, value, rest.strip()))
    return tuple(found)


# ---------------------------------------------------------------- paragraphs


_SPACES = re.compile(r" {2,}")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of pasted text: blank lines separate them; hard-wrapped
    lines are joined; paragraphs and list items written one per line are
    told apart from wrapped lines (see `_breaks_before`)."""
    lines = [_SPACES.sub(" ", line.strip()) for line in clean_text(text).split("\n")]
    runs: list[list[str]] = [[]]
    for line in lines:
        if line:
            runs[-1].append(line)
        elif runs[-1]:
            runs.append([])
    runs = [run for run in runs if run]
    wrapping = _Wrapping(_wrap_width(runs), blank_lines=len(runs) >= _MIN_RUNS)
    return [unit for run in runs for unit in _split_run(run, wrapping)]


@dataclass(frozen=True)
class _Wrapping:
    """How a text was laid out: the width it was hard-wrapped at (huge when
    it was not), and whether blank lines separate its paragraphs."""

    width: int
    blank_lines: bool


def _wrap_width(runs: list[list[str]]) -> int:
    """The width the text was hard-wrapped at, or `_UNWRAPPED`.

    A line that goes on with a lower-case word after a line ending without
    punctuation is a sure wrap (a lower-case line after a comma may be a
    meant break: a Russian recital, a list item). A text with a few sure
    wraps was wrapped at about their length; the estimate errs low (a 75th
    percentile), which is safe: a wrapped line has no room for the next
    word at any lower width either. A text with several line breaks and
    hardly any sure wrap was not wrapped; with too few breaks to tell, the
    width is taken as its longest line."""
    breaks = [(prev, line) for run in runs for prev, line in pairwise(run) if not _labels(line)]
    lengths = sorted(
        len(prev)
        for prev, line in breaks
        if line[:1].islower() and not _ends_terminal(prev) and len(prev) <= _MAX_WIDTH
    )
    if len(lengths) >= _MIN_WRAPPED_LINES:
        return max(_MIN_WIDTH // 2, lengths[(len(lengths) - 1) * 3 // 4])
    if len(breaks) >= _MIN_BREAKS_TO_JUDGE:
        return _UNWRAPPED
    return max([_MIN_WIDTH, *(len(line) for run in runs for line in run)])


def _split_run(lines: list[str], wrapping: _Wrapping) -> list[str]:
    units = [lines[0]]
    for prev, line in pairwise(lines):
        if _breaks_before(prev, line, units, wrapping):
            units.append(line)
        else:
            units[-1] = _join(units[-1], line)
    return units


def _breaks_before(prev: str, line: str, units: list[str], wrapping: _Wrapping) -> bool:
    """Whether `line` starts a new paragraph after `prev`, the last physical
    line of `units[-1]`.

    A mailer wraps a line only when the next word does not fit, so a break
    before a word that would have fitted was meant. Where the next word
    would not have fitted, the break may be a wrap: it is taken for one
    when blank lines separate the text's paragraphs, or when it comes after
    a comma, a semicolon or no punctuation (a wrapped "Nur-Sultan, Almaty,
    Shymkent"); otherwise a sentence end (". ! ? :") before a capital, a
    digit or a quote ends the paragraph. A list label starts an item when
    it follows an earlier label of its list, or is a first label after
    punctuation or a meant break; an inline "2)" wrapped to a line start
    stays in its sentence.
    """
    if _BARE_LABEL.fullmatch(prev):
        return False  # "1" or "(a)" alone on a line labels the next line
    if _HYPHENATED.search(prev) and line[:1].islower():
        return False  # a word hyphenated at the wrap
    fits = len(prev) + 1 + len(line.split()[0]) <= wrapping.width
    labels = _labels(line)
    if labels:
        earlier = [label for unit in units for label in _labels(unit)]
        follows = any(p.style == c.style and (c.bullet or c.value == p.value + 1) for p in earlier for c in labels)
        first = any(c.bullet or c.value == 1 for c in labels)
        return follows or (first and (fits or _ends_terminal(prev))) or (fits and _ends_terminal(prev))
    if is_reference_line(line) or date_line(line) is not None or fits:
        return True
    if wrapping.blank_lines:
        return False
    return _starts_like_paragraph(line) and bool(_SENTENCE_END.search(prev) or prev.endswith(":"))


def _join(unit: str, line: str) -> str:
    if _HYPHENATED.search(unit) and line[:1].islower():
        return unit + line  # a word hyphenated at the wrap: keep the hyphen
    return f"{unit} {line}"


# ---------------------------------------------------------------- line kinds


# A footnote mark after final punctuation that no footnote explains (yet):
# "… for 2024,1". The line still ends in its punctuation.
_TRAILING_MARK = re.compile(r"(?<=[.,;:])(?:\d{1,2}|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2})$")


def _without_mark(text: str) -> str:
    return _TRAILING_MARK.sub("", text)


def _is_short_line(text: str, max_words: int = 12) -> bool:
    return word_count(text) <= max_words and len(text) <= 120 and not _ends_terminal(_without_mark(text))


_SIGNED_MARK = re.compile(r"\([^\W\d_]{1,12}\.?\)\s+")  # "(Signed) ", "(İmza) ", "(Подпись) "


@lru_cache(maxsize=LINES_KEPT)
def _is_signature_line(text: str, anchored: bool) -> bool:
    """A line of a signature block: a name, an office, perhaps after a
    "(Signed)" mark. Alone (`anchored` False) it must look like a name or
    an office: initials, or capitalised words (short function words aside)."""
    text = _SIGNED_MARK.sub("", text, count=1)
    if (
        text.endswith((".", ","))
        and word_count(text) <= 4
        and (anchored or any(len(w) >= 3 and w.isupper() for w in text.split()))
    ):
        text = text[:-1]  # "Gurbanguly BERDIMUHAMEDOW.", "Qurbon Tursunov," over an office
    if not _is_short_line(text) or any(ch.isdigit() for ch in text) or not text[:1].isupper():
        return False
    if anchored:
        return True
    return bool(INITIALS.search(text)) or (word_count(text) <= 8 and capitalised_share(text, min_letters=4) >= 0.75)


def _is_metadata_line(text: str) -> bool:
    return _is_short_line(text, max_words=8) and any(ch.isdigit() for ch in text)


def _is_organ_line(text: str) -> bool:
    """An organ named alone: "The General Assembly,", "Az Országgyűlés",
    or the parties to a joint text, whose defining aside does not count:
    "X and Y (hereinafter – the Parties),"."""
    core = re.sub(r"\s*\([^()]*\)", "", text.rstrip(",")).strip()
    return (
        word_count(core) <= 8
        and len(core) <= 80
        and core[:1].isupper()
        and not any(ch.isdigit() for ch in core)
        and not _ends_terminal(core)
        and capitalised_share(core) >= 2 / 3
    )


def _is_recital_shaped(text: str) -> bool:
    return _without_mark(text).endswith((",", ";")) and not _labels(text)


def _is_heading_shaped(text: str) -> bool:
    return _is_short_line(text) and (text[:1].isupper() or text[:1].isdigit())


_QUOTE_PAIRS = {"“": "”", "«": "»", '"': '"', "„": "“", "‘": "’", "”": "”", "‚": "‘"}


def _opens_quote(text: str) -> str | None:
    return _QUOTE_PAIRS.get(text[:1])


def _closes_quote(text: str, closer: str) -> bool:
    """Whether `text` ends the quotation opened with `closer`'s partner
    (a final period may follow the closing mark)."""
    return text.rstrip(".,;").endswith((closer, "”"))


# ---------------------------------------------------------------- footnotes

# A footnote's own line: its label (digits or superscript digits), a space, its text.
_FOOTNOTE_LINE = re.compile(r"(?P<label>\d{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s+(?P<text>\S.*)", re.DOTALL)


def _in_sequence(label: str, next_label: str) -> bool:
    digits = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
    first, second = label.translate(digits), next_label.translate(digits)
    return first.isdigit() and second.isdigit() and int(first) + 1 == int(second)


@lru_cache(maxsize=64)
def _glued_marker(labels: tuple[str, ...]) -> re.Pattern[str]:
    """Footnote markers glued to the end of a word: "Nations1", "Nations,1",
    "79/7;1", "Treaty”,4". (The leading lookahead changes no match: it
    only lets the scan skip, cheaply, every place where no label starts.)"""
    alternatives = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    after = '[.,;:)»”’"]'
    return re.compile(
        rf"(?=(?:{alternatives}))"
        rf"(?:(?<=[^\W\d_])|(?<=[^\W_]{after})|(?<=[^\W_]{after}{after}))({alternatives})(?![\w¹²³⁴⁵⁶⁷⁸⁹⁰])"
    )


# A footnote is a labelled line at the end whose label is glued to a word
# earlier on, labels in sequence: two independent signs, seldom both wrong.
_FOOTNOTE_CONFIDENCE = 0.95


def _split_footnotes(units: list[str]) -> tuple[list[str], list[Footnote]]:
    """Footnote lines at the end: a label, then text starting with a capital
    ("1 See resolution 169 (II)."), labels in sequence, each glued to a word
    earlier on. "19 countries took part." is not one."""
    end = len(units)
    notes: list[Footnote] = []
    while end > 1:
        match = _FOOTNOTE_LINE.fullmatch(units[end - 1])
        first = match.group("text")[0] if match else ""
        if match is None or not (first.isupper() or first in OPENERS or (notes and first.isdigit())):
            break
        label = match.group("label")
        if notes and not _in_sequence(label, notes[0].label):
            break
        marker = _glued_marker((label,))
        if not any(marker.search(unit) for unit in units[: end - 1]):
            break
        notes.insert(0, Footnote(label=label, content=plain(match.group("text")), confidence=_FOOTNOTE_CONFIDENCE))
        end -= 1
    return units[:end], notes


def _with_refs(text: str, labels: Sequence[str]) -> Content:
    """`text` as runs, with glued markers of known footnotes split off."""
    if not labels:
        return plain(text)
    runs: list[Inline] = []
    last = 0
    for match in _glued_marker(tuple(labels)).finditer(text):
        runs.extend(plain(text[last : match.start()]))
        runs.append(Inline("footnote_ref", match.group(1)))
        last = match.end()
    runs.extend(plain(text[last:]))
    return tuple(runs)


def _strip_markers(text: str, labels: Sequence[str]) -> str:
    return "".join(run.text for run in _with_refs(text, labels) if run.kind == "text")


def _apply_refs(block: Block, labels: Sequence[str]) -> Block:
    if isinstance(block, TextBlock):
        return replace(block, content=_with_refs(block.text(), labels))
    if isinstance(block, ListBlock):
        items = tuple(ListItem(item.label, tuple(_apply_refs(b, labels) for b in item.blocks)) for item in block.items)
        return replace(block, items=items)
    return block


# ---------------------------------------------------------------- header


_FIELD_OF_LABEL = {
    fold(label): name
    for name, labels in lexicons.combined().field_labels.items()
    if name != "sender"
    for label in labels
}


# A UN masthead's fields, wherever its columns put them.
_UN_FIELDS = {
    "symbol": re.compile(r"(?<!\S)([A-Z]{1,6}(?:/[A-Z0-9.()-]+){2,})(?!\S)"),
    "distribution_class": re.compile(r"Distr\.:\s*(\w+)"),
    "original_language": re.compile(r"Original:\s*(\w+)"),
    "session": re.compile(r"((?:[A-Z][a-z]+-)?[A-Z][a-z]+ session|[А-Я][а-я]+ сессия)"),
    "agenda_item": re.compile(r"(Agenda items? \d+(?:\s*\([a-z]\))?|Пункт \d+ повестки дня)"),
}


@dataclass
class _Found:
    """Metadata found on the way, first finding wins."""

    title: str | None = None
    subtitle: str | None = None
    issuer: str | None = None
    kind: str | None = None
    reference: str | None = None
    date: str | None = None
    place: str | None = None
    subject: str | None = None
    meeting: str | None = None
    unit: str | None = None
    addressee: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    action: list[str] = field(default_factory=list)  # distribution for action ("Gereği")
    information: list[str] = field(default_factory=list)  # distribution for information ("Bilgi")
    un: dict[str, str] = field(default_factory=dict)  # symbol, session, agenda item … of a UN masthead

    def offer(self, *, reference: str | None = None, date: str | None = None, place: str | None = None) -> None:
        self.reference = self.reference or reference
        self.date = self.date or date
        self.place = self.place or place

    def field(self, label: str, value: str) -> None:
        """A labelled header field ("Konu: …", "Sayı: …", "Ek: …", "Tárgy: …")."""
        folded, value = fold(label.strip()), value.strip()
        name = _FIELD_OF_LABEL.get(folded)
        if name == "reference":
            self.offer(reference=value)
        elif name == "date":
            self.offer(date=dates.parse_date(value))
        elif name == "subject":
            self.subject = self.subject or value
        elif name in ("addressee", "related", "attachments"):
            getattr(self, name).append(value)
        elif name == "distribution":
            head, colon, rest = value.partition(":")
            if colon and _FIELD_OF_LABEL.get(fold(head.strip())) == "distribution":
                self.field(head, rest)  # "Dağıtım: Gereği: …"
            else:
                (self.information if folded == fold("Bilgi") else self.action).append(value)

    def un_line(self, text: str) -> None:
        """The fields of a UN masthead line."""
        for name, pattern in _UN_FIELDS.items():
            match = pattern.search(text)
            if match and name not in self.un:
                self.un[name] = match.group(1)

    def meta(self, language: str | None) -> Meta:
        """The metadata found. Signatories stay signature blocks: the
        templates draw `meta.signatories` as a grid of their own."""
        return Meta(
            kind=self.kind or "statement",
            title=self.title,
            subtitle=self.subtitle,
            issuer=self.issuer,
            language=language,
            reference=self.reference,
            date=self.date,
            place=self.place,
            subject=self.subject,
            unit=self.unit,
            addressee=tuple(self.addressee),
            related=tuple(self.related),
            attachments=tuple(self.attachments),
            distribution=Distribution(tuple(self.action), tuple(self.information)),
            meeting=self.meeting,
            symbol=self.un.get("symbol"),
            distribution_class=self.un.get("distribution_class"),
            session=self.un.get("session"),
            agenda_item=self.un.get("agenda_item"),
            original_language=self.un.get("original_language"),
        )


def _has_letters(text: str, count: int) -> bool:
    """Whether `text` has `count` letters or more (counting stops there)."""
    for ch in text:
        if ch.isalpha():
            count -= 1
            if count <= 0:
                return True
    return count <= 0


@lru_cache(maxsize=LINES_KEPT)
def _looks_like_title(text: str) -> bool:
    if not _has_letters(text, 3) or dates.month_number(text.strip(" .,")) is not None:
        return False  # a bare number or a month: a date's pieces, as a web page shows them
    if _labels(text) or word_count(text) > 30 or len(text) > 250 or text.endswith((",", ";", ":")):
        return False
    if not _SENTENCE_END.search(text):
        return True
    return bool(TITLE_REFERENCE.match(text)) or text.isupper()


def _headline_kind(title: str) -> str | None:
    """A headline that opens with its number and date is a ministry's
    numbered press release: "No: 57, 22 Şubat 2022, … hk.", "No: 62,
    24 February 2022, Press Release on …"."""
    match = TITLE_REFERENCE.match(title)
    if match and match.group("ref") and any(d for d in dates.find_dates(title[: match.end() + 30])):
        return "press-release"
    return None


def _title_metadata(title: str, found: _Found) -> None:
    match = TITLE_REFERENCE.match(title)
    reference = None
    if match:
        reference = match.group("ref") or match.group("number") or match.group("symbol")
    if reference is None:
        reference = _number_in(title)  # "Резолюция Совета Безопасности ООН №724"
    date = next((d.iso for d in dates.find_dates(title)), None)
    if date is None and match and match.group("number"):
        year = re.search(r"/(\d{4})$", match.group("number"))
        if year:
            date = dates.citation_date(title, int(year.group(1)))
    found.offer(reference=reference, date=date)


_NUMBERED = re.compile(r"№\s*([\w./-]*\d[\w./-]*)")


def _number_in(text: str) -> str | None:
    """The number after "№" in a title or an act line ("… № 70 бұйрығы.")."""
    match = _NUMBERED.search(text)
    return match.group(1).rstrip(".,") if match else None


def _meta_line_block(text: str, found: _Found) -> TextBlock:
    """A metadata line above the body kept as a block (its data into
    `found`): a reference or symbol, a date, a labelled field, a UN header
    line, a meeting line, a masthead with its date, site chrome."""
    if is_reference_line(text):
        found.offer(reference=reference_of(text))
        return TextBlock("reference", plain(text))
    if _SYMBOL_LINE.fullmatch(text):
        found.offer(reference=text)
        found.un_line(text)
        return TextBlock("reference", plain(text))
    if _is_number_line(text):  # "от 12 января 2022 года № 5"
        stated = dates.find_dates(text)
        number = text.rsplit("№", 1)[-1].split()[0].rstrip(".,")
        found.offer(reference=number, date=stated[0].iso if stated else None)
        return TextBlock("reference", plain(text))
    line = date_line(text)
    if line is not None:
        found.offer(place=line[0], date=line[1])
        return TextBlock("place_date", plain(text))
    if ":" in text and (is_field_line(text) or _ANY_FIELD.fullmatch(text)):
        found.field(*text.split(":", 1))
        return TextBlock("metadata", plain(text))
    if _is_un_masthead(text):
        found.un_line(text)
        return TextBlock("metadata", plain(text))
    if _is_addressee(text):
        found.addressee.append(text)
        return TextBlock("metadata", plain(text))
    if _is_masthead(text) or (found.issuer is not None and found.unit is None and _is_unit_line(text)):
        if text not in ("T.C.", "Т.С."):
            if found.issuer is None:
                found.issuer = text
            elif found.unit is None:
                found.unit = text
        return TextBlock("metadata", plain(text))
    if _issuer_and_date(text):
        first = dates.find_dates(text)[0]
        found.offer(date=first.iso)
        found.issuer = found.issuer or text[: first.start].strip(" ,–—-")
        return TextBlock("place_date", plain(text))  # the issuer's masthead with its date
    elif _MEETING.search(text):
        found.meeting = found.meeting or text
    return TextBlock("metadata", plain(text))


def _is_issuer_line(text: str) -> bool:
    """An issuing body named alone above a genre title: "Azərbaycan
    Respublikası Xarici İşlər Nazirliyi" over "Bəyanat"."""
    return (
        text[:1].isupper()
        and word_count(text) <= 12
        and len(text) <= 120
        and not _ends_terminal(text)
        and not any(ch.isdigit() for ch in text)
        and not _labels(text)
        and genre_kind(text) is None
    )


@lru_cache(maxsize=LINES_KEPT)
def _is_subtitle(text: str, *, after_genre: bool) -> bool:
    """A line completing the title: one starting in lower case ("az
    ünnepnapok …", "of the Fifth Meeting …"), or, under a bare genre title
    ("PRESS RELEASE"), a headline of four words or more (a shorter line
    there is a section heading: "Background")."""
    if _ends_terminal(text) or word_count(text) > 40 or is_reference_line(text) or date_line(text):
        return False
    if text[:1].islower():
        return True
    return after_genre and word_count(text) >= 4 and _looks_like_title(text) and genre_kind(text) is None


# ---------------------------------------------------------------- the frame

_LEXICON = lexicons.combined()
_FOLDED_WEB = frozenset(fold(word.rstrip(":")) for word in _LEXICON.web_leftovers)
# Each UN header token folded, bare (without its final " .:"), whether it is
# written in lower case (it may end a line) and whether it ends in ":" or "."
# (it may open one).
_UN_HEADER = tuple(
    (folded, folded.rstrip(" .:"), written[:1].islower(), folded.endswith((":", ".")))
    for written, folded in ((token, fold(token)) for token in _LEXICON.un_header)
)
_MEETING = re.compile("|".join(_LEXICON.meeting_patterns), re.IGNORECASE)
_DECREE_NUMBER = re.compile("|".join(_LEXICON.reference_patterns), re.IGNORECASE)
_ANY_FIELD = re.compile(
    "(?:"
    + "|".join(
        re.escape(label)
        for name, labels in _LEXICON.field_labels.items()
        if name != "reference"  # "No: 57, 22 Şubat 2022, … hk." is a title; reference lines have their rule
        for label in labels
        if len(label) >= 2
    )
    + r")\s?:\s*\S.*",
    re.IGNORECASE,
)
# "SC/8215", "Press Release (2001) 093", "A/RES/80/45": a symbol alone, a
# word or two around it at most.
_SYMBOL_LINE = re.compile(r"[A-Z]{1,6}(?:/[A-Z0-9.()-]+)+(?:\s*\(\d{4}\))?|[A-Z][\w ]{2,30}\(\d{4}\)\s*\d{1,4}")


_GENRE_WORDS = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(w) for words in _LEXICON.genres.values() for w in sorted(words, key=len, reverse=True))
    + r")\w{0,3}(?!\w)",
    re.IGNORECASE,
)
# A decree's or resolution's number line: "№ 164", with a date or a year.
_NUMBER_SIGN = re.compile(r"(?:№|\bN[o°º]?\.?)\s*\d")


@lru_cache(maxsize=LINES_KEPT)
def _names_genre(text: str) -> bool:
    """A short unpunctuated line naming the document's genre among other
    words: "Azərbaycan Respublikası Prezidentinin Sərəncamı",
    "Türkmenistanyň Prezidentiniň PERMANY"."""
    return word_count(text) <= 12 and not _ends_terminal(text) and bool(_GENRE_WORDS.search(text))


@lru_cache(maxsize=LINES_KEPT)
def _is_number_line(text: str) -> bool:
    """ "Указ … от 8 апреля 2011 года № 3", "КР Өкмөтүнүн 2019-жылдын
    5-декабрындагы № 662 токтому", "… 2021 жылғы 12 қаңтардағы № 164 өкімі.",
    "КР Министрлер Кабинетинин 26.10.22 ж. № 587 токтому" (a two-digit year)."""
    if word_count(text) > 16 or not _NUMBER_SIGN.search(text):
        return False
    return bool(
        _DECREE_NUMBER.search(text)
        or dates.find_dates(text)
        or re.search(r"\b(?:19|20)\d\d\b", text)
        or _SHORT_NUMERIC_DATE.search(text)
    )


_SHORT_NUMERIC_DATE = re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.\d{2}(?![\d.]\d)")


_UN_MARKS = re.compile("|".join(re.escape(mark) for mark in _LEXICON.un_header_marks), re.IGNORECASE)
# A UN document's running header: its symbol, then its title ("A/RES/80/4 Necessity of …").
_RUNNING_HEADER = re.compile(r"[A-Z]{1,6}(?:/[A-Z0-9.()-]+){2,}\s+\S")


@lru_cache(maxsize=LINES_KEPT)
def _is_un_masthead(text: str) -> bool:
    """A line of a UN masthead or running header, however its columns ran
    together: "General Assembly Distr.: General 31 October 2025"."""
    if word_count(text) > 40 or _ends_terminal(text):
        return False
    symbol = re.search(r"(?<!\S)[A-Z]{1,6}(?:/[A-Z0-9.()-]+){2,}(?!\S)", text)
    return bool(_UN_MARKS.search(text) or _RUNNING_HEADER.match(text) or (symbol and word_count(text) <= 6)) or (
        _is_un_header(text)
    )


# The formula that opens a line saying where and when a text was signed:
# "Done at Washington this 20th day of January, 2021.", "IN WITNESS WHEREOF, …".
_SIGNING_LINE = re.compile(
    "|".join(re.escape(f) for f in sorted(_LEXICON.signing_formulae, key=len, reverse=True)), re.IGNORECASE
)


_ADDRESSEE = re.compile("|".join(_LEXICON.addressee_patterns))
_ISSUER_WORDS = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(w) for w in _LEXICON.issuer_words) + r")(?!\w)", re.IGNORECASE
)


def _is_addressee(text: str) -> bool:
    """An addressee written as the letter's conventions want it: "MİLLÎ
    EĞİTİM BAKANLIĞINA" (capitals, a dative ending)."""
    return word_count(text) <= 12 and bool(_ADDRESSEE.match(text))


@lru_cache(maxsize=LINES_KEPT)
def _is_masthead(text: str) -> bool:
    """A letterhead line: "T.C.", "DIŞİŞLERİ BAKANLIĞI" (capitals naming
    an office), not a title naming the genre."""
    if text in ("T.C.", "Т.С."):
        return True
    return (
        text.isupper()
        and word_count(text) <= 8
        and not _ends_terminal(text)
        and bool(_ISSUER_WORDS.search(text))
        and not _names_genre(text)
        and not _is_addressee(text)
    )


def _is_unit_line(text: str) -> bool:
    """A department under a letterhead: "Avrupa Birliği Başkanlığı"."""
    return word_count(text) <= 8 and not _ends_terminal(text) and bool(_ISSUER_WORDS.search(text))


def _is_date_piece(text: str) -> bool:
    """A day, a month or a year alone on its line ("28", "Октябрь", "2015"):
    a web page's date stamp written in pieces."""
    bare = text.strip(" .,")
    return (bare.isdigit() and len(bare) <= 4) or (word_count(bare) == 1 and dates.month_number(bare) is not None)


@lru_cache(maxsize=LINES_KEPT)
def _is_web_leftover(text: str) -> bool:
    """Site chrome: "Share", "Print", "Photo: …", a time stamp alone."""
    folded = fold(text.strip(" |·•›>»"))
    if folded in _FOLDED_WEB:
        return True
    head = folded.split(":", 1)[0]
    return ":" in folded and head in _FOLDED_WEB and word_count(text) <= 12


def _is_un_header(text: str) -> bool:
    """A UN document's header line: "Distr.: General", "Original: English",
    "Agenda item 98", "Eightieth session", "United Nations". A token in
    lower case ("session") may end the line, one ending in ":" or "." may
    open it, one before a number may open it, any other is the whole line."""
    if word_count(text) > 8 or _ends_terminal(text.rstrip(".")):
        return False
    folded = fold(text).rstrip(" .")
    for token, bare, lower, opener in _UN_HEADER:
        if folded == bare or (lower and folded.endswith(" " + bare)):
            return True
        if opener and folded.startswith(token):
            return True
        if folded.startswith(bare + " ") and folded[len(bare) + 1 : len(bare) + 2].isdigit():
            return True
    return False


@lru_cache(maxsize=LINES_KEPT)
def _issuer_and_date(text: str) -> bool:
    """A masthead with a date: "Republic of Türkiye Ministry of Foreign
    Affairs 24.02.2022"."""
    if word_count(text) > 16 or _ends_terminal(text):
        return False  # the cheap tests first: a body line fails them
    found = dates.find_dates(text)
    if len(found) != 1:
        return False
    if text[found[0].end :].strip(" .,–—-"):
        return False  # the date ends a masthead line
    rest = text[: found[0].start].strip(" ,–—-")
    return bool(rest) and capitalised_share(rest, min_letters=4) >= 0.75 and not _labels(text)


def _frame_features(units: list[str], i: int, hint: Unit | None = None) -> dict[str, float]:
    """What the grammar's roles weigh about line `i` (see weights.yaml),
    with what its format says (`hint`) where it came from a file."""
    text = units[i]
    previous = units[i - 1] if i > 0 else None
    following = units[i + 1] if i + 1 < len(units) else None
    labelled = bool(_labels(text)) and not is_reference_line(text)
    after_genre = previous is not None and (genre_kind(previous) is not None or _names_genre(previous))
    closing = _right_closing(units, i, hint)
    flags = {
        "reference": is_reference_line(text) or bool(_SYMBOL_LINE.fullmatch(text)),
        "date": date_line(text) is not None,
        "field": is_field_line(text) or (bool(_ANY_FIELD.fullmatch(text)) and word_count(text) <= 20),
        "un_header": _is_un_masthead(text),
        "meeting": bool(_MEETING.search(text)) and word_count(text) <= 12,
        "meeting_date": bool(_MEETING.search(text)) and word_count(text) <= 12 and bool(dates.find_dates(text)),
        "web": _is_web_leftover(text),
        "decoration": is_decoration_line(text),
        "issuer_date": _issuer_and_date(text) and date_line(text) is None,
        "decree_number": _is_number_line(text),
        "signing_line": _SIGNING_LINE.match(text) is not None and word_count(text) <= 80,
        "issuer_over_genre": (
            following is not None and _is_issuer_line(text) and genre_kind(following) is not None and i + 2 < len(units)
        ),
        "title": _looks_like_title(text),
        "genre": genre_kind(text) is not None,
        "names_genre": _names_genre(text),
        "caps_line": text.isupper() and _looks_like_title(text) and word_count(text) >= 2,
        "subtitle_lower": _is_subtitle(text, after_genre=False),
        "headline_under_genre": after_genre and _is_subtitle(text, after_genre=True),
        # The cheap test first: looking back over every line before is quadratic in a long text.
        "headline_after_date": _is_subtitle(text, after_genre=True)
        and any(genre_kind(u) or _names_genre(u) for u in units[:i]),
        "date_piece": _is_date_piece(text),
        "addressee": _is_addressee(text),
        # the act's line under its title: "… министрінің 2015 жылғы 2 ақпандағы № 70 бұйрығы. …"
        "act_line": word_count(text) <= 40 and _NUMBERED.search(text) is not None and bool(dates.find_dates(text)),
        "masthead": i < _MASTHEAD_LINES
        and (_is_masthead(text) or (previous is not None and _is_masthead(previous) and _is_unit_line(text))),
        "closing": is_closing_formula(text),
        "signature": _is_signature_line(text, anchored=False),
        "signature_loose": _is_signature_line(text, anchored=True),
        "place_over_date": following is not None and is_place_line(text) and date_line(following) is not None,
        "comma_over_name": (
            following is not None
            and word_count(text) <= 6
            and text.endswith(",")
            and _is_signature_line(following, anchored=True)
        ),
        "short_digits": _is_metadata_line(text),
        "labelled": labelled,
        "long": word_count(text) > 30,
        "stated_title": hint is not None and hint.role == "title",
        "stated_body": hint is not None and hint.role in ("heading", "quote", "item"),
        "emphasis": hint is not None and (hint.bold or hint.centred) and word_count(text) <= 30,
        "bold_centred": hint is not None
        and hint.bold
        and hint.centred
        and word_count(text) <= 30
        and not text.endswith((",", ":")),  # a salutation or an organ's lead-in is no title
        "right_words": closing and _is_short_line(text) and not any(c.isdigit() for c in text),
        "right_digits": closing and _is_metadata_line(text),
    }
    return {name: 1.0 for name, on in flags.items() if on}


_CLOSING_LINES = 12  # a letter's right-aligned closing block stands in its last lines


def _right_closing(units: list[str], i: int, hint: Unit | None) -> bool:
    """Whether line `i` is aligned right among the last lines, with only
    short lines after it: a closing block, not a cover page or a sender's
    address over the text."""
    if hint is None or not hint.right or i < len(units) - _CLOSING_LINES:
        return False
    return all(_is_short_line(unit) or _is_metadata_line(unit) for unit in units[i + 1 :])


_MASTHEAD_LINES = 4  # a letterhead stands in the first lines

# Frame roles that become blocks, and the block kind of each.
_TRAILING_KINDS = {
    "signature": "signature",
    "place_date": "place_date",
    "reference": "reference",
    "trailing_meta": "metadata",
    "closing_formula": "closing_formula",
    "closing_before_signature": "closing_formula",
}


def _frame_blocks(
    units: list[str], roles: Sequence[str], confidence: Sequence[float], found: _Found, kinds: list[str]
) -> list[Block]:
    """Blocks of the header or trailing lines (their data into `found`);
    the issuer, title and subtitle go into `found` only. Each line's kind
    is appended to `kinds`."""
    blocks: list[Block] = []
    for text, role, sure in zip(units, roles, confidence, strict=True):
        if role == "issuer":
            if found.issuer is None:
                found.issuer = text
                kinds.append("issuer")
            else:  # a letterhead gave the issuer already: the line stays, as metadata
                blocks.append(TextBlock("metadata", plain(text), confidence=sure))
                kinds.append("metadata")
        elif role == "title" or (role == "headline" and found.title is None):
            found.title = text
            found.kind = genre_kind(text) or _headline_kind(text)
            _title_metadata(text, found)
            kinds.append("title")
        elif role in ("subtitle", "headline"):
            if found.subtitle is None:
                found.subtitle = text
                found.offer(reference=_number_in(text))
                kinds.append("subtitle")
            else:
                blocks.append(TextBlock("paragraph", plain(text), confidence=sure))
                kinds.append("paragraph")
        elif role in ("head_meta", "meta_after_title"):
            blocks.append(replace(_meta_line_block(text, found), confidence=sure))
            kinds.append(blocks[-1].kind)
        else:
            kind = _TRAILING_KINDS[role]
            if kind == "reference":
                found.offer(reference=reference_of(text) or text)
            elif kind == "place_date":
                line = date_line(text)
                stated = dates.find_dates(text)
                if line is not None:
                    found.offer(place=line[0], date=line[1])
                elif _MEETING.search(text) and stated:  # "22nd plenary meeting 29 October 2025"
                    found.meeting = found.meeting or text[: stated[0].start].strip(" ,")
                    found.offer(date=stated[0].iso)
                elif stated:
                    found.offer(date=stated[0].iso)
                elif word_count(text) <= 6:
                    found.offer(place=text.rstrip(" ,"))
            elif kind == "metadata" and _MEETING.search(text):
                found.meeting = found.meeting or text
            elif kind == "metadata" and ":" in text and _ANY_FIELD.fullmatch(text):
                found.field(*text.split(":", 1))  # "Ek: …", "Dağıtım: …"
            blocks.append(TextBlock(kind, plain(text), confidence=sure))
            kinds.append(kind)
    return blocks


class _Restorer:
    """Puts the footnote marks back into the texts the roles were chosen on."""

    def __init__(self, units: list[str], bare: list[str]) -> None:
        self.originals: dict[str, str] = {}
        for unit, stripped in zip(units, bare, strict=True):
            if unit == stripped:
                continue
            self.originals.setdefault(stripped, unit)
            unit_labels, bare_labels = _labels(unit), _labels(stripped)
            if unit_labels and bare_labels:
                self.originals.setdefault(bare_labels[0].body, unit_labels[0].body)

    def block(self, block: Block) -> Block:
        if not self.originals:
            return block
        if isinstance(block, TextBlock):
            original = self.originals.get(block.text())
            return replace(block, content=plain(original)) if original else block
        if isinstance(block, ListBlock):
            items = tuple(ListItem(item.label, tuple(self.block(b) for b in item.blocks)) for item in block.items)
            return replace(block, items=items)
        return block


# ---------------------------------------------------------------- body: lists


@dataclass
class _OpenList:
    style: str
    value: int
    items: list[tuple[str, list[Block]]] = field(default_factory=list)
    confidence: float = 1.0  # the least sure of its lines

    def close(self) -> ListBlock:
        kind: Literal["numbered_list", "bullet_list"] = "bullet_list" if self.value == 0 else "numbered_list"
        items = tuple(ListItem(label, tuple(blocks)) for label, blocks in self.items)
        return ListBlock(kind, items, confidence=self.confidence)


@dataclass(frozen=True)
class _Plain:
    """A top-level paragraph whose role is decided once the lists are known."""

    text: str
    confidence: float = 1.0
    index: int = 0  # its unit's position in the body


class _ListBuilder:
    """Nests labelled paragraphs into lists by label style: a new style opens
    a sub-list inside the current item; a known style continues its list."""

    def __init__(self) -> None:
        self.entries: list[Block | _Plain] = []
        self.stack: list[_OpenList] = []
        self.resume: dict[str, int] = {}  # last value of closed top-level lists

    def choose(self, text: str) -> tuple[_Label, int | None] | None:
        """The label reading to use and the depth it continues (None: a new
        list), or None when `text` is not a list item here."""
        readings = _labels(text)
        for label in readings:
            depth = self.continues(label)
            if depth is not None:
                return label, depth
        for label in readings:
            if label.bullet or label.value == 1:
                return label, None
            if not self.stack and self.resume.get(label.style) == label.value - 1:
                return label, None
        return None

    def continues(self, label: _Label) -> int | None:
        """The depth of the open list `label` continues, if any."""
        for depth, open_list in enumerate(self.stack):
            if open_list.style == label.style and (label.bullet or label.value == open_list.value + 1):
                return depth
        return None

    def add_item(self, label: _Label, depth: int | None, confidence: float) -> None:
        if depth is None:
            same = [d for d, open_list in enumerate(self.stack) if open_list.style == label.style]
            if same:
                self.close_to(same[0])
            self.stack.append(_OpenList(label.style, label.value))
        else:
            self.close_to(depth + 1)
            self.stack[-1].value = label.value
        self.stack[-1].items.append((label.text, [TextBlock("paragraph", plain(label.body), confidence=confidence)]))
        self.stack[-1].confidence = min(self.stack[-1].confidence, confidence)

    def add_to_item(self, depth: int, block: TextBlock) -> None:
        self.close_to(depth + 1)
        self.stack[-1].items[-1][1].append(block)
        self.stack[-1].confidence = min(self.stack[-1].confidence, block.confidence or 0.0)

    def close_to(self, depth: int) -> None:
        while len(self.stack) > depth:
            open_list = self.stack.pop()
            if self.stack:
                self.stack[-1].items[-1][1].append(open_list.close())
            else:
                self.entries.append(open_list.close())
                self.resume[open_list.style] = open_list.value


def _build_lists(
    units: list[str], confidence: list[float], hints: Sequence[Unit], kinds: list[str]
) -> list[Block | _Plain]:
    """Lists from labelled units; a heading or a quote the format states
    stays one. Each unit's kind goes into `kinds` ("item" for an item)."""
    builder = _ListBuilder()
    headings = _numbered_headings(units)
    for index, text in enumerate(units):
        sure = confidence[index]
        stated = hints[index].role
        if index in headings or stated == "heading":
            builder.close_to(0)
            builder.entries.append(TextBlock("heading", plain(text), hints[index].level or 1, confidence=sure))
            kinds[index] = "heading"
            continue
        chosen = builder.choose(text) if stated != "quote" else None
        if chosen is not None:
            builder.add_item(*chosen, confidence=sure)
            kinds[index] = "item"
            continue
        # A paragraph between items continues the item before it; a heading
        # between them ends the list (numbering may resume after it).
        depth = None
        if builder.stack and not _is_heading_shaped(text) and stated is None:
            depth = _continued_depth(builder, units[index + 1 :])
        if depth is None:
            builder.close_to(0)
            builder.entries.append(_Plain(text, sure, index))
        else:
            builder.add_to_item(depth, TextBlock("paragraph", plain(text), confidence=sure))
    builder.close_to(0)
    return builder.entries


def _continued_depth(builder: _ListBuilder, rest: list[str]) -> int | None:
    """The depth of the open list that the next list item continues, if any:
    a paragraph between items belongs to the item before it."""
    for text in rest:
        readings = _labels(text)
        if readings:
            depths = [d for label in readings if (d := builder.continues(label)) is not None]
            return depths[0] if depths else None
    return None


def _is_numbered_heading(text: str, following: list[str]) -> bool:
    """A short unpunctuated "I. General provisions" before anything, or
    "2. Background" before prose (before an item it is a short item)."""
    labels = _labels(text)
    if not labels or labels[0].style not in ("I.", "1.") or not _is_short_line(text, max_words=10):
        return False
    if not following:
        return False
    return labels[0].style == "I." or not _labels(following[0])


def _numbered_headings(units: list[str]) -> set[int]:
    """Positions of numbered headings. Fail safe: a heading-shaped numbered
    line is a heading only with a sibling of its style numbered in sequence
    ("I." then "II."); a lone one stays what its label makes it."""
    candidates = [i for i in range(len(units)) if _is_numbered_heading(units[i], units[i + 1 : i + 2])]
    headings: set[int] = set()
    for first, then in pairwise(candidates):
        one, two = _labels(units[first])[0], _labels(units[then])[0]
        if one.style == two.style and two.value == one.value + 1:
            headings.update((first, then))
    return headings


# ---------------------------------------------------------------- body: roles


def _body(units: list[str], confidence: list[float], hints: Sequence[Unit], kinds: list[str]) -> list[Block]:
    """The body's blocks; each unit's kind into `kinds`."""
    entries = _build_lists(units, confidence, hints, kinds)
    n = len(entries)

    def text_at(i: int) -> str | None:
        entry = entries[i] if 0 <= i < n else None
        return entry.text if isinstance(entry, _Plain) else None

    def is_list(i: int, kind: str | None = None) -> bool:
        entry = entries[i] if 0 <= i < n else None
        return isinstance(entry, ListBlock) and (kind is None or entry.kind == kind)

    def is_chapeau(i: int) -> bool:
        text = text_at(i)
        if text is None or not is_list(i + 1):
            return False
        if text.endswith(":"):
            return True
        previous = text_at(i - 1)
        return text.endswith(";") and not (previous and _is_recital_shaped(previous))

    def opens_operative_part(i: int) -> bool:
        """A numbered list, or a chapeau introducing one or closing a
        preamble (a colon line before bullets in prose opens no operative part)."""
        if is_list(i, "numbered_list"):
            return True
        previous = text_at(i - 1)
        return is_chapeau(i) and (is_list(i + 1, "numbered_list") or bool(previous and _is_recital_shaped(previous)))

    operative = [i for i in range(n) if opens_operative_part(i)]
    first_op = operative[0] if operative else None
    last_op = max((i for i in range(n) if is_list(i)), default=-1) if first_op is not None else -1
    quotes = _quote_positions([text_at(i) for i in range(n)])
    headings = _heading_positions(entries, text_at)
    recital_run = _recital_run(text_at, n, first_op)
    closing = _closing_positions(text_at, n, last_op) if first_op is not None else set()

    blocks: list[Block] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, _Plain):
            blocks.append(entry)
            continue
        text = entry.text
        previous = text_at(i - 1)
        if hints[entry.index].role == "quote":
            kind = "quote"
        elif _is_body_metadata(text):
            kind = "metadata"
        elif i in quotes:
            kind = "quote"
        elif is_chapeau(i):
            kind = "chapeau"
        elif is_closing_formula(text) and i > (first_op or 0):
            kind = "closing_formula"
        elif (
            _is_organ_line(text)
            and not (previous and _is_recital_shaped(previous))
            and (i + 1 in recital_run or (i == 0 and is_list(i + 1, "numbered_list")))
        ):
            kind = "lead_in"
        elif i in recital_run:
            kind = "recital"
        elif i in headings:
            kind = "heading"
        elif _is_heading_shaped(text) and i + 1 < n and _looks_like_metadata(text):
            kind = "metadata"
        elif i in closing:
            kind = "closing"
        else:
            kind = "paragraph"
        blocks.append(TextBlock(kind, plain(text), confidence=entry.confidence))
        kinds[entry.index] = kind
    return blocks


def _heading_positions(entries: Sequence[Block | _Plain], text_at: Callable[[int], str | None]) -> set[int]:
    """Positions of headings without a number. Fail safe (a false heading
    costs more than a missed one): a short unpunctuated line standing alone
    between the end of a paragraph or a list and a list, a chapeau or a
    sentence of prose, in a text with two or more such sections; anything
    less stays a paragraph."""

    def ends_block(i: int) -> bool:
        if i < 0:
            return True
        previous = text_at(i)
        return previous is None or _ends_terminal(_without_mark(previous))

    def opens_section(i: int) -> bool:
        text = text_at(i)
        if text is None or not _is_heading_shaped(text) or _looks_like_metadata(text) or _labels(text):
            return False
        if i + 1 >= len(entries) or not ends_block(i - 1):
            return False
        following = text_at(i + 1)
        if following is None:
            return True  # a list follows
        if following[:1].islower() or not _ends_terminal(_without_mark(following)):
            return False
        chapeau = following.endswith(":") and i + 2 < len(entries) and text_at(i + 2) is None
        return chapeau or word_count(following) >= max(2 * word_count(text), _MIN_SECTION_WORDS)

    candidates = {i for i in range(len(entries)) if opens_section(i)}
    return candidates if len(candidates) >= _MIN_SECTIONS else set()


_MIN_SECTIONS = 2
_MIN_SECTION_WORDS = 12  # prose under a heading: a sentence, not a short line


def _closing_positions(text_at: Callable[[int], str | None], n: int, last_op: int) -> set[int]:
    """Positions of closing paragraphs: sentences after the operative
    part's last list. Fail safe: a line with a list label, one starting in
    lower case (a clause cut from its item) or a short unpunctuated line
    (an article heading) is no closing paragraph, and nothing after such a
    line is one (a new section has begun)."""
    positions: set[int] = set()
    for i in range(last_op + 1, n):
        text = text_at(i)
        if text is None or _labels(text) or not text[:1].isupper() or _is_short_line(text):
            break
        positions.add(i)
    return positions


def _looks_like_metadata(text: str) -> bool:
    """A short line that states a date, a reference, a meeting, a field or
    a masthead: never a heading (fail safe, it goes to a metadata block)."""
    features = _frame_features([text], 0)
    metadata = (
        "reference",
        "date",
        "field",
        "un_header",
        "meeting",
        "web",
        "issuer_date",
        "decree_number",
        "date_piece",
    )
    return any(name in features for name in metadata) or _is_metadata_line(text)


def _is_body_metadata(text: str) -> bool:
    """A metadata line that a pasted PDF leaves inside the body: a UN
    running header, a masthead line, site chrome."""
    return _is_un_masthead(text) or _is_web_leftover(text)


def _recital_run(text_at: Callable[[int], str | None], n: int, first_op: int | None) -> set[int]:
    """Positions of recitals: before the operative part, paragraphs ending in
    "," or ";". Without a numbered operative part, only a run of two or more
    followed by a paragraph counts (a lone "Dear Minister," does not), or a
    run of three or more that ends the text."""
    shaped = [i for i in range(n) if (t := text_at(i)) is not None and _is_recital_shaped(t)]
    if first_op is not None:
        return {i for i in shaped if i < first_op}
    run: list[int] = []
    for i in range(n):
        text = text_at(i)
        if text is not None and _is_recital_shaped(text):
            run.append(i)
            continue
        if len(run) >= 2 and text is not None:
            return set(run)
        run = []
    # A text that ends in its preamble (the rest not published): three or more.
    return set(run) if len(run) >= _MIN_CLOSING_RUN else set()


_MIN_CLOSING_RUN = 3


def _quote_positions(texts: list[str | None]) -> set[int]:
    """Paragraphs wholly in quotation marks right after a line ending in ":"."""
    positions: set[int] = set()
    for i in range(1, len(texts)):
        text, previous = texts[i], texts[i - 1]
        if text is None or previous is None or not previous.endswith(":"):
            continue
        closer = _opens_quote(text)
        if closer is None:
            continue
        for j in range(i, len(texts)):
            candidate = texts[j]
            if candidate is None:
                break
            if _closes_quote(candidate, closer):
                positions.update(range(i, j + 1))
                break
    return positions
