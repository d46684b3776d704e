"""Pseudonymisation end to end: nothing found is left in clear, tags are stable, the mapping
re-identifies, and importing the package stays cheap."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import garant.privacy
from garant.errors import InputError
from garant.privacy import EntityType, Pseudonymiser, PseudonymMapping
from garant.privacy.evaluation import LabelledText


def test_patterns_mode_leaves_no_found_value_and_no_identifier_in_output(
    patterns_pseudonymiser: Pseudonymiser, labelled_set: list[LabelledText]
) -> None:
    results = patterns_pseudonymiser.pseudonymise_many([item.text for item in labelled_set])
    structured = {EntityType.EMAIL, EntityType.TELEPHONE, EntityType.NIR, EntityType.IBAN,
                  EntityType.ADRESSE}  # fmt: skip
    for item, result in zip(labelled_set, results, strict=True):
        for value in result.raw_values:
            assert value not in result.text
        for span in item.spans:
            if span.type in structured:
                assert item.text[span.start : span.end] not in result.text, item.text


def test_pseudonyms_are_stable_across_texts_of_one_mapping(
    patterns_pseudonymiser: Pseudonymiser,
) -> None:
    mapping = PseudonymMapping()
    first, second = patterns_pseudonymiser.pseudonymise_many(
        [
            "Mme Diallo (fatoumata.diallo@free.fr) signale une fuite.",
            "Réponse à Mme Diallo : écrire à fatoumata.diallo@free.fr ou Mme Traoré.",
        ],
        mapping,
    )
    assert first.text == "Mme <PERSONNE_1> (<EMAIL_1>) signale une fuite."
    assert second.text == "Réponse à Mme <PERSONNE_1> : écrire à <EMAIL_1> ou Mme <PERSONNE_2>."
    assert second.counts == {EntityType.PERSONNE: 2, EntityType.EMAIL: 1}
    assert second.raw_values == frozenset({"Diallo", "fatoumata.diallo@free.fr", "Traoré"})


def test_repeated_value_is_replaced_everywhere_in_a_text(
    patterns_pseudonymiser: Pseudonymiser,
) -> None:
    result = patterns_pseudonymiser.pseudonymise(
        "Madame Kerhervé a écrit. Kerhervé ajoute que Kerhervéville est loin."
    )
    assert result.text == (
        "Madame <PERSONNE_1> a écrit. <PERSONNE_1> ajoute que Kerhervéville est loin."
    )


def test_result_repr_carries_no_personal_data(patterns_pseudonymiser: Pseudonymiser) -> None:
    result = patterns_pseudonymiser.pseudonymise("Appelez M. Nguyen au 06 12 34 56 78.")
    assert "Nguyen" not in repr(result)
    assert "06 12" not in repr(result)


def test_unknown_mode_is_refused_with_a_hint() -> None:
    with pytest.raises(InputError) as caught:
        Pseudonymiser("rapide")  # type: ignore[arg-type]
    assert "rapide" in caught.value.message
    assert "patterns" in caught.value.hint


def test_non_text_input_is_refused_naming_its_position(
    patterns_pseudonymiser: Pseudonymiser,
) -> None:
    with pytest.raises(InputError) as caught:
        patterns_pseudonymiser.pseudonymise_many(["ok", 42])  # type: ignore[list-item]
    assert "2" in caught.value.message


def test_entities_option_limits_what_is_replaced() -> None:
    pseudonymiser = Pseudonymiser("patterns", entities=[EntityType.EMAIL])
    result = pseudonymiser.pseudonymise("M. Nguyen, k.nguyen@free.fr")
    assert result.text == "M. Nguyen, <EMAIL_1>"


def test_full_mode_reidentification_round_trips_every_labelled_text(
    labelled_set: list[LabelledText], full_results: list[garant.privacy.PseudonymisedText]
) -> None:
    mapping = full_results[0].mapping
    for item, result in zip(labelled_set, full_results, strict=True):
        assert mapping.reidentify(result.text) == item.text


def test_full_mode_finds_out_of_dictionary_names_without_civility(
    full_pseudonymiser: Pseudonymiser,
) -> None:
    result = full_pseudonymiser.pseudonymise(
        "Kévin Nguyen et Fatoumata Diallo ont rencontré Yannick Le Goff au marché."
    )
    assert result.text == "<PERSONNE_1> et <PERSONNE_2> ont rencontré <PERSONNE_3> au marché."


def test_full_mode_ignores_capitalised_verbs_opening_a_proposal(
    full_pseudonymiser: Pseudonymiser,
) -> None:
    texts = ["Interdire les pesticides près des écoles.", "Subventionner les vélos cargos."]
    results = full_pseudonymiser.pseudonymise_many(texts)
    assert [r.text for r in results] == texts


def test_importing_the_package_loads_neither_presidio_nor_spacy_nor_sets_environment() -> None:
    env = {k: v for k, v in os.environ.items() if k != "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"}
    probe = (
        "import os, sys, json, garant.privacy, garant.privacy.evaluation\n"
        "print(json.dumps([sorted(m for m in sys.modules if m.split('.')[0] in "
        "('presidio_analyzer', 'spacy', 'faker')), "
        "'TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS' in os.environ]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    modules, env_set = json.loads(out.stdout)
    assert modules == []
    assert env_set is False


def test_package_exports_exactly_its_public_api() -> None:
    assert sorted(garant.privacy.__all__) == [
        "DetectedEntity",
        "EntityType",
        "MappingEntry",
        "Mode",
        "PersonalDataFindings",
        "PseudonymMapping",
        "PseudonymisedText",
        "Pseudonymiser",
        "detect_personal_data",
        "normalise_value",
    ]
    for name in garant.privacy.__all__:
        assert hasattr(garant.privacy, name)


def test_long_text_is_analysed_in_pieces_with_offsets_kept() -> None:
    pseudonymiser = Pseudonymiser("patterns")
    pseudonymiser.piece_length = 300
    lines = [
        f"Ligne {i} : Mme Diallo, tél. 06 12 34 56 {i:02d}, 12 rue des Lilas." for i in range(40)
    ]
    text = "\n".join(lines)
    result = pseudonymiser.pseudonymise(text)
    assert "Diallo" not in result.text and "06 12" not in result.text
    assert result.counts[EntityType.TELEPHONE] == 40
    assert result.mapping.reidentify(result.text) == text


def test_detect_personal_data_counts_without_values(patterns_pseudonymiser: Pseudonymiser) -> None:
    findings = garant.privacy.detect_personal_data(
        ["Réunion jeudi.", "Mme Diallo, 06 12 34 56 78.", "Rien ici."], mode="patterns"
    )
    assert bool(findings) and findings.texts == (1,) and findings.checked == 3
    assert findings.counts == {EntityType.PERSONNE: 1, EntityType.TELEPHONE: 1}
    assert "Diallo" not in json.dumps(findings.summary())
    assert not garant.privacy.detect_personal_data(["Réunion jeudi."], mode="patterns")
