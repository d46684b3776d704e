"""Answers to checklist items and the evidence kept for them, as plain data.

An :class:`Answer` records the state of one item for one use (to do, in progress, done, not
applicable), a note, who answered and when, and its evidence: a text, or a file identified by
its SHA-256 so that a later change of the file is detected. Both are Pydantic models so the
store can keep them as JSON and read them back unchanged.
"""

from __future__ import annotations

import hashlib
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from garant.errors import InputError
from garant.i18n import tr

__all__ = ["Answer", "AnswerStatus", "Evidence", "sha256_of_file"]


class AnswerStatus(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


def sha256_of_file(path: Path) -> str:
    """SHA-256 of a file, read in blocks (evidence files can be large PDFs)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError as error:
        raise InputError(
            tr(
                "Pièce justificative introuvable : {path}",
                "Evidence file not found: {path}",
                path=path,
            ),
            tr("Vérifiez le chemin du fichier.", "Check the file path."),
        ) from error
    return digest.hexdigest()


class Evidence(BaseModel):
    """A piece of evidence: a text, or a file with its SHA-256."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["text", "file"]
    text: str = ""
    path: str = ""
    sha256: str = Field(default="", pattern=r"^([0-9a-f]{64})?$")
    evidence_id: str = ""
    """Which evidence of the item this satisfies (an ``EvidenceSpec.id``); empty: general."""
    added_by: str = ""
    added_on: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Evidence:
        if self.kind == "text" and not self.text.strip():
            raise ValueError(tr("preuve texte vide", "empty text evidence"))
        if self.kind == "file" and (not self.path or not self.sha256):
            raise ValueError(
                tr(
                    "une preuve fichier a un chemin et un SHA-256",
                    "a file evidence has a path and a SHA-256",
                )
            )
        return self

    @classmethod
    def from_text(
        cls, text: str, *, evidence_id: str = "", added_by: str = "", added_on: date | None = None
    ) -> Evidence:
        return cls(
            kind="text", text=text, evidence_id=evidence_id, added_by=added_by, added_on=added_on
        )

    @classmethod
    def from_file(
        cls, path: Path, *, evidence_id: str = "", added_by: str = "", added_on: date | None = None
    ) -> Evidence:
        """Evidence naming ``path`` with the SHA-256 of its current content."""
        return cls(
            kind="file",
            path=str(path),
            sha256=sha256_of_file(path),
            evidence_id=evidence_id,
            added_by=added_by,
            added_on=added_on,
        )

    def file_unchanged(self, base: Path | None = None) -> bool:
        """For a file evidence: whether the file still has the recorded SHA-256."""
        if self.kind != "file":
            return True
        path = Path(self.path)
        if base is not None and not path.is_absolute():
            path = base / path
        try:
            return sha256_of_file(path) == self.sha256
        except InputError:
            return False


class Answer(BaseModel):
    """The state of one checklist item for one use."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item_id: str
    status: AnswerStatus = AnswerStatus.TODO
    note: str = ""
    """Free comment; for ``not_applicable`` it is the justification, and it is required."""
    evidence: tuple[Evidence, ...] = ()
    answered_by: str = ""
    answered_on: date | None = None
