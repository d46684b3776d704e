"""The workspace's policy in force: the approved version of ``policies/politique.yaml``.

The file is what people edit; what governs runs, reviews and reports is the version recorded
at approval (by its SHA-256), see :mod:`garant.governance.in_force`.
"""

from __future__ import annotations

from pathlib import Path

from garant.errors import WorkspaceError
from garant.governance.in_force import PolicyInForce, policy_in_force
from garant.governance.policy import Policy
from garant.i18n import tr
from garant.workspace import Workspace

__all__ = [
    "POLICY_FILE",
    "workspace_policy",
    "workspace_policy_in_force",
    "workspace_policy_path",
]

POLICY_FILE = "politique.yaml"


def workspace_policy_path(workspace: Workspace) -> Path:
    return workspace.policies_dir / POLICY_FILE


def workspace_policy_in_force(workspace: Workspace) -> PolicyInForce:
    """The governing policy and how it relates to the file; a clear error when there is none."""
    from garant.store.engine import unit_of_work

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
    with unit_of_work(workspace.engine) as session:
        return policy_in_force(session, path)


def workspace_policy(workspace: Workspace) -> Policy:
    """The policy that governs (the approved version, never unapproved edits of the file)."""
    return workspace_policy_in_force(workspace).governing()
