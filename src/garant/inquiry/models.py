"""Stored rows of a public inquiry (tables) and what a user supplies (input models).

A dossier holds the observations of one enquête publique. Each observation gets a public number
(n° 1…N) when it enters the dossier; the number is never changed nor reused: a later
observation gets the next number. Runs (transcriptions, syntheses) are attached by id.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import UniqueConstraint
from sqlmodel import Field as SQLField

from garant.domain.inputs import FlexibleDate
from garant.domain.models import Tracked, utc_now

__all__ = [
    "CHANNELS",
    "DossierInput",
    "InquiryDossier",
    "InquiryObservation",
    "InquiryRun",
    "ObservationInput",
    "channel_label",
]

CHANNELS: dict[str, str] = {
    "registre_papier": "registre papier",
    "registre_dematerialise": "registre dématérialisé",
    "courriel": "courriel",
    "courrier": "courrier",
    "permanence": "permanence",
    "reunion_publique": "réunion publique",
}
"""Channel code → French label (Code de l'environnement R.123-13: the ways the public speaks)."""


def channel_label(code: str) -> str:
    return CHANNELS.get(code, code)


class InquiryDossier(Tracked, table=True):
    """One public inquiry (enquête publique)."""

    __tablename__ = "inquiry_dossier"

    id: int | None = SQLField(default=None, primary_key=True)
    key: str = SQLField(max_length=120, unique=True, index=True)
    title: str = SQLField(max_length=500)
    reference: str = SQLField(max_length=200)
    """Reference of the prefectoral or municipal order opening the inquiry."""
    authority: str = SQLField(max_length=300)
    """Authority that organises the inquiry."""
    opens_on: date
    closes_on: date
    commissaire: str = SQLField(default="", max_length=120)
    """Key of the commissaire enquêteur (a person of the registry), when known."""


class InquiryObservation(Tracked, table=True):
    """One observation of the public, with its stable public number."""

    __tablename__ = "inquiry_observation"
    __table_args__ = (
        UniqueConstraint("dossier_id", "number"),
        UniqueConstraint("dossier_id", "source_ref"),
    )

    id: int | None = SQLField(default=None, primary_key=True)
    dossier_id: int = SQLField(foreign_key="inquiry_dossier.id", index=True)
    number: int
    channel: str = SQLField(max_length=40)
    received_on: date | None = None
    author: str = SQLField(default="", max_length=120)
    """Pseudonym of the author (never the name)."""
    source_ref: str = SQLField(max_length=300)
    """Id of the contribution in the dossier's corpus (source file and position)."""
    text_sha256: str = SQLField(max_length=64)
    """SHA-256 of the pseudonymised text, so a changed text is detected."""
    excerpt: str = SQLField(default="", max_length=400)
    """Start of the pseudonymised text, for lists."""


class InquiryRun(Tracked, table=True):
    """An audited run (transcription, synthesis, annex) attached to a dossier."""

    __tablename__ = "inquiry_run"
    __table_args__ = (UniqueConstraint("dossier_id", "run_id"),)

    id: int | None = SQLField(default=None, primary_key=True)
    dossier_id: int = SQLField(foreign_key="inquiry_dossier.id", index=True)
    run_id: str = SQLField(max_length=40, index=True)
    role: str = SQLField(max_length=40)
    """What the run did for the inquiry: transcription, synthesis."""
    attached_at: datetime = SQLField(default_factory=utc_now)


class _Input(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


class DossierInput(_Input):
    title: str = Field(min_length=1, max_length=500)
    reference: str = Field(min_length=1, max_length=200)
    authority: str = Field(min_length=1, max_length=300)
    opens_on: FlexibleDate
    closes_on: FlexibleDate
    commissaire: str = Field(default="", max_length=120)
    key: str | None = Field(default=None, max_length=120)

    @model_validator(mode="after")
    def _dates_in_order(self) -> DossierInput:
        if self.closes_on < self.opens_on:
            raise ValueError("la clôture précède l'ouverture / the inquiry closes before it opens")
        return self


class ObservationInput(_Input):
    """An observation as read from a source, before it gets its number."""

    source_ref: str = Field(min_length=1, max_length=300)
    channel: str
    received_on: date | None = None
    author: str = ""
    text: str
