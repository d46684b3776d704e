"""Replay queued runs into MLflow, one process at a time (docs/adr-0010).

``flush_mirror`` takes the workspace's mirror lock, sends every complete queue to MLflow (a run
with its original start and end times, params, metrics, tags, artifacts and one trace whose
spans keep their timestamps), records the MLflow run id on the audited run with a ledger event,
and deletes the queue. A queue whose send fails stays for the next flush; nothing is lost.

After a command that ran an analysis, ``schedule_flush`` starts ``python -m
garant.audit.mlflow_mirror WORKSPACE`` detached, so the user does not wait for MLflow.
``GARANT_MLFLOW_MIRROR`` chooses: ``background`` (default), ``inline`` (flush before the
command returns) or ``deferred`` (left for ``garant mlflow sync``, ``mlflow ui`` or the next
background flush).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from garant.audit.mlflow_queue import is_complete, pending_queues, queue_root, read_ops
from garant.workspace import Workspace

__all__ = [
    "MirrorResult",
    "flush_mirror",
    "mirror_backlog",
    "mirror_mode",
    "mirrored_output_problem",
    "schedule_flush",
]

MODE_ENV = "GARANT_MLFLOW_MIRROR"
LOCK_FILE = ".mirror.lock"
MLFLOW_ID_FILE = "mlflow_run_id"


@dataclass
class MirrorResult:
    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    incomplete: list[str] = field(default_factory=list)
    busy: bool = False


def mirror_mode() -> str:
    mode = os.environ.get(MODE_ENV, "background").strip().lower()
    return mode if mode in ("background", "inline", "deferred") else "background"


def mirror_backlog(workspace: Workspace) -> list[str]:
    """Ids of audited runs whose trail MLflow has not received yet."""
    return [folder.name for folder in pending_queues(workspace.root)]


def schedule_flush(workspace: Workspace) -> None:
    """Send the queue to MLflow as the mirror mode says (never raises: the ledger holds all)."""
    mode = mirror_mode()
    if mode == "deferred":
        return
    if mode == "inline":
        try:
            flush_mirror(workspace, wait=True)
        except Exception:  # MLflow unreachable: the queue stays, verify reports it
            return
        return
    try:
        subprocess.Popen(
            [sys.executable, "-m", "garant.audit.mlflow_mirror", str(workspace.root)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        return


def flush_mirror(workspace: Workspace, *, wait: bool = True) -> MirrorResult:
    """Send every complete queue to MLflow under the workspace's mirror lock.

    With ``wait=False`` a flush already running elsewhere is left to do the work (``busy``).
    """
    from filelock import FileLock, Timeout

    root = workspace.root
    result = MirrorResult()
    if not pending_queues(root):
        return result
    lock = FileLock(str(queue_root(workspace.root).parent / LOCK_FILE))
    try:
        lock.acquire(timeout=-1 if wait else 0)
    except Timeout:
        result.busy = True
        return result
    try:
        from garant.audit.run import tracker_for

        tracker = tracker_for(workspace)
        _relocate_local_store(workspace, tracker)
        seen: set[str] = set()
        while todo := [f for f in pending_queues(root) if f.name not in seen]:
            for folder in todo:  # runs that end meanwhile are picked up by the next round
                seen.add(folder.name)
                ops = read_ops(folder)
                if not is_complete(ops):
                    result.incomplete.append(folder.name)
                    continue
                try:
                    with contextlib.redirect_stdout(sys.stderr):  # MLflow prints run links
                        mlflow_run_id = _replay(tracker, folder, ops)
                except Exception as error:  # the queue stays for the next flush
                    result.failed[folder.name] = type(error).__name__
                    continue
                _record_mirrored(workspace, folder.name, mlflow_run_id)
                shutil.rmtree(folder, ignore_errors=True)
                result.sent.append(folder.name)
        if result.sent:
            tracker.flush()
    finally:
        lock.release()
    return result


def _replay(tracker: Any, folder: Path, ops: list[dict[str, Any]]) -> str:
    """One queued run into MLflow; a half-sent earlier attempt is deleted first."""
    from mlflow.entities import Metric, Param, RunTag
    from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

    mlflow = tracker.mlflow
    client = tracker.client()
    experiment_id = tracker.experiment_id()
    earlier = folder / MLFLOW_ID_FILE
    if earlier.is_file():
        with contextlib.suppress(Exception):
            client.delete_run(earlier.read_text(encoding="utf-8").strip())
    start, end = ops[0], ops[-1]
    run = client.create_run(
        experiment_id, start_time=start["t"], tags=start["tags"], run_name=start["name"]
    )
    run_id = str(run.info.run_id)
    earlier.write_text(run_id, encoding="utf-8")
    params: dict[str, str] = {}
    tags: dict[str, str] = {}
    metrics: list[Any] = []
    artifacts: Any = get_artifact_repository(run.info.artifact_uri)
    spans: dict[int, Any] = {}
    mlflow.start_run(run_id=run_id)
    try:
        for op in ops[1:-1]:
            kind = op["op"]
            if kind == "params":
                params.update(op["params"])
            elif kind == "metrics":
                metrics += [Metric(k, float(v), op["t"], 0) for k, v in op["metrics"].items()]
            elif kind == "tags":
                tags.update(op["tags"])
            elif kind == "artifact":
                artifacts.log_artifact(str(folder / op["file"]), op["dir"])
            elif kind == "span_start":
                parent = spans.get(op["parent"]) if op["parent"] else None
                spans[op["id"]] = mlflow.start_span_no_context(
                    name=op["name"],
                    span_type=op["type"],
                    parent_span=parent,
                    inputs=op["inputs"],
                    experiment_id=None if parent else experiment_id,
                    start_time_ns=op["t_ns"],
                )
            elif kind == "span_end" and op["id"] in spans:
                spans.pop(op["id"]).end(
                    outputs=op["outputs"] or None,
                    attributes=op["attributes"] or None,
                    status=op["status"],
                    end_time_ns=op["t_ns"],
                )
        for span_id in sorted(spans, reverse=True):  # spans a killed run left open
            spans[span_id].end(status="ERROR", end_time_ns=end["t"] * 1_000_000)
    finally:
        mlflow.end_run(status=end["status"])
    param_items = [Param(k, v) for k, v in params.items()]
    for chunk in range(0, max(len(param_items), 1), 100):
        client.log_batch(run_id, params=param_items[chunk : chunk + 100])
    for chunk in range(0, len(metrics), 1000):
        client.log_batch(run_id, metrics=metrics[chunk : chunk + 1000])
    client.log_batch(run_id, tags=[RunTag(k, v) for k, v in tags.items()])
    client.set_terminated(run_id, status=end["status"], end_time=end["t"])
    return run_id


def _record_mirrored(workspace: Workspace, run_id: str, mlflow_run_id: str) -> None:
    """The audited run learns its MLflow id; the ledger records when MLflow received it."""
    from garant.audit.ledger import append_event
    from garant.domain.models import AuditRun
    from garant.store.engine import unit_of_work

    def record() -> None:
        with unit_of_work(workspace.engine) as session:
            row = session.get(AuditRun, run_id)
            if row is not None:
                row.mlflow_run_id = mlflow_run_id
                session.add(row)
            append_event(session, "mlflow_mirrored", {"mlflow_run_id": mlflow_run_id}, run_id)

    from garant.audit.run import retry_on_contention

    retry_on_contention(record)


def _relocate_local_store(workspace: Workspace, tracker: Any) -> None:
    """A moved or restored workspace: point its local MLflow store at its own artifacts folder
    (MLflow keeps absolute paths), so nothing is read from or written to the original's."""
    if not tracker.is_local:
        return
    import sqlite3

    database = workspace.mlflow_tracking_uri.removeprefix("sqlite:///")
    if not Path(database).is_file():
        return
    here = workspace.mlflow_artifacts_dir.resolve().as_uri()
    connection = sqlite3.connect(database, timeout=30)
    try:
        with connection:
            rows = connection.execute(
                "SELECT experiment_id, artifact_location FROM experiments WHERE name = ?",
                (workspace.settings.mlflow_experiment,),
            ).fetchall()
            for experiment_id, location in rows:
                old = str(location or "")
                if not old.startswith("file://") or old == here:
                    continue
                connection.execute(
                    "UPDATE experiments SET artifact_location = ? || substr(artifact_location, ?) "
                    "WHERE experiment_id = ?",
                    (here, len(old) + 1, experiment_id),
                )
                connection.execute(
                    "UPDATE runs SET artifact_uri = ? || substr(artifact_uri, ?) "
                    "WHERE experiment_id = ? AND artifact_uri LIKE ? || '%'",
                    (here, len(old) + 1, experiment_id, old),
                )
    finally:
        connection.close()


