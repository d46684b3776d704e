"""The charter context comes from the policy, the registry and the roles; the public page lists
approved uses only."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from garant.domain.models import LedgerEntry
from garant.errors import InputError
from garant.governance.charter_data import build_charter_context, contact_channel, review_date_of
from garant.governance.lifecycle import approve_policy, workspace_policy_file
from garant.governance.policy import load_policy, starter_pack_path
from garant.governance.publication import (
    build_public_register,
    publish_register,
    render_public_html,
)
from garant.governance.registry_edits import retire_tool
from garant.store.engine import create_store_engine, migrate, unit_of_work
from garant.workspace import Workspace

DAY = date(2026, 11, 23)


def test_context_names_referent_resource_persons_dpo_and_trainings(filled_engine: Engine) -> None:
    policy = load_policy(starter_pack_path("collectivite"))
    with unit_of_work(filled_engine) as session:
        context = build_charter_context(session, policy, today=DAY)
    assert context.referent.name == "Claire Martin"
    assert context.referent.email == "claire@ville.fr"
    assert [p.name for p in context.resource_persons] == ["Paul Ressource"]
    assert context.dpo is not None and context.dpo.email == "dpo@ville.fr"
    assert [t.title for t in context.trainings] == ["Bases de l'IA générative"]
    assert context.policy_version == f"v{policy.version}"
    # Only approved uses are offered to agents; the draft non-EU synthesis is not.
    assert [u.title for u in context.allowed_uses] == ["Assistant des habitants"]
    assert context.allowed_uses[0].tools == ("Albert",)
    assert "Paul Ressource" in context.allowed_uses[0].human_oversight


def test_tool_status_follows_both_registry_and_policy(filled_engine: Engine) -> None:
    # The starter pack allows "albert" by key and forbids every web_app: the registry's
    # "approved" ChatGPT web app is shown as forbidden, the unlisted OpenAI API as under review.
    policy = load_policy(starter_pack_path("collectivite"))
    with unit_of_work(filled_engine) as session:
        tools = {t.name: t for t in build_charter_context(session, policy, today=DAY).tools}
    assert tools["Albert"].status == "approved"
    assert tools["Albert"].hosting == "hébergé en France"
    assert "données personnelles (pseudonymisées)" in tools["Albert"].data_allowed
    assert tools["ChatGPT grand public"].status == "forbidden"
    assert tools["OpenAI API"].status == "under_review"


def test_a_retired_tool_is_left_out_of_the_charter(filled_engine: Engine) -> None:
    policy = load_policy(starter_pack_path("collectivite"))
    with unit_of_work(filled_engine) as session:
        retire_tool(session, "openai-api", "fin du marché", "claire-martin")
    with unit_of_work(filled_engine) as session:
        names = [t.name for t in build_charter_context(session, policy, today=DAY).tools]
    assert "OpenAI API" not in names and "Albert" in names


def test_a_charter_without_referent_is_refused(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'vide.db'}")
    migrate(engine)
    with pytest.raises(InputError, match="référent"), unit_of_work(engine) as session:
        build_charter_context(session, load_policy(starter_pack_path("agence")), today=DAY)
    engine.dispose()


def test_contact_text_is_split_into_email_url_and_words() -> None:
    channel = contact_channel("ia@belleval.fr — Mission participation", "Écrivez-nous.")
    assert channel.email == "ia@belleval.fr"
    assert channel.description.endswith("Mission participation.")
    assert contact_channel("https://ville.fr/ia", "D.").url == "https://ville.fr/ia"
    assert contact_channel("", "D.", fallback_email="x@y.fr").email == "x@y.fr"


def test_review_date_defaults_to_approval_plus_cadence() -> None:
    policy = load_policy(starter_pack_path("collectivite"))
    no_date = policy.model_copy(
        update={
            "review": policy.review.model_copy(update={"next_review": None, "every_months": 12})
        }
    )
    assert review_date_of(no_date, date(2026, 1, 31)) == date(2027, 1, 31)
    six = no_date.model_copy(
        update={"review": no_date.review.model_copy(update={"every_months": 1})}
    )
    assert review_date_of(six, date(2026, 1, 31)) == date(2026, 2, 28)


def test_public_register_lists_only_approved_uses(filled_engine: Engine) -> None:
    policy = load_policy(starter_pack_path("collectivite"))
    with unit_of_work(filled_engine) as session:
        register = build_public_register(session, policy, today=DAY)
    assert [u.key for u in register.uses] == ["assistant"]
    assert register.uses[0].tools[0].hosting == "hébergé en France"
    html = render_public_html(register)
    assert '<html lang="fr">' in html
    assert "Assistant des habitants" in html and "Synthèse hors UE" not in html
    assert "L.312-1-3" in html


def test_public_page_escapes_html_in_registry_text(filled_engine: Engine) -> None:
    from garant.governance.uses import get_use

    with unit_of_work(filled_engine) as session:
        get_use(session, "assistant").use.purpose = "<script>alert(1)</script>"
        register = build_public_register(session, None, today=DAY)
        session.rollback()
    html = render_public_html(register)
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_publish_register_writes_html_and_json_and_records_hashes(populated: Workspace) -> None:
    approve_policy(populated, "claire-martin", DAY)
    files = publish_register(populated, today=DAY)
    data = json.loads(files.json.read_text(encoding="utf-8"))
    assert [u["key"] for u in data["uses"]] == ["assistant"]
    assert data["policy"] == load_policy(workspace_policy_file(populated)).label
    with unit_of_work(populated.engine) as session:
        export = session.exec(select(LedgerEntry).where(LedgerEntry.event == "export")).one()
    payload = json.loads(export.payload)
    assert payload["kind"] == "public_register"
    assert payload["files"]["index.html"] == files.hashes["index.html"]
    import hashlib

    assert files.hashes["index.html"] == hashlib.sha256(files.html.read_bytes()).hexdigest()


def test_charter_from_a_draft_policy_carries_a_visible_projet_mark(populated: Workspace) -> None:
    """Issue 12.8: a charter rendered before approval (or after an unapproved edit) says so."""
    from garant.governance.charter_data import render_workspace_charter

    draft = render_workspace_charter(populated, "internal", "md")
    text = draft.path.read_text(encoding="utf-8")
    assert text.startswith("# PROJET — ") and "(PROJET, non approuvée)" in text
    assert "n'engage pas encore l'organisation" in text
    approve_policy(populated, "claire-martin", date(2026, 11, 23))
    approved = render_workspace_charter(populated, "internal", "md")
    assert "PROJET" not in approved.path.read_text(encoding="utf-8").split("\n", 1)[0]
    path = workspace_policy_file(populated)
    path.write_text(path.read_text(encoding="utf-8") + "\n# modifié\n", encoding="utf-8")
    edited = render_workspace_charter(populated, "internal", "md")
    assert edited.path.read_text(encoding="utf-8").startswith("# PROJET — ")


def test_public_outputs_are_world_readable_for_a_web_server(populated: Workspace) -> None:
    """Issue 12.5: the transparency page and the charters were written 0600."""
    import os
    import stat

    from garant.governance.charter_data import render_workspace_charter

    old = os.umask(0o077)  # a strict umask must not make public files private
    try:
        approve_policy(populated, "claire-martin", DAY)
        files = publish_register(populated, today=DAY)
        charter = render_workspace_charter(populated, "external", "html")
    finally:
        os.umask(old)
    for path in (files.html, files.json, charter.path, charter.sidecar):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_guide_training_table_uses_french_decimals_and_no_provider_as_schedule(
    populated: Workspace,
) -> None:
    """Issue 12.6: « 3.5 h » and « CNFPT » under « Calendrier » in the internal guide."""
    from garant.domain.inputs import TrainingInput
    from garant.governance.training import log_training

    with unit_of_work(populated.engine) as session:
        log_training(
            session,
            TrainingInput(
                person="claire-martin",
                module="Pseudonymisation",
                completed_on="2026-10-02",
                hours=3.5,
                provider="CNFPT",
            ),
            "t",
        )
        context = build_charter_context(
            session, load_policy(workspace_policy_file(populated)), today=DAY
        )
    [offer] = [t for t in context.trainings if t.title == "Pseudonymisation"]
    assert offer.duration == "3,5 h" and offer.schedule == ""
    assert "(organisme : CNFPT)" in offer.audience
