"""Audited runs from the command line: ask, runs list/show/review, audit verify, mlflow ui."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from garant.cli.output import print_json, print_record, print_table, say
from garant.cli.state import CliState, state_of
from garant.i18n import current_language, format_datetime, tr

if TYPE_CHECKING:
    from garant.audit.verify import VerificationReport
    from garant.governance.policy import Policy
    from garant.signing.actions import ReservedAction, SignedAction

__all__ = ["ask", "audit_app", "mlflow_app", "runs_app"]

runs_app = typer.Typer(
    help="Exécutions auditées : liste, détail, relecture humaine.", no_args_is_help=True
)
audit_app = typer.Typer(
    help="Vérification de l'intégrité du registre d'audit.", no_args_is_help=True
)
mlflow_app = typer.Typer(
    help="Interface MLflow sur le suivi local de l'espace.", no_args_is_help=True
)

JsonOption = Annotated[bool, typer.Option("--json", help="Sortie JSON pour les scripts.")]
PassphraseOption = Annotated[
    str | None,
    typer.Option(
        "--passphrase-env",
        help="Variable contenant la phrase secrète de votre clé, si la politique l'exige.",
    ),
]


def _signed(
    state: CliState,
    policy: Policy,
    action: ReservedAction,
    by: str,
    target: str,
    passphrase_env: str | None,
) -> SignedAction | None:
    """The action signed with ``by``'s own key when the policy requires it (else None)."""
    from garant.cli.keys_commands import read_passphrase
    from garant.governance.lookup import find_person
    from garant.signing.actions import sign_action

    with state.transaction() as session:
        person = find_person(session, by, "by").key
    return sign_action(
        state.workspace(),
        policy,
        action,
        person,
        target=target,
        passphrase=lambda: read_passphrase(person, passphrase_env, confirm=False),
    )


