"""Usage policies: the YAML schema, loading with precise errors, the run gate and the diff.

A workspace adopts a starter pack (``policies/collectivite.yaml``, ``agence.yaml``,
``enquete.yaml``), edits it, and has it approved; the audited-run wrapper calls
:func:`evaluate_run_request` before any model call.
"""

from __future__ import annotations

from garant.governance.policy.diff import ChangeKind, RuleChange, diff_policies, render_diff
from garant.governance.policy.editing import (
    ALLOWED_TRANSITIONS,
    check_transition,
    render_policy,
    set_policy_fields,
)
from garant.governance.policy.gate import (
    EU_COUNTRY_CODES,
    GateDecision,
    Refusal,
    RunRequest,
    classify_hosting,
    evaluate_review,
    evaluate_run_request,
    may_reidentify,
)
from garant.governance.policy.loading import (
    STARTER_PACKS,
    contact_missing,
    load_policy,
    parse_policy,
    policy_warnings,
    starter_pack_path,
    starter_packs_dir,
)
from garant.governance.policy.model import (
    ANALYSIS_KINDS,
    Approval,
    DataRule,
    Disclosure,
    ForbiddenUse,
    Hosting,
    HumanReview,
    OrganisationRef,
    Policy,
    PolicyStatus,
    Pseudonymisation,
    PseudonymisationMode,
    Retention,
    ReviewCadence,
    Roles,
    ToolRule,
    ToolRules,
    UsePurpose,
    hosting_label,
    purpose_label,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "ANALYSIS_KINDS",
    "EU_COUNTRY_CODES",
    "STARTER_PACKS",
    "Approval",
    "ChangeKind",
    "DataRule",
    "Disclosure",
    "ForbiddenUse",
    "GateDecision",
    "Hosting",
    "HumanReview",
    "OrganisationRef",
    "Policy",
    "PolicyStatus",
    "Pseudonymisation",
    "PseudonymisationMode",
    "Refusal",
    "Retention",
    "ReviewCadence",
    "Roles",
    "RuleChange",
    "RunRequest",
    "ToolRule",
    "ToolRules",
    "UsePurpose",
    "check_transition",
    "classify_hosting",
    "contact_missing",
    "diff_policies",
    "evaluate_review",
    "evaluate_run_request",
    "hosting_label",
    "load_policy",
    "may_reidentify",
    "parse_policy",
    "policy_warnings",
    "purpose_label",
    "render_diff",
    "render_policy",
    "set_policy_fields",
    "starter_pack_path",
    "starter_packs_dir",
]
