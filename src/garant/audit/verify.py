"""``garant audit verify``: recompute the ledger chain and check outputs against their hashes."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import col, select

from garant.audit.ledger import ChainProblem, read_head, verify_chain
from garant.audit.run import ledger_anchor, tracker_for
from garant.domain.models import AuditRun, LedgerEntry
from garant.i18n import tr
from garant.store.engine import unit_of_work
from garant.util.files import sha256_file
from garant.workspace import Workspace

__all__ = ["OutputProblem", "VerificationReport", "verify_workspace"]


@dataclass(frozen=True)
class OutputProblem:
    run_id: str
    output: str
    message: str


@dataclass
class VerificationReport:
    entries: int = 0
    outputs_checked: int = 0
    mlflow_checked: int = 0
    chain: list[ChainProblem] = field(default_factory=list)
    outputs: list[OutputProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.chain and not self.outputs


def verify_workspace(workspace: Workspace, check_mlflow: bool = True) -> VerificationReport:
    with unit_of_work(workspace.engine) as session:
        entries = list(session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq))))
        runs = {run.id: run for run in session.exec(select(AuditRun))}
    report = VerificationReport(entries=len(entries))
    report.chain = verify_chain(entries, read_head(ledger_anchor(workspace)))
    tracker = tracker_for(workspace) if check_mlflow else None
    untrusted = {problem.seq for problem in report.chain if problem.kind == "modified"}
    for entry in entries:
        if entry.event != "output" or entry.seq in untrusted:
            continue  # a modified entry is already reported; its content cannot be trusted
        payload = _payload(entry)
        if payload is None:
            continue
        run = runs.get(entry.run_id)
        problem = _check_output(workspace, entry.run_id, payload, run)
        report.outputs_checked += 1
        if problem:
            report.outputs.append(problem)
        if (
            tracker is not None
            and run is not None
            and payload.get("mlflow")
            and run.status == "finished"
        ):
            report.mlflow_checked += 1
            problem = _check_mlflow(tracker, run, payload)
            if problem:
                report.outputs.append(problem)
    return report


def _payload(entry: LedgerEntry) -> dict[str, object] | None:
    try:
        payload = json.loads(entry.payload)
    except ValueError:
        return None
    if not isinstance(payload, dict) or "name" not in payload or "sha256" not in payload:
        return None
    return payload


def _check_output(
    workspace: Workspace, run_id: str, payload: dict[str, object], run: AuditRun | None
) -> OutputProblem | None:
    name, expected = str(payload["name"]), str(payload["sha256"])
    if run is None:
        return OutputProblem(
            run_id, name, tr("exécution absente de la base", "run missing from the database")
        )
    if run.status != "finished":
        return None  # failed runs keep no output by design
    if run.output_hashes.get(name) != expected:
        return OutputProblem(
            run_id,
            name,
            tr(
                "l'empreinte en base diffère du registre",
                "the database hash differs from the ledger",
            ),
        )
    path = workspace.runs_dir / run_id / name
    if not path.is_file():
        return OutputProblem(
            run_id, name, tr("fichier de sortie absent : {p}", "output file missing: {p}", p=path)
        )
    if sha256_file(path) != expected:
        return OutputProblem(
            run_id,
            name,
            tr(
                "fichier modifié depuis l'exécution : {p}",
                "file modified since the run: {p}",
                p=path,
            ),
        )
    return None


def _check_mlflow(
    tracker: object, run: AuditRun, payload: dict[str, object]
) -> OutputProblem | None:
    from garant.audit.tracking import MlflowTracker

    assert isinstance(tracker, MlflowTracker)
    name = str(payload["name"])
    with tempfile.TemporaryDirectory() as folder:
        try:
            local = tracker.client().download_artifacts(
                run.mlflow_run_id, f"outputs/{name}", folder
            )
        except Exception as error:
            return OutputProblem(
                run.id,
                name,
                tr(
                    "artefact MLflow introuvable ({e})",
                    "MLflow artifact not found ({e})",
                    e=type(error).__name__,
                ),
            )
        if sha256_file(Path(local)) != payload["sha256"]:
            return OutputProblem(
                run.id,
                name,
                tr(
                    "l'artefact MLflow diffère de l'empreinte du registre",
                    "the MLflow artifact differs from the ledger hash",
                ),
            )
    return None
