"""``garant audit verify``: recompute the ledger chain and check outputs against their hashes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlmodel import col, select

from garant.audit.ledger import ChainProblem, read_head, verify_chain
from garant.audit.run import ledger_anchor
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
    mlflow_pending: list[str] = field(default_factory=list)
    interrupted: list[str] = field(default_factory=list)
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
    _runs_not_yet_settled(workspace, report)
    pending = set(report.mlflow_pending)
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
            check_mlflow
            and run is not None
            and payload.get("mlflow")
            and run.status == "finished"
            and run.id not in pending
        ):
            report.mlflow_checked += 1
            problem = _check_mlflow(workspace, run, payload)
            if problem:
                report.outputs.append(problem)
    return report


def _runs_not_yet_settled(workspace: Workspace, report: VerificationReport) -> None:
    """What MLflow has not received yet (the mirror's queue) and runs whose process is gone
    (closed as interrupted when the workspace is writable). Neither is tampering."""
    from garant.audit.interrupted import close_interrupted_runs, find_interrupted
    from garant.audit.mlflow_mirror import mirror_backlog

    report.mlflow_pending = mirror_backlog(workspace)
    with unit_of_work(workspace.engine) as session:
        interrupted = [run.id for run in find_interrupted(session)]
    if interrupted and not workspace.read_only:
        interrupted = close_interrupted_runs(workspace)
    report.interrupted = interrupted


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
    workspace: Workspace, run: AuditRun, payload: dict[str, object]
) -> OutputProblem | None:
    from garant.audit.mlflow_mirror import mirrored_output_problem

    name = str(payload["name"])
    message = mirrored_output_problem(workspace, run.mlflow_run_id, name, str(payload["sha256"]))
    return OutputProblem(run.id, name, message) if message else None
