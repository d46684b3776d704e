"""The starter packs shipped in the package are the ones people read in ``policies/``."""

from __future__ import annotations

from pathlib import Path

from garant.governance.policy import starter_packs_dir

REPOSITORY_POLICIES = Path(__file__).resolve().parents[3] / "policies"


def test_shipped_starter_packs_are_identical_to_the_repository_ones() -> None:
    shipped = {path.name: path.read_bytes() for path in starter_packs_dir().glob("*.yaml")}
    readable = {path.name: path.read_bytes() for path in REPOSITORY_POLICIES.glob("*.yaml")}
    assert shipped == readable
    assert set(shipped) == {"collectivite.yaml", "agence.yaml", "enquete.yaml"}


def test_no_starter_pack_ships_a_real_looking_public_contact() -> None:
    import re

    from garant.governance.policy import contact_missing, load_policy, starter_pack_path

    for kind in ("collectivite", "agence", "enquete"):
        policy = load_policy(starter_pack_path(kind))
        assert not re.search(r"[\w.-]+@[\w-]+\.\w+", policy.disclosure.contact), kind
        assert "belleval" not in policy.disclosure.contact.lower()
    assert contact_missing(load_policy(starter_pack_path("collectivite")))
