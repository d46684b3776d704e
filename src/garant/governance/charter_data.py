"""Build a charter's :class:`CharterContext` from the workspace policy, the registry and roles.

What the internal guide and the external charter say comes from three places:

* the policy (``policies/politique.yaml``): version, approval and review dates, forbidden uses,
  data rules, human review, disclosure commitments, retention, public contact;
* the registry: tools (with the status the policy gives them), approved uses, the trainings
  logged (AI Act Art. 4);
* the roles: the AI referent, the resource persons, the DPO.

A charter needs a referent: without one it would tell agents to ask nobody, so the build stops
with an error saying how to name one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path

from sqlmodel import Session

from garant.documents import (
    CharterContext,
    CharterOrganisation,
    CharterPerson,
    CharterTool,
    CharterUse,
    ContactChannel,
    RenderedDocument,
    TrainingOffer,
)
from garant.documents import DataRule as CharterDataRule
from garant.documents import ForbiddenUse as CharterForbiddenUse
from garant.documents.charter_context import DecidedQuestion
from garant.documents.environment import in_language
from garant.domain.enums import DataCategory, RoleName, ToolStatus, UseStatus, label
from garant.domain.models import AITool, Person
from garant.errors import InputError
from garant.governance.organisations import main_organisation
from garant.governance.people import people_with_role
from garant.governance.policy import (
    Hosting,
    Policy,
    Pseudonymisation,
    classify_hosting,
    hosting_label,
)
from garant.governance.tools import list_tools
from garant.governance.training import list_training
from garant.governance.uses import list_uses
from garant.i18n import tr
from garant.workspace import Workspace

__all__ = [
    "build_charter_context",
    "charter_file_name",
    "charter_tool_status",
    "contact_channel",
    "render_workspace_charter",
    "review_date_of",
    "tool_hosting",
]


def tool_hosting(tool: AITool) -> Hosting:
    """Where data sent to a registered tool is processed (from its access mode and region)."""
    return classify_hosting(
        hosted=tool.access_mode != "local",
        region=tool.hosting_region,
        data_leaves_eu=tool.data_leaves_eu,
    )


def charter_tool_status(policy: Policy, tool: AITool) -> tuple[str, str]:
    """The status a charter shows for a tool, and the reason: the tool's standing (registry
    status read with the policy, see :mod:`garant.governance.standing`)."""
    from garant.governance.standing import tool_standing

    standing = tool_standing(policy, tool)
    return standing.status, standing.reason


def _data_allowed(policy: Policy, hosting: Hosting) -> str:
    parts: list[str] = []
    for rule in policy.data:
        if hosting not in rule.hosting:
            continue
        text = label(rule.category.value)
        if rule.requires_pseudonymisation(hosting) and rule.category is not DataCategory.NONE:
            text += tr(" (pseudonymisées)", " (pseudonymised)")
        parts.append(text)
    return ", ".join(parts) or tr("aucune donnée", "no data")


def _person(person: Person, function: str = "", topics: str = "") -> CharterPerson:
    return CharterPerson(
        name=person.full_name,
        function=person.job_title or function,
        email=person.email,
        topics=topics,
    )


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://\S+")


def contact_channel(contact: str, description: str, fallback_email: str = "") -> ContactChannel:
    """A contact from the policy's free text: the e-mail and URL it holds go to their fields,
    the remaining words (a service, an address) complete the description."""
    value = contact.strip()
    email_match, url_match = _EMAIL.search(value), _URL.search(value)
    email = email_match.group(0) if email_match else ""
    url = url_match.group(0).rstrip(".,;)") if url_match else ""
    rest = value
    for found in (url, email):
        if found:
            rest = rest.replace(found, " ")
    rest = re.sub(r"\s+", " ", rest).strip(" —–-,;:()")
    full = (
        f"{description} {tr('Interlocuteur : {x}.', 'Contact: {x}.', x=rest)}"
        if rest
        else description
    )
    return ContactChannel(description=full, email=email or fallback_email, url=url)


def review_date_of(policy: Policy, today: date) -> date:
    """The policy's next review, else approval (or today) plus the review cadence."""
    if policy.review.next_review is not None:
        return policy.review.next_review
    start = policy.approval.approved_on if policy.approval else today
    month = start.month - 1 + policy.review.every_months
    year, month = start.year + month // 12, month % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, min(day, start.day))
        except ValueError:
            continue
    return date(year, month, 28)


