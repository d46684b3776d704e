"""The dossier service: create, list, show, number observations, attach runs. Every change is
written to the ledger in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, func, select

from garant.audit.ledger import append_event, canonical_json
from garant.domain.models import AuditRun
from garant.errors import ConflictError, InputError, NotFoundError
from garant.governance.lookup import slugify, stamp_created
from garant.i18n import tr
from garant.inquiry.models import (
    CHANNELS,
    DossierInput,
    InquiryDossier,
    InquiryObservation,
    InquiryRun,
    ObservationInput,
)
from garant.util.files import sha256_bytes
from garant.workspace import Workspace

__all__ = [
    "AddedObservations",
    "add_observations",
    "anchor_ledger",
    "attach_run",
    "attached_runs",
    "check_channel",
    "create_dossier",
    "get_dossier",
    "list_dossiers",
    "observations_of",
]

EXCERPT_LENGTH = 300


def _act_as(session: Session, actor: str) -> None:
    """Name the acting person for the ledger hook that records protected-row changes."""
    session.info["garant_actor"] = actor


def check_channel(value: str) -> str:
    """A channel code from a code or its French label (« registre papier » → registre_papier)."""
    lowered = value.strip().lower()
    for code, label in CHANNELS.items():
        if lowered in (code, label, slugify(label).replace("-", "_")):
            return code
    raise InputError(
        tr("Canal inconnu : {value}", "Unknown channel: {value}", value=value),
        tr("Canaux possibles : {c}.", "Possible channels: {c}.", c=", ".join(CHANNELS)),
    )


def create_dossier(session: Session, data: dict[str, Any], actor: str) -> InquiryDossier:
    """Create a dossier from user values (validated; the key defaults to a slug of the title)."""
    try:
        values = DossierInput.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "dates"
        raise InputError(
            tr(
                "Dossier : champ « {f} » invalide : {m}",
                "Dossier: invalid field '{f}': {m}",
                f=field,
                m=first["msg"],
            ),
            tr(
                "Dates au format JJ/MM/AAAA, clôture après l'ouverture.",
                "Dates as DD/MM/YYYY, closing after opening.",
            ),
        ) from None
    key = values.key or slugify(values.title)[:120]
    if session.exec(select(InquiryDossier).where(InquiryDossier.key == key)).first():
        raise ConflictError(
            tr("Le dossier « {k} » existe déjà.", "Dossier '{k}' already exists.", k=key),
            tr("Choisissez une autre clé avec --key.", "Choose another key with --key."),
        )
    _act_as(session, actor)
    dossier = stamp_created(
        InquiryDossier(
            key=key,
            title=values.title,
            reference=values.reference,
            authority=values.authority,
            opens_on=values.opens_on,
            closes_on=values.closes_on,
            commissaire=values.commissaire,
        ),
        actor,
    )
    session.add(dossier)
    session.flush()
    append_event(
        session,
        "dossier_created",
        {
            "dossier": key,
            "title": values.title,
            "reference": values.reference,
            "authority": values.authority,
            "opens_on": values.opens_on.isoformat(),
            "closes_on": values.closes_on.isoformat(),
            "commissaire": values.commissaire,
            "by": actor,
        },
    )
    return dossier


def list_dossiers(session: Session) -> list[InquiryDossier]:
    return list(session.exec(select(InquiryDossier).order_by(col(InquiryDossier.opens_on))))


def get_dossier(session: Session, key: str) -> InquiryDossier:
    found = session.exec(select(InquiryDossier).where(InquiryDossier.key == key)).first()
    if found is None and key.isdigit():
        found = session.get(InquiryDossier, int(key))
    if found is None:
        raise NotFoundError(
            tr("Dossier introuvable : {k}", "Dossier not found: {k}", k=key),
            tr("Voyez « garant dossier list ».", "See 'garant dossier list'."),
        )
    return found


def observations_of(session: Session, dossier: InquiryDossier) -> list[InquiryObservation]:
    """The dossier's observations in number order."""
    return list(
        session.exec(
            select(InquiryObservation)
            .where(InquiryObservation.dossier_id == dossier.id)
            .order_by(col(InquiryObservation.number))
        )
    )


@dataclass(frozen=True)
class AddedObservations:
    added: tuple[InquiryObservation, ...]
    already_known: int
    """Observations of the source already in the dossier (same source reference): kept as they were."""


