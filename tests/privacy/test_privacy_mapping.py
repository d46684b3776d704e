"""The local pseudonym mapping: stable tags, re-identification, safe persistence."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from garant.errors import InputError, NotFoundError
from garant.privacy import EntityType, Pseudonymiser, PseudonymMapping
from garant.privacy.mapping import escape_tags, unescape_tags


def test_same_value_gets_same_tag_and_new_values_are_numbered_per_type() -> None:
    mapping = PseudonymMapping()
    assert mapping.tag_for(EntityType.PERSONNE, "Fatoumata Diallo") == "<PERSONNE_1>"
    assert mapping.tag_for(EntityType.PERSONNE, "Kévin Nguyen") == "<PERSONNE_2>"
    assert mapping.tag_for(EntityType.EMAIL, "k.nguyen@free.fr") == "<EMAIL_1>"
    assert mapping.tag_for(EntityType.PERSONNE, "Fatoumata Diallo") == "<PERSONNE_1>"
    assert mapping.counts() == {EntityType.PERSONNE: 2, EntityType.EMAIL: 1}


@pytest.mark.parametrize(
    ("entity_type", "first", "second"),
    [
        (EntityType.TELEPHONE, "06 12 34 56 78", "06.12.34.56.78"),
        (EntityType.TELEPHONE, "+33 6 12 34 56 78", "0612345678"),
        (EntityType.NIR, "1 85 05 78 006 084 36", "185057800608436"),
        (EntityType.IBAN, "FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
        (EntityType.EMAIL, "K.Nguyen@Free.fr", "k.nguyen@free.fr"),
        (EntityType.PERSONNE, "LE GOFF", "Le  Goff"),
    ],
)
def test_spellings_of_one_value_share_a_tag(
    entity_type: EntityType, first: str, second: str
) -> None:
    mapping = PseudonymMapping()
    assert mapping.tag_for(entity_type, first) == mapping.tag_for(entity_type, second)
    assert len(mapping) == 1


def test_reidentify_restores_known_tags_and_keeps_unknown_ones() -> None:
    mapping = PseudonymMapping()
    tag = mapping.tag_for(EntityType.PERSONNE, "Madame Roussel")
    answer = f"{tag} signale un problème ; <PERSONNE_9> aussi."
    assert mapping.reidentify(answer) == "Madame Roussel signale un problème ; <PERSONNE_9> aussi."


def test_saved_mapping_is_owner_only_and_loads_back_identically(tmp_path: Path) -> None:
    mapping = PseudonymMapping()
    mapping.tag_for(EntityType.PERSONNE, "Yannick Le Goff")
    mapping.tag_for(EntityType.TELEPHONE, "0692 12 34 56")
    path = tmp_path / "runs" / "run-1" / "mapping.json"
    mapping.save(path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["mapping.json"]
    loaded = PseudonymMapping.load(path)
    assert loaded.reidentify("<PERSONNE_1> : <TELEPHONE_1>") == "Yannick Le Goff : 0692 12 34 56"
    # Numbering goes on after the loaded tags; known values keep theirs.
    assert loaded.tag_for(EntityType.PERSONNE, "Ousmane Sow") == "<PERSONNE_2>"
    assert loaded.tag_for(EntityType.TELEPHONE, "06 92 12 34 56") == "<TELEPHONE_1>"


def test_saving_over_an_existing_mapping_replaces_it_atomically(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    first = PseudonymMapping()
    first.tag_for(EntityType.EMAIL, "a@b.fr")
    first.save(path)
    second = PseudonymMapping()
    second.tag_for(EntityType.EMAIL, "c@d.fr")
    second.save(path)
    assert PseudonymMapping.load(path).value_of("<EMAIL_1>") == "c@d.fr"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mapping.json"]


def test_repr_shows_counts_but_no_personal_data() -> None:
    mapping = PseudonymMapping()
    mapping.tag_for(EntityType.PERSONNE, "Fatoumata Diallo")
    assert "Diallo" not in repr(mapping)
    assert "PERSONNE=1" in repr(mapping)


def test_loading_a_missing_mapping_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError) as caught:
        PseudonymMapping.load(tmp_path / "absent.json")
    assert "absent.json" in caught.value.message
    assert caught.value.hint


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "JSON"),
        (json.dumps({"format": "autre", "version": 1, "entries": []}), "format"),
        (
            json.dumps({"format": "garant-pseudonym-mapping", "version": 7, "entries": []}),
            "version",
        ),
        (
            json.dumps({"format": "garant-pseudonym-mapping", "version": 1, "entries": {}}),
            "entries",
        ),
        (
            json.dumps(
                {
                    "format": "garant-pseudonym-mapping",
                    "version": 1,
                    "entries": [{"tag": "<PERSONNE_1>", "type": "PERSONNE"}],
                }
            ),
            "n° 1",
        ),
        (
            json.dumps(
                {
                    "format": "garant-pseudonym-mapping",
                    "version": 1,
                    "entries": [{"tag": "<PERSONNE_1>", "type": "EMAIL", "value": "x"}],
                }
            ),
            "EMAIL",
        ),
    ],
)
def test_loading_a_bad_mapping_raises_input_error_naming_file_and_field(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "mapping.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        PseudonymMapping.load(path)
    assert "mapping.json" in caught.value.message
    assert expected in caught.value.message
    assert caught.value.hint


def test_literal_tag_in_a_contribution_is_never_reidentified_as_a_person(
    patterns_pseudonymiser: Pseudonymiser,
) -> None:
    mapping = PseudonymMapping()
    first, second = patterns_pseudonymiser.pseudonymise_many(
        [
            "Mme Jeanne Dupont habite ici.",
            "Je cite <PERSONNE_1> et < personne_2 > : ils n'existent pas. <EMAIL_1> non plus.",
        ],
        mapping,
    )
    assert first.text == "Mme <PERSONNE_1> habite ici."
    assert "<PERSONNE_1>" not in second.text and "<EMAIL_1>" not in second.text
    answer = f"{first.text} / {second.text}"
    restored = mapping.reidentify(answer)
    assert restored.count("Jeanne Dupont") == 1
    assert restored.endswith(
        "Je cite <PERSONNE_1> et < personne_2 > : ils n'existent pas. <EMAIL_1> non plus."
    )


def test_escaping_gives_back_exactly_what_was_written() -> None:
    text = "Voir <PERSONNE_12>, <telephone_3> et <AUTRE_1>."
    escaped = escape_tags(text)
    assert escaped == "Voir \u2039PERSONNE_12\u203a, \u2039telephone_3\u203a et <AUTRE_1>."
    assert unescape_tags(escaped) == text