def _retention_text(policy: Policy) -> str:
    r = policy.retention
    text = tr(
        "Les traces des usages de l'IA sont conservées {a} mois ; les documents d'entrée "
        "{b} mois ; les productions {c} mois ; les tables de pseudonymes {d} mois.",
        "Records of AI use are kept {a} months; input documents {b} months; outputs {c} "
        "months; pseudonym tables {d} months.",
        a=r.run_records_months,
        b=r.inputs_months,
        c=r.outputs_months,
        d=r.pseudonym_mappings_months,
    )
    return f"{text} {r.note}".strip()


def _human_review(policy: Policy) -> tuple[str, ...]:
    review = policy.human_review
    lines: list[str] = []
    roles = ", ".join(label(role.value) for role in review.reviewer_roles)
    if review.required_before_publication:
        lines.append(
            tr(
                "Tout texte produit avec l'IA est relu avant publication ({roles}).",
                "Every text produced with AI is reviewed before publication ({roles}).",
                roles=roles,
            )
        )
    else:
        lines.append(
            tr(
                "Un texte publié sans relecture humaine porte la mention « généré par IA ».",
                "A text published without human review says it is AI-generated.",
            )
        )
    if review.distinct_from_operator:
        lines.append(
            tr(
                "La personne qui relit n'est pas celle qui a lancé l'analyse (double regard).",
                "The reviewer is not the person who ran the analysis (four eyes).",
            )
        )
    lines.append(
        tr(
            "Les conclusions et les décisions restent celles des personnes responsables.",
            "Conclusions and decisions remain those of the persons responsible.",
        )
    )
    return tuple(lines)


def _disclosure(policy: Policy) -> tuple[str, ...]:
    d = policy.disclosure
    lines: list[str] = []
    if d.label_ai_outputs:
        lines.append(
            tr(
                "Chaque production de l'IA porte une mention : ce que l'IA a fait, le modèle, "
                "la date et la relecture humaine.",
                "Every AI output carries a notice: what the AI did, the model, the date and "
                "the human review.",
            )
        )
    if d.label_even_when_reviewed:
        lines.append(
            tr(
                "La mention reste même quand le texte a été relu et validé.",
                "The notice stays even when the text was reviewed and approved.",
            )
        )
    if d.chatbot_notice:
        lines.append(
            tr(
                "Une personne qui dialogue avec un agent conversationnel est prévenue qu'il "
                "s'agit d'une IA.",
                "People talking with a chatbot are told it is an AI.",
            )
        )
    if d.public_register:
        lines.append(
            tr(
                "Les usages de l'IA sont listés sur une page publique, mise à jour à chaque "
                "nouvel usage.",
                "AI uses are listed on a public page, updated for every new use.",
            )
        )
    return tuple(lines)


def _trainings(session: Session) -> tuple[TrainingOffer, ...]:
    by_module: dict[str, list[float]] = defaultdict(list)
    providers: dict[str, str] = {}
    for view in list_training(session):
        by_module[view.record.module].append(view.record.hours)
        providers.setdefault(view.record.module, view.record.provider)
    offers: list[TrainingOffer] = []
    for module in sorted(by_module):
        hours = max(by_module[module])
        shown = tr("{h} h", "{h} h", h=f"{hours:g}".replace(".", tr(",", ".")))
        provider = providers[module]
        offers.append(
            TrainingOffer(
                title=module,
                audience=tr(
                    "{n} personne(s) formée(s) à ce jour{by}",
                    "{n} person(s) trained so far{by}",
                    n=len(by_module[module]),
                    by=tr(" (organisme : {p})", " (provider: {p})", p=provider) if provider else "",
                ),
                duration=shown,
                # When the next session takes place is not recorded; the provider is no date.
                schedule="",
            )
        )
    return tuple(offers)


_SCOPES: dict[str, tuple[str, str]] = {
    "collectivite": (
        "les agents et les élus de la collectivité, et les prestataires qui travaillent pour "
        "elle sur la participation citoyenne",
        "the staff and elected officials of the local authority, and contractors working for "
        "it on citizen participation",
    ),
    "agence": (
        "les salariés de l'agence et ses sous-traitants, pour toutes les missions de participation",
        "the agency's staff and subcontractors, for every participation assignment",
    ),
    "enquete": (
        "le commissaire enquêteur ou la commission d'enquête et les personnes qui les assistent",
        "the public-inquiry officer or commission and the persons assisting them",
    ),
}