def add_observations(
    session: Session,
    dossier: InquiryDossier,
    items: Sequence[ObservationInput],
    actor: str,
) -> AddedObservations:
    """Give each new observation the next public number; known ones keep theirs.

    One ledger entry records the batch: the numbers given and the hash of (number, source
    reference, channel, date, author, text hash) of every observation added.
    """
    assert dossier.id is not None
    known = set(
        session.exec(
            select(InquiryObservation.source_ref).where(InquiryObservation.dossier_id == dossier.id)
        )
    )
    highest = session.exec(
        select(func.max(InquiryObservation.number)).where(
            InquiryObservation.dossier_id == dossier.id
        )
    ).one()
    number = int(highest or 0)
    _act_as(session, actor)
    added: list[InquiryObservation] = []
    for item in items:
        if item.source_ref in known:
            continue
        known.add(item.source_ref)
        number += 1
        text = item.text.strip()
        observation = stamp_created(
            InquiryObservation(
                dossier_id=dossier.id,
                number=number,
                channel=check_channel(item.channel),
                received_on=item.received_on,
                author=item.author,
                source_ref=item.source_ref,
                text_sha256=sha256_bytes(text.encode("utf-8")),
                excerpt=text[:EXCERPT_LENGTH],
            ),
            actor,
        )
        added.append(observation)
    session.add_all(added)
    session.flush()
    if added:
        append_event(
            session,
            "observations_added",
            {
                "dossier": dossier.key,
                "first": added[0].number,
                "last": added[-1].number,
                "count": len(added),
                "channels": sorted({o.channel for o in added}),
                "observations_sha256": observations_digest(added),
                "by": actor,
            },
        )
    return AddedObservations(tuple(added), len(items) - len(added))


def observations_digest(observations: Sequence[InquiryObservation]) -> str:
    """SHA-256 of the canonical list of observations (what the ledger records for a batch)."""
    rows = [
        [
            o.number,
            o.source_ref,
            o.channel,
            o.received_on.isoformat() if o.received_on else "",
            o.author,
            o.text_sha256,
        ]
        for o in observations
    ]
    return sha256_bytes(canonical_json(rows).encode("utf-8"))


def attach_run(
    session: Session, dossier: InquiryDossier, run_id: str, role: str, actor: str
) -> InquiryRun:
    """Attach a finished audited run to the dossier (once)."""
    assert dossier.id is not None
    run = session.get(AuditRun, run_id)
    if run is None:
        raise NotFoundError(
            tr("Exécution introuvable : {id}", "Run not found: {id}", id=run_id),
            tr("Voyez « garant runs list ».", "See 'garant runs list'."),
        )
    if run.status != "finished":
        raise InputError(
            tr(
                "L'exécution {id} n'est pas terminée (statut : {s}).",
                "Run {id} is not finished (status: {s}).",
                id=run_id,
                s=run.status,
            ),
            tr("Joignez une exécution terminée.", "Attach a finished run."),
        )
    existing = session.exec(
        select(InquiryRun).where(InquiryRun.dossier_id == dossier.id, InquiryRun.run_id == run_id)
    ).first()
    if existing is not None:
        return existing
    _act_as(session, actor)
    link = stamp_created(InquiryRun(dossier_id=dossier.id, run_id=run_id, role=role), actor)
    session.add(link)
    session.flush()
    append_event(
        session,
        "run_attached",
        {"dossier": dossier.key, "run": run_id, "role": role, "kind": run.kind, "by": actor},
        run_id=run_id,
    )
    return link


def attached_runs(session: Session, dossier: InquiryDossier) -> list[tuple[InquiryRun, AuditRun]]:
    """Attached runs with their audit rows, oldest first."""
    rows = session.exec(
        select(InquiryRun, AuditRun)
        .join(AuditRun, col(AuditRun.id) == col(InquiryRun.run_id))
        .where(InquiryRun.dossier_id == dossier.id)
        .order_by(col(InquiryRun.attached_at))
    )
    return [(link, run) for link, run in rows]


def anchor_ledger(workspace: Workspace) -> None:
    """Move the ledger anchor to the latest committed entry (call after each commit)."""
    from garant.audit.ledger import write_head
    from garant.audit.run import ledger_anchor

    write_head(workspace.engine, ledger_anchor(workspace))
