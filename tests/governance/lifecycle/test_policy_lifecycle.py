"""Policy lifecycle: adoption, approval by an allowed role, publication, versions, diff,
acknowledgements — store logic on SQLite and PostgreSQL, file + store on a workspace."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from garant.audit.ledger import read_head
from garant.audit.policy_bridge import POLICY_FILE as BRIDGE_POLICY_FILE
from garant.audit.run import ledger_anchor
from garant.domain.enums import RoleName
from garant.domain.models import LedgerEntry
from garant.domain.policy_models import PolicyVersion
from garant.errors import ConflictError, NotFoundError, PolicyRefusal
from garant.governance.lifecycle import (
    POLICY_FILE,
    acknowledge,
    acknowledgement_report,
    adopt_policy,
    approve_policy,
    current_version,
    diff_policy_versions,
    list_versions,
    new_policy_version,
    publish_policy,
    read_policy_file,
    record_approval,
    record_publication,
    workspace_policy_file,
)
from garant.governance.lookup import find_person
from garant.governance.policy import (
    Approval,
    Policy,
    PolicyStatus,
    load_policy,
    set_policy_fields,
    starter_pack_path,
)
from garant.store.engine import unit_of_work
from garant.util.files import sha256_bytes
from garant.workspace import Workspace

DAY = date(2026, 11, 23)


def _approved_text(version: int = 1) -> tuple[str, Policy]:
    text = starter_pack_path("collectivite").read_text(encoding="utf-8")
    return set_policy_fields(
        text,
        "politique.yaml",
        version=version,
        status=PolicyStatus.APPROVED,
        approval=Approval(approved_by="Claire Martin", role=RoleName.REFERENT_IA, approved_on=DAY),
    )


def _approve_and_publish(engine: Engine, version: int) -> None:
    text, policy = _approved_text(version)
    with unit_of_work(engine) as session:
        claire = find_person(session, "claire-martin")
        record_approval(session, policy, text, claire, RoleName.REFERENT_IA, DAY, "t")
    published, policy = set_policy_fields(text, "p", status=PolicyStatus.PUBLISHED)
    with unit_of_work(engine) as session:
        record_publication(
            session, policy, published, find_person(session, "claire-martin"), DAY, "t"
        )


# --- store logic, both databases --------------------------------------------------------------


def test_approval_records_snapshot_hash_and_ledger_event(filled_engine: Engine) -> None:
    text, policy = _approved_text()
    with unit_of_work(filled_engine) as session:
        claire = find_person(session, "claire-martin")
        row = record_approval(session, policy, text, claire, RoleName.REFERENT_IA, DAY, "t")
    with unit_of_work(filled_engine) as session:
        stored = session.exec(select(PolicyVersion)).one()
        events = [
            e.event for e in session.exec(select(LedgerEntry)) if not e.event.startswith("row_")
        ]
    assert stored.id == row.id
    assert stored.sha256 == sha256_bytes(text.encode("utf-8"))
    assert stored.text == text and stored.status == "approved"
    assert stored.approved_by_name == "Claire Martin" and stored.approved_role == "referent_ia"
    assert events == ["policy_approved"]


def test_same_version_cannot_be_approved_twice(filled_engine: Engine) -> None:
    text, policy = _approved_text()
    with unit_of_work(filled_engine) as session:
        claire = find_person(session, "claire-martin")
        record_approval(session, policy, text, claire, RoleName.REFERENT_IA, DAY, "t")
    with pytest.raises(ConflictError, match="déjà enregistrée"), unit_of_work(filled_engine) as s:
        record_approval(
            s, policy, text, find_person(s, "claire-martin"), RoleName.REFERENT_IA, DAY, "t"
        )


def test_publishing_a_new_version_supersedes_the_previous_one(filled_engine: Engine) -> None:
    _approve_and_publish(filled_engine, 1)
    _approve_and_publish(filled_engine, 2)
    with unit_of_work(filled_engine) as session:
        versions = {v.version: v.status for v in list_versions(session)}
        assert current_version(session, "politique-ia-collectivite").version == 2
    assert versions == {1: "superseded", 2: "published"}


def test_acknowledgements_list_who_has_not_read_the_current_version(
    filled_engine: Engine,
) -> None:
    _approve_and_publish(filled_engine, 1)
    with unit_of_work(filled_engine) as session:
        acknowledge(session, "agathe-agent", "politique-ia-collectivite", on=DAY, actor="t")
        acknowledge(session, "claire-martin", "politique-ia-collectivite", on=DAY, actor="t")
    _approve_and_publish(filled_engine, 2)
    with unit_of_work(filled_engine) as session:
        acknowledge(
            session, "claire-martin", "politique-ia-collectivite", document="external", actor="t"
        )
        report = {
            r.person_key: r for r in acknowledgement_report(session, "politique-ia-collectivite")
        }
    # Claire read version 2 (the public charter); Agathe only version 1; the others nothing.
    assert report["claire-martin"].read_current and report["claire-martin"].external_version == 2
    assert not report["agathe-agent"].read_current
    assert report["agathe-agent"].internal_version == 1
    assert report["paul-ressource"].internal_version is None
    assert not report["paul-ressource"].read_current
    with unit_of_work(filled_engine) as session:
        ordered = [
            r.read_current for r in acknowledgement_report(session, "politique-ia-collectivite")
        ]
    assert ordered == sorted(ordered)  # people who have not read come first


def test_acknowledging_a_version_never_approved_is_refused(filled_engine: Engine) -> None:
    with (
        pytest.raises(NotFoundError, match="aucune version approuvée"),
        unit_of_work(filled_engine) as s,
    ):
        acknowledge(s, "agathe-agent", "politique-ia-collectivite", actor="t")
    _approve_and_publish(filled_engine, 1)
    with pytest.raises(NotFoundError, match="version 7"), unit_of_work(filled_engine) as s:
        acknowledge(s, "agathe-agent", "politique-ia-collectivite", version=7, actor="t")


def test_acknowledging_twice_is_a_conflict(filled_engine: Engine) -> None:
    _approve_and_publish(filled_engine, 1)
    with unit_of_work(filled_engine) as session:
        acknowledge(session, "agathe-agent", "politique-ia-collectivite", actor="t")
    with pytest.raises(ConflictError, match="déjà confirmé"), unit_of_work(filled_engine) as s:
        acknowledge(s, "agathe-agent", "politique-ia-collectivite", actor="t")


# --- workspace: file and store together -------------------------------------------------------


def test_init_adopts_the_starter_pack_of_the_workspace_kind_as_draft(populated: Workspace) -> None:
    policy = load_policy(populated.policies_dir / POLICY_FILE)
    assert POLICY_FILE == BRIDGE_POLICY_FILE  # the audited runs read the same file
    assert policy.status is PolicyStatus.DRAFT and policy.version == 1
    assert policy.organisation.name == "Métropole Exemple"
    assert policy.organisation.kind.value == "collectivite"
    assert policy.approval is None


def test_adopt_refuses_to_overwrite_without_force(populated: Workspace) -> None:
    path = workspace_policy_file(populated)
    path.write_text(path.read_text(encoding="utf-8") + "# ma modification\n", encoding="utf-8")
    with pytest.raises(ConflictError, match="existe déjà"):
        adopt_policy(populated, "enquete")
    assert "# ma modification" in path.read_text(encoding="utf-8")
    adopted = adopt_policy(populated, "enquete", force=True)
    assert adopted.policy.id == load_policy(starter_pack_path("enquete")).id
    assert adopted.policy.organisation.name == "Métropole Exemple"
    assert adopted.policy.organisation.kind.value == "enquete"


def test_an_agent_cannot_approve_and_nothing_changes(populated: Workspace) -> None:
    path = workspace_policy_file(populated)
    before = path.read_text(encoding="utf-8")
    with pytest.raises(PolicyRefusal, match="Agathe Agent ne peut pas approuver") as caught:
        approve_policy(populated, "agathe-agent", DAY)
    assert caught.value.rule == "policy.approve_role"
    assert path.read_text(encoding="utf-8") == before
    with unit_of_work(populated.engine) as session:
        assert list_versions(session) == []


def test_approval_writes_the_file_and_the_store_in_step(populated: Workspace) -> None:
    result = approve_policy(populated, "claire-martin", DAY)
    current = read_policy_file(workspace_policy_file(populated))
    assert current.policy.status is PolicyStatus.APPROVED
    assert current.policy.approval == Approval(
        approved_by="Claire Martin", role=RoleName.REFERENT_IA, approved_on=DAY
    )
    assert result.row is not None and result.row.sha256 == current.sha256
    # Comments of the starter pack are kept.
    assert current.text.startswith("# Politique d'usage")
    head = read_head(ledger_anchor(populated))
    with unit_of_work(populated.engine) as session:
        last = session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq).desc())).first()
    assert head is not None and last is not None and head.seq == last.seq
    assert last.event == "policy_approved"
    # The DPO (also in roles.approve_policy) may publish; approving again is a lifecycle error.
    with pytest.raises(ConflictError, match="ne peut pas passer"):
        approve_policy(populated, "denis-dpo", DAY)
    publish_policy(populated, "denis-dpo", DAY)
    assert load_policy(workspace_policy_file(populated)).status is PolicyStatus.PUBLISHED


def test_new_version_then_diff_from_store_snapshots(populated: Workspace) -> None:
    with pytest.raises(ConflictError, match="brouillon"):
        new_policy_version(populated)
    approve_policy(populated, "claire-martin", DAY)
    publish_policy(populated, "claire-martin", DAY)
    draft = new_policy_version(populated)
    assert draft.policy.version == 2 and draft.policy.status is PolicyStatus.DRAFT
    assert draft.policy.approval is None
    path = workspace_policy_file(populated)
    text = path.read_text(encoding="utf-8").replace(
        "run_records_months: 36", "run_records_months: 24"
    )
    assert "run_records_months: 24" in text
    path.write_text(text, encoding="utf-8")
    approve_policy(populated, "claire-martin", DAY)
    # Change the file after approval: the diff reads the store's snapshots, not the file.
    changed = path.read_text(encoding="utf-8").replace(
        "run_records_months: 24", "run_records_months: 48"
    )
    path.write_text(changed, encoding="utf-8")
    with unit_of_work(populated.engine) as session:
        shown = diff_policy_versions(session, "1", "v2", read_policy_file(path))
    assert "36" in shown and "24" in shown and "48" not in shown
    assert "Conservation des traces" in shown and "36 → 24" in shown
    with unit_of_work(populated.engine) as session, pytest.raises(NotFoundError, match="9"):
        diff_policy_versions(session, "1", "9", read_policy_file(path))
