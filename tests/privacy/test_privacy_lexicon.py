"""The model's French lexicon is read from a persisted copy keyed by the model's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from garant.privacy import lexicon as lexicon_module
from garant.privacy.lexicon import model_lexicon
from garant.privacy.recognizers import SPACY_MODEL


def _fresh(name: str) -> lexicon_module.Lexicon:
    model_lexicon.cache_clear()
    return model_lexicon(name)


def test_lexicon_read_from_its_cache_holds_the_same_words_as_the_model_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GARANT_CACHE_DIR", str(tmp_path / "cache"))
    decoded = _fresh(SPACY_MODEL)
    written = list((tmp_path / "cache").glob("lexique-*.json"))
    assert len(written) == 1

    def refuse(*_: object) -> None:
        raise AssertionError("the model table was decoded again")

    monkeypatch.setattr(lexicon_module, "_decode", refuse)
    cached = _fresh(SPACY_MODEL)
    assert cached.form_ids == decoded.form_ids and cached.lemmas == decoded.lemmas
    assert len(cached.form_ids) > 200_000
    assert "santé" in cached and "Dupont".lower() not in cached
    model_lexicon.cache_clear()


def test_a_damaged_lexicon_cache_is_ignored_and_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GARANT_CACHE_DIR", str(tmp_path / "cache"))
    reference = _fresh(SPACY_MODEL)
    (written,) = (tmp_path / "cache").glob("lexique-*.json")
    written.write_text('{"forms": [1, 2', encoding="utf-8")  # cut short
    again = _fresh(SPACY_MODEL)
    assert again.form_ids == reference.form_ids
    assert written.read_text(encoding="utf-8").endswith("]}")
    model_lexicon.cache_clear()


def test_an_unwritable_cache_directory_still_gives_the_lexicon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("GARANT_CACHE_DIR", str(blocker / "cache"))
    assert "maison" in _fresh(SPACY_MODEL)
    model_lexicon.cache_clear()
