"""``garant policy`` end to end: adopt, validate, approve (and its refusals), publish,
new-version, diff, history, acknowledge, acknowledgements."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from garant.cli.main import app

runner = CliRunner()


def garant(root: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--workspace", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


def _people(root: Path) -> None:
    assert garant(root, "people", "add", "Claire Martin")[0] == 0  # first person: nobody to name
    by = ("--by", "claire-martin")
    assert garant(root, "people", "add", "Agathe Agent", *by)[0] == 0
    for key, role in (("claire-martin", "referent_ia"), ("agathe-agent", "agent")):
        assert garant(root, "roles", "assign", key, role, "--from", "2025-01-01", *by)[0] == 0


def test_validate_reports_file_line_and_field(workspace_root: Path, tmp_path: Path) -> None:
    code, out, _ = garant(workspace_root, "policy", "validate")
    assert code == 0 and "valide" in out
    broken = tmp_path / "cassee.yaml"
    text = (workspace_root / "policies" / "politique.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("run_records_months: 36", "run_records_months: -1"), "utf-8")
    code, out, err = garant(workspace_root, "policy", "validate", str(broken))
    assert code == 2
    assert "cassee.yaml" in err and "ligne" in err and "run_records_months" in err
    assert "Traceback" not in out + err


def test_adopt_refuses_overwrite_then_force_replaces(workspace_root: Path) -> None:
    code, _, err = garant(workspace_root, "policy", "adopt", "enquete")
    assert code == 2 and "--force" in err
    code, _, err = garant(workspace_root, "policy", "adopt", "enquete", "--force")
    assert code == 0, err
    _, out, _ = garant(workspace_root, "policy", "show", "--json")
    shown = json.loads(out)
    assert shown["organisation"] == {"kind": "enquete", "name": "Métropole Exemple"}
    assert shown["status"] == "draft" and len(shown["sha256"]) == 64


def test_agent_cannot_approve_referent_can_and_lifecycle_follows(workspace_root: Path) -> None:
    _people(workspace_root)
    code, _, err = garant(workspace_root, "policy", "approve", "--by", "agathe-agent")
    assert code == 2 and "ne peut pas approuver" in err
    code, _, err = garant(workspace_root, "policy", "publish", "--by", "claire-martin")
    assert code == 2 and "« draft »" in err  # a draft cannot be published
    assert garant(workspace_root, "policy", "approve", "--by", "claire-martin")[0] == 0
    assert garant(workspace_root, "policy", "publish", "--by", "claire-martin")[0] == 0
    _, out, _ = garant(workspace_root, "policy", "show")
    assert "publiée" in out and "Approuvée par Claire Martin" in out
    assert garant(workspace_root, "policy", "new-version")[0] == 0
    path = workspace_root / "policies" / "politique.yaml"
    path.write_text(
        path.read_text("utf-8").replace("run_records_months: 36", "run_records_months: 24"),
        "utf-8",
    )
    assert garant(workspace_root, "policy", "approve", "--by", "claire-martin")[0] == 0
    code, out, err = garant(workspace_root, "policy", "publish", "--by", "claire-martin")
    assert code == 0 and "remplacée" in err
    _, out, _ = garant(workspace_root, "policy", "diff", "1", "2")
    assert "36 → 24" in out
    _, out, _ = garant(workspace_root, "policy", "history", "--json")
    assert [(v["version"], v["status"]) for v in json.loads(out)] == [
        (1, "superseded"),
        (2, "published"),
    ]


def test_acknowledgements_show_who_has_not_read_the_current_version(workspace_root: Path) -> None:
    _people(workspace_root)
    garant(workspace_root, "policy", "approve", "--by", "claire-martin")
    garant(workspace_root, "policy", "publish", "--by", "claire-martin")
    code, _, err = garant(workspace_root, "policy", "acknowledge", "agathe-agent")
    assert code == 0, err
    code, _, err = garant(
        workspace_root, "policy", "acknowledge", "agathe-agent", "--document", "x"
    )
    assert code == 2 and "internal" in err
    code, out, err = garant(workspace_root, "policy", "acknowledgements")
    assert code == 0 and "1 personne(s) n'ont pas confirmé" in err
    _, out, _ = garant(workspace_root, "policy", "acknowledgements", "--json")
    rows = {r["person"]: r for r in json.loads(out)}
    assert rows["agathe-agent"]["read_current"] and rows["agathe-agent"]["internal_version"] == 1
    assert not rows["claire-martin"]["read_current"]
    code, out, _ = garant(workspace_root, "audit", "verify")
    assert code == 0, out


def test_diff_of_two_files(workspace_root: Path, tmp_path: Path) -> None:
    before = workspace_root / "policies" / "politique.yaml"
    after = tmp_path / "v2.yaml"
    after.write_text(
        before.read_text("utf-8").replace("every_months: 12", "every_months: 6"), "utf-8"
    )
    code, out, _ = garant(workspace_root, "policy", "diff", str(before), str(after))
    assert code == 0 and "12 → 6" in out
