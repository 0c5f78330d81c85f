"""Our XML escaping is `xml.sax.saxutils`' to the byte (without importing it)."""

from __future__ import annotations

from xml.sax import saxutils

from hypothesis import given
from hypothesis import strategies as st

from communique import xmltext

TEXT = st.text(alphabet=st.sampled_from([*"ab &<>\"';#\n\r\t", "é", "ж", "\u00a0"]))


@given(TEXT)
def test_escape_is_saxutils_escape(text: str) -> None:
    assert xmltext.escape(text) == saxutils.escape(text)


@given(TEXT)
def test_quoteattr_is_saxutils_quoteattr(text: str) -> None:
    assert xmltext.quoteattr(text) == saxutils.quoteattr(text)
