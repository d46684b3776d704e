"""Creating a workspace: folders, ``garant.toml``, the migrated store, the organisation row and
the starter policy of its kind.

It sits above :mod:`garant.workspace` (which only locates and opens a workspace) because it calls
the governance services, which themselves take an opened :class:`~garant.workspace.Workspace`.
"""

from __future__ import annotations

import os
from pathlib import Path

import tomli_w

from garant.errors import ConflictError
from garant.i18n import tr
from garant.settings import GarantSettings, OrganisationKind
from garant.workspace import CONFIG_FILE, SUBFOLDERS, Workspace, open_workspace

__all__ = ["init_workspace"]


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

    adopt_policy(workspace, contact=contact)  # the kind's starter pack, as a draft to edit
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
