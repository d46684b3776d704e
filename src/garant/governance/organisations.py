"""The organisation(s) a workspace belongs to: the controller in the GDPR record."""

from __future__ import annotations

from sqlmodel import Session, select

from garant.domain.models import Organisation
from garant.governance.lookup import stamp_created

__all__ = ["ensure_organisation", "main_organisation"]


def ensure_organisation(session: Session, name: str, kind: str, actor: str) -> Organisation:
    """Return the organisation called ``name``, creating it if needed."""
    existing = session.exec(select(Organisation).where(Organisation.name == name)).first()
    if existing is not None:
        return existing
    organisation = stamp_created(Organisation(name=name, kind=kind), actor)
    session.add(organisation)
    session.flush()
    return organisation


def main_organisation(session: Session) -> Organisation | None:
    """The workspace's own organisation (the first one created)."""
    return session.exec(select(Organisation).order_by(Organisation.id)).first()  # type: ignore[arg-type]
