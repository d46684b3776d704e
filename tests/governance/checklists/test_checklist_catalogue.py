"""The built-in catalogue covers the obligations the field needs, and bad files are located."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from garant.errors import InputError
from garant.governance.checklists import SECTIONS, load_catalogue, parse_items

REQUIRED_IDS = {
    # scope and role, AI literacy, Art. 5 screening
    "RIA-CHAMP", "RIA-ROLE", "RIA-4", "RIA-5",
    # Annex III screening relevant to public bodies, with the Art. 6(3) derogation
    "RIA-A3-5A", "RIA-A3-8B", "RIA-A3-4", "RIA-A3-1", "RIA-6-3",
    # high-risk deployer duties and the FRIA
    "RIA-26-CONTROLE", "RIA-26-JOURNAUX", "RIA-27",
    # transparency
    "RIA-50-1", "RIA-50-4-TEXTE",
    # GDPR
    "RGPD-6", "RGPD-9", "RGPD-13-14", "RGPD-22", "RGPD-28", "RGPD-30", "RGPD-35-ANALYSE",
    "RGPD-35-AIPD", "RGPD-44",
    # French rule on algorithmic administrative decisions
    "CRPA-MENTION", "CRPA-COMMUNICATION",
    # public inquiry
    "EP-OBSERVATIONS", "EP-CONCLUSIONS",
}  # fmt: skip

BROKEN_ITEM = """\
items:
  - id: LOCAL-01
    section: governance
    title: {fr: "Titre", en: "Title"}
    question: {fr: "Question ?", en: "Question?"}
    refs:
      - {source: ria, ref: "art. 4"}
    applies_if: {field: chatbot, is: true}
"""


def test_catalogue_covers_the_required_obligations() -> None:
    catalogue = load_catalogue()
    ids = {item.id for item in catalogue.items}
    assert ids >= REQUIRED_IDS
    assert len(ids) == len(catalogue.items)  # unique ids


def test_every_item_is_bilingual_referenced_and_in_a_known_section() -> None:
    for item in load_catalogue().items:
        assert item.title.fr and item.title.en, item.id
        assert item.question.fr and item.question.en, item.id
        assert item.refs, item.id
        assert item.section in SECTIONS, item.id


def test_references_name_their_sources() -> None:
    catalogue = load_catalogue()
    refs = {str(ref) for item in catalogue.items for ref in item.refs}
    assert "RIA art. 50(4) al. 2" in refs
    assert "RGPD art. 35(2), 35(7)" in refs
    assert "CRPA L.311-3-1" in refs
    assert "Code de l'environnement R.123-19" in refs
    assert "CNIL délibération n° 2018-327" in refs


def test_high_risk_duties_apply_from_the_omnibus_date() -> None:
    catalogue = load_catalogue()
    assert catalogue.applies_from(catalogue.item("RIA-26-CONTROLE")) == date(2027, 12, 2)
    assert catalogue.applies_from(catalogue.item("RIA-27")) == date(2027, 12, 2)
    assert catalogue.applies_from(catalogue.item("RIA-50-4-TEXTE")) == date(2026, 8, 2)
    assert catalogue.applies_from(catalogue.item("RIA-4")) == date(2025, 2, 2)


def test_legal_dates_are_configurable() -> None:
    # If the Omnibus postponement did not hold, one override moves every high-risk duty.
    catalogue = load_catalogue(date_overrides={"ria_annexe_iii": date(2026, 8, 2)})
    assert catalogue.applies_from(catalogue.item("RIA-27")) == date(2026, 8, 2)
    assert catalogue.applies_from(catalogue.item("RIA-26-JOURNAUX")) == date(2026, 8, 2)


def test_unknown_date_override_is_refused() -> None:
    with pytest.raises(InputError, match="ria_annexe_4"):
        load_catalogue(date_overrides={"ria_annexe_4": date(2027, 1, 1)})


def test_item_with_unknown_condition_field_names_file_line_and_field(tmp_path: Path) -> None:
    (tmp_path / "locaux.yaml").write_text(BROKEN_ITEM, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_catalogue(extra_folders=(tmp_path,))
    message = caught.value.message
    assert f"{tmp_path / 'locaux.yaml'}, ligne 8, champ « items[0].applies_if »" in message
    assert "champ « chatbot » inconnu" in message


def test_item_with_unknown_date_key_is_located(tmp_path: Path) -> None:
    text = BROKEN_ITEM.replace(
        "applies_if: {field: chatbot, is: true}", "applies_from: ria_plus_tard"
    )
    (tmp_path / "locaux.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_catalogue(extra_folders=(tmp_path,))
    assert "ligne 8, champ « items[0].applies_from »" in caught.value.message
    assert "ria_plus_tard" in caught.value.message


def test_duplicate_item_id_across_files_is_refused(tmp_path: Path) -> None:
    text = BROKEN_ITEM.replace("LOCAL-01", "RIA-4").replace(
        "applies_if: {field: chatbot, is: true}", "applies_if: always"
    )
    (tmp_path / "locaux.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="RIA-4 existe déjà"):
        load_catalogue(extra_folders=(tmp_path,))


def test_workspace_items_extend_the_catalogue(tmp_path: Path) -> None:
    text = BROKEN_ITEM.replace("applies_if: {field: chatbot, is: true}", "applies_if: always")
    (tmp_path / "locaux.yaml").write_text(text, encoding="utf-8")
    catalogue = load_catalogue(extra_folders=(tmp_path,))
    assert catalogue.item("LOCAL-01").title.fr == "Titre"
    assert len(catalogue.items) == len(load_catalogue().items) + 1


def test_item_with_missing_refs_is_refused() -> None:
    text = BROKEN_ITEM.replace('    refs:\n      - {source: ria, ref: "art. 4"}\n', "").replace(
        "applies_if: {field: chatbot, is: true}", "applies_if: always"
    )
    with pytest.raises(
        InputError, match=r"ligne 2, champ « items\[0\]\.refs » : champ obligatoire"
    ):
        parse_items(text, "x.yaml")
