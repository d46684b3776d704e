"""Signed checkpoints: pin the ledger's head outside the database.

Whoever can write the database can rewrite the whole chain and recompute ``ledger.head``. A
checkpoint is a small JSON file, signed with a person's key (:mod:`garant.signing`), stating the
sequence number and hash of the ledger's head at a moment; it is meant to be published or
e-mailed, i.e. kept where the database's writers cannot reach. ``garant audit verify
--checkpoint FILE`` then proves that the current ledger still *extends* that head: a rewritten
chain has a different hash at that sequence number, whatever the anchor file says.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from garant.audit.ledger import append_event, read_head, verify_chain
from garant.domain.models import LedgerEntry
from garant.errors import InputError, IntegrityError
from garant.i18n import tr
from garant.store.chain import canonical_json
from garant.store.engine import unit_of_work
from garant.store.evidence import set_actor
from garant.util.files import atomic_write_text
from garant.workspace import Workspace

if TYPE_CHECKING:  # cryptography is imported when a checkpoint is signed or checked only
    from garant.signing.keys import LoadedPersonKey

__all__ = [
    "CHECKPOINT_FORMAT",
    "Checkpoint",
    "CheckpointCheck",
    "RecordedCheckpoint",
    "check_checkpoint",
    "checkpoints_dir",
    "create_checkpoint",
    "latest_checkpoint",
    "read_checkpoint",
    "recorded_checkpoint",
]

CHECKPOINT_FORMAT = "garant-checkpoint/1"


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement: « the ledger of this organisation had this head at that time »."""

    seq: int
    entry_hash: str
    signed_at: str
    person: str
    organisation: str
    certificate_pem: str
    certificate_sha256: str
    signature: str
    """Base64 of the signature over :meth:`statement`."""
    path: Path | None = None

    def statement(self) -> bytes:
        return canonical_json(
            {
                "format": CHECKPOINT_FORMAT,
                "seq": self.seq,
                "entry_hash": self.entry_hash,
                "signed_at": self.signed_at,
                "person": self.person,
                "organisation": self.organisation,
                "certificate_sha256": self.certificate_sha256,
            }
        ).encode("utf-8")

    def signature_valid(self) -> bool:
        try:
            signature = base64.b64decode(self.signature, validate=True)
        except ValueError:
            return False
        from garant.signing.keys import verify_signature

        return verify_signature(self.certificate_pem.encode("ascii"), self.statement(), signature)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": CHECKPOINT_FORMAT,
            "seq": self.seq,
            "entry_hash": self.entry_hash,
            "signed_at": self.signed_at,
            "person": self.person,
            "organisation": self.organisation,
            "certificate_sha256": self.certificate_sha256,
            "certificate_pem": self.certificate_pem,
            "signature": self.signature,
        }


@dataclass
class CheckpointCheck:
    """What ``verify --checkpoint`` found: the checkpoint read and every problem with it."""

    checkpoint: Checkpoint
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def checkpoints_dir(workspace: Workspace) -> Path:
    return workspace.exports_dir / "checkpoints"


