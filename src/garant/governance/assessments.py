"""Checklists of registered uses, kept in the store: profile, answers, evidence, assessment.

``garant checklist start USE`` stores the replies to the profile questions
(:data:`PROFILE_QUESTIONS`); the registry gives the rest (purpose, stage, data categories,
hosting of the use's tools). ``garant checklist answer`` records the state of one item and its
evidence (a text, or a file identified by its SHA-256). ``garant checklist status`` assesses the
use and writes the result back to the ``AIUse`` row (risk class, DPIA needed, disclosure
required) in the same transaction, so that the audited-run gate sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from garant.domain.models import AITool, AIUse
from garant.domain.policy_models import ChecklistAnswer, UseAssessment
from garant.errors import ConflictError, GarantError, InputError, NotFoundError
from garant.governance.checklists import (
    PROFILE_QUESTIONS,
    Answer,
    AnswerStatus,
    Assessment,
    Catalogue,
    Evidence,
    ProfileQuestion,
    UseProfile,
    assess,
    assessment_to_dict,
    load_catalogue,
    profile_from_registry,
)
from garant.governance.lookup import find_use, stamp_created, stamp_updated
from garant.governance.policy import Hosting, classify_hosting
from garant.governance.uses import tools_of_use
from garant.i18n import tr

__all__ = [
    "DPIA_ITEM",
    "PROFILE_FIELDS",
    "answer_item",
    "approval_blockers",
    "assess_use",
    "check_profile_answers",
    "load_partial_profile",
    "load_profile_answers",
    "numbered_choices",
    "parse_profile_reply",
    "save_partial_profile",
    "start_checklist",
    "stored_answers",
    "use_hosting",
    "use_profile",
]

PROFILE_FIELDS: frozenset[str] = frozenset(q.field for q in PROFILE_QUESTIONS)
"""Fields a person answers; the others come from the registry."""

_SEVERITY = [
    Hosting.OFFLINE,
    Hosting.LOCAL,
    Hosting.HOSTED_FR,
    Hosting.HOSTED_EU,
    Hosting.HOSTED_NON_EU,
]
_NONE_WORDS = {"", "aucun", "aucune", "none", "non", "no", "-"}
_YES = {"o", "oui", "y", "yes", "vrai", "true", "1"}
_NO = {"n", "non", "no", "faux", "false", "0"}


def _tool_hosting(tool: AITool) -> Hosting:
    return classify_hosting(
        hosted=tool.access_mode != "local",
        region=tool.hosting_region,
        data_leaves_eu=tool.data_leaves_eu,
    )


def use_hosting(session: Session, use: AIUse) -> Hosting:
    """Where the use's data may go: the most exposed hosting among its tools (local if none)."""
    hostings = [_tool_hosting(tool) for tool in tools_of_use(session, use)]
    return max(hostings, key=_SEVERITY.index) if hostings else Hosting.LOCAL


def parse_profile_reply(question: ProfileQuestion, raw: str) -> Any:
    """Turn a typed reply to a profile question into its stored value (or raise InputError)."""
    text = raw.strip()
    lowered = text.lower()
    if question.kind == "bool":
        if lowered in _YES:
            return True
        if lowered in _NO:
            return False
        raise _bad_reply(question, raw, tr("oui ou non", "yes or no"))
    if question.kind == "text":
        return text
    if question.kind == "int":
        if lowered in _NONE_WORDS:
            return None
        if not text.isdigit():
            raise _bad_reply(question, raw, tr("un nombre entier", "a whole number"))
        return int(text)
    if question.kind == "choice":
        if lowered in _NONE_WORDS and "none" not in question.choices:
            return None
        chosen = _choice_of(question, text)
        if chosen is None:
            raise _bad_reply(question, raw, numbered_choices(question))
        return chosen
    parts = [p for p in lowered.replace(";", ",").replace(" ", ",").split(",") if p]
    if not parts or (len(parts) == 1 and parts[0] in _NONE_WORDS):
        return []
    chosen_many = [_choice_of(question, p) for p in parts]
    if any(c is None for c in chosen_many):
        raise _bad_reply(question, raw, numbered_choices(question))
    return sorted({c for c in chosen_many if c is not None})


