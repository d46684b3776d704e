"""Who may change the registry and take its decisions: a named person on every change, the
policy's roles on every decision, and refused attempts recorded in the ledger.

* :func:`resolve_author` — the person a change is attributed to: ``--by``, else the workspace's
  ``actor`` setting; refused when nobody is named and the policy requires a named person. The
  person's key is put in ``session.info["garant_actor"]`` (read by the ledger hook on protected
  rows).
* :func:`require_role` — approving a tool or a use, deciding an arbitration: the person must
  hold one of the roles the policy lists (``roles.approve_tools`` …); the rule is named.
* :func:`registry_action` — one unit of work for a CLI or TUI action: resolves the author,
  and when a :class:`PolicyRefusal` escapes, records it as a ``decision_refused`` ledger event
  in a fresh transaction (the refused change itself is rolled back).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from sqlmodel import Session, select

from garant.domain.enums import RoleName, label
from garant.domain.models import Person
from garant.errors import InputError, PolicyRefusal
from garant.governance.lookup import find_person, person_named
from garant.governance.people import active_roles
from garant.governance.policy.model import DECIDING_ROLES, Policy
from garant.i18n import tr

if TYPE_CHECKING:
    from garant.workspace import Workspace

__all__ = [
    "Acting",
    "Action",
    "DecisionRules",
    "decision_rules",
    "governing_policy",
    "record_refusal",
    "registry_action",
    "require_role",
    "resolve_author",
]

Action = Literal["approve_tool", "approve_use", "decide_arbitration"]

_ACTION_LABELS: dict[Action, tuple[str, str]] = {
    "approve_tool": ("approuver un outil", "approve a tool"),
    "approve_use": ("approuver un usage", "approve a use"),
    "decide_arbitration": ("trancher un arbitrage", "decide an arbitration"),
}
_ACTION_RULES: dict[Action, str] = {
    "approve_tool": "roles.approve_tools",
    "approve_use": "roles.approve_uses",
    "decide_arbitration": "roles.decide_arbitrations",
}


@dataclass(frozen=True)
class DecisionRules:
    """The policy's rules on registry decisions (its defaults when no policy is adopted)."""

    approve_tools: tuple[RoleName, ...] = DECIDING_ROLES
    approve_uses: tuple[RoleName, ...] = DECIDING_ROLES
    decide_arbitrations: tuple[RoleName, ...] = DECIDING_ROLES
    decide_own_arbitration: bool = False
    named_author_required: bool = True

    def roles_for(self, action: Action) -> tuple[RoleName, ...]:
        return {
            "approve_tool": self.approve_tools,
            "approve_use": self.approve_uses,
            "decide_arbitration": self.decide_arbitrations,
        }[action]


def decision_rules(policy: Policy | None) -> DecisionRules:
    if policy is None:
        return DecisionRules()
    roles = policy.roles
    return DecisionRules(
        approve_tools=tuple(roles.approve_tools),
        approve_uses=tuple(roles.approve_uses),
        decide_arbitrations=tuple(roles.decide_arbitrations),
        decide_own_arbitration=roles.decide_own_arbitration,
        named_author_required=roles.named_author_required,
    )


def resolve_author(
    session: Session, by: str | None, actor_setting: str, rules: DecisionRules
) -> Person | None:
    """The person a change is attributed to (see the module doc); ``None`` only when the policy
    allows unnamed changes and nobody is named."""
    person: Person | None = None
    if by and by.strip():
        person = find_person(session, by.strip(), "--by")
    elif actor_setting.strip():
        person = person_named(session, actor_setting.strip())
    registry_empty = session.exec(select(Person)).first() is None
    if person is None and rules.named_author_required and not registry_empty:
        # (An empty registry has nobody to name: the first person is added unnamed.)
        setting = (
            tr(
                " (le réglage « actor » de l'espace, {actor}, ne désigne aucune personne du "
                "registre)",
                " (the workspace's 'actor' setting, {actor}, names no person in the registry)",
                actor=actor_setting.strip(),
            )
            if actor_setting.strip()
            else ""
        )
        raise InputError(
            tr(
                "Cette modification du registre doit nommer son auteur{setting}.",
                "This registry change must name its author{setting}.",
                setting=setting,
            ),
            tr(
                "Ajoutez --by PERSONNE (clé, e-mail ou nom), ou réglez « actor » dans "
                "garant.toml sur une personne du registre (la politique exige une personne "
                "nommée : roles.named_author_required).",
                "Add --by PERSON (key, e-mail or name), or set 'actor' in garant.toml to a "
                "person of the registry (the policy requires a named person: "
                "roles.named_author_required).",
            ),
        )
    if person is not None:
        session.info["garant_actor"] = person.key
    return person


