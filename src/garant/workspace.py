"""A garant workspace: a folder with ``garant.toml``, the store and the local MLflow store.

Layout::

    garant.toml          settings (organisation, DB URL, MLflow URI, language, model aliases)
    garant.db            the SQLite store (unless database_url points elsewhere)
    mlflow/              local MLflow tracking store and artifacts
    policies/            the workspace's policy files
    private/             local-only material: pseudonym mappings, original texts (never sent)
    runs/                outputs of audited runs
    exports/             documents and registry exports

Commands find the workspace from ``--workspace``, then ``GARANT_WORKSPACE``, then the current
directory and its parents.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli_w

from garant.errors import ConflictError, WorkspaceError
from garant.i18n import tr
from garant.settings import GarantSettings, OrganisationKind, load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = [
    "CONFIG_FILE",
    "Workspace",
    "find_workspace_root",
    "init_workspace",
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
    def actor(self) -> str:
        """Who acts: the ``actor`` setting, else the system user."""
        if self.settings.actor:
            return self.settings.actor
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "inconnu"

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from garant.store.engine import create_store_engine

            self._engine = create_store_engine(self.database_url)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


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


def init_workspace(
    root: Path,
    name: str,
    kind: OrganisationKind,
    language: str = "fr",
    database_url: str | None = None,
    contact: str | None = None,
) -> Workspace:
    """Create a workspace: folders, garant.toml, migrated store, the organisation row and the
    starter policy of its kind (``policies/politique.yaml``, status draft, with the public
    ``contact`` when given)."""
    root = root.expanduser().resolve()
    config = root / CONFIG_FILE
    if config.exists():
        raise ConflictError(
            tr(
                "Un espace de travail existe déjà dans {root}.",
                "A workspace already exists in {root}.",
                root=root,
            ),
            tr(
                "Utilisez-le tel quel, ou choisissez un autre dossier.",
                "Use it as it is, or choose another folder.",
            ),
        )
    root.mkdir(parents=True, exist_ok=True)
    for folder in SUBFOLDERS:
        (root / folder).mkdir(exist_ok=True)
    (root / "private").chmod(0o700)
    settings = GarantSettings.model_validate(
        {
            "organisation_name": name,
            "organisation_kind": kind,
            "language": language,
            **({"database_url": database_url} if database_url else {}),
        }
    )
    _write_config(config, settings)
    workspace = open_workspace(root)
    from garant.governance.organisations import ensure_organisation
    from garant.store.engine import migrate, unit_of_work

    migrate(workspace.engine)
    with unit_of_work(workspace.engine) as session:
        ensure_organisation(session, name=name, kind=kind, actor=workspace.actor)
    from garant.governance.lifecycle import adopt_policy

    adopt_policy(workspace, contact=contact)  # the workspace kind's starter pack, as a draft
    return workspace


def _write_config(config: Path, settings: GarantSettings) -> None:
    data = settings.model_dump(mode="json", exclude={"actor"}, exclude_none=True)
    header = (
        "# Réglages de l'espace de travail garant — settings of this garant workspace.\n"
        "# Les clés d'API ne vont jamais ici : chaque modèle nomme sa variable d'environnement.\n\n"
    )
    temporary = config.with_suffix(".toml.tmp")
    temporary.write_text(header + tomli_w.dumps(data), encoding="utf-8")
    os.replace(temporary, config)
