"""The policy gate refuses a run for each rule, names the rule, and says when to pseudonymise."""

from __future__ import annotations

from dataclasses import replace

import pytest

from garant.errors import PolicyRefusal
from garant.governance.policy import (
    Hosting,
    Policy,
    PolicyStatus,
    PseudonymisationMode,
    RunRequest,
    classify_hosting,
    evaluate_review,
    evaluate_run_request,
    may_reidentify,
)
from garant.i18n import set_language


def _request(**changes: object) -> RunRequest:
    """A request the collectivité pack allows: an agent synthesising contributions with Albert."""
    base = RunRequest(
        use_key="synthese-concertation",
        use_status="approved",
        tool_key="albert",
        tool_status="approved",
        tool_access_mode="api",
        hosting=Hosting.HOSTED_FR,
        data_categories=frozenset({"public_contributions"}),
        operator="cmartin",
        operator_roles=frozenset({"agent"}),
        analysis_kind="synthesis",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_allowed_request_passes_and_requires_pseudonymisation_for_hosted_tool(
    collectivite: Policy,
) -> None:
    decision = evaluate_run_request(collectivite, _request())
    assert decision.allowed
    assert decision.refusals == ()
    assert decision.pseudonymisation_required
    assert decision.pseudonymisation_rules == ("data.public_contributions.pseudonymisation",)
    decision.raise_if_refused()  # no exception


def test_local_model_needs_no_pseudonymisation_for_personal_data(collectivite: Policy) -> None:
    request = _request(
        tool_key="ollama-local",
        tool_access_mode="local",
        hosting=Hosting.LOCAL,
        data_categories=frozenset({"personal"}),
    )
    decision = evaluate_run_request(collectivite, request)
    assert decision.allowed
    assert not decision.pseudonymisation_required


def test_draft_policy_allows_no_run(collectivite: Policy) -> None:
    draft = collectivite.model_copy(update={"status": PolicyStatus.DRAFT})
    decision = evaluate_run_request(draft, _request())
    assert decision.rules == ("policy.not_in_force",)


def test_unregistered_use_is_refused(collectivite: Policy) -> None:
    decision = evaluate_run_request(collectivite, _request(use_key=None, use_status=None))
    assert decision.rules == ("use.not_registered",)


def test_use_not_approved_is_refused_naming_its_status(collectivite: Policy) -> None:
    decision = evaluate_run_request(collectivite, _request(use_status="under_review"))
    assert decision.rules == ("use.not_approved",)
    assert "synthese-concertation" in decision.refusals[0].message_fr
    assert "en cours d'examen" in decision.refusals[0].message_fr


@pytest.mark.parametrize(
    ("status", "rule"),
    [
        ("forbidden", "tool.forbidden"),
        ("under_review", "tool.under_review"),
        ("retired", "tool.retired"),
    ],
)
def test_tool_forbidden_or_under_review_in_registry_is_refused(
    collectivite: Policy, status: str, rule: str
) -> None:
    decision = evaluate_run_request(collectivite, _request(tool_status=status))
    assert decision.rules == (rule,)


def test_tool_forbidden_by_key_in_policy_is_refused_with_its_reason(collectivite: Policy) -> None:
    request = _request(tool_key="chatgpt-grand-public", tool_access_mode="web_app")
    decision = evaluate_run_request(collectivite, request)
    assert "tools.forbidden" in decision.rules
    refusal = next(r for r in decision.refusals if r.rule == "tools.forbidden")
    assert "(outil chatgpt-grand-public)" in refusal.message_fr
    assert "conditions d'utilisation incompatibles" in refusal.message_fr


def test_tool_forbidden_by_access_mode_is_refused(collectivite: Policy) -> None:
    request = _request(tool_key="assistant-web", tool_access_mode="web_app")
    decision = evaluate_run_request(collectivite, request)
    assert decision.rules == ("tools.forbidden",)
    assert "accès : application web" in decision.refusals[0].message_fr


def test_tool_allowed_by_key_overrides_a_forbidden_access_mode(enquete: Policy) -> None:
    # The enquête pack forbids every API but names Albert: the rule naming the tool wins.
    request = _request(
        operator_roles=frozenset({"commissaire_enqueteur"}),
        tool_key="albert",
        tool_access_mode="api",
    )
    assert evaluate_run_request(enquete, request).allowed
    other_api = replace(request, tool_key="mistral-small")
    assert evaluate_run_request(enquete, other_api).rules == ("tools.forbidden",)


def test_unlisted_tool_is_refused(collectivite: Policy) -> None:
    request = _request(tool_key="outil-inconnu", tool_access_mode="api")
    assert evaluate_run_request(collectivite, request).rules == ("tools.not_allowed",)


def test_unlisted_tool_passes_when_policy_allows_unlisted(collectivite: Policy) -> None:
    permissive = collectivite.model_copy(
        update={"tools": collectivite.tools.model_copy(update={"unlisted": "allow"})}
    )
    request = _request(tool_key="outil-inconnu", tool_access_mode="api")
    assert evaluate_run_request(permissive, request).allowed


def test_personal_data_to_non_eu_provider_is_refused(collectivite: Policy) -> None:
    request = _request(
        tool_key="mistral-small",
        hosting=Hosting.HOSTED_NON_EU,
        data_categories=frozenset({"personal"}),
    )
    decision = evaluate_run_request(collectivite, request)
    assert decision.rules == ("data.personal.hosting",)
    assert "hébergé hors UE" in decision.refusals[0].message_fr
    assert "hosted outside the EU" in decision.refusals[0].message_en


def test_special_category_data_to_any_hosted_model_is_refused(collectivite: Policy) -> None:
    for hosting in (Hosting.HOSTED_FR, Hosting.HOSTED_EU, Hosting.HOSTED_NON_EU):
        request = _request(hosting=hosting, data_categories=frozenset({"special", "personal"}))
        rules = evaluate_run_request(collectivite, request).rules
        assert "data.special.hosting" in rules, hosting


def test_special_category_data_on_a_local_model_passes_pseudonymised(collectivite: Policy) -> None:
    request = _request(
        tool_key="ollama-local",
        tool_access_mode="local",
        hosting=Hosting.LOCAL,
        data_categories=frozenset({"special"}),
    )
    decision = evaluate_run_request(collectivite, request)
    assert decision.allowed
    # the pack says "always" for special categories, even on a local model
    assert decision.pseudonymisation_rules == ("data.special.pseudonymisation",)


def test_required_pseudonymisation_unavailable_is_refused(collectivite: Policy) -> None:
    decision = evaluate_run_request(collectivite, _request(pseudonymisation_available=False))
    assert decision.rules == ("data.public_contributions.pseudonymisation",)


def test_use_without_declared_data_categories_is_refused(collectivite: Policy) -> None:
    decision = evaluate_run_request(collectivite, _request(data_categories=frozenset()))
    assert decision.rules == ("data.undeclared",)


def test_operator_without_allowed_role_is_refused(collectivite: Policy) -> None:
    decision = evaluate_run_request(collectivite, _request(operator_roles=frozenset({"dpo"})))
    assert decision.rules == ("roles.run_analyses",)
    assert "cmartin" in decision.refusals[0].message_fr


def test_role_restricted_per_analysis_kind(collectivite: Policy) -> None:
    # An agent may synthesise but not run a sortition (referent or resource person only).
    sortition = _request(
        analysis_kind="sortition",
        tool_key="hors-ligne",
        tool_access_mode="local",
        hosting=Hosting.OFFLINE,
        data_categories=frozenset({"personal"}),
    )
    assert evaluate_run_request(collectivite, sortition).rules == ("roles.run_by_kind.sortition",)
    referent = replace(sortition, operator_roles=frozenset({"referent_ia"}))
    assert evaluate_run_request(collectivite, referent).allowed


def test_forbidden_use_purpose_is_refused_naming_the_policy_label(enquete: Policy) -> None:
    request = _request(
        operator_roles=frozenset({"commissaire_enqueteur"}),
        purposes=frozenset({"inquiry_conclusions"}),
    )
    decision = evaluate_run_request(enquete, request)
    assert decision.rules == ("forbidden_uses.inquiry_conclusions",)
    assert "Rédiger les conclusions motivées" in decision.refusals[0].message_fr


def test_every_reason_is_listed_not_only_the_first(collectivite: Policy) -> None:
    request = _request(
        use_status="draft",
        tool_status="under_review",
        hosting=Hosting.HOSTED_NON_EU,
        data_categories=frozenset({"personal"}),
        operator_roles=frozenset(),
        purposes=frozenset({"individual_decision"}),
    )
    rules = evaluate_run_request(collectivite, request).rules
    assert rules == (
        "use.not_approved",
        "tool.under_review",
        "data.personal.hosting",
        "roles.run_analyses",
        "forbidden_uses.individual_decision",
    )


def test_raise_if_refused_raises_policy_refusal_with_rule(collectivite: Policy) -> None:
    decision = evaluate_run_request(collectivite, _request(use_key=None))
    with pytest.raises(PolicyRefusal) as caught:
        decision.raise_if_refused()
    assert caught.value.rule == "use.not_registered"
    assert "politique-ia-collectivite v1" in caught.value.message
    assert "[use.not_registered]" in caught.value.message


def test_refusal_message_follows_the_current_language(collectivite: Policy) -> None:
    refusal = evaluate_run_request(collectivite, _request(use_key=None)).refusals[0]
    assert refusal.message == refusal.message_fr
    set_language("en")
    assert refusal.message == refusal.message_en
    assert refusal.message_en.startswith("Rule use.not_registered")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"hosted": False, "region": "local", "offline": True}, Hosting.OFFLINE),
        ({"hosted": False, "region": "local"}, Hosting.LOCAL),
        ({"hosted": True, "region": "FR"}, Hosting.HOSTED_FR),
        ({"hosted": True, "region": "eu"}, Hosting.HOSTED_EU),
        ({"hosted": True, "region": "DE"}, Hosting.HOSTED_EU),
        ({"hosted": True, "region": "US"}, Hosting.HOSTED_NON_EU),
        ({"hosted": True, "region": "FR", "data_leaves_eu": True}, Hosting.HOSTED_NON_EU),
    ],
)
def test_classify_hosting_from_registry_facts(kwargs: dict[str, object], expected: Hosting) -> None:
    assert classify_hosting(**kwargs) is expected  # type: ignore[arg-type]


