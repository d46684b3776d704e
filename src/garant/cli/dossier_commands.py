"""``garant dossier create | list | show | add | synthesise | attach | pv``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from garant.cli.output import print_json, print_record, print_table, say
from garant.cli.state import state_of
from garant.i18n import format_date, tr

__all__ = ["dossier_app"]

dossier_app = typer.Typer(
    help="Enquêtes publiques : dossier des observations numérotées, procès-verbal de synthèse.",
    no_args_is_help=True,
)

FORMATS = ("decidim", "table", "jsonl", "folder", "transcript")


@dossier_app.command("create")
def dossier_create(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="Intitulé de l'enquête publique.")],
    reference: Annotated[str, typer.Option("--ref", help="Référence de l'arrêté d'ouverture.")],
    authority: Annotated[str, typer.Option("--authority", help="Autorité organisatrice.")],
    opens: Annotated[str, typer.Option("--from", help="Ouverture (JJ/MM/AAAA).")],
    closes: Annotated[str, typer.Option("--to", help="Clôture (JJ/MM/AAAA).")],
    commissaire: Annotated[
        str, typer.Option("--commissaire", help="Clé du commissaire enquêteur (garant people).")
    ] = "",
    key: Annotated[
        str | None, typer.Option("--key", help="Clé du dossier (sinon tirée du titre).")
    ] = None,
) -> None:
    """Ouvre le dossier d'une enquête publique."""
    from garant.inquiry import anchor_ledger, create_dossier

    state = state_of(ctx)
    with state.transaction() as session:
        dossier = create_dossier(
            session,
            {
                "title": title,
                "reference": reference,
                "authority": authority,
                "opens_on": opens,
                "closes_on": closes,
                "commissaire": commissaire,
                "key": key,
            },
            state.actor,
        )
    anchor_ledger(state.workspace())
    say(tr("Dossier créé : {k}", "Dossier created: {k}", k=dossier.key))
    typer.echo(dossier.key)


@dossier_app.command("list")
def dossier_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
) -> None:
    """Liste les dossiers d'enquête."""
    from garant.inquiry import list_dossiers, observations_of

    with state_of(ctx).transaction() as session:
        rows = [(d, len(observations_of(session, d))) for d in list_dossiers(session)]
    if as_json:
        print_json([{**d.model_dump(mode="json"), "observations": n} for d, n in rows])
        return
    print_table(
        tr("Dossiers d'enquête", "Inquiry dossiers"),
        [tr("Clé", "Key"), tr("Intitulé", "Title"), tr("Période", "Period"), "Obs."],
        [
            (d.key, d.title, f"{format_date(d.opens_on)} → {format_date(d.closes_on)}", n)
            for d, n in rows
        ],
    )


@dossier_app.command("show")
def dossier_show(
    ctx: typer.Context,
    dossier: Annotated[str, typer.Argument(help="Clé du dossier.")],
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
) -> None:
    """Montre un dossier : observations par canal, exécutions jointes."""
    from collections import Counter

    from garant.inquiry import attached_runs, channel_label, get_dossier, observations_of

    with state_of(ctx).transaction() as session:
        found = get_dossier(session, dossier)
        observations = observations_of(session, found)
        runs = attached_runs(session, found)
    channels = Counter(channel_label(o.channel) for o in observations)
    if as_json:
        print_json(
            {
                **found.model_dump(mode="json"),
                "observations": [o.model_dump(mode="json") for o in observations],
                "runs": [{"run": r.id, "role": link.role, "kind": r.kind} for link, r in runs],
            }
        )
        return
    print_record(
        f"{found.key} — {found.title}",
        [
            (tr("Référence", "Reference"), found.reference),
            (tr("Autorité", "Authority"), found.authority),
            (
                tr("Période", "Period"),
                f"{format_date(found.opens_on)} → {format_date(found.closes_on)}",
            ),
            (tr("Commissaire", "Commissaire"), found.commissaire),
            (
                tr("Observations", "Observations"),
                f"{len(observations)} (n° 1 à {len(observations)})" if observations else "0",
            ),
            *((f"  {label}", count) for label, count in sorted(channels.items())),
            *((tr("Exécution", "Run"), f"{r.id} ({link.role})") for link, r in runs),
        ],
    )


