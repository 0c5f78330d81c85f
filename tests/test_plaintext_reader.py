"""The plain-text reader's rules, one small synthetic text per rule, in
several of the languages Communique publishes in; plus dates and language."""

from __future__ import annotations

import pytest

from communique.errors import CommuniqueError
from communique.model import Block, Document, Footnote, Inline, ListBlock, TextBlock
from communique.readers import dates
from communique.readers.language import guess_language
from communique.readers.plaintext import Unit, classify, classify_units, read, read_text, split_paragraphs


def kinds(document: Document) -> list[str]:
    return [block.kind for block in document.blocks]


def text_of(block: Block) -> str:
    assert isinstance(block, TextBlock | Footnote), block
    return block.text()


def only_list(document: Document) -> ListBlock:
    lists = [block for block in document.blocks if isinstance(block, ListBlock)]
    assert len(lists) == 1, kinds(document)
    return lists[0]


def item_texts(block: ListBlock) -> list[str]:
    return [text_of(item.blocks[0]) for item in block.items]


# ---------------------------------------------------------------- splitting


def test_crlf_bom_leading_blank_lines_and_stray_spaces() -> None:
    text = "\ufeff\r\n\r\n  Başlık  \r\n\r\nBirinci   paragraf burada.  \r\n\r\nİkinci paragraf.\r\n"
    assert split_paragraphs(text) == ["Başlık", "Birinci paragraf burada.", "İkinci paragraf."]


def test_read_decodes_bytes_and_names_the_file_in_errors() -> None:
    document = read("Başlık\n\nMetin burada.\n".encode("utf-16"), "x.txt")
    assert document.meta.title == "Başlık"
    with pytest.raises(CommuniqueError) as caught:
        read(b"  \n\n", "empty.txt")
    assert caught.value.file == "empty.txt"


def test_hard_wrapped_paragraph_is_joined_even_before_a_capital() -> None:
    text = (
        "Expressing concern regarding situations in which representatives of the\n"
        "United Nations are prevented from participating in the meetings of the\n"
        "General Assembly, and recalling the Headquarters Agreement of 1947.\n"
        "\n"
        "Second paragraph.\n"
    )
    paragraphs = split_paragraphs(text)
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("Expressing concern") and "of the United Nations are" in paragraphs[0]


def test_paragraphs_separated_by_single_line_breaks() -> None:
    text = (
        "Заявление Министерства иностранных дел\n"
        "Узбекистан выражает серьезную обеспокоенность обострением обстановки.\n"
        "Призываем стороны воздержаться от эскалации напряженности.\n"
    )
    document = read_text(text)
    assert document.meta.title == "Заявление Министерства иностранных дел"
    assert kinds(document) == ["paragraph", "paragraph"]


def test_numbered_items_one_per_line_without_blank_lines() -> None:
    text = (
        "Konsey:\n"
        "1. Olaylarda hayatını kaybedenler için taziyelerini iletmiş,\n"
        "2. Dayanışmalarını teyit etmiş,\n"
        "3. Desteklerini beyan etmiştir.\n"
    )
    document = read_text(text)
    assert kinds(document) == ["chapeau", "numbered_list"]
    assert [item.label for item in only_list(document).items] == ["1.", "2.", "3."]


def test_wrapped_item_lines_join_their_item() -> None:
    text = (
        "Karar:\n\n"
        "1. Olaylarda hayatını kaybedenler için taziyelerini iletmiş ve yaralılara acil\n"
        "şifalar dilemiş,\n"
        "2. Desteklerini beyan etmiştir.\n"
    )
    assert item_texts(only_list(read_text(text))) == [
        "Olaylarda hayatını kaybedenler için taziyelerini iletmiş ve yaralılara acil şifalar dilemiş,",
        "Desteklerini beyan etmiştir.",
    ]


def test_marker_inside_a_wrapped_paragraph_is_not_an_item() -> None:
    text = (
        "Qazaqstan Respýblıkasy Konstıtýsıasynyń 44-babynyń\n"
        "2) tarmaqshasyna sáıkes QAÝLY ETEMİN:\n\n"
        "1. Saılaý taǵaıyndalsyn.\n\n"
        "2. Osy Jarlyq qoldanysqa engiziledi.\n"
    )
    document = read_text(text)
    assert kinds(document) == ["chapeau", "numbered_list"]
    assert "44-babynyń 2) tarmaqshasyna" in text_of(document.blocks[0])
    assert len(only_list(document).items) == 2