def test_review_by_the_operator_is_refused_under_four_eyes(collectivite: Policy) -> None:
    decision = evaluate_review(
        collectivite,
        reviewer="cmartin",
        reviewer_roles=frozenset({"referent_ia"}),
        operator="cmartin",
    )
    assert decision.rules == ("human_review.distinct_from_operator",)
    other = evaluate_review(
        collectivite,
        reviewer="adurand",
        reviewer_roles=frozenset({"referent_ia"}),
        operator="cmartin",
    )
    assert other.allowed


def test_review_by_a_role_not_allowed_is_refused(collectivite: Policy) -> None:
    decision = evaluate_review(
        collectivite, reviewer="adurand", reviewer_roles=frozenset({"agent"}), operator="cmartin"
    )
    assert decision.rules == ("human_review.reviewer_roles",)


def test_inquiry_officer_reviews_their_own_run(enquete: Policy) -> None:
    decision = evaluate_review(
        enquete,
        reviewer="jlefebvre",
        reviewer_roles=frozenset({"commissaire_enqueteur"}),
        operator="jlefebvre",
    )
    assert decision.allowed


def test_reidentification_is_reserved_to_the_listed_roles(
    collectivite: Policy, enquete: Policy
) -> None:
    assert may_reidentify(collectivite, frozenset({"dpo"}))
    assert not may_reidentify(collectivite, frozenset({"agent"}))
    assert may_reidentify(enquete, frozenset({"commissaire_enqueteur"}))


