"""Reading and reviewing audited runs."""

from __future__ import annotations

import json
from collections.abc import Callable, Container, Iterable
from typing import Any, Literal

from sqlmodel import Session, col, select

from garant.audit.disclosure import DisclosureLabel
from garant.audit.ledger import append_event
from garant.domain.models import AuditRun, LedgerEntry, Person, utc_now
from garant.errors import ConflictError, InputError, NotFoundError, PolicyRefusal
from garant.governance.lookup import find_person
from garant.governance.people import active_roles
from garant.governance.policy import Policy
from garant.governance.policy.gate import evaluate_review, may_reidentify
from garant.i18n import tr
from garant.workspace import Workspace

__all__ = [
    "disclosure_labels",
    "get_run",
    "list_runs",
    "pseudonymisation_engine",
    "record_review",
    "reidentify_output",
    "review_run",
    "run_events",
]

ReviewDecision = Literal["approve", "reject"]


def list_runs(
    session: Session, status: str | None = None, limit: int = 100, offset: int = 0
) -> list[AuditRun]:
    """Runs, newest first, one page of ``limit`` rows from ``offset`` (lists page from the store)."""
    statement = (
        select(AuditRun)
        .order_by(col(AuditRun.started_at).desc(), col(AuditRun.id))
        .offset(offset)
        .limit(limit)
    )
    if status:
        statement = statement.where(AuditRun.status == status)
    return list(session.exec(statement))


def get_run(session: Session, run_id: str) -> AuditRun:
    run = session.get(AuditRun, run_id)
    if run is None:
        matches = list(
            session.exec(select(AuditRun).where(col(AuditRun.id).startswith(run_id)).limit(2))
        )
        if len(matches) == 1:
            return matches[0]
        raise NotFoundError(
            tr("Exécution introuvable : {id}", "Run not found: {id}", id=run_id),
            tr("Voyez « garant runs list ».", "See 'garant runs list'."),
        )
    return run


def run_events(session: Session, run_id: str) -> list[LedgerEntry]:
    statement = (
        select(LedgerEntry).where(LedgerEntry.run_id == run_id).order_by(col(LedgerEntry.seq))
    )
    return list(session.exec(statement))


def pseudonymisation_engine(
    events: Iterable[LedgerEntry], untrusted: Container[int] = ()
) -> dict[str, Any] | None:
    """What pseudonymised a run, as its ledger recorded it (the first ``gate_decision`` holding
    ``pseudonymisation_engine``, entries of sequence in ``untrusted`` skipped); None for a run
    that did not pseudonymise, or one recorded before garant recorded it (2026-12)."""
    for event in events:
        if event.event != "gate_decision" or event.seq in untrusted:
            continue
        try:
            payload = json.loads(event.payload)
        except ValueError:  # an entry garant did not write: verification reports it
            continue
        recorded = payload.get("pseudonymisation_engine") if isinstance(payload, dict) else None
        if isinstance(recorded, dict):
            return recorded
    return None


def review_run(
    session: Session,
    run_id: str,
    reviewer: str,
    decision: ReviewDecision,
    comment: str,
    policy: Policy,
) -> AuditRun:
    """Record a human review: who, when, approve or reject, why. Only allowed roles may review."""
    run = get_run(session, run_id)
    if run.status != "finished":
        raise ConflictError(
            tr(
                "L'exécution {id} n'est pas terminée (statut : {s}) : rien à relire.",
                "Run {id} is not finished (status: {s}): nothing to review.",
                id=run.id,
                s=run.status,
            ),
            tr(
                "Seules les exécutions terminées se relisent.",
                "Only finished runs can be reviewed.",
            ),
        )
    person = find_person(session, reviewer, "by")
    roles = frozenset(active_roles(session, person))
    evaluate_review(
        policy, reviewer=person.key, reviewer_roles=roles, operator=run.operator_key
    ).raise_if_refused()
    run.review_state = "approved" if decision == "approve" else "rejected"
    run.reviewed_by, run.reviewed_at, run.review_comment = person.key, utc_now(), comment
    session.add(run)
    append_event(
        session,
        "review",
        {
            "reviewer": person.key,
            "decision": run.review_state,
            "comment": comment,
            "roles": sorted(roles),
        },
        run.id,
    )
    return run


