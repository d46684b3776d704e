"""Reads the gate's rules from the workspace policy (defaults until a policy is adopted)."""

from __future__ import annotations

from garant.audit.gate import RunPolicy
from garant.workspace import Workspace

__all__ = ["run_policy_for"]


def run_policy_for(workspace: Workspace) -> RunPolicy:
    return RunPolicy()
