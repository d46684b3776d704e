"""Roles enforced on every registry decision and a person on every change (issue 12, points
3 and 8): ``--by`` names the author, the policy's roles decide, refusals reach the ledger."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import Session, select
from typer.testing import CliRunner

from garant.cli.main import app
from garant.domain.models import AITool, LedgerEntry
from garant.workspace import open_workspace

runner = CliRunner()


def garant(root: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--workspace", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


def _team(root: Path) -> None:
    """Claire is the AI referent, Hugo an agent (may ask, may not decide or approve)."""
    assert garant(root, "people", "add", "Claire Martin")[0] == 0
    by = ("--by", "claire-martin")
    assert garant(root, "people", "add", "Hugo Petit", *by)[0] == 0
    for key, role in (("claire-martin", "referent_ia"), ("hugo-petit", "agent")):
        assert garant(root, "roles", "assign", key, role, "--from", "2025-01-01", *by)[0] == 0


def _ledger(root: Path, event: str) -> list[dict[str, object]]:
    workspace = open_workspace(root)
    try:
        with Session(workspace.engine) as session:
            rows = session.exec(select(LedgerEntry).where(LedgerEntry.event == event)).all()
            return [json.loads(row.payload) for row in rows]
    finally:
        workspace.close()


def test_agent_cannot_decide_his_own_arbitration_and_the_refusal_is_recorded(
    workspace_root: Path,
) -> None:
    _team(workspace_root)
    assert garant(workspace_root, "arbitration", "open", "Puis-je ?", "--by", "hugo-petit")[0] == 0
    code, _, err = garant(
        workspace_root, "arbitration", "decide", "1", "--decision", "Oui", "--by", "hugo-petit"
    )
    assert code == 2 and "roles.decide_arbitrations" in err and "Hugo Petit" in err
    [refusal] = _ledger(workspace_root, "decision_refused")
    assert refusal["rule"] == "roles.decide_arbitrations" and refusal["by"] == "hugo-petit"
    code, _, err = garant(
        workspace_root, "arbitration", "decide", "1", "--decision", "Non", "--by", "claire-martin"
    )
    assert code == 0, err


def test_referent_cannot_decide_the_question_she_asked(workspace_root: Path) -> None:
    _team(workspace_root)
    garant(workspace_root, "arbitration", "open", "Et moi ?", "--by", "claire-martin")
    code, _, err = garant(
        workspace_root, "arbitration", "decide", "1", "--decision", "Oui", "--by", "claire-martin"
    )
    assert code == 2 and "roles.decide_own_arbitration" in err


def test_registry_change_names_its_author_once_people_exist(workspace_root: Path) -> None:
    _team(workspace_root)
    code, _, err = garant(workspace_root, "tools", "add", "Albert", "--access", "api")
    assert code == 2 and "--by" in err and "nommer son auteur" in err
    code, _, err = garant(
        workspace_root, "tools", "add", "Albert", "--access", "api", "--by", "hugo-petit"
    )
    assert code == 0, err
    workspace = open_workspace(workspace_root)
    with Session(workspace.engine) as session:
        tool = session.exec(select(AITool)).one()
        assert (tool.created_by, tool.status) == ("hugo-petit", "under_review")
    workspace.close()


def test_only_an_authorised_role_approves_a_tool(workspace_root: Path) -> None:
    _team(workspace_root)
    garant(workspace_root, "tools", "add", "Albert", "--access", "api", "--by", "hugo-petit")
    code, _, err = garant(
        workspace_root, "tools", "set-status", "albert", "approved", "--by", "hugo-petit"
    )
    assert code == 2 and "roles.approve_tools" in err
    code, out, err = garant(
        workspace_root, "tools", "set-status", "albert", "approved", "--by", "claire-martin"
    )
    assert code == 0, err
    assert "Statut de Albert : approuvé" in out + err  # the label, not « approved »


def test_use_approval_checks_the_checklist_or_records_a_reasoned_override(
    workspace_root: Path,
) -> None:
    _team(workspace_root)
    by = ("--by", "claire-martin")
    garant(workspace_root, "tools", "add", "Albert", "--access", "api", "--region", "FR", *by)
    assert (
        garant(
            workspace_root,
            "uses",
            "add",
            "Assistant",
            "--purpose",
            "Répondre",
            "--stage",
            "collection",
            "--tool",
            "albert",
            "--data",
            "personal",
            "--key",
            "assistant",
            *by,
        )[0]
        == 0
    )
    code, _, err = garant(workspace_root, "uses", "set-status", "assistant", "approved", *by)
    assert code == 2 and "use.approval_checks" in err and "jamais commencée" in err
    code, _, err = garant(
        workspace_root, "uses", "set-status", "assistant", "approved", "--by", "hugo-petit"
    )
    assert code == 2 and "roles.approve_uses" in err
    code, _, err = garant(
        workspace_root,
        "uses",
        "set-status",
        "assistant",
        "approved",
        *by,
        "--override",
        "Expérimentation de deux semaines décidée en comité",
    )
    assert code == 0, err
    [override] = _ledger(workspace_root, "approval_override")
    assert override["approved_by"] == "claire-martin"
    assert override["reason"] == "Expérimentation de deux semaines décidée en comité"
    rules = [r["rule"] for r in _ledger(workspace_root, "decision_refused")]
    assert rules == ["use.approval_checks", "roles.approve_uses"]


def test_tool_status_that_contradicts_the_policy_is_flagged_and_shown_the_same_everywhere(
    workspace_root: Path,
) -> None:
    """Issue 12.2: a web app under review, while the policy forbids web apps, used to show
    « en cours d'examen » in ``tools show`` and « interdit » in the guide."""
    _team(workspace_root)
    by = ("--by", "claire-martin")
    code, out, err = garant(
        workspace_root, "tools", "add", "Chat X", "--access", "web_app", "--region", "US", *by
    )
    assert code == 0, err
    assert "selon la politique (tools.forbidden — accès : application web)" in out + err
    _, shown, _ = garant(workspace_root, "tools", "show", "chat-x")
    assert "en cours d'examen au registre — interdit par la politique" in shown
    code, _, err = garant(workspace_root, "tools", "set-status", "chat-x", "approved", *by)
    assert code == 2 and "tools.forbidden — accès : application web" in err
    assert [r["rule"] for r in _ledger(workspace_root, "decision_refused")] == [
        "tools.forbidden [access_mode:web_app]"
    ]