def reidentify_output(
    session: Session,
    workspace: Workspace,
    run_id: str,
    output: str,
    by: str,
    policy: Policy,
) -> str:
    """An output with its pseudonyms replaced by the original values, for an authorised person.

    The mapping never left the workspace; the access is recorded in the ledger.
    """
    from garant.privacy import PseudonymMapping

    run = get_run(session, run_id)
    person = find_person(session, by, "by")
    roles = frozenset(active_roles(session, person))
    if not may_reidentify(policy, roles):
        raise PolicyRefusal(
            tr(
                "Règle roles.reidentify : {p} n'a aucun rôle autorisé à ré-identifier (rôles actifs : {r}).",
                "Rule roles.reidentify: {p} holds no role allowed to re-identify (active roles: {r}).",
                p=person.full_name,
                r=", ".join(sorted(roles)) or "—",
            ),
            tr(
                "Rôles autorisés : {r}.",
                "Allowed roles: {r}.",
                r=", ".join(sorted(r.value for r in policy.roles.reidentify)),
            ),
            rule="roles.reidentify",
        )
    if output not in run.output_hashes:
        raise NotFoundError(
            tr(
                "Sortie « {o} » absente de l'exécution {id}.",
                "Output '{o}' not in run {id}.",
                o=output,
                id=run.id,
            ),
            tr(
                "Sorties : {names}",
                "Outputs: {names}",
                names=", ".join(sorted(run.output_hashes)) or "—",
            ),
        )
    text = (workspace.runs_dir / run.id / output).read_text(encoding="utf-8")
    mapping_file = workspace.private_dir / "runs" / run.id / "pseudonymes.json"
    if mapping_file.is_file():
        text = PseudonymMapping.load(mapping_file).reidentify(text)
    append_event(
        session,
        "reidentification",
        {"output": output, "by": person.key, "roles": sorted(roles)},
        run.id,
    )
    return text


def disclosure_labels(session: Session, run: AuditRun) -> dict[str, DisclosureLabel]:
    """The current label of each output of ``run`` (reflecting its review)."""
    reviewer = (
        session.exec(select(Person).where(Person.key == run.reviewed_by)).first()
        if run.reviewed_by
        else None
    )
    method = str(run.summary.get("method", "")) if isinstance(run.summary, dict) else ""
    return {
        name: DisclosureLabel(
            ai_involvement=run.ai_involvement,  # type: ignore[arg-type]
            model=run.model,
            provider=run.provider,
            produced_on=(run.ended_at or run.started_at).date(),
            run_id=run.id,
            output_sha256=digest,
            review_state=run.review_state,  # type: ignore[arg-type]
            reviewer=reviewer.full_name if reviewer else "",
            method=method,
            offline=run.offline,
        )
        for name, digest in sorted(run.output_hashes.items())
    }


def record_review(
    workspace: Workspace,
    run_id: str,
    reviewer: str,
    decision: ReviewDecision,
    comment: str,
    passphrase: Callable[[], str] | None = None,
) -> AuditRun:
    """Review a run against the workspace's policy, commit, and move the ledger anchor.

    When the policy reserves reviews to personal keys, ``passphrase`` is asked for the
    reviewer's key; a refusal (role, key) is itself recorded in the ledger.
    """
    from garant.audit.ledger import write_head
    from garant.audit.policy_bridge import workspace_policy
    from garant.audit.refusals import refusals_recorded
    from garant.signing.actions import record_signed_action, sign_action
    from garant.store.engine import unit_of_work

    if decision not in ("approve", "reject"):
        raise InputError(
            tr("Décision invalide : {d}", "Invalid decision: {d}", d=decision),
            "approve | reject",
        )
    policy = workspace_policy(workspace)
    with refusals_recorded(workspace, "review", reviewer, run_id=run_id):
        with unit_of_work(workspace.engine) as session:
            person = find_person(session, reviewer, "by").key
        signed = sign_action(
            workspace, policy, "review", person, target=run_id, passphrase=passphrase or _no_key
        )
        with unit_of_work(workspace.engine) as session:
            run = review_run(session, run_id, reviewer, decision, comment, policy)
            record_signed_action(session, signed, run.id)
            who = find_person(session, reviewer, "by")
            reviewer_label = f"{who.full_name} ({who.key})"
    write_head(workspace.engine, workspace.ledger_anchor)
    from garant.documents.review_addendum import write_review_addendum

    write_review_addendum(
        workspace,
        run.id,
        decision=run.review_state,
        reviewer=reviewer_label,
        reviewed_at=run.reviewed_at or utc_now(),
        comment=comment,
    )
    return run


def _no_key() -> str:
    raise InputError(
        tr(
            "La politique exige la clé personnelle de la personne qui relit.",
            "The policy requires the reviewer's personal key.",
        ),
        tr(
            "Relisez depuis la ligne de commande avec « --passphrase-env ».",
            "Review from the command line with '--passphrase-env'.",
        ),
    )
