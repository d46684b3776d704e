"""Audio input: probing formats, streaming chunks cut in silence, clear errors."""

from __future__ import annotations

import itertools
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from garant.analyses.transcription import audio as audio_module
from garant.analyses.transcription import probe_audio
from garant.analyses.transcription.audio import SAMPLE_RATE, iter_audio_chunks, write_wav
from garant.errors import InputError, NotFoundError


def test_probe_wav_records_duration_rate_channels_and_hash(french_wav: Path) -> None:
    info = probe_audio(french_wav)
    with wave.open(str(french_wav)) as reader:
        expected = reader.getnframes() / reader.getframerate()
    assert info.duration_s == pytest.approx(expected, abs=0.01)
    assert info.duration_s > 8  # two French sentences and a pause
    assert (info.sample_rate, info.channels, info.format) == (16000, 1, "wav")
    assert len(info.sha256) == 64
    assert info.file_name == french_wav.name


@pytest.mark.parametrize(
    ("suffix", "codec", "container"),
    [
        (".mp3", "mp3", "mp3"),
        (".m4a", "aac", "mp4"),
        (".ogg", "libopus", "ogg"),
        (".flac", "flac", "flac"),
    ],
)
def test_probe_compressed_formats_gives_the_same_duration(
    french_wav: Path,
    tmp_path: Path,
    encode_audio: Callable[[Path, Path, str], Path],
    suffix: str,
    codec: str,
    container: str,
) -> None:
    target = encode_audio(french_wav, tmp_path / f"conseil{suffix}", codec)
    info = probe_audio(target)
    assert container in info.format
    # encoders add a few ms of priming/padding, never more than a frame or two
    assert info.duration_s == pytest.approx(probe_audio(french_wav).duration_s, abs=0.15)


def test_chunks_cover_the_recording_exactly_once_in_order(french_wav: Path) -> None:
    chunks = list(iter_audio_chunks(french_wav, chunk_s=3.0, search_s=1.0))
    total = sum(len(c.samples) for c in chunks)
    duration = probe_audio(french_wav).duration_s
    assert len(chunks) >= 3
    assert total / SAMPLE_RATE == pytest.approx(duration, abs=0.01)
    for previous, current in itertools.pairwise(chunks):
        assert current.offset_s == pytest.approx(previous.offset_s + previous.duration_s, abs=1e-6)
    assert all(2.0 <= c.duration_s <= 3.0 for c in chunks[:-1])


def test_chunk_boundary_falls_in_the_silence(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    loud = (0.3 * rng.standard_normal(int(2.6 * SAMPLE_RATE))).astype(np.float32)
    quiet = np.zeros(int(0.3 * SAMPLE_RATE), dtype=np.float32)
    signal = np.concatenate([loud, quiet, loud])  # silence from 2.6 s to 2.9 s
    path = write_wav(tmp_path / "noise.wav", signal)
    first = next(iter_audio_chunks(path, chunk_s=3.0, search_s=1.0))
    assert 2.6 <= first.duration_s <= 2.9


def test_stdlib_wave_reads_wav_when_pyav_is_missing(
    french_wav: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_av = probe_audio(french_wav)
    monkeypatch.setattr(audio_module, "_has_av", lambda: False)
    without_av = probe_audio(french_wav)
    assert without_av.duration_s == pytest.approx(with_av.duration_s, abs=0.01)
    assert without_av.sha256 == with_av.sha256
    chunks = list(iter_audio_chunks(french_wav, chunk_s=4.0))
    assert sum(c.duration_s for c in chunks) == pytest.approx(with_av.duration_s, abs=0.01)


def test_non_wav_without_pyav_is_refused_with_an_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "reunion.mp3"
    path.write_bytes(b"ID3" + b"\0" * 100)
    monkeypatch.setattr(audio_module, "_has_av", lambda: False)
    with pytest.raises(InputError) as caught:
        probe_audio(path)
    assert "reunion.mp3" in caught.value.message
    assert "faster-whisper" in caught.value.hint


def test_empty_file_is_refused_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "vide.wav"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=r"Fichier audio vide.*vide\.wav"):
        probe_audio(path)


def test_wav_with_no_samples_is_refused_as_empty(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "silence.wav", np.zeros(0, dtype=np.float32))
    with pytest.raises(InputError) as caught:
        probe_audio(path)
    assert "Fichier audio vide" in caught.value.message
    assert "silence.wav" in caught.value.message


def test_garbage_file_is_refused_as_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "corrompu.wav"
    path.write_bytes(np.random.default_rng(1).integers(0, 256, 4000, dtype=np.uint8).tobytes())
    with pytest.raises(InputError) as caught:
        probe_audio(path)
    assert "Fichier audio illisible" in caught.value.message
    assert "corrompu.wav" in caught.value.message
    assert caught.value.hint


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match=r"absent\.wav"):
        probe_audio(tmp_path / "absent.wav")
