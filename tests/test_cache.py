"""The per-user cache: what it keeps serves only what it was made from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from communique import cache
from communique.readers import dates


@pytest.fixture
def fresh_months() -> Iterator[None]:
    dates._month_table.cache_clear()
    dates.month_number.cache_clear()
    yield
    dates._month_table.cache_clear()
    dates.month_number.cache_clear()


def test_the_month_table_is_kept_and_read_back_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_months: None
) -> None:
    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(tmp_path))
    built = dates._build_month_table()
    assert dates._month_table() == built
    (kept,) = (tmp_path / "months").glob("*.json")
    dates._month_table.cache_clear()
    dates.month_number.cache_clear()  # its answers come from the table read back
    assert dates._month_table() == built and dates.month_number("январында") == 1
    # An entry that is not a month table is made again.
    kept.write_text('{"ocak": 13}', encoding="utf-8")
    dates._month_table.cache_clear()
    assert dates._month_table() == built
    assert cache.read_json(kept) == built


def test_no_cache_when_turned_off_or_impossible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", "")
    assert cache.folder("months") is None
    (tmp_path / "a file").write_text("", encoding="utf-8")
    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(tmp_path / "a file"))
    assert cache.folder("months") is None
    monkeypatch.delenv("COMMUNIQUE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder("months") == tmp_path / "xdg" / "communique" / "months"


def test_month_table_without_a_cache(monkeypatch: pytest.MonkeyPatch, fresh_months: None) -> None:
    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", "")
    assert dates._month_table() == dates._build_month_table()


def test_fonts_from_the_cache_draw_the_same_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A face taken from the cache is the face parsed from its file: the
    same widths, glyphs and embedded subset, byte for byte."""
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from communique.fonts import FONT_DIR, load_font

    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(tmp_path / "cache"))
    path = FONT_DIR / "DejaVuSans.ttf"
    parsed = load_font("Parsed", path)  # parsed, and kept
    (kept,) = (tmp_path / "cache").glob("fonts-*/DejaVuSans.ttf-*.pickle")
    cached = load_font("Cached", path)
    plain = TTFont("Plain", str(path))
    assert cached.face.charWidths == plain.face.charWidths == parsed.face.charWidths
    assert cached.face.charToGlyph == plain.face.charToGlyph

    def page(font: TTFont) -> bytes:
        from reportlab.pdfbase import pdfmetrics

        pdfmetrics.registerFont(font)
        out = tmp_path / f"{font.fontName}.pdf"
        canvas = Canvas(str(out), invariant=1)
        canvas.setFont(font.fontName, 12)
        canvas.drawString(72, 720, "Türkiye ₺ Қазақстан Ўзбекистон")
        canvas.save()
        return out.read_bytes().replace(font.fontName.encode(), b"F")

    assert page(cached) == page(plain)
    # A damaged entry is parsed again, never trusted.
    kept.write_bytes(b"not a pickle")
    assert load_font("Again", path).face.charWidths == plain.face.charWidths


def test_plain_data_is_remembered_and_other_data_made_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime

    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(tmp_path))
    calls: list[int] = []

    def make() -> dict[str, tuple[str, ...]]:
        calls.append(1)
        return {"a": ("b", "c")}

    assert cache.remembered("t", b"source", make) == {"a": ("b", "c")}
    assert cache.remembered("t", b"source", make) == {"a": ("b", "c")} and len(calls) == 1
    assert cache.remembered("t", b"other source", make) == {"a": ("b", "c")} and len(calls) == 2
    day = datetime.date(2022, 1, 11)
    assert cache.remembered("t", b"a date", lambda: {"date": day}) == {"date": day}
    assert len(list((tmp_path / "t").glob("*.marshal"))) == 2  # the date was not kept


def test_yaml_from_the_cache_and_its_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from communique import yamlfile

    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(tmp_path))
    text = "name: Statement\nroles: {title: Title}\n"
    assert yamlfile.safe_load(text) == yamlfile.safe_load(text) == {"name": "Statement", "roles": {"title": "Title"}}
    assert len(list((tmp_path / "yaml").glob("*.marshal"))) == 1
    with pytest.raises(yamlfile.YAMLSyntaxError) as caught:
        yamlfile.safe_load("name: [unclosed\nother: 1\n")
    assert caught.value.line is not None and caught.value.line >= 1
