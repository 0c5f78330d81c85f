"""Conventions of framing lines: what goes into `meta` and metadata blocks, never into headings.

Unit tests of one convention each (they measure nothing; the corpus does).
"""

from __future__ import annotations

from communique.model import Distribution, TextBlock
from communique.readers.plaintext import read_text

LETTER = """T.C.
DIŞİŞLERİ BAKANLIĞI
Avrupa Birliği Başkanlığı

Sayı: E-12345678-010.06-99
Konu: Toplantı daveti

MİLLÎ EĞİTİM BAKANLIĞINA

İlgi yazınız incelenmiş olup toplantının 12 Mayıs tarihinde yapılması uygun görülmüştür.

Bilgilerinize arz ederim.

Ad SOYAD
Genel Müdür

Ek: Program (1 sayfa)
Dağıtım: Gereği: Millî Eğitim Bakanlığına
"""


def kinds(text: str) -> list[str]:
    return [block.kind for block in read_text(text).blocks]


def test_turkish_official_letter_fields() -> None:
    document = read_text(LETTER)
    meta = document.meta
    assert (meta.issuer, meta.unit, meta.reference, meta.subject) == (
        "DIŞİŞLERİ BAKANLIĞI",
        "Avrupa Birliği Başkanlığı",
        "E-12345678-010.06-99",
        "Toplantı daveti",
    )
    assert meta.addressee == ("MİLLÎ EĞİTİM BAKANLIĞINA",)
    assert meta.attachments == ("Program (1 sayfa)",)
    assert meta.distribution == Distribution(action=("Millî Eğitim Bakanlığına",))
    assert meta.title is None
    assert kinds(LETTER) == [
        *["metadata"] * 3,
        "reference",
        "metadata",
        "metadata",
        "paragraph",
        "closing_formula",
        "signature",
        "signature",
        "metadata",
        "metadata",
    ]


def test_un_masthead_run_together_is_metadata_and_meta() -> None:
    text = (
        "United Nations A/RES/99/1\n\n"
        "General Assembly Distr.: General 2 January 2030\n\n"
        "Ninetieth session Agenda item 12\n\n"
        "99/1. A title\n\n"
        "The General Assembly,\n\n"
        "Recalling its resolutions,\n\n"
        "1. Decides to act.\n\n"
        "12th plenary meeting 1 January 2030\n"
    )
    document = read_text(text)
    meta = document.meta
    assert (meta.symbol, meta.distribution_class, meta.session, meta.agenda_item) == (
        "A/RES/99/1",
        "General",
        "Ninetieth session",
        "Agenda item 12",
    )
    assert (meta.title, meta.kind, meta.meeting, meta.date) == (
        "99/1. A title",
        "resolution",
        "12th plenary meeting",
        "2030-01-01",
    )
    assert kinds(text)[:3] == ["metadata"] * 3 and kinds(text)[-1] == "place_date"


def test_a_recital_with_an_unexplained_mark_is_no_heading() -> None:
    text = "The Council,\n\nHaving received the report for 2024,1\n\nNoting the statement,\n\n1. Decides.\n"
    assert kinds(text) == ["lead_in", "recital", "recital", "numbered_list"]


def test_a_lone_short_line_is_a_paragraph_not_a_heading() -> None:
    text = "Statement\n\nThe ministers met.\n\nA short line\n\nThey agreed on a plan.\n"
    assert "heading" not in kinds(text)


def test_a_decree_number_line_gives_reference_and_date() -> None:
    document = read_text("Указ Президента от 8 апреля 2011 года № 3\n\nОб акимах\n\nПостановляю:\n\n1. Назначить.\n")
    assert (document.meta.reference, document.meta.date, document.meta.title) == ("3", "2011-04-08", "Об акимах")
    assert isinstance(document.blocks[0], TextBlock) and document.blocks[0].kind == "reference"
