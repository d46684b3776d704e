"""Reserved actions signed with the acting person's own key, when the policy requires it.

``roles.require_personal_key_for`` in the policy lists the reserved actions (approve, publish,
review, reidentify) for which typing ``--by claire-martin`` is not enough: the person must also
open her personal key with its passphrase. The key then signs a statement of the action (who,
what, on which target, when) and the statement with its signature goes into the ledger, so the
action is bound to the key holder and not only to a name.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

from sqlmodel import Session

from garant.audit.ledger import append_event
from garant.errors import GarantError, PolicyRefusal
from garant.governance.policy import Policy
from garant.i18n import tr
from garant.signing.keys import load_person_key, sign_bytes, verify_signature
from garant.store.chain import canonical_json

__all__ = [
    "ReservedAction",
    "SignedAction",
    "personal_key_required",
    "record_signed_action",
    "sign_action",
    "signed_action_valid",
]

ReservedAction = Literal["approve", "publish", "review", "reidentify"]
RULE = "roles.require_personal_key_for"
SignedAction = dict[str, Any]


def personal_key_required(policy: Policy, action: ReservedAction) -> bool:
    return action in policy.roles.require_personal_key_for


def sign_action(
    workspace: object,
    policy: Policy,
    action: ReservedAction,
    person: str,
    *,
    target: str,
    passphrase: Callable[[], str],
) -> SignedAction | None:
    """Sign the action with ``person``'s key if the policy requires it (else None).

    A missing key or a wrong passphrase is a :class:`PolicyRefusal` naming the rule, so that
    the refused attempt is recorded like any other refusal.
    """
    if not personal_key_required(policy, action):
        return None
    try:
        key = load_person_key(workspace, person, passphrase())
    except GarantError as error:
        raise PolicyRefusal(
            tr(
                "Règle {rule} : l'action « {a} » exige la clé personnelle de {p}, qui n'a pas "
                "pu être ouverte ({m}).",
                "Rule {rule}: the action '{a}' requires {p}'s personal key, which could not be "
                "opened ({m}).",
                rule=RULE,
                a=action,
                p=person,
                m=error.message,
            ),
            error.hint
            or tr(
                "Saisissez la phrase secrète de votre clé (garant keys create).",
                "Type your key's passphrase (garant keys create).",
            ),
            rule=RULE,
        ) from error
    from cryptography.hazmat.primitives import hashes, serialization

    statement = {
        "action": action,
        "by": person,
        "target": target,
        "signed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "certificate_sha256": key.certificate.fingerprint(hashes.SHA256()).hex(),
    }
    signature = sign_bytes(key, canonical_json(statement).encode("utf-8"))
    return {
        "statement": statement,
        "signature": base64.b64encode(signature).decode("ascii"),
        "certificate_pem": key.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
    }


def signed_action_valid(signed: SignedAction) -> bool:
    """True when the recorded signature matches the statement and the embedded certificate."""
    try:
        signature = base64.b64decode(str(signed["signature"]), validate=True)
        data = canonical_json(signed["statement"]).encode("utf-8")
        return verify_signature(str(signed["certificate_pem"]).encode("ascii"), data, signature)
    except (KeyError, ValueError):
        return False


def record_signed_action(session: Session, signed: SignedAction | None, run_id: str = "") -> None:
    """Append the signed statement (``action_signed``) in the action's own transaction."""
    if signed is not None:
        append_event(session, "action_signed", signed, run_id, anchor=True)
