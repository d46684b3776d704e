"""ask, runs list/show/review, runs reidentify and audit verify from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner
from workspace_support import adopt_test_policy, run_cli

from garant.cli.main import app

runner = CliRunner()


def _registry(root: Path) -> None:
    adopt_test_policy(root)
    run_cli(
        root,
        'people add "Claire Martin"',
        'people add "Paul Lecteur" --by claire-martin',
        "roles assign claire-martin referent_ia --from 01/01/2025 --by claire-martin",
        "roles assign paul-lecteur relecteur_conformite --from 01/01/2025 --by claire-martin",
        'tools add "garant hors ligne" --access local --region local --status approved '
        "--alias hors-ligne --by claire-martin",
        'uses add Essai --purpose "Tester un modèle" --stage preparation --tool garant-hors-ligne '
        "--data public_contributions --status approved --by claire-martin "
        '--override "essai automatisé : pas de liste de contrôle"',
    )


def test_ask_review_and_verify(workspace_root: Path) -> None:
    _registry(workspace_root)
    w = ["-w", str(workspace_root)]
    asked = runner.invoke(
        app,
        [
            *w,
            "ask",
            "essai",
            "M. Kévin Nguyen demande des bancs. Le parc ferme trop tôt.",
            "--by",
            "claire-martin",
            "--pseudonymisation",
            "patterns",
            "--json",
        ],
    )
    assert asked.exit_code == 0, asked.stderr
    result = json.loads(asked.stdout)
    run_id = result["run_id"]
    assert "Nguyen" not in result["answer"]  # contributions are pseudonymised even offline
    assert result["disclosure"]["art50_case"] == "disclosure_required"

    listed = json.loads(runner.invoke(app, [*w, "runs", "list", "--json"]).stdout)
    assert [r["id"] for r in listed] == [run_id] and listed[0]["status"] == "finished"

    refused = runner.invoke(
        app, [*w, "runs", "review", run_id, "--by", "claire-martin", "--decision", "peut-etre"]
    )
    assert refused.exit_code == 2 and "approve | reject" in refused.stderr
    own = runner.invoke(
        app, [*w, "runs", "review", run_id, "--by", "claire-martin", "--decision", "approve"]
    )
    assert own.exit_code == 2 and "distinct_from_operator" in own.stderr  # four eyes
    reviewed = runner.invoke(
        app,
        [
            *w,
            "runs",
            "review",
            run_id,
            "--by",
            "paul-lecteur",
            "--decision",
            "approve",
            "--comment",
            "Relu, conforme",
        ],
    )
    assert reviewed.exit_code == 0, reviewed.stderr
    shown = json.loads(runner.invoke(app, [*w, "runs", "show", run_id, "--json"]).stdout)
    assert shown["run"]["review_state"] == "approved"
    label = shown["disclosures"]["reponse.md"]
    assert label["reviewer"] == "Paul Lecteur" and label["art50_case"] == "exempt_reviewed"
    assert [e["event"] for e in shown["events"]][-1] == "review"

    asked_again = runner.invoke(
        app,
        [
            *w,
            "ask",
            "essai",
            "M. Kévin Nguyen demande des bancs.",
            "--by",
            "claire-martin",
            "--pseudonymisation",
            "patterns",
            "--reidentify",
            "--json",
        ],
    )
    assert asked_again.exit_code == 0, asked_again.stderr
    assert "Kévin Nguyen" in json.loads(asked_again.stdout)["answer"]
    again_id = json.loads(asked_again.stdout)["run_id"]
    events = json.loads(runner.invoke(app, [*w, "runs", "show", again_id, "--json"]).stdout)[
        "events"
    ]
    assert events[-1]["event"] == "reidentification"  # the re-identification is on the record

    restored = runner.invoke(
        app, [*w, "runs", "reidentify", run_id, "reponse.md", "--by", "claire-martin"]
    )
    assert restored.exit_code == 0 and "Kévin Nguyen" in restored.stdout
    denied = runner.invoke(
        app, [*w, "runs", "reidentify", run_id, "reponse.md", "--by", "paul-lecteur"]
    )
    assert denied.exit_code == 2 and "roles.reidentify" in denied.stderr

    verified = runner.invoke(app, [*w, "audit", "verify"])
    assert verified.exit_code == 0 and "aucune altération" in verified.stdout


def test_refused_ask_exits_2_with_rule_and_is_listed(workspace_root: Path) -> None:
    _registry(workspace_root)
    w = ["-w", str(workspace_root)]
    refused = runner.invoke(app, [*w, "ask", "essai", "Bonjour", "--by", "paul-lecteur"])
    assert refused.exit_code == 2
    assert "roles.run_analyses" in refused.stderr and "Traceback" not in refused.stderr
    listed = json.loads(
        runner.invoke(app, [*w, "runs", "list", "--status", "refused", "--json"]).stdout
    )
    assert listed[0]["refusal_rule"] == "roles.run_analyses"


def test_verify_exits_1_and_names_the_tampered_entry(workspace_root: Path) -> None:
    _registry(workspace_root)
    w = ["-w", str(workspace_root)]
    asked = runner.invoke(
        app,
        [
            *w,
            "ask",
            "essai",
            "Bonjour à tous.",
            "--by",
            "claire-martin",
            "--pseudonymisation",
            "patterns",
        ],
    )
    assert asked.exit_code == 0, asked.stderr
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{workspace_root / 'garant.db'}")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM ledger_entry WHERE seq = 2"))
    engine.dispose()
    result = runner.invoke(app, [*w, "audit", "verify", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert {"kind": "deleted", "seq": 2} in [
        {"kind": p["kind"], "seq": p["seq"]} for p in report["chain"]
    ]
