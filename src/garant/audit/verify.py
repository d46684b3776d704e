"""``garant audit verify``: recompute the ledger chain, replay it against the database rows,
check outputs and run manifests against their hashes, and (optionally) a signed checkpoint."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlmodel import select

from garant.audit.ledger import ChainProblem, read_head, verify_chain
from garant.audit.row_check import ReplayedState, RowProblem, check_rows, replay_rows
from garant.audit.run import ledger_anchor
from garant.domain.models import AuditRun, LedgerEntry
from garant.i18n import tr
from garant.store.engine import unit_of_work
from garant.util.files import sha256_file
from garant.workspace import Workspace

if TYPE_CHECKING:
    from garant.audit.checkpoint import CheckpointCheck, RecordedCheckpoint

__all__ = ["OutputProblem", "RowProblem", "VerificationReport", "verify_workspace"]


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
    rows_checked: int = 0
    """Database rows of protected tables compared with the ledger's replay."""
    rows: list[RowProblem] = field(default_factory=list)
    """Rows or fields the ledger does not explain (changed, inserted or deleted outside garant)."""
    manifests_checked: int = 0
    """``runs/RUN/run.json`` files compared with the ledger-verified run rows."""
    adopted_at_migration: set[tuple[str, str]] = field(default_factory=set)
    """``(table, key)`` of rows whose origin is the migration baseline, not a recorded action."""
    checkpoint: CheckpointCheck | None = None
    """The outcome of ``--checkpoint FILE`` when one was given."""
    verified_at: str = ""
    replayed: ReplayedState | None = None
    """What the ledger says every protected row holds: reports show these facts, not the rows."""
    latest_checkpoint: RecordedCheckpoint | None = None
    """The latest checkpoint recorded in the ledger (``garant audit checkpoint``), if any."""

    def adopted_at_migration_row(self, table: str, key: str) -> bool:
        """Whether the row ``key`` (e.g. ``id=5``) of ``table`` is a fact adopted at migration
        (no recorded action behind it): reports label it so."""
        return (table, key) in self.adopted_at_migration

    def untrusted_entries(self) -> set[int]:
        """Sequence numbers of the ledger entries found modified: no report takes a fact
        from them."""
        return {problem.seq for problem in self.chain if problem.kind == "modified"}

    def row_problems(self, table: str, key: str) -> list[RowProblem]:
        """The findings about one row: a report marks the facts it shows from it."""
        return [p for p in self.rows if p.table == table and p.key == key]

    @property
    def ok(self) -> bool:
        return (
            not self.chain
            and not self.outputs
            and not self.rows
            and (self.checkpoint is None or self.checkpoint.ok)
            and (self.latest_checkpoint is None or self.latest_checkpoint.holds)
        )


def verify_workspace(
    workspace: Workspace, check_mlflow: bool = True, checkpoint: Path | None = None
) -> VerificationReport:
    from datetime import UTC, datetime

    report = VerificationReport()
    # First close runs whose process is gone (their closing is itself recorded), so that the
    # replay below reads the ledger and the rows in the same state.
    _runs_not_yet_settled(workspace, report)
    pending = set(report.mlflow_pending)
    with unit_of_work(workspace.engine) as session:
        # Plain rows (attribute access like LedgerEntry) load several times faster than ORM
        # instances, which matters for a ledger of tens of thousands of entries.
        table = LedgerEntry.__table__  # type: ignore[attr-defined]
        entries = cast(
            "list[LedgerEntry]",
            list(session.connection().execute(table.select().order_by(table.c.seq))),
        )
        runs = {run.id: run for run in session.exec(select(AuditRun))}
        report.entries = len(entries)
        report.verified_at = datetime.now(UTC).isoformat(timespec="seconds")
        report.chain = verify_chain(entries, read_head(ledger_anchor(workspace)))
        untrusted = report.untrusted_entries()
        state = replay_rows(entries, untrusted)
        report.rows, report.rows_checked = check_rows(session.connection(), state)
    report.chain = [
        problem
        for problem in report.chain
        if not (problem.kind == "appended" and _run_in_progress(entries, problem.seq, state))
    ]
    report.replayed = state
    from garant.audit.checkpoint import recorded_checkpoint

    report.latest_checkpoint = recorded_checkpoint(workspace, entries, untrusted)
    report.adopted_at_migration = {
        where for where, origin in state.origin.items() if origin == "baseline"
    }
    if checkpoint is not None:
        from garant.audit.checkpoint import check_checkpoint

        report.checkpoint = check_checkpoint(workspace, checkpoint, entries)
    _check_manifests(workspace, runs, state, report)
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
    path = workspace.runs_dir / run_id / name
    if run.status != "finished":
        # failed runs keep no output by design: a file there must still be the one recorded
        if path.is_file() and sha256_file(path) != expected:
            return OutputProblem(
                run_id,
                name,
                tr(
                    "fichier d'une exécution {s} modifié depuis l'exécution : {p}",
                    "file of a {s} run modified since the run: {p}",
                    s=run.status,
                    p=path,
                ),
            )
        return None
    if run.output_hashes.get(name) != expected:
        return OutputProblem(
            run_id,
            name,
            tr(
                "l'empreinte en base diffère du registre",
                "the database hash differs from the ledger",
            ),
        )
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


