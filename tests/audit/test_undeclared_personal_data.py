"""A use declared without personal data does not switch detection off (issue 17.7): names,
phones and a NIR in its texts are pseudonymised and recorded, or refused, per the setting."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select
from workspace_support import record_policy_approval

from garant.audit.run import audited_run
from garant.domain.models import LedgerEntry
from garant.errors import PolicyRefusal
from garant.llm.testing import RecordingGateway
from garant.llm.types import ChatMessage
from garant.store.engine import unit_of_work
from garant.workspace import Workspace

FULL_OF_DATA = (
    "Affiche pour Mme Fatoumata Diallo, tél. 06 12 34 56 78, NIR 1 85 05 78 006 084 36, "
    "et M. Kévin Nguyen."
)


def _gate_payloads(workspace: Workspace, run_id: str) -> list[dict[str, object]]:
    with unit_of_work(workspace.engine) as session:
        entries = session.exec(
            select(LedgerEntry).where(
                LedgerEntry.run_id == run_id, LedgerEntry.event == "gate_decision"
            )
        )
        return [json.loads(entry.payload) for entry in entries]


def test_personal_data_in_a_use_declared_without_it_is_pseudonymised_and_recorded(
    audit_workspace: Workspace,
) -> None:
    gateway = RecordingGateway()
    gateway.enqueue("Une affiche sobre.")
    with audited_run(
        audit_workspace,
        use="affiches",
        kind="ask",
        operator="claire-martin",
        model_alias="hors-ligne",
        gateway=gateway,
        pseudonymisation_mode="patterns",
    ) as run:
        assert not run.pseudonymise_required
        run.complete([ChatMessage("user", FULL_OF_DATA)])
    sent = gateway.calls[0].messages[0].content
    for value in ("Diallo", "06 12 34 56 78", "1 85 05 78 006 084 36", "Nguyen"):
        assert value not in sent
    recorded = [
        p for p in _gate_payloads(audit_workspace, run.id) if "undeclared_personal_data" in p
    ]
    assert recorded and recorded[0]["action"] == "pseudonymise"
    summary = recorded[0]["undeclared_personal_data"]
    assert isinstance(summary, dict) and summary["counts"] == {
        "NIR": 1,
        "PERSONNE": 2,
        "TELEPHONE": 1,
    }
    assert "Diallo" not in json.dumps(recorded)


def test_refuse_setting_stops_the_call_naming_the_rule(audit_workspace: Workspace) -> None:
    policy = audit_workspace.policies_dir / "politique.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(
        text + "pseudonymisation:\n  undeclared_personal_data: refuse\n", encoding="utf-8"
    )
    record_policy_approval(audit_workspace)  # the policy's setting, once approved, governs
    gateway = RecordingGateway()
    with (
        pytest.raises(PolicyRefusal) as caught,
        audited_run(
            audit_workspace,
            use="affiches",
            kind="ask",
            operator="claire-martin",
            model_alias="hors-ligne",
            gateway=gateway,
            pseudonymisation_mode="patterns",
        ) as run,
    ):
        run.complete([ChatMessage("user", FULL_OF_DATA)])
    assert caught.value.rule == "data.undeclared_personal_data"
    assert gateway.calls == []


def test_text_without_personal_data_is_sent_as_written(audit_workspace: Workspace) -> None:
    gateway = RecordingGateway()
    gateway.enqueue("Une affiche sobre.")
    text = "Préparer une affiche pour la réunion publique du 4 décembre à la mairie."
    with audited_run(
        audit_workspace,
        use="affiches",
        kind="ask",
        operator="claire-martin",
        model_alias="hors-ligne",
        gateway=gateway,
        pseudonymisation_mode="patterns",
    ) as run:
        run.complete([ChatMessage("user", text)])
    assert gateway.calls[0].messages[0].content == text
    assert not [
        p for p in _gate_payloads(audit_workspace, run.id) if "undeclared_personal_data" in p
    ]
