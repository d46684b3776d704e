"""A recording fake of the model gateway for other packages' tests (like simonw/llm's MockModel).

    gateway = RecordingGateway()
    gateway.enqueue("Synthèse attendue")
    result = my_analysis(gateway, ...)
    assert gateway.calls[0].alias == "hors-ligne"
    assert "contribution" in gateway.calls[0].messages[-1].content

Answers are returned in the order they were queued; calling with nothing queued raises
``AssertionError`` (a test should say what the model answers). ``enqueue_error`` makes the next
call raise. Pass ``aliases`` to get the real gateway's unknown-alias error.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from garant.errors import InputError
from garant.i18n import tr
from garant.llm.offline import count_tokens
from garant.llm.types import (
    ChatMessage,
    Completion,
    EnvironmentalImpact,
    TranscriptionResult,
    TranscriptionSegment,
)

__all__ = ["RecordedCall", "RecordingGateway"]

_FAKE_PROVIDER = "faux modèle de test (garant.llm.testing)"


@dataclass(frozen=True)
class RecordedCall:
    """One call received by the fake gateway."""

    kind: Literal["complete", "transcribe"]
    alias: str
    messages: tuple[ChatMessage, ...] = ()
    parameters: dict[str, Any] = field(default_factory=dict)
    audio: Path | None = None
    language: str | None = None


class RecordingGateway:
    """A ``ModelGateway`` that records calls and returns queued answers."""

    def __init__(self, aliases: Iterable[str] | None = None) -> None:
        self.calls: list[RecordedCall] = []
        self._aliases = None if aliases is None else frozenset(aliases)
        self._completions: deque[Completion | BaseException] = deque()
        self._transcriptions: deque[TranscriptionResult | BaseException] = deque()

    def enqueue(self, text: str, **overrides: Any) -> None:
        """Queue the text of the next completion; ``overrides`` set other Completion fields."""
        completion = Completion(
            text=text,
            alias="",
            model="test/recording",
            provider=_FAKE_PROVIDER,
            offline=True,
            prompt_tokens=None,
            completion_tokens=count_tokens(text),
            cost_usd=None,
            latency_s=0.0,
            impact=EnvironmentalImpact.unknown("faux modèle de test : non estimé"),
        )
        self._completions.append(replace(completion, **overrides))

    def enqueue_error(self, error: BaseException) -> None:
        """Make the next completion raise ``error``."""
        self._completions.append(error)

    def enqueue_transcription(
        self,
        segments: Iterable[tuple[float, float, str]],
        *,
        language: str | None = "fr",
        **overrides: Any,
    ) -> None:
        """Queue the next transcription as (start_s, end_s, text) segments."""
        parts = tuple(TranscriptionSegment(start_s=s, end_s=e, text=t) for s, e, t in segments)
        result = TranscriptionResult(
            text=" ".join(p.text for p in parts),
            alias="",
            model="test/recording",
            provider=_FAKE_PROVIDER,
            language=language,
            segments=parts,
            duration_s=parts[-1].end_s if parts else None,
            cost_usd=None,
            latency_s=0.0,
            impact=EnvironmentalImpact.unknown("faux modèle de test : non estimé"),
        )
        self._transcriptions.append(replace(result, **overrides))

    def enqueue_transcription_error(self, error: BaseException) -> None:
        """Make the next transcription raise ``error``."""
        self._transcriptions.append(error)

    def complete(self, alias: str, messages: list[ChatMessage], **parameters: Any) -> Completion:
        self._check_alias(alias)
        self.calls.append(RecordedCall("complete", alias, tuple(messages), dict(parameters)))
        if not self._completions:
            raise AssertionError(
                f"RecordingGateway: no completion queued for alias {alias!r}; call enqueue()"
            )
        answer = self._completions.popleft()
        if isinstance(answer, BaseException):
            raise answer
        prompt_tokens = answer.prompt_tokens
        if prompt_tokens is None:
            prompt_tokens = sum(count_tokens(m.content) for m in messages)
        return replace(
            answer,
            alias=alias,
            prompt_tokens=prompt_tokens,
            parameters={**dict(parameters), **answer.parameters},
        )

    def transcribe(
        self,
        alias: str,
        audio: Path,
        language: str | None = None,
        **parameters: Any,
    ) -> TranscriptionResult:
        self._check_alias(alias)
        self.calls.append(
            RecordedCall(
                "transcribe", alias, (), dict(parameters), audio=Path(audio), language=language
            )
        )
        if not self._transcriptions:
            raise AssertionError(
                f"RecordingGateway: no transcription queued for alias {alias!r}; "
                "call enqueue_transcription()"
            )
        answer = self._transcriptions.popleft()
        if isinstance(answer, BaseException):
            raise answer
        return replace(answer, alias=alias, parameters={**dict(parameters), **answer.parameters})

    @property
    def prompts(self) -> list[str]:
        """The concatenated contents of each recorded completion call (handy in asserts)."""
        return [
            "\n".join(m.content for m in c.messages) for c in self.calls if c.kind == "complete"
        ]

    def _check_alias(self, alias: str) -> None:
        if self._aliases is not None and alias not in self._aliases:
            raise InputError(
                tr(
                    "Alias de modèle inconnu : « {alias} ».",
                    "Unknown model alias: '{alias}'.",
                    alias=alias,
                ),
                tr(
                    "Alias configurés : {known}.",
                    "Configured aliases: {known}.",
                    known=", ".join(sorted(self._aliases)),
                ),
            )