def _run_in_progress(entries: list[LedgerEntry], first: int, state: ReplayedState) -> bool:
    """Entries after the anchor are a run's own events while it runs (or if it was killed):
    every one names a run still « started » in the ledger and none changes a row."""
    from garant.audit.ledger import ROW_EVENTS

    trailing = [entry for entry in entries if entry.seq >= first]
    for entry in trailing:
        if not entry.run_id or entry.event in ROW_EVENTS:
            return False
        values = state.values("audit_run", f"id={entry.run_id}")
        if values is None or values.get("status") != "started":
            return False
    return bool(trailing)


def _check_manifests(
    workspace: Workspace,
    runs: dict[str, AuditRun],
    state: ReplayedState,
    report: VerificationReport,
) -> None:
    """Each finished run's ``run.json`` must agree with the run as the ledger recorded it."""
    recorded_runs = state.rows.get("audit_run", {})
    for key, values in recorded_runs.items():
        if values is None or values.get("status") != "finished":
            continue
        run_id = str(values.get("id", key.removeprefix("id=")))
        path = workspace.runs_dir / run_id / "run.json"
        report.manifests_checked += 1
        problem = _manifest_problem(path, run_id, values)
        if problem:
            report.outputs.append(OutputProblem(run_id, "run.json", problem))


def _manifest_problem(path: Path, run_id: str, run: dict[str, object]) -> str:
    if not path.is_file():
        return tr("manifeste absent : {p}", "manifest missing: {p}", p=path)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return tr("manifeste illisible : {p}", "unreadable manifest: {p}", p=path)
    outputs = run.get("output_hashes") or {}
    expected: dict[str, object] = {
        "run_id": run_id,
        "status": "finished",
        "outputs": outputs,
        "inputs": run.get("input_hashes") or {},
    }
    wrong = [name for name, value in expected.items() if manifest.get(name) != value]
    disclosures = manifest.get("disclosures")
    if (
        not isinstance(disclosures, dict)
        or not isinstance(outputs, dict)
        or set(disclosures) != set(outputs)
    ):
        wrong.append("disclosures")
    else:
        for name, label in disclosures.items():
            facts = {
                "ai_involvement": run.get("ai_involvement"),
                "output_sha256": outputs.get(name),
                "review_state": "pending",  # written when the run finished, before any review
                "reviewer": "",
                "run_id": run_id,
                "offline": run.get("offline"),
            }
            wrong.extend(
                f"disclosures.{name}.{fact}"
                for fact, value in facts.items()
                if not isinstance(label, dict) or label.get(fact) != value
            )
    if not wrong:
        return ""
    return tr(
        "manifeste {p} modifié : {f} ne correspond plus à l'exécution consignée au registre",
        "manifest {p} modified: {f} no longer matches the run recorded in the ledger",
        p=path,
        f=", ".join(wrong),
    )
