"""When in doubt, mask: personal data written in unusual ways is still replaced (issue 17.7),
and phone numbers of valid French shape from unallocated blocks too (issue 14.2)."""

from __future__ import annotations

import pytest

from garant.privacy import EntityType, Pseudonymiser


def _found(pseudonymiser: Pseudonymiser, text: str) -> list[tuple[EntityType, str]]:
    return [(e.type, text[e.start : e.end]) for e in pseudonymiser.detect(text)]


@pytest.mark.parametrize("mode", ["patterns", "full"])
def test_phone_of_valid_shape_from_an_unallocated_block_is_masked(
    mode: str, patterns_pseudonymiser: Pseudonymiser, full_pseudonymiser: Pseudonymiser
) -> None:
    pseudonymiser = patterns_pseudonymiser if mode == "patterns" else full_pseudonymiser
    text = "Rappelez-moi au 04 04 06 74 76 demain."
    assert _found(pseudonymiser, text) == [(EntityType.TELEPHONE, "04 04 06 74 76")]


@pytest.mark.parametrize("space", ["\u00a0", "\u202f"])
def test_phone_written_with_non_breaking_spaces_is_masked(
    space: str, patterns_pseudonymiser: Pseudonymiser
) -> None:
    phone = space.join(["06", "12", "34", "56", "78"])
    result = patterns_pseudonymiser.pseudonymise(f"Mon numéro : {phone}.")
    assert result.text == "Mon numéro : <TELEPHONE_1>."
    assert result.mapping.reidentify(result.text) == f"Mon numéro : {phone}."


@pytest.mark.parametrize(
    "email",
    ["jean.dupont\u200b@free.fr", "jean\u200d.dupont@fr\u200bee.fr", "jean.dupont [at] free [dot] fr",
     "jean.dupont(at)free(point)fr", "jean.dupont [arobase] free.fr"],
)  # fmt: skip
def test_disguised_email_is_masked_whole(email: str, patterns_pseudonymiser: Pseudonymiser) -> None:
    text = f"Écrivez-moi : {email} merci."
    result = patterns_pseudonymiser.pseudonymise(text)
    assert result.text == "Écrivez-moi : <EMAIL_1> merci."
    assert result.mapping.reidentify(result.text) == text


def test_lower_case_iban_is_masked(patterns_pseudonymiser: Pseudonymiser) -> None:
    iban = "fr76 3000 6000 0112 3456 7890 189"
    assert _found(patterns_pseudonymiser, f"Mon iban : {iban}.") == [(EntityType.IBAN, iban)]


@pytest.mark.parametrize(
    "text",
    ["je suis jean dupont et je m'oppose au projet.", "signé : marie-claire le goff",
     "JEAN DUPONT, habitant du quartier"],
)  # fmt: skip
def test_names_in_lower_or_upper_case_are_masked_in_full_mode(
    text: str, full_pseudonymiser: Pseudonymiser
) -> None:
    result = full_pseudonymiser.pseudonymise(text)
    for word in ("dupont", "goff"):
        assert word not in result.text.lower()


@pytest.mark.parametrize(
    "text",
    ["La pierre angulaire du projet est la gare.", "rose des vents et marie a dit oui",
     "les jardins de jean moulin", "pierre blanche et olivier centenaire"],
)  # fmt: skip
def test_lower_case_first_names_before_ordinary_words_are_left_alone(
    text: str, full_pseudonymiser: Pseudonymiser
) -> None:
    assert full_pseudonymiser.pseudonymise(text).text == text


@pytest.mark.parametrize("mode", ["patterns", "full"])
def test_name_and_address_straddling_the_cut_of_a_long_text_are_masked(
    mode: str, patterns_pseudonymiser: Pseudonymiser, full_pseudonymiser: Pseudonymiser
) -> None:
    pseudonymiser = patterns_pseudonymiser if mode == "patterns" else full_pseudonymiser
    filler = "le projet de tramway doit desservir les quartiers nord et " * 100  # no sentence end
    for cut_at in (4_991, 4_994, 4_997):  # the name starts there; pieces are cut at 5,000
        head = filler[: filler.rfind(" ", 0, cut_at) + 1].ljust(cut_at)
        text = head + "Jean Dupont habite 12 rue des Lilas, 59000 Lille, " + filler
        result = pseudonymiser.pseudonymise(text)
        assert "Dupont" not in result.text and "Lilas" not in result.text, cut_at
        assert result.mapping.reidentify(result.text) == text
