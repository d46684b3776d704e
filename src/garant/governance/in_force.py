"""Which policy governs: the approved version recorded in the store, never the file as edited.

The file ``policies/politique.yaml`` is where people write the policy; the store keeps each
approved version with the SHA-256 of its text (:class:`PolicyVersion`). The file governs only
while its text is exactly a recorded approved or published version. Once edited, it is a draft
until validated and approved: runs go on under the recorded version, and every refusal says
that the file's changes are not in force. A file that calls itself approved without any
recorded approval governs nothing (treated as a draft, so the gate refuses with the reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from garant.domain.policy_models import PolicyVersion
from garant.errors import GarantError
from garant.governance.policy import Policy, PolicyStatus, load_policy, parse_policy
from garant.i18n import tr
from garant.util.files import sha256_bytes

__all__ = ["PolicyInForce", "policy_in_force", "recorded_hashes"]

_IN_FORCE = (PolicyStatus.APPROVED.value, PolicyStatus.PUBLISHED.value)


@dataclass(frozen=True)
class PolicyInForce:
    """The governing policy, the file as it stands, and why they differ (if they do)."""

    policy: Policy
    """What the gate applies: the recorded version, or the file treated as a draft."""
    file_sha256: str
    governing_sha256: str | None
    """SHA-256 of the recorded version that governs; ``None`` when no version is in force."""
    note_fr: str = ""
    note_en: str = ""

    @property
    def file_is_in_force(self) -> bool:
        return self.governing_sha256 == self.file_sha256

    @property
    def note(self) -> str:
        return tr(self.note_fr, self.note_en) if self.note_fr else ""

    def governing(self) -> Policy:
        """The policy the gate applies, carrying the note that every refusal shows."""
        if not self.note_fr:
            return self.policy
        return self.policy.with_governing_note(self.note_fr, self.note_en)


def recorded_hashes(row: PolicyVersion) -> frozenset[str]:
    """The texts garant wrote for this version: at approval and, once published, at publication."""
    hashes = {row.sha256, sha256_bytes(row.text.encode("utf-8"))} if row.text else {row.sha256}
    return frozenset(h for h in hashes if h)


def _in_force_rows(session: Session) -> list[PolicyVersion]:
    statement = (
        select(PolicyVersion)
        .where(col(PolicyVersion.status).in_(_IN_FORCE))
        .order_by(col(PolicyVersion.version), col(PolicyVersion.id))
    )
    return list(session.exec(statement))


def policy_in_force(session: Session, path: Path) -> PolicyInForce:
    """Resolve the governing policy for the workspace file at ``path`` (see the module doc)."""
    text = path.read_text(encoding="utf-8")
    file_sha = sha256_bytes(text.encode("utf-8"))
    rows = _in_force_rows(session)
    for row in rows:
        if file_sha in recorded_hashes(row):
            return PolicyInForce(load_policy(path), file_sha, file_sha)
    try:
        file_policy: Policy | None = load_policy(path)
        file_error = ""
    except GarantError as error:
        file_policy, file_error = None, error.message
    same_id = [r for r in rows if file_policy is not None and r.policy_id == file_policy.id]
    candidates = same_id or rows
    if candidates:
        row = candidates[-1]
        recorded = parse_policy(row.text, f"{row.policy_id} v{row.version} (approuvée)")
        governing = sha256_bytes(row.text.encode("utf-8"))
        detail_fr = f" ; le fichier est invalide : {file_error}" if file_error else ""
        detail_en = f"; the file is invalid: {file_error}" if file_error else ""
        return PolicyInForce(
            recorded,
            file_sha,
            governing,
            note_fr=(
                f"La politique appliquée est la version approuvée {recorded.label} "
                f"(SHA-256 {governing[:16]}…). Le fichier {path.name} a été modifié depuis "
                f"(SHA-256 {file_sha[:16]}…) : ses changements sont un projet, sans effet tant "
                f"qu'ils ne sont pas validés et approuvés (garant policy new-version, puis "
                f"garant policy approve){detail_fr}."
            ),
            note_en=(
                f"The policy applied is the approved version {recorded.label} "
                f"(SHA-256 {governing[:16]}…). File {path.name} has been edited since "
                f"(SHA-256 {file_sha[:16]}…): its changes are a draft, without effect until "
                f"validated and approved (garant policy new-version, then garant policy "
                f"approve){detail_en}."
            ),
        )
    if file_policy is None:
        return PolicyInForce(load_policy(path), file_sha, None)  # raises the file's error
    if file_policy.status is PolicyStatus.DRAFT:
        return PolicyInForce(file_policy, file_sha, None)
    return PolicyInForce(
        file_policy.model_copy(update={"status": PolicyStatus.DRAFT}),
        file_sha,
        None,
        note_fr=(
            f"Le fichier {path.name} se dit « {file_policy.status.value} » mais aucune "
            f"approbation de {file_policy.label} n'est enregistrée dans cet espace "
            f"(SHA-256 {file_sha[:16]}…) : il reste un projet (garant policy approve --by "
            f"PERSONNE)."
        ),
        note_en=(
            f"File {path.name} says '{file_policy.status.value}' but no approval of "
            f"{file_policy.label} is recorded in this workspace (SHA-256 {file_sha[:16]}…): "
            f"it remains a draft (garant policy approve --by PERSON)."
        ),
    )
