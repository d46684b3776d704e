"""The policy gate: may this analysis run, on this tool, with this data, by this person?

:func:`evaluate_run_request` is a pure function of the policy and a :class:`RunRequest`; the
audited-run wrapper builds the request from the registry (use, tool, operator's roles) and
calls it before any model call. The decision lists *every* refusal (not only the first), each
with a stable rule id and a message naming the rule in French and English, so a refused run
can be recorded and explained completely.

Rule ids:

- ``policy.not_in_force`` — the policy is a draft or superseded;
- ``use.not_registered``, ``use.not_approved``;
- ``tool.forbidden``, ``tool.under_review`` (registry status);
- ``tools.forbidden``, ``tools.not_allowed`` (policy tool rules);
- ``data.undeclared``, ``data.<category>.hosting``, ``data.<category>.pseudonymisation``,
  ``data.<category>.minimum_mode`` (the requested pseudonymisation mode is too weak);
- ``roles.run_analyses`` (or ``roles.run_by_kind.<kind>``);
- ``forbidden_uses.<id>``.

The decision also carries the policy's ``pseudonymisation`` settings, which the audited run
applies while it runs (rule ``data.undeclared_personal_data`` when personal data shows up in a
use declared without any and the policy says ``refuse``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from garant.domain.enums import AccessMode, DataCategory, ToolStatus, UseStatus, label
from garant.errors import PolicyRefusal
from garant.governance.policy.model import (
    Hosting,
    Policy,
    PolicyStatus,
    PseudonymisationMode,
    PseudonymisationSettings,
    ToolRule,
    hosting_label,
)
from garant.i18n import current_language, set_language, tr

__all__ = [
    "EU_COUNTRY_CODES",
    "GateDecision",
    "Refusal",
    "RunRequest",
    "classify_hosting",
    "evaluate_review",
    "evaluate_run_request",
    "may_reidentify",
]

EU_COUNTRY_CODES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "EU",
        "EEA",
        "IS",
        "LI",
        "NO",
    ]
)
"""Region codes counted as inside the EU/EEA (plus "EU"/"EEA" themselves)."""


def classify_hosting(
    *,
    hosted: bool,
    region: str,
    data_leaves_eu: bool = False,
    offline: bool = False,
) -> Hosting:
    """Hosting kind of a tool or model alias from the facts the registry and settings hold.

    ``offline`` is garant's offline provider; ``hosted=False`` a local model; otherwise the
    region decides (``FR`` → France, an EU/EEA code → EU, anything else → outside the EU), and a
    provider whose data leaves the EU is outside the EU whatever its region says.
    """
    if offline:
        return Hosting.OFFLINE
    if not hosted:
        return Hosting.LOCAL
    if data_leaves_eu:
        return Hosting.HOSTED_NON_EU
    code = region.strip().upper()
    if code == "FR":
        return Hosting.HOSTED_FR
    if code in EU_COUNTRY_CODES:
        return Hosting.HOSTED_EU
    return Hosting.HOSTED_NON_EU


@dataclass(frozen=True)
class RunRequest:
    """What the audited-run wrapper knows when an analysis asks to start."""

    use_key: str | None
    """Registered use; ``None`` when the run names no registered use."""
    use_status: UseStatus | str | None
    tool_key: str
    tool_status: ToolStatus | str
    hosting: Hosting
    data_categories: frozenset[str]
    operator: str
    operator_roles: frozenset[str]
    analysis_kind: str
    tool_access_mode: AccessMode | str | None = None
    purposes: frozenset[str] = frozenset()
    """Purposes declared for the use or the run (ids such as ``individual_decision``)."""
    pseudonymisation_available: bool = True
    """Whether the run can pseudonymise text before sending it (e.g. the French model its NER
    needs is installed)."""
    pseudonymisation_mode: PseudonymisationMode | str | None = None
    """The mode the operator asked for (``full``, ``patterns``); ``None`` when not known."""


@dataclass(frozen=True)
class Refusal:
    """One reason to refuse a run: a stable rule id and the message in both languages."""

    rule: str
    message_fr: str
    message_en: str

    @property
    def message(self) -> str:
        return self.message_en if current_language() == "en" else self.message_fr


@dataclass(frozen=True)
class GateDecision:
    policy_id: str
    policy_version: int
    refusals: tuple[Refusal, ...] = ()
    pseudonymisation_required: bool = False
    """Text must be pseudonymised before it reaches the model (decided by the data rules)."""
    pseudonymisation_rules: tuple[str, ...] = field(default=())
    """The data rules that require pseudonymisation (e.g. ``data.personal.pseudonymisation``)."""
    pseudonymisation_settings: PseudonymisationSettings = field(
        default_factory=PseudonymisationSettings
    )
    """The governing policy's ``pseudonymisation`` section (undeclared personal data, public
    office holders), which the audited run applies and the ledger records."""
    note_fr: str = ""
    """Why this policy version governs rather than the file as edited (empty when they agree)."""
    note_en: str = ""

    @property
    def allowed(self) -> bool:
        return not self.refusals

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(refusal.rule for refusal in self.refusals)

    def raise_if_refused(self) -> None:
        """Raise :class:`PolicyRefusal` naming the first rule and listing every reason."""
        if self.allowed:
            return
        reasons = "\n  ".join(f"[{r.rule}] {r.message}" for r in self.refusals)
        message = tr(
            "Exécution refusée par la politique {policy} v{version} :\n  {reasons}",
            "Run refused by policy {policy} v{version}:\n  {reasons}",
            policy=self.policy_id,
            version=self.policy_version,
            reasons=reasons,
        )
        if self.note_fr:
            message += "\n" + tr(self.note_fr, self.note_en)
        raise PolicyRefusal(
            message,
            tr(
                "Demandez au ou à la référent·e IA de revoir l'usage, l'outil ou vos rôles ; "
                "la tentative a été enregistrée.",
                "Ask the AI referent to review the use, the tool or your roles; the attempt "
                "has been recorded.",
            ),
            rule=self.refusals[0].rule,
        )


def _both(fr: str, en: str, /, **values: object) -> tuple[str, str]:
    """The message in both languages, with values labelled in each language."""
    previous = current_language()
    try:
        set_language("fr")
        fr_values = {k: v() if callable(v) else v for k, v in values.items()}
        text_fr = fr.format(**fr_values)
        set_language("en")
        en_values = {k: v() if callable(v) else v for k, v in values.items()}
        text_en = en.format(**en_values)
    finally:
        set_language(previous)
    return text_fr, text_en


def _refusal(rule: str, fr: str, en: str, /, **values: object) -> Refusal:
    text_fr, text_en = _both(fr, en, **values)
    return Refusal(rule, text_fr, text_en)


def _matches(rule: ToolRule, key: str, access_mode: str | None) -> bool:
    if rule.key is not None:
        return rule.key == key
    return access_mode is not None and rule.access_mode == access_mode


def _tool_refusals(policy: Policy, request: RunRequest) -> list[Refusal]:
    refusals: list[Refusal] = []
    status = str(request.tool_status)
    if status == ToolStatus.FORBIDDEN:
        refusals.append(
            _refusal(
                "tool.forbidden",
                "Règle tool.forbidden : l'outil « {tool} » est interdit au registre.",
                "Rule tool.forbidden: tool '{tool}' is forbidden in the registry.",
                tool=request.tool_key,
            )
        )
    elif status == ToolStatus.UNDER_REVIEW:
        refusals.append(
            _refusal(
                "tool.under_review",
                "Règle tool.under_review : l'outil « {tool} » est en cours d'examen, il ne peut "
                "pas encore servir.",
                "Rule tool.under_review: tool '{tool}' is under review and cannot be used yet.",
                tool=request.tool_key,
            )
        )
    elif status == ToolStatus.RETIRED:
        refusals.append(
            _refusal(
                "tool.retired",
                "Règle tool.retired : l'outil « {tool} » est retiré du service, il ne peut plus "
                "servir.",
                "Rule tool.retired: tool '{tool}' is retired and can no longer be used.",
                tool=request.tool_key,
            )
        )
    elif status != ToolStatus.APPROVED:
        refusals.append(
            _refusal(
                "tool.not_approved",
                "Règle tool.not_approved : l'outil « {tool} » a un statut inconnu ({status}).",
                "Rule tool.not_approved: tool '{tool}' has an unknown status ({status}).",
                tool=request.tool_key,
                status=status,
            )
        )
    mode = str(request.tool_access_mode) if request.tool_access_mode is not None else None
    rules = policy.tools
    # A rule naming the tool by key wins over a rule on its whole access mode.
    by_key_forbidden = [
        r for r in rules.forbidden if r.key is not None and _matches(r, request.tool_key, mode)
    ]
    by_key_allowed = [
        r for r in rules.allowed if r.key is not None and _matches(r, request.tool_key, mode)
    ]
    by_mode_forbidden = [
        r for r in rules.forbidden if r.key is None and _matches(r, request.tool_key, mode)
    ]
    by_mode_allowed = [
        r for r in rules.allowed if r.key is None and _matches(r, request.tool_key, mode)
    ]
    forbidding: ToolRule | None = None
    if by_key_forbidden:
        forbidding = by_key_forbidden[0]
    elif not by_key_allowed and by_mode_forbidden:
        forbidding = by_mode_forbidden[0]
    if forbidding is not None:
        reason = f" ({forbidding.reason})" if forbidding.reason else ""
        refusals.append(
            _refusal(
                "tools.forbidden",
                "Règle tools.forbidden ({target}) : la politique interdit l'outil « {tool} »"
                "{reason}.",
                "Rule tools.forbidden ({target}): the policy forbids tool '{tool}'{reason}.",
                target=forbidding.described,
                tool=request.tool_key,
                reason=reason,
            )
        )
    elif not by_key_allowed and not by_mode_allowed and rules.unlisted == "refuse":
        refusals.append(
            _refusal(
                "tools.not_allowed",
                "Règle tools.not_allowed : l'outil « {tool} » ne figure pas parmi les outils "
                "autorisés par la politique.",
                "Rule tools.not_allowed: tool '{tool}' is not among the tools the policy allows.",
                tool=request.tool_key,
            )
        )
    return refusals


def _data_refusals(policy: Policy, request: RunRequest) -> tuple[list[Refusal], list[str]]:
    refusals: list[Refusal] = []
    pseudonymising: list[str] = []
    if not request.data_categories:
        refusals.append(
            _refusal(
                "data.undeclared",
                "Règle data.undeclared : l'usage ne déclare pas ses catégories de données.",
                "Rule data.undeclared: the use does not declare its data categories.",
            )
        )
        return refusals, pseudonymising
    for raw in sorted(request.data_categories):
        try:
            category = DataCategory(raw)
        except ValueError:
            refusals.append(
                _refusal(
                    "data.undeclared",
                    "Règle data.undeclared : catégorie de données inconnue « {cat} ».",
                    "Rule data.undeclared: unknown data category '{cat}'.",
                    cat=raw,
                )
            )
            continue
        rule = policy.data_rule(category)
        if request.hosting not in rule.hosting:
            allowed = [h.value for h in rule.hosting]
            refusals.append(
                _refusal(
                    f"data.{category.value}.hosting",
                    "Règle data.{cat}.hosting : les {cat_label} ne peuvent pas être envoyées à "
                    "un outil {hosting} (autorisé : {allowed}).",
                    "Rule data.{cat}.hosting: {cat_label} may not be sent to a tool "
                    "{hosting} (allowed: {allowed}).",
                    cat=category.value,
                    cat_label=lambda c=category: label(c.value),
                    hosting=lambda: hosting_label(request.hosting),
                    allowed=", ".join(allowed) if allowed else "—",
                )
            )
            continue
        if rule.requires_pseudonymisation(request.hosting):
            rule_id = f"data.{category.value}.pseudonymisation"
            pseudonymising.append(rule_id)
            if not request.pseudonymisation_available:
                refusals.append(
                    _refusal(
                        rule_id,
                        "Règle {rule} : les {cat_label} doivent être pseudonymisées avant "
                        "l'envoi, et la pseudonymisation n'est pas disponible.",
                        "Rule {rule}: {cat_label} must be pseudonymised before sending, and "
                        "pseudonymisation is not available.",
                        rule=rule_id,
                        cat_label=lambda c=category: label(c.value),
                    )
                )
        weak = _mode_refusal(rule.required_mode(request.hosting), request, category)
        if weak is not None:
            refusals.append(weak)
    return refusals, pseudonymising


def _mode_refusal(
    required: PseudonymisationMode | None, request: RunRequest, category: DataCategory
) -> Refusal | None:
    """``data.<category>.minimum_mode``: the requested mode is weaker than the policy's."""
    if required is None or request.pseudonymisation_mode is None:
        return None
    try:
        asked = PseudonymisationMode(str(request.pseudonymisation_mode))
    except ValueError:
        asked = PseudonymisationMode.PATTERNS  # unknown mode: count it as the weakest
    if asked.strength >= required.strength:
        return None
    rule_id = f"data.{category.value}.minimum_mode"
    return _refusal(
        rule_id,
        "Règle {rule} : vers un outil {hosting}, les {cat_label} exigent la pseudonymisation "
        "« {required} » au moins (demandée : « {asked} »).",
        "Rule {rule}: towards a tool {hosting}, {cat_label} require pseudonymisation "
        "'{required}' at least (requested: '{asked}').",
        rule=rule_id,
        hosting=lambda: hosting_label(request.hosting),
        cat_label=lambda: label(category.value),
        required=required.value,
        asked=str(request.pseudonymisation_mode),
    )


