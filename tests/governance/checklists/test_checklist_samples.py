"""Three sample uses from the field, with the profile and obligations a referent should expect.

The date is fixed at 23/11/2026: AI Act Art. 4 and 5 apply (since 02/02/2025), Art. 50
transparency applies (since 02/08/2026), the Omnibus prohibition on intimate imagery is a week
away (02/12/2026) and Annex III high-risk duties are postponed to 02/12/2027.
"""

from __future__ import annotations

from datetime import date

from garant.domain.enums import AIActRiskClass, DataCategory, ParticipationStage
from garant.governance.checklists import UseProfile, assess
from garant.governance.policy import (
    Hosting,
    PolicyStatus,
    RunRequest,
    evaluate_run_request,
    load_policy,
    starter_pack_path,
)

TODAY = date(2026, 11, 23)


def _ids(states: tuple[object, ...]) -> set[str]:
    return {state.item.id for state in states}  # type: ignore[attr-defined]


# --- 1. A chatbot answering residents --------------------------------------------------------

CHATBOT = UseProfile(
    use_key="assistant-concertation",
    purpose="Répondre aux questions des habitants sur la concertation du plan vélo",
    stage=ParticipationStage.COLLECTION,
    # Residents type their questions freely: names, addresses and situations come in.
    data_categories=frozenset({DataCategory.PERSONAL}),
    hosting=Hosting.HOSTED_EU,
    generative=True,
    # The metropolis had the assistant built on an EU-hosted model and puts it online under its
    # own name: under Art. 3(3) that makes it the *provider* of this AI system.
    role="provider",
    interacts_with_public=True,
    # Open to every resident of a metropolis: large scale (EDPB criterion 5).
    large_scale=True,
    agents_count=3200,
)


def test_chatbot_profile_is_provider_limited_risk_with_chatbot_notice() -> None:
    assessment = assess(CHATBOT, [], TODAY)
    ai_act = assessment.ai_act
    assert ai_act.in_scope
    assert ai_act.role == "provider"
    # No Annex III area, no prohibited practice; talking with the public → Art. 50(1) only,
    # hence "limited risk (transparency)".
    assert ai_act.risk_class is AIActRiskClass.LIMITED
    assert ai_act.transparency_duties == ("50(1)",)
    assert assessment.disclosure_required
    assert assessment.record_updates() == {
        "ai_act_risk_class": "limited",
        "dpia_required": True,
        "disclosure_required": True,
    }


def test_chatbot_needs_a_dpia_for_large_scale_and_innovative_technology() -> None:
    dpia = assess(CHATBOT, [], TODAY).dpia
    # Two criteria: large scale (5) and AI as an innovative technology (8) → DPIA in principle.
    assert dpia.criteria == (5, 8)
    assert dpia.mandatory_cases == ()
    assert dpia.required


def test_chatbot_open_obligations_and_dates() -> None:
    assessment = assess(CHATBOT, [], TODAY)
    open_ids = _ids(assessment.open_obligations)
    # Transparency towards the person chatting, in force since 02/08/2026.
    assert {"RIA-50-1", "RIA-50-5"} <= open_ids
    # The EU host is a processor (Art. 28); a DPIA is due; no transfer outside the EU.
    assert {"RGPD-28", "RGPD-35-AIPD", "RGPD-13-14", "RGPD-30", "RIA-4", "RIA-5"} <= open_ids
    assert "RGPD-44" not in open_ids
    # Nothing is published as public-interest text; no high-risk duty; no public inquiry.
    assert not open_ids & {"RIA-50-4-TEXTE", "RIA-26-CONTROLE", "RIA-27", "EP-OBSERVATIONS"}
    # Generative model: the Omnibus prohibition applies from 02/12/2026 — upcoming, not yet due.
    omnibus = next(s for s in assessment.items if s.item.id == "RIA-5-OMNIBUS")
    assert not omnibus.in_force
    assert omnibus.applies_from == date(2026, 12, 2)
    assert _ids(assessment.upcoming) == {"RIA-5-OMNIBUS"}


def test_chatbot_notice_was_not_yet_due_before_august_2026() -> None:
    before = assess(CHATBOT, [], date(2026, 7, 1))
    states = {s.item.id: s for s in before.items}
    assert not states["RIA-50-1"].in_force
    assert states["RIA-4"].in_force  # AI literacy applies since 02/02/2025


# --- 2. Synthesis of consultation contributions sent to a non-EU API -----------------------

SYNTHESIS = UseProfile(
    use_key="synthese-contributions",
    purpose="Synthétiser 4 000 contributions à la concertation sur le PLUi",
    stage=ParticipationStage.ANALYSIS,
    # Signed contributions: personal data and contributions of the public.
    data_categories=frozenset({DataCategory.PERSONAL, DataCategory.PUBLIC_CONTRIBUTIONS}),
    # A US provider's API: the data leave the EU.
    hosting=Hosting.HOSTED_NON_EU,
    generative=True,
    role="deployer",  # a third party's model used under the authority of the collectivité
    # The synthesis is published on the consultation website to inform the public.
    publishes_text_to_public=True,
    # It is reread by the project lead, but nobody is named as editorially responsible.
    human_review=True,
    editorial_responsible="",
    large_scale=True,
)