def ask(
    ctx: typer.Context,
    use: Annotated[str, typer.Argument(help="Usage déclaré et approuvé (clé).")],
    by: Annotated[
        str,
        typer.Option("--by", envvar="GARANT_OPERATOR", help="Qui lance l'exécution (personne)."),
    ],
    prompt: Annotated[
        str | None,
        typer.Argument(
            help="La question ou le texte à traiter ; « - » : lu sur l'entrée standard "
            "(ni l'historique du shell ni « ps » ne montrent alors les propos des habitants)."
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option("--model", help="Alias de modèle (défaut : celui de l'outil de l'usage)."),
    ] = None,
    mode: Annotated[
        str, typer.Option("--pseudonymisation", help="full (noms par spaCy) | patterns (rapide).")
    ] = "full",
    reidentify: Annotated[
        bool,
        typer.Option(
            "--reidentify", help="Affiche la réponse avec les données d'origine (localement)."
        ),
    ] = False,
    prompt_file: Annotated[
        Path | None,
        typer.Option("--prompt-file", help="Lit la question dans ce fichier texte (UTF-8)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Lance une requête auditée sur un usage déclaré (politique, pseudonymisation, traçabilité)."""
    from garant.audit.ask import read_prompt, run_ask

    state = state_of(ctx)
    text = read_prompt(prompt, prompt_file, sys.stdin)
    result = run_ask(
        state.workspace(),
        use=use,
        prompt=text,
        operator=by,
        model_alias=model,
        pseudonymisation_mode=mode,
    )
    answer = _reidentified(state, result.run_id, by) if reidentify else result.answer
    if as_json:
        print_json(
            {"run_id": result.run_id, "answer": answer, "disclosure": result.label.as_dict()}
        )
        return
    typer.echo(answer)
    typer.echo("")
    typer.echo(result.label.to_text())
    say(
        tr(
            "Voir : garant runs show {id}  ·  garant mlflow ui",
            "See: garant runs show {id}  ·  garant mlflow ui",
            id=result.run_id,
        )
    )


def _reidentified(state: CliState, run_id: str, by: str) -> str:
    """The answer with its original values, if the policy lets ``by`` re-identify (logged)."""
    from garant.audit.ledger import write_head
    from garant.audit.policy_bridge import workspace_policy
    from garant.audit.refusals import refusals_recorded
    from garant.audit.run import ledger_anchor
    from garant.audit.runs import reidentify_output
    from garant.signing.actions import record_signed_action

    workspace = state.workspace()
    policy = workspace_policy(workspace)
    with (
        refusals_recorded(workspace, "reidentify", by, run_id=run_id, target="reponse.md"),
        state.transaction() as session,
    ):
        signed = _signed(state, policy, "reidentify", by, f"{run_id}/reponse.md", None)
        text = reidentify_output(session, workspace, run_id, "reponse.md", by, policy)
        record_signed_action(session, signed, run_id)
    write_head(workspace.engine, ledger_anchor(workspace))
    return text


@runs_app.command("list")
def runs_list(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="started | finished | failed | refused")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Liste les exécutions auditées (les plus récentes d'abord)."""
    from garant.audit.runs import list_runs

    _close_interrupted(state_of(ctx))
    with state_of(ctx).transaction() as session:
        runs = list_runs(session, status)
    if as_json:
        print_json(runs)
        return
    print_table(
        tr("Exécutions auditées", "Audited runs"),
        [
            tr("Exécution", "Run"),
            tr("Type", "Kind"),
            tr("Usage", "Use"),
            tr("Opérateur", "Operator"),
            tr("Modèle", "Model"),
            tr("Statut", "Status"),
            tr("Relecture", "Review"),
            tr("Début", "Started"),
        ],
        [
            (
                r.id,
                r.kind,
                r.use_key,
                r.operator_key,
                r.model_alias or r.model,
                _status(r.status, r.refusal_rule),
                _review(r.review_state),
                format_datetime(r.started_at),
            )
            for r in runs
        ],
    )


def _close_interrupted(state: CliState) -> None:
    """Runs whose process is gone are closed as interrupted before they are shown (unless the
    workspace is read-only: then they show as they are recorded)."""
    from garant.audit.interrupted import close_interrupted_runs

    workspace = state.workspace()
    if not workspace.read_only:
        close_interrupted_runs(workspace)


def _status(status: str, rule: str) -> str:
    names = {
        "started": tr("en cours", "started"),
        "finished": tr("terminée", "finished"),
        "failed": tr("échouée", "failed"),
        "refused": tr("refusée", "refused"),
        "interrupted": tr("interrompue", "interrupted"),
    }
    shown = names.get(status, status)
    return f"{shown} ({rule})" if rule else shown


def _review(state: str) -> str:
    return {
        "pending": tr("en attente", "pending"),
        "approved": tr("approuvée", "approved"),
        "rejected": tr("rejetée", "rejected"),
    }.get(state, state)


@runs_app.command("show")
def runs_show(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="Identifiant (ou début).")],
    as_json: JsonOption = False,
) -> None:
    """Affiche une exécution : porte, modèle, entrées, sorties, relecture, mention IA."""
    from garant.audit.attestation import attest
    from garant.audit.ledger_view import LedgerView
    from garant.audit.runs import disclosure_labels, get_run, pseudonymisation_engine, run_events
    from garant.audit.verify import verify_workspace
    from garant.privacy.provenance import describe_provenance

    state = state_of(ctx)
    _close_interrupted(state)
    # the same verification as « audit verify »: the run is shown as the ledger recorded it
    verification = verify_workspace(state.workspace(), check_mlflow=False)
    attestation = attest(verification)
    with state.transaction() as session:
        stored = get_run(session, run_id)
        verified = LedgerView(verification).row(stored)
        run = verified.value if verified is not None else stored
        flag_texts = (
            list(verified.flags)
            if verified is not None
            else [p.message for p in verification.row_problems("audit_run", f"id={stored.id}")]
        )
        events = run_events(session, run.id)
        labels = disclosure_labels(session, run)
    engine = pseudonymisation_engine(events, verification.untrusted_entries())
    if as_json:
        print_json(
            {
                "run": run,
                "events": [e.model_dump(mode="json") for e in events],
                "disclosures": {k: v.as_dict() for k, v in labels.items()},
                "pseudonymisation_engine": engine,
                "verification": {
                    "ok": attestation.ok,
                    "statement": attestation.statement(),
                    "checkpoint": attestation.checkpoint_statement(),
                    "run_findings": flag_texts,
                    "recorded_in_ledger": verified is not None,
                },
            }
        )
        return
    print_record(
        tr("Exécution {id}", "Run {id}", id=run.id),
        [
            (tr("Type", "Kind"), run.kind),
            (tr("Usage", "Use"), run.use_key),
            (tr("Outil", "Tool"), _tool_cell(run)),
            (tr("Opérateur", "Operator"), run.operator_key),
            (tr("Modèle", "Model"), _model_cell(run)),
            (tr("Statut", "Status"), _status(run.status, run.refusal_rule)),
            (tr("Motif du refus", "Refusal reason"), run.refusal_reason),
            (tr("Erreur", "Error"), run.error),
            (
                tr("Pseudonymisation", "Pseudonymisation"),
                tr("oui", "yes") if run.pseudonymised else tr("non", "no"),
            ),
            *(
                [(tr("Moteur, modèle NER", "Engine, NER model"), describe_provenance(engine))]
                if engine or (run.pseudonymised and run.status != "refused")
                else []
            ),
            (tr("Politique", "Policy"), run.policy_version),
            ("MLflow", run.mlflow_run_id),
            (
                tr("Début / fin", "Start / end"),
                f"{format_datetime(run.started_at)} → {format_datetime(run.ended_at)}",
            ),
            (
                tr("Relecture", "Review"),
                f"{_review(run.review_state)} {run.reviewed_by} {run.review_comment}".strip(),
            ),
            (tr("Dossier", "Folder"), str(state.workspace().runs_dir / run.id)),
        ],
    )
    for name, digest in sorted(run.input_hashes.items()):
        typer.echo(f"  {tr('entrée', 'input')}  {name}  sha256:{digest}")
    for name, digest in sorted(run.output_hashes.items()):
        typer.echo(f"  {tr('sortie', 'output')}  {name}  sha256:{digest}")
    typer.echo(tr("  Événements du registre :", "  Ledger events:"))
    for event in events:
        typer.echo(f"    #{event.seq} {_when(event.recorded_at)} {_event_label(event.event)}")
    for label in labels.values():
        typer.echo("")
        typer.echo(label.to_text())
    typer.echo("")
    typer.echo(("" if attestation.ok else "✗ ") + attestation.statement())
    typer.echo("  " + attestation.checkpoint_statement())
    if verified is None:
        typer.secho(
            tr(
                "  ✗ Cette exécution n'a aucune origine au registre : rien de ce qui précède "
                "n'est prouvé.",
                "  ✗ This run has no origin in the ledger: nothing above is proven.",
            ),
            fg="red",
            err=True,
        )
    elif flag_texts:
        typer.secho(
            tr(
                "  ✗ La base ne dit pas ce que dit le registre ; les valeurs ci-dessus sont "
                "celles du registre :",
                "  ✗ The database does not say what the ledger says; the values above are the "
                "ledger's:",
            ),
            fg="red",
        )
    for text in flag_texts:
        typer.secho(f"    ✗ {text}", fg="red")


@runs_app.command("review")
def runs_review(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="Identifiant de l'exécution.")],
    by: Annotated[str, typer.Option("--by", help="Personne qui relit.")],
    decision: Annotated[str, typer.Option("--decision", help="approve | reject")],
    comment: Annotated[str, typer.Option("--comment", help="Commentaire de relecture.")] = "",
    passphrase_env: PassphraseOption = None,
) -> None:
    """Enregistre la relecture humaine d'une exécution (approuver ou rejeter)."""
    from garant.audit.runs import record_review

    state = state_of(ctx)
    from garant.cli.keys_commands import read_passphrase

    run = record_review(
        state.workspace(),
        run_id,
        by,
        decision,  # type: ignore[arg-type]
        comment,
        passphrase=lambda: read_passphrase(by, passphrase_env, confirm=False),
    )
    say(
        tr(
            "Relecture enregistrée pour {id} : {d}.",
            "Review recorded for {id}: {d}.",
            id=run.id,
            d=_review(run.review_state),
        )
    )


@runs_app.command("reidentify")
def runs_reidentify(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="Identifiant de l'exécution.")],
    output: Annotated[str, typer.Argument(help="Nom de la sortie (ex. reponse.md).")],
    by: Annotated[str, typer.Option("--by", help="Personne autorisée (référent IA, DPO…).")],
    passphrase_env: PassphraseOption = None,
) -> None:
    """Affiche une sortie avec les données d'origine (localement ; l'accès est journalisé)."""
    from garant.audit.ledger import write_head
    from garant.audit.policy_bridge import workspace_policy
    from garant.audit.run import ledger_anchor
    from garant.audit.runs import reidentify_output

    state = state_of(ctx)
    from garant.audit.refusals import refusals_recorded

    workspace = state.workspace()
    from garant.signing.actions import record_signed_action

    policy = workspace_policy(workspace)
    with (
        refusals_recorded(workspace, "reidentify", by, run_id=run_id, target=output),
        state.transaction() as session,
    ):
        signed = _signed(state, policy, "reidentify", by, f"{run_id}/{output}", passphrase_env)
        text = reidentify_output(session, workspace, run_id, output, by, policy)
        record_signed_action(session, signed, run_id)
    write_head(workspace.engine, ledger_anchor(workspace))
    typer.echo(text)