def test_hyphen_at_a_wrap_is_kept_and_joined() -> None:
    assert split_paragraphs("a pre-\nrecorded statement.") == ["a pre-recorded statement."]


def test_label_alone_on_its_line_joins_the_text() -> None:
    text = "Title\n\nBody text of the decision1 is here.\n\n1\nA határozatot elfogadta.\n"
    document = read_text(text)
    assert isinstance(document.blocks[-1], Footnote)
    assert document.blocks[-1].label == "1"


def test_bullets_one_per_line_without_punctuation() -> None:
    text = "Gündem:\n- Ekonomi\n- Güvenlik\n- Kültür\n"
    document = read_text(text)
    bullets = only_list(document)
    assert bullets.kind == "bullet_list"
    assert [item.label for item in bullets.items] == ["-", "-", "-"]
    assert item_texts(bullets) == ["Ekonomi", "Güvenlik", "Kültür"]


# ---------------------------------------------------------------- title and header


def test_title_with_reference_and_date() -> None:
    text = "No: 57, 22 Şubat 2022, RF’nin kararı hk.\n\nKararı kabul edilmez buluyoruz.\n"
    meta = read_text(text).meta
    assert meta.title == "No: 57, 22 Şubat 2022, RF’nin kararı hk."
    assert (meta.reference, meta.date) == ("57", "2022-02-22")


def test_resolution_number_opening_the_title() -> None:
    text = "80/1. Participation by the State of Palestine\n\nThe General Assembly,\n\nRecalling X,\n\n1. Decides.\n"
    meta = read_text(text).meta
    assert meta.title == "80/1. Participation by the State of Palestine"
    assert meta.reference == "80/1"
    assert meta.date is None


def test_hungarian_citation_title_subtitle_with_footnote_and_date_line() -> None:
    text = (
        "59/2002. (IX. 20.) OGY határozat\n\n"
        "az ünnepnapok méltó megünnepléséről1\n\n"
        "2002.09.20.\n\n"
        "Az Országgyűlés\n\n"
        "1. elhatározza, hogy megemlékezik;\n\n"
        "2. elhatározza, hogy lobogókat használ.\n\n"
        "1 A határozatot az Országgyűlés fogadta el.\n"
    )
    document = read_text(text)
    assert document.meta.reference == "59/2002"
    assert document.meta.date == "2002-09-20"
    assert document.meta.subtitle == "az ünnepnapok méltó megünnepléséről"
    assert kinds(document) == ["place_date", "lead_in", "numbered_list", "footnote"]
    assert text_of(document.blocks[0]) == "2002.09.20."
    assert text_of(document.blocks[1]) == "Az Országgyűlés"
    assert item_texts(only_list(document))[0] == "elhatározza, hogy megemlékezik;"


def test_reference_line_before_the_title() -> None:
    text = "S/PRST/2022/1\n\nStatement by the President of the Security Council\n\nThe Council is concerned.\n"
    document = read_text(text)
    assert document.meta.reference == "S/PRST/2022/1"
    assert document.meta.title == "Statement by the President of the Security Council"
    assert kinds(document) == ["reference", "paragraph"]


def test_first_paragraph_that_is_prose_is_not_a_title() -> None:
    text = "The Ministry condemns the attack.\n\nWe call for restraint.\n"
    document = read_text(text)
    assert document.meta.title is None
    assert kinds(document) == ["paragraph", "paragraph"]


def test_date_in_running_prose_is_not_the_document_date() -> None:
    text = (
        "Açıklama\n\nKonsey 11 Ocak 2022 tarihinde toplanmıştır.\n\nBakanlar 6 Ocak 2022 tarihli açıklamayı anmıştır.\n"
    )
    assert read_text(text).meta.date is None


# ---------------------------------------------------------------- preamble and operative part


RESOLUTION = """\
The General Assembly,

Recalling its resolution 169 (II),

Taking note of the report of the Secretary-General,

1. Decides, without setting a precedent, that:

(a) The State may submit a statement;

(b) The State may deliver statements by videoconference;

2. Also decides to remain seized of the matter.

3rd plenary meeting
"""