def mirrored_output_problem(
    workspace: Workspace, mlflow_run_id: str, name: str, sha256: str
) -> str | None:
    """Check one output MLflow received against its ledger hash; the problem, or None.

    A local store is read from the workspace's own artifacts folder (MLflow's layout
    ``<artifacts>/<run id>/artifacts/``), without importing MLflow and wherever the workspace
    now lives; a tracking server is asked over HTTP.
    """
    import tempfile

    from garant.i18n import tr
    from garant.util.files import sha256_file

    if workspace.mlflow_tracking_uri.startswith("sqlite"):
        root = workspace.mlflow_artifacts_dir
        found = [root / mlflow_run_id, *root.glob(f"*/{mlflow_run_id}")]
        local = next(
            (
                path / "artifacts" / "outputs" / name
                for path in found
                if (path / "artifacts" / "outputs" / name).is_file()
            ),
            None,
        )
        if local is None:
            return tr("artefact MLflow introuvable", "MLflow artifact not found")
        return _differs(sha256_file(local), sha256)
    from garant.audit.run import tracker_for

    with tempfile.TemporaryDirectory() as folder:
        try:
            downloaded = (
                tracker_for(workspace)
                .client()
                .download_artifacts(mlflow_run_id, f"outputs/{name}", folder)
            )
        except Exception as error:
            return tr(
                "artefact MLflow introuvable ({e})",
                "MLflow artifact not found ({e})",
                e=type(error).__name__,
            )
        return _differs(sha256_file(Path(downloaded)), sha256)


def _differs(actual: str, expected: str) -> str | None:
    from garant.i18n import tr

    if actual == expected:
        return None
    return tr(
        "l'artefact MLflow diffère de l'empreinte du registre",
        "the MLflow artifact differs from the ledger hash",
    )


def main(argv: list[str]) -> int:
    """``python -m garant.audit.mlflow_mirror WORKSPACE``: the background flush."""
    from garant.audit.tracking import offline_environment
    from garant.workspace import open_workspace

    offline_environment()
    workspace = open_workspace(Path(argv[0]))
    try:
        # Wait for a flush already running: it may have listed the queues before this run
        # ended. Once the lock is ours, an empty queue returns at once (MLflow not imported).
        flush_mirror(workspace, wait=True)
    finally:
        workspace.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
