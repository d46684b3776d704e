"""The policy gate refuses, before any model call, each case the policy forbids — and says why."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from garant.audit.run import audited_run
from garant.domain.models import AuditRun, LedgerEntry
from garant.errors import PolicyRefusal
from garant.llm.testing import RecordingGateway
from garant.llm.types import ChatMessage
from garant.store.engine import unit_of_work
from garant.workspace import Workspace


def _refused(workspace: Workspace, **request: str) -> PolicyRefusal:
    gateway = RecordingGateway()  # nothing queued: any model call would fail the test
    defaults = {"use": "affiches", "operator": "claire-martin", "model_alias": "hors-ligne"}
    with (
        pytest.raises(PolicyRefusal) as refusal,
        audited_run(workspace, kind="ask", gateway=gateway, **{**defaults, **request}),
    ):
        pytest.fail("the run body must not execute when the gate refuses")
    assert gateway.calls == []
    return refusal.value


@pytest.mark.parametrize(
    ("request_", "rule"),
    [
        ({"use": "usage-inconnu"}, "use.not_registered"),
        ({"use": "brouillon"}, "use.not_approved"),
        ({"model_alias": "eu-api", "tool": "examen"}, "tool.under_review"),
        ({"tool": "interdit"}, "tool.forbidden"),
        # Personal data (contributions with names) may not go to a provider outside the EU.
        ({"use": "synthese", "model_alias": "us-api"}, "data.personal.hosting"),
        # Special-category data goes to no hosted model, even in the EU.
        ({"use": "sante", "model_alias": "eu-api"}, "data.special.hosting"),
        ({"operator": "sans-role"}, "roles.run_analyses"),
        ({"operator": "personne-inconnue"}, "roles.run_analyses"),
        # The compliance reviewer reads; the default policy does not let that role run analyses.
        ({"operator": "paul-lecteur"}, "roles.run_analyses"),
    ],
)
def test_gate_refuses_with_the_rule_named(
    audit_workspace: Workspace, request_: dict[str, str], rule: str
) -> None:
    refusal = _refused(audit_workspace, **request_)
    assert refusal.rule == rule
    assert refusal.message and refusal.hint


def test_refusal_is_recorded_with_who_what_and_why(audit_workspace: Workspace) -> None:
    _refused(audit_workspace, use="synthese", model_alias="us-api")
    with unit_of_work(audit_workspace.engine) as session:
        run = session.exec(select(AuditRun)).one()
        entry = session.exec(select(LedgerEntry).where(LedgerEntry.event == "run_refused")).one()
    assert (run.status, run.operator_key) == ("refused", "claire-martin")
    # Both the contributions and the personal data of the use are refused outside the EU.
    assert run.refusal_rule.startswith("data.")
    assert "data.personal.hosting" in run.refusal_reason
    payload = json.loads(entry.payload)
    assert payload["use"] == "synthese" and payload["model_alias"] == "us-api"
    assert payload["hosting"] == "hosted_non_eu" and payload["allowed"] is False
    assert {r["rule"] for r in payload["refusals"]} >= {
        "data.personal.hosting",
        "data.public_contributions.hosting",
    }


def test_personal_data_may_go_to_an_eu_model_pseudonymised(audit_workspace: Workspace) -> None:
    gateway = RecordingGateway()
    gateway.enqueue("ok")
    with audited_run(
        audit_workspace,
        use="synthese",
        kind="ask",
        operator="claire-martin",
        model_alias="eu-api",
        gateway=gateway,
        pseudonymisation_mode="patterns",
    ) as run:
        assert run.pseudonymise_required
        run.complete([ChatMessage("user", "Écrire à jean.dupont@example.org")])
    assert "jean.dupont@example.org" not in gateway.calls[0].messages[0].content
    assert "<EMAIL_1>" in gateway.calls[0].messages[0].content


def test_policy_can_require_pseudonymisation_for_hosted_models_on_any_data(
    audit_workspace: Workspace,
) -> None:
    gateway = RecordingGateway()
    gateway.enqueue("ok")
    with audited_run(
        audit_workspace,
        use="affiches",
        kind="ask",
        operator="claire-martin",
        model_alias="eu-api",
        gateway=gateway,
        pseudonymisation_mode="patterns",
    ) as run:
        assert run.pseudonymise_required


def test_offline_model_on_data_without_personal_data_is_sent_as_is(
    audit_workspace: Workspace,
) -> None:
    with audited_run(
        audit_workspace,
        use="affiches",
        kind="ask",
        operator="claire-martin",
        model_alias="hors-ligne",
    ) as run:
        assert not run.pseudonymise_required


def test_run_with_a_weaker_pseudonymisation_mode_than_the_policy_is_refused(
    audit_workspace: Workspace,
) -> None:
    """Issue 10.5: the audited run hands the requested mode to the gate, which names the rule."""
    from garant.audit.policy_bridge import workspace_policy

    policy = workspace_policy(audit_workspace)
    strict = policy.model_copy(
        update={"data": [rule.model_copy(update={"minimum_mode": {}}) for rule in policy.data]}
    )
    gateway = RecordingGateway()
    with (
        pytest.raises(PolicyRefusal, match=r"data\.personal\.minimum_mode"),
        audited_run(
            audit_workspace,
            use="synthese",
            kind="ask",
            operator="claire-martin",
            model_alias="eu-api",
            gateway=gateway,
            policy=strict,
            pseudonymisation_mode="patterns",
        ),
    ):
        pass
    assert gateway.calls == []
