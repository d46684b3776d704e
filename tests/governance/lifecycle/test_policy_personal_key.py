"""``policy approve`` and ``policy publish`` need the person's own key when the policy lists
them in ``roles.require_personal_key_for``; refused attempts are ledger events."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import col, select
from typer.testing import CliRunner

from garant.cli.main import app
from garant.domain.models import LedgerEntry
from garant.errors import PolicyRefusal
from garant.governance.lifecycle import (
    approve_policy,
    list_versions,
    publish_policy,
    read_policy_file,
    workspace_policy_file,
)
from garant.governance.policy import PolicyStatus
from garant.signing.actions import signed_action_valid
from garant.signing.keys import create_person_key
from garant.store.engine import unit_of_work
from garant.workspace import Workspace

DAY = date(2026, 11, 23)
PASS = "phrase secrète 42"


def _require_key(workspace: Workspace, actions: str) -> None:
    path = workspace_policy_file(workspace)
    anchor = "  approve_policy: [referent_ia, dpo]\n"
    text = path.read_text(encoding="utf-8")
    assert anchor in text
    path.write_text(
        text.replace(anchor, f"{anchor}  require_personal_key_for: [{actions}]\n"),
        encoding="utf-8",
    )


def _events(workspace: Workspace, name: str) -> list[dict[str, object]]:
    with unit_of_work(workspace.engine) as session:
        entries = session.exec(
            select(LedgerEntry).where(LedgerEntry.event == name).order_by(col(LedgerEntry.seq))
        )
        return [json.loads(entry.payload) for entry in entries]


def test_policy_approval_and_publication_need_the_persons_own_key(populated: Workspace) -> None:
    _require_key(populated, "approve, publish")
    create_person_key(populated, "claire-martin", PASS, common_name="Claire Martin")
    with pytest.raises(PolicyRefusal) as no_key:
        approve_policy(populated, "claire-martin", DAY)
    assert no_key.value.rule == "roles.require_personal_key_for"
    with pytest.raises(PolicyRefusal, match="clé personnelle"):
        approve_policy(populated, "claire-martin", DAY, passphrase=lambda: "mauvaise")
    assert read_policy_file(workspace_policy_file(populated)).policy.status is PolicyStatus.DRAFT
    with unit_of_work(populated.engine) as session:
        assert list_versions(session) == []
    refused = _events(populated, "action_refused")
    assert [(r["action"], r["by"], r["rule"]) for r in refused] == [
        ("approve", "claire-martin", "roles.require_personal_key_for")
    ] * 2

    result = approve_policy(populated, "claire-martin", DAY, passphrase=lambda: PASS)
    assert result.row is not None
    [signed] = _events(populated, "action_signed")
    statement = signed["statement"]
    assert isinstance(statement, dict)
    assert (statement["action"], statement["by"]) == ("approve", "claire-martin")
    assert statement["target"] == result.policy.label and signed_action_valid(signed)

    # Denis (DPO) may publish by role, but has no key: refused and recorded.
    with pytest.raises(PolicyRefusal):
        publish_policy(populated, "denis-dpo", DAY, passphrase=lambda: PASS)
    assert _events(populated, "action_refused")[-1]["action"] == "publish"
    publish_policy(populated, "claire-martin", DAY, passphrase=lambda: PASS)
    assert read_policy_file(workspace_policy_file(populated)).policy.status is (
        PolicyStatus.PUBLISHED
    )
    assert [s["statement"]["action"] for s in _events(populated, "action_signed")] == [  # type: ignore[index]
        "approve",
        "publish",
    ]


def test_role_refusal_of_policy_approval_is_a_ledger_event(populated: Workspace) -> None:
    with pytest.raises(PolicyRefusal):
        approve_policy(populated, "agathe-agent", DAY)
    [refused] = _events(populated, "action_refused")
    assert (refused["action"], refused["by"], refused["rule"]) == (
        "approve",
        "agathe-agent",
        "policy.approve_role",
    )


def test_cli_policy_approve_reads_the_passphrase_from_the_environment(
    populated: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    _require_key(populated, "approve")
    create_person_key(populated, "claire-martin", PASS, common_name="Claire Martin")
    runner = CliRunner()
    w = ["-w", str(populated.root)]
    monkeypatch.setenv("CLE_CLAIRE", "mauvaise")
    refused = runner.invoke(
        app, [*w, "policy", "approve", "--by", "claire-martin", "--passphrase-env", "CLE_CLAIRE"]
    )
    assert refused.exit_code == 2 and "roles.require_personal_key_for" in refused.stderr
    monkeypatch.setenv("CLE_CLAIRE", PASS)
    approved = runner.invoke(
        app, [*w, "policy", "approve", "--by", "claire-martin", "--passphrase-env", "CLE_CLAIRE"]
    )
    assert approved.exit_code == 0, approved.stderr
    assert len(_events(populated, "action_signed")) == 1
