"""``garant checklist``: start (profile questions), answer (items and evidence), status."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from garant.cli.output import print_json, say
from garant.cli.state import state_of
from garant.i18n import tr

__all__ = ["checklist_app"]

checklist_app = typer.Typer(
    help="Listes de contrôle RIA / RGPD / droit public par usage : profil, réponses, bilan.",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Sortie JSON pour les scripts.")]


def _accepts_none(field: str) -> bool:
    """Whether the profile may leave ``field`` unanswered (``None``)."""
    import dataclasses

    from garant.governance.checklists import UseProfile

    declared = {f.name: str(f.type) for f in dataclasses.fields(UseProfile)}
    return "None" in declared.get(field, "None")


def _ask_profile(progress: Path) -> dict[str, Any]:
    """Ask the profile questions in French (o/n, numbered choices), re-asking after an invalid
    or empty reply; every reply is saved at once in ``progress``, so an interrupted checklist
    resumes at the first unanswered question."""
    from garant.errors import InputError
    from garant.governance.assessments import (
        load_partial_profile,
        numbered_choices,
        parse_profile_reply,
        save_partial_profile,
    )
    from garant.governance.checklists import PROFILE_QUESTIONS

    answers = load_partial_profile(progress)
    if answers:
        say(
            tr(
                "Reprise : {n} réponse(s) déjà données sur {total} (fichier {path}).",
                "Resuming: {n} reply(ies) already given out of {total} (file {path}).",
                n=len(answers),
                total=len(PROFILE_QUESTIONS),
                path=progress,
            )
        )
    for number, question in enumerate(PROFILE_QUESTIONS, start=1):
        if question.field in answers:
            continue
        text = f"[{number}/{len(PROFILE_QUESTIONS)}] {question.question}"
        if question.kind == "bool":
            text += tr(" [o/N]", " [y/N]")
        elif question.kind in ("choice", "choices"):
            text += f"\n  {numbered_choices(question)}\n "
        while True:
            raw = typer.prompt(text, default="", show_default=False, prompt_suffix=" ")
            if question.kind == "bool" and not raw.strip():
                raw = "n"
            try:
                value = parse_profile_reply(question, raw)
            except InputError as error:
                typer.echo(error.message, err=True)
                continue
            if value is None and not _accepts_none(question.field):
                typer.echo(tr("Une réponse est attendue.", "A reply is needed."), err=True)
                continue
            answers[question.field] = value
            save_partial_profile(progress, answers)
            break
    return answers


@checklist_app.command("start")
def start(
    ctx: typer.Context,
    use: Annotated[str, typer.Argument(help="Usage déclaré (clé ou id).")],
    answers_file: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Fichier YAML des réponses au profil (question: réponse), sans questions.",
        ),
    ] = None,
) -> None:
    """Commence (ou refait) le profil d'un usage : questions, puis profil RIA enregistré."""
    from garant.governance.assessments import load_profile_answers, start_checklist
    from garant.governance.checklists import classify_ai_act

    state = state_of(ctx)
    workspace = state.workspace()
    progress = workspace.root / "checklists" / f"{use}.profil-en-cours.yaml"
    answers = load_profile_answers(answers_file) if answers_file else _ask_profile(progress)
    with state.transaction() as session:
        profile = start_checklist(session, use, answers, state.actor)
    progress.unlink(missing_ok=True)
    _write_head(ctx)
    say(
        tr(
            "Profil enregistré pour « {use} » : {summary}. Suite : « garant checklist status {use} ».",
            "Profile recorded for '{use}': {summary}. Next: 'garant checklist status {use}'.",
            use=profile.use_key,
            summary=classify_ai_act(profile).summary,
        )
    )


@checklist_app.command("answer")
def answer(
    ctx: typer.Context,
    use: Annotated[str, typer.Argument(help="Usage déclaré (clé ou id).")],
    item: Annotated[str, typer.Argument(help="Identifiant du point de contrôle.")],
    status: Annotated[
        str, typer.Option("--status", help="todo | in_progress | done | not_applicable")
    ],
    note: Annotated[
        str, typer.Option("--note", help="Commentaire ; justification si sans objet.")
    ] = "",
    evidence_text: Annotated[
        str, typer.Option("--evidence-text", help="Preuve sous forme de texte.")
    ] = "",
    evidence_file: Annotated[
        Path | None,
        typer.Option("--evidence-file", help="Fichier de preuve (son SHA-256 est enregistré)."),
    ] = None,
    evidence_id: Annotated[
        str, typer.Option("--evidence-id", help="Preuve attendue que ce document fournit.")
    ] = "",
) -> None:
    """Enregistre l'état d'un point de contrôle et ses preuves."""
    from garant.governance.assessments import answer_item

    state = state_of(ctx)
    with state.transaction() as session:
        recorded = answer_item(
            session,
            use,
            item,
            status,
            note=note,
            evidence_text=evidence_text,
            evidence_file=evidence_file,
            evidence_id=evidence_id,
            actor=state.actor,
        )
    _write_head(ctx)
    say(
        tr(
            "{item} : {status} ({n} preuve(s)).",
            "{item}: {status} ({n} piece(s) of evidence).",
            item=recorded.item_id,
            status=recorded.status.value,
            n=len(recorded.evidence),
        )
    )


@checklist_app.command("status")
def status(
    ctx: typer.Context,
    use: Annotated[str, typer.Argument(help="Usage déclaré (clé ou id).")],
    as_json: JsonOption = False,
) -> None:
    """Bilan d'un usage : profil RIA, AIPD, obligations ouvertes et dates, avancement.

    Le résultat est reporté dans le registre (classe de risque, AIPD, mention requise)."""
    from garant.governance.assessments import assess_use
    from garant.governance.checklists import assessment_to_dict, render_assessment

    state = state_of(ctx)
    with state.transaction() as session:
        assessment = assess_use(session, use, actor=state.actor)
    _write_head(ctx)
    if as_json:
        print_json(assessment_to_dict(assessment))
        return
    typer.echo(render_assessment(assessment))


def _write_head(ctx: typer.Context) -> None:
    from garant.audit.ledger import write_head
    from garant.audit.run import ledger_anchor

    workspace = state_of(ctx).workspace()
    write_head(workspace.engine, ledger_anchor(workspace))
