"""The workspace's adopted policy: ``policies/politique.yaml`` in the workspace."""

from __future__ import annotations

from pathlib import Path

from garant.errors import WorkspaceError
from garant.governance.policy import Policy, load_policy
from garant.i18n import tr
from garant.workspace import Workspace

__all__ = ["POLICY_FILE", "workspace_policy", "workspace_policy_path"]

POLICY_FILE = "politique.yaml"


def workspace_policy_path(workspace: Workspace) -> Path:
    return workspace.policies_dir / POLICY_FILE


def workspace_policy(workspace: Workspace) -> Policy:
    """The policy the workspace adopted (validated); a clear error when there is none."""
    path = workspace_policy_path(workspace)
    if not path.is_file():
        raise WorkspaceError(
            tr(
                "Aucune politique adoptée dans cet espace ({path} absent).",
                "No policy adopted in this workspace ({path} missing).",
                path=path,
            ),
            tr(
                "Adoptez un modèle : « garant policy adopt collectivite|agence|enquete », "
                "puis faites-le approuver.",
                "Adopt a starter pack: 'garant policy adopt collectivite|agence|enquete', "
                "then get it approved.",
            ),
        )
    return load_policy(path)