def create_checkpoint(workspace: Workspace, person: str, key: LoadedPersonKey) -> Checkpoint:
    """Sign the current head with ``key`` and write ``exports/checkpoints/…json``.

    Refused when the ledger does not verify: a checkpoint must never bless a tampered chain.
    The checkpoint is itself recorded in the ledger (as the entry after the signed head).
    """
    from cryptography.hazmat.primitives import hashes, serialization

    from garant.audit.run import ledger_anchor

    with unit_of_work(workspace.engine) as session:
        entries = list(session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq))))
    problems = verify_chain(entries, read_head(ledger_anchor(workspace)))
    if problems:
        raise IntegrityError(
            tr(
                "Point de contrôle refusé : le registre ne se vérifie pas ({m}).",
                "Checkpoint refused: the ledger does not verify ({m}).",
                m=problems[0].message,
            ),
            tr(
                "Lancez « garant audit verify » et faites analyser l'altération d'abord.",
                "Run 'garant audit verify' and have the tampering examined first.",
            ),
        )
    if not entries:
        raise InputError(
            tr("Le registre est vide : rien à signer.", "The ledger is empty: nothing to sign."),
            tr("Un point de contrôle suit au moins une action.", "Checkpoint after an action."),
        )
    head = entries[-1]
    certificate = key.certificate
    unsigned = Checkpoint(
        seq=head.seq,
        entry_hash=head.entry_hash,
        signed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        person=person,
        organisation=workspace.settings.organisation_name,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        certificate_sha256=certificate.fingerprint(hashes.SHA256()).hex(),
        signature="",
    )
    from garant.signing.keys import sign_bytes

    signature = base64.b64encode(sign_bytes(key, unsigned.statement())).decode("ascii")
    signed = Checkpoint(**{**unsigned.__dict__, "signature": signature})
    stamp = signed.signed_at.replace(":", "").replace("-", "").replace("+0000", "Z")
    path = checkpoints_dir(workspace) / f"checkpoint-{signed.seq:08d}-{stamp}.json"
    atomic_write_text(path, json.dumps(signed.as_dict(), ensure_ascii=False, indent=2) + "\n")
    with unit_of_work(workspace.engine) as session:
        set_actor(session, person)
        append_event(
            session,
            "checkpoint",
            {
                "seq": signed.seq,
                "entry_hash": signed.entry_hash,
                "signed_at": signed.signed_at,
                "person": person,
                "certificate_sha256": signed.certificate_sha256,
                "file": path.name,
            },
        )
    return Checkpoint(**{**signed.__dict__, "path": path})