@dossier_app.command("add")
def dossier_add(
    ctx: typer.Context,
    dossier: Annotated[str, typer.Argument(help="Clé du dossier.")],
    source: Annotated[Path | None, typer.Argument(help="Fichier ou dossier source.")] = None,
    channel: Annotated[
        str,
        typer.Option(
            "--channel",
            help="registre_papier | registre_dematerialise | courriel | courrier | permanence "
            "| reunion_publique",
        ),
    ] = "registre_dematerialise",
    fmt: Annotated[
        str, typer.Option("--format", help="decidim | table | jsonl | folder | transcript")
    ] = "decidim",
    text_column: Annotated[str | None, typer.Option("--text-column")] = None,
    author_column: Annotated[str | None, typer.Option("--author-column")] = None,
    date_column: Annotated[str | None, typer.Option("--date-column")] = None,
    id_column: Annotated[str | None, typer.Option("--id-column")] = None,
    from_run: Annotated[
        str | None, typer.Option("--from-run", help="transcript : exécution de transcription.")
    ] = None,
    mode: Annotated[
        str, typer.Option("--pseudonymisation", help="full | patterns (rapide)")
    ] = "full",
) -> None:
    """Verse des observations au dossier : chacune reçoit le numéro suivant, définitivement."""
    from garant.errors import InputError
    from garant.inquiry.ingest import ingest_observations

    if fmt not in FORMATS:
        raise InputError(
            tr("« --format » invalide : {f}", "Invalid '--format': {f}", f=fmt), " | ".join(FORMATS)
        )
    if source is None and fmt != "transcript":
        raise InputError(
            tr("Indiquez le fichier ou dossier source.", "Give the source file or folder."),
            "garant dossier add DOSSIER SOURCE --channel …",
        )
    columns = {
        k: v
        for k, v in {
            "text": text_column,
            "author": author_column,
            "date": date_column,
            "id": id_column,
        }.items()
        if v
    }
    state = state_of(ctx)
    added = ingest_observations(
        state.workspace(),
        dossier,
        source or Path("."),
        fmt,
        channel,
        actor=state.actor,
        pseudonymisation=mode,
        columns=columns,
        transcript_run=from_run,
    )
    if added.added:
        say(
            tr(
                "{n} observation(s) ajoutée(s) : n° {a} à {b}.",
                "{n} observation(s) added: no. {a} to {b}.",
                n=len(added.added),
                a=added.added[0].number,
                b=added.added[-1].number,
            )
        )
    else:
        say(tr("Aucune nouvelle observation.", "No new observation."))
    if added.already_known:
        say(
            tr(
                "{n} déjà au dossier (numéros inchangés).",
                "{n} already in the dossier (numbers unchanged).",
                n=added.already_known,
            )
        )


@dossier_app.command("synthesise")
def dossier_synthesise(
    ctx: typer.Context,
    dossier: Annotated[str, typer.Argument(help="Clé du dossier.")],
    use: Annotated[str, typer.Option("--use", help="Usage enregistré (garant uses).")],
    by: Annotated[str, typer.Option("--by", help="Personne qui lance l'analyse.")],
    model: Annotated[
        str | None, typer.Option("--model", help="Alias de modèle (sinon méthode hors ligne).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed")] = 0,
) -> None:
    """Regroupe les observations par thème (exécution auditée) et la joint au dossier."""
    from garant.inquiry.ingest import synthesise_dossier

    state = state_of(ctx)
    run_id = synthesise_dossier(
        state.workspace(),
        dossier,
        use=use,
        operator=by,
        actor=state.actor,
        model_alias=model,
        seed=seed,
    )
    say(tr("Synthèse jointe au dossier : {id}", "Synthesis attached: {id}", id=run_id))
    typer.echo(run_id)


@dossier_app.command("attach")
def dossier_attach(
    ctx: typer.Context,
    dossier: Annotated[str, typer.Argument(help="Clé du dossier.")],
    run: Annotated[str, typer.Argument(help="Identifiant de l'exécution.")],
    role: Annotated[
        str, typer.Option("--role", help="transcription | synthesis | sortition")
    ] = "transcription",
) -> None:
    """Joint une exécution auditée (transcription, synthèse) au dossier."""
    from garant.errors import InputError
    from garant.inquiry import anchor_ledger, attach_run, get_dossier

    if role not in ("transcription", "synthesis", "sortition"):
        raise InputError(
            tr("« --role » invalide : {r}", "Invalid '--role': {r}", r=role),
            "transcription | synthesis | sortition",
        )
    state = state_of(ctx)
    with state.transaction() as session:
        attach_run(session, get_dossier(session, dossier), run, role, state.actor)
    anchor_ledger(state.workspace())
    say(tr("Exécution {id} jointe.", "Run {id} attached.", id=run))


@dossier_app.command("pv")
def dossier_pv(
    ctx: typer.Context,
    dossier: Annotated[str, typer.Argument(help="Clé du dossier.")],
    fmt: Annotated[str, typer.Option("--format", help="docx | pdf | md")] = "docx",
    out: Annotated[Path | None, typer.Option("--out", help="Fichier de sortie.")] = None,
) -> None:
    """Projet de procès-verbal de synthèse (R.123-18), DOCX modifiable par défaut."""
    from garant.documents import check_format
    from garant.errors import InputError
    from garant.inquiry import anchor_ledger, get_dossier
    from garant.inquiry.pv import render_pv

    chosen = check_format(fmt)
    if chosen not in ("docx", "pdf", "md"):
        raise InputError(
            tr("Format : docx, pdf ou md.", "Format: docx, pdf or md."), "--format docx"
        )
    from garant.audit.verify import verify_workspace

    state = state_of(ctx)
    verification = verify_workspace(state.workspace(), check_mlflow=False)
    with state.transaction() as session:
        rendered = render_pv(
            session, state.workspace(), get_dossier(session, dossier), chosen, out, verification
        )
    anchor_ledger(state.workspace())
    say(tr("Procès-verbal écrit : {p}", "Report written: {p}", p=rendered.path))
    typer.echo(str(rendered.path))
