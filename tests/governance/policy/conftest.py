"""Fixtures for policy tests: the starter packs, and helpers to derive variants from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from garant.governance.policy import Policy, PolicyStatus, load_policy, starter_pack_path

POLICIES_DIR = Path(__file__).resolve().parents[3] / "policies"


def approved(policy: Policy) -> Policy:
    """The same policy at status approved (the gate only runs under a policy in force)."""
    return policy.model_copy(update={"status": PolicyStatus.APPROVED})


@pytest.fixture
def collectivite() -> Policy:
    return approved(load_policy(starter_pack_path("collectivite")))


@pytest.fixture
def enquete() -> Policy:
    return approved(load_policy(starter_pack_path("enquete")))


@pytest.fixture
def agence() -> Policy:
    return approved(load_policy(starter_pack_path("agence")))