def test_gate_refuses_patterns_mode_for_contributions_sent_to_a_hosted_model(
    collectivite: Policy,
) -> None:
    """Issue 10.5: contributions to a hosted model need ``full``; ``patterns`` lets names out."""
    weak = evaluate_run_request(collectivite, _request(pseudonymisation_mode="patterns"))
    assert weak.rules == ("data.public_contributions.minimum_mode",)
    assert "« full » au moins (demandée : « patterns »)" in weak.refusals[0].message_fr
    assert evaluate_run_request(collectivite, _request(pseudonymisation_mode="full")).allowed


def test_patterns_mode_is_accepted_where_nothing_leaves_the_machine(collectivite: Policy) -> None:
    local = _request(
        tool_key="ollama-local",
        tool_access_mode="local",
        hosting=Hosting.LOCAL,
        pseudonymisation_mode="patterns",
    )
    assert evaluate_run_request(collectivite, local).allowed


def test_personal_data_to_a_hosted_model_defaults_to_full_mode(collectivite: Policy) -> None:
    """The pack says nothing for personal data: pseudonymised when hosted means ``full``."""
    rule = collectivite.data_rule("personal")
    assert Hosting.HOSTED_EU not in rule.minimum_mode
    request = _request(data_categories=frozenset({"personal"}), pseudonymisation_mode="patterns")
    assert evaluate_run_request(collectivite, request).rules == ("data.personal.minimum_mode",)


def test_policy_may_lower_the_minimum_mode_explicitly(collectivite: Policy) -> None:
    lowered = collectivite.model_copy(
        update={
            "data": [
                rule.model_copy(
                    update={"minimum_mode": {Hosting.HOSTED_FR: PseudonymisationMode.PATTERNS}}
                )
                if rule.category.value == "public_contributions"
                else rule
                for rule in collectivite.data
            ]
        }
    )
    assert evaluate_run_request(lowered, _request(pseudonymisation_mode="patterns")).allowed


def test_unknown_hosting_region_is_treated_as_outside_the_eu() -> None:
    assert classify_hosting(hosted=True, region="") is Hosting.HOSTED_NON_EU
