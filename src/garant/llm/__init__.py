"""The model gateway: aliases → offline provider or litellm, with tokens, cost and impact.

Importing this package is cheap: litellm (~3 s) is imported on the first hosted call only, and
EcoLogits on the first estimate. Tests of other packages use ``garant.llm.testing``.
"""

from __future__ import annotations

from garant.llm.gateway import Gateway, MissingApiKeyError, ModelCallError, UnknownAliasError
from garant.llm.impact import ecologits_source
from garant.llm.offline import count_tokens, extractive_summary, is_offline_model
from garant.llm.types import (
    ChatMessage,
    Completion,
    EnvironmentalImpact,
    ModelGateway,
    TranscriptionResult,
    TranscriptionSegment,
)

__all__ = [
    "ChatMessage",
    "Completion",
    "EnvironmentalImpact",
    "Gateway",
    "MissingApiKeyError",
    "ModelCallError",
    "ModelGateway",
    "TranscriptionResult",
    "TranscriptionSegment",
    "UnknownAliasError",
    "count_tokens",
    "ecologits_source",
    "extractive_summary",
    "is_offline_model",
]
