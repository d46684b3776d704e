"""Charters: the context model validates, and both charters say what the policy says."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from documents_support import FIXED_AT
from pydantic import ValidationError

from garant.documents import (
    CharterContext,
    build_charter_document,
    charter_template_name,
    example_charter_context,
)
from garant.errors import InputError


def test_internal_guide_lists_the_policy_content() -> None:
    document = build_charter_document("internal", example_charter_context(), generated_at=FIXED_AT)
    body = document.body
    assert document.title == "Guide interne d'usage de l'intelligence artificielle"
    assert document.metadata.policy_version == "v3"
    assert "| Transcription des réunions publiques |" in body
    assert "- **Décider au sujet d'une personne** — Aucune décision" in body
    assert "### Outils en cours d'évaluation" in body and "Mistral Le Chat Pro" in body
    assert "### Outils interdits" in body
    assert (
        "| Contributions des habitants | Outils locaux, ou Albert après pseudonymisation. | obligatoire |"
        in body
    )
    assert "**Référent·e IA :** Camille Moreau" in body
    assert "| Yanis Haddad |" in body
    assert "Délai de réponse : 5 jours ouvrés" in body
    assert "| Les bases de l'IA générative et ses limites |" in body and "| oui |" in body
    assert "révisé au plus tard le 12/10/2027" in body


def test_external_charter_speaks_to_the_public_and_hides_internal_details() -> None:
    body = build_charter_document("external", example_charter_context(), generated_at=FIXED_AT).body
    assert "## 8. Poser une question, demander une explication, contester" in body
    assert "participation@valdeloire-metropole.example.fr" in body
    assert "https://www.valdeloire-metropole.example.fr/ia/registre" in body
    assert "Mistral Le Chat Pro" not in body  # tools under review are internal business
    assert "Yanis Haddad" not in body  # resource persons are for agents


def test_empty_policy_sections_say_so_instead_of_leaving_blanks() -> None:
    context = example_charter_context().model_copy(
        update={"allowed_uses": (), "tools": (), "trainings": (), "forbidden_uses": ()}
    )
    body = build_charter_document("internal", context, generated_at=FIXED_AT).body
    assert "Aucun usage n'est autorisé à ce jour" in body
    assert "Aucun outil n'est autorisé à ce jour." in body
    assert "Le plan de formation est en préparation" in body


def test_english_charter_uses_english_titles_and_dates() -> None:
    context = example_charter_context("en")
    document = build_charter_document("internal", context, generated_at=FIXED_AT)
    assert document.title == "Internal guide to the use of artificial intelligence"
    assert document.language == "en"
    assert "reviewed by **2027-10-12** at the latest" in document.body


def test_unknown_charter_kind_is_an_input_error() -> None:
    with pytest.raises(InputError, match="Type de charte inconnu : annual"):
        charter_template_name("annual", "fr")


def test_context_rejects_review_before_adoption_and_unknown_fields() -> None:
    data = example_charter_context().model_dump()
    data["review_date"] = date(2026, 1, 1)
    with pytest.raises(ValidationError, match="review_date"):
        CharterContext.model_validate(data)
    data = example_charter_context().model_dump()
    data["surprise"] = 1
    with pytest.raises(ValidationError, match="surprise"):
        CharterContext.model_validate(data)


def test_context_round_trips_through_json(tmp_path: Path) -> None:
    context = example_charter_context()
    path = tmp_path / "context.json"
    path.write_text(context.model_dump_json(), encoding="utf-8")
    assert CharterContext.model_validate_json(path.read_text(encoding="utf-8")) == context
