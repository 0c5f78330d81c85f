"""Text escaped for XML, as `xml.sax.saxutils` escapes it.

The same two functions, byte for byte: importing `xml.sax.saxutils` also
imports `urllib.request`, `http.client` and `email` (about a tenth of a
fresh process's start-up), none of which a publisher needs.
"""

from __future__ import annotations

_ATTRIBUTE_ENTITIES = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def escape(data: str) -> str:
    """`&`, `<` and `>` as entities (`xml.sax.saxutils.escape`)."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(data: str) -> str:
    """An attribute value with its quotes (`xml.sax.saxutils.quoteattr`):
    escaped, line breaks and tabs as character references, in double
    quotes unless it holds only double quotes."""
    data = escape(data)
    for char, entity in _ATTRIBUTE_ENTITIES.items():
        data = data.replace(char, entity)
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"{}"'.format(data.replace('"', "&quot;"))
