"""Archival post-processing: reportlab's PDF made into PDF/A-3a + PDF/UA-1 (or PDF/A-3u).

reportlab draws the pages; this module adds what an archive needs and
reportlab does not write: XMP metadata that matches the Info dictionary and
claims the profile (`PROFILES`), an sRGB output intent, the catalog's
language and viewer preferences, the structure tree of a tagged file
(`writers.pdf_tags`), and the source `Document` as JSON attached as an
associated file (AFRelationship Source) so an archived PDF can be published
again.
pikepdf rewrites the whole file, which also puts the end-of-line before
`endstream` that reportlab leaves out.

Everything is derived from the layout, never from the clock: dates come
from the document date (else SOURCE_DATE_EPOCH, else a fixed date) and the
trailer /ID is a hash of the content, so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from communique import __version__
from communique.layout import DocumentInfo, Layout, walk_paragraphs
from communique.writers import PDF_PROFILES, PdfProfile
from communique.writers.pdf_tags import Element, write_structure
from communique.xmltext import escape

ICC_PROFILE = Path(__file__).parent / "icc" / "sRGB.icc"
CREATOR = "Communique"
PRODUCER = f"Communique {__version__} (ReportLab, pikepdf)"
PDF_VERSION = "1.7"  # PDF/A-3 is based on ISO 32000-1 (PDF 1.7)
ATTACHMENT_TYPES = {".json": "application/json"}
_SUBSET_TAG = re.compile(r"^/[A-Z]{6}\+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not allowed in XML 1.0


def finalize(pdf: bytes, layout: Layout, profile: str = "3u", structure: Element | None = None) -> bytes:
    """reportlab's PDF bytes as archival bytes in `profile`, with the
    structure tree when tagged and the layout's attachments embedded as
    source files; byte-identical for identical input."""
    claim = PDF_PROFILES[profile]
    if claim.tagged and structure is None:
        raise ValueError(f"profile {profile} is tagged: give the structure tree")
    moment = layout.info.moment()
    info = layout.info
    if claim.ua_part and not _clean(info.title):  # PDF/UA wants a title to show in the window bar
        info = replace(info, title=fallback_title(layout))
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        _set_info(doc, info, moment)
        _set_xmp(doc, info, moment, claim)
        _set_output_intent(doc)
        _set_catalog(doc, info)
        if structure is not None:
            write_structure(doc, structure, layout.info.lang)
        _set_annotation_flags(doc)
        _unique_subset_tags(doc)
        for name, data in layout.attachments:
            _attach_source(doc, name, data, moment)
        out = io.BytesIO()
        doc.save(
            out,
            min_version=PDF_VERSION,
            deterministic_id=True,  # /ID from the content: reproducible, yet unique per document
            fix_metadata_version=False,  # the XMP is ours, written in full by _set_xmp
            encryption=False,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,  # plain objects, as reportlab wrote them
        )
    return out.getvalue()


# ---------------------------------------------------------------- metadata


def fallback_title(layout: Layout, limit: int = 100) -> str:
    """A title for a document that has none: its first heading, else its
    first line of text, shortened."""
    paragraphs = [p for p in walk_paragraphs(layout.body) if _clean(p.text())]
    headings = [p for p in paragraphs if layout.styles[p.style].outline_level is not None]
    first = next(iter(headings or paragraphs), None)
    text = " ".join(_clean(first.text()).split()) if first is not None else ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _clean(text: str) -> str:
    """Text fit for both the Info dictionary and XML: no control characters."""
    return _CONTROL.sub("", text).strip()


def _info_fields(info: DocumentInfo) -> dict[str, str]:
    """The Info entries as they will be written (empty ones left out), so the
    XMP can say exactly the same."""
    fields = {
        "/Title": _clean(info.title),
        "/Author": _clean(info.author),
        "/Subject": _clean(info.subject),
        "/Keywords": _clean(info.keywords),
        "/Creator": CREATOR,
        "/Producer": PRODUCER,
    }
    return {key: value for key, value in fields.items() if value}


def _pdf_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def _xmp_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _set_info(doc: pikepdf.Pdf, info: DocumentInfo, moment: dt.datetime) -> None:
    """A fresh Info dictionary: reportlab's /Trapped (no PDF/A-3 XMP
    counterpart) and its invariant dates are dropped."""
    entries: dict[str, pikepdf.Object] = {key: String(value) for key, value in _info_fields(info).items()}
    entries["/CreationDate"] = String(_pdf_date(moment))
    entries["/ModDate"] = String(_pdf_date(moment))
    doc.trailer.Info = doc.make_indirect(Dictionary(entries))


def _set_xmp(doc: pikepdf.Pdf, info: DocumentInfo, moment: dt.datetime, profile: PdfProfile) -> None:
    """The XMP packet, written out in full so its bytes are predictable."""
    stream = pikepdf.Stream(doc, xmp_packet(info, moment, profile))
    stream.Type = Name.Metadata
    stream.Subtype = Name.XML
    doc.Root.Metadata = doc.make_indirect(stream)


def xmp_packet(info: DocumentInfo, moment: dt.datetime, profile: PdfProfile = PDF_PROFILES["3u"]) -> bytes:
    """XMP claiming the profile, with the same values as the Info
    dictionary; a PDF/UA claim brings the extension schema PDF/A requires
    for the `pdfuaid` namespace."""
    fields = _info_fields(info)
    when = _xmp_date(moment)
    dc: list[str] = []
    if "/Title" in fields:
        dc.append(
            f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(fields["/Title"])}</rdf:li></rdf:Alt></dc:title>'
        )
    if "/Author" in fields:
        dc.append(f"<dc:creator><rdf:Seq><rdf:li>{escape(fields['/Author'])}</rdf:li></rdf:Seq></dc:creator>")
    if "/Subject" in fields:
        dc.append(
            f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(fields["/Subject"])}</rdf:li>'
            "</rdf:Alt></dc:description>"
        )
    language = _clean(info.lang)
    if language:
        dc.append(f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>")
    pdf = [f"<pdf:Producer>{escape(fields['/Producer'])}</pdf:Producer>"]
    if "/Keywords" in fields:
        pdf.append(f"<pdf:Keywords>{escape(fields['/Keywords'])}</pdf:Keywords>")
    lines = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">',
        f"<pdfaid:part>{profile.part}</pdfaid:part>",
        f"<pdfaid:conformance>{profile.conformance}</pdfaid:conformance>",
        "</rdf:Description>",
        *(_pdfua_claim(profile.ua_part) if profile.ua_part else []),
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<dc:format>application/pdf</dc:format>",
        *dc,
        "</rdf:Description>",
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
        f"<xmp:CreateDate>{when}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{when}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{when}</xmp:MetadataDate>",
        f"<xmp:CreatorTool>{escape(fields['/Creator'])}</xmp:CreatorTool>",
        "</rdf:Description>",
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
        *pdf,
        "</rdf:Description>",
        "</rdf:RDF>",
        "</x:xmpmeta>",
        '<?xpacket end="r"?>',
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _pdfua_claim(part: int) -> list[str]:
    """The `pdfuaid:part` claim and its PDF/A extension schema description."""
    return [
        '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"'
        ' xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"'
        ' xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">',
        '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">',
        "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>",
        "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>",
        "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>",
        '<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">',
        "<pdfaProperty:name>part</pdfaProperty:name>",
        "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>",
        "<pdfaProperty:category>internal</pdfaProperty:category>",
        "<pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>",
        "</rdf:li></rdf:Seq></pdfaSchema:property>",
        "</rdf:li></rdf:Bag></pdfaExtension:schemas>",
        "</rdf:Description>",
        '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">',
        f"<pdfuaid:part>{part}</pdfuaid:part>",
        "</rdf:Description>",
    ]


# ---------------------------------------------------------------- catalog


def _set_output_intent(doc: pikepdf.Pdf) -> None:
    """An sRGB output intent, so reportlab's DeviceRGB colours are defined."""
    profile = pikepdf.Stream(doc, _icc_profile())
    profile.N = 3
    doc.Root.OutputIntents = Array(
        [
            Dictionary(
                Type=Name.OutputIntent,
                S=Name.GTS_PDFA1,
                OutputConditionIdentifier=String("sRGB"),
                RegistryName=String("http://www.color.org"),
                Info=String("sRGB IEC61966-2.1"),
                DestOutputProfile=doc.make_indirect(profile),
            )
        ]
    )


