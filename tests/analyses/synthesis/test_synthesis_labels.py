"""Theme labels are short noun phrases from the texts, never stop words or generic verbs."""

from __future__ import annotations

from collections import Counter

import pytest

from garant.analyses.synthesis.labels import (
    GENERIC_NOUNS,
    GENERIC_WORDS,
    distinct_terms,
    label_is_grounded,
    lemma_key,
    phrase_document_frequency,
    theme_label,
)
from garant.analyses.synthesis.model import SynthesisResult
from garant.analyses.synthesis.text import FRENCH_STOP_WORDS, strip_accents

_HOUSING_TAX = [
    "Il faut supprimer la taxe d'habitation pour tous les ménages.",
    "La taxe d'habitation est injuste, je pense qu'il faut la baisser.",
    "Je souhaite que la taxe d'habitation soit calculée sur les revenus.",
    "Bien sûr, par exemple la taxe d'habitation pèse trop sur les familles.",
]
_OTHERS = [
    "Plus de bus le soir dans les villages, je pense.",
    "Il faut des pistes cyclables, par exemple vers la gare.",
    "Je pense que les impôts sont trop lourds, bien sûr.",
    "Il faut baisser la TVA sur les produits de première nécessité.",
]


def _label(members: list[str], corpus: list[str]) -> str:
    frequency, documents = phrase_document_frequency(corpus)
    return theme_label(members, frequency, documents)


def test_label_is_the_shared_noun_phrase_not_a_keyword_list() -> None:
    label = _label(_HOUSING_TAX, _HOUSING_TAX + _OTHERS)
    assert label == "taxe d'habitation"


def _is_stop_or_generic(word: str) -> bool:
    folded = strip_accents(word.casefold()).strip("'")
    stop = {strip_accents(w) for w in FRENCH_STOP_WORDS}
    return folded in stop or folded in GENERIC_WORDS


def test_label_never_starts_or_ends_with_a_stop_word_or_a_generic_verb() -> None:
    # Members whose most frequent words are « je pense », « il faut », « bien », « exemple ».
    members = [
        "Je pense qu'il faut bien, par exemple, rénover la piscine municipale.",
        "Il faut bien penser, par exemple, à la piscine municipale fermée.",
        "Je pense bien qu'il faut par exemple rouvrir la piscine municipale.",
    ]
    label = _label(members, members + _OTHERS)
    words = label.replace("'", "' ").split()
    assert label == "piscine municipale"
    assert not _is_stop_or_generic(words[0]) and not _is_stop_or_generic(words[-1])
    assert 1 <= len(words) <= 6


def test_label_is_never_a_broad_noun_alone() -> None:
    # « pays » and « politique » are in every member; the specific phrase in two of four.
    members = [
        "Le pays a besoin d'une politique de la ruralité et de maisons de santé.",
        "Notre pays manque de maisons de santé, une politique doit changer cela.",
        "La politique du pays oublie les villages.",
        "Le pays mérite une autre politique pour les campagnes.",
    ]
    label = _label(members, members + _OTHERS)
    assert label == "maisons de santé"


def _only_broad_nouns(label: str) -> bool:
    keys = {lemma_key(word) for word in GENERIC_NOUNS}
    words = [lemma_key(w) for w in label.replace("'", " ").split() if len(w) > 2]
    return bool(words) and all(word in keys for word in words)


@pytest.mark.parametrize(
    ("plural", "singular"),
    [("impôts", "impôt"), ("Transports", "transport"), ("réseaux", "réseau")],
)
def test_lemma_key_makes_plural_and_singular_one_word(plural: str, singular: str) -> None:
    assert lemma_key(plural) == lemma_key(singular)


def test_terms_show_each_lemma_once() -> None:
    terms = distinct_terms(["impôt", "impôts", "revenu", "impôt revenu", "exemple", "baisser"], 5)
    assert terms == ["impôt", "revenu", "baisser"]


def test_model_label_is_checked_against_the_theme_words() -> None:
    assert label_is_grounded("Suppression de la taxe d'habitation", _HOUSING_TAX)
    assert not label_is_grounded("Sécurité routière et radars", _HOUSING_TAX)


def test_decidim_labels_contain_no_stop_word_label(
    decidim_run: tuple[object, SynthesisResult],
) -> None:
    _corpus, result = decidim_run
    for theme in result.themes:
        words = theme.label.replace("'", "' ").split()
        assert words, theme
        assert not _is_stop_or_generic(words[0]), theme.label
        assert not _is_stop_or_generic(words[-1]), theme.label
        assert len(words) <= 6
        assert not _only_broad_nouns(theme.label), theme.label
        stems = Counter(lemma_key(term) for term in theme.terms)
        assert all(count == 1 for count in stems.values()), theme.terms
