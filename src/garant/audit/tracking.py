"""MLflow tracking of audited runs (imported lazily: ``import mlflow`` costs ~1.5 s).

One MLflow run per audited run in the workspace's experiment; one trace per model call, linked
to the run; params, metrics and artifacts as the audit trail requires. A local SQLite store is
the default; an http(s) tracking server is used when the workspace names one.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["MlflowTracker", "offline_environment"]

PARAM_LIMIT = 6000


def offline_environment() -> None:
    """Environment that keeps MLflow, litellm and Presidio from reaching the network."""
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false")
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")


class MlflowTracker:
    """A thin, typed layer over the MLflow calls garant makes."""

    def __init__(self, tracking_uri: str, experiment: str, artifacts_dir: Path) -> None:
        self.tracking_uri = tracking_uri
        self.experiment = experiment
        self.artifacts_dir = artifacts_dir
        self._experiment_id: str | None = None
        self._artifacts: Any = None

    @property
    def mlflow(self) -> Any:
        offline_environment()
        import mlflow

        _fast_sqlite_commits()

        if mlflow.get_tracking_uri() != self.tracking_uri:
            mlflow.set_tracking_uri(self.tracking_uri)
        return mlflow

    @property
    def is_local(self) -> bool:
        return self.tracking_uri.startswith("sqlite")

    def experiment_id(self) -> str:
        """The workspace experiment (created on first use, artifacts kept in the workspace)."""
        if self._experiment_id is None:
            mlflow = self.mlflow
            found = mlflow.get_experiment_by_name(self.experiment)
            if found is not None:
                self._experiment_id = str(found.experiment_id)
            else:
                location = self.artifacts_dir.resolve().as_uri() if self.is_local else None
                if location:
                    self.artifacts_dir.mkdir(parents=True, exist_ok=True)
                self._experiment_id = str(
                    mlflow.create_experiment(self.experiment, artifact_location=location)
                )
        return self._experiment_id

    def start(self, run_name: str, tags: dict[str, str]) -> str:
        run = self.mlflow.start_run(
            experiment_id=self.experiment_id(), run_name=run_name, tags=tags
        )
        from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

        # One repository per run: MLflow's fluent calls look the run up again for every file.
        self._artifacts = get_artifact_repository(run.info.artifact_uri)
        return str(run.info.run_id)

    def log_params(self, params: dict[str, Any]) -> None:
        cleaned = {key: _param(value) for key, value in params.items() if value is not None}
        if cleaned:
            self.mlflow.log_params(cleaned)

    def log_metrics(self, metrics: dict[str, float | None]) -> None:
        known = {key: float(value) for key, value in metrics.items() if value is not None}
        if known:
            self.mlflow.log_metrics(known)

    def set_tags(self, tags: dict[str, str]) -> None:
        self.mlflow.set_tags(tags)

    def log_text(self, text: str, artifact_file: str) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            local = Path(folder) / Path(artifact_file).name
            local.write_text(text, encoding="utf-8")
            self.log_artifact(
                local, str(Path(artifact_file).parent) if "/" in artifact_file else None
            )

    def log_dict(self, data: dict[str, Any], artifact_file: str) -> None:
        import json

        self.log_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), artifact_file)

    def log_artifact(self, path: Path, artifact_dir: str | None = None) -> None:
        if self._artifacts is None:
            self.mlflow.log_artifact(str(path), artifact_dir)
        else:
            self._artifacts.log_artifact(str(path), artifact_dir)

    @contextmanager
    def span(self, name: str, span_type: str, inputs: dict[str, Any]) -> Iterator[Any]:
        """A traced span around a model call (inputs are already pseudonymised)."""
        with self.mlflow.start_span(name=name, span_type=span_type) as span:
            span.set_inputs(inputs)
            yield span

    def end(self, status: str) -> None:
        self.mlflow.end_run(status=status)

    def finish(
        self,
        status: str,
        *,
        metrics: dict[str, float | None] | None = None,
        params: dict[str, Any] | None = None,
        tags: dict[str, str] | None = None,
    ) -> None:
        """Log the closing metrics, params and tags in one batch, then end the run."""
        mlflow = self.mlflow
        from mlflow.entities import Metric, Param, RunTag

        run = mlflow.active_run()
        if run is None:
            return
        now = int(time.time() * 1000)
        self.client().log_batch(
            run.info.run_id,
            metrics=[
                Metric(k, float(v), now, 0) for k, v in (metrics or {}).items() if v is not None
            ],
            params=[Param(k, _param(v)) for k, v in (params or {}).items() if v is not None],
            tags=[RunTag(k, v) for k, v in (tags or {}).items()],
        )
        mlflow.end_run(status=status)

    def flush(self) -> None:
        """Wait for traces still being exported (call before reading them or exiting)."""
        mlflow = self.mlflow
        flush = getattr(mlflow, "flush_trace_async_logging", None)
        if flush is not None:
            flush()

    def client(self) -> Any:
        return self.mlflow.MlflowClient(tracking_uri=self.tracking_uri)


_SQLITE_TUNED = False


def _fast_sqlite_commits() -> None:
    """Write-ahead log and ``synchronous=NORMAL`` for the MLflow SQLite store too (ADR 0001).

    MLflow builds its own engine; a listener on SQLAlchemy's Engine class reaches it. Every
    SQLite file this process opens is garant's own (the registry and the MLflow store).
    """
    global _SQLITE_TUNED
    if _SQLITE_TUNED:
        return
    # Once per process: setLevel clears every logger's cache, a cost paid on each call otherwise.
    logging.getLogger("mlflow").setLevel(logging.WARNING)
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def configure(dbapi_connection: Any, _record: Any) -> None:
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    event.listen(Engine, "connect", configure)
    _SQLITE_TUNED = True


def _param(value: Any) -> str:
    text = str(value)
    return text if len(text) <= PARAM_LIMIT else text[: PARAM_LIMIT - 1] + "…"