def test_lead_in_recitals_numbered_paragraph_with_sub_items() -> None:
    document = read_text(RESOLUTION)
    assert kinds(document) == ["lead_in", "recital", "recital", "numbered_list", "metadata"]
    operative = only_list(document)
    assert [item.label for item in operative.items] == ["1.", "2."]
    first = operative.items[0]
    assert text_of(first.blocks[0]).endswith("that:")
    nested = first.blocks[1]
    assert isinstance(nested, ListBlock) and [item.label for item in nested.items] == ["(a)", "(b)"]


def test_russian_lead_in_and_recitals() -> None:
    text = (
        "Генеральная Ассамблея,\n\n"
        "ссылаясь на свою резолюцию 169 (II),\n\n"
        "принимая к сведению доклад Генерального секретаря,\n\n"
        "1. постановляет продолжить рассмотрение этого вопроса.\n"
    )
    assert kinds(read_text(text)) == ["lead_in", "recital", "recital", "numbered_list"]


def test_intro_paragraphs_recitals_chapeau_items_closing() -> None:
    text = (
        "AÇIKLAMA\n\n"
        "Konsey olağanüstü bir toplantı gerçekleştirmiştir.\n\n"
        "Halklar arasındaki kardeşlik bağlarını teyit ederek,\n\n"
        "Ortak amaçlara atıfta bulunarak,\n\n"
        "Konsey:\n\n"
        "1. Taziyelerini iletmiş,\n"
        "2. Desteklerini beyan etmiştir.\n\n"
        "Konsey bu konuda istişare içinde kalmaya karar vermiştir.\n\n"
        "Kamuoyuna saygıyla duyurulur.\n"
    )
    document = read_text(text)
    assert document.meta.title == "AÇIKLAMA"
    assert kinds(document) == [
        "paragraph",
        "recital",
        "recital",
        "chapeau",
        "numbered_list",
        "closing",
        "closing_formula",
    ]


def test_turkish_dash_labels_and_semicolon_recitals() -> None:
    text = (
        "Bakanlar Kurulu,\n\n"
        "Anlaşmayı dikkate alarak;\n\n"
        "Raporu inceleyerek;\n\n"
        "1- Komisyon kurulmasına,\n"
        "2- Kararın yayımlanmasına karar vermiştir.\n"
    )
    document = read_text(text)
    assert kinds(document) == ["lead_in", "recital", "recital", "numbered_list"]
    assert [item.label for item in only_list(document).items] == ["1-", "2-"]


def test_colon_line_before_prose_is_a_paragraph() -> None:
    text = "Başlık\n\nBakanlık şunları belirtmiştir:\n\nBölgede barış önemlidir.\n\nBu çağrımızı yineliyoruz.\n"
    assert kinds(read_text(text)) == ["paragraph", "paragraph", "paragraph"]


def test_quote_after_a_colon_line() -> None:
    text = (
        "Statement\n\n"
        "The Secretary-General said:\n\n"
        "“We call on all parties to exercise restraint.”\n\n"
        "The statement was issued in New York.\n"
    )
    document = read_text(text)
    assert kinds(document) == ["paragraph", "quote", "paragraph"]
    assert text_of(document.blocks[1]) == "“We call on all parties to exercise restraint.”"


def test_guillemet_quote_after_a_colon_line() -> None:
    text = "Заявление\n\nПрезидент заявил:\n\n«Мы призываем стороны к сдержанности.»\n\nЗаявление опубликовано.\n"
    assert kinds(read_text(text)) == ["paragraph", "quote", "paragraph"]


def test_paragraph_between_items_belongs_to_the_item_before() -> None:
    text = (
        "The Council:\n\n"
        "1. Decides that:\n\n"
        "(a) the mission shall continue;\n\n"
        "(b) the mandate shall be extended;\n\n"
        "and requests a report on both;\n\n"
        "2. Remains seized of the matter.\n"
    )
    first = only_list(read_text(text)).items[0]
    assert [block.kind for block in first.blocks] == ["paragraph", "numbered_list", "paragraph"]
    assert text_of(first.blocks[2]) == "and requests a report on both;"


