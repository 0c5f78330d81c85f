"""Word equations (Office Math, OMML) as linear text, so their words and
numbers reach the output: "(a+b)/(2)", "x^(2)", "√(x)", "∑_(i=1)^(n)(i)".
"""

from __future__ import annotations

from lxml import etree

M = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def _m(tag: str) -> str:
    return f"{{{M}}}{tag}"


def _val(node: etree._Element, path: str, default: str) -> str:
    found = node.find(path)
    if found is None:
        return default
    return str(found.get(_m("val"), default))


def _part(node: etree._Element, tag: str) -> str:
    found = node.find(_m(tag))
    return linear(found) if found is not None else ""


def _group(text: str) -> str:
    return text if len(text) <= 1 else f"({text})"


def linear(node: etree._Element) -> str:
    """The linear text of an OMML element and what it holds."""
    if not isinstance(node.tag, str):
        return ""
    tag = etree.QName(node).localname
    if etree.QName(node).namespace != M:
        return "".join(linear(child) for child in node) if tag != "rPr" else ""
    if tag == "t":
        return node.text or ""
    if tag == "f":
        return f"{_group(_part(node, 'num'))}/{_group(_part(node, 'den'))}"
    if tag in ("sSup", "sSub", "sSubSup", "sPre"):
        out = _part(node, "e")
        if node.find(_m("sub")) is not None:
            out += "_" + _group(_part(node, "sub"))
        if node.find(_m("sup")) is not None:
            out += "^" + _group(_part(node, "sup"))
        return out
    if tag == "rad":
        degree = _part(node, "deg")
        return ("∛" if degree == "3" else "√") + f"({_part(node, 'e')})"
    if tag == "d":
        begin = _val(node, f"{_m('dPr')}/{_m('begChr')}", "(")
        end = _val(node, f"{_m('dPr')}/{_m('endChr')}", ")")
        separator = _val(node, f"{_m('dPr')}/{_m('sepChr')}", "|")
        return begin + separator.join(linear(e) for e in node.iterfind(_m("e"))) + end
    if tag == "nary":
        out = _val(node, f"{_m('naryPr')}/{_m('chr')}", "∫")
        if node.find(_m("sub")) is not None:
            out += "_" + _group(_part(node, "sub"))
        if node.find(_m("sup")) is not None:
            out += "^" + _group(_part(node, "sup"))
        return out + _group(_part(node, "e"))
    if tag in ("rPr", "ctrlPr", "fPr", "dPr", "naryPr", "radPr", "sSupPr", "sSubPr", "sSubSupPr", "oMathParaPr"):
        return ""
    if tag == "oMathPara":
        return " ".join(linear(child) for child in node if etree.QName(child).localname == "oMath")
    return "".join(linear(child) for child in node)