def require_role(
    session: Session,
    rules: DecisionRules,
    person: Person | None,
    action: Action,
    on: date | None = None,
) -> RoleName:
    """The role under which ``person`` may take ``action``; :class:`PolicyRefusal` otherwise."""
    allowed = rules.roles_for(action)
    rule = _ACTION_RULES[action]
    what_fr, what_en = _ACTION_LABELS[action]
    allowed_text = ", ".join(label(r.value) for r in allowed)
    if person is None:
        raise PolicyRefusal(
            tr(
                "Règle {rule} : {what} exige une personne nommée ayant l'un des rôles : {allowed}.",
                "Rule {rule}: to {what} requires a named person holding one of the roles: "
                "{allowed}.",
                rule=rule,
                what=tr(what_fr, what_en),
                allowed=allowed_text,
            ),
            tr("Ajoutez --by PERSONNE.", "Add --by PERSON."),
            rule=rule,
        )
    held = active_roles(session, person, on)
    for role in allowed:
        if role.value in held:
            return role
    raise PolicyRefusal(
        tr(
            "Règle {rule} : {who} ne peut pas {what} ; rôle requis parmi {allowed} (rôles "
            "détenus : {held}).",
            "Rule {rule}: {who} may not {what}; role required among {allowed} (roles held: "
            "{held}).",
            rule=rule,
            who=person.full_name,
            what=tr(what_fr, what_en),
            allowed=allowed_text,
            held=", ".join(sorted(label(r) for r in held)) or "—",
        ),
        tr(
            "Demandez à une personne habilitée, ou faites attribuer le rôle (garant roles "
            "assign) ; la tentative a été enregistrée.",
            "Ask an authorised person, or have the role assigned (garant roles assign); the "
            "attempt has been recorded.",
        ),
        rule=rule,
    )


@dataclass
class Acting:
    """An action in progress: its transaction, its author and the rules that bind it."""

    session: Session
    person: Person | None
    rules: DecisionRules
    fallback_actor: str
    policy: Policy | None = None
    """The governing policy (``None`` when the workspace has adopted none)."""

    @property
    def actor(self) -> str:
        """What ``created_by``/``updated_by`` record: the person's key (else the system user)."""
        return self.person.key if self.person is not None else self.fallback_actor


def record_refusal(
    workspace: Workspace, action: str, target: str, by: str | None, refusal: PolicyRefusal
) -> None:
    """A ``decision_refused`` ledger event for a refused registry action (own transaction)."""
    from garant.audit.ledger import append_event, write_head
    from garant.audit.run import ledger_anchor
    from garant.store.engine import unit_of_work

    with unit_of_work(workspace.engine) as session:
        append_event(
            session,
            "decision_refused",
            {
                "action": action,
                "target": target,
                "by": by or workspace.settings.actor or "",
                "os_user": workspace.actor,
                "rule": refusal.rule,
                "message": refusal.message,
            },
        )
    write_head(workspace.engine, ledger_anchor(workspace))


@contextmanager
def registry_action(
    workspace: Workspace, by: str | None, action: str, target: str
) -> Iterator[Acting]:
    """One registry change by a named person under the policy's rules (see the module doc)."""
    from garant.store.engine import unit_of_work

    policy = governing_policy(workspace)
    rules = decision_rules(policy)
    try:
        with unit_of_work(workspace.engine) as session:
            person = resolve_author(session, by, workspace.settings.actor, rules)
            yield Acting(session, person, rules, workspace.actor, policy)
    except PolicyRefusal as refusal:
        record_refusal(workspace, action, target, by, refusal)
        raise


def governing_policy(workspace: Workspace) -> Policy | None:
    """The policy in force, or ``None`` when the workspace has adopted none."""
    from garant.audit.policy_bridge import workspace_policy, workspace_policy_path

    if not workspace_policy_path(workspace).is_file():
        return None
    return workspace_policy(workspace)
