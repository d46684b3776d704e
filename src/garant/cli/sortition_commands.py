"""``garant sortition run | draw | verify``: fair, verifiable selection of citizens' panels."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
    id_column: Annotated[
        str | None,
        typer.Option(
            "--id-column",
            help="Colonne d'identifiant du vivier (sinon id, identifiant… ou numérotation p0, p1…).",
        ),
    ] = None,
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
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
) -> None:
    """Calcule les probabilités et publie la loterie (empreintes) AVANT le tirage."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from garant.analyses.sortition.audited import publish_lottery
    from garant.analyses.sortition.model import ALGORITHMS, Algorithm
    from garant.analyses.sortition.pools import resolve_pool
    from garant.analyses.sortition.report import fairness
    from garant.analyses.sortition.rundir import load_lottery
    from garant.errors import InputError

    state = state_of(ctx)
    if algorithm not in ALGORITHMS:
        raise InputError(
            tr(
                "--algorithm : « {a} » inconnu",
                "--algorithm: unknown '{a}'",
                a=algorithm,
            ),
            tr("Choisissez parmi : {c}.", "Choose among: {c}.", c=", ".join(ALGORITHMS)),
        )
    chosen: Algorithm = algorithm
    pool = resolve_pool(state.workspace(), pool)
    columns = [c.strip() for c in households.split(",") if c.strip()]
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), transient=True, disable=as_json
    ) as progress:
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
            algorithm=chosen,
            id_column=id_column,
            household_columns=columns,
            already_selected=_id_list(already_selected),
            excluded=_id_list(excluded),
            m=m,
            time_limit_s=time_limit,
            progress=on_progress,
        )
    lottery = load_lottery(outcome.folder)
    drawn = fairness(_lottery_shares(lottery, outcome.result.probabilities))
    exact = fairness(outcome.result.probabilities)
    result = outcome.result
    if as_json:
        print_json(
            {
                "run_id": outcome.run_id,
                "folder": str(outcome.folder),
                "algorithm": result.algorithm,
                "optimal": result.optimal,
                "gap": None if result.optimal else result.gap,
                "time_limit_reached": not result.optimal and result.algorithm != "legacy",
                "seconds": result.seconds,
                "lottery": {
                    "m": lottery.m,
                    "sha256": lottery.sha256,
                    "min": drawn.minimum,
                    "max": drawn.maximum,
                },
                "exact": {"min": exact.minimum, "max": exact.maximum},
                "notes": [*outcome.encoding_notes, *result.notes],
            }
        )
        return
    for note in outcome.encoding_notes:
        say(note)
    typer.echo(
        tr("Loterie publiée : exécution {id}", "Lottery published: run {id}", id=outcome.run_id)
    )
    if not result.optimal and result.algorithm != "legacy":
        typer.echo(
            tr(
                "ATTENTION : arrêt à la limite de temps, avant l'optimum (écart certifié {g:.2e}).",
                "WARNING: stopped at the time limit, before the optimum (certified gap {g:.2e}).",
                g=result.gap,
            )
        )
    typer.echo(
        tr(
            "Probabilité minimale {lo:.2%}, maximale {hi:.2%} dans la loterie tirée "
            "(calcul exact : {elo:.2%} et {ehi:.2%})",
            "Minimum probability {lo:.2%}, maximum {hi:.2%} in the lottery drawn "
            "(exact computation: {elo:.2%} and {ehi:.2%})",
            lo=drawn.minimum,
            hi=drawn.maximum,
            elo=exact.minimum,
            ehi=exact.maximum,
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


def _lottery_shares(lottery: object, probabilities: object) -> dict[str, float]:
    from collections.abc import Mapping

    from garant.analyses.sortition.model import Lottery

    assert isinstance(lottery, Lottery) and isinstance(probabilities, Mapping)
    counts = {person: 0 for person in probabilities}
    for panel in lottery.panels:
        for person in panel:
            counts[person] = counts.get(person, 0) + 1
    return {person: count / lottery.m for person, count in counts.items()}


def _print_draw(outcome: object, as_json: bool) -> None:
    from garant.analyses.sortition.audited import DrawOutcome

    assert isinstance(outcome, DrawOutcome)
    if as_json:
        print_json(
            {
                "run_id": outcome.run_id,
                "folder": str(outcome.folder),
                "panel": list(outcome.panel.ids),
                "index": outcome.panel.index,
                "seed_key": outcome.panel.seed_key,
            }
        )
        return
    typer.echo(
        tr(
            "Panel n° {i} tiré ({n} personnes) : {ids}",
            "Panel #{i} drawn ({n} people): {ids}",
            i=outcome.panel.index,
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
    """Tire le panel dans la loterie publiée avec la graine publique (RFC 3797), une seule fois."""
    from garant.analyses.sortition.audited import draw_lottery
    from garant.audit.runs import get_run

    state = state_of(ctx)
    with state.transaction() as session:
        lottery_run = get_run(session, run_id).id
    _print_draw(draw_lottery(state.workspace(), lottery_run, seed, use=use, operator=by), as_json)


@sortition_app.command("redraw")
def sortition_redraw(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="Exécution de la loterie publiée.")],
    replaces: Annotated[
        str, typer.Option("--replaces", help="Exécution du tirage remplacé (le dernier).")
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="Motif, publié dans draw.json (ex. désistement).")
    ],
    seed: Annotated[str, typer.Option("--seed", help="Nouvelle graine publique.")],
    use: Annotated[str, typer.Option("--use", help="Usage déclaré et approuvé (clé).")],
    by: Annotated[
        str, typer.Option("--by", envvar="GARANT_OPERATOR", help="Qui procède au tirage.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
) -> None:
    """Nouveau tirage motivé d'une loterie déjà tirée : acte distinct, qui nomme le tirage
    remplacé et son motif (publiés dans draw.json)."""
    from garant.analyses.sortition.audited import redraw_lottery
    from garant.audit.runs import get_run

    state = state_of(ctx)
    with state.transaction() as session:
        lottery_run = get_run(session, run_id).id
    outcome = redraw_lottery(
        state.workspace(),
        lottery_run,
        seed,
        replaces=replaces,
        reason=reason,
        use=use,
        operator=by,
    )
    _print_draw(outcome, as_json)


@sortition_app.command("publish")
def sortition_publish(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="Exécution de la loterie ou du tirage.")],
    target: Annotated[Path, typer.Argument(help="Dossier (vide ou nouveau) où copier.")],
) -> None:
    """Copie dans un dossier exactement les fichiers à publier (rien d'autre)."""
    from garant.analyses.sortition.published import PUBLISHED_FILES
    from garant.audit.runs import get_run
    from garant.errors import ConflictError

    state = state_of(ctx)
    with state.transaction() as session:
        run = get_run(session, run_id).id
    source = state.workspace().runs_dir / run
    if target.exists() and any(target.iterdir()):
        raise ConflictError(
            tr("{d} n'est pas vide", "{d} is not empty", d=target),
            tr("Donnez un dossier vide ou nouveau.", "Give an empty or new folder."),
        )
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in PUBLISHED_FILES:
        if (source / name).is_file():
            (target / name).write_bytes((source / name).read_bytes())
            copied.append(name)
    say(tr("Copiés dans {d} : {f}", "Copied to {d}: {f}", d=target, f=", ".join(copied)))


VERIFY_EXIT_CODES = (
    "Codes de sortie : 0 = conforme ; 1 = NON conforme (un champ publié diffère du recalcul) ; "
    "2 = vérification impossible (fichier absent, illisible ou mal formé, graine mal écrite)."
)


@sortition_app.command("verify", epilog=VERIFY_EXIT_CODES)
def sortition_verify(
    published: Annotated[
        Path,
        typer.Argument(
            help="Dossier publié (commitment.json, lottery.json, verification.csv, quotas.csv, "
            "draw.json)."
        ),
    ],
    seed: Annotated[
        str | None, typer.Option("--seed", help="Graine publique annoncée (ex. résultat du loto).")
    ] = None,
    pool: Annotated[
        Path | None,
        typer.Option("--pool", help="Vivier brut (organisateur, huissier seulement)."),
    ] = None,
    households: Annotated[
        str, typer.Option("--households", help="Colonnes d'adresse du vivier brut (avec --pool).")
    ] = "",
    quotas: Annotated[
        Path | None, typer.Option("--quotas", help="Quotas (par défaut : quotas.csv du dossier).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
) -> None:
    """Recalcule le tirage depuis les seuls fichiers publiés (et la graine).

    Codes de sortie : 0 conforme, 1 NON conforme, 2 vérification impossible.
    """
    from garant.analyses.sortition import verify

    result = verify(
        published,
        seed=seed,
        pool=pool,
        quotas=quotas,
        household_columns=[c.strip() for c in households.split(",") if c.strip()],
    )
    verdict = (
        tr("conforme", "matches")
        if result.ok
        else tr("vérification impossible", "cannot verify")
        if result.malformed
        else tr("NON conforme", "does NOT match")
    )
    if as_json:
        print_json(
            {
                "verdict": "ok" if result.ok else "malformed" if result.malformed else "mismatch",
                "checks": [
                    {
                        "file": c.file,
                        "field": c.field,
                        "ok": c.ok,
                        "skipped": c.skipped,
                        "detail": c.detail,
                    }
                    for c in result.checks
                ],
                "panel": None if result.panel is None else list(result.panel.members),
            }
        )
    else:
        for check in result.checks:
            mark = "–" if check.skipped else "✓" if check.ok else "✗"
            typer.echo(f"  {mark} {check.name} : {check.detail}")
        if result.panel is not None and result.ok:
            typer.echo(
                tr(
                    "Panel n° {i} : {ids}",
                    "Panel #{i}: {ids}",
                    i=result.panel.index,
                    ids=", ".join(result.panel.members),
                )
            )
        typer.echo(tr("Verdict : {v}.", "Verdict: {v}.", v=verdict))
    if not result.ok:
        raise typer.Exit(2 if result.malformed else 1)
