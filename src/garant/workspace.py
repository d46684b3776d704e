"""A garant workspace: a folder with ``garant.toml``, the store and the local MLflow store.

Layout::

    garant.toml          settings (organisation, DB URL, MLflow URI, language, model aliases)
    garant.db            the SQLite store (unless database_url points elsewhere)
    mlflow/              local MLflow tracking store and artifacts
    policies/            the workspace's policy files
    private/             local-only material: pseudonym mappings, original texts (never sent)
    runs/                outputs of audited runs
    exports/             documents and registry exports

Creating a workspace (folders, store, starter policy) is
:func:`garant.governance.setup.init_workspace`: it needs the governance services, which need this
module, so it lives above them.

Commands find the workspace from ``--workspace``, then ``GARANT_WORKSPACE``, then the current
directory and its parents.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from garant.errors import WorkspaceError
from garant.i18n import set_time_zone, tr
from garant.settings import GarantSettings, load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = [
    "CONFIG_FILE",
    "SUBFOLDERS",
    "Workspace",
    "find_workspace_root",
    "open_workspace",
    "resolve_sqlite_url",
]

CONFIG_FILE = "garant.toml"
WORKSPACE_ENV = "GARANT_WORKSPACE"
SUBFOLDERS = ("mlflow", "policies", "private", "runs", "exports")


def resolve_sqlite_url(url: str, root: Path) -> str:
    """Make a relative ``sqlite:///path`` URL absolute against ``root``."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return url
    path = url[len(prefix) :]
    if not path or path == ":memory:" or Path(path).is_absolute():
        return url
    return prefix + str((root / path).resolve())


@dataclass
class Workspace:
    """An opened workspace: its folder, its settings, and its store engine (created lazily)."""

    root: Path
    settings: GarantSettings
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def database_url(self) -> str:
        return resolve_sqlite_url(self.settings.database_url, self.root)

    @property
    def mlflow_tracking_uri(self) -> str:
        return resolve_sqlite_url(self.settings.mlflow_tracking_uri, self.root)

    @property
    def mlflow_artifacts_dir(self) -> Path:
        return self.root / self.settings.mlflow_artifacts_dir

    @property
    def private_dir(self) -> Path:
        return self.root / "private"

    @property
    def runs_dir(self) -> Path:
        return self.root / "runs"

    @property
    def exports_dir(self) -> Path:
        return self.root / "exports"

    @property
    def policies_dir(self) -> Path:
        return self.root / "policies"

    @property
    def ledger_anchor(self) -> Path:
        """The file that records the ledger's last entry, outside the store (tamper evidence)."""
        return self.root / "ledger.head"

    @property
    def actor(self) -> str:
        """Who acts: the ``actor`` setting, else the system user."""
        if self.settings.actor:
            return self.settings.actor
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "inconnu"

    @property
    def read_only(self) -> bool:
        """True on a read-only copy (an archive, a reviewer's mount): reading and verifying
        work, through a read-only store connection; nothing is written."""
        if not os.access(self.root, os.W_OK):
            return True
        database = _sqlite_path(self.database_url)
        return database is not None and database.exists() and not os.access(database, os.W_OK)

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite store's file; None for another database (PostgreSQL) or in memory."""
        return _sqlite_path(self.database_url)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from garant.store.evidence import bind_workspace

            database = _sqlite_path(self.database_url)
            if database is not None and self.read_only:
                self._engine = _read_only_sqlite_engine(database)
            else:
                from garant.store.engine import create_store_engine

                self._engine = create_store_engine(self.database_url)
            bind_workspace(self._engine, self.root / "ledger.head", self.actor)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _sqlite_path(url: str) -> Path | None:
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url.endswith(":memory:"):
        return None
    return Path(url[len(prefix) :])


def _read_only_sqlite_engine(database: Path) -> Engine:
    """A store engine that cannot write. SQLite's write-ahead log needs a writable folder;
    when even a read-only open fails, the file is opened as immutable (nothing can change
    it on a read-only medium)."""
    import sqlite3

    from sqlalchemy import create_engine, event

    uri = database.resolve().as_uri()
    try:
        probe = sqlite3.connect(f"{uri}?mode=ro", uri=True)
        probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
        probe.close()
        target = f"{uri}?mode=ro"
    except sqlite3.Error:
        target = f"{uri}?mode=ro&immutable=1"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(target, uri=True, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect)

    def configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    event.listen(engine, "connect", configure)
    return engine


def find_workspace_root(explicit: Path | None = None, cwd: Path | None = None) -> Path:
    """Locate the workspace folder (explicit path, ``GARANT_WORKSPACE``, then upwards)."""
    if explicit is not None:
        return _checked_root(explicit, tr("l'option --workspace", "the --workspace option"))
    from_env = os.environ.get(WORKSPACE_ENV)
    if from_env:
        return _checked_root(
            Path(from_env), tr("la variable", "the variable") + f" {WORKSPACE_ENV}"
        )
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise WorkspaceError(
        tr(
            "Aucun espace de travail garant trouvé dans {start} ni au-dessus.",
            "No garant workspace found in {start} or above.",
            start=start,
        ),
        tr(
            "Créez-en un avec « garant init DOSSIER --name … » ou indiquez-le avec --workspace.",
            "Create one with 'garant init DIR --name …' or point to it with --workspace.",
        ),
    )


def _checked_root(path: Path, origin: str) -> Path:
    root = path.expanduser().resolve()
    if not (root / CONFIG_FILE).is_file():
        raise WorkspaceError(
            tr(
                "{root} n'est pas un espace de travail garant (pas de {file}), indiqué par {origin}.",
                "{root} is not a garant workspace (no {file}), given by {origin}.",
                root=root,
                file=CONFIG_FILE,
                origin=origin,
            ),
            tr(
                "Vérifiez le chemin ou créez l'espace avec « garant init ».",
                "Check the path or create the workspace with 'garant init'.",
            ),
        )
    return root


def open_workspace(root: Path, **overrides: Any) -> Workspace:
    """Open the workspace at ``root`` (settings from its garant.toml and the environment)."""
    settings = _read_settings(root, overrides)
    set_time_zone(settings.timezone)  # dates in documents and messages: the organisation's zone
    return Workspace(root=root, settings=settings)


def _read_settings(root: Path, overrides: dict[str, Any]) -> GarantSettings:
    from pydantic import ValidationError

    config = root / CONFIG_FILE
    try:
        return load_settings(config, **overrides)
    except ValidationError as error:
        first = error.errors()[0]
        field_name = ".".join(str(part) for part in first["loc"])
        raise WorkspaceError(
            tr(
                "{file} : réglage « {field} » invalide : {msg}",
                "{file}: invalid setting '{field}': {msg}",
                file=config,
                field=field_name,
                msg=first["msg"],
            ),
            tr("Corrigez ce réglage dans le fichier.", "Fix this setting in the file."),
        ) from None
    except ValueError as error:  # malformed TOML
        raise WorkspaceError(
            tr(
                "{file} illisible : {error}", "{file} unreadable: {error}", file=config, error=error
            ),
            tr("Corrigez la syntaxe TOML du fichier.", "Fix the TOML syntax of the file."),
        ) from None