def evaluate_run_request(policy: Policy, request: RunRequest) -> GateDecision:
    """Decide whether ``request`` may run under ``policy``; list every reason to refuse."""
    refusals: list[Refusal] = []
    if policy.status not in {PolicyStatus.APPROVED, PolicyStatus.PUBLISHED}:
        refusals.append(
            _refusal(
                "policy.not_in_force",
                "Règle policy.not_in_force : la politique {policy} est au statut « {status} » ; "
                "seule une version approuvée ou publiée autorise des exécutions.",
                "Rule policy.not_in_force: policy {policy} has status '{status}'; only an "
                "approved or published version allows runs.",
                policy=policy.label,
                status=str(policy.status),
            )
        )
    if request.use_key is None:
        refusals.append(
            _refusal(
                "use.not_registered",
                "Règle use.not_registered : l'analyse ne se rattache à aucun usage déclaré au "
                "registre.",
                "Rule use.not_registered: the analysis is not attached to any registered use.",
            )
        )
    elif str(request.use_status) != UseStatus.APPROVED:
        refusals.append(
            _refusal(
                "use.not_approved",
                "Règle use.not_approved : l'usage « {use} » est au statut « {status} », pas "
                "« approuvé ».",
                "Rule use.not_approved: use '{use}' has status '{status}', not 'approved'.",
                use=request.use_key,
                status=lambda: label(str(request.use_status)),
            )
        )
    refusals.extend(_tool_refusals(policy, request))
    data_refusals, pseudonymising = _data_refusals(policy, request)
    refusals.extend(data_refusals)

    allowed_roles = policy.roles.for_kind(request.analysis_kind)
    if not {role.value for role in allowed_roles} & set(request.operator_roles):
        rule_id = (
            f"roles.run_by_kind.{request.analysis_kind}"
            if request.analysis_kind in policy.roles.run_by_kind
            else "roles.run_analyses"
        )
        refusals.append(
            _refusal(
                rule_id,
                "Règle {rule} : {operator} n'a aucun des rôles autorisés à lancer « {kind} » "
                "({roles}).",
                "Rule {rule}: {operator} holds none of the roles allowed to run '{kind}' "
                "({roles}).",
                rule=rule_id,
                operator=request.operator,
                kind=request.analysis_kind,
                roles=lambda: ", ".join(label(r.value) for r in allowed_roles),
            )
        )
    forbidden = {use.id: use for use in policy.forbidden_uses}
    for purpose in sorted(request.purposes):
        if purpose in forbidden:
            use = forbidden[purpose]
            refusals.append(
                _refusal(
                    f"forbidden_uses.{purpose}",
                    "Règle forbidden_uses.{id} : usage interdit par la politique — {label}.",
                    "Rule forbidden_uses.{id}: use forbidden by the policy — {label}.",
                    id=purpose,
                    label=use.label,
                )
            )
    note_fr, note_en = policy.governing_note or ("", "")
    return GateDecision(
        policy_id=policy.id,
        policy_version=policy.version,
        refusals=tuple(refusals),
        pseudonymisation_required=bool(pseudonymising),
        pseudonymisation_rules=tuple(pseudonymising),
        pseudonymisation_settings=policy.pseudonymisation,
        note_fr=note_fr,
        note_en=note_en,
    )