def build_charter_context(
    session: Session, policy: Policy, *, today: date | None = None
) -> CharterContext:
    """The context of both charters, in the policy's language."""
    return in_language(policy.language, lambda: _build(session, policy, today or date.today()))


def _build(session: Session, policy: Policy, today: date) -> CharterContext:
    organisation = main_organisation(session)
    referents = people_with_role(session, RoleName.REFERENT_IA, today)
    if not referents:
        raise InputError(
            tr(
                "Aucun·e référent·e IA n'est désigné·e : la charte doit dire à qui s'adresser.",
                "No AI referent is named: the charter must say whom to ask.",
            ),
            tr(
                "Désignez-le : « garant roles assign PERSONNE referent_ia ».",
                "Name one: 'garant roles assign PERSON referent_ia'.",
            ),
        )
    referent = _person(referents[0], label(RoleName.REFERENT_IA.value))
    dpos = people_with_role(session, RoleName.DPO, today)
    dpo: CharterPerson | None = _person(dpos[0], label(RoleName.DPO.value)) if dpos else None
    if dpo is None and organisation is not None and organisation.dpo_contact:
        dpo = CharterPerson(name=label(RoleName.DPO.value), email=organisation.dpo_contact)
    resource = tuple(
        _person(p, label(RoleName.PERSONNE_RESSOURCE.value))
        for p in people_with_role(session, RoleName.PERSONNE_RESSOURCE, today)
    )
    tools: list[CharterTool] = []
    names: dict[int, str] = {}
    for tool in list_tools(session):
        status, reason = charter_tool_status(policy, tool)
        if status == ToolStatus.RETIRED:
            continue  # out of service: a charter lists the tools agents meet today
        hosting = tool_hosting(tool)
        names[tool.id or 0] = tool.name
        tools.append(
            CharterTool(
                name=tool.name,
                status=status,
                vendor=tool.vendor,
                hosting=hosting_label(hosting),
                data_allowed=_data_allowed(policy, hosting) if status == "approved" else "",
                notes=reason,
            )
        )
    registered = {t.key for t in list_tools(session)}
    for rule in policy.tools.forbidden:
        if rule.key is not None and rule.key not in registered:
            tools.append(CharterTool(name=rule.key, status="forbidden", notes=rule.reason))
    uses = []
    review_roles = ", ".join(label(r.value) for r in policy.human_review.reviewer_roles)
    for view in list_uses(session, UseStatus.APPROVED):
        oversight = view.oversight.full_name if view.oversight else ""
        uses.append(
            CharterUse(
                title=view.use.title,
                purpose=view.use.purpose,
                tools=tuple(t.name for t in view.tools),
                human_oversight=", ".join(
                    part
                    for part in (
                        oversight,
                        tr("relecture : {r}", "review: {r}", r=review_roles),
                    )
                    if part
                ),
            )
        )
    forbidden = tuple(
        CharterForbiddenUse(
            title=use.label,
            reason=(
                f"{use.description} ({', '.join(use.refs)})"
                if use.description and use.refs
                else use.description or ", ".join(use.refs)
            ),
        )
        for use in policy.forbidden_uses
    )
    data_rules = tuple(
        CharterDataRule(
            category=label(rule.category.value),
            rule=(
                ", ".join(hosting_label(h) for h in rule.hosting)
                or tr("aucun traitement par l'IA", "no AI processing")
            )
            + (f" — {rule.note}" if rule.note else ""),
            pseudonymisation_required=rule.pseudonymisation is not Pseudonymisation.NEVER
            and bool(rule.hosting),
        )
        for rule in policy.data
    )
    contact_email = organisation.contact_email if organisation else ""
    public_contact = contact_channel(
        policy.disclosure.contact,
        tr(
            "Toute personne peut demander comment l'IA a été utilisée, obtenir une explication "
            "ou contester un document.",
            "Anyone may ask how AI was used, obtain an explanation or contest a document.",
        ),
        fallback_email=contact_email or referent.email,
    )
    question_channel = ContactChannel(
        description=tr(
            "Écrivez au référent IA en décrivant l'usage envisagé et les données concernées ; "
            "la réponse est consignée (garant arbitration).",
            "Write to the AI referent describing the intended use and the data involved; the "
            "answer is recorded (garant arbitration).",
        ),
        email=referent.email,
    )
    adopted_on = policy.approval.approved_on if policy.approval else None
    review = review_date_of(policy, today)
    if adopted_on is not None and review < adopted_on:
        review = adopted_on
    name = policy.organisation.name or (organisation.name if organisation else "")
    return CharterContext(
        organisation=CharterOrganisation(
            name=name or "—",
            kind=policy.organisation.kind.value,
            address=organisation.address if organisation else "",
            contact_email=contact_email,
        ),
        policy_version=f"v{policy.version}",
        decided_questions=_decided_questions(session),
        review_date=review,
        referent=referent,
        question_channel=question_channel,
        public_contact=public_contact,
        language=policy.language,
        adopted_on=adopted_on,
        scope=tr(*_SCOPES[policy.organisation.kind.value]),
        allowed_uses=tuple(uses),
        forbidden_uses=forbidden,
        tools=tuple(tools),
        data_rules=data_rules,
        pseudonymisation=policy.pseudonymisation.statements(),
        human_review=_human_review(policy),
        disclosure_commitments=_disclosure(policy),
        disclosure_label_reviewed=tr(
            "Ce document a été préparé avec l'assistance d'un outil d'intelligence "
            "artificielle. Il a été relu, vérifié et validé par une personne nommée, qui en "
            "assume la responsabilité éditoriale.",
            "This document was prepared with the assistance of an artificial intelligence "
            "tool. It was reviewed, checked and approved by a named person, who takes "
            "editorial responsibility for it.",
        ),
        disclosure_label_unreviewed=tr(
            "Texte généré par intelligence artificielle.",
            "Text generated by artificial intelligence.",
        ),
        resource_persons=resource,
        dpo=dpo,
        trainings=_trainings(session),
        retention=_retention_text(policy),
    )


