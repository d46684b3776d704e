"""The API path through the gateway protocol, with the recording fake gateway."""

from __future__ import annotations

import itertools
import wave
from pathlib import Path

import pytest

from garant.analyses.transcription import Progress, TranscriptionError, probe_audio, transcribe
from garant.errors import InputError
from garant.llm.testing import RecordingGateway


def test_api_backend_sends_the_file_alias_and_language_and_keeps_segments(
    french_wav: Path,
) -> None:
    gateway = RecordingGateway(aliases=["voxtral"])
    gateway.enqueue_transcription(
        [(0.0, 3.2, "Bonjour à toutes et à tous."), (3.4, 7.9, "La séance est ouverte.")],
        model="mistral/voxtral-mini-latest",
        provider="Mistral AI (UE)",
        cost_usd=0.0012,
    )
    transcript = transcribe(french_wav, "api", gateway=gateway, alias="voxtral", language="fr")
    call = gateway.calls[0]
    assert (call.kind, call.alias, call.language, call.audio) == (
        "transcribe",
        "voxtral",
        "fr",
        french_wav,
    )
    assert [s.text for s in transcript.segments] == [
        "Bonjour à toutes et à tous.",
        "La séance est ouverte.",
    ]
    assert transcript.segments[1].start_s == 3.4
    assert transcript.language == "fr"
    assert transcript.engine.backend == "api"
    assert transcript.engine.model == "voxtral → mistral/voxtral-mini-latest"
    assert transcript.engine.provider == "Mistral AI (UE)"
    assert transcript.engine.parameters["cost_usd"] == pytest.approx(0.0012)
    assert transcript.audio == probe_audio(french_wav)


def test_long_audio_is_sent_in_wav_chunks_with_times_offset(french_wav: Path) -> None:
    gateway = RecordingGateway()
    for i in range(10):
        gateway.enqueue_transcription([(0.5, 1.5, f"morceau {i}")])
    progress: list[Progress] = []
    transcript = transcribe(
        french_wav,
        "api",
        gateway=gateway,
        alias="voxtral",
        chunk_s=4.0,
        on_progress=progress.append,
    )
    chunks = len(gateway.calls)
    assert chunks >= 2 and len(progress) == chunks
    assert [s.text for s in transcript.segments] == [f"morceau {i}" for i in range(chunks)]
    starts = [s.start_s for s in transcript.segments]
    assert starts[0] == 0.5 and all(
        b is not None and a is not None and b > a + 2 for a, b in itertools.pairwise(starts)
    )
    # uploads were 16 kHz mono WAV pieces, removed once the transcription is done
    assert all(call.audio is not None and call.audio.suffix == ".wav" for call in gateway.calls)
    assert not any(call.audio is not None and call.audio.exists() for call in gateway.calls)
    assert transcript.engine.parameters["chunks"] == chunks


def test_text_only_answer_becomes_one_segment_spanning_the_chunk(
    french_wav: Path, tmp_path: Path
) -> None:
    gateway = RecordingGateway()
    gateway.enqueue_transcription([], text="Bonjour à tous.")
    transcript = transcribe(french_wav, "api", gateway=gateway, alias="whisper")
    (segment,) = transcript.segments
    with wave.open(str(french_wav)) as reader:
        duration = reader.getnframes() / reader.getframerate()
    assert segment.text == "Bonjour à tous."
    assert segment.start_s == 0.0
    assert segment.end_s == pytest.approx(duration, abs=0.01)


def test_gateway_failure_mid_way_raises_without_a_transcript(french_wav: Path) -> None:
    gateway = RecordingGateway()
    gateway.enqueue_transcription([(0.0, 1.0, "début")])
    gateway.enqueue_transcription_error(ConnectionError("connexion perdue"))
    with pytest.raises(TranscriptionError) as caught:
        transcribe(french_wav, "api", gateway=gateway, alias="voxtral", chunk_s=4.0)
    assert "connexion perdue" in caught.value.message
    assert "conseil.wav" in caught.value.message


def test_gateway_refusal_is_passed_through_unchanged(french_wav: Path) -> None:
    gateway = RecordingGateway(aliases=["voxtral"])
    with pytest.raises(InputError, match="inconnu"):
        transcribe(french_wav, "api", gateway=gateway, alias="absent")


def test_api_backend_without_alias_is_refused(french_wav: Path) -> None:
    with pytest.raises(InputError, match="alias"):
        transcribe(french_wav, "api", gateway=RecordingGateway())


def test_engine_times_past_the_chunk_end_are_kept_inside_the_recording(french_wav: Path) -> None:
    gateway = RecordingGateway()
    gateway.enqueue_transcription([(1.0, 2.0, "dans le temps"), (29.0, 30.0, "au-delà de la fin")])
    transcript = transcribe(french_wav, "api", gateway=gateway, alias="voxtral")
    duration = probe_audio(french_wav).duration_s
    assert [(s.start_s, s.end_s) for s in transcript.segments] == [
        (1.0, 2.0),
        (duration, duration),
    ]


def test_real_gateway_against_a_local_openai_compatible_server(
    french_wav: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end through litellm: what reaches the server and what comes back."""
    import fake_openai

    import garant.llm.gateway as gateway_module
    from garant.settings import ModelAlias

    server = fake_openai.FakeOpenAIServer().start()
    try:
        monkeypatch.setenv("GARANT_TEST_STT_KEY", "sk-test-transcription")
        alias = ModelAlias(
            model="openai/whisper-local",
            provider_label="Serveur de transcription de test",
            api_base=server.base_url,
            api_key_env="GARANT_TEST_STT_KEY",
            timeout_s=10.0,
            max_retries=0,
        )
        gateway = gateway_module.Gateway({"stt": alias})
        transcript = transcribe(french_wav, "api", gateway=gateway, alias="stt", language="fr")
        (request,) = server.requests
    finally:
        server.stop()
    assert request.path == "/v1/audio/transcriptions"
    assert request.form["model"] == "whisper-local"
    assert request.form["language"] == "fr"
    assert request.files["file"] == ("conseil.wav", french_wav.read_bytes())
    assert [(s.start_s, s.end_s, s.text) for s in transcript.segments] == [
        (0.0, 2.5, "Bonjour à toutes et à tous."),
        (2.5, 5.0, "La séance est ouverte."),
    ]
    assert transcript.engine.provider == "Serveur de transcription de test"
    assert transcript.engine.model == "stt → openai/whisper-local"


def test_audited_run_adapter_sends_every_chunk_through_the_run(french_wav: Path) -> None:
    from garant.analyses.transcription import AuditedRunGateway

    gateway = RecordingGateway()
    for _ in range(10):
        gateway.enqueue_transcription([(0.0, 1.0, "x")])
    seen: list[tuple[Path, str | None, str | None]] = []

    class FakeRun:
        def transcribe(
            self, audio: Path, language: str | None = None, alias: str | None = None, **p: object
        ) -> object:
            seen.append((audio, language, alias))
            return gateway.transcribe(alias or "", audio, language)

    transcript = transcribe(
        french_wav,
        "api",
        gateway=AuditedRunGateway(FakeRun()),
        alias="stt",
        language="fr",
        chunk_s=4.0,
    )
    assert len(seen) == len(gateway.calls) == len(transcript.segments) >= 2
    assert all(language == "fr" and alias == "stt" for _, language, alias in seen)
