"""Key creation and import are ledger events: the fingerprint proves which key a person holds."""

from __future__ import annotations

from typing import Literal

from sqlmodel import Session

from garant.audit.ledger import append_event
from garant.domain.models import LedgerEntry
from garant.signing.keys import PersonKey

__all__ = ["record_key_event"]


def record_key_event(
    session: Session, key: PersonKey, *, origin: Literal["created", "imported"], actor: str
) -> LedgerEntry:
    """Append a ``key_registered`` event naming the person, the certificate and its fingerprint."""
    return append_event(
        session,
        "key_registered",
        {
            "person": key.person,
            "origin": origin,
            "fingerprint_sha256": key.fingerprint_sha256,
            "subject": key.subject,
            "not_before": key.not_before.isoformat(),
            "not_after": key.not_after.isoformat(),
            "by": actor,
        },
    )
