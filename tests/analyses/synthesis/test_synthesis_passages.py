"""Quotes are the sentences that carry the theme, from different authors, checked twice."""

from __future__ import annotations

from garant.analyses.synthesis.model import Contribution, QuoteCheck
from garant.analyses.synthesis.passages import (
    best_sentence,
    is_preamble,
    theme_quotes,
    verify_original,
)

_WEIGHTS = {"piscine": 1.0, "municipale": 0.8, "piscine municipale": 1.2, "horaires": 0.5}


def _item(identifier: str, text: str, author: str, analysed: str | None = None) -> Contribution:
    return Contribution(
        id=identifier,
        source_file="avis.csv",
        source_position="ligne 1",
        source_kind="csv",
        author=author,
        text=text,
        text_pseudonymised=analysed if analysed is not None else text,
    )


def test_quote_is_the_theme_sentence_not_the_greeting_or_preamble() -> None:
    text = (
        "Bonjour, Je vais me servir de ce premier paragraphe pour faire des remarques générales. "
        "Merci pour cette consultation. "
        "La piscine municipale doit rouvrir avec des horaires adaptés aux familles. "
        "Cordialement."
    )
    found = best_sentence(text, _WEIGHTS)
    assert found is not None
    _score, start, end = found
    assert text[start:end] == (
        "La piscine municipale doit rouvrir avec des horaires adaptés aux familles."
    )


def test_greetings_and_preambles_are_recognised() -> None:
    assert is_preamble("Bonjour,")
    assert is_preamble("Je vais me servir de ce premier paragraphe pour des remarques")
    assert is_preamble("Madame la commissaire enquêtrice,")
    assert not is_preamble("La piscine municipale doit rouvrir.")


def test_quotes_come_from_different_authors_and_verify_against_both_texts() -> None:
    members = [
        _item("a:1", "Rouvrez la piscine municipale cet été.", "x"),
        _item("a:2", "La piscine municipale doit rester ouverte le soir.", "x"),
        _item("a:3", "Bonjour. Des horaires de piscine municipale pour les écoles.", "y"),
    ]
    analysed = {item.id: item.text_pseudonymised for item in members}
    original = {item.id: item.text for item in members}
    quotes = theme_quotes(members, _WEIGHTS, analysed, original, limit=3)
    assert [quote.contribution_id for quote in quotes] == ["a:1", "a:3"]
    assert all(quote.verified and quote.verified_original for quote in quotes)
    assert quotes[1].quote == "Des horaires de piscine municipale pour les écoles."


def test_a_pseudonymisation_tag_stands_for_the_masked_words_only() -> None:
    original = {"a:1": "M. Jean Dupont demande que la piscine municipale rouvre."}
    masked = QuoteCheck(
        contribution_id="a:1",
        quote="M. <PERSONNE_1> demande que la piscine municipale rouvre.",
        verified=True,
    )
    assert verify_original(masked, original).verified_original
    altered = masked.model_copy(update={"quote": "M. <PERSONNE_1> exige que la piscine rouvre."})
    assert not verify_original(altered, original).verified_original
