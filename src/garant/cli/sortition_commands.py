"""``garant sortition run | draw | verify``: fair, verifiable selection of citizens' panels."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import typer

from garant.cli.output import print_json, say
from garant.cli.state import state_of
from garant.i18n import tr

__all__ = ["sortition_app"]

pools_app = typer.Typer(
    help="Viviers de volontaires enregistrés dans l'espace (privés).", no_args_is_help=True
)

sortition_app = typer.Typer(
    help="Tirage au sort pondéré et multicritères (LEXIMIN), vérifiable.", no_args_is_help=True
)


sortition_app.add_typer(pools_app, name="pools")


@pools_app.command("add")
def pools_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Nom du vivier (ex. vivier-2026).")],
    source: Annotated[Path, typer.Argument(help="Fichier CSV du vivier.")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Remplacer un vivier du même nom.")
    ] = False,
) -> None:
    """Vérifie un vivier et l'enregistre dans l'espace (copie privée, empreinte SHA-256)."""
    from garant.analyses.sortition.pools import register_pool

    pool = register_pool(state_of(ctx).workspace(), name, source, replace=replace)
    say(
        tr(
            "Vivier « {n} » enregistré : {p} personnes, SHA-256 {h}",
            "Pool '{n}' registered: {p} people, SHA-256 {h}",
            n=pool.name,
            p=pool.people,
            h=pool.sha256,
        )
    )


@pools_app.command("list")
def pools_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
) -> None:
    """Liste les viviers enregistrés."""
    from garant.analyses.sortition.pools import list_pools
    from garant.cli.output import print_table

    pools = list_pools(state_of(ctx).workspace())
    if as_json:
        print_json(
            [
                {"name": p.name, "people": p.people, "sha256": p.sha256, "columns": list(p.columns)}
                for p in pools
            ]
        )
        return
    print_table(
        tr("Viviers", "Pools"),
        [tr("Nom", "Name"), tr("Personnes", "People"), tr("Critères", "Columns"), "SHA-256"],
        [(p.name, p.people, ", ".join(p.columns), p.sha256[:16]) for p in pools],
    )


def _id_list(path: Path | None) -> list[str]:
    if path is None:
        return []
    from garant.analyses.sortition import load_id_list

    return list(load_id_list(path))


@sortition_app.command("run")
def sortition_run(
    ctx: typer.Context,
    pool: Annotated[
        Path, typer.Argument(help="Vivier (CSV : id, un critère par colonne, adresse éventuelle).")
    ],
    quotas: Annotated[
        Path, typer.Argument(help="Quotas (CSV feature,value,min,max ou category,name,min,max).")
    ],
    k: Annotated[int, typer.Option("--k", help="Taille du panel.")],
    use: Annotated[str, typer.Option("--use", help="Usage déclaré et approuvé (clé).")],
    by: Annotated[str, typer.Option("--by", envvar="GARANT_OPERATOR", help="Qui lance le tirage.")],
    algorithm: Annotated[str, typer.Option(help="leximin | maximin | nash | legacy")] = "leximin",
    households: Annotated[
        str,
        typer.Option(
            "--households",
            help="Colonnes d'adresse (séparées par des virgules) : une personne par foyer.",
        ),
    ] = "",
    already_selected: Annotated[
        Path | None,
        typer.Option(
            "--already-selected", help="Fichier d'ids déjà sélectionnés (tour de remplacement)."
        ),
    ] = None,
    excluded: Annotated[
        Path | None, typer.Option("--excluded", help="Fichier d'ids exclus.")
    ] = None,
    m: Annotated[
        int, typer.Option("--panels", help="Nombre de panels équiprobables de la loterie publiée.")
    ] = 1000,
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit", help="Limite en secondes (meilleur résultat certifié et son écart)."
        ),
    ] = None,
) -> None:
    """Calcule les probabilités et publie la loterie (empreintes) AVANT le tirage."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from garant.analyses.sortition.audited import publish_lottery
    from garant.analyses.sortition.model import Algorithm
    from garant.analyses.sortition.pools import resolve_pool

    state = state_of(ctx)
    pool = resolve_pool(state.workspace(), pool)
    columns = [c.strip() for c in households.split(",") if c.strip()]
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True) as progress:
        task = progress.add_task(tr("Résolution…", "Solving…"))

        def on_progress(step: object) -> None:
            progress.update(task, description=tr("Résolution… {s}", "Solving… {s}", s=step))

        outcome = publish_lottery(
            state.workspace(),
            pool,
            quotas,
            k,
            use=use,
            operator=by,
            algorithm=cast(Algorithm, algorithm),
            household_columns=columns,
            already_selected=_id_list(already_selected),
            excluded=_id_list(excluded),
            m=m,
            time_limit_s=time_limit,
            progress=on_progress,
        )
    probabilities = outcome.result.probabilities.values()
    typer.echo(
        tr("Loterie publiée : exécution {id}", "Lottery published: run {id}", id=outcome.run_id)
    )
    typer.echo(
        tr(
            "Probabilité minimale {lo:.4f}, maximale {hi:.4f}",
            "Minimum probability {lo:.4f}, maximum {hi:.4f}",
            lo=min(probabilities, default=0.0),
            hi=max(probabilities, default=0.0),
        )
    )
    typer.echo(
        tr(
            "Publiez {f} (empreintes) puis tirez avec la graine publique :",
            "Publish {f} (hashes) then draw with the public seed:",
            f=outcome.folder / "commitment.json",
        )
    )
    typer.echo(f'  garant sortition draw {outcome.run_id} --seed "…" --use {use} --by {by}')


