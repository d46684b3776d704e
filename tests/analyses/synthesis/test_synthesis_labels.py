"""Theme labels are short noun phrases from the texts, never stop words or generic verbs."""

from __future__ import annotations

from collections import Counter

import pytest

from garant.analyses.synthesis.corpus import Corpus
from garant.analyses.synthesis.labels import (
    GENERIC_NOUNS,
    GENERIC_WORDS,
    choose_labels,
    distinct_terms,
    is_nominal,
    label_is_grounded,
    lemma_key,
    phrase_document_frequency,
    phrase_key,
    phrase_keys,
    theme_label,
)
from garant.analyses.synthesis.model import SynthesisResult
from garant.analyses.synthesis.passages import label_tier
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


def test_label_is_a_noun_phrase_never_a_verb_phrase() -> None:
    # « supprimer la taxe » is in every member; the noun phrase inside it is the label.
    members = [
        "Supprimer la taxe foncière des retraités modestes.",
        "Il faut supprimer la taxe foncière, elle est trop lourde.",
        "Supprimer la taxe foncière sur la résidence principale.",
    ]
    label = _label(members, members + _OTHERS)
    assert label == "taxe foncière"


def test_broad_theme_is_named_by_a_shared_phrase_not_by_its_broad_word() -> None:
    # « impôt » is in every member of a broad theme; « évasion fiscale » in three of eight:
    # enough to name the theme, and more telling than the one word (the Decidim « impôt »).
    members = [
        "L'évasion fiscale coûte des milliards, luttons contre elle avant de créer un impôt.",
        "Combattre l'évasion fiscale rapporterait plus qu'un nouvel impôt.",
        "Un impôt juste commence par la fin de l'évasion fiscale des multinationales.",
        "Chacun doit payer l'impôt selon ses moyens.",
        "L'impôt sur les successions est trop élevé.",
        "Baisser l'impôt des classes moyennes.",
        "Un impôt plus simple, avec moins de tranches.",
        "L'impôt finance l'école et l'hôpital.",
    ]
    label = _label(members, members + _OTHERS)
    assert label == "évasion fiscale"


def test_one_word_label_only_when_no_phrase_is_shared_by_enough_members() -> None:
    # Short answers share one word and no phrase: the label is that single noun.
    members = ["Géothermie", "La géothermie !", "Géothermie profonde", "géothermie, vite", "Oui"]
    label = _label(members, members + _OTHERS)
    assert label == "géothermie"


def test_a_phrase_never_spans_punctuation() -> None:
    members = [
        "Trop de strates : communes, départements, régions.",
        "Supprimer des strates : communes, départements ou régions.",
        "Les communes, départements et régions se doublonnent.",
    ]
    frequency, documents = phrase_document_frequency(members + _OTHERS)
    label = theme_label(members, frequency, documents)
    assert label not in {"communes départements", "départements régions"}
    assert phrase_key("communes, départements") is None


def test_pouvoir_d_achat_is_a_noun_phrase_and_acronyms_keep_their_capitals() -> None:
    members = [
        "Le pouvoir d'achat des retraités baisse avec la CSG.",
        "Rendre du pouvoir d'achat aux retraités en supprimant la hausse de CSG.",
        "Pouvoir d'achat des retraités : annuler la CSG.",
    ]
    label = _label(members, members + _OTHERS)
    assert label in {"pouvoir d'achat", "pouvoir d'achat des retraités"}
    csg = _label(["la CSG", "la CSG des retraités", "CSG"], [*_OTHERS, "CSG"])
    assert csg == "CSG"


def test_label_keeps_the_capital_members_give_a_proper_noun() -> None:
    members = [
        "Les agences Pôle emploi sont débordées.",
        "Il faut plus de conseillers à Pôle emploi.",
        "Pôle emploi doit suivre les chômeurs de près.",
    ]
    assert _label(members, members + _OTHERS) == "Pôle emploi"


def test_themes_of_one_question_get_different_labels_and_not_the_question_words() -> None:
    question = "Faut-il reconnaître le vote blanc ?"
    annul = [
        "Si le vote blanc est majoritaire, il faut une nouvelle élection.",
        "Une nouvelle élection avec d'autres candidats quand le vote blanc gagne.",
        "Le vote blanc doit pouvoir annuler le scrutin et imposer une nouvelle élection.",
    ]
    count = [
        "Le vote blanc doit être compté dans les suffrages exprimés.",
        "Compter le vote blanc parmi les suffrages exprimés, simplement.",
        "Les suffrages exprimés doivent inclure le vote blanc.",
    ]
    frequency, documents = phrase_document_frequency(annul + count + _OTHERS)
    chosen = choose_labels([annul, count], frequency, documents, taken=phrase_keys(question))
    labels = [candidate.surface if candidate else "" for candidate in chosen]
    assert labels == ["nouvelle élection", "suffrages exprimés"]


def test_two_themes_wanting_one_phrase_leave_it_to_the_one_it_names_best() -> None:
    # The larger theme mentions « Assemblée nationale » in passing; the smaller is about it.
    broad = [
        "Trop de services administratifs, de l'Assemblée nationale aux communes.",
        "Réduire les services de l'État et l'Assemblée nationale.",
        "Les services publics ferment dans les villages.",
        "Des services publics de proximité dans chaque canton.",
        "Les services publics doivent rester ouverts le samedi.",
        "Moins de services, plus de guichets.",
    ]
    narrow = [
        "Réduire le nombre de députés à l'Assemblée nationale.",
        "L'Assemblée nationale devrait siéger moins de jours.",
        "Moins de députés à l'Assemblée nationale.",
    ]
    frequency, documents = phrase_document_frequency(broad + narrow + _OTHERS)
    chosen = choose_labels([broad, narrow], frequency, documents)
    labels = [candidate.surface if candidate else "" for candidate in chosen]
    assert labels[0] == "services publics"
    assert "Assemblée nationale" in labels[1]


def test_decidim_quotes_name_their_theme_label(
    decidim_run: tuple[Corpus, SynthesisResult],
) -> None:
    """Every quote of a theme named by a phrase comes from a contribution that names it (the
    consensus grouping quoted « Les strates de la république… » under « services »)."""
    corpus, result = decidim_run
    texts = {item.id: item.text_pseudonymised for item in corpus.contributions}
    checked = 0
    for theme in result.themes:
        key = phrase_key(theme.label)
        if key is None:
            continue
        for quote in theme.quotes:
            assert label_tier(texts[quote.contribution_id], key) >= 1, (theme.label, quote.quote)
            checked += 1
    assert checked > 100


def test_decidim_largest_themes_are_named_by_phrases(
    decidim_run: tuple[object, SynthesisResult],
) -> None:
    _corpus, result = decidim_run
    largest = sorted(result.themes, key=lambda theme: -len(theme.contribution_ids))[:10]
    phrases = [theme.label for theme in largest if " " in theme.label.replace("'", " ")]
    assert len(phrases) >= 8, [theme.label for theme in largest]


def test_a_noun_ending_like_an_infinitive_is_still_a_noun() -> None:
    # « centre » ends like « -re » verbs (and « centrer » is a verb): it is a listed noun.
    members = [
        "Ouvrir un centre de santé dans le quartier.",
        "Le centre de santé manque de médecins.",
        "Un centre de santé avec des infirmières.",
    ]
    assert _label(members, members + _OTHERS) == "centre de santé"


def test_fallback_terms_of_a_label_are_noun_phrases_only() -> None:
    assert not is_nominal("évidemment")
    assert not is_nominal("financer")
    assert not is_nominal("existe")
    assert is_nominal("qualité air")
    assert is_nominal("assises")
