"""The low layer of the DOCX writer: WordprocessingML elements that
python-docx has no API for (numbering definitions, fields, borders,
language, exact spacing), built with the schema's element order in mind.

Lengths come in points and go out in the units Word wants: twentieths of a
point (twips) for spacing and indents, half-points for font sizes, eighths
of a point for borders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


# The name a document's own picture carries in the DOCX (wp:docPr/@name), so
# a reader tells it from the template's pictures (a letterhead).
PICTURE_NAME = "Document picture"


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


def tab_stops(stops: Sequence[tuple[str, float]]) -> etree._Element:
    """w:tabs: (alignment, position from the margin in points) pairs."""
    tabs = element("w:tabs")
    for alignment, position in stops:
        child(tabs, "w:tab", val=alignment, pos=twips(position))
    return tabs


def borderless_table(table: etree._Element, widths: Sequence[float]) -> None:
    """Make a python-docx table a fixed grid of the given column widths with
    no borders and no cell margins, so its cells line up with the text."""
    fixed_table(table, widths)


def fixed_table(
    table: etree._Element,
    widths: Sequence[float],
    rule: float = 0.0,
    margin: float = 0.0,
    indent: float = 0.0,
    padding: float = 0.0,
) -> None:
    """Make a python-docx table a fixed grid of the given column widths,
    ruled with black lines `rule` points thick (none for 0), with `margin`
    points of cell margin left and right and `padding` above and below,
    `indent` points from the margin; a merged cell's width is that of the
    columns it spans."""
    tbl_pr = table.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = element("w:tblPr")
        table.insert(0, tbl_pr)
    for node in list(tbl_pr):
        tbl_pr.remove(node)
    child(tbl_pr, "w:tblW", w=twips(sum(widths)), type="dxa")
    child(tbl_pr, "w:tblInd", w=twips(indent), type="dxa")
    borders = child(tbl_pr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if rule:
            child(borders, f"w:{side}", val="single", sz=str(round(rule * 8)), space="0", color="000000")
        else:
            child(borders, f"w:{side}", val="nil")
    child(tbl_pr, "w:tblLayout", type="fixed")
    margins = child(tbl_pr, "w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        child(margins, f"w:{side}", w=twips(margin if side in ("left", "right") else padding), type="dxa")
    child(
        tbl_pr,
        "w:tblLook",
        val="0000",
        firstRow="0",
        lastRow="0",
        firstColumn="0",
        lastColumn="0",
        noHBand="1",
        noVBand="1",
    )
    grid = table.find(qn("w:tblGrid"))
    if grid is not None:
        for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=False):
            col.set(qn("w:w"), twips(width))
    for row in table.findall(qn("w:tr")):
        column = 0
        for cell in row.findall(qn("w:tc")):
            span_node = cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            span = int(span_node.get(qn("w:val"), "1")) if span_node is not None else 1
            for tc_w in cell.iter(qn("w:tcW")):
                tc_w.set(qn("w:w"), twips(sum(widths[column : column + span])))
                tc_w.set(qn("w:type"), "dxa")
            column += span


def table_row_options(row: etree._Element, header: bool) -> None:
    """A row that never breaks across pages (as the PDF's), repeated at the
    top of each page when it is a `header` row."""
    tr_pr = row.find(qn("w:trPr"))
    if tr_pr is None:
        tr_pr = element("w:trPr")
        tbl_pr_ex = row.find(qn("w:tblPrEx"))
        row.insert(1 if tbl_pr_ex is not None else 0, tr_pr)
    child(tr_pr, "w:cantSplit")
    if header:
        child(tr_pr, "w:tblHeader")


_BORDER_SIDES = ("top", "left", "bottom", "right", "between", "bar")
MAX_BORDER_SPACE = 31  # w:space, the gap between a border and the text, is whole points up to 31


def border(ppr: etree._Element, side: str, thickness: float, color: str, space: float) -> None:
    """Give a paragraph (its w:pPr) a single-line border on `side`, `space`
    points from its text, keeping the sides in the schema's order."""
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = set_ordered(ppr, element("w:pBdr"))
    for old in borders.findall(qn(f"w:{side}")):
        borders.remove(old)
    eighths = max(2, min(96, round(thickness * 8)))
    gap = max(0, min(MAX_BORDER_SPACE, round(space)))
    node = element(f"w:{side}", val="single", sz=str(eighths), space=str(gap), color=color.lstrip("#"))
    rank = _BORDER_SIDES.index(side)
    for index, sibling in enumerate(borders):
        if _BORDER_SIDES.index(etree.QName(sibling).localname) > rank:
            borders.insert(index, node)
            return
    borders.append(node)


def numbering_reference(num_id: int, ilvl: int = 0) -> etree._Element:
    """A paragraph's place in a list: numbering instance and level (0-based depth)."""
    num_pr = element("w:numPr")
    child(num_pr, "w:ilvl", val=str(ilvl))
    child(num_pr, "w:numId", val=str(num_id))
    return num_pr


# ---------------------------------------------------------------- numbering

DEEPEST_LEVEL = 8  # a Word list has nine levels, w:ilvl 0-8


@dataclass(frozen=True)
class ListLevel:
    """One level of a Word list: label format and pattern (the layout's,
    with %1 for the number), bullet, where the item text starts (from the
    margin), how far the label hangs out, and the label's font."""

    fmt: ListFormat
    label: str
    bullet: str
    indent: float
    hanging: float
    font: str


def abstract_numbering(abstract_id: int, levels: Sequence[ListLevel]) -> etree._Element:
    """A numbering definition with one w:lvl per depth. No w:lvlRestart: by
    default a level restarts whenever a higher level numbers an item, so the
    sub-items of each item count afresh."""
    abstract = element("w:abstractNum", abstractNumId=str(abstract_id))
    child(abstract, "w:multiLevelType", val=_multi_level_type(levels))
    for ilvl, level in enumerate(levels):
        abstract.append(_level(ilvl, level))
    return abstract


def _multi_level_type(levels: Sequence[ListLevel]) -> str:
    """What the spec calls the definition: one level; levels of one kind
    (all numbers or all bullets); or a hybrid of both."""
    if len(levels) == 1:
        return "singleLevel"
    return "multilevel" if len({level.fmt == "bullet" for level in levels}) == 1 else "hybridMultilevel"


def _level(ilvl: int, level: ListLevel) -> etree._Element:
    """A w:lvl: format, label text and hanging indent. Word numbers a level
    with its own placeholder (%1 on level 0, %2 on level 1, ...)."""
    node = element("w:lvl", ilvl=str(ilvl))
    child(node, "w:start", val="1")
    child(node, "w:numFmt", val=_NUMBER_FORMATS[level.fmt])
    child(node, "w:suff", val="tab")
    text = level.bullet if level.fmt == "bullet" else level.label.replace("%1", f"%{ilvl + 1}")
    child(node, "w:lvlText", val=text)
    child(node, "w:lvlJc", val="left")
    ppr = child(node, "w:pPr")
    tabs = child(ppr, "w:tabs")
    child(tabs, "w:tab", val="num", pos=twips(level.indent))
    child(ppr, "w:ind", left=twips(level.indent), hanging=twips(level.hanging))
    rpr = child(node, "w:rPr")
    rpr.append(fonts(level.font))
    return node


def numbering_instance(num_id: int, abstract_id: int, starts: Sequence[int]) -> etree._Element:
    """One list in the document: its own counters, level n starting (and
    restarting) at `starts[n]`."""
    num = element("w:num", numId=str(num_id))
    child(num, "w:abstractNumId", val=str(abstract_id))
    for ilvl, start in enumerate(starts):
        override = child(num, "w:lvlOverride", ilvl=str(ilvl))
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


_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
# The format id every user-defined property carries (ECMA-376 part 1, §22.3.2.2).
_USER_DEFINED = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def custom_properties(properties: Sequence[tuple[str, str]]) -> bytes:
    """docProps/custom.xml: each (name, text) as a user-defined property."""
    root = etree.Element(f"{{{_CUSTOM_NS}}}Properties", nsmap={None: _CUSTOM_NS, "vt": _VT_NS})  # type: ignore[dict-item]
    for pid, (name, value) in enumerate(properties, start=2):  # pids 0 and 1 are reserved
        prop = etree.SubElement(root, f"{{{_CUSTOM_NS}}}property", fmtid=_USER_DEFINED, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = value
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def app_properties() -> bytes:
    """docProps/app.xml saying which application wrote the file, and no more
    (python-docx's template claims "Microsoft Macintosh Word" and a page count)."""
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        b"<Application>Communique</Application></Properties>"
    )


# ---------------------------------------------------------------- footnotes

FOOTNOTES_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
SEPARATOR_IDS = ("-1", "0")  # the separator and continuation separator, as Word numbers them


def footnotes_root(separator_spacing: etree._Element) -> etree._Element:
    """A footnotes part's root holding Word's two separator notes (the short
    rule above a page's notes, the full one above notes continued from the
    page before), each one paragraph spaced by `separator_spacing`."""
    root = element("w:footnotes")
    for kind, note_id in zip(("separator", "continuationSeparator"), SEPARATOR_IDS, strict=True):
        note = child(root, "w:footnote", type=kind, id=note_id)
        paragraph = child(note, "w:p")
        ppr = child(paragraph, "w:pPr")
        ppr.append(_copy(separator_spacing))
        child(child(paragraph, "w:r"), f"w:{kind}")
    return root


def footnote_settings(settings: etree._Element) -> None:
    """settings.xml names the separator notes (w:footnotePr), before w:compat."""
    for node in settings.findall(qn("w:footnotePr")):
        settings.remove(node)
    properties = element("w:footnotePr")
    for note_id in SEPARATOR_IDS:
        child(properties, "w:footnote", id=note_id)
    compat = settings.find(qn("w:compat"))
    (compat.addprevious(properties) if compat is not None else settings.append(properties))


def section_footnote_numbering(section: etree._Element, restart_each_page: bool) -> None:
    """The section's footnote numbering: 1, 2, … on, or again on each page."""
    for node in section.findall(qn("w:footnotePr")):
        section.remove(node)
    if not restart_each_page:
        return
    properties = element("w:footnotePr")
    child(properties, "w:numRestart", val="eachPage")
    references = {qn("w:headerReference"), qn("w:footerReference")}
    position = next((i for i, node in enumerate(section) if node.tag not in references), len(section))
    section.insert(position, properties)
