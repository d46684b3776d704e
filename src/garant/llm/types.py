"""What the model gateway takes and returns; no heavy import here.

Analyses depend on the ``ModelGateway`` protocol only. The real gateway (litellm for hosted and
local models, garant's offline provider otherwise) and the test fakes implement it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

__all__ = [
    "ChatMessage",
    "Completion",
    "EnvironmentalImpact",
    "ModelGateway",
    "TranscriptionResult",
    "TranscriptionSegment",
]

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    """One message of a chat prompt."""

    role: Role
    content: str


@dataclass(frozen=True)
class EnvironmentalImpact:
    """Energy and CO2e estimate of one call; ``None`` means unknown, never zero."""

    energy_kwh: float | None
    gwp_kgco2eq: float | None
    source: str
    """Who estimated it, e.g. "ecologits 0.11.3", or why not ("non estimé : modèle local")."""
    electricity_mix_zone: str | None = None
    warnings: tuple[str, ...] = ()
    energy_kwh_range: tuple[float, float] | None = None
    """(min, max) when the estimator gives a range; ``energy_kwh`` is then its midpoint."""
    gwp_kgco2eq_range: tuple[float, float] | None = None
    """(min, max) when the estimator gives a range; ``gwp_kgco2eq`` is then its midpoint."""

    @property
    def known(self) -> bool:
        """True when an estimate exists (energy or CO2e)."""
        return self.energy_kwh is not None or self.gwp_kgco2eq is not None

    @classmethod
    def unknown(cls, reason: str) -> EnvironmentalImpact:
        return cls(energy_kwh=None, gwp_kgco2eq=None, source=reason)


@dataclass(frozen=True)
class Completion:
    """A model's answer with everything the audit trail needs."""

    text: str
    alias: str
    model: str
    """Resolved model string actually called (e.g. ``mistral/mistral-small-latest``)."""
    provider: str
    """Provider label shown to readers (e.g. "Mistral AI (UE)", "garant hors ligne")."""
    offline: bool
    prompt_tokens: int | None
    completion_tokens: int | None
    cost_usd: float | None
    latency_s: float
    impact: EnvironmentalImpact
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TranscriptionSegment:
    start_s: float
    end_s: float
    text: str
    speaker: str | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class TranscriptionResult:
    text: str
    alias: str
    model: str
    provider: str
    language: str | None
    segments: tuple[TranscriptionSegment, ...]
    duration_s: float | None
    cost_usd: float | None
    latency_s: float
    impact: EnvironmentalImpact
    parameters: dict[str, Any] = field(default_factory=dict)


class ModelGateway(Protocol):
    """The only way garant code reaches a model."""

    def complete(
        self,
        alias: str,
        messages: list[ChatMessage],
        **parameters: Any,
    ) -> Completion:
        """Send a chat prompt to the model behind ``alias``."""
        ...

    def transcribe(
        self,
        alias: str,
        audio: Path,
        language: str | None = None,
        **parameters: Any,
    ) -> TranscriptionResult:
        """Transcribe an audio file with the speech model behind ``alias``."""
        ...
