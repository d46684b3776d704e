"""``garant transcribe`` and ``garant transcript show|export``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from garant.cli.output import say
from garant.cli.state import state_of
from garant.i18n import tr

if TYPE_CHECKING:
    from garant.analyses.transcription.model import BackendName

__all__ = ["transcribe", "transcript_app"]

transcript_app = typer.Typer(
    help="Transcriptions produites : affichage et exports.", no_args_is_help=True
)


def transcribe(
    ctx: typer.Context,
    audio: Annotated[
        Path,
        typer.Argument(
            help="Fichier audio (WAV, FLAC, MP3, M4A, OGG) ou transcription VTT/SRT/TXT à importer."
        ),
    ],
    use: Annotated[str, typer.Option("--use", help="Usage déclaré et approuvé (clé).")],
    by: Annotated[
        str, typer.Option("--by", envvar="GARANT_OPERATOR", help="Qui lance la transcription.")
    ],
    backend: Annotated[
        str, typer.Option(help="local (faster-whisper) | api (alias de modèle) | import")
    ] = "local",
    model: Annotated[
        str | None, typer.Option(help="local : nom ou dossier du modèle ; api : alias de modèle.")
    ] = None,
    language: Annotated[str | None, typer.Option(help="Langue parlée (ex. fr).")] = None,
    mode: Annotated[str, typer.Option("--pseudonymisation", help="full | patterns")] = "full",
) -> None:
    """Transcrit un enregistrement (ou importe une transcription) dans une exécution auditée."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from garant.analyses.transcription.audited import run_transcription
    from garant.errors import InputError

    if backend not in ("local", "api", "import"):
        raise InputError(
            tr("« --backend » invalide : {b}", "Invalid '--backend': {b}", b=backend),
            "local | api | import",
        )
    state = state_of(ctx)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn(), transient=True
    ) as progress:
        task = progress.add_task(tr("Transcription", "Transcription"), total=1.0)
        outcome = run_transcription(
            state.workspace(),
            audio,
            use=use,
            operator=by,
            backend=cast("BackendName", backend),
            model=model,
            language=language,
            pseudonymisation_mode=mode,
            on_progress=lambda p: progress.update(task, completed=p.fraction),
        )
    transcript = outcome.pseudonymised
    typer.echo(
        tr(
            "{n} segments, {d:.1f} s d'audio, langue {l}.",
            "{n} segments, {d:.1f} s of audio, language {l}.",
            n=len(transcript.segments),
            d=transcript.audio.duration_s if transcript.audio else 0.0,
            l=transcript.language or "?",
        )
    )
    typer.echo(outcome.label.to_text())
    say(
        tr(
            "Exécution {id} — fichiers : {f}\nVoir : garant transcript show {id}",
            "Run {id} — files: {f}\nSee: garant transcript show {id}",
            id=outcome.run_id,
            f=outcome.folder,
        )
    )


def _load(ctx: typer.Context, run_id: str) -> object:
    from garant.analyses.transcription.audited import PSEUDONYMISED_FILE
    from garant.analyses.transcription.model import load_transcript
    from garant.audit.runs import get_run

    state = state_of(ctx)
    with state.transaction() as session:
        run = get_run(session, run_id)
    return load_transcript(state.workspace().runs_dir / run.id / PSEUDONYMISED_FILE)


@transcript_app.command("show")
def transcript_show(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="Exécution de transcription.")],
    fmt: Annotated[str, typer.Option("--format", help="txt | md | vtt | srt | json")] = "txt",
) -> None:
    """Affiche la transcription pseudonymisée d'une exécution."""
    from garant.analyses.transcription.service import render

    typer.echo(render(_load(ctx, run_id), fmt))  # type: ignore[arg-type]


@transcript_app.command("export")
def transcript_export(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="Exécution de transcription.")],
    fmt: Annotated[str, typer.Option("--format", help="vtt | srt | txt | md | json")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Fichier à écrire.")],
) -> None:
    """Exporte la transcription pseudonymisée (WebVTT, SRT, texte, compte rendu Markdown, JSON),
    avec son empreinte (fichier .sha256 et journal) : « garant document verify FICHIER »."""
    from garant.analyses.transcription.service import render
    from garant.documents.exports import write_export

    text = render(_load(ctx, run_id), fmt)  # type: ignore[arg-type]
    written = write_export(state_of(ctx).workspace(), output, text, kind=f"transcript_{run_id}")
    say(
        tr(
            "Écrit : {p}\n  SHA-256 : {h}\n  Vérifier : garant document verify {p}",
            "Written: {p}\n  SHA-256: {h}\n  Verify: garant document verify {p}",
            p=written.path,
            h=written.sha256,
        )
    )
