"""Sortition through audited runs and the CLI: publish, draw with a public seed, verify."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from workspace_support import SHARED_DATA, adopt_test_policy, require_shared, run_cli

from garant.cli.main import app

SHARED = SHARED_DATA / "sortition" / "households_150_22"
runner = CliRunner()


@pytest.fixture
def sortition_root(workspace_root: Path) -> Path:
    require_shared(SHARED)
    adopt_test_policy(workspace_root)
    run_cli(
        workspace_root,
        'people add "Hugo Petit"',
        "roles assign hugo-petit referent_ia --from 01/01/2025 --by hugo-petit",
        'tools add "Tirage garant" --key tirage --access local --region local --status approved '
        "--by hugo-petit",
        'uses add "Panel citoyen" --key panel --purpose "Tirer au sort un panel" --stage design '
        "--tool tirage --data personal --status approved --by hugo-petit "
        '--override "essai automatisé : pas de liste de contrôle"',
    )
    return workspace_root


def test_publish_draw_and_verify_through_the_cli(sortition_root: Path) -> None:
    w = ["-w", str(sortition_root)]
    registered = runner.invoke(
        app, [*w, "sortition", "pools", "add", "Vivier 2026", str(SHARED / "people.csv")]
    )
    assert registered.exit_code == 0, registered.stderr
    pools = json.loads(runner.invoke(app, [*w, "sortition", "pools", "list", "--json"]).stdout)
    assert [(p["name"], p["people"]) for p in pools] == [("vivier-2026", 150)]
    published = runner.invoke(
        app,
        [
            *w,
            "sortition",
            "run",
            "vivier-2026",
            str(SHARED / "features.csv"),
            "--k",
            "22",
            "--use",
            "panel",
            "--by",
            "hugo-petit",
            "--algorithm",
            "maximin",
            "--households",
            "primary_address1,primary_zip",
            "--panels",
            "200",
        ],
    )
    assert published.exit_code == 0, published.stderr
    runs = json.loads(runner.invoke(app, [*w, "runs", "list", "--json"]).stdout)
    lottery_run = runs[0]["id"]
    assert runs[0]["kind"] == "sortition" and runs[0]["ai_involvement"] == "none"
    folder = sortition_root / "runs" / lottery_run
    assert {"lottery.json", "commitment.json", "rapport.md", "rapport.html", "rapport.pdf"} <= {
        p.name for p in folder.iterdir()
    }
    # The volunteers' file is hashed, never copied into MLflow.
    assert runs[0]["input_hashes"]["vivier.csv"]
    mlflow_bytes = b"".join(
        p.read_bytes() for p in (sortition_root / "mlflow").rglob("*") if p.is_file()
    )
    assert b"email0" not in mlflow_bytes and b"mobile_number0" not in mlflow_bytes
    assert b"primary_address10" not in mlflow_bytes

    drawn = runner.invoke(
        app,
        [
            *w,
            "sortition",
            "draw",
            lottery_run,
            "--seed",
            "12 25 31 40 44 / 7",
            "--use",
            "panel",
            "--by",
            "hugo-petit",
            "--json",
        ],
    )
    assert drawn.exit_code == 0, drawn.stderr
    draw = json.loads(drawn.stdout)
    assert len(draw["panel"]) == 22
    draw_folder = Path(draw["folder"])
    report = (draw_folder / "rapport.md").read_text(encoding="utf-8")
    assert "Mention relative à l'IA" in report and "non applicable" in report

    ok = runner.invoke(
        app,
        [
            "sortition",
            "verify",
            str(draw_folder),
            "--pool",
            str(SHARED / "people.csv"),
            "--quotas",
            str(SHARED / "features.csv"),
            "--seed",
            "12 25 31 40 44 / 7",
        ],
    )
    assert ok.exit_code == 0, ok.stdout
    wrong_seed = runner.invoke(
        app,
        [
            "sortition",
            "verify",
            str(draw_folder),
            "--pool",
            str(SHARED / "people.csv"),
            "--quotas",
            str(SHARED / "features.csv"),
            "--seed",
            "1 2 3 4 5 / 6",
        ],
    )
    assert wrong_seed.exit_code == 1
    verified = runner.invoke(app, [*w, "audit", "verify"])
    assert verified.exit_code == 0, verified.stdout