def evaluate_review(
    policy: Policy, *, reviewer: str, reviewer_roles: frozenset[str], operator: str
) -> GateDecision:
    """May ``reviewer`` approve or reject the output of a run launched by ``operator``?

    Rules: ``human_review.reviewer_roles`` (the reviewer holds an allowed role) and
    ``human_review.distinct_from_operator`` (four eyes, unless the policy lifts it — a
    commissaire enquêteur works alone).
    """
    refusals: list[Refusal] = []
    allowed_roles = policy.human_review.reviewer_roles
    if not {role.value for role in allowed_roles} & set(reviewer_roles):
        refusals.append(
            _refusal(
                "human_review.reviewer_roles",
                "Règle human_review.reviewer_roles : {who} n'a aucun des rôles habilités à "
                "relire ({roles}).",
                "Rule human_review.reviewer_roles: {who} holds none of the roles allowed to "
                "review ({roles}).",
                who=reviewer,
                roles=lambda: ", ".join(label(r.value) for r in allowed_roles),
            )
        )
    if policy.human_review.distinct_from_operator and reviewer == operator:
        refusals.append(
            _refusal(
                "human_review.distinct_from_operator",
                "Règle human_review.distinct_from_operator : {who} a lancé l'analyse et ne peut "
                "pas la relire soi-même.",
                "Rule human_review.distinct_from_operator: {who} ran the analysis and cannot "
                "review it themselves.",
                who=reviewer,
            )
        )
    return GateDecision(
        policy_id=policy.id, policy_version=policy.version, refusals=tuple(refusals)
    )


def may_reidentify(policy: Policy, roles: frozenset[str]) -> bool:
    """Whether a person holding ``roles`` may re-identify pseudonyms (``roles.reidentify``)."""
    return bool({role.value for role in policy.roles.reidentify} & set(roles))
