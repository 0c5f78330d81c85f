"""The low layer of the DOCX writer: WordprocessingML elements that
python-docx has no API for (numbering definitions, fields, borders,
language, exact spacing), built with the schema's element order in mind.

Lengths come in points and go out in the units Word wants: twentieths of a
point (twips) for spacing and indents, half-points for font sizes, eighths
of a point for borders.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from communique.layout import ListFormat

_NUMBER_FORMATS: dict[ListFormat, str] = {
    "decimal": "decimal",
    "lower-alpha": "lowerLetter",
    "upper-alpha": "upperLetter",
    "lower-roman": "lowerRoman",
    "upper-roman": "upperRoman",
    "bullet": "bullet",
}


def twips(points: float) -> str:
    return str(round(points * 20))


def element(tag: str, **attrs: str) -> etree._Element:
    """A `w:` element with `w:` attributes: element("w:ind", left="567")."""
    node = OxmlElement(tag)
    for name, value in attrs.items():
        node.set(qn(f"w:{name}"), value)
    return node


def child(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    node = element(tag, **attrs)
    parent.append(node)
    return node


# Children of w:pPr and w:rPr in the order the schema demands.
_PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
_RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]


def set_ordered(parent: etree._Element, node: etree._Element) -> etree._Element:
    """Put `node` into a w:pPr or w:rPr, replacing one of the same tag and
    keeping the schema's child order (Word rejects files that break it)."""
    order = _PPR_ORDER if parent.tag == qn("w:pPr") else _RPR_ORDER
    local = etree.QName(node).localname
    for existing in parent.findall(qn(f"w:{local}")):
        parent.remove(existing)
    rank = order.index(local)
    for index, sibling in enumerate(parent):
        sibling_local = etree.QName(sibling).localname
        if sibling_local in order and order.index(sibling_local) > rank:
            parent.insert(index, node)
            return node
    parent.append(node)
    return node


def get_or_add(parent: etree._Element, tag: str) -> etree._Element:
    found = parent.find(qn(tag))
    if found is None:
        found = child(parent, tag)
    return found


# ---------------------------------------------------------------- text properties


def fonts(name: str) -> etree._Element:
    return element("w:rFonts", ascii=name, hAnsi=name, cs=name, eastAsia=name)


def language(tag: str) -> etree._Element:
    return element("w:lang", val=tag, eastAsia=tag, bidi=tag)


def font_size(points: float) -> tuple[etree._Element, etree._Element]:
    half_points = str(round(points * 2))
    return element("w:sz", val=half_points), element("w:szCs", val=half_points)


# ---------------------------------------------------------------- paragraph properties


def exact_spacing(before: float, after: float, leading: float) -> etree._Element:
    return element("w:spacing", before=twips(before), after=twips(after), line=twips(leading), lineRule="exact")


def indentation(left: float, right: float, first_line: float) -> etree._Element:
    attrs = {"left": twips(left), "right": twips(right)}
    if first_line < 0:
        attrs["hanging"] = twips(-first_line)
    else:
        attrs["firstLine"] = twips(first_line)
    return element("w:ind", **attrs)


def bottom_border(thickness: float, color: str) -> etree._Element:
    borders = element("w:pBdr")
    eighths = max(2, min(96, round(thickness * 8)))
    child(borders, "w:bottom", val="single", sz=str(eighths), space="0", color=color.lstrip("#"))
    return borders


def numbering_reference(num_id: int) -> etree._Element:
    num_pr = element("w:numPr")
    child(num_pr, "w:ilvl", val="0")
    child(num_pr, "w:numId", val=str(num_id))
    return num_pr


# ---------------------------------------------------------------- numbering


