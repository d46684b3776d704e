"""Golden files: the annex (Markdown, HTML) and the procès-verbal (Markdown) of a fixed inquiry
are compared byte for byte with ``golden/`` (regenerate with GARANT_UPDATE_GOLDEN=1, then review
the diff)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from garant.documents import render
from garant.inquiry.annex import AnnexContext, AnnexUse
from garant.inquiry.export import annex_document
from garant.inquiry.manifest import ManifestDossier, ManifestFile, ManifestLedgerEntry

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("GARANT_UPDATE_GOLDEN") == "1"
FIXED_AT = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
H = "ab" * 32


def fixed_context() -> AnnexContext:
    use = AnnexUse(
        run_id="20261204-090000-abcdef",
        role="regroupement des observations par thème",
        use_title="Regroupement des observations",
        purpose="Regrouper les observations de l'enquête par thème",
        stage="analyse",
        tool="garant hors ligne (garant)",
        model="offline/extractive-fr",
        provider="garant (hors ligne, sans modèle génératif)",
        versions="garant 0.1.0 ; politique politique-test v2",
        prompts=("aucun gabarit de requête : méthode sans modèle génératif",),
        inputs=(("corpus.jsonl", "11" * 32),),
        outputs=(("resultat.json", "22" * 32),),
        pseudonymisation="textes pseudonymisés à l'entrée dans le dossier",
        reviewer="Jeanne Morel",
        reviewed_on="04/12/2026",
        review_state="approuvée",
        disclosure="Ce contenu a été produit avec l'assistance d'un traitement automatisé.",
        started="04/12/2026",
    )
    return AnnexContext(
        organisation="Métropole de Belleval",
        dossier=ManifestDossier(
            key="plu",
            title="PLU de Belleval",
            reference="Arrêté 2026-117",
            authority="Métropole de Belleval",
            opens_on="2026-11-02",
            closes_on="2026-12-03",
        ),
        commissaire="Jeanne Morel",
        opens_on="02/11/2026",
        closes_on="03/12/2026",
        total=40,
        by_channel=[("registre dématérialisé", 30), ("courriel", 10)],
        themed=34,
        theme_count=3,
        singular=2,
        ungrouped=0,
        duplicated=4,
        duplicate_groups=1,
        uses=[use],
        sortition=[],
        signer_name="Jeanne Morel",
        certificate_sha256="cd" * 32,
        manifest_sha256=H,
        files=[
            ManifestFile(
                path="exports/enquetes/plu/observations.csv",
                sha256="33" * 32,
                bytes=1234,
                role="observations",
            )
        ],
        ledger=[
            ManifestLedgerEntry(
                seq=1,
                event="dossier_created",
                run_id="",
                recorded_at="2026-12-04T09:00:00",
                entry_hash="44" * 32,
            )
        ],
        generated_at="04/12/2026 11:00 (Europe/Paris, UTC+01:00)",
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_annex_output_matches_golden_file(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"annexe.{fmt}"
    render(annex_document(fixed_context(), FIXED_AT), fmt, out)
    text = out.read_text(encoding="utf-8")
    golden = GOLDEN / f"annexe.{fmt}"
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run with GARANT_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8"), f"annexe.{fmt} differs from golden"


def test_annex_states_the_conclusions_are_the_commissaires_own() -> None:
    body = annex_document(fixed_context(), FIXED_AT).body
    assert "conclusions motivées sont celles du commissaire enquêteur" in body
    assert "40\u202fobservations" in body or "40 observations ont été reçues" in body
    assert "Aucun tirage au sort" in body
    assert H in body and "cd" * 32 in body
