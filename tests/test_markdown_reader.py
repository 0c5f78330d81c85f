"""The Markdown reader: front matter, CommonMark structure, plain-text roles, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from communique.errors import CommuniqueError
from communique.model import Block, Document, Footnote, Inline, ListBlock, TextBlock
from communique.readers import markdown, reader_for
from tests.conftest import docx_text, pdf_text, squash

STATEMENT = """\
---
kind: statement
issuer: Türk Devletleri Teşkilatı
date: 2022-01-11
language: tr
reference: "2022/01"
---

# TÜRK DEVLETLERİ TEŞKİLATI DIŞİŞLERİ BAKANLARI KONSEYİ'NİN KAZAKİSTAN'DAKİ DURUMA İLİŞKİN AÇIKLAMASI

Türk Devletleri Teşkilatı Dışişleri Bakanları Konseyi, Kazakistan'daki son gelişmeleri görüşmek üzere
11 Ocak 2022 tarihinde video konferans yöntemiyle olağanüstü bir toplantı gerçekleştirmiştir.

Türk Devletleri Teşkilatı Üyelerinin ve Gözlemcilerinin halkları arasındaki kardeşlik bağlarını teyit ederek,

Türk Dili Konuşan Ülkeler İşbirliği Konseyi'nin Kurulmasına Dair 3 Ekim 2009 tarihli *Nahçıvan Anlaşması*'na
atıfta bulunarak,

Türk Devletleri Teşkilatı Dışişleri Bakanları Konseyi:

1. Olaylarda hayatını kaybedenler için **taziyelerini** iletmiş ve yaralılara acil şifalar dilemiş,
2. Üye Ülke Kazakistan'a ve onun kardeş halkına olan güçlü desteklerini teyit etmiş,
3. "Türk Dünyası Vizyonu 2040"[^1] belgesinin bir rehber niteliğinde olduğuna dikkat çekmiş,
4. Kazakistan Cumhuriyeti Cumhurbaşkanı Kasım Cömert Tokayev'in reform gündemine ilişkin desteklerini
   beyan etmiştir.

Konsey bu konuda yakın işbirliği ve istişare içinde kalmaya karar vermiştir.

Kamuoyuna saygıyla duyurulur.

İstanbul, 11 Ocak 2022