def abstract_numbering(
    abstract_id: int, fmt: ListFormat, label: str, bullet: str, indent: float, hanging: float, font: str
) -> etree._Element:
    """A one-level numbering definition: format, label pattern, hanging indent."""
    abstract = element("w:abstractNum", abstractNumId=str(abstract_id))
    child(abstract, "w:multiLevelType", val="singleLevel")
    level = child(abstract, "w:lvl", ilvl="0")
    child(level, "w:start", val="1")
    child(level, "w:numFmt", val=_NUMBER_FORMATS[fmt])
    child(level, "w:suff", val="tab")
    child(level, "w:lvlText", val=bullet if fmt == "bullet" else label)
    child(level, "w:lvlJc", val="left")
    ppr = child(level, "w:pPr")
    tabs = child(ppr, "w:tabs")
    child(tabs, "w:tab", val="num", pos=twips(indent))
    child(ppr, "w:ind", left=twips(indent), hanging=twips(hanging))
    rpr = child(level, "w:rPr")
    rpr.append(fonts(font))
    return abstract


def numbering_instance(num_id: int, abstract_id: int, start: int) -> etree._Element:
    """One list in the document: its own counter, restarting at `start`."""
    num = element("w:num", numId=str(num_id))
    child(num, "w:abstractNumId", val=str(abstract_id))
    override = child(num, "w:lvlOverride", ilvl="0")
    child(override, "w:startOverride", val=str(start))
    return num


# ---------------------------------------------------------------- fields


def field_runs(instruction: str, cached: str, rpr: etree._Element | None = None) -> list[etree._Element]:
    """A complex field (PAGE, NUMPAGES) as the four runs Word writes."""
    runs = []
    for kind in ("begin", "instr", "separate", "text", "end"):
        run = element("w:r")
        if rpr is not None:
            run.append(_copy(rpr))
        if kind == "instr":
            text = child(run, "w:instrText")
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            text.text = f" {instruction} "
        elif kind == "text":
            child(run, "w:t").text = cached
        else:
            child(run, "w:fldChar", fldCharType=kind)
        runs.append(run)
    return runs


def _copy(node: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(node))


# ---------------------------------------------------------------- package parts

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Settings that describe the document; python-docx's template carries more
# (rsids, a proof state claiming "spelling clean", Cambria Math, ja-JP theme fonts).
_KEEP_SETTINGS = {"zoom", "defaultTabStop", "characterSpacingControl", "compat", "decimalSymbol", "listSeparator"}
# Font table entries for the fonts a template can name (panose, family).
_FONT_FACTS: dict[str, tuple[str, str]] = {
    "Times New Roman": ("02020603050405020304", "roman"),
    "Arial": ("020B0604020202020204", "swiss"),
}


def tidy_settings(settings: etree._Element) -> None:
    """Keep only the settings that describe this document, in Word 2013+
    compatibility mode (no legacy layout quirks)."""
    for node in list(settings):
        if etree.QName(node).localname not in _KEEP_SETTINGS or etree.QName(node).namespace != _W_NS:
            settings.remove(node)
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = element("w:compat")
        tab = settings.find(qn("w:characterSpacingControl"))
        (tab.addnext(compat) if tab is not None else settings.append(compat))
    for node in list(compat):
        compat.remove(node)
    child(compat, "w:compatSetting", name="compatibilityMode", uri="http://schemas.microsoft.com/office/word", val="15")


def font_table(names: list[str]) -> bytes:
    """word/fontTable.xml naming only the fonts the styles use."""
    fonts = etree.Element(qn("w:fonts"), nsmap={"w": _W_NS})
    for name in names:
        font = child(fonts, "w:font", name=name)
        panose, family = _FONT_FACTS.get(name, ("", "auto"))
        if panose:
            child(font, "w:panose1", val=panose)
        child(font, "w:charset", val="00")
        child(font, "w:family", val=family)
        child(font, "w:pitch", val="variable")
    return bytes(etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True))


def app_properties() -> bytes:
    """docProps/app.xml saying which application wrote the file, and no more
    (python-docx's template claims "Microsoft Macintosh Word" and a page count)."""
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        b"<Application>Communique</Application></Properties>"
    )
