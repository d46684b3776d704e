"""Service functions the CLI and TUI call: transcribe, import, export, hand-off to the synthesis."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from garant.errors import InputError, NotFoundError
from garant.i18n import tr
from garant.util.files import atomic_write_text, sha256_file

from .audio import probe_audio
from .backends import ApiBackend, LocalWhisperBackend, ProgressCallback, TranscriptionBackend
from .formats import (
    TranscriptFormat,
    detect_format,
    parse_srt,
    parse_text,
    parse_webvtt,
    read_text_file,
    render_markdown,
    render_srt,
    render_text,
    render_webvtt,
)
from .model import BackendName, EngineInfo, SourceFile, Transcript

__all__ = ["ExportFormat", "export", "import_transcript", "make_backend", "render", "transcribe"]

_TRANSCRIPT_SUFFIXES = frozenset({".vtt", ".srt", ".txt", ".md"})

ExportFormat = Literal["vtt", "srt", "txt", "md", "json"]


def make_backend(
    backend: BackendName,
    *,
    model: str | Path | None = None,
    models_dir: Path | None = None,
    gateway: Any = None,
    alias: str | None = None,
    device: str = "auto",
    cpu_threads: int = 0,
    chunk_s: float = 600.0,
    **options: Any,
) -> TranscriptionBackend:
    """Build the backend named ``local`` or ``api`` (``import`` needs no backend)."""
    if backend == "local":
        return LocalWhisperBackend(
            model=model,
            models_dir=models_dir,
            device=device,
            cpu_threads=cpu_threads,
            chunk_s=chunk_s,
            **options,
        )
    if backend == "api":
        if gateway is None or not alias:
            raise InputError(
                tr(
                    "La transcription par API demande une passerelle et un alias de modèle.",
                    "API transcription needs a gateway and a model alias.",
                ),
                tr(
                    "Indiquez --model <alias> d'un modèle de transcription déclaré dans garant.toml.",
                    "Give --model <alias> of a transcription model declared in garant.toml.",
                ),
            )
        return ApiBackend(gateway=gateway, alias=alias, chunk_s=chunk_s, parameters=dict(options))
    raise InputError(
        tr(
            "Moteur de transcription inconnu : {name}",
            "Unknown transcription backend: {name}",
            name=backend,
        ),
        tr("Choisissez local, api ou import.", "Choose local, api or import."),
    )


def transcribe(
    audio: Path,
    backend: BackendName = "local",
    *,
    language: str | None = None,
    model: str | Path | None = None,
    models_dir: Path | None = None,
    gateway: Any = None,
    alias: str | None = None,
    device: str = "auto",
    cpu_threads: int = 0,
    chunk_s: float = 600.0,
    on_progress: ProgressCallback | None = None,
    engine: TranscriptionBackend | None = None,
    **options: Any,
) -> Transcript:
    """Transcribe ``audio`` with the named backend and return a complete transcript, or raise.

    ``backend="import"`` reads an existing transcript file instead (WebVTT, SRT, text).
    ``language`` is an ISO 639-1 code (``fr``) or ``None`` to let the engine detect it.
    ``engine`` overrides the backend built from the other arguments (reuse a loaded model).
    """
    if backend == "import":
        return import_transcript(audio, language=language or "fr")
    if audio.suffix.lower() in _TRANSCRIPT_SUFFIXES:
        raise InputError(
            tr(
                "{path} est une transcription, pas un enregistrement audio.",
                "{path} is a transcript, not an audio recording.",
                path=audio,
            ),
            tr("Importez-la avec --backend import.", "Import it with --backend import."),
        )
    info = probe_audio(audio)
    chosen = engine or make_backend(
        backend,
        model=model,
        models_dir=models_dir,
        gateway=gateway,
        alias=alias,
        device=device,
        cpu_threads=cpu_threads,
        chunk_s=chunk_s,
        **options,
    )
    return chosen.transcribe(audio, info, language=language, on_progress=on_progress)


def import_transcript(
    path: Path,
    *,
    format: TranscriptFormat | None = None,
    language: str | None = "fr",
    detect_speakers: bool = True,
) -> Transcript:
    """Read a WebVTT, SRT or plain-text transcript (format from the extension or the content)."""
    if not path.is_file():
        raise NotFoundError(
            tr("Fichier introuvable : {path}", "File not found: {path}", path=path),
            tr("Vérifiez le chemin du fichier.", "Check the file path."),
        )
    text = read_text_file(path)
    kind = format or detect_format(path, text)
    readers = {"webvtt": parse_webvtt, "srt": parse_srt, "text": parse_text}
    segments = readers[kind](path, text, detect_speakers=detect_speakers)
    return Transcript(
        language=language,
        segments=tuple(segments),
        source=SourceFile(file_name=path.name, sha256=sha256_file(path), format=kind),
        engine=EngineInfo(
            backend="import",
            engine=f"import {kind}",
            parameters={"detect_speakers": detect_speakers},
        ),
    )


def render(transcript: Transcript, format: ExportFormat, *, title: str | None = None) -> str:
    """The transcript as text in ``format``: vtt, srt, txt (``[time] Nom : texte`` lines),
    md (minutes skeleton) or json (the canonical saved form)."""
    if not transcript.complete:
        raise InputError(
            tr(
                "Transcription incomplète : export refusé.",
                "Incomplete transcript: export refused.",
            ),
            tr("Relancez la transcription jusqu'au bout.", "Run the transcription to the end."),
        )
    if format == "vtt":
        return render_webvtt(transcript)
    if format == "srt":
        return render_srt(transcript)
    if format == "txt":
        return render_text(transcript)
    if format == "md":
        return render_markdown(transcript, title)
    if format == "json":
        return transcript.to_json()
    raise InputError(
        tr("Format d'export inconnu : {f}", "Unknown export format: {f}", f=format),
        tr("Choisissez vtt, srt, txt, md ou json.", "Choose vtt, srt, txt, md or json."),
    )


def export(
    transcript: Transcript, format: ExportFormat, path: Path, *, title: str | None = None
) -> Path:
    """Write the transcript to ``path`` in ``format``, atomically."""
    return atomic_write_text(path, render(transcript, format, title=title))
