"""When the policy says so, a review or re-identification needs the person's own key."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlmodel import select
from typer.testing import CliRunner
from workspace_support import record_policy_approval

from garant.audit.run import audited_run
from garant.audit.verify import verify_workspace
from garant.cli.main import app
from garant.domain.models import AuditRun, LedgerEntry
from garant.signing.actions import signed_action_valid
from garant.signing.keys import create_person_key
from garant.store.engine import unit_of_work
from garant.workspace import Workspace

PASS = "phrase secrète 42"
runner = CliRunner()


@pytest.fixture
def keyed(audit_workspace: Workspace) -> Iterator[tuple[Workspace, str]]:
    path = audit_workspace.policies_dir / "politique.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  reidentify: [referent_ia, dpo]\n",
        "  reidentify: [referent_ia, dpo]\n  require_personal_key_for: [review, reidentify]\n",
    )
    path.write_text(text, encoding="utf-8")
    record_policy_approval(audit_workspace)  # the edited policy, approved again
    with audited_run(
        audit_workspace,
        use="affiches",
        kind="ask",
        operator="claire-martin",
        model_alias="hors-ligne",
    ) as run:
        run.add_output("sortie.md", "contenu")
    create_person_key(audit_workspace, "paul-lecteur", PASS, common_name="Paul Lecteur")
    yield audit_workspace, run.id


def _events(workspace: Workspace, name: str) -> list[dict[str, object]]:
    with unit_of_work(workspace.engine) as session:
        entries = session.exec(select(LedgerEntry).where(LedgerEntry.event == name))
        return [json.loads(entry.payload) for entry in entries]


def _review(workspace: Workspace, run_id: str, *extra: str) -> object:
    return runner.invoke(
        app,
        [
            "-w",
            str(workspace.root),
            "runs",
            "review",
            run_id,
            "--by",
            "paul-lecteur",
            "--decision",
            "approve",
            *extra,
        ],
    )


def test_review_with_the_right_passphrase_is_signed_in_the_ledger(
    keyed: tuple[Workspace, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace, run_id = keyed
    monkeypatch.setenv("PAUL_PASS", PASS)
    result = _review(workspace, run_id, "--passphrase-env", "PAUL_PASS")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    [signed] = _events(workspace, "action_signed")
    assert signed["statement"]["action"] == "review"  # type: ignore[index]
    assert signed["statement"]["by"] == "paul-lecteur"  # type: ignore[index]
    assert signed_action_valid(signed)
    forged = {**signed, "statement": {**signed["statement"], "by": "claire-martin"}}  # type: ignore[dict-item]
    assert not signed_action_valid(forged)
    assert verify_workspace(workspace, check_mlflow=False).ok


def test_review_with_a_wrong_passphrase_is_refused_and_recorded(
    keyed: tuple[Workspace, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace, run_id = keyed
    monkeypatch.setenv("PAUL_PASS", "pas la bonne phrase")
    result = _review(workspace, run_id, "--passphrase-env", "PAUL_PASS")
    assert result.exit_code == 2
    assert "roles.require_personal_key_for" in result.stderr  # type: ignore[attr-defined]
    with unit_of_work(workspace.engine) as session:
        run = session.get(AuditRun, run_id)
        assert run is not None and run.review_state == "pending"
    [refused] = _events(workspace, "action_refused")
    assert refused == {
        "action": "review",
        "by": "paul-lecteur",
        "rule": "roles.require_personal_key_for",
        "target": "",
    }
    assert _events(workspace, "action_signed") == []
    assert verify_workspace(workspace, check_mlflow=False).ok


def test_reidentification_without_a_key_is_refused_and_recorded(
    keyed: tuple[Workspace, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace, run_id = keyed
    monkeypatch.setenv("CLAIRE_PASS", PASS)
    result = runner.invoke(
        app,
        [
            "-w",
            str(workspace.root),
            "runs",
            "reidentify",
            run_id,
            "sortie.md",
            "--by",
            "claire-martin",
            "--passphrase-env",
            "CLAIRE_PASS",
        ],
    )
    assert result.exit_code == 2
    assert "pas de clé personnelle" in result.stderr
    [refused] = _events(workspace, "reidentification_refused")
    assert refused["rule"] == "roles.require_personal_key_for"
