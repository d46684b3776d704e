"""What a report, an annex or ``runs show`` states about the verification it was built on.

Every document that shows facts from the registry runs the same verification as
``garant audit verify`` (chain, row replay, outputs) once, then carries its result in one
sentence — « Vérification du registre : intègre — 1 204 entrées, 96 lignes rejouées, le
04/12/2026 18:05 » — or the named failures, and the latest signed checkpoint the ledger records::

    verification = verify_workspace(workspace)
    attestation = attest(verification)
    attestation.statement()        # the sentence above
    attestation.checkpoint_statement()
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from garant.i18n import format_datetime, tr

if TYPE_CHECKING:
    from garant.audit.verify import VerificationReport
    from garant.workspace import Workspace

__all__ = ["Attestation", "CheckpointFacts", "attest", "verify_and_attest"]


class CheckpointFacts(BaseModel):
    """The latest signed checkpoint, as a document shows it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    seq: int
    hash_prefix: str
    person: str
    signed_at: datetime
    holds: bool
    """The ledger still extends it (same hash at that sequence number)."""
    file_valid: bool | None
    """Its file in the workspace has a valid signature (None: file not in the workspace)."""


class Attestation(BaseModel):
    """The verification a document was built on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ok: bool
    entries: int
    rows_replayed: int
    outputs_checked: int
    verified_at: datetime
    failures: tuple[str, ...]
    """Every finding, named (chain entry, table/key/field, output file)."""
    adopted_rows: int = 0
    """Rows whose origin is the migration baseline (« état adopté à la migration »)."""
    checkpoint: CheckpointFacts | None = None

    def verdict(self) -> str:
        return (
            tr("intègre", "intact") if self.ok else tr("ALTÉRATION DÉTECTÉE", "TAMPERING DETECTED")
        )

    def statement(self) -> str:
        """« Vérification du registre : intègre — N entrées, M lignes rejouées, le <date> »."""
        counts = tr(
            "{n} entrées, {m} lignes rejouées, le {d}",
            "{n} entries, {m} rows replayed, on {d}",
            n=self.entries,
            m=self.rows_replayed,
            d=format_datetime(self.verified_at),
        )
        if self.ok:
            return tr(
                "Vérification du registre : {v} — {c}",
                "Ledger verification: {v} — {c}",
                v=self.verdict(),
                c=counts,
            )
        return tr(
            "Vérification du registre : {v} — {k} anomalie(s) ; {c}",
            "Ledger verification: {v} — {k} finding(s); {c}",
            v=self.verdict(),
            k=len(self.failures),
            c=counts,
        )

    def checkpoint_statement(self) -> str:
        point = self.checkpoint
        if point is None:
            return tr(
                "Aucun point de contrôle signé au registre (« garant audit checkpoint »).",
                "No signed checkpoint in the ledger ('garant audit checkpoint').",
            )
        text = tr(
            "Dernier point de contrôle : entrée n° {seq} ({h}…), signé par {p} le {d}",
            "Latest checkpoint: entry #{seq} ({h}…), signed by {p} on {d}",
            seq=point.seq,
            h=point.hash_prefix,
            p=point.person,
            d=format_datetime(point.signed_at),
        )
        if not point.holds:
            return text + tr(
                " — le registre NE le prolonge PLUS (chaîne réécrite).",
                " — the ledger NO LONGER extends it (chain rewritten).",
            )
        if point.file_valid is False:
            return text + tr(
                " — son fichier a été modifié (signature invalide).",
                " — its file was modified (invalid signature).",
            )
        return text + tr(" — le registre le prolonge.", " — the ledger extends it.")


def attest(verification: VerificationReport) -> Attestation:
    """The attestation of a verification already run (one verification per command)."""
    failures = [problem.message for problem in verification.chain]
    failures += [row.message for row in verification.rows]
    failures += [f"{p.run_id} / {p.output} : {p.message}" for p in verification.outputs]
    if verification.checkpoint is not None:
        failures += verification.checkpoint.problems
    point = verification.latest_checkpoint
    checkpoint = None
    if point is not None:
        checkpoint = CheckpointFacts(
            seq=point.seq,
            hash_prefix=point.hash_prefix,
            person=point.person,
            signed_at=point.signed_at,
            holds=point.holds,
            file_valid=point.file_valid,
        )
        if not point.holds:
            failures.append(
                tr(
                    "Le registre ne prolonge plus le point de contrôle n° {seq} signé par {p}.",
                    "The ledger no longer extends checkpoint #{seq} signed by {p}.",
                    seq=point.seq,
                    p=point.person,
                )
            )
    verified_at = (
        datetime.fromisoformat(verification.verified_at)
        if verification.verified_at
        else datetime.now(UTC)
    )
    return Attestation(
        ok=verification.ok and (point is None or point.holds),
        entries=verification.entries,
        rows_replayed=verification.rows_checked,
        outputs_checked=verification.outputs_checked,
        verified_at=verified_at,
        failures=tuple(failures),
        adopted_rows=len(verification.adopted_at_migration),
        checkpoint=checkpoint,
    )


def verify_and_attest(
    workspace: Workspace, *, check_mlflow: bool = False
) -> tuple[VerificationReport, Attestation]:
    """Run ``audit verify``'s verification once and attest it."""
    from garant.audit.verify import verify_workspace

    verification = verify_workspace(workspace, check_mlflow=check_mlflow)
    return verification, attest(verification)
