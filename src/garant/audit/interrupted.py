"""Runs whose process is gone: detected by the next command, closed as ``interrupted``.

Each run records at its start the process that runs it (pid, host, boot id and the process's
start time, so a reused pid is not taken for the same process). A run still ``started`` whose
process no longer exists on this machine was killed (``kill -9``, a crash, a power cut): it is
closed as ``interrupted`` with a ledger event, its partial outputs are removed (an
``INTERRUPTED.json`` says why) and its MLflow queue is closed so the mirror sends it as KILLED.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from functools import cache
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from garant.domain.models import AuditRun, utc_now

__all__ = ["close_interrupted_runs", "find_interrupted", "process_gone", "process_identity"]


@cache
def process_identity() -> dict[str, Any]:
    """This process, as a run records it at its start."""
    pid = os.getpid()
    return {
        "pid": pid,
        "host": socket.gethostname(),
        "boot_id": _boot_id(),
        "process_start": _process_start(pid),
    }


def process_gone(identity: dict[str, Any]) -> bool:
    """True when the recorded process surely no longer runs (only decidable on its host)."""
    if not identity or identity.get("host") != socket.gethostname():
        return False
    boot_id = identity.get("boot_id") or ""
    if boot_id and _boot_id() and boot_id != _boot_id():
        return True  # the machine restarted since
    pid = int(identity.get("pid") or 0)
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # exists, another user's
    recorded = identity.get("process_start")
    current = _process_start(pid)
    return bool(recorded and current and recorded != current)  # the pid was reused


def find_interrupted(session: Session) -> list[AuditRun]:
    """Runs still marked ``started`` whose process is gone."""
    started = session.exec(select(AuditRun).where(AuditRun.status == "started"))
    return [run for run in started if process_gone(_identity(run))]


def close_interrupted_runs(workspace: Any) -> list[str]:
    """Close every interrupted run (ledger event, partial outputs removed). Their ids."""
    from garant.audit.ledger import append_event, write_head
    from garant.audit.run import ledger_anchor, retry_on_contention
    from garant.store.engine import unit_of_work

    def close() -> list[str]:
        closed = []
        with unit_of_work(workspace.engine) as session:
            for run in find_interrupted(session):
                run.status, run.ended_at = "interrupted", utc_now()
                removed = sorted(run.output_hashes)
                run.error = "interrupted: process gone"
                run.output_hashes = {}
                session.add(run)
                append_event(
                    session,
                    "run_interrupted",
                    {"process": _identity(run), "outputs_removed": removed},
                    run.id,
                )
                closed.append(run.id)
        return closed

    closed = retry_on_contention(close)
    for run_id in closed:
        _remove_partial_outputs(workspace.runs_dir / run_id, run_id)
        _close_queue(workspace.root, run_id)
    if closed:
        write_head(workspace.engine, ledger_anchor(workspace))
    return closed


def _remove_partial_outputs(folder: Path, run_id: str) -> None:
    if folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    marker = {"run_id": run_id, "status": "interrupted", "reason": "process gone"}
    (folder / "INTERRUPTED.json").write_text(json.dumps(marker, indent=2), encoding="utf-8")


def _close_queue(workspace_root: Path, run_id: str) -> None:
    from garant.audit.mlflow_queue import RunQueue, is_complete, queue_root, read_ops

    folder = queue_root(workspace_root) / run_id
    ops = read_ops(folder)
    if ops and not is_complete(ops):
        RunQueue(folder).finish("KILLED", tags={"garant.status": "interrupted"})


def _identity(run: AuditRun) -> dict[str, Any]:
    summary = run.summary if isinstance(run.summary, dict) else {}
    process = summary.get("process")
    return process if isinstance(process, dict) else {}


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return ""


def _process_start(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), '' elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return ""
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else ""