def test_roman_i_after_h_continues_the_letters() -> None:
    letters = "abcdefghi"
    items = "\n\n".join(f"({ch}) point {ch};" for ch in letters)
    document = read_text(f"Title\n\nThe parties agree:\n\n{items}\n")
    assert [item.label for item in only_list(document).items] == [f"({ch})" for ch in letters]


def test_nested_bullets_under_a_numbered_item() -> None:
    text = (
        "Kararlar:\n\n"
        "1. Bakanlar şu konularda mutabık kalmıştır:\n"
        "– ekonomik işbirliği;\n"
        "– kültürel işbirliği.\n"
        "2. Bir sonraki toplantı Ankara’da yapılacaktır.\n"
    )
    operative = only_list(read_text(text))
    assert len(operative.items) == 2
    nested = operative.items[0].blocks[1]
    assert isinstance(nested, ListBlock) and nested.kind == "bullet_list"
    assert [item.label for item in nested.items] == ["–", "–"]


def test_bullet_symbols() -> None:
    for symbol in ["-", "–", "—", "•", "·", "*", "▪"]:
        document = read_text(f"Title\n\nAgenda:\n\n{symbol} economy;\n\n{symbol} security.\n")
        assert [item.label for item in only_list(document).items] == [symbol, symbol]


def test_numbers_that_are_not_labels() -> None:
    text = "Title\n\n2002.09.20. is a date line.\n\n1956. évi forradalom emléke.\n\n1.5 million people.\n"
    assert all(block.kind == "paragraph" for block in read_text(text).blocks)


def test_numbering_resumes_after_a_heading() -> None:
    text = (
        "Report\n\nI. General provisions\n\n1. First rule applies.\n\n2. Second rule applies.\n\n"
        "II. Final provisions\n\n3. Third rule applies.\n"
    )
    document = read_text(text)
    assert kinds(document) == ["heading", "numbered_list", "heading", "numbered_list"]
    assert [item.label for item in document.blocks[3].items] == ["3."]  # type: ignore[union-attr]


def test_headings_followed_by_body_text() -> None:
    text = (
        "Press release\n\n"
        "Background\n\n"
        "The meeting of the ministers of foreign affairs was held in Baku on 12 May.\n\n"
        "Outcome\n\n"
        "The ministers adopted a declaration on transport, trade and the digital economy.\n"
    )
    assert kinds(read_text(text)) == ["heading", "paragraph", "heading", "paragraph"]


# ---------------------------------------------------------------- trailing zone


def test_turkish_signature_and_place_date() -> None:
    text = (
        "Açıklama\n\n"
        "Toplantı başarıyla tamamlanmıştır.\n\n"
        "Kamuoyuna saygıyla duyurulur.\n\n"
        "Mevlüt Çavuşoğlu\n"
        "Dışişleri Bakanı\n\n"
        "Ankara, 11 Ocak 2022\n"
    )
    document = read_text(text)
    assert kinds(document) == ["paragraph", "closing_formula", "signature", "signature", "place_date"]
    assert (document.meta.place, document.meta.date) == ("Ankara", "2022-01-11")


def test_russian_closing_formula_signature_place_date_and_number() -> None:
    text = (
        "Письмо\n\n"
        "Министерство выражает признательность за сотрудничество.\n\n"
        "С уважением,\n\n"
        "Министр иностранных дел А. Камилов\n\n"
        "г. Ташкент, 12 мая 2022 г.\n"
        "№ 12/345\n"
    )
    document = read_text(text)
    assert kinds(document) == ["paragraph", "closing_formula", "signature", "place_date", "reference"]
    assert document.meta.date == "2022-05-12"
    assert document.meta.place == "г. Ташкент"
    assert document.meta.reference == "12/345"


def test_kazakh_decree_trailing_lines() -> None:
    text = (
        "Saılaýdy taǵaıyndaý týraly\n\n"
        "Konstıtýsıaǵa sáıkes QAÝLY ETEMİN:\n\n"
        "1. Saılaý taǵaıyndalsyn.\n\n"
        "2. Osy Jarlyq qoldanysqa engiziledi.\n\n"
        "Qazaqstan Respýblıkasynyń prezıdenti Q.Toqaev\n\n"
        "Nur-Sultan, Aqorda,\n"
        "2020 jylǵy 21 qazan\n"
        "№ 439\n"
    )
    document = read_text(text)
    assert kinds(document) == ["chapeau", "numbered_list", "signature", "place_date", "place_date", "reference"]
    meta = document.meta
    assert (meta.place, meta.date, meta.reference) == ("Nur-Sultan, Aqorda", "2020-10-21", "439")


