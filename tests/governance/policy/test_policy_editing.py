"""Lifecycle edits keep the referent's file readable; policy show reads well."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from garant.domain.enums import RoleName
from garant.errors import ConflictError
from garant.governance.policy import (
    Approval,
    PolicyStatus,
    check_transition,
    diff_policies,
    parse_policy,
    render_policy,
    set_policy_fields,
)

PACK = Path(__file__).resolve().parents[3] / "policies" / "collectivite.yaml"


def test_approval_sets_status_and_block_and_keeps_comments() -> None:
    text = PACK.read_text(encoding="utf-8")
    approval = Approval(
        approved_by='Anne "Nano" Durand', role=RoleName.REFERENT_IA, approved_on=date(2026, 11, 23)
    )
    new_text, policy = set_policy_fields(
        text, "p.yaml", status=PolicyStatus.APPROVED, approval=approval
    )
    assert policy.status is PolicyStatus.APPROVED
    assert policy.approval == approval
    assert "# Un outil non cité ci-dessous est refusé" in new_text  # comments kept
    # Only status and approval changed, rule by rule.
    rules = {c.rule for c in diff_policies(parse_policy(text), policy)}
    assert rules == {"meta.status"}


def test_new_version_replaces_the_previous_approval() -> None:
    text = PACK.read_text(encoding="utf-8")
    approval = Approval(approved_by="adurand", role=RoleName.DPO, approved_on=date(2026, 11, 23))
    approved_text, _ = set_policy_fields(
        text, "p.yaml", status=PolicyStatus.APPROVED, approval=approval
    )
    draft_text, draft = set_policy_fields(
        approved_text, "p.yaml", status=PolicyStatus.DRAFT, version=2, clear_approval=True
    )
    assert draft.version == 2
    assert draft.status is PolicyStatus.DRAFT
    assert draft.approval is None
    assert "approval:" not in draft_text
    # Approving twice replaces the block rather than duplicating it.
    again, policy = set_policy_fields(approved_text, "p.yaml", approval=approval)
    assert again.count("approval:") == 1 and policy.approval == approval


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (PolicyStatus.DRAFT, PolicyStatus.APPROVED),
        (PolicyStatus.APPROVED, PolicyStatus.PUBLISHED),
        (PolicyStatus.PUBLISHED, PolicyStatus.SUPERSEDED),
    ],
)
def test_lifecycle_steps_are_allowed(current: PolicyStatus, wanted: PolicyStatus) -> None:
    check_transition(current, wanted)


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (PolicyStatus.DRAFT, PolicyStatus.PUBLISHED),
        (PolicyStatus.PUBLISHED, PolicyStatus.DRAFT),
        (PolicyStatus.SUPERSEDED, PolicyStatus.APPROVED),
    ],
)
def test_lifecycle_shortcuts_and_reversals_are_refused(
    current: PolicyStatus, wanted: PolicyStatus
) -> None:
    with pytest.raises(ConflictError, match="ne peut pas passer"):
        check_transition(current, wanted)


def test_render_policy_states_the_rules_in_french() -> None:
    text = render_policy(parse_policy(PACK.read_text(encoding="utf-8")))
    assert text.startswith(
        "Politique d'usage de l'intelligence artificielle de la collectivité — "
        "politique-ia-collectivite v1 (brouillon)"
    )
    assert (
        "  données personnelles : hors ligne (aucun modèle), modèle local, hébergé en France, "
        "hébergé dans l'UE ; pseudonymisées si le modèle est hébergé" in text
    )
    assert (
        "  catégories particulières (art. 9 RGPD) : hors ligne (aucun modèle), modèle local ; "
        "toujours pseudonymisées" in text
    )
    assert "  - Rédiger" not in text
    assert (
        "  - Modérer en direct une réunion publique sans animateur humain [live_moderation_without_human]"
        in text
    )
    assert "Révision tous les 12 mois ; prochaine : 30/11/2027" in text
