"""Data shapes of a transcript: segments, audio metadata, engine, and their JSON file.

A transcript is a pydantic model so it round-trips through JSON without hand-written
(de)serialisers and a damaged file is refused with the field that is wrong. No heavy import here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from garant.errors import InputError, NotFoundError
from garant.i18n import tr
from garant.util.files import atomic_write_text, sha256_bytes

__all__ = [
    "SCHEMA_VERSION",
    "AudioInfo",
    "BackendName",
    "EngineInfo",
    "Segment",
    "SourceFile",
    "Transcript",
    "load_transcript",
    "save_transcript",
]

SCHEMA_VERSION = 1

BackendName = Literal["local", "api", "import"]
"""local: faster-whisper on this machine; api: a speech model behind the gateway; import: an
existing transcript file (WebVTT, SRT, plain text)."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Segment(BaseModel):
    """A stretch of speech: times in seconds (millisecond precision), text, speaker, confidence."""

    model_config = ConfigDict(frozen=True)

    start_s: float | None
    """Start in seconds from the beginning of the recording; ``None`` when the source has none
    (plain-text import)."""
    end_s: float | None
    text: str
    speaker: str | None = None
    """Speaker label when known (voice tag, ``Nom :`` prefix, API diarisation); never guessed."""
    confidence: float | None = None
    """0–1 when the engine gives one (faster-whisper: exp of the mean token log-probability)."""

    @field_validator("start_s", "end_s")
    @classmethod
    def _millisecond(cls, value: float | None) -> float | None:
        if value is None:
            return None
        if value < 0:
            raise ValueError("time must be >= 0")
        return round(value, 3)

    @model_validator(mode="after")
    def _ordered(self) -> Segment:
        if self.start_s is not None and self.end_s is not None and self.end_s < self.start_s:
            raise ValueError(f"end_s ({self.end_s}) is before start_s ({self.start_s})")
        return self


class AudioInfo(BaseModel):
    """What was measured on the audio file before transcription (recorded in the trace)."""

    model_config = ConfigDict(frozen=True)

    file_name: str
    """File name only: a transcript does not leak the local folder layout."""
    sha256: str
    size_bytes: int
    duration_s: float
    sample_rate: int
    channels: int
    format: str
    """Container format as the decoder names it (wav, flac, mp3, ogg, mov,mp4,m4a…)."""
    codec: str = ""


class SourceFile(BaseModel):
    """An imported transcript file."""

    model_config = ConfigDict(frozen=True)

    file_name: str
    sha256: str
    format: Literal["webvtt", "srt", "text"]


class EngineInfo(BaseModel):
    """Which engine and model produced the transcript, with the parameters that matter."""

    model_config = ConfigDict(frozen=True)

    backend: BackendName
    engine: str
    """e.g. ``faster-whisper 1.2.1``, ``gateway``, ``import webvtt``."""
    model: str = ""
    """Model name or directory name (local), alias → resolved model (api); empty for imports."""
    provider: str = ""
    parameters: dict[str, Any] = Field(default_factory=dict)


class Transcript(BaseModel):
    """A transcript and its provenance. ``complete`` is True only once every chunk is done."""

    model_config = ConfigDict(frozen=True)

    schema_version: int = SCHEMA_VERSION
    language: str | None
    segments: tuple[Segment, ...]
    engine: EngineInfo
    audio: AudioInfo | None = None
    source: SourceFile | None = None
    complete: bool = True
    pseudonymised: bool = False
    derived_from_sha256: str | None = None
    """For a pseudonymised transcript: hash of the original it was derived from."""
    created_at: datetime = Field(default_factory=_utc_now)

    @property
    def text(self) -> str:
        """Whole text, one segment per line."""
        return "\n".join(segment.text for segment in self.segments)

    @property
    def speakers(self) -> list[str]:
        """Distinct speaker labels in order of first appearance."""
        seen: dict[str, None] = {}
        for segment in self.segments:
            if segment.speaker is not None:
                seen.setdefault(segment.speaker, None)
        return list(seen)

    @property
    def duration_s(self) -> float | None:
        """Audio duration when known, else the end of the last timed segment."""
        if self.audio is not None:
            return self.audio.duration_s
        ends = [s.end_s for s in self.segments if s.end_s is not None]
        return max(ends) if ends else None

    @property
    def has_timestamps(self) -> bool:
        return all(s.start_s is not None and s.end_s is not None for s in self.segments)

    def trace_summary(self) -> dict[str, Any]:
        """What the audited run records as parameters/metrics (no transcript text)."""
        summary: dict[str, Any] = {
            "backend": self.engine.backend,
            "engine": self.engine.engine,
            "model": self.engine.model,
            "provider": self.engine.provider,
            "language": self.language,
            "segments": len(self.segments),
            "speakers": len(self.speakers),
            "complete": self.complete,
            "pseudonymised": self.pseudonymised,
            "transcript_sha256": self.sha256(),
            **{f"engine.{key}": value for key, value in self.engine.parameters.items()},
        }
        if self.audio is not None:
            summary.update(
                {
                    "audio_file": self.audio.file_name,
                    "audio_sha256": self.audio.sha256,
                    "audio_duration_s": self.audio.duration_s,
                    "audio_sample_rate": self.audio.sample_rate,
                    "audio_channels": self.audio.channels,
                    "audio_format": self.audio.format,
                }
            )
        if self.source is not None:
            summary.update(
                {
                    "source_file": self.source.file_name,
                    "source_sha256": self.source.sha256,
                    "source_format": self.source.format,
                }
            )
        if self.derived_from_sha256:
            summary["derived_from_sha256"] = self.derived_from_sha256
        return summary

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, 2-space indent) as written to disk."""
        data = json.loads(self.model_dump_json())
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    def sha256(self) -> str:
        """Hash of the canonical JSON; the trace records it."""
        return sha256_bytes(self.to_json().encode("utf-8"))


def save_transcript(transcript: Transcript, path: Path) -> Path:
    """Write the transcript as JSON atomically (a reader never sees half a file)."""
    return atomic_write_text(path, transcript.to_json())


def load_transcript(path: Path, *, allow_incomplete: bool = False) -> Transcript:
    """Read a transcript written by :func:`save_transcript`.

    An incomplete transcript (a transcription that failed mid-way) is refused unless
    ``allow_incomplete`` is set, so nothing downstream mistakes it for the whole meeting.
    """
    if not path.is_file():
        raise NotFoundError(
            tr("Transcription introuvable : {path}", "Transcript not found: {path}", path=path),
            tr("Vérifiez le chemin du fichier.", "Check the file path."),
        )
    try:
        transcript = Transcript.model_validate_json(path.read_bytes())
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(racine)"
        raise InputError(
            tr(
                "Transcription illisible : {path}, champ {field} : {problem}",
                "Unreadable transcript: {path}, field {field}: {problem}",
                path=path,
                field=where,
                problem=first["msg"],
            ),
            tr(
                "Le fichier a été modifié ou n'est pas une transcription garant ; "
                "refaites la transcription ou l'import.",
                "The file was edited or is not a garant transcript; transcribe or import again.",
            ),
        ) from error
    if not transcript.complete and not allow_incomplete:
        raise InputError(
            tr(
                "Transcription incomplète : {path} (la transcription s'est arrêtée en cours).",
                "Incomplete transcript: {path} (transcription stopped mid-way).",
                path=path,
            ),
            tr(
                "Relancez la transcription de l'enregistrement.",
                "Run the transcription of the recording again.",
            ),
        )
    return transcript
