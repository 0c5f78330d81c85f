"""The lexicons: one YAML file per language, all with the same shape, shipped as package data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from communique import lexicons
from communique.lexicons import LexiconError, fold, load

LANGUAGES = ("tr", "en", "ru", "az", "kk", "kk-Latn", "ky", "uz", "uz-Cyrl", "tk", "hu")


@pytest.mark.parametrize("tag", LANGUAGES)
def test_every_language_has_opening_words_and_genres(tag: str) -> None:
    lexicon = load(tag)
    assert lexicon.language == tag
    assert lexicon.preambular and lexicon.operative and lexicon.closing_formulae
    assert {"statement", "declaration", "communique"} <= set(lexicon.genres)
    assert {"subject", "date", "reference", "attachments"} <= set(lexicon.field_labels)


def test_tags_resolve_to_the_default_script() -> None:
    assert load("kk-Cyrl").language == "kk"
    assert load("uz-Latn").language == "uz"
    assert load("en-GB").language == "en"
    with pytest.raises(LexiconError, match="no lexicon for language 'fr'"):
        load("fr")


def test_official_wording_is_there() -> None:
    assert "Reaffirming also" in load("en").preambular
    assert "Requests the Secretary-General" in load("en").operative
    assert "Вновь подтверждая" in load("ru").preambular
    assert "Bilgilerinize arz ederim" in load("tr").closing_formulae
    assert {"Sayı", "Konu", "İlgi", "Ek", "Dağıtım"} <= {
        label for labels in load("tr").field_labels.values() for label in labels
    }
    assert "Distr.:" in load("en").un_header and "Share" in load("en").web_leftovers


def test_combined_has_every_language() -> None:
    every = lexicons.combined()
    assert "Saygılarımla" in every.closing_formulae and "С уважением" in every.closing_formulae
    assert "Bayonot" in every.genres["statement"] and "Statement" in every.genres["statement"]


def test_fold_matches_turkish_i_and_uzbek_apostrophes() -> None:
    assert fold("İLGİ") == fold("ilgi")
    assert fold("Qoʻshma") == fold("Qo'shma") == fold("Qo`shma")


def test_a_bad_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match=r"x\.yaml: preambular must be a list of strings"):
        lexicons._values({"language": "x", "name": "X", "preambular": "Recalling"}, "x.yaml")
    with pytest.raises(LexiconError, match="unknown key 'colour'"):
        lexicons._values({"language": "x", "name": "X", "colour": []}, "x.yaml")


@pytest.mark.slow
def test_the_wheel_ships_the_lexicons(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(tmp_path), str(root)]
    if subprocess.run(command, capture_output=True, check=False).returncode != 0:
        pytest.skip("pip cannot build the wheel here (no build backend available offline)")
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"communique/lexicons/{tag}.yaml" for tag in LANGUAGES} <= names
