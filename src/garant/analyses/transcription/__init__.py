"""Transcription of meetings: local or API speech-to-text, imports, exports, pseudonymisation.

Service functions (what the CLI calls)::

    transcript = transcribe(Path("reunion.wav"), backend="local", model="small", language="fr")
    transcript = import_transcript(Path("reunion.vtt"))
    export(transcript, "md", Path("compte-rendu.md"))
    turns = to_turns(transcript)           # → synthesis corpus, one contribution per turn
    safe = pseudonymise_transcript(transcript, pseudonymiser)

Nothing heavy is imported here: faster-whisper and PyAV load when a transcription runs.
"""

from .audio import probe_audio
from .backends import (
    BUNDLED_MODEL,
    ApiBackend,
    AuditedRunGateway,
    LocalWhisperBackend,
    Progress,
    ProgressCallback,
    TranscriptionBackend,
    TranscriptionError,
    bundled_model_dir,
    resolve_model_dir,
)
from .model import (
    AudioInfo,
    BackendName,
    EngineInfo,
    Segment,
    SourceFile,
    Transcript,
    load_transcript,
    save_transcript,
)
from .pseudonymise import Pseudonymiser, pseudonymise_transcript, speaker_pseudonyms
from .service import ExportFormat, export, import_transcript, make_backend, render, transcribe
from .turns import Turn, to_turns

__all__ = [
    "BUNDLED_MODEL",
    "ApiBackend",
    "AudioInfo",
    "AuditedRunGateway",
    "BackendName",
    "EngineInfo",
    "ExportFormat",
    "LocalWhisperBackend",
    "Progress",
    "ProgressCallback",
    "Pseudonymiser",
    "Segment",
    "SourceFile",
    "Transcript",
    "TranscriptionBackend",
    "TranscriptionError",
    "Turn",
    "bundled_model_dir",
    "export",
    "import_transcript",
    "load_transcript",
    "make_backend",
    "probe_audio",
    "pseudonymise_transcript",
    "render",
    "resolve_model_dir",
    "save_transcript",
    "speaker_pseudonyms",
    "to_turns",
    "transcribe",
]