@cache
def _icc_profile() -> bytes:
    """The bundled sRGB profile, read once per process."""
    return ICC_PROFILE.read_bytes()


def _set_catalog(doc: pikepdf.Pdf, info: DocumentInfo) -> None:
    """Language, title in the window bar, and an honest /MarkInfo: untagged
    until `write_structure` adds the structure tree."""
    if info.lang:
        doc.Root.Lang = String(info.lang)
    doc.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    doc.Root.MarkInfo = Dictionary(Marked=False)


def _set_annotation_flags(doc: pikepdf.Pdf) -> None:
    """PDF/A wants every annotation printable (flag 4) and never hidden;
    reportlab's link annotations carry no flags."""
    for page in doc.pages:
        for annotation in page.obj.get("/Annots", Array()):
            flags = int(annotation.get("/F", 0))
            annotation.F = (flags | 4) & ~(1 | 2 | 32)  # print; not invisible, hidden or no-view


def _unique_subset_tags(doc: pikepdf.Pdf) -> None:
    """reportlab's invariant mode tags every font subset AAAAAA+; ISO 32000
    (9.6.4) wants a different tag per subset. The tag is taken from a hash of
    the embedded font program, so it is as reproducible as the rest."""
    used: set[str] = set()
    for font in doc.objects:
        if not isinstance(font, Dictionary) or font.get("/Type") != Name.Font:
            continue
        base = str(font.get("/BaseFont", ""))
        descriptor = font.get("/FontDescriptor")
        if not _SUBSET_TAG.match(base) or not isinstance(descriptor, Dictionary):
            continue
        program = next(
            (descriptor[key] for key in ("/FontFile2", "/FontFile", "/FontFile3") if key in descriptor), None
        )
        if not isinstance(program, pikepdf.Stream):
            continue
        digest = hashlib.sha256(program.read_raw_bytes() + base.encode()).digest()
        tag = next(tag for start in range(len(digest) - 5) if (tag := _letters(digest[start : start + 6])) not in used)
        used.add(tag)
        name = Name(f"/{tag}+{base[8:]}")
        font.BaseFont = name
        descriptor.FontName = name


def _letters(data: bytes) -> str:
    return "".join(chr(ord("A") + byte % 26) for byte in data)


def _attach_source(doc: pikepdf.Pdf, name: str, data: bytes, moment: dt.datetime) -> None:
    """Embed `data` as the document's source (an associated file, PDF/A-3
    6.8), listed both in the catalog's /AF and the EmbeddedFiles name tree."""
    date = _pdf_date(moment)
    mime = ATTACHMENT_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
    spec = pikepdf.AttachedFileSpec(
        doc,
        data,
        description="The source document (Communique model JSON), to publish this PDF again",
        filename=name,
        mime_type=mime,
        creation_date=date,
        mod_date=date,
        relationship=Name.Source,
    )
    doc.attachments[name] = spec  # pikepdf also lists a spec with a relationship in /AF
    filespec = spec.obj
    if "/AF" not in doc.Root:
        doc.Root.AF = Array()
    if all(entry.objgen != filespec.objgen for entry in doc.Root.AF):
        doc.Root.AF.append(filespec)