[^1]: Bkz. [turkicstates.org](https://www.turkicstates.org).
"""


def read(text: str) -> Document:
    return markdown.read(text.encode("utf-8"), "x.md")


def error_of(text: str | bytes) -> CommuniqueError:
    with pytest.raises(CommuniqueError) as caught:
        markdown.read(text.encode("utf-8") if isinstance(text, str) else text, "x.md")
    return caught.value


def kinds(blocks: tuple[Block, ...]) -> list[str]:
    return [block.kind for block in blocks]


def text_block(block: Block) -> TextBlock:
    assert isinstance(block, TextBlock), block
    return block


def list_block(block: Block) -> ListBlock:
    assert isinstance(block, ListBlock), block
    return block


# ---------------------------------------------------------------- a whole statement


def test_registered_for_md_and_markdown() -> None:
    assert reader_for(Path("x.md")) is markdown.read
    assert reader_for(Path("x.markdown")) is markdown.read


def test_statement_meta_from_front_matter_title_from_h1() -> None:
    meta = read(STATEMENT).meta
    assert meta.kind == "statement"
    assert meta.title is not None and meta.title.startswith("TÜRK DEVLETLERİ TEŞKİLATI")
    assert (meta.issuer, meta.date, meta.language, meta.reference) == (
        "Türk Devletleri Teşkilatı",
        "2022-01-11",
        "tr",
        "2022/01",
    )
    assert meta.place == "İstanbul"  # found by the plain-text rules in the place-and-date line


def test_statement_roles_come_from_the_plain_text_rules() -> None:
    document = read(STATEMENT)
    assert kinds(document.blocks) == [
        "paragraph",
        "recital",
        "recital",
        "chapeau",
        "numbered_list",
        "closing",
        "closing_formula",
        "place_date",
        "footnote",
    ]
    operative = list_block(document.blocks[4])
    assert [item.label for item in operative.items] == ["1.", "2.", "3.", "4."]
    assert (
        text_block(operative.items[3].blocks[0])
        .text()
        .endswith("reform gündemine ilişkin desteklerini beyan etmiştir.")
    )
    # A soft line break is a space, never a lost word.
    assert "üzere 11 Ocak 2022" in text_block(document.blocks[0]).text()


def test_statement_inline_runs_and_footnote() -> None:
    document = read(STATEMENT)
    assert Inline("emphasis", "Nahçıvan Anlaşması") in text_block(document.blocks[2]).content
    operative = list_block(document.blocks[4])
    assert Inline("strong", "taziyelerini") in text_block(operative.items[0].blocks[0]).content
    assert Inline("footnote_ref", "1") in text_block(operative.items[2].blocks[0]).content
    note = document.blocks[-1]
    assert isinstance(note, Footnote) and note.label == "1"
    assert note.content == (
        Inline("text", "Bkz. "),
        Inline("link", "turkicstates.org", "https://www.turkicstates.org"),
        Inline("text", "."),
    )


# ---------------------------------------------------------------- structure


def test_nested_lists_keep_labels_as_written() -> None:
    document = read(
        "Konsey:\n\n"
        "1) Birinci madde:\n"
        "   (a) alt madde;\n"
        "   (b) diğer alt madde;\n"
        "2) İkinci madde:\n"
        "\n"  # only a list starting at 1 may interrupt a paragraph
        "   3. üçüncü\n"
        "   4. dördüncü\n"
        "      * yıldız\n"
        "      + artı\n"
        "\n"
        "- tire\n"
    )
    assert kinds(document.blocks) == ["chapeau", "numbered_list", "bullet_list"]
    outer = list_block(document.blocks[1])
    assert [item.label for item in outer.items] == ["1)", "2)"]
    # Letters are not Markdown list markers: "(a)" lines stay the item's text.
    assert text_block(outer.items[0].blocks[0]).text() == "Birinci madde: (a) alt madde; (b) diğer alt madde;"
    inner = list_block(outer.items[1].blocks[1])
    assert inner.kind == "numbered_list" and [item.label for item in inner.items] == ["3.", "4."]
    bullets = [list_block(b) for b in inner.items[1].blocks[1:]]
    assert [(b.kind, b.items[0].label) for b in bullets] == [("bullet_list", "*"), ("bullet_list", "+")]
    assert list_block(document.blocks[2]).items[0].label == "-"


def test_headings_quotes_and_hard_breaks() -> None:
    document = read(
        "# Başlık\n\n## Giriş\n\n### Ayrıntı\n\n# İkinci H1\n\n"
        "> Alıntı *satırı*\n> sürer\n\n"
        "Ayşe Yılmaz  \nDışişleri Bakanı\\\nAnkara\n\n---\n"
    )
    assert document.meta.title == "Başlık"
    headings = [(b.text(), b.level) for b in document.blocks if isinstance(b, TextBlock) and b.kind == "heading"]
    assert headings == [("Giriş", 1), ("Ayrıntı", 2), ("İkinci H1", 1)]
    quote = next(b for b in document.blocks if isinstance(b, TextBlock) and b.kind == "quote")
    assert quote.content == (Inline("text", "Alıntı "), Inline("emphasis", "satırı"), Inline("text", " sürer"))
    # A hard break ends a block: each hand-broken line is its own block.
    texts = [b.text() for b in document.blocks if isinstance(b, TextBlock)]
    assert texts[-3:] == ["Ayşe Yılmaz", "Dışişleri Bakanı", "Ankara"]


def test_inline_formatting() -> None:
    block = text_block(
        read(
            "Bir *vurgu*, **güçlü**, ***ikisi***, [bağlantı](https://mfa.gov.tr/a), `kod`, ![logo](l.png), "
            "<https://x.org> ve [](https://bos.org).\n"
        ).blocks[0]
    )
    assert block.content == (
        Inline("text", "Bir "),
        Inline("emphasis", "vurgu"),
        Inline("text", ", "),
        Inline("strong", "güçlü"),
        Inline("text", ", "),
        Inline("strong", "ikisi"),
        Inline("text", ", "),
        Inline("link", "bağlantı", "https://mfa.gov.tr/a"),
        Inline("text", ", kod, logo, "),
        Inline("link", "https://x.org", "https://x.org"),
        Inline("text", " ve "),
        Inline("link", "https://bos.org", "https://bos.org"),
        Inline("text", "."),
    )


def test_html_looking_text_stays_text() -> None:
    document = read(
        "Metin <b>kalın</b> & <script>alert(1)</script> {{ x }} {% if %} [js](javascript:alert(1)).\n\n"
        "<div>\nblok\n</div>\n"
    )
    assert [text_block(b).text() for b in document.blocks] == [
        "Metin <b>kalın</b> & <script>alert(1)</script> {{ x }} {% if %} [js](javascript:alert(1)).",
        "<div> blok </div>",
    ]
    assert all(run.kind == "text" for b in document.blocks for run in text_block(b).content)


def test_footnote_definition_is_never_a_link_reference() -> None:
    # "[^1]: See (the note)" is also a valid CommonMark link reference definition.
    document = read("Metin[^1] ve [^9].\n\n[^1]: See (the note)\n[^2]: İkinci\n  not.\n")
    assert text_block(document.blocks[0]).content == (
        Inline("text", "Metin"),
        Inline("footnote_ref", "1"),
        Inline("text", " ve [^9]."),  # no such footnote: kept as written
    )
    notes = [(b.label, b.text()) for b in document.blocks if isinstance(b, Footnote)]
    assert notes == [("1", "See (the note)"), ("2", "İkinci not.")]


def test_no_front_matter() -> None:
    document = read("# Basın Açıklaması\n\nBakanlık anlaşmayı memnuniyetle karşılamaktadır.\n")
    assert document.meta.title == "Basın Açıklaması"
    assert document.meta.kind == "statement"
    assert kinds(document.blocks) == ["paragraph"]


def test_no_h1_takes_a_title_shaped_first_paragraph() -> None:
    document = read("Basın Açıklaması\n\nBakanlık anlaşmayı memnuniyetle karşılamaktadır.\n")
    assert document.meta.title == "Basın Açıklaması"
    assert kinds(document.blocks) == ["paragraph"]


def test_front_matter_title_makes_h1_a_heading_unless_it_repeats_it() -> None:
    document = read("---\ntitle: Açıklama\n---\n# Açıklama\n\n# Ek\n\nMetin burada biter.\n")
    assert document.meta.title == "Açıklama"
    assert [(b.kind, text_block(b).text()) for b in document.blocks] == [
        ("heading", "Ek"),
        ("paragraph", "Metin burada biter."),
    ]


def test_front_matter_values_as_written() -> None:
    document = read(
        "---\ndate: 2022-01-11T10:00:00+03:00\nlanguage: no\nreference: 057\n"
        "title: >\n  Uzun\n  başlık\nplace:\n---\nMetin.\n"
    )
    meta = document.meta
    assert (meta.date, meta.language, meta.reference, meta.title, meta.place) == (
        "2022-01-11",
        "no",
        "057",
        "Uzun başlık",
        None,
    )


# ---------------------------------------------------------------- errors


def test_broken_front_matter_names_the_line() -> None:
    err = error_of("---\ntitle: Açıklama\nplace: İstanbul: Türkiye\n---\n\nMetin.\n")
    assert err.message.startswith("invalid YAML front matter: ")
    assert err.line == 3 and err.file == "x.md"
    assert str(err).startswith("x.md:3: invalid YAML front matter")


def test_unclosed_front_matter() -> None:
    err = error_of("---\ntitle: Açıklama\n\nMetin.\n")
    assert (err.line, err.message) == (1, "invalid YAML front matter: no closing '---' line")


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("---\ntitle: A\nsignatory: B\n---\nMetin.\n", 3, "unknown front matter field 'signatory'"),
        ("---\ntitle: A\ntitle: B\n---\nMetin.\n", 3, "'title' is given twice"),
        ("---\n\ntitle: [A, B]\n---\nMetin.\n", 3, "'title' must be text"),
        ("---\n- A\n---\nMetin.\n", 2, "expected fields as 'name: value' lines"),
        ("---\ndate: 2022-02-30\n---\nMetin.\n", 2, "'2022-02-30' is not a real date"),
        ("---\nkind: statement\ndate: 11.01.2022\n---\nMetin.\n", 3, "is not a real date"),
        ("---\nlanguage: Turkish\n---\nMetin.\n", 2, "not a BCP 47 tag"),
        ("---\ntitle: " + "[" * 5000 + "\n---\nMetin.\n", 1, "nested too deeply"),
    ],
)
def test_front_matter_errors_name_the_line(text: str, line: int, fragment: str) -> None:
    err = error_of(text)
    assert err.line == line and fragment in err.message, str(err)


def test_nesting_beyond_the_parser_limit_is_an_error_not_lost_text() -> None:
    deep = "".join("  " * depth + f"- madde {depth}\n" for depth in range(12))
    err = error_of("Metin.\n\n" + deep)
    assert "nested too deeply" in err.message and err.line == 12


@pytest.mark.parametrize(
    ("data", "fragment"),
    [(b"", "the file is empty"), (b"\x89PNG\r\n\x1a\n\0\0\0\0", "not a text file"), (b"---\n---\n\n---\n", "no text")],
)
def test_empty_binary_and_textless_input(data: bytes, fragment: str) -> None:
    err = error_of(data)
    assert fragment in err.message and err.file == "x.md"


# ---------------------------------------------------------------- the command


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "communique", *map(str, args)], capture_output=True, text=True, timeout=300
    )


def test_cli_builds_markdown_to_json_pdf_and_docx(tmp_path: Path) -> None:
    source = tmp_path / "aciklama.md"
    source.write_text(STATEMENT, encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", source, "--out", out, "--format", "json,pdf,docx")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["aciklama.docx", "aciklama.json", "aciklama.pdf"]
    data = json.loads((out / "aciklama.json").read_text(encoding="utf-8"))
    assert data["meta"]["date"] == "2022-01-11" and data["meta"]["language"] == "tr"
    assert [block["kind"] for block in data["blocks"]] == [
        "paragraph",
        "recital",
        "recital",
        "chapeau",
        "numbered_list",
        "closing",
        "closing_formula",
        "place_date",
        "footnote",
    ]
    for text in (squash(pdf_text(out / "aciklama.pdf")), squash(docx_text(out / "aciklama.docx"))):
        assert "Nahçıvan Anlaşması" in text and "Kamuoyuna saygıyla duyurulur." in text


def test_cli_broken_markdown_exits_1_with_one_line_and_no_files(tmp_path: Path) -> None:
    source = tmp_path / "bozuk.md"
    source.write_text("---\ntitle: Açıklama\ndate: 2022-02-30\n---\n\nMetin.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", source, "--out", out, "--format", "json,pdf,docx")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert f"{source}:3:" in lines[0] and "not a real date" in lines[0]
    assert not out.exists() or list(out.iterdir()) == []
