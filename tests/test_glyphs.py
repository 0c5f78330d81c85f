"""No glyph silently lost: every letter of our languages reads back from the
PDF, drawn from the bundled fallback font where the main font lacks it, and a
character no font, bundled or installed, has is an error naming it, not a blank box."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from communique.errors import CommuniqueError
from communique.fonts import covers
from communique.fonts import system as system_fonts
from communique.layout import parse_layout
from communique.model import Document, Inline, Meta, TextBlock, plain
from communique.publish import Options, render_outputs
from communique.render import find_template
from communique.writers import pdf as pdf_writer

SAMPLES = [
    "Toplam 1.234,56 ₺ tutarında",
    "“çift” ‘tek’ 1990–2000 — bitti…",
    "Jarlyq № 439 qabyldandy",
    "Əli Əliyev və ərəb",
    "Ңң Ұұ Үү Ққ Әә: Қазақстан Республикасы",
    "Žilina Ňa Ýý Äpfel ähnlich",
    "Oʻzbekiston va gʻalaba",
    "Őrség őszi Űrhajó ű",
    "Ёлка и ёж",
    "non\u2011breaking hyphen",
]


def pdf_text_raw(path: Path) -> str:
    """The PDF's text in content order (`pdftotext -raw`): the physical-layout
    mode guesses spaces from gaps and drops them between single letters."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True).stdout


def publish_pdf(document: Document, tmp_path: Path) -> Path:
    path = tmp_path / "glyphs.pdf"
    path.write_bytes(render_outputs(document, Options(template=find_template("statement"), formats=("pdf",)))["pdf"])
    return path


def test_every_sample_reads_back_in_every_face(tmp_path: Path) -> None:
    blocks = [TextBlock("paragraph", plain(text)) for text in SAMPLES]
    blocks += [TextBlock("paragraph", (Inline("strong", text),)) for text in SAMPLES]
    blocks += [TextBlock("quote", (Inline("emphasis", text),)) for text in SAMPLES]
    document = Document(Meta(title="₺ № Ə Ұ ʻ Ő Ё", issuer="Қазақстан ₺", language="kk-Latn"), tuple(blocks))
    text = pdf_text_raw(publish_pdf(document, tmp_path))
    for sample in SAMPLES:
        assert text.count(sample) == 3, f"{sample!r} does not read back from each face"
    assert "₺ № Ə Ұ ʻ Ő Ё" in text


def test_fallback_font_is_embedded_for_the_lira_sign(tmp_path: Path) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    assert not covers("LiberationSerif", "₺") and covers("DejaVuSerif", "₺")
    path = publish_pdf(Document(Meta(title="Fiyat"), (TextBlock("paragraph", plain("1.234,56 ₺")),)), tmp_path)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert "DejaVuSerif" in fonts


LABELS_LAYOUT = """<document lang="tr-TR">
  <styles>
    <style name="Body" font="serif" size="12pt" leading="15pt"/>
    <list-style name="numbers" format="decimal" label="№ %1 &amp;" indent="15mm" hanging="15mm"/>
    <list-style name="lira" format="bullet" bullet="₺" indent="10mm" hanging="6mm"/>
  </styles>
  <body>
    <list style="numbers"><item><p style="Body">birinci madde</p></item></list>
    <list style="lira"><item><p style="Body">ikinci madde</p></item></list>
  </body>
</document>"""


def test_list_labels_are_escaped_and_use_the_fallback_font(tmp_path: Path) -> None:
    """reportlab draws a paragraph's bulletText raw; labels must go through
    the same escaping and fallback as the text."""
    path = tmp_path / "labels.pdf"
    path.write_bytes(pdf_writer.write(parse_layout(LABELS_LAYOUT)))
    text = pdf_text_raw(path)
    assert "№ 1 & birinci madde" in text
    assert "₺ ikinci madde" in text
    assert "&amp;" not in text and "<font" not in text


@pytest.mark.parametrize(
    ("char", "block"),
    [
        ("\u0378", TextBlock("paragraph", plain("An unassigned \u0378 code point"))),  # in no font anywhere
        ("\u0378", TextBlock("signature", plain("Signed \u0378"))),  # a bold face, its bold fallback
        ("\U0001f600", TextBlock("paragraph", plain("Smile \U0001f600 please"))),  # beyond U+FFFF: would not read back
    ],
)
def test_a_character_no_font_has_is_an_error(char: str, block: TextBlock) -> None:
    document = Document(Meta(title="Glyphs"), (block,))
    with pytest.raises(CommuniqueError) as caught:
        render_outputs(document, Options(template=find_template("statement"), formats=("pdf",)))
    message = str(caught.value)
    assert repr(char) in message
    assert f"U+{ord(char):04X}" in message
    assert block.text()[:10] in message  # names the paragraph with its text


@pytest.mark.parametrize("text", ["中文 Chinese", "한국어 Korean", "日本語のかな Japanese"])
def test_cjk_is_drawn_from_an_installed_font(text: str, tmp_path: Path) -> None:
    if any(system_fonts.face_for(char) is None for char in text if ord(char) > 0x2FFF):
        pytest.skip("no installed TrueType font covers CJK (Debian: fonts-wqy-microhei)")
    path = publish_pdf(Document(Meta(title="CJK"), (TextBlock("paragraph", plain(text)),)), tmp_path)
    assert text in pdf_text_raw(path)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert any(not name.startswith(("Liberation", "DejaVu")) for name in names)  # an installed font, embedded
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded


def test_fontconfig_output_is_read_as_truetype_ranges() -> None:
    fonts = system_fonts.parse_fc_list(
        "/f/a.ttc|0|CFF|Noto Sans CJK|20-7e 4e00-9fff\n/f/b.ttc|1|TrueType|WenQuanYi Micro Hei|20-7e 4e00-9fff ac00\n"
    )
    assert [(f.file, f.index) for f in fonts] == [("/f/b.ttc", 1)]  # CFF outlines cannot be embedded
    assert fonts[0].covers(0x4E2D) and fonts[0].covers(0xAC00) and not fonts[0].covers(0xAC01)


def test_invisible_format_characters_are_not_errors(tmp_path: Path) -> None:
    text = "zero\u200bwidth join\u200der word\u2060joiner"
    path = publish_pdf(Document(Meta(title="Invisible"), (TextBlock("paragraph", plain(text)),)), tmp_path)
    assert "zerowidth joiner wordjoiner" in pdf_text_raw(path)
