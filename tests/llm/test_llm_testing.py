"""The recording fake other packages use in their tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from garant.errors import InputError
from garant.llm import ChatMessage, ModelGateway
from garant.llm.testing import RecordingGateway


def test_recording_gateway_returns_queued_answers_in_order_and_records_calls() -> None:
    gateway = RecordingGateway()
    gateway.enqueue("première")
    gateway.enqueue("seconde", cost_usd=0.5)
    first = gateway.complete("hors-ligne", [ChatMessage("user", "Question une")], max_tokens=10)
    second = gateway.complete("mistral-small", [ChatMessage("user", "Question deux")])
    assert (first.text, second.text) == ("première", "seconde")
    assert first.alias == "hors-ligne" and second.cost_usd == 0.5
    assert first.parameters == {"max_tokens": 10}
    assert first.prompt_tokens == 2
    assert [c.alias for c in gateway.calls] == ["hors-ligne", "mistral-small"]
    assert gateway.calls[0].parameters == {"max_tokens": 10}
    assert gateway.prompts == ["Question une", "Question deux"]


def test_recording_gateway_without_queued_answer_fails_the_test() -> None:
    with pytest.raises(AssertionError, match="enqueue"):
        RecordingGateway().complete("x", [ChatMessage("user", "?")])


def test_recording_gateway_raises_queued_errors() -> None:
    gateway = RecordingGateway()
    gateway.enqueue_error(InputError("panne simulée"))
    with pytest.raises(InputError, match="panne simulée"):
        gateway.complete("x", [ChatMessage("user", "?")])
    assert len(gateway.calls) == 1


def test_recording_gateway_checks_aliases_when_given() -> None:
    gateway = RecordingGateway(aliases=["hors-ligne"])
    with pytest.raises(InputError, match="inconnu"):
        gateway.complete("gpt", [ChatMessage("user", "?")])


def test_recording_gateway_transcription_returns_segments(tmp_path: Path) -> None:
    gateway: ModelGateway = RecordingGateway()
    assert isinstance(gateway, RecordingGateway)
    gateway.enqueue_transcription([(0.0, 1.5, "Bonjour."), (1.5, 3.0, "Séance ouverte.")])
    result = gateway.transcribe("whisper", tmp_path / "a.wav", language="fr")
    assert result.text == "Bonjour. Séance ouverte."
    assert result.duration_s == 3.0 and result.alias == "whisper"
    assert gateway.calls[0].kind == "transcribe"
    assert gateway.calls[0].audio == tmp_path / "a.wav"
    assert gateway.calls[0].language == "fr"
