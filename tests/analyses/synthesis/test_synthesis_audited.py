"""Synthesis in a workspace: ingest Decidim data, offline audited run, report, coverage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from workspace_support import SHARED_DATA, adopt_test_policy, require_shared, run_cli

from garant.cli.main import app

DECIDIM = SHARED_DATA / "consultations" / "decidim_gdn_lille_nancy"
runner = CliRunner()


@pytest.fixture
def synthesis_root(workspace_root: Path) -> Path:
    require_shared(DECIDIM)
    adopt_test_policy(workspace_root)
    run_cli(
        workspace_root,
        'people add "Amina Benali"',
        "roles assign amina-benali personne_ressource --from 01/01/2025 --by amina-benali",
        'tools add "garant hors ligne" --key hors-ligne --access local --region local '
        "--status approved --alias hors-ligne --by amina-benali",
        'uses add "Synthèse" --key synthese --purpose "Regrouper les contributions" '
        "--stage analysis --tool hors-ligne --data public_contributions --data personal "
        "--status approved --by amina-benali "
        '--override "essai automatisé : pas de liste de contrôle"',
    )
    return workspace_root


def test_decidim_corpus_offline_synthesis_accounts_for_every_contribution(
    synthesis_root: Path,
) -> None:
    w = ["-w", str(synthesis_root)]
    ingested = runner.invoke(
        app,
        [
            *w,
            "synthesis",
            "ingest",
            "gdn",
            str(DECIDIM / "propositions-libres.csv"),
            "--format",
            "decidim",
            "--pseudonymisation",
            "patterns",
        ],
    )
    assert ingested.exit_code == 0, ingested.stderr
    assert (synthesis_root / "private" / "corpus" / "gdn" / "pseudonymes.json").is_file()
    ran = runner.invoke(
        app, [*w, "synthesis", "run", "gdn", "--use", "synthese", "--by", "amina-benali"]
    )
    assert ran.exit_code == 0, ran.stderr
    run = json.loads(runner.invoke(app, [*w, "runs", "list", "--json"]).stdout)[0]
    assert (
        run["kind"] == "synthesis"
        and run["status"] == "finished"
        and run["ai_involvement"] == "assisted"
    )
    folder = synthesis_root / "runs" / run["id"]
    data = json.loads((folder / "synthese.json").read_text(encoding="utf-8"))
    report = (folder / "synthese.md").read_text(encoding="utf-8")
    assert "Mention relative à l'IA" in report
    assigned = {
        a["contribution_id"]
        for a in json.loads((folder / "resultat.json").read_text())["assignments"]
    }
    singular = {
        s["contribution_id"] for s in json.loads((folder / "resultat.json").read_text())["singular"]
    }
    assert len(assigned | singular) >= 190  # 196 proposals, each a theme member or a singular voice
    assert data  # structured data for machines
    assert {"synthese.html", "synthese.pdf"} <= {p.name for p in folder.iterdir()}
    shown = runner.invoke(app, [*w, "synthesis", "report", run["id"]])
    assert shown.exit_code == 0 and "Mention relative à l'IA" in shown.stdout
    assert runner.invoke(app, [*w, "audit", "verify"]).exit_code == 0