def test_short_closing_formula_before_a_signature_by_shape() -> None:
    text = "Letter\n\nThank you for your cooperation in this matter.\n\nWith warm regards,\n\nJane Smith\n"
    assert kinds(read_text(text)) == ["paragraph", "closing_formula", "signature"]


def test_prose_ending_the_text_is_not_a_signature() -> None:
    text = "Title\n\nWe call for restraint.\n\nThe situation is being monitored closely\n"
    assert kinds(read_text(text))[-1] == "paragraph"


# ---------------------------------------------------------------- footnotes and characters


def test_glued_footnote_marker_becomes_a_reference() -> None:
    text = "Title\n\nRecalling the Agreement of the United Nations1 on the matter.\n\n1 See resolution 169 (II).\n"
    document = read_text(text)
    paragraph, note = document.blocks
    assert isinstance(paragraph, TextBlock)
    assert paragraph.content == (
        Inline("text", "Recalling the Agreement of the United Nations"),
        Inline("footnote_ref", "1"),
        Inline("text", " on the matter."),
    )
    assert isinstance(note, Footnote) and (note.label, note.text()) == ("1", "See resolution 169 (II).")


def test_several_footnotes_and_superscript_markers() -> None:
    text = "Title\n\nThe Charter¹ and the Statute² apply.\n\n¹ Signed in 1945.\n\n² Annexed to the Charter.\n"
    document = read_text(text)
    paragraph = document.blocks[0]
    assert isinstance(paragraph, TextBlock)
    assert [run.text for run in paragraph.content if run.kind == "footnote_ref"] == ["¹", "²"]
    assert [block.label for block in document.blocks if isinstance(block, Footnote)] == ["¹", "²"]


def test_digits_glued_to_a_word_stay_without_a_footnote() -> None:
    text = "Title\n\nThe COVID19 pandemic has ended.\n\n19 countries took part.\n"
    document = read_text(text)
    assert kinds(document) == ["paragraph", "paragraph"]
    assert text_of(document.blocks[0]) == "The COVID19 pandemic has ended."


def test_typographic_characters_are_kept() -> None:
    text = "Title\n\nA pre\u2011recorded «statement» and a „quote“ — kept.\n"
    assert text_of(read_text(text).blocks[0]) == "A pre\u2011recorded «statement» and a „quote“ — kept."


def test_classify_works_on_already_split_paragraphs() -> None:
    meta, blocks = classify(["Statement", "The Council,", "Recalling X,", "1. Decides.", "2. Also decides."])
    assert meta.title == "Statement"
    assert [block.kind for block in blocks] == ["lead_in", "recital", "numbered_list"]


def test_classify_units_gives_one_role_per_unit_in_order() -> None:
    units = [
        Unit(text) for text in ("Statement", "The Council,", "Recalling X,", "", "1. Decides.", "2. Also decides.")
    ]
    meta, roles = classify_units(units)
    assert meta.title == "Statement"
    assert [role.kind for role in roles] == ["title", "lead_in", "recital", "paragraph", "item", "item"]
    assert roles[3].confidence is None  # an empty unit: no decision
    assert all(0 < (role.confidence or 0) <= 1 for i, role in enumerate(roles) if i != 3)


def test_classify_units_takes_what_the_format_states() -> None:
    """A stated heading stays one where pasted text would make the lone
    short line a paragraph; stated list items are read with their labels."""
    units = [
        Unit("Press release", role="title"),
        Unit("Background", role="heading", level=2),
        Unit("The ministers met in Ankara on 11 January 2022 and adopted a declaration."),
        Unit("The Council decided:"),
        Unit("prepare the vision;", role="item", label="-"),
        Unit("hold the next meeting.", role="item", label="-"),
        Unit("Kamuoyuna saygıyla duyurulur."),
        Unit("Ankara, 11 Ocak 2022"),
    ]
    meta, roles = classify_units(units)
    assert meta.title == "Press release"
    assert [role.kind for role in roles] == [
        "title",
        "heading",
        "paragraph",
        "chapeau",
        "item",
        "item",
        "closing_formula",
        "place_date",
    ]
    pasted = [unit.text for unit in units]
    assert "heading" not in kinds(Document(*classify(pasted)))