@sortition_app.command("draw")
def sortition_draw(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="Exécution de la loterie publiée.")],
    seed: Annotated[
        str,
        typer.Option(
            "--seed", help="Graine publique (ex. numéros du loto « 12 25 31 40 44 / 7 »)."
        ),
    ],
    use: Annotated[str, typer.Option("--use", help="Usage déclaré et approuvé (clé).")],
    by: Annotated[
        str, typer.Option("--by", envvar="GARANT_OPERATOR", help="Qui procède au tirage.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
) -> None:
    """Tire le panel dans la loterie publiée avec la graine publique (RFC 3797)."""
    from garant.analyses.sortition.audited import draw_lottery
    from garant.audit.runs import get_run

    state = state_of(ctx)
    with state.transaction() as session:
        lottery_run = get_run(session, run_id).id
    outcome = draw_lottery(state.workspace(), lottery_run, seed, use=use, operator=by)
    if as_json:
        print_json(
            {
                "run_id": outcome.run_id,
                "folder": str(outcome.folder),
                "panel": list(outcome.panel.ids),
            }
        )
        return
    typer.echo(
        tr(
            "Panel tiré ({n} personnes) : {ids}",
            "Panel drawn ({n} people): {ids}",
            n=len(outcome.panel.ids),
            ids=", ".join(outcome.panel.ids),
        )
    )
    say(
        tr(
            "Exécution {id} — rapport : {f}",
            "Run {id} — report: {f}",
            id=outcome.run_id,
            f=outcome.folder / "rapport.pdf",
        )
    )


@sortition_app.command("verify")
def sortition_verify(
    published: Annotated[
        Path, typer.Argument(help="Dossier publié (lottery.json, commitment.json, draw.json).")
    ],
    pool: Annotated[Path, typer.Option("--pool", help="Vivier publié.")],
    quotas: Annotated[Path, typer.Option("--quotas", help="Quotas publiés.")],
    seed: Annotated[str, typer.Option("--seed", help="Graine publique.")],
) -> None:
    """Recalcule le tirage depuis les fichiers publiés et la graine ; code 1 s'il ne correspond pas."""
    from garant.analyses.sortition import verify

    result = verify(published, pool=pool, quotas=quotas, seed=seed)
    for check in result.checks:
        typer.echo(f"  {'✓' if check.ok else '✗'} {check.name} : {check.detail}")
    typer.echo(
        tr("Tirage vérifié : conforme.", "Draw verified: it matches.")
        if result.ok
        else tr("Tirage NON conforme.", "Draw does NOT match.")
    )
    if not result.ok:
        raise typer.Exit(1)