def charter_file_name(kind: str, version: int, format: str) -> str:
    """``guide-interne-v3.pdf`` / ``charte-ia-v3.html``: the default output name."""
    stem = "guide-interne" if kind == "internal" else "charte-ia"
    return f"{stem}-v{version}.{format}"


def render_workspace_charter(
    workspace: Workspace,
    kind: str,
    format: str,
    output: Path | None = None,
    *,
    today: date | None = None,
) -> RenderedDocument:
    """Render a charter of the workspace and record its hashes in the ledger (``export``).

    Templates in ``<workspace>/charters/`` override the built-in ones when that folder exists;
    the file goes to ``<workspace>/exports/`` unless ``output`` is given.
    """
    from garant.audit.ledger import append_event, write_head
    from garant.audit.run import ledger_anchor
    from garant.documents import charter_template_name, check_format, render_charter
    from garant.governance.lifecycle import read_policy_file, workspace_policy_file
    from garant.store.engine import unit_of_work

    chosen = check_format(format)
    charter_template_name(kind, "fr")  # checks the kind with a clear error
    from garant.governance.in_force import policy_in_force

    policy_file = read_policy_file(workspace_policy_file(workspace))
    policy = policy_file.policy
    with unit_of_work(workspace.engine) as session:
        context = build_charter_context(session, policy, today=today)
        in_force = policy_in_force(session, policy_file.path)
    if not in_force.file_is_in_force:
        context = context.model_copy(update={"draft": True})
    template_dirs = [workspace.root / "charters"] if (workspace.root / "charters").is_dir() else []
    target = output or workspace.exports_dir / charter_file_name(kind, policy.version, chosen)
    rendered = render_charter(
        kind,  # type: ignore[arg-type]
        context,
        chosen,
        target,
        template_dirs,
    )
    with unit_of_work(workspace.engine) as session:
        append_event(
            session,
            "export",
            {
                "kind": f"charter_{kind}",
                "format": chosen,
                "path": str(rendered.path),
                "sha256": rendered.sha256,
                "content_sha256": rendered.content_sha256,
                "policy": policy.label,
                "policy_sha256": policy_file.sha256,
                "policy_status": policy.status.value,
                "policy_in_force": in_force.file_is_in_force,
            },
        )
    write_head(workspace.engine, ledger_anchor(workspace))
    return rendered


def _decided_questions(session: Session, limit: int = 30) -> tuple[DecidedQuestion, ...]:
    """The latest decided arbitrations, for the internal guide."""
    from garant.domain.enums import ArbitrationStatus
    from garant.governance.arbitration import list_arbitrations

    decided = list_arbitrations(session, ArbitrationStatus.DECIDED)[:limit]
    return tuple(
        DecidedQuestion(
            number=r.id or 0,
            question=r.question,
            decision=r.decision,
            rationale=r.rationale,
            decided_on=r.decided_at.date() if r.decided_at else None,
        )
        for r in decided
    )
