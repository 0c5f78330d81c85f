"""Property-based tests: what we did not think of.

Arbitrary text either publishes, with every word of it in the PDF and the
DOCX, or fails with the one clean error; arbitrary models survive JSON and
render to both formats. Profiles (example counts, fixed seed) are set in
conftest.py.
"""

from __future__ import annotations

import contextlib
import json
import re

from hypothesis import example, given
from hypothesis import strategies as st

from communique.errors import CommuniqueError
from communique.model import (
    TEXT_BLOCK_KINDS,
    Document,
    Footnote,
    Inline,
    ListBlock,
    ListItem,
    Meta,
    TextBlock,
    from_dict,
    to_dict,
)
from communique.publish import Options, render_outputs
from communique.readers import plaintext
from communique.render import find_template

from .conftest import docx_bytes_text, pdf_bytes_text

TEMPLATE = find_template("statement")
LETTERS = (
    "abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ"
    "əƏқҚңҢүҮұҰәӘөӨһҺіІ"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    "őŐűŰáéíóúžŽňŇýÝäÄʻ"
)
PUNCTUATION = "0123456789.,;:!?()«»“”‘’\"'–—-…№₺%/&<>{}#*•§"
TEXT_CHARS = LETTERS + PUNCTUATION + "  \n\n\n"
pasted_text = st.text(alphabet=TEXT_CHARS, min_size=1, max_size=600)
WHITESPACE = re.compile(r"\s+")


def no_space(text: str) -> str:
    return WHITESPACE.sub("", text)


@given(pasted_text)
@example("1)")  # a bare label: found by the long run, the PDF dropped it
def test_pasted_text_publishes_with_every_word_or_fails_cleanly(text: str) -> None:
    try:
        document = plaintext.read(text.encode("utf-8"), "pasted.txt")
        outputs = render_outputs(document, Options(TEMPLATE, ("pdf", "docx")))
    except CommuniqueError:
        return
    in_pdf = no_space(pdf_bytes_text(outputs["pdf"]))
    in_docx = no_space(docx_bytes_text(outputs["docx"]))
    for word in text.split():
        assert word in in_pdf, word
    model_text = no_space(json.dumps(to_dict(document), ensure_ascii=False))
    for word in text.split():
        assert json.dumps(word, ensure_ascii=False)[1:-1].replace(" ", "") in model_text, word
    for block in _text_blocks(document):
        assert no_space(block) in in_docx, block


@given(st.text(min_size=1, max_size=300))
def test_any_unicode_publishes_or_fails_with_a_clean_error(text: str) -> None:
    try:
        document = plaintext.read(text.encode("utf-8"), "any.txt")
        render_outputs(document, Options(TEMPLATE, ("pdf", "docx")))
    except CommuniqueError as err:
        assert err.file in (None, "any.txt"), err  # a problem with the input, never with the template


@given(st.binary(min_size=1, max_size=400))
def test_any_bytes_publish_or_fail_with_a_clean_error(data: bytes) -> None:
    with contextlib.suppress(CommuniqueError):
        render_outputs(plaintext.read(data, "bytes.txt"), Options(TEMPLATE, ("pdf", "docx")))


# ---------------------------------------------------------------- arbitrary models

safe_text = st.text(alphabet=LETTERS + PUNCTUATION + " ", min_size=1, max_size=40).filter(lambda t: t.strip() != "")
inline = st.one_of(
    st.builds(Inline, st.sampled_from(["text", "emphasis", "strong"]), safe_text),
    st.builds(Inline, st.just("link"), safe_text, st.just("https://example.org/a?b=1&c=<2>")),
    st.builds(Inline, st.just("footnote_ref"), st.sampled_from(["1", "2", "*"])),
)
content = st.lists(inline, min_size=1, max_size=4).map(tuple)
TEXT_KINDS = list(TEXT_BLOCK_KINDS)
text_block = st.builds(TextBlock, st.sampled_from(TEXT_KINDS), content, st.integers(1, 3))
labels = st.sampled_from(["1.", "2)", "(a)", "b)", "i.", "IV.", "•", "–", "§ 3", ""])


def list_of(children: st.SearchStrategy[object]) -> st.SearchStrategy[ListBlock]:
    item = st.builds(ListItem, labels, st.lists(children, min_size=1, max_size=3).map(tuple))
    items = st.lists(item, min_size=1, max_size=4).map(tuple)
    return st.builds(ListBlock, st.sampled_from(["numbered_list", "bullet_list"]), items)


block = st.recursive(text_block, list_of, max_leaves=8)
meta = st.builds(
    Meta,
    kind=st.sampled_from(["statement", "press-release", "resolution", "letter"]),
    title=st.none() | safe_text,
    subtitle=st.none() | safe_text,
    language=st.sampled_from([None, "tr", "en", "ru", "kk-Latn", "hu", "az", "uz", "tk", "ky"]),
    issuer=st.none() | safe_text,
    reference=st.none() | safe_text,
    date=st.none() | st.dates().map(lambda d: d.isoformat()) | st.just("2022"),
    place=st.none() | safe_text,
)
documents = st.builds(
    Document,
    meta,
    st.tuples(
        st.lists(block, max_size=6), st.lists(st.builds(Footnote, st.sampled_from(["1", "2"]), content), max_size=2)
    ).map(lambda parts: tuple(parts[0] + parts[1])),
)


@given(documents)
def test_arbitrary_models_survive_json_and_render(document: Document) -> None:
    assert from_dict(json.loads(json.dumps(to_dict(document)))) == document
    outputs = render_outputs(document, Options(TEMPLATE, ("pdf", "docx", "json")))
    assert outputs["pdf"].startswith(b"%PDF") and outputs["docx"].startswith(b"PK")
    in_docx = no_space(docx_bytes_text(outputs["docx"]))
    for text in _text_blocks(document):
        assert no_space(text) in in_docx


def _text_blocks(document: Document) -> list[str]:
    """The text of every text block and footnote, marks left out."""
    out: list[str] = []

    def visit(blocks: tuple[object, ...]) -> None:
        for item in blocks:
            if isinstance(item, TextBlock | Footnote):
                # A footnote mark is Word's own number in the DOCX, not text:
                # the text between marks is what must be there.
                pieces = "".join("\0" if run.kind == "footnote_ref" else run.text for run in item.content)
                out.extend(pieces.split("\0"))
            elif isinstance(item, ListBlock):
                for entry in item.items:
                    visit(entry.blocks)

    visit(document.blocks)
    return out


def test_profiles_are_registered() -> None:
    from hypothesis import settings

    assert settings.get_profile("ci").max_examples >= 40