def test_closing_paragraphs_fail_safe() -> None:
    """After the operative list a sentence is a closing paragraph; a short
    unpunctuated line (a section's heading) ends them, and a labelled or
    lower-case line is never one."""
    text = (
        "Decision\n\n"
        "The Council decides:\n\n"
        "1. To adopt the programme.\n\n"
        "2. To meet again in May.\n\n"
        "The Council will remain seized of the matter and review it next year.\n\n"
        "Final provisions\n\n"
        "This decision enters into force on the day of its signature.\n"
    )
    assert kinds(read_text(text))[-3:] == ["closing", "paragraph", "paragraph"]
    cut = "Decision\n\nThe Council decides:\n\n1. To adopt:\n\n2. To meet.\n\nand to report back to it.\n"
    assert kinds(read_text(cut))[-1] == "paragraph"


def test_a_number_line_with_a_two_digit_year_is_a_reference_over_the_title() -> None:
    text = (
        "КР Министрлер Кабинетинин 26.10.22 ж. № 587 токтому\n\n"
        "Министрлер Кабинетинин регламентине өзгөртүү киргизүү тууралуу\n\n"
        "Кыргыз Республикасынын Министрлер Кабинети токтом кылат:\n\n"
        "1. Өзгөртүү киргизилсин.\n\n"
        "2. Токтом күчүнө кирет.\n"
    )
    document = read_text(text)
    assert document.meta.title == "Министрлер Кабинетинин регламентине өзгөртүү киргизүү тууралуу"
    assert (kinds(document)[0], document.meta.reference) == ("reference", "587")


def test_salutation_alone_is_not_a_recital() -> None:
    text = "Letter\n\nDear Minister,\n\nI have the honour to inform you of the decision.\n"
    assert kinds(read_text(text)) == ["paragraph", "paragraph"]


def test_recital_run_without_numbered_operative_part() -> None:
    text = "Title\n\nRecalling its resolutions,\n\nNoting the report,\n\nDecides to remain seized of the matter.\n"
    assert kinds(read_text(text)) == ["recital", "recital", "paragraph"]


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("11 Ocak 2022", "2022-01-11"),
        ("22 ŞUBAT 2022", "2022-02-22"),
        ("1 İyun 2021", "2021-06-01"),
        ("January 11, 2022", "2022-01-11"),
        ("March 31st, 2023", "2023-03-31"),
        ("11 January 2022", "2022-01-11"),
        ("11 января 2022 года", "2022-01-11"),
        ("12 мая 2022 г.", "2022-05-12"),
        ("11 yanvar 2022-ci il", "2022-01-11"),
        ("2022-yil 11-yanvar", "2022-01-11"),
        ("2022-жылдын 11-январы", "2022-01-11"),
        ("2022-nji ýylyň 11-nji ýanwary", "2022-01-11"),
        ("2020 jylǵy 21 qazan", "2020-10-21"),
        ("2020 жылғы 21 қазан", "2020-10-21"),
        ("2002. szeptember 17.", "2002-09-17"),
        ("2002.09.20.", "2002-09-20"),
        ("20.09.2002", "2002-09-20"),
        ("2002-09-20", "2002-09-20"),
        ("«3» марта 2023 г.", "2023-03-03"),
        ("11.01.2022 18:35", "2022-01-11"),
        ("2023. február 6., hétfő", "2023-02-06"),
        ("11 January 2022, Tuesday", "2022-01-11"),
    ],
)
def test_dates_are_parsed(written: str, iso: str) -> None:
    assert dates.parse_date(written) == iso


@pytest.mark.parametrize("written", ["31 Şubat 2022", "30 February 2023", "31.02.2022", "2022-13-01", "11 Foo 2022"])
def test_impossible_dates_are_not_dates(written: str) -> None:
    assert dates.parse_date(written) is None
    assert dates.find_dates(written) == []


def test_dates_inside_text() -> None:
    found = dates.find_dates("Konsey 11 Ocak 2022 tarihinde, 2021 jylǵy 10 qańtarǵa, 2002. szeptember 17-i ülésnapján")
    assert [f.iso for f in found] == ["2022-01-11", "2021-01-10", "2002-09-17"]
    assert dates.parse_date("6 Ocak 2022 tarihli açıklama") is None