def _plain(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


def numbered_choices(question: ProfileQuestion) -> str:
    """« 1 = déployeur (deployer), 2 = fournisseur (provider) » — what a reply may be."""
    from garant.domain.enums import label

    if not _numbered(question):
        return ", ".join(question.choices)
    return ", ".join(
        f"{n} = {label(choice)} ({choice})" if label(choice) != choice else f"{n} = {choice}"
        for n, choice in enumerate(question.choices, start=1)
    )


def _choice_of(question: ProfileQuestion, reply: str) -> str | None:
    """The choice a reply names: its number (1, 2…), its id, or its French label, accents and
    case ignored (« déployeur », « Deployeur », « 1 » and « deployer » all name ``deployer``)."""
    from garant.domain.enums import label

    wanted = _plain(reply)
    for choice in question.choices:
        if wanted in (_plain(choice), _plain(label(choice))):
            return choice
    if _numbered(question) and wanted.isdigit() and 1 <= int(wanted) <= len(question.choices):
        return question.choices[int(wanted) - 1]
    return None


def _numbered(question: ProfileQuestion) -> bool:
    """Choices are offered by number unless they are themselves numbers (Annex III areas)."""
    return not any(choice[:1].isdigit() for choice in question.choices)


def _bad_reply(question: ProfileQuestion, raw: str, expected: str) -> InputError:
    return InputError(
        tr(
            "Réponse invalide : {raw!r} (attendu : {expected}).",
            "Invalid reply: {raw!r} (expected: {expected}).",
            raw=raw,
            expected=expected,
        ),
        question.question,
    )


def check_profile_answers(values: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Keep only known profile questions, with values of the right shape; errors name ``source``."""
    unknown = sorted(set(values) - PROFILE_FIELDS)
    if unknown:
        raise InputError(
            tr(
                "{source} : question de profil inconnue « {field} ».",
                "{source}: unknown profile question '{field}'.",
                source=source,
                field=unknown[0],
            ),
            tr(
                "Questions possibles : {fields}.",
                "Possible questions: {fields}.",
                fields=", ".join(q.field for q in PROFILE_QUESTIONS),
            ),
        )
    checked: dict[str, Any] = {}
    questions = {q.field: q for q in PROFILE_QUESTIONS}
    for name, value in values.items():
        question = questions[name]
        try:
            if isinstance(value, str) or (question.kind == "choices" and value is None):
                checked[name] = parse_profile_reply(question, value or "")
            elif question.kind == "choices" and isinstance(value, list):
                checked[name] = parse_profile_reply(question, ",".join(str(v) for v in value))
            elif question.kind == "choice" and value is None:
                checked[name] = None
            else:
                checked[name] = value
        except InputError as error:
            raise InputError(f"{source}, « {name} » : {error.message}", error.hint) from None
    return checked


def load_profile_answers(path: Path) -> dict[str, Any]:
    """Profile replies from a YAML file (``interacts_with_public: true`` …), for CI use."""
    from garant.governance.policy.yamlsource import load_yaml_document

    document = load_yaml_document(path)
    if document.data is None:
        return {}
    if not isinstance(document.data, dict):
        raise InputError(
            tr(
                "{path} : attendu des paires « question: réponse ».",
                "{path}: expected 'question: reply' pairs.",
                path=path,
            ),
            tr(
                "Exemple : « interacts_with_public: true ».",
                "Example: 'interacts_with_public: true'.",
            ),
        )
    try:
        return check_profile_answers(document.data, str(path))
    except InputError as error:
        field_name = next((k for k in document.data if k not in PROFILE_FIELDS), None)
        line = document.lines.line_of((field_name,)) if field_name else None
        if line is not None:
            raise InputError(
                error.message.replace(f"{path} :", f"{path}, ligne {line} :", 1), error.hint
            ) from None
        raise


def _profile(session: Session, use: AIUse, answers: Mapping[str, Any]) -> UseProfile:
    try:
        return profile_from_registry(
            use_key=use.key,
            purpose=use.purpose,
            stage=use.stage,
            data_categories=list(use.data_categories),
            hosting=use_hosting(session, use),
            answers=answers,
        )
    except GarantError as error:
        raise InputError(
            tr("Usage « {use} » : {m}", "Use '{use}': {m}", use=use.key, m=error.message),
            error.hint,
        ) from None


def _assessment_row(session: Session, use: AIUse) -> UseAssessment | None:
    return session.exec(select(UseAssessment).where(UseAssessment.use_id == use.id)).first()


def start_checklist(
    session: Session, use_ref: str, answers: Mapping[str, Any], actor: str
) -> UseProfile:
    """Store the profile replies of a use (replacing earlier ones) and return its profile."""
    from garant.audit.ledger import append_event

    use = find_use(session, use_ref)
    checked = check_profile_answers(answers, tr("réponses", "answers"))
    profile = _profile(session, use, checked)
    row = _assessment_row(session, use)
    if row is None:
        row = stamp_created(UseAssessment(use_id=use.id or 0, profile_answers=checked), actor)
    else:
        row.profile_answers = checked
        stamp_updated(row, actor)
    session.add(row)
    session.flush()
    append_event(session, "checklist_profile", {"use": use.key, "answers": checked})
    return profile


def use_profile(session: Session, use_ref: str) -> UseProfile:
    """The stored profile of a use (registry facts + replies); error if never started."""
    use = find_use(session, use_ref)
    row = _assessment_row(session, use)
    if row is None:
        raise ConflictError(
            tr(
                "La liste de contrôle de l'usage « {use} » n'a pas été commencée.",
                "The checklist of use '{use}' has not been started.",
                use=use.key,
            ),
            tr(
                "Commencez-la : « garant checklist start {use} ».",
                "Start it: 'garant checklist start {use}'.",
                use=use.key,
            ),
        )
    return _profile(session, use, row.profile_answers)


def _to_answer(row: ChecklistAnswer) -> Answer:
    return Answer(
        item_id=row.item_id,
        status=AnswerStatus(row.status),
        note=row.note,
        evidence=tuple(Evidence.model_validate(e) for e in row.evidence),
        answered_by=row.answered_by,
        answered_on=row.answered_on,
    )


def stored_answers(session: Session, use: AIUse) -> list[Answer]:
    rows = session.exec(select(ChecklistAnswer).where(ChecklistAnswer.use_id == use.id))
    return [_to_answer(row) for row in rows]


def _check_status(status: str) -> AnswerStatus:
    try:
        return AnswerStatus(status)
    except ValueError:
        raise InputError(
            tr("Statut inconnu : {s}", "Unknown status: {s}", s=status),
            tr(
                "Choisissez : {choices}.",
                "Choose: {choices}.",
                choices=", ".join(s.value for s in AnswerStatus),
            ),
        ) from None


def answer_item(
    session: Session,
    use_ref: str,
    item_id: str,
    status: str,
    *,
    note: str = "",
    evidence_text: str = "",
    evidence_file: Path | None = None,
    evidence_id: str = "",
    actor: str = "",
    on: date | None = None,
    catalogue: Catalogue | None = None,
) -> Answer:
    """Record the state of one item for a use; new evidence is added to the earlier one."""
    from garant.audit.ledger import append_event

    use = find_use(session, use_ref)
    catalogue = catalogue or load_catalogue()
    try:
        item = catalogue.item(item_id)
    except (KeyError, GarantError):
        raise NotFoundError(
            tr(
                "Point de contrôle inconnu : {item}",
                "Unknown checklist item: {item}",
                item=item_id,
            ),
            tr(
                "Les identifiants figurent dans « garant checklist status {use} ».",
                "Item ids are listed by 'garant checklist status {use}'.",
                use=use.key,
            ),
        ) from None
    chosen = _check_status(status)
    day = on or date.today()
    if chosen is AnswerStatus.NOT_APPLICABLE and not note.strip():
        raise InputError(
            tr(
                "« not_applicable » doit être justifié.",
                "'not_applicable' must be justified.",
            ),
            tr("Ajoutez --note « pourquoi ».", "Add --note 'why'."),
        )
    known_ids = {spec.id for spec in item.evidence}
    if evidence_id and evidence_id not in known_ids:
        raise InputError(
            tr(
                "Preuve « {id} » inconnue pour {item} (attendues : {known}).",
                "Evidence '{id}' unknown for {item} (expected: {known}).",
                id=evidence_id,
                item=item.id,
                known=", ".join(sorted(known_ids)) or "—",
            ),
            tr("Omettez --evidence-id ou corrigez-le.", "Omit --evidence-id or fix it."),
        )
    new_evidence: list[Evidence] = []
    if evidence_text.strip():
        new_evidence.append(
            Evidence.from_text(
                evidence_text.strip(), evidence_id=evidence_id, added_by=actor, added_on=day
            )
        )
    if evidence_file is not None:
        new_evidence.append(
            Evidence.from_file(
                evidence_file.resolve(), evidence_id=evidence_id, added_by=actor, added_on=day
            )
        )
    row = session.exec(
        select(ChecklistAnswer).where(
            ChecklistAnswer.use_id == use.id, ChecklistAnswer.item_id == item.id
        )
    ).first()
    if row is None:
        row = stamp_created(
            ChecklistAnswer(use_id=use.id or 0, item_id=item.id, status=chosen.value), actor
        )
    else:
        stamp_updated(row, actor)
    row.status = chosen.value
    if note.strip():
        row.note = note.strip()
    row.evidence = [*row.evidence, *(e.model_dump(mode="json") for e in new_evidence)]
    row.answered_by = actor
    row.answered_on = day
    session.add(row)
    session.flush()
    append_event(
        session,
        "checklist_answer",
        {
            "use": use.key,
            "item": item.id,
            "status": chosen.value,
            "evidence": [
                {"kind": e.kind, "sha256": e.sha256, "path": e.path} for e in new_evidence
            ],
        },
    )
    return _to_answer(row)


def assess_use(
    session: Session,
    use_ref: str,
    *,
    today: date | None = None,
    catalogue: Catalogue | None = None,
    actor: str = "",
) -> Assessment:
    """Assess a use from its stored profile and answers, and write the result back to it."""
    from garant.audit.ledger import append_event

    use = find_use(session, use_ref)
    profile = use_profile(session, use.key)
    day = today or date.today()
    assessment = assess(profile, stored_answers(session, use), day, catalogue)
    updates = assessment.record_updates()
    use.ai_act_risk_class = updates["ai_act_risk_class"]
    use.dpia_required = updates["dpia_required"]
    use.disclosure_required = updates["disclosure_required"]
    session.add(stamp_updated(use, actor))
    row = _assessment_row(session, use)
    if row is not None:
        row.last_result = assessment_to_dict(assessment)
        row.assessed_on = day
        session.add(stamp_updated(row, actor))
    session.flush()
    append_event(
        session,
        "checklist_assessment",
        {"use": use.key, "on": day.isoformat(), "score": assessment.score, **updates},
    )
    return assessment


DPIA_ITEM = "RGPD-35-AIPD"
"""The checklist item that records the DPIA itself (GDPR Art. 35)."""


def approval_blockers(session: Session, use: AIUse, today: date | None = None) -> list[str]:
    """Why the use cannot be approved yet, in the current language (empty: nothing blocks).

    The checklist must have been started, the DPIA done when it is required, and every
    obligation in force satisfied.
    """
    if _assessment_row(session, use) is None:
        return [
            tr(
                "liste de contrôle jamais commencée (garant checklist start {use})",
                "checklist never started (garant checklist start {use})",
                use=use.key,
            )
        ]
    assessment = assess(
        use_profile(session, use.key), stored_answers(session, use), today or date.today()
    )
    blockers: list[str] = []
    dpia_done = any(s.item.id == DPIA_ITEM and s.satisfied for s in assessment.items)
    if assessment.dpia.required and not dpia_done:
        blockers.append(
            tr(
                "AIPD requise et non réalisée ({item})",
                "DPIA required and not done ({item})",
                item=DPIA_ITEM,
            )
        )
    open_items = [s.item.id for s in assessment.in_force if not s.satisfied]
    if open_items:
        blockers.append(
            tr(
                "{n} obligation(s) en vigueur non remplie(s) ({score} % fait) : {items}",
                "{n} obligation(s) in force not met ({score}% done): {items}",
                n=len(open_items),
                score=round(assessment.score * 100),
                items=", ".join(open_items),
            )
        )
    return blockers


def save_partial_profile(path: Path, answers: Mapping[str, Any]) -> None:
    """Keep the replies given so far (after every reply), so that an interrupted checklist
    resumes where it stopped; the file has the ``--answers`` format."""
    import yaml

    from garant.util.files import atomic_write_text

    atomic_write_text(path, yaml.safe_dump(dict(answers), allow_unicode=True, sort_keys=False))


def load_partial_profile(path: Path) -> dict[str, Any]:
    """The replies an interrupted checklist kept (empty when there are none)."""
    return load_profile_answers(path) if path.is_file() else {}
