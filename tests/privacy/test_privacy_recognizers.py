"""French recognisers, exercised in patterns mode (no language model, fast)."""

from __future__ import annotations

import pytest
from stdnum import iban as stdnum_iban
from stdnum.fr import nir

from garant.privacy import EntityType, Pseudonymiser


def _found(pseudonymiser: Pseudonymiser, text: str) -> list[tuple[EntityType, str]]:
    return [(e.type, text[e.start : e.end]) for e in pseudonymiser.detect(text)]


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "01 49 46 56 34",
        "+33 6 12 34 56 78",
        "+33 (0)1 49 46 56 34",
        "+33612345678",
        "0033 6 12 34 56 78",
        "0692 12 34 56",
        "+262 692 12 34 56",
        "06 90 12 34 56",
        "+596 696 12 34 56",
        "0594 30 12 34",
    ],
)
def test_french_phone_formats_are_tagged_as_telephone(
    patterns_pseudonymiser: Pseudonymiser, phone: str
) -> None:
    text = f"Rappelez-moi au {phone} après 18 h."
    assert _found(patterns_pseudonymiser, text) == [(EntityType.TELEPHONE, phone)]


@pytest.mark.parametrize("not_a_phone", ["12 000 000 euros", "le 12/03/2025", "n° 2024-118"])
def test_numbers_that_are_not_phones_are_left_alone(
    patterns_pseudonymiser: Pseudonymiser, not_a_phone: str
) -> None:
    assert _found(patterns_pseudonymiser, f"Le budget : {not_a_phone}.") == []


def test_nir_with_valid_key_is_tagged_in_compact_and_spaced_forms(
    patterns_pseudonymiser: Pseudonymiser,
) -> None:
    body = "1850578006084"
    number = body + nir.calc_check_digits(body)
    spaced = "1 85 05 78 006 084 " + number[-2:]
    corsica = "238122B03342713"
    for value in (number, spaced, corsica):
        assert nir.is_valid(value)
        assert _found(patterns_pseudonymiser, f"Mon NIR : {value}.") == [(EntityType.NIR, value)]


def test_nir_with_wrong_key_is_still_masked_as_nir(patterns_pseudonymiser: Pseudonymiser) -> None:
    body = "1850578006084"
    key = int(nir.calc_check_digits(body))
    wrong = f"{body}{(key % 97) + 1:02d}"
    assert not nir.is_valid(wrong) and not nir.is_valid("180037512345678")
    for value in (wrong, "180037512345678"):
        assert _found(patterns_pseudonymiser, f"Mon NIR : {value}.") == [(EntityType.NIR, value)]


def test_iban_with_valid_checksum_is_tagged(patterns_pseudonymiser: Pseudonymiser) -> None:
    for value in ("FR7630006000011234567890189", "FR76 3000 6000 0112 3456 7890 189"):
        assert stdnum_iban.is_valid(value)
        assert _found(patterns_pseudonymiser, f"IBAN : {value}") == [(EntityType.IBAN, value)]


def test_iban_with_bad_checksum_is_not_tagged_as_iban(
    patterns_pseudonymiser: Pseudonymiser,
) -> None:
    bad = "FR76 3000 6000 0112 3456 7890 188"
    assert not stdnum_iban.is_valid(bad)
    found = _found(patterns_pseudonymiser, f"IBAN : {bad}")
    assert all(entity_type is not EntityType.IBAN for entity_type, _ in found)


def test_email_is_tagged_without_network(patterns_pseudonymiser: Pseudonymiser) -> None:
    text = "Écrivez à fatoumata.diallo@laposte.net ou à contact@mairie-lille.fr."
    assert _found(patterns_pseudonymiser, text) == [
        (EntityType.EMAIL, "fatoumata.diallo@laposte.net"),
        (EntityType.EMAIL, "contact@mairie-lille.fr"),
    ]


@pytest.mark.parametrize(
    "address",
    [
        "12 rue des Lilas",
        "12 bis rue du Général de Gaulle, 59000 Lille",
        "3, avenue de la République 54000 Nancy",
        "45 bd Victor Hugo\n13100 Aix-en-Provence",
        "7 impasse du 8 Mai 1945, 94240 L'Haÿ-les-Roses",
        "chemin de la Croix, 97410 Saint-Pierre",
        "59650 Villeneuve-d'Ascq",
        "8 rue de la gare",
    ],
)
def test_french_addresses_are_tagged_whole(
    patterns_pseudonymiser: Pseudonymiser, address: str
) -> None:
    text = f"J'habite au {address}. Merci."
    assert _found(patterns_pseudonymiser, text) == [(EntityType.ADRESSE, address)]


@pytest.mark.parametrize(
    "sentence",
    [
        "La rue de la République doit devenir piétonne.",
        "Nous étions 250 à la réunion, 12000 Euros ont été votés.",
        "Le code 99000 Xyz n'existe pas.",
    ],
)
def test_streets_without_number_and_impossible_postcodes_are_not_addresses(
    patterns_pseudonymiser: Pseudonymiser, sentence: str
) -> None:
    assert _found(patterns_pseudonymiser, sentence) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mme Fatoumata Diallo a déposé une observation.", "Fatoumata Diallo"),
        ("Selon M. Nguyen, le projet est trop cher.", "Nguyen"),
        ("Maître Le Goff représente l'association.", "Le Goff"),
        ("Le Dr N'Diaye alerte sur la pollution.", "N'Diaye"),
        ("Monsieur Lopes da Silva s'y oppose.", "Lopes da Silva"),
        ("Je m'oppose au projet.\nCordialement,\nYannick Le Goff", "Yannick Le Goff"),
        ("Je m'appelle Kévin Nguyen et j'habite ici.", "Kévin Nguyen"),
        ("Marie-Claire Dubois-Marchal est venue.", "Marie-Claire Dubois-Marchal"),
    ],
)
def test_names_after_civility_signature_or_known_first_name_are_persons(
    patterns_pseudonymiser: Pseudonymiser, text: str, name: str
) -> None:
    assert _found(patterns_pseudonymiser, text) == [(EntityType.PERSONNE, name)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Me joindre plutôt en fin de journée.",
        "Madame, Monsieur, je vous écris au sujet du PLU.",
        "Monsieur le Maire, les habitants attendent.",
        "Monsieur Le Commissaire Enquêteur, voici mes remarques.",
        "La place Charles de Gaulle est saturée.",
        "Rendez-vous au collège Jean Moulin.",
    ],
)
def test_titles_greetings_and_street_names_are_not_persons(
    patterns_pseudonymiser: Pseudonymiser, sentence: str
) -> None:
    assert _found(patterns_pseudonymiser, sentence) == []


def test_address_wins_over_the_person_name_it_contains(
    patterns_pseudonymiser: Pseudonymiser,
) -> None:
    text = "Écrire au 3 avenue Victor Hugo, 75011 Paris."
    assert _found(patterns_pseudonymiser, text) == [
        (EntityType.ADRESSE, "3 avenue Victor Hugo, 75011 Paris")
    ]
