"""Only the approved policy governs: the recorded version (by its SHA-256), never the file as
edited afterwards; an edited file is a draft until validated and approved (issue 17, point 1)."""

from __future__ import annotations

from datetime import date

import pytest

from garant.audit.policy_bridge import workspace_policy, workspace_policy_in_force
from garant.errors import ConflictError, PolicyRefusal
from garant.governance.lifecycle import (
    approve_policy,
    list_versions,
    new_policy_version,
    publish_policy,
    workspace_policy_file,
)
from garant.governance.policy import Hosting, PolicyStatus, RunRequest, evaluate_run_request
from garant.store.engine import unit_of_work
from garant.util.files import sha256_bytes
from garant.workspace import Workspace

DAY = date(2026, 11, 23)


def _us_request() -> RunRequest:
    return RunRequest(
        use_key="synthese-us",
        use_status="approved",
        tool_key="openai-api",
        tool_status="approved",
        hosting=Hosting.HOSTED_NON_EU,
        data_categories=frozenset({"personal"}),
        operator="Agathe Agent",
        operator_roles=frozenset({"agent"}),
        analysis_kind="ask",
        tool_access_mode="api",
    )


def _edit_to_allow_us_tool(workspace: Workspace) -> None:
    path = workspace_policy_file(workspace)
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "  allowed:\n", '  allowed:\n    - key: openai-api\n      reason: "ajout non approuvé"\n'
    ).replace(
        "  - category: personal\n    hosting: [offline, local, hosted_fr, hosted_eu]",
        "  - category: personal\n    hosting: [offline, local, hosted_fr, hosted_eu, hosted_non_eu]",
    )
    path.write_text(text, encoding="utf-8")


def test_gate_refuses_edited_policy_until_approved(populated: Workspace) -> None:
    approve_policy(populated, "claire-martin", DAY)
    approved_sha = sha256_bytes(workspace_policy_file(populated).read_bytes())
    _edit_to_allow_us_tool(populated)

    in_force = workspace_policy_in_force(populated)
    assert in_force.governing_sha256 == approved_sha != in_force.file_sha256
    assert not in_force.file_is_in_force
    governing = workspace_policy(populated)
    assert "hosted_non_eu" not in {h.value for h in governing.data_rule("personal").hosting}
    decision = evaluate_run_request(governing, _us_request())
    assert "tools.not_allowed" in decision.rules and "data.personal.hosting" in decision.rules
    with pytest.raises(PolicyRefusal) as refused:
        decision.raise_if_refused()
    message = refused.value.message
    assert "version approuvée politique-ia-collectivite v1" in message
    assert approved_sha[:16] in message and in_force.file_sha256[:16] in message
    assert "projet" in message


def test_edited_policy_governs_once_approved_as_a_new_version(populated: Workspace) -> None:
    approve_policy(populated, "claire-martin", DAY)
    _edit_to_allow_us_tool(populated)
    new_policy_version(populated)
    assert workspace_policy(populated).version == 1  # the v2 draft does not govern yet
    approve_policy(populated, "claire-martin", DAY)
    governing = workspace_policy(populated)
    assert (governing.version, governing.status) == (2, PolicyStatus.APPROVED)
    assert evaluate_run_request(governing, _us_request()).allowed


def test_file_claiming_approval_without_a_recorded_one_is_a_draft(populated: Workspace) -> None:
    path = workspace_policy_file(populated)
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: draft", "status: approved"),
        encoding="utf-8",
    )
    governing = workspace_policy(populated)
    assert governing.status is PolicyStatus.DRAFT
    decision = evaluate_run_request(governing, _us_request())
    assert "policy.not_in_force" in decision.rules
    assert "aucune approbation" in decision.note_fr
    # It can still be approved properly, and then governs.
    approve_policy(populated, "claire-martin", DAY)
    assert workspace_policy(populated).status is PolicyStatus.APPROVED


def test_publishing_an_edited_approved_file_is_refused(populated: Workspace) -> None:
    approve_policy(populated, "claire-martin", DAY)
    _edit_to_allow_us_tool(populated)
    with pytest.raises(ConflictError, match="modifié depuis l'approbation"):
        publish_policy(populated, "claire-martin", DAY)


def test_approve_and_history_show_the_same_hash_after_publication(populated: Workspace) -> None:
    approved = approve_policy(populated, "claire-martin", DAY)
    assert approved.row is not None
    approved_sha = approved.row.sha256
    publish_policy(populated, "claire-martin", DAY)
    with unit_of_work(populated.engine) as session:
        [row] = list_versions(session)
    assert (row.status, row.sha256) == ("published", approved_sha)
    # The published file (status line changed) still governs: garant wrote it.
    assert workspace_policy_in_force(populated).file_is_in_force
    assert workspace_policy(populated).status is PolicyStatus.PUBLISHED