def test_month_words_fold_turkish_i() -> None:
    assert dates.month_number("MAYIS") == dates.month_number("mayıs") == 5
    assert dates.month_number("İYUN") == dates.month_number("iyun") == 6
    assert dates.month_number("Kasım") == 11
    assert dates.month_number("word") is None


def test_citation_date_with_roman_month() -> None:
    assert dates.citation_date("59/2002. (IX. 20.) OGY határozat", 2002) == "2002-09-20"
    assert dates.citation_date("(XIII. 20.)", 2002) is None


# ---------------------------------------------------------------- language

SAMPLES = {
    "tr": "Türkiye Cumhuriyeti Dışişleri Bakanlığı, bölgede barış ve istikrarın korunması için tüm tarafları "
    "itidale davet etmektedir.",
    "az": "Azərbaycan Respublikası Xarici İşlər Nazirliyi bölgədə sülh və sabitliyin qorunması üçün bütün "
    "tərəfləri təmkinli olmağa çağırır.",
    "tk": "Türkmenistanyň Daşary işler ministrligi sebitde parahatçylygy we durnuklylygy saklamak üçin ähli "
    "taraplary sabyrlylyga çagyrýar.",
    "uz": "Oʻzbekiston Respublikasi Tashqi ishlar vazirligi mintaqada tinchlik va barqarorlikni saqlash uchun "
    "barcha tomonlarni vazminlikka chaqiradi.",
    "kk-Latn": "Qazaqstan Respýblıkasynyń Syrtqy ister mınıstrligi óńirde beıbitshilik pen turaqtylyqty saqtaý "
    "úshin barlyq taraptardy ustamdylyqqa shaqyrady.",
    "kk": "Қазақстан Республикасының Сыртқы істер министрлігі өңірде бейбітшілік пен тұрақтылықты сақтау үшін "
    "барлық тараптарды ұстамдылыққа шақырады.",
    "ky": "Кыргыз Республикасынын Тышкы иштер министрлиги аймакта тынчтыкты жана туруктуулукту сактоо үчүн "
    "бардык тараптарды сабырдуулукка чакырат.",
    "ru": "Министерство иностранных дел Республики Узбекистан призывает все стороны проявить сдержанность и "
    "сохранить мир и стабильность в регионе.",
    "hu": "A Külügyminisztérium felszólítja a feleket, hogy tartózkodjanak az erőszaktól, és őrizzék meg a "
    "térség békéjét és stabilitását.",
    "en": "The Ministry of Foreign Affairs calls on all parties to exercise restraint and to preserve peace and "
    "stability in the region.",
}


@pytest.mark.parametrize(("language", "text"), SAMPLES.items())
def test_language_is_guessed(language: str, text: str) -> None:
    assert guess_language(text) == language
    assert read_text(f"Title\n\n{text}\n").meta.language == language


def test_language_is_none_for_short_text() -> None:
    assert guess_language("Kamuoyuna duyurulur.") is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Done at Astana on 12 October 2022 in a single original copy in the English language.",
            ("Astana", "2022-10-12"),
        ),
        ("Совершено в городе Астане 12 октября 2022 года в одном подлинном экземпляре.", ("Астане", "2022-10-12")),
        ("Kelt Budapesten, 2022. január 11.", ("Budapesten", "2022-01-11")),
        ("Done at the request of the Council.", None),
    ],
)
def test_the_signing_formula_of_a_treaty_style_text_is_its_place_and_date(
    line: str, expected: tuple[str, str] | None
) -> None:
    from communique.readers.metadata_lines import date_line

    assert date_line(line) == expected


@pytest.mark.parametrize(
    ("headline", "kind"),
    [
        ("No: 12, 3 Mart 2023, Bir konu hk.", "press-release"),
        ("No: 12, 3 March 2023, Press Release on a subject", "press-release"),
        ("Bir konu hakkında", "statement"),
    ],
)
def test_a_headline_opening_with_number_and_date_is_a_press_release(headline: str, kind: str) -> None:
    body = "Birinci paragraf burada yer alır ve bir cümle daha içerir.\n\nİkinci paragraf da buradadır."
    assert read_text(f"{headline}\n\n{body}").meta.kind == kind