@audit_app.command("verify")
def audit_verify(
    ctx: typer.Context,
    skip_mlflow: Annotated[
        bool, typer.Option("--skip-mlflow", help="Ne pas comparer aux artefacts MLflow.")
    ] = False,
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint", help="Point de contrôle signé (publié) que le registre doit prolonger."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Recalcule la chaîne du registre, la rejoue contre la base, vérifie sorties et manifestes ; code 1 si altéré."""
    from garant.audit.verify import verify_workspace

    report = verify_workspace(
        state_of(ctx).workspace(), check_mlflow=not skip_mlflow, checkpoint=checkpoint
    )
    if as_json:
        print_json(
            {
                "ok": report.ok,
                "entries": report.entries,
                "outputs_checked": report.outputs_checked,
                "mlflow_checked": report.mlflow_checked,
                "rows_checked": report.rows_checked,
                "manifests_checked": report.manifests_checked,
                "mlflow_pending": report.mlflow_pending,
                "interrupted": report.interrupted,
                "chain": [p.__dict__ for p in report.chain],
                "outputs": [p.__dict__ for p in report.outputs],
                "rows": [p.__dict__ for p in report.rows],
                "adopted_at_migration": len(report.adopted_at_migration),
                "checkpoint": None
                if report.checkpoint is None
                else {
                    "seq": report.checkpoint.checkpoint.seq,
                    "entry_hash": report.checkpoint.checkpoint.entry_hash,
                    "person": report.checkpoint.checkpoint.person,
                    "signed_at": report.checkpoint.checkpoint.signed_at,
                    "problems": report.checkpoint.problems,
                },
            }
        )
    else:
        _print_verification(report)
    if not report.ok:
        raise typer.Exit(1)


def _print_verification(report: VerificationReport) -> None:
    typer.echo(
        tr(
            "{n} entrées du registre, {r} lignes de la base rejouées, {o} sorties et "
            "{j} manifestes vérifiés ({m} contre MLflow).",
            "{n} ledger entries, {r} database rows replayed, {o} outputs and {j} manifests "
            "checked ({m} against MLflow).",
            n=report.entries,
            r=report.rows_checked,
            o=report.outputs_checked,
            j=report.manifests_checked,
            m=report.mlflow_checked,
        )
    )
    if report.adopted_at_migration:
        typer.echo(
            tr(
                "  {n} lignes adoptées à la migration (état initial, sans auteur d'origine).",
                "  {n} rows adopted at migration (initial state, no original author).",
                n=len(report.adopted_at_migration),
            )
        )
    for problem in report.chain:
        typer.echo(f"  ✗ {problem.message}")
    for row in report.rows:
        typer.echo(f"  ✗ {row.message}")
    for output in report.outputs:
        typer.echo(f"  ✗ {output.run_id} / {output.output} : {output.message}")
    if report.mlflow_pending:
        typer.echo(
            tr(
                "  · {n} exécution(s) pas encore reçue(s) par MLflow (file d'attente) : {ids}",
                "  · {n} run(s) not yet received by MLflow (queue): {ids}",
                n=len(report.mlflow_pending),
                ids=", ".join(report.mlflow_pending),
            )
        )
    for run_id in report.interrupted:
        typer.echo(
            tr(
                "  · {id} : exécution interrompue (processus disparu), close comme interrompue",
                "  · {id}: interrupted run (process gone), closed as interrupted",
                id=run_id,
            )
        )
    if report.checkpoint is not None:
        point = report.checkpoint.checkpoint
        if report.checkpoint.ok:
            typer.echo(
                tr(
                    "  ✓ Le registre prolonge le point de contrôle n° {seq} signé par {p} le {t}.",
                    "  ✓ The ledger extends checkpoint #{seq} signed by {p} on {t}.",
                    seq=point.seq,
                    p=point.person,
                    t=point.signed_at,
                )
            )
        for message in report.checkpoint.problems:
            typer.echo(f"  ✗ {message}")
    from garant.audit.attestation import attest

    attestation = attest(report)
    marker = "✗" if attestation.checkpoint and not attestation.checkpoint.holds else "·"
    typer.echo(f"  {marker} {attestation.checkpoint_statement()}")
    typer.echo(
        tr("Intégrité vérifiée : aucune altération.", "Integrity verified: no tampering.")
        if report.ok
        else tr("ALTÉRATION DÉTECTÉE.", "TAMPERING DETECTED.")
    )


@audit_app.command("checkpoint")
def audit_checkpoint(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="Personne qui signe (avec sa clé personnelle).")],
    passphrase_env: Annotated[
        str | None,
        typer.Option("--passphrase-env", help="Variable d'environnement de la phrase secrète."),
    ] = None,
) -> None:
    """Signe la tête du registre (numéro, empreinte, date) ; fichier à publier ou à envoyer."""
    from garant.audit.checkpoint import create_checkpoint
    from garant.cli.keys_commands import read_passphrase
    from garant.governance.lookup import find_person
    from garant.signing.keys import load_person_key

    state = state_of(ctx)
    workspace = state.workspace()
    with state.transaction() as session:
        person = find_person(session, by, "by").key
    key = load_person_key(workspace, person, read_passphrase(person, passphrase_env, confirm=False))
    point = create_checkpoint(workspace, person, key)
    typer.echo(str(point.path))
    say(
        tr(
            "Point de contrôle n° {seq} ({h}…) signé par {p}. Publiez ou envoyez ce fichier : "
            "« garant audit verify --checkpoint FICHIER » prouvera que le registre le prolonge.",
            "Checkpoint #{seq} ({h}…) signed by {p}. Publish or send this file: "
            "'garant audit verify --checkpoint FILE' will prove the ledger extends it.",
            seq=point.seq,
            h=point.entry_hash[:16],
            p=person,
        )
    )