def test_synthesis_profile_is_deployer_limited_risk_with_public_interest_text_duty() -> None:
    assessment = assess(SYNTHESIS, [], TODAY)
    assert assessment.ai_act.role == "deployer"
    assert assessment.ai_act.risk_class is AIActRiskClass.LIMITED
    assert assessment.ai_act.transparency_duties == ("50(4)-text",)
    # Art. 50(4) second subparagraph lifts the label only if BOTH a human review took place AND a
    # person holds editorial responsibility: the review alone is not enough.
    assert not assessment.ai_act.art_50_4_exempt
    assert assessment.disclosure_required


def test_synthesis_label_duty_lifted_once_someone_holds_editorial_responsibility() -> None:
    from dataclasses import replace

    signed = replace(
        SYNTHESIS, editorial_responsible="Claire Martin, directrice de la participation"
    )
    assessment = assess(signed, [], TODAY)
    assert assessment.ai_act.art_50_4_exempt
    assert not assessment.disclosure_required
    # The item stays on the list: the evidence of review and responsibility must be kept.
    assert "RIA-50-4-TEXTE" in _ids(assessment.open_obligations)


def test_synthesis_needs_a_dpia_transfer_safeguards_and_a_processor_contract() -> None:
    assessment = assess(SYNTHESIS, [], TODAY)
    assert assessment.dpia.required
    assert assessment.dpia.criteria == (5, 8)
    open_ids = _ids(assessment.open_obligations)
    # Non-EU API + personal data → transfer rules (Art. 44+); the provider is a processor.
    assert {"RGPD-44", "RGPD-28", "RGPD-35-AIPD"} <= open_ids
    # Contributions may reveal political opinions → special-category check (Art. 9).
    assert "RGPD-9" in open_ids
    assert "RIA-50-4-TEXTE" in open_ids
    assert "RIA-50-1" not in open_ids  # nobody chats with it


def test_synthesis_to_non_eu_api_is_refused_by_the_collectivite_policy_gate() -> None:
    # The same use, tried under the local-authority starter pack: both data categories are
    # refused for a non-EU host, whatever the checklist says.
    policy = load_policy(starter_pack_path("collectivite")).model_copy(
        update={"status": PolicyStatus.APPROVED}
    )
    request = RunRequest(
        use_key=SYNTHESIS.use_key,
        use_status="approved",
        tool_key="mistral-small",
        tool_status="approved",
        tool_access_mode="api",
        hosting=SYNTHESIS.hosting,
        data_categories=frozenset(c.value for c in SYNTHESIS.data_categories),
        operator="cmartin",
        operator_roles=frozenset({"agent"}),
        analysis_kind="synthesis",
    )
    assert evaluate_run_request(policy, request).rules == (
        "data.personal.hosting",
        "data.public_contributions.hosting",
    )


# --- 3. A sortition of a citizens' panel -----------------------------------------------------

SORTITION = UseProfile(
    use_key="tirage-panel-climat",
    purpose="Tirer au sort 60 habitants pour la convention citoyenne sur le climat",
    stage=ParticipationStage.DESIGN,
    data_categories=frozenset({DataCategory.PERSONAL}),
    hosting=Hosting.OFFLINE,
    # A stratified random draw with quotas infers nothing: it is not an AI system (Art. 3(1)).
    ai_system=False,
    selects_persons_by_lot=True,
    # Drawn from the electoral lists of a town of 90 000 inhabitants: large scale.
    large_scale=True,
)


def test_sortition_is_outside_the_ai_act() -> None:
    assessment = assess(SORTITION, [], TODAY)
    assert not assessment.ai_act.in_scope
    assert assessment.ai_act.risk_class is None
    assert assessment.ai_act.transparency_duties == ()
    assert not assessment.disclosure_required
    assert assessment.record_updates()["ai_act_risk_class"] is None


def test_sortition_needs_no_dpia_with_a_single_criterion() -> None:
    dpia = assess(SORTITION, [], TODAY).dpia
    # Only large scale (5); no AI, so no "innovative technology" criterion → one criterion.
    assert dpia.criteria == (5,)
    assert not dpia.required


def test_sortition_obligations_are_gdpr_and_a_verifiable_draw() -> None:
    assessment = assess(SORTITION, [], TODAY)
    open_ids = _ids(assessment.open_obligations)
    # Still to justify that the tool is not an AI system, and the GDPR basics for the lists.
    assert {"RIA-CHAMP", "RGPD-6", "RGPD-13-14", "RGPD-30", "RGPD-35-ANALYSE"} <= open_ids
    # The draw must be verifiable by anyone.
    assert "GOV-TIRAGE" in open_ids
    # No AI Act duty at all, no processor (offline), no DPIA to carry out.
    assert not {i for i in open_ids if i.startswith("RIA-") and i != "RIA-CHAMP"}
    assert not open_ids & {"RGPD-28", "RGPD-44", "RGPD-35-AIPD", "GOV-SOBRIETE"}
    assert assessment.upcoming == ()