def read_checkpoint(path: Path) -> Checkpoint:
    """Read a checkpoint file (a clear error naming the file and field if it is malformed)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise InputError(
            tr("Point de contrôle introuvable : {f}.", "Checkpoint not found: {f}.", f=path),
            tr("Vérifiez le chemin indiqué.", "Check the path given."),
        ) from error
    except ValueError as error:
        raise InputError(
            tr(
                "Point de contrôle illisible (JSON invalide) : {f}, ligne {l}.",
                "Unreadable checkpoint (invalid JSON): {f}, line {l}.",
                f=path,
                l=getattr(error, "lineno", "?"),
            ),
            tr("Reprenez le fichier tel qu'il a été publié.", "Use the file as published."),
        ) from error
    if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
        raise InputError(
            tr(
                "{f} n'est pas un point de contrôle garant (champ « format »).",
                "{f} is not a garant checkpoint ('format' field).",
                f=path,
            ),
            tr(
                "Un point de contrôle est écrit par « garant audit checkpoint ».",
                "A checkpoint is written by 'garant audit checkpoint'.",
            ),
        )
    try:
        return Checkpoint(
            seq=int(data["seq"]),
            entry_hash=str(data["entry_hash"]),
            signed_at=str(data["signed_at"]),
            person=str(data["person"]),
            organisation=str(data.get("organisation", "")),
            certificate_pem=str(data["certificate_pem"]),
            certificate_sha256=str(data["certificate_sha256"]),
            signature=str(data["signature"]),
            path=path,
        )
    except (KeyError, ValueError, TypeError) as error:
        raise InputError(
            tr(
                "Point de contrôle {f} : champ manquant ou invalide ({e}).",
                "Checkpoint {f}: missing or invalid field ({e}).",
                f=path,
                e=error,
            ),
            tr("Reprenez le fichier tel qu'il a été publié.", "Use the file as published."),
        ) from error


def latest_checkpoint(workspace: Workspace) -> Checkpoint | None:
    """The most recent checkpoint written in the workspace (highest sequence), if any."""
    folder = checkpoints_dir(workspace)
    if not folder.is_dir():
        return None
    found = sorted(folder.glob("checkpoint-*.json"))
    for path in reversed(found):
        try:
            return read_checkpoint(path)
        except InputError:
            continue
    return None


@dataclass(frozen=True)
class RecordedCheckpoint:
    """The latest checkpoint the ledger records (``checkpoint`` event), as reports carry it."""

    seq: int
    """The sequence number of the signed head."""
    entry_hash: str
    person: str
    signed_at: datetime
    file: str
    holds: bool
    """The ledger still has that hash at that sequence number (the chain extends it)."""
    file_valid: bool | None
    """The checkpoint file in ``exports/checkpoints`` has a valid signature over that head
    (None when the file is not in the workspace: it was published elsewhere)."""

    @property
    def hash_prefix(self) -> str:
        return self.entry_hash[:16]


def recorded_checkpoint(
    workspace: Workspace, entries: Sequence[LedgerEntry], untrusted: set[int] | None = None
) -> RecordedCheckpoint | None:
    """The latest ``checkpoint`` event of ``entries`` (entries in ``untrusted`` skipped), checked
    against the chain and against its file when the workspace still holds it."""
    by_seq = {entry.seq: entry for entry in entries}
    for entry in reversed(entries):
        if entry.event != "checkpoint" or (untrusted and entry.seq in untrusted):
            continue
        try:
            payload = json.loads(entry.payload)
            seq, entry_hash = int(payload["seq"]), str(payload["entry_hash"])
            signed_at = datetime.fromisoformat(str(payload["signed_at"]))
        except (ValueError, KeyError, TypeError):
            continue
        file = str(payload.get("file", ""))
        file_valid: bool | None = None
        path = checkpoints_dir(workspace) / file
        if file and path.is_file():
            try:
                point = read_checkpoint(path)
                file_valid = (
                    point.seq == seq and point.entry_hash == entry_hash and point.signature_valid()
                )
            except InputError:
                file_valid = False
        at = by_seq.get(seq)
        return RecordedCheckpoint(
            seq=seq,
            entry_hash=entry_hash,
            person=str(payload.get("person", "")),
            signed_at=signed_at,
            file=file,
            holds=at is not None and at.entry_hash == entry_hash,
            file_valid=file_valid,
        )
    return None


def check_checkpoint(
    workspace: Workspace, path: Path, entries: Sequence[LedgerEntry]
) -> CheckpointCheck:
    """Does the ledger still extend the checkpoint's head, and is the checkpoint genuine?"""
    checkpoint = read_checkpoint(path)
    result = CheckpointCheck(checkpoint)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    try:
        certificate = x509.load_pem_x509_certificate(checkpoint.certificate_pem.encode("ascii"))
        fingerprint = certificate.fingerprint(hashes.SHA256()).hex()
    except ValueError:
        fingerprint = ""
    if fingerprint != checkpoint.certificate_sha256 or not checkpoint.signature_valid():
        result.problems.append(
            tr(
                "Signature du point de contrôle {f} invalide : le fichier a été modifié ou "
                "n'a pas été signé par ce certificat.",
                "Signature of checkpoint {f} invalid: the file was modified or not signed by "
                "this certificate.",
                f=path.name,
            )
        )
    registered = _registered_fingerprints(entries, checkpoint.person)
    if registered and fingerprint not in registered:
        result.problems.append(
            tr(
                "Le point de contrôle est signé par un certificat que le registre n'attribue "
                "pas à {p} ({h}).",
                "The checkpoint is signed by a certificate the ledger does not assign to {p} "
                "({h}).",
                p=checkpoint.person,
                h=fingerprint[:16],
            )
        )
    at = next((entry for entry in entries if entry.seq == checkpoint.seq), None)
    if at is None:
        result.problems.append(
            tr(
                "Le registre n'atteint plus l'entrée n° {seq} signée le {t} : des entrées ont "
                "été supprimées depuis le point de contrôle.",
                "The ledger no longer reaches entry #{seq} signed on {t}: entries were deleted "
                "since the checkpoint.",
                seq=checkpoint.seq,
                t=checkpoint.signed_at,
            )
        )
    elif at.entry_hash != checkpoint.entry_hash:
        result.problems.append(
            tr(
                "Registre réécrit : l'entrée n° {seq} n'a plus l'empreinte signée le {t} par {p} "
                "({h}…) ; la chaîne a été recalculée depuis le point de contrôle.",
                "Ledger rewritten: entry #{seq} no longer has the hash signed on {t} by {p} "
                "({h}…); the chain was recomputed since the checkpoint.",
                seq=checkpoint.seq,
                t=checkpoint.signed_at,
                p=checkpoint.person,
                h=checkpoint.entry_hash[:16],
            )
        )
    return result


def _registered_fingerprints(entries: Sequence[LedgerEntry], person: str) -> set[str]:
    found = set()
    for entry in entries:
        if entry.event != "key_registered":
            continue
        try:
            payload = json.loads(entry.payload)
        except ValueError:
            continue
        if payload.get("person") == person:
            found.add(str(payload.get("fingerprint_sha256", "")))
    return found
