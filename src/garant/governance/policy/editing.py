"""Change a policy file's status, version or approval without losing its comments, and show it.

The lifecycle (draft → approved → published → superseded) is recorded in the store by the
CLI; these helpers keep the YAML file in step. They edit the top-level lines in place — the
referent's comments and layout stay — and re-validate the result before returning it.
"""

from __future__ import annotations

import json

from garant.domain.enums import label
from garant.errors import ConflictError
from garant.governance.policy.loading import parse_policy
from garant.governance.policy.model import (
    Approval,
    Policy,
    PolicyStatus,
    Pseudonymisation,
    hosting_label,
)
from garant.governance.policy.yamlsource import parse_yaml_document
from garant.i18n import format_date, tr

__all__ = ["ALLOWED_TRANSITIONS", "check_transition", "render_policy", "set_policy_fields"]

ALLOWED_TRANSITIONS: dict[PolicyStatus, frozenset[PolicyStatus]] = {
    PolicyStatus.DRAFT: frozenset({PolicyStatus.APPROVED}),
    PolicyStatus.APPROVED: frozenset({PolicyStatus.PUBLISHED, PolicyStatus.SUPERSEDED}),
    PolicyStatus.PUBLISHED: frozenset({PolicyStatus.SUPERSEDED}),
    PolicyStatus.SUPERSEDED: frozenset(),
}


def check_transition(current: PolicyStatus, wanted: PolicyStatus) -> None:
    """Raise :class:`ConflictError` unless ``current → wanted`` is a lifecycle step."""
    if wanted not in ALLOWED_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in ALLOWED_TRANSITIONS[current])) or "—"
        raise ConflictError(
            tr(
                "Une politique au statut « {current} » ne peut pas passer à « {wanted} ».",
                "A policy with status '{current}' cannot move to '{wanted}'.",
                current=current.value,
                wanted=wanted.value,
            ),
            tr(
                "Étapes possibles depuis ce statut : {allowed}. Pour changer une politique "
                "approuvée, créez une nouvelle version (brouillon).",
                "Possible steps from this status: {allowed}. To change an approved policy, "
                "create a new version (draft).",
                allowed=allowed,
            ),
        )


def _top_level_lines(text: str, source: str) -> dict[str, int]:
    document = parse_yaml_document(text, source)
    return {
        str(path[0]): line
        for path, line in document.lines.lines.items()
        if len(path) == 1 and isinstance(path[0], str)
    }


def _approval_block(approval: Approval) -> list[str]:
    return [
        "approval:",
        f"  approved_by: {json.dumps(approval.approved_by, ensure_ascii=False)}",
        f"  role: {approval.role.value}",
        f"  approved_on: {approval.approved_on.isoformat()}",
    ]


def set_policy_fields(
    text: str,
    source: str,
    *,
    status: PolicyStatus | None = None,
    version: int | None = None,
    approval: Approval | None = None,
    clear_approval: bool = False,
) -> tuple[str, Policy]:
    """Return the file text with ``status``/``version``/``approval`` set, and the new policy.

    A new version (``version=N+1, status=draft, clear_approval=True``) starts from the
    previous file; an approval sets ``status=approved`` and the ``approval`` block.
    """
    lines = text.splitlines()
    keys = _top_level_lines(text, source)
    for key, value in (("status", status.value if status else None), ("version", version)):
        if value is None:
            continue
        if key in keys:
            index = keys[key] - 1
            comment = ""
            if " #" in lines[index]:
                comment = "  #" + lines[index].split(" #", 1)[1]
            lines[index] = f"{key}: {value}{comment}"
        else:
            lines.insert(0, f"{key}: {value}")
            keys = {k: v + 1 for k, v in keys.items()}
    if approval is not None or clear_approval:
        if "approval" in keys:
            start = keys["approval"] - 1
            later = [line - 1 for k, line in keys.items() if line - 1 > start]
            end = min(later) if later else len(lines)
            del lines[start:end]
        if approval is not None:
            while lines and not lines[-1].strip():
                lines.pop()
            lines.extend(["", *_approval_block(approval)])
    new_text = "\n".join(lines) + "\n"
    return new_text, parse_policy(new_text, source)


_STATUS_LABELS: dict[PolicyStatus, tuple[str, str]] = {
    PolicyStatus.DRAFT: ("brouillon", "draft"),
    PolicyStatus.APPROVED: ("approuvée", "approved"),
    PolicyStatus.PUBLISHED: ("publiée", "published"),
    PolicyStatus.SUPERSEDED: ("remplacée", "superseded"),
}


