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
            "--households",
            "primary_address1,primary_zip",
            "--seed",
            "12 25 31 40 44 / 7",
        ],
    )
    assert ok.exit_code == 0, ok.stdout

    # A second draw of the same lottery (seed shopping) is refused, naming the first draw.
    second = runner.invoke(
        app,
        [
            *w,
            "sortition",
            "draw",
            lottery_run,
            "--seed",
            "1 2 3 4 5 / 6 7",
            "--use",
            "panel",
            "--by",
            "hugo-petit",
        ],
    )
    assert second.exit_code == 2
    assert "déjà été tirée" in second.stderr and draw["run_id"] in second.stderr
    # A reasoned redraw is a separate act that names the first draw.
    redrawn = runner.invoke(
        app,
        [
            *w,
            "sortition",
            "redraw",
            lottery_run,
            "--replaces",
            draw["run_id"],
            "--reason",
            "désistement d'un membre",
            "--seed",
            "3 9 14 / 2",
            "--use",
            "panel",
            "--by",
            "hugo-petit",
            "--json",
        ],
    )
    assert redrawn.exit_code == 0, redrawn.stderr
    redraw = json.loads(redrawn.stdout)
    runs = json.loads(runner.invoke(app, [*w, "runs", "list", "--json"]).stdout)
    assert next(r for r in runs if r["id"] == redraw["run_id"])["kind"] == "sortition-redraw"
    third = runner.invoke(
        app,
        [
            *w,
            "sortition",
            "redraw",
            lottery_run,
            "--replaces",
            draw["run_id"],
            "--reason",
            "x",
            "--seed",
            "4 / 5",
            "--use",
            "panel",
            "--by",
            "hugo-petit",
        ],
    )
    assert third.exit_code == 2 and redraw["run_id"] in third.stderr

    # A citizen verifies in an empty folder holding only the published files.
    citizen = sortition_root.parent / "citoyen"
    exported = runner.invoke(app, [*w, "sortition", "publish", redraw["run_id"], str(citizen)])
    assert exported.exit_code == 0, exported.stderr
    assert sorted(p.name for p in citizen.iterdir()) == sorted(
        ["commitment.json", "draw.json", "lottery.json", "quotas.csv", "verification.csv"]
    )
    assert b"primary_address1" not in b"".join(p.read_bytes() for p in citizen.iterdir())
    checked = runner.invoke(app, ["sortition", "verify", str(citizen), "--seed", "3 9 14 / 2"])
    assert checked.exit_code == 0, checked.stdout
    assert "désistement d'un membre" in checked.stdout
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


def test_a_missing_quotas_file_is_refused_before_any_run_starts(sortition_root: Path) -> None:
    w = ["-w", str(sortition_root)]
    outcome = runner.invoke(
        app,
        [
            *w,
            "sortition",
            "run",
            str(SHARED / "people.csv"),
            str(sortition_root / "absent.csv"),
            "--k",
            "22",
            "--use",
            "panel",
            "--by",
            "hugo-petit",
        ],
    )
    assert outcome.exit_code == 2
    assert "absent.csv" in outcome.stderr and "Traceback" not in outcome.stderr
    runs = json.loads(runner.invoke(app, [*w, "runs", "list", "--json"]).stdout)
    assert runs == []


def test_run_takes_the_id_column_and_prints_json(sortition_root: Path, tmp_path: Path) -> None:
    pool = tmp_path / "dossiers.csv"
    lines = (SHARED / "people.csv").read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("nationbuilder_id", "numero_dossier", 1)
    lines[1:] = [f"D-{line[1:]}" for line in lines[1:]]  # p17,... -> D-17,...
    pool.write_text("\n".join(lines) + "\n", encoding="utf-8")
    w = ["-w", str(sortition_root)]
    outcome = runner.invoke(
        app,
        [
            *w,
            "sortition",
            "run",
            str(pool),
            str(SHARED / "features.csv"),
            "--k",
            "22",
            "--use",
            "panel",
            "--by",
            "hugo-petit",
            "--algorithm",
            "maximin",
            "--id-column",
            "numero_dossier",
            "--panels",
            "50",
            "--json",
        ],
    )
    assert outcome.exit_code == 0, outcome.stderr
    data = json.loads(outcome.stdout)
    assert data["optimal"] is True and data["lottery"]["m"] == 50
    assert data["lottery"]["min"] <= data["exact"]["min"] + 0.05
    lottery = json.loads((Path(data["folder"]) / "lottery.json").read_text(encoding="utf-8"))
    ids = {p for panel in lottery["panels"] for p in panel}
    assert ids and all(p.startswith("D-") for p in ids)


def test_a_zip_file_is_refused_as_a_pool_with_exit_2(workspace_root: Path, tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "vivier.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("vivier.csv", "id,sexe\nV1,Femme\n")
    outcome = runner.invoke(
        app, ["-w", str(workspace_root), "sortition", "pools", "add", "vivier", str(archive)]
    )
    assert outcome.exit_code == 2
    assert "archive zip" in outcome.stderr and "0 personnes" not in outcome.stdout
    listed = runner.invoke(app, ["-w", str(workspace_root), "sortition", "pools", "list", "--json"])
    assert json.loads(listed.stdout) == []