@audit_app.command("migrate")
def audit_migrate(ctx: typer.Context) -> None:
    """Met la base au dernier schéma ; les lignes existantes sont consignées comme adoptées."""
    from garant.store.engine import current_revision, migrate

    workspace = state_of(ctx).workspace()
    before = current_revision(workspace.engine)
    migrate(workspace.engine)
    after = current_revision(workspace.engine)
    say(
        tr(
            "Schéma : {a} → {b}.",
            "Schema: {a} → {b}.",
            a=before or "—",
            b=after or "—",
        )
    )


@mlflow_app.command("sync")
def mlflow_sync(ctx: typer.Context) -> None:
    """Envoie à MLflow les exécutions encore en file d'attente (le registre fait foi)."""
    from garant.audit.mlflow_mirror import flush_mirror

    result = flush_mirror(state_of(ctx).workspace())
    say(
        tr(
            "MLflow : {s} exécution(s) envoyée(s), {f} en échec, {i} inachevée(s).",
            "MLflow: {s} run(s) sent, {f} failed, {i} unfinished.",
            s=len(result.sent),
            f=len(result.failed),
            i=len(result.incomplete),
        )
    )
    if result.failed:
        raise typer.Exit(1)


@mlflow_app.command("ui")
def mlflow_ui(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port local.")] = 5000,
) -> None:
    """Démarre l'interface MLflow sur 127.0.0.1 pour le suivi local de l'espace."""
    from garant.audit.mlflow_mirror import flush_mirror
    from garant.audit.tracking import offline_environment

    workspace = state_of(ctx).workspace()
    offline_environment()
    flush_mirror(workspace)  # show every run, not only those already sent
    command = [
        sys.executable,
        "-m",
        "mlflow",
        "ui",
        "--backend-store-uri",
        workspace.mlflow_tracking_uri,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
    ]
    say(
        tr(
            "Interface MLflow : http://127.0.0.1:{p} (Ctrl+C pour arrêter)",
            "MLflow UI: http://127.0.0.1:{p} (Ctrl+C to stop)",
            p=port,
        )
    )
    environment = {**os.environ, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}
    raise typer.Exit(subprocess.call(command, env=environment))


