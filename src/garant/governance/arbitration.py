"""Arbitration requests: an agent's question escalated, decided and kept for the next agent."""

from __future__ import annotations

from sqlmodel import Session, col, select

from garant.domain.enums import ArbitrationStatus
from garant.domain.models import ArbitrationRequest, utc_now
from garant.errors import ConflictError, InputError, NotFoundError, PolicyRefusal
from garant.governance.authority import DecisionRules, require_role
from garant.governance.lookup import find_person, find_tool, find_use, stamp_created, stamp_updated
from garant.i18n import tr

__all__ = ["decide_arbitration", "get_arbitration", "list_arbitrations", "open_arbitration"]


def open_arbitration(
    session: Session,
    question: str,
    asked_by: str,
    actor: str,
    assigned_to: str | None = None,
    use: str | None = None,
    tool: str | None = None,
) -> ArbitrationRequest:
    if not question.strip():
        raise InputError(
            tr("La question est vide.", "The question is empty."),
            tr("Écrivez la question posée.", "Write the question asked."),
        )
    request = ArbitrationRequest(
        question=question.strip(),
        asked_by_id=find_person(session, asked_by, "--by").id or 0,
        assigned_to_id=find_person(session, assigned_to, "--to").id if assigned_to else None,
        use_id=find_use(session, use).id if use else None,
        tool_id=find_tool(session, tool).id if tool else None,
    )
    session.add(stamp_created(request, actor))
    session.flush()
    return request


def get_arbitration(session: Session, request_id: int) -> ArbitrationRequest:
    request = session.get(ArbitrationRequest, request_id)
    if request is None:
        raise NotFoundError(
            tr(
                "Demande d'arbitrage n° {id} introuvable.",
                "Arbitration request #{id} not found.",
                id=request_id,
            ),
            tr("Voyez « garant arbitration list ».", "See 'garant arbitration list'."),
        )
    return request


def decide_arbitration(
    session: Session,
    request_id: int,
    decision: str,
    rationale: str,
    decided_by: str,
    actor: str,
    *,
    rules: DecisionRules | None = None,
) -> ArbitrationRequest:
    """Record the decision, its rationale, who took it and when.

    The person deciding holds a role of ``roles.decide_arbitrations`` and, unless the policy
    allows it (``roles.decide_own_arbitration``), did not ask the question.
    """
    request = get_arbitration(session, request_id)
    rules = rules or DecisionRules()
    person = find_person(session, decided_by, "--by")
    require_role(session, rules, person, "decide_arbitration")
    if person.id == request.asked_by_id and not rules.decide_own_arbitration:
        raise PolicyRefusal(
            tr(
                "Règle roles.decide_own_arbitration : {who} a posé la question n° {id} et ne "
                "peut pas la trancher seul·e.",
                "Rule roles.decide_own_arbitration: {who} asked question #{id} and cannot "
                "decide it alone.",
                who=person.full_name,
                id=request_id,
            ),
            tr(
                "Faites trancher par une autre personne habilitée (roles.decide_arbitrations) ; "
                "la tentative a été enregistrée.",
                "Have another authorised person decide (roles.decide_arbitrations); the "
                "attempt has been recorded.",
            ),
            rule="roles.decide_own_arbitration",
        )
    if request.status == ArbitrationStatus.DECIDED:
        raise ConflictError(
            tr(
                "La demande n° {id} est déjà tranchée.",
                "Request #{id} is already decided.",
                id=request_id,
            ),
            tr(
                "Ouvrez une nouvelle demande si la question revient.",
                "Open a new request if the question comes back.",
            ),
        )
    if not decision.strip():
        raise InputError(
            tr("La décision est vide.", "The decision is empty."),
            tr("Écrivez la décision prise.", "Write the decision taken."),
        )
    request.decision = decision.strip()
    request.rationale = rationale.strip()
    request.decided_by_id = person.id
    request.decided_at = utc_now()
    request.status = ArbitrationStatus.DECIDED.value
    session.add(stamp_updated(request, actor))
    session.flush()
    return request


def list_arbitrations(
    session: Session, status: ArbitrationStatus | None = None
) -> list[ArbitrationRequest]:
    statement = select(ArbitrationRequest).order_by(col(ArbitrationRequest.created_at).desc())
    if status is not None:
        statement = statement.where(ArbitrationRequest.status == status.value)
    return list(session.exec(statement))
