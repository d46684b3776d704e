"""An audited run leaves a complete, truthful trail: MLflow, ledger, outputs — or a failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_openai import FakeOpenAIServer
from sqlmodel import select

from garant.audit.mlflow_mirror import flush_mirror
from garant.audit.policy_bridge import workspace_policy
from garant.audit.run import audited_run, tracker_for
from garant.audit.runs import reidentify_output
from garant.domain.inputs import ToolInput
from garant.domain.models import AuditRun, LedgerEntry
from garant.errors import PolicyRefusal
from garant.governance.tools import add_tool
from garant.llm.prompts import PromptTemplate
from garant.llm.testing import RecordingGateway
from garant.llm.types import ChatMessage
from garant.settings import ModelAlias
from garant.store.engine import unit_of_work
from garant.util.files import sha256_file
from garant.workspace import Workspace

TEMPLATE = PromptTemplate("test-synthese", "3", "Résume les contributions suivantes.")


def _events(workspace: Workspace, run_id: str) -> list[str]:
    with unit_of_work(workspace.engine) as session:
        return [
            e.event
            for e in session.exec(
                select(LedgerEntry).where(LedgerEntry.run_id == run_id).order_by(LedgerEntry.seq)
            )
        ]


def test_mlflow_holds_params_spans_metrics_and_artifacts(audit_workspace: Workspace) -> None:
    with audited_run(
        audit_workspace,
        use="affiches",
        kind="ask",
        operator="claire-martin",
        model_alias="hors-ligne",
        parameters={"seed": 7},
    ) as run:
        run.add_input(
            "consigne.txt", "Préparer une affiche pour la réunion publique du 4 décembre."
        )
        answer = run.complete(
            [
                ChatMessage("system", TEMPLATE.render()),
                ChatMessage(
                    "user", "La réunion publique aura lieu salle Jean Vilar. Le tram sera prolongé."
                ),
            ],
            template=TEMPLATE,
        )
        record = run.add_output("affiche.md", answer.text)
    assert flush_mirror(audit_workspace).sent == [run.id]
    tracker = tracker_for(audit_workspace)
    client = tracker.client()
    with unit_of_work(audit_workspace.engine) as session:
        row = session.get(AuditRun, run.id)
    assert row is not None and row.status == "finished"
    mlflow_run = client.get_run(row.mlflow_run_id)
    params = mlflow_run.data.params
    assert params["use"] == "affiches" and params["tool"] == "garant-hors-ligne"
    assert params["model_alias"] == "hors-ligne" and params["model"] == "offline/extractive-fr"
    assert params["provider"] == "garant hors ligne" and params["hosting"] == "offline"
    assert params["temperature"] == "0.0" and params["param.seed"] == "7"
    assert params["policy_version"] == "politique-test v2" and params["garant_version"]
    assert params["prompt.test-synthese"] == f"v3 sha256:{TEMPLATE.sha256}"
    assert "non estimé" in params["impact_source"]
    metrics = mlflow_run.data.metrics
    assert metrics["model_calls"] == 1 and metrics["completion_tokens"] > 0
    assert metrics["cost_usd"] == 0.0  # the offline provider is truly free
    assert "energy_kwh" not in metrics  # unknown is not logged as zero
    assert mlflow_run.info.status == "FINISHED"
    assert mlflow_run.data.tags["garant.status"] == "finished"
    artifacts = {a.path for a in client.list_artifacts(row.mlflow_run_id)}
    assert {"inputs", "outputs", "run.json"} <= artifacts
    local = Path(client.download_artifacts(row.mlflow_run_id, "outputs/affiche.md"))
    assert sha256_file(local) == record.sha256 == row.output_hashes["affiche.md"]
    import mlflow

    traces = mlflow.search_traces(locations=[tracker.experiment_id()], return_type="list")
    spans = [span for trace in traces for span in trace.data.spans]
    llm_span = next(span for span in spans if span.name == "ask:hors-ligne")
    assert llm_span.inputs["messages"][1]["content"].startswith("La réunion publique")
    assert llm_span.inputs["template"]["prompt_sha256"] == TEMPLATE.sha256
    assert llm_span.outputs["text"] == answer.text
    assert _events(audit_workspace, run.id) == [
        "gate_decision",
        "run_started",
        "input",
        "model_call_intent",
        "model_call",
        "output",
        "run_finished",
        "mlflow_mirrored",
    ]


def test_failed_run_is_marked_failed_and_leaves_no_partial_output(
    audit_workspace: Workspace,
) -> None:
    with (
        pytest.raises(ZeroDivisionError),
        audited_run(
            audit_workspace,
            use="affiches",
            kind="ask",
            operator="claire-martin",
            model_alias="hors-ligne",
        ) as run,
    ):
        run.add_output("partiel.md", "début du résultat")
        _ = 1 / 0
    flush_mirror(audit_workspace)
    with unit_of_work(audit_workspace.engine) as session:
        row = session.get(AuditRun, run.id)
    assert row is not None
    assert row.status == "failed" and "ZeroDivisionError" in row.error
    assert row.output_hashes == {}
    folder = audit_workspace.runs_dir / run.id
    assert sorted(p.name for p in folder.iterdir()) == ["FAILED.json"]
    assert json.loads((folder / "FAILED.json").read_text())["status"] == "failed"
    assert _events(audit_workspace, run.id)[-2:] == ["run_failed", "mlflow_mirrored"]
    mlflow_run = tracker_for(audit_workspace).client().get_run(row.mlflow_run_id)
    assert mlflow_run.info.status == "FAILED"
    assert "ZeroDivisionError" in mlflow_run.data.tags["garant.error"]


FAKE_KEY = "sk-garant-FAUSSE-CLE-ne-doit-jamais-etre-enregistree-7731"


def test_api_key_never_reaches_mlflow_ledger_or_files(
    audit_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = FakeOpenAIServer().start()
    try:
        monkeypatch.setenv("GARANT_TEST_KEY", FAKE_KEY)
        audit_workspace.settings.models["serveur-local"] = ModelAlias(
            model="openai/modele-test",
            api_base=server.base_url,
            api_key_env="GARANT_TEST_KEY",
            provider_label="serveur compatible OpenAI (test)",
            hosting_region="FR",
            max_retries=0,
        )
        with unit_of_work(audit_workspace.engine) as session:
            tool = add_tool(
                session,
                ToolInput(
                    name="Serveur local",
                    access_mode="api",
                    hosting_region="FR",
                    status="approved",
                    model_alias="serveur-local",
                ),
                "t",
            )
            from garant.domain.models import AIUseTool
            from garant.governance.lookup import find_use

            session.add(
                AIUseTool(use_id=find_use(session, "affiches").id or 0, tool_id=tool.id or 0)
            )
        with audited_run(
            audit_workspace,
            use="affiches",
            kind="ask",
            operator="claire-martin",
            model_alias="serveur-local",
            pseudonymisation_mode="patterns",
        ) as run:
            answer = run.complete([ChatMessage("user", "Bonjour")])
            run.add_output("reponse.md", answer.text)
        assert server.requests[0].headers.get("Authorization") == f"Bearer {FAKE_KEY}"
    finally:
        server.stop()
    flush_mirror(audit_workspace)
    for path in audit_workspace.root.rglob("*"):
        if path.is_file():
            assert FAKE_KEY.encode() not in path.read_bytes(), path


def test_reidentification_round_trips_locally_for_an_authorised_role(
    audit_workspace: Workspace,
) -> None:
    gateway = RecordingGateway()
    gateway.enqueue("<PERSONNE_1> demande un arrêt de bus ; la répondre à <EMAIL_1>.")
    text = "Mme Fatoumata Diallo demande un arrêt de bus. Écrire à fatoumata.diallo@example.org."
    with audited_run(
        audit_workspace,
        use="synthese",
        kind="ask",
        operator="claire-martin",
        model_alias="eu-api",
        gateway=gateway,
        pseudonymisation_mode="full",
    ) as run:
        answer = run.complete([ChatMessage("user", text)])
        run.add_output("reponse.md", answer.text)
    sent = gateway.calls[0].messages[0].content
    assert "Diallo" not in sent and "fatoumata.diallo@example.org" not in sent
    mapping_file = audit_workspace.private_dir / "runs" / run.id / "pseudonymes.json"
    assert mapping_file.stat().st_mode & 0o077 == 0
    with unit_of_work(audit_workspace.engine) as session:
        restored = reidentify_output(
            session,
            audit_workspace,
            run.id,
            "reponse.md",
            "claire-martin",
            workspace_policy(audit_workspace),
        )
    assert "Fatoumata Diallo" in restored and "fatoumata.diallo@example.org" in restored
    with pytest.raises(PolicyRefusal), unit_of_work(audit_workspace.engine) as session:
        reidentify_output(
            session,
            audit_workspace,
            run.id,
            "reponse.md",
            "paul-lecteur",
            workspace_policy(audit_workspace),
        )
    assert _events(audit_workspace, run.id)[-1] == "reidentification"
    flush_mirror(audit_workspace)
    mlflow_bytes = b"".join(
        p.read_bytes() for p in (audit_workspace.root / "mlflow").rglob("*") if p.is_file()
    )
    assert b"Diallo" not in mlflow_bytes


def test_unreachable_mlflow_leaves_the_run_recorded_and_queued(
    audit_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from garant.audit.verify import verify_workspace

    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "2")
    monkeypatch.setenv("GARANT_MLFLOW_MIRROR", "inline")  # tries to send at the run's end
    audit_workspace.settings.mlflow_tracking_uri = "http://127.0.0.1:9"  # nothing listens
    with audited_run(
        audit_workspace,
        use="affiches",
        kind="ask",
        operator="claire-martin",
        model_alias="hors-ligne",
    ) as run:
        run.add_output("affiche.md", "Réunion publique jeudi.")
    with unit_of_work(audit_workspace.engine) as session:
        row = session.get(AuditRun, run.id)
    assert row is not None and row.status == "finished"
    assert _events(audit_workspace, run.id)[-1] == "run_finished"
    assert list(flush_mirror(audit_workspace).failed) == [run.id]  # still unreachable
    report = verify_workspace(audit_workspace)
    assert report.ok and report.mlflow_pending == [run.id]
