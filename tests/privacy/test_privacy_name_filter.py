"""Words kept as the citizen wrote them: common nouns, answer openings, acronyms, diseases and
English pronouns are not taken for names (issue 13.6); public figures may stay on request."""

from __future__ import annotations

import pytest

from garant.privacy import EntityType, Pseudonymiser
from garant.privacy.name_filter import not_shaped_like_a_name

# Real false positives seen on Decidim answers (issue 13), as short answers.
ORDINARY_ANSWERS = (
    "Geothermie",
    "Sante",
    "Anxiete",
    "Le SAMU met trop de temps à arriver.",
    "SAMU",
    "Parkinson",
    "La maladie de Parkinson touche ma mère.",
    "Concrètement, il faut plus de bus.",
    "Voire plus de pistes cyclables.",
    "It's a good idea.",
    "Cpam et Urssaf sont débordées.",
    "Defiscaliser les dons.",
)


@pytest.mark.parametrize("text", ORDINARY_ANSWERS)
def test_ordinary_words_are_not_taken_for_names(
    text: str, full_pseudonymiser: Pseudonymiser
) -> None:
    assert full_pseudonymiser.pseudonymise(text).text == text


@pytest.mark.parametrize(
    "text",
    ["Pierre Martin demande un passage piéton.", "Concrètement, Mme Kerhervé demande un banc.",
     "Louis Petit habite ici.", "Signé : DUPONT Kévin"],
)  # fmt: skip
def test_names_beside_ordinary_words_are_still_masked(
    text: str, full_pseudonymiser: Pseudonymiser
) -> None:
    result = full_pseudonymiser.pseudonymise(text)
    assert result.counts.get(EntityType.PERSONNE, 0) >= 1
    for name in ("Martin", "Kerhervé", "Petit", "DUPONT"):
        assert name not in result.text


@pytest.mark.parametrize(
    ("span", "expected"),
    [("CDD/ Intérim", True), ("Ahh ben vous avez de la chance", True), ("Saint Martin", True),
     ("Jean de la Fontaine", False), ("Yannick Le Goff", False), ("Abdoulaye N'Diaye", False)],
)  # fmt: skip
def test_span_shape_tells_names_from_other_capitalised_text(span: str, expected: bool) -> None:
    assert not_shaped_like_a_name(span) is expected


def test_public_figures_stay_only_when_the_option_is_on(full_pseudonymiser: Pseudonymiser) -> None:
    text = "Emmanuel Macron a promis, dit Kévin Nguyen, et Macron n'a rien fait."
    masked = full_pseudonymiser.pseudonymise(text).text
    assert "Macron" not in masked and "Nguyen" not in masked
    kept = Pseudonymiser("full", keep_public_figures=True).pseudonymise(text).text
    assert kept.count("Macron") == 2 and "Nguyen" not in kept
