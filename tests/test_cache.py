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
    yield
    dates._month_table.cache_clear()


def test_the_month_table_is_kept_and_read_back_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_months: None
) -> None:
    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(tmp_path))
    built = dates._build_month_table()
    assert dates._month_table() == built
    (kept,) = (tmp_path / "months").glob("*.json")
    dates._month_table.cache_clear()
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
