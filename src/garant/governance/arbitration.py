"""Arbitration requests: an agent's question escalated, decided and kept for the next agent."""

from __future__ import annotations

from sqlmodel import Session, col, select

from garant.domain.enums import ArbitrationStatus
from garant.domain.models import ArbitrationRequest, utc_now
from garant.errors import ConflictError, InputError, NotFoundError
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
            tr("« question » est vide.", "'question' is empty."),
            tr("Écrivez la question posée.", "Write the question asked."),
        )
    request = ArbitrationRequest(
        question=question.strip(),
        asked_by_id=find_person(session, asked_by, "asked_by").id or 0,
        assigned_to_id=find_person(session, assigned_to, "assigned_to").id if assigned_to else None,
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
    session: Session, request_id: int, decision: str, rationale: str, decided_by: str, actor: str
) -> ArbitrationRequest:
    """Record the decision, its rationale, who took it and when."""
    request = get_arbitration(session, request_id)
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
            tr("« decision » est vide.", "'decision' is empty."),
            tr("Écrivez la décision prise.", "Write the decision taken."),
        )
    request.decision = decision.strip()
    request.rationale = rationale.strip()
    request.decided_by_id = find_person(session, decided_by, "decided_by").id
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
