"""``garant synthesis ingest | run | report | evaluate``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import typer

from garant.cli.output import print_json, say
from garant.cli.state import state_of
from garant.i18n import tr

__all__ = ["synthesis_app"]

synthesis_app = typer.Typer(
    help="Synthèse des contributions : thèmes, citations vérifiées, aucune voix perdue.",
    no_args_is_help=True,
)


@synthesis_app.command("ingest")
def synthesis_ingest(
    ctx: typer.Context,
    corpus: Annotated[str, typer.Argument(help="Nom du corpus (créé au premier ajout).")],
    source: Annotated[Path | None, typer.Argument(help="Fichier ou dossier source.")] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="decidim | table (CSV/XLSX) | jsonl | folder (.txt/.eml) | transcript"
        ),
    ] = "decidim",
    text_column: Annotated[
        str | None,
        typer.Option("--text-column", help="Tableau ou JSONL : colonne (champ) du texte."),
    ] = None,
    id_column: Annotated[
        str | None,
        typer.Option("--id-column", help="Tableau ou JSONL : colonne (champ) d'identifiant."),
    ] = None,
    author_column: Annotated[
        str | None,
        typer.Option("--author-column", help="Tableau ou JSONL : colonne (champ) d'auteur."),
    ] = None,
    date_column: Annotated[
        str | None,
        typer.Option("--date-column", help="Tableau ou JSONL : colonne (champ) de date."),
    ] = None,
    stance_column: Annotated[
        str | None,
        typer.Option(
            "--stance-column", help="Tableau ou JSONL : colonne (champ) de position (pour/contre)."
        ),
    ] = None,
    question_column: Annotated[
        str | None,
        typer.Option(
            "--question-column",
            help="Tableau ou JSONL : colonne (champ) de la question à laquelle répond le texte.",
        ),
    ] = None,
    from_run: Annotated[
        str | None, typer.Option("--from-run", help="transcript : exécution de transcription.")
    ] = None,
    mode: Annotated[
        str, typer.Option("--pseudonymisation", help="full | patterns (rapide, gros volumes)")
    ] = "full",
) -> None:
    """Ajoute des contributions à un corpus (texte d'origine gardé localement, texte pseudonymisé analysé)."""
    from garant.analyses.synthesis.audited import SourceFormat, ingest
    from garant.errors import InputError

    if fmt not in ("decidim", "table", "jsonl", "folder", "transcript"):
        raise InputError(
            tr("« --format » invalide : {f}", "Invalid '--format': {f}", f=fmt),
            "decidim | table | jsonl | folder | transcript",
        )
    if source is None and fmt != "transcript":
        raise InputError(
            tr("Indiquez le fichier ou dossier source.", "Give the source file or folder."),
            "garant synthesis ingest CORPUS SOURCE",
        )
    columns = {
        k: v
        for k, v in {
            "text": text_column,
            "id": id_column,
            "author": author_column,
            "date": date_column,
            "stance": stance_column,
            "question": question_column,
        }.items()
        if v
    }
    outcome = ingest(
        state_of(ctx).workspace(),
        corpus,
        source or Path("."),
        cast(SourceFormat, fmt),
        pseudonymisation=mode,
        columns=columns,
        transcript_run=from_run,
    )
    for warning in outcome.warnings:
        typer.echo(tr("Attention : {w}", "Warning: {w}", w=warning), err=True)
    say(
        tr(
            "{n} contributions ajoutées au corpus « {c} ».",
            "{n} contributions added to corpus '{c}'.",
            n=outcome.added,
            c=corpus,
        )
    )


@synthesis_app.command("run")
def synthesis_run(
    ctx: typer.Context,
    corpus: Annotated[str, typer.Argument(help="Nom du corpus.")],
    use: Annotated[str, typer.Option("--use", help="Usage déclaré et approuvé (clé).")],
    by: Annotated[str, typer.Option("--by", envvar="GARANT_OPERATOR", help="Qui lance l'analyse.")],
    model: Annotated[
        str | None,
        typer.Option("--model", help="Alias de modèle (défaut : méthode hors ligne, sans modèle)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Graine (résultat reproductible).")] = 0,
    themes: Annotated[
        int | None,
        typer.Option("--themes", help="Nombre de thèmes (défaut : choisi automatiquement)."),
    ] = None,
) -> None:
    """Analyse le corpus dans une exécution auditée et produit le rapport (Markdown, HTML, PDF)."""
    from garant.analyses.synthesis.audited import synthesise

    outcome = synthesise(
        state_of(ctx).workspace(),
        corpus,
        use=use,
        operator=by,
        model_alias=model,
        seed=seed,
        n_themes=themes,
    )
    result = outcome.result
    typer.echo(
        tr(
            "{t} thèmes, {s} propos singuliers ; exécution {id}",
            "{t} themes, {s} singular contributions; run {id}",
            t=len(result.themes),
            s=len(result.singular),
            id=outcome.run_id,
        )
    )
    say(tr("Rapport : {f}", "Report: {f}", f=outcome.folder / "synthese.pdf"))


@synthesis_app.command("report")
def synthesis_report(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="Exécution de synthèse.")],
    fmt: Annotated[str, typer.Option("--format", help="md | html | pdf | json")] = "md",
) -> None:
    """Affiche (md, json) ou indique (html, pdf) le rapport d'une exécution de synthèse."""
    from garant.audit.runs import get_run
    from garant.errors import InputError

    if fmt not in ("md", "html", "pdf", "json"):
        raise InputError(
            tr("« --format » invalide : {f}", "Invalid '--format': {f}", f=fmt),
            "md | html | pdf | json",
        )
    state = state_of(ctx)
    with state.transaction() as session:
        run = get_run(session, run_id)
    path = state.workspace().runs_dir / run.id / f"synthese.{fmt}"
    if fmt in ("md", "json"):
        typer.echo(path.read_text(encoding="utf-8"))
    else:
        typer.echo(str(path))


@synthesis_app.command("evaluate")
def synthesis_evaluate(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="Exécution de synthèse.")],
    gold: Annotated[
        Path, typer.Option("--gold", help="Étiquettes humaines (CSV ou JSON : id → thèmes).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
) -> None:
    """Compare les affectations aux étiquettes humaines (F1 multi-étiquettes, accord de partition)."""
    from garant.analyses.synthesis.audited import evaluate_run
    from garant.analyses.synthesis.evaluate import evaluation_markdown
    from garant.audit.runs import get_run

    state = state_of(ctx)
    with state.transaction() as session:
        run = get_run(session, run_id)
    evaluation = evaluate_run(state.workspace(), run.id, gold)
    if as_json:
        print_json(
            evaluation.model_dump(mode="json")
            if hasattr(evaluation, "model_dump")
            else evaluation.__dict__
        )
        return
    typer.echo(evaluation_markdown(evaluation))
