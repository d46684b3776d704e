"""Audio files: probe (duration, sample rate, channels, format, hash) and decode in chunks.

PyAV (``av``, installed with faster-whisper) reads WAV, FLAC, MP3, OGG/Opus, M4A/AAC and most
other formats FFmpeg knows; without it only plain PCM WAV is read, through the stdlib ``wave``.
Long recordings are decoded as a stream and cut into chunks at the quietest moment near each
boundary, so memory stays bounded and no word is cut in two when it can be avoided.
"""

from __future__ import annotations

import importlib.util
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from garant.errors import InputError, NotFoundError
from garant.i18n import tr
from garant.util.files import sha256_file

from .model import AudioInfo

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "SAMPLE_RATE",
    "AudioChunk",
    "iter_audio_chunks",
    "probe_audio",
    "write_wav",
]

SAMPLE_RATE = 16_000
"""Whisper models take 16 kHz mono."""

_FRAME_S = 0.02
"""Energy is measured on 20 ms frames to find a quiet cut point."""


@dataclass(frozen=True)
class AudioChunk:
    """A piece of the recording, 16 kHz mono float32, starting ``offset_s`` into it."""

    index: int
    offset_s: float
    samples: npt.NDArray[np.float32]

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def _has_av() -> bool:
    return importlib.util.find_spec("av") is not None


def _unreadable(path: Path, reason: str) -> InputError:
    return InputError(
        tr(
            "Fichier audio illisible : {path} ({reason})",
            "Unreadable audio file: {path} ({reason})",
            path=path,
            reason=reason,
        ),
        tr(
            "Formats lus : WAV, FLAC, MP3, M4A, OGG. Vérifiez que le fichier n'est pas tronqué "
            "ou convertissez-le, par exemple : ffmpeg -i entrée -ar 16000 -ac 1 sortie.wav",
            "Readable formats: WAV, FLAC, MP3, M4A, OGG. Check the file is not truncated or "
            "convert it, e.g.: ffmpeg -i input -ar 16000 -ac 1 output.wav",
        ),
    )


def _empty(path: Path) -> InputError:
    return InputError(
        tr(
            "Fichier audio vide : {path} (aucun son à transcrire)",
            "Empty audio file: {path} (no sound to transcribe)",
            path=path,
        ),
        tr(
            "Vérifiez que l'enregistrement a bien été exporté.",
            "Check the recording was exported properly.",
        ),
    )


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise NotFoundError(
            tr("Fichier audio introuvable : {path}", "Audio file not found: {path}", path=path),
            tr("Vérifiez le chemin du fichier.", "Check the file path."),
        )
    if path.stat().st_size == 0:
        raise _empty(path)


def probe_audio(path: Path) -> AudioInfo:
    """Measure an audio file without decoding all of it; refuse unreadable or empty files."""
    _check_file(path)
    if _has_av():
        info = _probe_av(path)
    elif path.suffix.lower() in {".wav", ".wave"}:
        info = _probe_wave(path)
    else:
        raise InputError(
            tr(
                "Impossible de lire {path} : le décodeur audio PyAV n'est pas installé.",
                "Cannot read {path}: the PyAV audio decoder is not installed.",
                path=path,
            ),
            tr(
                "Installez l'option transcription (pip install faster-whisper) "
                "ou convertissez le fichier en WAV.",
                "Install the transcription extra (pip install faster-whisper) "
                "or convert the file to WAV.",
            ),
        )
    if info.duration_s <= 0:
        raise _empty(path)
    return info


def _probe_av(path: Path) -> AudioInfo:
    import av

    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise _unreadable(path, tr("aucune piste audio", "no audio track"))
            stream = container.streams.audio[0]
            duration_s = 0.0
            if stream.duration is not None and stream.time_base is not None:
                duration_s = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration_s = container.duration / av.time_base
            if duration_s <= 0:
                duration_s = _decoded_duration(container)
            codec_context: Any = stream.codec_context
            return AudioInfo(
                file_name=path.name,
                sha256=sha256_file(path),
                size_bytes=path.stat().st_size,
                duration_s=round(duration_s, 3),
                sample_rate=int(stream.sample_rate or codec_context.sample_rate or 0),
                channels=int(codec_context.channels or stream.layout.nb_channels),
                format=str(container.format.name),
                codec=str(codec_context.name or ""),
            )
    except InputError:
        raise
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise _unreadable(path, str(error)) from error


def _decoded_duration(container: Any) -> float:
    """Duration by decoding, for streams whose header does not say (raw ADTS, some OGG)."""
    samples = 0
    rate = 0
    for frame in container.decode(audio=0):
        samples += frame.samples
        rate = frame.sample_rate
    return samples / rate if rate else 0.0