def render_policy(policy: Policy) -> str:
    """The policy's rules as readable text (``garant policy show``), in the current language."""
    yes, no = tr("oui", "yes"), tr("non", "no")
    out = [
        f"{policy.title} — {policy.label} ({tr(*_STATUS_LABELS[PolicyStatus(policy.status)])})",
        tr(
            "Organisation : {kind} {name}",
            "Organisation: {kind} {name}",
            kind=label(policy.organisation.kind.value),
            name=policy.organisation.name,
        ).rstrip(),
    ]
    if policy.approval is not None:
        out.append(
            tr(
                "Approuvée par {who} ({role}) le {day}",
                "Approved by {who} ({role}) on {day}",
                who=policy.approval.approved_by,
                role=label(policy.approval.role.value),
                day=format_date(policy.approval.approved_on),
            )
        )
    if policy.summary:
        out += ["", policy.summary]
    out += ["", tr("Outils autorisés :", "Allowed tools:")]
    out += [f"  + {r.target}{' — ' + r.reason if r.reason else ''}" for r in policy.tools.allowed]
    out += [tr("Outils interdits :", "Forbidden tools:")]
    out += [f"  - {r.target}{' — ' + r.reason if r.reason else ''}" for r in policy.tools.forbidden]
    out.append(
        tr(
            "Outil non listé : {x}",
            "Unlisted tool: {x}",
            x=tr("refusé", "refused")
            if policy.tools.unlisted == "refuse"
            else tr("autorisé", "allowed"),
        )
    )
    out += ["", tr("Données :", "Data:")]
    pseudo = {
        Pseudonymisation.ALWAYS: tr("toujours pseudonymisées", "always pseudonymised"),
        Pseudonymisation.WHEN_HOSTED: tr(
            "pseudonymisées si le modèle est hébergé", "pseudonymised when the model is hosted"
        ),
        Pseudonymisation.NEVER: tr("sans pseudonymisation", "no pseudonymisation"),
    }
    for rule in policy.data:
        where = ", ".join(hosting_label(h) for h in rule.hosting) or tr(
            "aucun traitement par IA", "no AI processing"
        )
        line = f"  {label(rule.category.value)} : {where} ; {pseudo[rule.pseudonymisation]}"
        hosted = [h for h in rule.hosting if rule.required_mode(h) is not None]
        if hosted:
            line += tr(" (mode minimal : {modes})", " (minimum mode: {modes})").format(
                modes=", ".join(f"{hosting_label(h)} → {rule.required_mode(h)}" for h in hosted)
            )
        out.append(line)
    out += ["", tr("Pseudonymisation :", "Pseudonymisation:")]
    out += [f"  {sentence}" for sentence in policy.pseudonymisation.statements()]
    out += ["", tr("Usages interdits :", "Forbidden uses:")]
    out += [f"  - {use.label} [{use.id}]" for use in policy.forbidden_uses]
    review = policy.human_review
    out += [
        "",
        tr(
            "Relecture humaine avant publication : {x} ({roles})",
            "Human review before publication: {x} ({roles})",
            x=yes if review.required_before_publication else no,
            roles=", ".join(label(r.value) for r in review.reviewer_roles),
        ),
        tr(
            "Mention « IA » sur chaque production : {x}",
            "AI label on every output: {x}",
            x=yes if policy.disclosure.label_ai_outputs else no,
        ),
        tr(
            "Conservation : traces {a} mois, entrées {b} mois, productions {c} mois, pseudonymes {d} mois",
            "Retention: records {a} months, inputs {b} months, outputs {c} months, pseudonyms {d} months",
            a=policy.retention.run_records_months,
            b=policy.retention.inputs_months,
            c=policy.retention.outputs_months,
            d=policy.retention.pseudonym_mappings_months,
        ),
        tr(
            "Révision tous les {n} mois ; prochaine : {day}",
            "Review every {n} months; next: {day}",
            n=policy.review.every_months,
            day=format_date(policy.review.next_review),
        ),
        tr(
            "Lancer des analyses : {roles}",
            "Run analyses: {roles}",
            roles=", ".join(label(r.value) for r in policy.roles.run_analyses),
        ),
    ]
    for kind, roles in policy.roles.run_by_kind.items():
        out.append(f"  {kind} : {', '.join(label(r.value) for r in roles)}")
    out.append(
        tr(
            "Approuver la politique : {roles}",
            "Approve the policy: {roles}",
            roles=", ".join(label(r.value) for r in policy.roles.approve_policy),
        )
    )
    out.append(
        tr(
            "Ré-identifier les pseudonymes : {roles}",
            "Re-identify pseudonyms: {roles}",
            roles=", ".join(label(r.value) for r in policy.roles.reidentify),
        )
    )
    return "\n".join(out)
