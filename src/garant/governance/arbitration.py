"""Arbitration requests: an agent's question escalated, decided and kept for the next agent."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlmodel import Session, col, select

from garant.domain.enums import ArbitrationStatus
from garant.domain.models import AITool, AIUse, ArbitrationRequest, Person, utc_now
from garant.errors import ConflictError, InputError, NotFoundError, PolicyRefusal
from garant.governance.authority import DecisionRules, require_role
from garant.governance.lookup import find_person, find_tool, find_use, stamp_created, stamp_updated
from garant.i18n import tr

__all__ = [
    "ArbitrationView",
    "arbitration_view",
    "decide_arbitration",
    "get_arbitration",
    "list_arbitrations",
    "open_arbitration",
    "search_decisions",
]


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


@dataclass(frozen=True)
class ArbitrationView:
    """A request with the people and registry entries it names: who asked, who decided, why."""

    request: ArbitrationRequest
    asked_by: str
    decided_by: str
    assigned_to: str
    use: str
    tool: str


def _name(session: Session, person_id: int | None) -> str:
    person = session.get(Person, person_id) if person_id else None
    return f"{person.full_name} ({person.key})" if person else ""


def _view(session: Session, request: ArbitrationRequest) -> ArbitrationView:
    use = session.get(AIUse, request.use_id) if request.use_id else None
    tool = session.get(AITool, request.tool_id) if request.tool_id else None
    return ArbitrationView(
        request=request,
        asked_by=_name(session, request.asked_by_id),
        decided_by=_name(session, request.decided_by_id),
        assigned_to=_name(session, request.assigned_to_id),
        use=use.key if use else "",
        tool=tool.key if tool else "",
    )


def arbitration_view(session: Session, request_id: int) -> ArbitrationView:
    return _view(session, get_arbitration(session, request_id))


def _words(text: str) -> list[str]:
    """Lower-case words without accents (« Courriels » and « courriel » share « courriel »)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [w for w in re.findall(r"[a-z0-9]+", plain) if len(w) > 2]


def _stem(word: str) -> str:
    return word[:-1] if word.endswith(("s", "x")) and len(word) > 4 else word


def search_decisions(session: Session, query: str, limit: int = 10) -> list[ArbitrationView]:
    """Decided requests whose question, decision or rationale share words with ``query``,
    best matches first (accents, case and plurals ignored) — the next agent with the same
    question finds the answer already given."""
    wanted = {_stem(w) for w in _words(query)}
    if not wanted:
        raise InputError(
            tr("La recherche est vide.", "The search is empty."),
            tr("Donnez quelques mots de la question.", "Give a few words of the question."),
        )
    scored: list[tuple[int, ArbitrationRequest]] = []
    for request in list_arbitrations(session, ArbitrationStatus.DECIDED):
        text = f"{request.question} {request.decision} {request.rationale}"
        found = wanted & {_stem(w) for w in _words(text)}
        if found:
            scored.append((len(found), request))
    scored.sort(key=lambda pair: (-pair[0], -(pair[1].id or 0)))
    return [_view(session, request) for _, request in scored[:limit]]
