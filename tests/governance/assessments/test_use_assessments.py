"""Checklists of registered uses through the store: profile from the registry plus replies,
answers with evidence, and the assessment written back to the use (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from garant.domain.models import LedgerEntry
from garant.domain.policy_models import ChecklistAnswer
from garant.errors import ConflictError, InputError, NotFoundError
from garant.governance.assessments import (
    answer_item,
    assess_use,
    load_profile_answers,
    parse_profile_reply,
    start_checklist,
    use_profile,
)
from garant.governance.checklists import PROFILE_QUESTIONS, AnswerStatus
from garant.governance.policy import Hosting
from garant.governance.uses import get_use
from garant.store.engine import unit_of_work

TODAY = date(2026, 11, 23)
QUESTIONS = {q.field: q for q in PROFILE_QUESTIONS}


def test_chatbot_status_writes_risk_class_dpia_and_disclosure_back_to_the_use(
    filled_engine: Engine,
) -> None:
    # A chatbot answering residents, built on Albert (hosted in France), open to a whole town:
    # people talk with it → Art. 50(1) transparency → limited risk, disclosure required; large
    # scale + AI as innovative technology = two CNIL criteria → DPIA required.
    with unit_of_work(filled_engine) as session:
        profile = start_checklist(
            session,
            "assistant",
            {"interacts_with_public": True, "generative": True, "large_scale": True},
            "t",
        )
    assert profile.hosting is Hosting.HOSTED_FR
    with unit_of_work(filled_engine) as session:
        assessment = assess_use(session, "assistant", today=TODAY, actor="t")
    assert assessment.ai_act.transparency_duties == ("50(1)",)
    with unit_of_work(filled_engine) as session:
        use = get_use(session, "assistant").use
        events = [
            e.event for e in session.exec(select(LedgerEntry)) if not e.event.startswith("row_")
        ]
    assert (use.ai_act_risk_class, use.dpia_required, use.disclosure_required) == (
        "limited",
        True,
        True,
    )
    assert events == ["checklist_profile", "checklist_assessment"]


def test_non_eu_synthesis_takes_hosting_from_its_tool_and_needs_transfer_safeguards(
    filled_engine: Engine,
) -> None:
    # The synthesis sends contributions with personal data to a US API (data leaves the EU):
    # the registry's tool gives hosted_non_eu, so GDPR Art. 44+ transfers and Art. 28 apply.
    with unit_of_work(filled_engine) as session:
        start_checklist(
            session, "synthese-us", {"publishes_text_to_public": True, "human_review": True}, "t"
        )
        assessment = assess_use(session, "synthese-us", today=TODAY, actor="t")
    open_ids = {state.item.id for state in assessment.open_obligations}
    assert {"RGPD-44", "RGPD-28"} <= open_ids


def test_status_before_start_says_how_to_start(filled_engine: Engine) -> None:
    with (
        pytest.raises(ConflictError, match="garant checklist start assistant"),
        unit_of_work(filled_engine) as session,
    ):
        assess_use(session, "assistant", today=TODAY)


def test_answers_with_file_evidence_keep_its_sha256_and_raise_the_score(
    filled_engine: Engine, tmp_path: Path
) -> None:
    evidence = tmp_path / "formation.pdf"
    evidence.write_bytes(b"%PDF-1.4 attestation de formation")
    with unit_of_work(filled_engine) as session:
        start_checklist(session, "assistant", {"interacts_with_public": True}, "t")
        before = assess_use(session, "assistant", today=TODAY).score
        answer = answer_item(
            session, "assistant", "RIA-4", "done", evidence_file=evidence, actor="t", on=TODAY
        )
        answer_item(
            session, "assistant", "RIA-4", "done", evidence_text="Liste d'émargement", actor="t"
        )
        after = assess_use(session, "assistant", today=TODAY)
    import hashlib

    assert answer.evidence[0].sha256 == hashlib.sha256(evidence.read_bytes()).hexdigest()
    with unit_of_work(filled_engine) as session:
        row = session.exec(select(ChecklistAnswer)).one()
    assert [e["kind"] for e in row.evidence] == ["file", "text"]  # evidence accumulates
    state = next(s for s in after.items if s.item.id == "RIA-4")
    assert state.status is AnswerStatus.DONE and state.satisfied
    assert after.score > before


def test_not_applicable_needs_a_note_and_unknown_items_are_named(filled_engine: Engine) -> None:
    with pytest.raises(InputError, match="justifié"), unit_of_work(filled_engine) as session:
        answer_item(session, "assistant", "RIA-4", "not_applicable")
    with pytest.raises(NotFoundError, match="RIA-999"), unit_of_work(filled_engine) as session:
        answer_item(session, "assistant", "RIA-999", "done")
    with pytest.raises(InputError, match="Statut inconnu"), unit_of_work(filled_engine) as session:
        answer_item(session, "assistant", "RIA-4", "fini")


def test_restarting_replaces_the_profile_replies(filled_engine: Engine) -> None:
    with unit_of_work(filled_engine) as session:
        start_checklist(session, "assistant", {"interacts_with_public": True}, "t")
        start_checklist(session, "assistant", {"interacts_with_public": False}, "t")
        assert use_profile(session, "assistant").interacts_with_public is False


def test_typed_replies_are_parsed_per_question_kind() -> None:
    assert parse_profile_reply(QUESTIONS["interacts_with_public"], "Oui") is True
    assert parse_profile_reply(QUESTIONS["interacts_with_public"], "n") is False
    assert parse_profile_reply(QUESTIONS["annex_iii"], "5a, 8b") == ["5a", "8b"]
    assert parse_profile_reply(QUESTIONS["annex_iii"], "aucun") == []
    assert parse_profile_reply(QUESTIONS["art_6_3_derogation"], "aucune") is None
    assert parse_profile_reply(QUESTIONS["agents_count"], "120") == 120
    with pytest.raises(InputError, match=r"Réponse invalide : .9z."):
        parse_profile_reply(QUESTIONS["annex_iii"], "9z")
    with pytest.raises(InputError, match="oui ou non"):
        parse_profile_reply(QUESTIONS["profiling"], "peut-être")


def test_answers_file_errors_name_file_line_and_question(tmp_path: Path) -> None:
    path = tmp_path / "profil.yaml"
    path.write_text("generative: true\nannex_iii: [5a]\ninconnue: 3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"profil\.yaml, ligne 3 .*inconnue"):
        load_profile_answers(path)
    path.write_text("generative: true\nannex_iii: [5a]\nagents_count: 60\n", encoding="utf-8")
    assert load_profile_answers(path) == {
        "generative": True,
        "annex_iii": ["5a"],
        "agents_count": 60,
    }
