"""The MLflow mirror's durable queue: what a run will send to MLflow, written as it happens.

An audited run never waits for MLflow (importing it and opening its store cost seconds, and a
tracking server may be unreachable). Each run appends what it would have logged — tags,
params, metrics, artifacts, spans with their own timestamps — to
``mlflow/queue/<run id>/ops.jsonl`` in the workspace, beside copies of its artifacts. The ledger
stays the source of truth; :mod:`garant.audit.mlflow_mirror` replays complete queues into
MLflow later (docs/adr-0010). Nothing is lost if MLflow is down or the process dies: the queue
stays until MLflow has received it, and ``audit verify`` counts what is still waiting.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

__all__ = [
    "QueuedSpan",
    "RunQueue",
    "is_complete",
    "pending_queues",
    "queue_root",
    "read_ops",
]

OPS_FILE = "ops.jsonl"
FILES_DIR = "files"


def queue_root(workspace_root: Path) -> Path:
    return workspace_root / "mlflow" / "queue"


@dataclass
class QueuedSpan:
    """A span being recorded: the caller sets outputs and attributes, the queue writes them."""

    outputs: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)

    def set_outputs(self, outputs: dict[str, Any]) -> None:
        self.outputs = dict(outputs)

    def set_attributes(self, attributes: dict[str, Any]) -> None:
        self.attributes.update(attributes)


class RunQueue:
    """The queue of one audited run (same calls as :class:`~garant.audit.tracking.MlflowTracker`
    makes during a run, written to disk instead of sent)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._stream: IO[str] | None = None
        self._spans: list[int] = []
        self._next_span = 0
        self._next_file = 0

    def _write(self, op: dict[str, Any]) -> None:
        if self._stream is None:
            (self.folder / FILES_DIR).mkdir(parents=True, exist_ok=True)
            self._stream = (self.folder / OPS_FILE).open("a", encoding="utf-8")
        self._stream.write(json.dumps(op, ensure_ascii=False, default=str) + "\n")
        self._stream.flush()  # in the page cache: survives a killed process (ADR 0001's trade)

    def start(self, run_name: str, tags: dict[str, str]) -> str:
        self._write({"op": "start", "name": run_name, "tags": tags, "t": _now_ms()})
        return ""  # MLflow's run id is known once the mirror has sent the run

    def log_params(self, params: dict[str, Any]) -> None:
        cleaned = {key: str(value) for key, value in params.items() if value is not None}
        if cleaned:
            self._write({"op": "params", "params": cleaned})

    def log_metrics(self, metrics: dict[str, float | None]) -> None:
        known = {key: float(value) for key, value in metrics.items() if value is not None}
        if known:
            self._write({"op": "metrics", "metrics": known, "t": _now_ms()})

    def set_tags(self, tags: dict[str, str]) -> None:
        self._write({"op": "tags", "tags": tags})

    def log_text(self, text: str, artifact_file: str) -> None:
        target = self._file_slot(Path(artifact_file).name)
        target.write_text(text, encoding="utf-8")
        self._artifact(target, str(Path(artifact_file).parent) if "/" in artifact_file else None)

    def log_dict(self, data: dict[str, Any], artifact_file: str) -> None:
        self.log_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), artifact_file)

    def log_artifact(self, path: Path, artifact_dir: str | None = None) -> None:
        target = self._file_slot(path.name)
        shutil.copyfile(path, target)
        self._artifact(target, artifact_dir)

    def _file_slot(self, name: str) -> Path:
        self._next_file += 1
        slot = self.folder / FILES_DIR / f"{self._next_file:05d}"
        slot.mkdir(parents=True, exist_ok=True)
        return slot / name

    def _artifact(self, copy: Path, artifact_dir: str | None) -> None:
        relative = copy.relative_to(self.folder).as_posix()
        self._write({"op": "artifact", "file": relative, "dir": artifact_dir})

    @contextmanager
    def span(self, name: str, span_type: str, inputs: dict[str, Any]) -> Iterator[QueuedSpan]:
        self._next_span += 1
        span_id = self._next_span
        parent = self._spans[-1] if self._spans else None
        self._write(
            {
                "op": "span_start",
                "id": span_id,
                "parent": parent,
                "name": name,
                "type": span_type,
                "inputs": inputs,
                "t_ns": time.time_ns(),
            }
        )
        self._spans.append(span_id)
        span = QueuedSpan()
        status = "OK"
        try:
            yield span
        except BaseException:
            status = "ERROR"
            raise
        finally:
            self._spans.remove(span_id)
            self._write(
                {
                    "op": "span_end",
                    "id": span_id,
                    "outputs": span.outputs,
                    "attributes": span.attributes,
                    "status": status,
                    "t_ns": time.time_ns(),
                }
            )

    def finish(
        self,
        status: str,
        *,
        metrics: dict[str, float | None] | None = None,
        params: dict[str, Any] | None = None,
        tags: dict[str, str] | None = None,
    ) -> None:
        """The closing metrics, params and tags, then the end: the queue is complete."""
        if metrics:
            self.log_metrics(metrics)
        if params:
            self.log_params(params)
        if tags:
            self.set_tags(tags)
        self._write({"op": "end", "status": status, "t": _now_ms()})
        self.close()

    def close(self) -> None:
        if self._stream is not None:
            os.fsync(self._stream.fileno())
            self._stream.close()
            self._stream = None


def read_ops(folder: Path) -> list[dict[str, Any]]:
    """The operations of one queue (a line cut short by a crash is ignored)."""
    path = folder / OPS_FILE
    if not path.is_file():
        return []
    ops = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            ops.append(json.loads(line))
        except ValueError:
            continue
    return ops


def pending_queues(workspace_root: Path) -> list[Path]:
    """Queues not yet received by MLflow, oldest first (run ids start with their time)."""
    root = queue_root(workspace_root)
    if not root.is_dir():
        return []
    return sorted(path for path in root.iterdir() if (path / OPS_FILE).is_file())


def is_complete(ops: list[dict[str, Any]]) -> bool:
    return bool(ops) and ops[0].get("op") == "start" and ops[-1].get("op") == "end"


def _now_ms() -> int:
    return int(time.time() * 1000)