def _probe_wave(path: Path) -> AudioInfo:
    try:
        with wave.open(str(path), "rb") as reader:
            frames = reader.getnframes()
            rate = reader.getframerate()
            channels = reader.getnchannels()
    except (wave.Error, EOFError) as error:
        raise _unreadable(path, str(error)) from error
    return AudioInfo(
        file_name=path.name,
        sha256=sha256_file(path),
        size_bytes=path.stat().st_size,
        duration_s=round(frames / rate, 3) if rate else 0.0,
        sample_rate=rate,
        channels=channels,
        format="wav",
        codec="pcm",
    )


def iter_audio_chunks(
    path: Path, chunk_s: float = 600.0, search_s: float = 5.0
) -> Iterator[AudioChunk]:
    """Decode ``path`` to 16 kHz mono and yield chunks of about ``chunk_s`` seconds.

    Each cut is placed at the quietest 20 ms frame within the last ``search_s`` seconds before
    the nominal boundary. Chunks cover the recording exactly once, in order.
    """
    import numpy as np

    if chunk_s <= 0:
        raise ValueError("chunk_s must be > 0")
    _check_file(path)
    chunk_len = max(int(chunk_s * SAMPLE_RATE), 1)
    search_len = min(int(search_s * SAMPLE_RATE), chunk_len // 2)
    pending: list[npt.NDArray[np.float32]] = []
    pending_len = 0
    offset = 0
    index = 0
    for block in _decode_blocks(path):
        pending.append(block)
        pending_len += len(block)
        while pending_len >= chunk_len + search_len:
            buffer = np.concatenate(pending)
            cut = _quiet_cut(buffer, chunk_len, search_len)
            yield AudioChunk(index, offset / SAMPLE_RATE, buffer[:cut])
            index += 1
            offset += cut
            pending = [buffer[cut:]]
            pending_len = len(pending[0])
    if pending_len:
        yield AudioChunk(index, offset / SAMPLE_RATE, np.concatenate(pending))
    elif index == 0:
        raise _empty(path)


def _quiet_cut(buffer: npt.NDArray[np.float32], chunk_len: int, search_len: int) -> int:
    """Index of the quietest frame start in ``[chunk_len - search_len, chunk_len)``."""
    import numpy as np

    if search_len <= 0:
        return chunk_len
    frame = max(int(_FRAME_S * SAMPLE_RATE), 1)
    start = chunk_len - search_len
    window = buffer[start:chunk_len]
    usable = (len(window) // frame) * frame
    if usable == 0:
        return chunk_len
    energy = np.square(window[:usable].reshape(-1, frame)).mean(axis=1)
    # the latest of the quietest frames, so chunks stay close to the nominal length
    quietest = len(energy) - 1 - int(np.argmin(energy[::-1]))
    return start + quietest * frame + frame // 2


def _decode_blocks(path: Path) -> Iterator[npt.NDArray[np.float32]]:
    if _has_av():
        yield from _decode_av(path)
    else:
        yield from _decode_wave(path)


def _decode_av(path: Path) -> Iterator[npt.NDArray[np.float32]]:
    import av
    import numpy as np

    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise _unreadable(path, tr("aucune piste audio", "no audio track"))
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(-1).astype(np.float32) / 32768.0
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(-1).astype(np.float32) / 32768.0
    except InputError:
        raise
    except (av.error.FFmpegError, ValueError) as error:
        raise _unreadable(path, str(error)) from error


def _decode_wave(path: Path) -> Iterator[npt.NDArray[np.float32]]:
    """Stdlib fallback: 16-bit PCM WAV, any rate and channel count (linear resampling)."""
    import numpy as np

    try:
        reader = wave.open(str(path), "rb")  # noqa: SIM115 - closed by the with below
    except (wave.Error, EOFError) as error:
        raise _unreadable(path, str(error)) from error
    with reader:
        if reader.getsampwidth() != 2:
            raise _unreadable(path, tr("WAV non 16 bits", "WAV is not 16-bit"))
        rate = reader.getframerate()
        channels = reader.getnchannels()
        while True:
            raw = reader.readframes(rate * 30)
            if not raw:
                break
            data = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
            mono = data.reshape(-1, channels).mean(axis=1) if channels > 1 else data
            if rate != SAMPLE_RATE:
                target = round(len(mono) * SAMPLE_RATE / rate)
                positions = np.linspace(0, len(mono) - 1, num=target)
                mono = np.interp(positions, np.arange(len(mono)), mono)
            yield mono.astype(np.float32)


def write_wav(path: Path, samples: npt.NDArray[np.float32]) -> Path:
    """Write 16 kHz mono float samples as a plain 16-bit PCM WAV (for API uploads)."""
    import numpy as np

    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes(pcm.tobytes())
    return path
