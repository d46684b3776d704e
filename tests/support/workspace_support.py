"""Setting up test workspaces through the CLI, as a user would (tests/support is on pythonpath)."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from garant.cli.main import app
from garant.workspace import Workspace

TESTS = Path(__file__).resolve().parents[1]
TEST_POLICY = TESTS / "audit" / "politique-test.yaml"
SHARED_DATA = TESTS.parent / ".." / "shared" / "data"


def require_shared(path: Path) -> Path:
    """The shared sample data, which CI always has beside the clone: missing there is a failure,
    elsewhere a skip with the reason."""
    import os

    import pytest

    if not path.exists():
        reason = f"données partagées absentes : {path}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def adopt_test_policy(root: Path) -> None:
    """Install the approved test policy (tools not listed are allowed) in the workspace, with
    its approval recorded in the store (a file alone governs nothing)."""
    from garant.workspace import open_workspace

    shutil.copy(TEST_POLICY, root / "policies" / "politique.yaml")
    workspace = open_workspace(root)
    try:
        record_policy_approval(workspace)
    finally:
        workspace.close()


def record_policy_approval(workspace: Workspace) -> None:
    """Record the workspace's policy file as approved, as ``garant policy approve`` would have
    (the test policy ships already approved, so there is no draft to approve). Called again after
    a test edits the file, the recorded version takes the edited text."""
    from datetime import date

    from sqlmodel import select

    from garant.domain.policy_models import PolicyVersion
    from garant.governance.policy import load_policy
    from garant.store.engine import unit_of_work
    from garant.util.files import sha256_bytes

    path = workspace.policies_dir / "politique.yaml"
    text = path.read_text(encoding="utf-8")
    policy = load_policy(path)
    with unit_of_work(workspace.engine) as session:
        recorded = session.exec(
            select(PolicyVersion).where(
                PolicyVersion.policy_id == policy.id, PolicyVersion.version == policy.version
            )
        ).first()
        if recorded is not None:
            recorded.text = text
            recorded.sha256 = sha256_bytes(text.encode("utf-8"))
            session.add(recorded)
            return
        session.add(
            PolicyVersion(
                policy_id=policy.id,
                version=policy.version,
                status=policy.status.value,
                title=policy.title,
                sha256=sha256_bytes(text.encode("utf-8")),
                text=text,
                approved_by_name="Suite de tests",
                approved_role="referent_ia",
                approved_on=date(2025, 1, 1),
                created_by="tests",
                updated_by="tests",
            )
        )


def run_cli(root: Path, *commands: str) -> None:
    """Run garant commands (shell-like strings) on the workspace; each must succeed."""
    runner = CliRunner()
    for command in commands:
        result = runner.invoke(app, ["-w", str(root), *shlex.split(command)])
        assert result.exit_code == 0, f"{command}: {result.stderr}"


def gate_decisions(workspace: Workspace, run_id: str) -> list[dict[str, Any]]:
    """The payloads of a run's ``gate_decision`` ledger entries, in ledger order."""
    import json

    from sqlmodel import col, select

    from garant.domain.models import LedgerEntry
    from garant.store.engine import unit_of_work

    with unit_of_work(workspace.engine) as session:
        entries = session.exec(
            select(LedgerEntry)
            .where(LedgerEntry.run_id == run_id, LedgerEntry.event == "gate_decision")
            .order_by(col(LedgerEntry.seq))
        )
        return [json.loads(entry.payload) for entry in entries]
