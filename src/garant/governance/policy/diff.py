"""A readable diff of two policy versions, rule by rule (not a diff of YAML text).

Each policy is flattened into named rules (``data.personal.hosting``, ``tools.forbidden
[key:chatgpt]``, ``roles.approve_policy``…); two versions are compared rule by rule and every
difference becomes a :class:`RuleChange`. Lists that are sets in meaning (allowed hostings,
roles) report the elements added and removed; reordering a list or reformatting the file
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from garant.domain.enums import label
from garant.governance.policy.model import Policy, hosting_label
from garant.i18n import format_date, tr

__all__ = ["ChangeKind", "RuleChange", "diff_policies", "render_diff"]


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


Value = str | int | bool | date | frozenset[str] | None


@dataclass(frozen=True)
class RuleChange:
    """One rule that differs between two policy versions."""

    rule: str
    kind: ChangeKind
    before: Value
    after: Value

    @property
    def added_items(self) -> tuple[str, ...]:
        """For set-valued rules: the elements present only after."""
        if isinstance(self.before, frozenset) or isinstance(self.after, frozenset):
            before = self.before if isinstance(self.before, frozenset) else frozenset()
            after = self.after if isinstance(self.after, frozenset) else frozenset()
            return tuple(sorted(after - before))
        return ()

    @property
    def removed_items(self) -> tuple[str, ...]:
        if isinstance(self.before, frozenset) or isinstance(self.after, frozenset):
            before = self.before if isinstance(self.before, frozenset) else frozenset()
            after = self.after if isinstance(self.after, frozenset) else frozenset()
            return tuple(sorted(before - after))
        return ()

    def describe(self) -> str:
        """One line in the current language, e.g. ``Données personnelles — hébergement : …``."""
        title = rule_title(self.rule)
        if isinstance(self.before, frozenset) or isinstance(self.after, frozenset):
            parts: list[str] = []
            render = _item_renderer(self.rule)
            if self.added_items:
                parts.append(
                    tr("ajouté : {items}", "added: {items}", items=_join(self.added_items, render))
                )
            if self.removed_items:
                parts.append(
                    tr(
                        "retiré : {items}",
                        "removed: {items}",
                        items=_join(self.removed_items, render),
                    )
                )
            return f"{title} — " + " ; ".join(parts)
        if self.kind is ChangeKind.ADDED:
            return tr(
                "{title} — nouvelle règle : {after}",
                "{title} — new rule: {after}",
                title=title,
                after=_render(self.after, self.rule),
            )
        if self.kind is ChangeKind.REMOVED:
            return tr(
                "{title} — règle supprimée (était : {before})",
                "{title} — rule removed (was: {before})",
                title=title,
                before=_render(self.before, self.rule),
            )
        return tr(
            "{title} — {before} → {after}",
            "{title} — {before} → {after}",
            title=title,
            before=_render(self.before, self.rule),
            after=_render(self.after, self.rule),
        )


def _join(items: tuple[str, ...], render: Callable[[str], str]) -> str:
    return ", ".join(f"« {render(i)} »" if render is not str else i for i in items)


_VALUE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "pseudonymisation.undeclared_personal_data": {
        "pseudonymise": ("pseudonymisées et notées au registre", "pseudonymised and recorded"),
        "refuse": ("exécution refusée", "run refused"),
    },
}


def _render(value: Value, rule: str = "") -> str:
    if isinstance(value, str) and value in _VALUE_LABELS.get(rule, {}):
        return tr(*_VALUE_LABELS[rule][value])
    if value is None:
        return "—"
    if isinstance(value, bool):
        return tr("oui", "yes") if value else tr("non", "no")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, frozenset):
        return ", ".join(sorted(value)) or "—"
    text = str(value)
    return text if text else tr("(vide)", "(empty)")


def _item_renderer(rule: str) -> Callable[[str], str]:
    if rule.endswith(".hosting"):
        return hosting_label
    if rule.startswith("roles.") or rule == "human_review.reviewer_roles":
        return label
    return str


_SIMPLE_TITLES: dict[str, tuple[str, str]] = {
    "meta.title": ("Titre", "Title"),
    "meta.status": ("Statut", "Status"),
    "meta.organisation": ("Organisation", "Organisation"),
    "meta.summary": ("Résumé", "Summary"),
    "tools.unlisted": ("Outils non listés", "Unlisted tools"),
    "human_review.required_before_publication": (
        "Relecture humaine obligatoire avant publication",
        "Human review required before publication",
    ),
    "human_review.reviewer_roles": ("Rôles habilités à relire", "Roles allowed to review"),
    "human_review.distinct_from_operator": (
        "Relecteur distinct de l'opérateur",
        "Reviewer distinct from the operator",
    ),
    "disclosure.label_ai_outputs": (
        "Mention sur chaque production de l'IA",
        "Label on every AI output",
    ),
    "disclosure.label_even_when_reviewed": (
        "Mention maintenue même après relecture",
        "Label kept even after review",
    ),
    "disclosure.chatbot_notice": ("Avertissement des agents conversationnels", "Chatbot notice"),
    "disclosure.public_register": ("Publication au registre public", "Public register"),
    "disclosure.contact": ("Contact pour le public", "Contact for the public"),
    "pseudonymisation.undeclared_personal_data": (
        "Données personnelles non déclarées pour l'usage",
        "Personal data not declared for the use",
    ),
    "pseudonymisation.keep_public_office_holders": (
        "Noms des responsables publics laissés lisibles",
        "Public office holders' names left readable",
    ),
    "retention.run_records_months": (
        "Conservation des traces d'exécution (mois)",
        "Retention of run records (months)",
    ),
    "retention.inputs_months": ("Conservation des entrées (mois)", "Retention of inputs (months)"),
    "retention.outputs_months": (
        "Conservation des productions (mois)",
        "Retention of outputs (months)",
    ),
    "retention.pseudonym_mappings_months": (
        "Conservation des tables de pseudonymes (mois)",
        "Retention of pseudonym tables (months)",
    ),
    "retention.note": ("Note sur la conservation", "Retention note"),
    "review.every_months": ("Révision tous les (mois)", "Review every (months)"),
    "review.next_review": ("Prochaine révision", "Next review"),
    "roles.run_analyses": (
        "Rôles habilités à lancer des analyses",
        "Roles allowed to run analyses",
    ),
    "roles.reidentify": (
        "Rôles habilités à ré-identifier les pseudonymes",
        "Roles allowed to re-identify pseudonyms",
    ),
    "roles.approve_policy": (
        "Rôles habilités à approuver la politique",
        "Roles allowed to approve the policy",
    ),
}


def rule_title(rule: str) -> str:
    """Human title of a flattened rule id in the current language."""
    if rule in _SIMPLE_TITLES:
        return tr(*_SIMPLE_TITLES[rule])
    if rule.startswith("tools.allowed["):
        return tr("Outil autorisé {t}", "Allowed tool {t}", t=rule[len("tools.allowed") :])
    if rule.startswith("tools.forbidden["):
        return tr("Outil interdit {t}", "Forbidden tool {t}", t=rule[len("tools.forbidden") :])
    if rule.startswith("data."):
        _, category, aspect = rule.split(".", 2)
        aspect_label = {
            "hosting": tr("hébergements autorisés", "allowed hostings"),
            "pseudonymisation": tr("pseudonymisation", "pseudonymisation"),
            "minimum_mode": tr("mode de pseudonymisation minimal", "minimum pseudonymisation mode"),
            "note": tr("note", "note"),
        }.get(aspect, aspect)
        return f"{label(category).capitalize()} — {aspect_label}"
    if rule.startswith("forbidden_uses."):
        return tr("Usage interdit « {id} »", "Forbidden use '{id}'", id=rule.split(".", 1)[1])
    if rule.startswith("roles.run_by_kind."):
        return tr(
            "Rôles habilités à lancer « {kind} »",
            "Roles allowed to run '{kind}'",
            kind=rule.rsplit(".", 1)[1],
        )
    return rule


def _flatten(policy: Policy) -> dict[str, Value]:
    rules: dict[str, Value] = {
        "meta.title": policy.title,
        "meta.status": policy.status.value,
        "meta.organisation": f"{policy.organisation.kind.value} {policy.organisation.name}".strip(),
        "meta.summary": policy.summary,
        "tools.unlisted": policy.tools.unlisted,
    }
    for rule in policy.tools.allowed:
        rules[f"tools.allowed[{rule.target}]"] = rule.reason
    for rule in policy.tools.forbidden:
        rules[f"tools.forbidden[{rule.target}]"] = rule.reason
    for data_rule in policy.data:
        prefix = f"data.{data_rule.category.value}"
        rules[f"{prefix}.hosting"] = frozenset(h.value for h in data_rule.hosting)
        rules[f"{prefix}.pseudonymisation"] = data_rule.pseudonymisation.value
        if data_rule.minimum_mode:
            rules[f"{prefix}.minimum_mode"] = ", ".join(
                f"{h.value}: {m.value}" for h, m in sorted(data_rule.minimum_mode.items())
            )
        rules[f"{prefix}.note"] = data_rule.note
    for use in policy.forbidden_uses:
        rules[f"forbidden_uses.{use.id}"] = (
            f"{use.label} — {use.description}" if use.description else use.label
        )
    review = policy.human_review
    rules["human_review.required_before_publication"] = review.required_before_publication
    rules["human_review.reviewer_roles"] = frozenset(r.value for r in review.reviewer_roles)
    rules["human_review.distinct_from_operator"] = review.distinct_from_operator
    for name, value in policy.disclosure.model_dump().items():
        rules[f"disclosure.{name}"] = value
    for name, value in policy.pseudonymisation.model_dump().items():
        rules[f"pseudonymisation.{name}"] = value
    for name, value in policy.retention.model_dump().items():
        rules[f"retention.{name}"] = value
    rules["review.every_months"] = policy.review.every_months
    rules["review.next_review"] = policy.review.next_review
    rules["roles.run_analyses"] = frozenset(r.value for r in policy.roles.run_analyses)
    for kind, roles in policy.roles.run_by_kind.items():
        rules[f"roles.run_by_kind.{kind}"] = frozenset(r.value for r in roles)
    rules["roles.approve_policy"] = frozenset(r.value for r in policy.roles.approve_policy)
    rules["roles.reidentify"] = frozenset(r.value for r in policy.roles.reidentify)
    return rules


def diff_policies(before: Policy, after: Policy) -> list[RuleChange]:
    """Rules added, removed or changed from ``before`` to ``after``, in a stable order."""
    old, new = _flatten(before), _flatten(after)
    changes: list[RuleChange] = []
    for rule in [*old, *(r for r in new if r not in old)]:
        if rule not in new:
            changes.append(RuleChange(rule, ChangeKind.REMOVED, old[rule], None))
        elif rule not in old:
            changes.append(RuleChange(rule, ChangeKind.ADDED, None, new[rule]))
        elif old[rule] != new[rule]:
            changes.append(RuleChange(rule, ChangeKind.CHANGED, old[rule], new[rule]))
    return changes


def render_diff(before: Policy, after: Policy, changes: list[RuleChange] | None = None) -> str:
    """The diff as text for people, in the current language (French by default)."""
    changes = diff_policies(before, after) if changes is None else changes
    header = tr(
        "Changements de {a} à {b} : {n} règle(s)",
        "Changes from {a} to {b}: {n} rule(s)",
        a=before.label,
        b=after.label,
        n=len(changes),
    )
    if not changes:
        return header + "\n" + tr("  Aucune règle ne change.", "  No rule changes.")
    symbols = {ChangeKind.ADDED: "+", ChangeKind.REMOVED: "-", ChangeKind.CHANGED: "~"}
    lines = [header]
    lines.extend(f"  {symbols[c.kind]} {c.describe()}" for c in changes)
    return "\n".join(lines)
