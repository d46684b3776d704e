"""Transcription as an audited run: gate, audio hash, engine and model, transcript and hashes.

Audio of residents is personal data and cannot be pseudonymised: sending it to a speech API
is a decision of the policy gate (``pseudonymisation_available=False``). The transcript is kept
in the run folder as is (only its hash goes to MLflow) and pseudonymised (names, phones,
e-mails, addresses spoken aloud; speakers renamed consistently) for everything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from garant.analyses.transcription.backends import AuditedRunGateway, ProgressCallback
from garant.analyses.transcription.model import BackendName, Transcript
from garant.analyses.transcription.pseudonymise import pseudonymise_transcript
from garant.analyses.transcription.service import import_transcript, render, transcribe
from garant.audit.disclosure import DisclosureLabel
from garant.audit.run import audited_run
from garant.errors import InputError
from garant.i18n import tr
from garant.workspace import Workspace

__all__ = [
    "PSEUDONYMISED_FILE",
    "TRANSCRIPT_FILE",
    "TranscriptionOutcome",
    "check_input_file",
    "run_transcription",
]

TRANSCRIPT_FILE = "transcription.json"
PSEUDONYMISED_FILE = "transcription-pseudonymisee.json"


@dataclass(frozen=True)
class TranscriptionOutcome:
    run_id: str
    transcript: Transcript
    pseudonymised: Transcript
    folder: Path
    label: DisclosureLabel


def check_input_file(path: Path) -> None:
    """The recording (or transcript to import) exists and can be read; else exit 2."""
    if path.is_file():
        try:
            with path.open("rb") as stream:
                stream.read(1)
            return
        except OSError as error:
            problem = tr("illisible ({e})", "unreadable ({e})", e=type(error).__name__)
    elif path.exists():
        problem = tr("ce n'est pas un fichier", "not a file")
    else:
        problem = tr("fichier introuvable", "file not found")
    raise InputError(
        tr("{p} : {problem}.", "{p}: {problem}.", p=path, problem=problem),
        tr(
            "Donnez le chemin d'un enregistrement (WAV, MP3…) ou d'une transcription "
            "(VTT, SRT, JSON) existant ; aucune exécution n'a été ouverte.",
            "Give the path of an existing recording (WAV, MP3…) or transcript "
            "(VTT, SRT, JSON); no run was opened.",
        ),
    )


def _flat(values: dict[str, object], prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flat(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def run_transcription(
    workspace: Workspace,
    audio: Path,
    *,
    use: str,
    operator: str,
    backend: BackendName = "local",
    model: str | None = None,
    language: str | None = None,
    on_progress: ProgressCallback | None = None,
    pseudonymisation_mode: str = "full",
) -> TranscriptionOutcome:
    """Transcribe (or import) ``audio`` inside an audited run of ``use``."""
    check_input_file(audio)  # before the run: a missing file leaves no failed run behind
    alias = model if backend == "api" else None
    # a transcript to import is read before the run opens: a malformed file leaves no failed run
    imported = import_transcript(audio, language=language or "fr") if backend == "import" else None
    with audited_run(
        workspace,
        use=use,
        kind="transcription",
        operator=operator,
        model_alias=alias,
        ai_involvement="none" if backend == "import" else "generated",
        pseudonymisation_available=backend != "api",
        pseudonymisation_mode=pseudonymisation_mode,
        parameters={"backend": backend, "model": model or "", "language": language or ""},
    ) as run:
        run.add_input(audio.name, audio, log_copy=False)  # recordings and transcripts: hash only
        transcript = imported or _transcribe(
            workspace, run, audio, backend, model, language, on_progress
        )
        summary = transcript.trace_summary()
        run.log_params(**_flat(summary))
        if backend == "local":
            engine = transcript.engine
            run.record_engine_call(engine.engine, engine.model, _flat(summary))
        # What people said aloud is personal whatever the use declares: always pseudonymised.
        pseudonymised = pseudonymise_transcript(
            transcript, lambda texts: run.pseudonymise(texts, always=True)
        )
        run.summary["method"] = _method(transcript, backend)
        run.summary["imported"] = backend == "import"  # not transcribed by garant: no engine
        run.add_output(TRANSCRIPT_FILE, transcript.to_json(), contains_personal_data=True)
        run.add_output(PSEUDONYMISED_FILE, pseudonymised.to_json())
        run.add_output("transcription-pseudonymisee.vtt", render(pseudonymised, "vtt"))
        label = run.disclosure(PSEUDONYMISED_FILE)
    return TranscriptionOutcome(run.id, transcript, pseudonymised, run.outputs_dir, label)


def _transcribe(
    workspace: Workspace,
    run: object,
    audio: Path,
    backend: BackendName,
    model: str | None,
    language: str | None,
    on_progress: ProgressCallback | None,
) -> Transcript:
    if backend == "import":
        return import_transcript(audio, language=language or "fr")
    models_dir = workspace.root / workspace.settings.whisper_models_dir
    return transcribe(
        audio,
        backend,
        language=language,
        model=model if backend == "local" else None,
        models_dir=models_dir if models_dir.is_dir() else None,
        gateway=AuditedRunGateway(run) if backend == "api" else None,  # type: ignore[arg-type]
        alias=model,
        on_progress=on_progress,
    )


def _method(transcript: Transcript, backend: BackendName) -> str:
    if backend == "import":
        return "import d'une transcription existante"
    return f"{transcript.engine.engine} {transcript.engine.model}".strip()
