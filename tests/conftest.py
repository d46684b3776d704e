"""Shared fixtures: an isolated environment, workspaces copied from a migrated template,
and store engines for SQLite and (when GARANT_TEST_DATABASE_URL is set) PostgreSQL."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from garant.i18n import set_language

OFFLINE_ENV = {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "true",
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
    "HF_HUB_OFFLINE": "1",
}
for _name, _value in OFFLINE_ENV.items():
    os.environ.setdefault(_name, _value)
# Module- and session-scoped fixtures run before the per-test environment below: without this,
# the commands they run left background MLflow drains writing to the workspace (SQLite -wal
# and -shm files appearing and vanishing) while the next fixture copied it.
os.environ["GARANT_MLFLOW_MIRROR"] = "deferred"

SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Never read the user's workspace or settings; French messages unless a test says so."""
    for name in list(os.environ):
        if name.startswith("GARANT_") and name != "GARANT_TEST_DATABASE_URL":
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GARANT_ACTOR", "test-runner")
    monkeypatch.setenv("GARANT_MLFLOW_MIRROR", "deferred")  # tests flush MLflow when they read it
    monkeypatch.setenv("GARANT_CACHE_DIR", str(tmp_path / "cache"))  # never the user's cache
    monkeypatch.chdir(tmp_path)
    set_language("fr")
    yield
    set_language("fr")


@pytest.fixture(scope="session")
def _template_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from garant.audit.run import tracker_for
    from garant.governance.setup import init_workspace

    root = tmp_path_factory.mktemp("template") / "ws"
    workspace = init_workspace(
        root, "Métropole Exemple", "collectivite", contact="participation@metropole.example"
    )
    tracker_for(workspace).experiment_id()  # builds the MLflow store once (~1.6 s), then copied
    workspace.close()
    return root


@pytest.fixture
def workspace_root(_template_workspace: Path, tmp_path: Path) -> Path:
    """A fresh workspace (copied from a migrated template: no per-test migration cost)."""
    root = tmp_path / "ws"
    shutil.copytree(_template_workspace, root)
    _relocate_mlflow_artifacts(root)
    return root


def _relocate_mlflow_artifacts(root: Path) -> None:
    """MLflow stores an absolute artifact location per experiment: point it at the copy."""
    import sqlite3

    connection = sqlite3.connect(root / "mlflow" / "mlflow.db")
    with connection:
        connection.execute(
            "UPDATE experiments SET artifact_location = ?",
            ((root / "mlflow" / "artifacts").resolve().as_uri(),),
        )
    connection.close()


@pytest.fixture
def workspace(workspace_root: Path) -> Iterator[object]:
    from garant.workspace import open_workspace

    opened = open_workspace(workspace_root)
    yield opened
    opened.close()


def _reset_postgres(url: str) -> Engine:
    from garant.store.engine import create_store_engine

    engine = create_store_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    return engine


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
def store_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty store on SQLite, and on PostgreSQL when configured."""
    from garant.store.engine import create_store_engine, migrate

    if request.param == "sqlite":
        engine = create_store_engine(f"sqlite:///{tmp_path / 'store.db'}")
    else:
        url = os.environ.get("GARANT_TEST_DATABASE_URL")
        if not url:
            pytest.skip("GARANT_TEST_DATABASE_URL non défini : tests PostgreSQL ignorés")
        engine = _reset_postgres(url)
    migrate(engine)
    yield engine
    engine.dispose()
