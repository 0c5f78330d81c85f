"""Right-to-left text (Arabic, Hebrew) is refused in one line naming the
script and the file, never published reversed; the model formats still take it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from communique.errors import CommuniqueError
from communique.publish import Options, build_file
from communique.render import find_template


@pytest.mark.parametrize(
    ("text", "script"), [("قال الوزير اليوم", "Arabic"), ("שלום עליכם", "Hebrew"), ("ܫܠܡܐ", "Syriac")]
)
def test_right_to_left_text_is_refused_naming_the_script(text: str, script: str, tmp_path: Path) -> None:
    source = tmp_path / "statement.txt"
    source.write_text(f"Statement\n\nThe minister said: {text} today.\n", encoding="utf-8")
    with pytest.raises(CommuniqueError) as caught:
        build_file(source, tmp_path / "out", Options(find_template("statement")))
    message = str(caught.value)
    assert "\n" not in message and str(source) in message and f"{script} script" in message
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_right_to_left_text_still_goes_to_the_model_formats(tmp_path: Path) -> None:
    source = tmp_path / "statement.txt"
    source.write_text("Statement\n\nThe minister said: שלום today.\n", encoding="utf-8")
    (written,) = build_file(source, tmp_path / "out", Options(find_template("statement"), formats=("json",)))
    assert "שלום" in json.dumps(json.loads(written.read_text(encoding="utf-8")), ensure_ascii=False)


def test_every_right_to_left_letter_is_in_the_blocks_searched() -> None:
    """The refusal searches only Unicode's right-to-left blocks: every letter
    of class R or AL this Python knows must be in them."""
    import sys
    import unicodedata

    from communique.publish import RIGHT_TO_LEFT_BLOCKS

    letters = (chr(code) for code in range(sys.maxunicode + 1))
    outside = [c for c in letters if unicodedata.bidirectional(c) in ("R", "AL") and not RIGHT_TO_LEFT_BLOCKS.match(c)]
    assert outside == []