def _tool_cell(run: Any) -> str:
    if run.summary.get("imported"):
        return tr(
            "{t} déclaré pour l'usage, non utilisé (transcription importée)",
            "{t} declared for the use, not used (imported transcript)",
            t=run.tool_key or "—",
        )
    return str(run.tool_key)


def _model_cell(run: Any) -> str:
    if run.model:
        return f"{run.model} ({run.provider})" if run.provider else str(run.model)
    method = run.summary.get("method")
    return str(method) if method else "—"


_EVENT_LABELS: dict[str, tuple[str, str]] = {
    "run_started": ("début de l'exécution", "run started"),
    "gate_decision": ("décision de la politique", "policy decision"),
    "run_refused": ("refus par la politique", "refused by the policy"),
    "model_call_intent": ("appel au modèle annoncé", "model call announced"),
    "model_call": ("appel au modèle", "model call"),
    "transcription_call": ("transcription", "transcription"),
    "input": ("entrée", "input"),
    "output": ("sortie", "output"),
    "run_finished": ("fin de l'exécution", "run finished"),
    "run_failed": ("échec de l'exécution", "run failed"),
    "run_interrupted": ("exécution interrompue", "run interrupted"),
    "mlflow_mirrored": ("copie dans MLflow", "mirrored to MLflow"),
    "review": ("relecture humaine", "human review"),
    "reidentification": ("ré-identification", "re-identification"),
    "reidentification_refused": ("ré-identification refusée", "re-identification refused"),
    "action_refused": ("action refusée", "action refused"),
    "action_signed": ("action signée", "signed action"),
    "export": ("export", "export"),
    "run_attached": ("rattachée à un dossier", "attached to a dossier"),
}


def _event_label(event: str) -> str:
    """A ledger event as a reader names it (the code stays in ``--json``)."""
    pair = _EVENT_LABELS.get(event)
    return tr(*pair) if pair else event


def _when(recorded_at: str) -> str:
    """A ledger timestamp (ISO, UTC) in the organisation's time zone, to the second."""
    from datetime import datetime

    from garant.i18n import local_time

    try:
        moment = local_time(datetime.fromisoformat(recorded_at))
    except ValueError:
        return recorded_at[:19]
    return moment.strftime(
        "%d/%m/%Y %H:%M:%S" if current_language() == "fr" else "%Y-%m-%d %H:%M:%S"
    )
