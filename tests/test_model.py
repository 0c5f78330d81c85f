"""The model's JSON shape and its lossless round trip."""

from __future__ import annotations

import json

import pytest

from communique.model import Document, Inline, ModelError, content_text, from_dict, plain, to_dict


def test_plain_content_and_its_text() -> None:
    assert plain("") == ()
    assert plain("x") == (Inline("text", "x"),)
    assert content_text((Inline("strong", "Also"), Inline("text", " decides"), Inline("footnote_ref", "1"))) == (
        "Also decides1"
    )


def test_json_round_trip_is_lossless(rich_document: Document) -> None:
    data = json.loads(json.dumps(to_dict(rich_document)))
    assert from_dict(data) == rich_document


def test_json_shape_follows_the_design(rich_document: Document) -> None:
    data = to_dict(rich_document)
    assert set(data) == {"meta", "blocks"}
    for field in ("kind", "title", "language", "issuer", "reference", "date", "place"):
        assert field in data["meta"]
    operative = next(b for b in data["blocks"] if b["kind"] == "numbered_list")
    assert [item["label"] for item in operative["items"]] == ["1.", "2."]
    nested = operative["items"][0]["blocks"][1]
    assert nested["kind"] == "numbered_list"
    assert [item["label"] for item in nested["items"]] == ["(a)", "(b)"]


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"meta": {}, "blocks": [{"kind": "poem", "content": []}]}, "/blocks/0/kind"),
        ({"meta": {"title": 5}, "blocks": []}, "/meta/title"),
        ({"meta": {}, "blocks": [{"kind": "paragraph", "content": "text"}]}, "/blocks/0/content"),
        (
            {"meta": {}, "blocks": [{"kind": "numbered_list", "items": [{"label": 1, "blocks": []}]}]},
            "/blocks/0/items/0/label",
        ),
        (
            {"meta": {}, "blocks": [{"kind": "paragraph", "content": [{"kind": "blink", "text": "x"}]}]},
            "/blocks/0/content/0/kind",
        ),
        ({"meta": {"colour": "red"}, "blocks": []}, "/meta"),
        ([], "/"),
    ],
)
def test_data_that_does_not_fit_names_the_place(data: object, where: str) -> None:
    with pytest.raises(ModelError) as caught:
        from_dict(data)
    assert str(caught.value).startswith(where)


@pytest.mark.parametrize("value", ["2022-02-30", "2022-13", "22-01-01", "2022/01/01", "tomorrow", "2022-1-1"])
def test_impossible_dates_are_rejected(value: str) -> None:
    with pytest.raises(ModelError, match="/meta/date"):
        from_dict({"meta": {"date": value}, "blocks": []})


@pytest.mark.parametrize("value", ["2022-01-11", "2022-01", "2022", "2024-02-29"])
def test_partial_and_real_dates_are_accepted(value: str) -> None:
    assert from_dict({"meta": {"date": value}, "blocks": []}).meta.date == value
