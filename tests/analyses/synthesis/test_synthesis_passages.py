"""Quotes are the sentences that carry the theme, from different authors, checked twice."""

from __future__ import annotations

from garant.analyses.synthesis.model import Contribution, QuoteCheck
from garant.analyses.synthesis.passages import (
    best_sentence,
    is_preamble,
    label_tier,
    sentences,
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
    # One quote per author: x's fuller sentence (a:2), y's sentence after its greeting.
    assert [quote.contribution_id for quote in quotes] == ["a:3", "a:2"]
    assert all(quote.verified and quote.verified_original for quote in quotes)
    assert quotes[0].quote == "Des horaires de piscine municipale pour les écoles."


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


def test_a_broad_theme_is_not_quoted_with_a_central_sentence_about_something_else() -> None:
    """The consensus grouping quoted « Les strates de la république sont beaucoup trop
    nombreuses… » for a theme labelled after public services: the member closest to the
    centre, rich in the theme's distinctive words, but not about its label."""
    weights = {"communes": 1.0, "departements": 1.0, "regions": 1.0, "services": 0.6}
    members = [
        _item(
            "s:1",
            "Les strates de la république sont beaucoup trop nombreuses "
            "(communes, départements, régions, EPCI).",
            "a",
        ),
        _item("s:2", "Les services publics ferment dans les communes rurales.", "b"),
        _item("s:3", "Rouvrir des services publics de proximité dans les régions.", "c"),
        _item(
            "s:4", "Bonjour. Un service public, ça se défend, même dans les petites communes.", "d"
        ),
    ]
    analysed = {item.id: item.text_pseudonymised for item in members}
    original = {item.id: item.text for item in members}
    quotes = theme_quotes(members, weights, analysed, original, limit=3, label="service public")
    assert [quote.contribution_id for quote in quotes] == ["s:2", "s:3", "s:4"]
    assert all(label_tier(quote.quote, "service public") == 2 for quote in quotes)
    # Without the label (the old rule), the sentence about the strata came first.
    unlabelled = theme_quotes(members, weights, analysed, original, limit=1)
    assert unlabelled[0].contribution_id == "s:1"


def test_a_sentence_that_develops_the_label_may_follow_from_a_member_who_names_it() -> None:
    weights = {"terres": 1.0, "agricoles": 1.0, "foret": 0.8}
    slogan = "Non au projet de contournement routier !"
    members = [
        _item("c:1", f"{slogan} Ce projet détruira les terres agricoles et la forêt.", "a"),
        _item("c:2", f"{slogan} Ce projet va détruire les terres agricoles.", "b"),
        _item("c:3", "Les terres agricoles du plateau sont menacées par la forêt.", "c"),
    ]
    analysed = {item.id: item.text_pseudonymised for item in members}
    original = {item.id: item.text for item in members}
    label = "projet de contournement routier"
    quotes = theme_quotes(members, weights, analysed, original, limit=3, label=label)
    said = [quote.quote for quote in quotes]
    assert said[0] == slogan
    assert said.count(slogan) == 1  # the same sentence is never quoted twice
    assert "c:3" not in {quote.contribution_id for quote in quotes}  # never names the label
    assert said[1] == "Ce projet va détruire les terres agricoles."


def test_label_tier_is_lemma_aware() -> None:
    assert label_tier("Les taxes d'habitation sont injustes.", "taxe de habitation") == 2
    assert label_tier("La taxe foncière aussi.", "taxe de habitation") == 1
    assert label_tier("Les impôts locaux.", "taxe de habitation") == 0


def test_a_line_broken_inside_a_sentence_does_not_cut_the_quote() -> None:
    # Decidim quoted « …les transports en commun se doivent » and stopped there.
    text = (
        "En période de transition écologique, les transports en commun se doivent \r\n"
        " (et nous doivent ) de se mettre au service des citoyens.\r\n"
        "On peut aussi envisager la gratuité le samedi."
    )
    found = [text[start:end] for start, end in sentences(text)]
    assert found[0].endswith("de se mettre au service des citoyens.")
    assert found[1] == "On peut aussi envisager la gratuité le samedi."
