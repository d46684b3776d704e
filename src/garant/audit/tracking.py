"""MLflow tracking of audited runs (imported lazily: ``import mlflow`` costs ~1.5 s).

One MLflow run per audited run in the workspace's experiment; one trace per model call, linked
to the run; params, metrics and artifacts as the audit trail requires. A local SQLite store is
the default; an http(s) tracking server is used when the workspace names one.
"""

from __future__ import annotations

import logging
import os
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

    @property
    def mlflow(self) -> Any:
        offline_environment()
        import mlflow

        logging.getLogger("mlflow").setLevel(logging.WARNING)

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
        self.mlflow.log_text(text, artifact_file)

    def log_dict(self, data: dict[str, Any], artifact_file: str) -> None:
        self.mlflow.log_dict(data, artifact_file)

    def log_artifact(self, path: Path, artifact_dir: str | None = None) -> None:
        self.mlflow.log_artifact(str(path), artifact_dir)

    @contextmanager
    def span(self, name: str, span_type: str, inputs: dict[str, Any]) -> Iterator[Any]:
        """A traced span around a model call (inputs are already pseudonymised)."""
        with self.mlflow.start_span(name=name, span_type=span_type) as span:
            span.set_inputs(inputs)
            yield span

    def end(self, status: str) -> None:
        self.mlflow.end_run(status=status)

    def flush(self) -> None:
        """Wait for traces still being exported (call before reading them or exiting)."""
        mlflow = self.mlflow
        flush = getattr(mlflow, "flush_trace_async_logging", None)
        if flush is not None:
            flush()

    def client(self) -> Any:
        return self.mlflow.MlflowClient(tracking_uri=self.tracking_uri)


def _param(value: Any) -> str:
    text = str(value)
    return text if len(text) <= PARAM_LIMIT else text[: PARAM_LIMIT - 1] + "…"
