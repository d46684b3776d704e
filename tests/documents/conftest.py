"""Fixtures for garant.documents: a fixed clock, a sample document using every Markdown
construct the renderers map, and a tiny PNG written without any imaging library."""

from __future__ import annotations

from pathlib import Path

import pytest
from documents_support import FIXED_AT, FIXTURES, SAMPLE_BODY

from garant.documents import Document, DocumentImage, DocumentMetadata


@pytest.fixture
def png(tmp_path: Path) -> Path:
    """A copy of the checked-in figure (fixed bytes, so golden files stay stable)."""
    target = tmp_path / "source-themes.png"
    target.write_bytes((FIXTURES / "themes.png").read_bytes())
    return target


@pytest.fixture
def sample_document(png: Path) -> Document:
    return Document(
        title="Annexe — Utilisation d'outils d'IA dans l'enquête",
        subtitle="Enquête publique sur le plan de mobilité",
        organisation="Commissaire enquêteur — Mme Dupont",
        metadata=DocumentMetadata(
            generated_at=FIXED_AT,
            policy_version="v2",
            run_ids=("4f1c2a", "9b7e11"),
            extra=(("Enquête", "E26000123/45"),),
        ),
        disclosure="Texte préparé avec l'assistance d'un outil d'IA, relu par la commissaire.",
        body=SAMPLE_BODY,
        images=(DocumentImage(name="themes.png", path=png, alt="Taille des thèmes"),),
    )
