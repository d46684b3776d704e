"""The assessment engine: risk classes, DPIA rule, answers, evidence and the completion score."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from garant.domain.enums import AIActRiskClass, DataCategory, ParticipationStage
from garant.errors import InputError
from garant.governance.checklists import (
    PROFILE_QUESTIONS,
    Answer,
    AnswerStatus,
    Evidence,
    UseProfile,
    assess,
    assessment_to_dict,
    load_catalogue,
    profile_from_mapping,
    profile_from_registry,
    profile_to_mapping,
    render_assessment,
)
from garant.governance.policy import Hosting
from garant.i18n import set_language

TODAY = date(2026, 11, 23)

BASE = UseProfile(
    use_key="usage",
    purpose="Aide à l'instruction",
    stage=ParticipationStage.ANALYSIS,
    data_categories=frozenset({DataCategory.PERSONAL}),
    hosting=Hosting.LOCAL,
)


def _ids(states: tuple[object, ...]) -> set[str]:
    return {s.item.id for s in states}  # type: ignore[attr-defined]


def test_annex_iii_public_benefits_makes_a_high_risk_use_with_a_fria() -> None:
    profile = replace(BASE, annex_iii=frozenset({"5a"}), individual_decisions=True)
    assessment = assess(profile, [], TODAY)
    assert assessment.ai_act.risk_class is AIActRiskClass.HIGH
    ids = _ids(assessment.items)
    assert {"RIA-26-CONTROLE", "RIA-27", "RIA-86", "RIA-6-3", "CRPA-MENTION", "RGPD-22"} <= ids
    # High-risk duties are dated 02/12/2027: applicable but not yet in force.
    fria = next(s for s in assessment.items if s.item.id == "RIA-27")
    assert not fria.in_force and fria.applies_from == date(2027, 12, 2)
    assert "RIA-27" in _ids(assessment.upcoming)


def test_fria_is_not_due_for_critical_infrastructure_only() -> None:
    profile = replace(BASE, annex_iii=frozenset({"2"}))
    ids = _ids(assess(profile, [], TODAY).items)
    assert "RIA-26-CONTROLE" in ids
    assert "RIA-27" not in ids


def test_art_6_3_derogation_without_profiling_is_not_high_risk() -> None:
    profile = replace(BASE, annex_iii=frozenset({"5a"}), art_6_3_derogation="d")
    assessment = assess(profile, [], TODAY)
    assert assessment.ai_act.risk_class is AIActRiskClass.MINIMAL
    assert "RIA-6-3" in _ids(assessment.items)
    assert "RIA-27" not in _ids(assessment.items)


def test_profiling_excludes_the_art_6_3_derogation() -> None:
    profile = replace(BASE, annex_iii=frozenset({"5a"}), art_6_3_derogation="d", profiling=True)
    assessment = assess(profile, [], TODAY)
    assert assessment.ai_act.risk_class is AIActRiskClass.HIGH
    assert any("dérogation de l'art. 6(3) est exclue" in r.fr for r in assessment.ai_act.reasons)


def test_prohibited_practice_dominates_and_asks_to_stop() -> None:
    profile = replace(BASE, prohibited_practices=frozenset({"c"}), interacts_with_public=True)
    assessment = assess(profile, [], TODAY)
    assert assessment.ai_act.risk_class is AIActRiskClass.PROHIBITED
    assert "RIA-5-ARRET" in _ids(assessment.items)


def test_provider_of_high_risk_system_gets_provider_duties_not_deployer_ones() -> None:
    profile = replace(BASE, annex_iii=frozenset({"4"}), role="provider")
    ids = _ids(assess(profile, [], TODAY).items)
    assert "RIA-FOURNISSEUR-HR" in ids
    assert "RIA-26-CONTROLE" not in ids


def test_high_risk_duties_in_force_when_the_date_is_configured_earlier() -> None:
    catalogue = load_catalogue(date_overrides={"ria_annexe_iii": date(2026, 8, 2)})
    profile = replace(BASE, annex_iii=frozenset({"5a"}))
    assessment = assess(profile, [], TODAY, catalogue)
    assert "RIA-27" in _ids(assessment.in_force)


def test_mandatory_dpia_case_is_reported() -> None:
    profile = replace(
        BASE, data_categories=frozenset({DataCategory.SPECIAL}), large_scale=True, ai_system=False
    )
    dpia = assess(profile, [], TODAY).dpia
    assert dpia.mandatory_cases == ("35(3)(b)",)
    assert dpia.criteria == (4, 5)
    assert dpia.required


def test_no_personal_data_means_no_gdpr_items_and_no_dpia() -> None:
    profile = replace(BASE, data_categories=frozenset({DataCategory.NONE}))
    assessment = assess(profile, [], TODAY)
    assert not assessment.dpia.required
    assert not {i for i in _ids(assessment.items) if i.startswith("RGPD-")}


def test_done_without_evidence_is_not_satisfied_when_evidence_is_asked() -> None:
    answers = [Answer(item_id="RIA-4", status=AnswerStatus.DONE)]
    state = next(s for s in assess(BASE, answers, TODAY).items if s.item.id == "RIA-4")
    assert not state.satisfied
    assert "preuve à joindre" in state.problems[0].fr


def test_done_with_evidence_and_justified_not_applicable_count_in_the_score() -> None:
    before = assess(BASE, [], TODAY)
    total = len(before.in_force)
    answers = [
        Answer(
            item_id="RIA-4",
            status=AnswerStatus.DONE,
            evidence=(Evidence.from_text("Formation « IA et participation » le 12/10/2026"),),
        ),
        Answer(
            item_id="RIA-EXCLUSIONS", status=AnswerStatus.NOT_APPLICABLE, note="Usage professionnel"
        ),
        Answer(item_id="RIA-A3-4", status=AnswerStatus.NOT_APPLICABLE),  # no justification
        Answer(item_id="EP-CONCLUSIONS", status=AnswerStatus.DONE),  # not applicable to this use
    ]
    after = assess(BASE, answers, TODAY)
    assert after.score == pytest.approx(2 / total)
    assert before.score == 0.0
    assert after.unused_answers == ("EP-CONCLUSIONS",)
    unjustified = next(s for s in after.items if s.item.id == "RIA-A3-4")
    assert not unjustified.satisfied and "justifié" in unjustified.problems[0].fr
    assert "RIA-4" not in _ids(after.open_obligations)


def test_score_is_complete_when_every_obligation_in_force_is_satisfied() -> None:
    first = assess(BASE, [], TODAY)
    answers = [
        Answer(item_id=s.item.id, status=AnswerStatus.DONE, evidence=(Evidence.from_text("ok"),))
        for s in first.in_force
    ]
    done = assess(BASE, answers, TODAY)
    assert done.score == 1.0
    assert done.open_obligations == done.upcoming


def test_file_evidence_keeps_a_sha256_that_detects_changes(tmp_path: Path) -> None:
    path = tmp_path / "aipd.pdf"
    path.write_bytes(b"%PDF-1.7 AIPD v1")
    evidence = Evidence.from_file(path, evidence_id="aipd", added_by="dpo")
    assert evidence.sha256 == hashlib.sha256(b"%PDF-1.7 AIPD v1").hexdigest()
    assert evidence.file_unchanged()
    path.write_bytes(b"%PDF-1.7 AIPD v2")
    assert not evidence.file_unchanged()
    # Round-trips through JSON for the store.
    assert Evidence.model_validate_json(evidence.model_dump_json()) == evidence


def test_missing_evidence_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="introuvable"):
        Evidence.from_file(tmp_path / "absent.pdf")


def test_profile_round_trips_through_a_mapping() -> None:
    profile = replace(BASE, annex_iii=frozenset({"5a", "8b"}), agents_count=120)
    mapping = profile_to_mapping(profile)
    assert mapping["annex_iii"] == ["5a", "8b"]
    assert profile_from_mapping(mapping) == profile


@pytest.mark.parametrize(
    ("field", "value"),
    [("annex_iii", ["9z"]), ("role", "utilisateur"), ("large_scale", "oui"), ("hosting", "cloud")],
)
def test_bad_profile_values_name_the_field(field: str, value: object) -> None:
    mapping = profile_to_mapping(BASE) | {field: value}
    with pytest.raises(InputError, match=f"champ « {field} »"):
        profile_from_mapping(mapping)


def test_profile_questions_cover_real_fields_in_both_languages() -> None:
    names = set(profile_to_mapping(BASE))
    for question in PROFILE_QUESTIONS:
        assert question.field in names
        assert question.question_fr.endswith("?") or question.question_fr.endswith(")")
        assert question.question_en


def test_rendered_assessment_gives_profile_dpia_score_and_dated_obligations() -> None:
    profile = replace(BASE, annex_iii=frozenset({"5a"}))
    text = render_assessment(assess(profile, [], TODAY))
    assert "Profil RIA : déployeur × haut risque × aucune obligation de transparence" in text
    assert "AIPD : non requise" in text
    assert (
        "[à faire] RIA-27 — Analyse d'impact sur les droits fondamentaux (à partir du 02/12/2027)"
        in text
    )
    set_language("en")
    english = render_assessment(assess(profile, [], TODAY))
    assert "AI Act profile: deployer × high risk × no transparency duty" in english
    assert "(from 2027-12-02)" in english


def test_assessment_exports_to_json_ready_data() -> None:
    data = assessment_to_dict(assess(BASE, [], TODAY))
    assert data["ai_act"]["risk_class"] == "minimal"
    assert data["assessed_on"] == "2026-11-23"
    assert {item["id"] for item in data["items"]} >= {"RIA-4", "RGPD-30"}


def test_profile_from_registry_merges_use_columns_and_answers() -> None:
    profile = profile_from_registry(
        use_key="assistant",
        purpose="Répondre aux habitants",
        stage="collection",
        data_categories=["personal"],
        hosting="hosted_eu",
        answers={"interacts_with_public": True, "generative": True, "use_key": "ignoré"},
    )
    assert profile.use_key == "assistant"
    assert profile.hosting is Hosting.HOSTED_EU
    assert profile.data_categories == frozenset({DataCategory.PERSONAL})
    assert assess(profile, [], TODAY).ai_act.transparency_duties == ("50(1)",)


def test_profiling_that_grounds_individual_decisions_is_a_mandatory_dpia_case() -> None:
    profile = replace(BASE, profiling=True, individual_decisions=True, ai_system=False)
    dpia = assess(profile, [], TODAY).dpia
    assert dpia.mandatory_cases == ("35(3)(a)",)
    assert dpia.criteria == (1,)
    assert dpia.required  # a mandatory case needs no second criterion
