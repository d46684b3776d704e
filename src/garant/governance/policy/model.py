"""The usage policy of a workspace, as Pydantic models of its YAML file.

A policy says which AI tools may be used, which data may go to which kind of hosting (and
whether it must be pseudonymised first), which uses are forbidden, who reviews before
publication, how AI outputs are disclosed, how long records are kept, when the policy is
reviewed, and which roles may run analyses or approve the policy. Field names and vocabulary
values are stable English identifiers; every text meant for people (title, reasons, labels) is
written in the policy's language, French by default.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from garant.domain.enums import (
    PERSONAL_DATA_CATEGORIES,
    AccessMode,
    DataCategory,
    OrganisationKind,
    RoleName,
)
from garant.i18n import tr

__all__ = [
    "ANALYSIS_KINDS",
    "Approval",
    "DataRule",
    "Disclosure",
    "ForbiddenUse",
    "Hosting",
    "HumanReview",
    "OrganisationRef",
    "Policy",
    "PolicyStatus",
    "Pseudonymisation",
    "PseudonymisationSettings",
    "Retention",
    "ReviewCadence",
    "Roles",
    "ToolRule",
    "ToolRules",
    "UsePurpose",
    "hosting_label",
    "purpose_label",
]

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", min_length=1, max_length=120)]

ANALYSIS_KINDS: tuple[str, ...] = ("ask", "synthesis", "transcription", "sortition")
"""Analysis kinds known to garant; a policy may restrict roles per kind (``roles.run_by_kind``)."""


class PolicyStatus(StrEnum):
    """Lifecycle of a policy version: draft → approved → published → superseded."""

    DRAFT = "draft"
    APPROVED = "approved"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class Hosting(StrEnum):
    """Where the text sent to a model is processed."""

    OFFLINE = "offline"
    """garant's offline provider: no model, nothing leaves the process."""
    LOCAL = "local"
    """A model on the organisation's own machine or servers (Ollama, open weights)."""
    HOSTED_FR = "hosted_fr"
    """A provider processing data in France (e.g. Albert, a French SecNumCloud host)."""
    HOSTED_EU = "hosted_eu"
    """A provider processing data in the EU/EEA, data not leaving it."""
    HOSTED_NON_EU = "hosted_non_eu"
    """A provider whose processing or access may take data outside the EU."""

    @property
    def is_hosted(self) -> bool:
        return self in {Hosting.HOSTED_FR, Hosting.HOSTED_EU, Hosting.HOSTED_NON_EU}


_HOSTING_LABELS: dict[Hosting, tuple[str, str]] = {
    Hosting.OFFLINE: ("hors ligne (aucun modèle)", "offline (no model)"),
    Hosting.LOCAL: ("modèle local", "local model"),
    Hosting.HOSTED_FR: ("hébergé en France", "hosted in France"),
    Hosting.HOSTED_EU: ("hébergé dans l'UE", "hosted in the EU"),
    Hosting.HOSTED_NON_EU: ("hébergé hors UE", "hosted outside the EU"),
}


def hosting_label(hosting: Hosting | str) -> str:
    """Label of a hosting kind in the current language."""
    return tr(*_HOSTING_LABELS[Hosting(hosting)])


class Pseudonymisation(StrEnum):
    """When text of a data category must be pseudonymised before it reaches a model."""

    ALWAYS = "always"
    WHEN_HOSTED = "when_hosted"
    NEVER = "never"


class PseudonymisationMode(StrEnum):
    """How thoroughly text is pseudonymised (the modes of :mod:`garant.privacy`), weakest first."""

    PATTERNS = "patterns"
    """Patterns only (e-mails, phones, NIR…): names written in running text may pass through."""
    FULL = "full"
    """Patterns and the French language model (names, places, organisations)."""

    @property
    def strength(self) -> int:
        return list(PseudonymisationMode).index(self)


class UsePurpose(StrEnum):
    """Purposes the field has flagged as sensitive; forbidden uses usually name these ids."""

    INDIVIDUAL_DECISION = "individual_decision"
    LIVE_MODERATION_WITHOUT_HUMAN = "live_moderation_without_human"
    REPLACE_HUMAN_RESTITUTION = "replace_human_restitution"
    INQUIRY_CONCLUSIONS = "inquiry_conclusions"
    PROFILING_PARTICIPANTS = "profiling_participants"
    EMOTION_RECOGNITION = "emotion_recognition"
    BIOMETRIC_IDENTIFICATION = "biometric_identification"
    SOCIAL_SCORING = "social_scoring"
    PUBLICATION_WITHOUT_REVIEW = "publication_without_review"
    FAKE_CONTRIBUTIONS = "fake_contributions"


_PURPOSE_LABELS: dict[str, tuple[str, str]] = {
    "individual_decision": (
        "décider de la situation d'une personne",
        "deciding about an individual's situation",
    ),
    "live_moderation_without_human": (
        "modérer en direct une réunion publique sans humain",
        "moderating a public meeting live without a human",
    ),
    "replace_human_restitution": (
        "remplacer la restitution humaine aux participants",
        "replacing the human restitution to participants",
    ),
    "inquiry_conclusions": (
        "rédiger les conclusions motivées du commissaire enquêteur",
        "writing the public-inquiry officer's reasoned conclusions",
    ),
    "profiling_participants": (
        "profiler les participants ou contributeurs",
        "profiling participants or contributors",
    ),
    "emotion_recognition": ("reconnaître les émotions", "recognising emotions"),
    "biometric_identification": (
        "identifier des personnes par biométrie",
        "biometric identification",
    ),
    "social_scoring": ("noter les personnes (notation sociale)", "social scoring"),
    "publication_without_review": (
        "publier un texte produit par l'IA sans relecture humaine",
        "publishing AI-produced text without human review",
    ),
    "fake_contributions": (
        "produire de fausses contributions ou de faux témoignages",
        "producing fake contributions or testimonies",
    ),
}


def purpose_label(purpose: str) -> str:
    """Label of a known purpose id in the current language (the id itself otherwise)."""
    pair = _PURPOSE_LABELS.get(purpose)
    return tr(*pair) if pair else purpose


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class OrganisationRef(_Strict):
    kind: OrganisationKind
    name: str = Field(default="", max_length=300)


class ToolRule(_Strict):
    """A tool named by its registry key, or every tool of an access mode."""

    key: Slug | None = None
    access_mode: AccessMode | None = None
    reason: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _one_target(self) -> ToolRule:
        if (self.key is None) == (self.access_mode is None):
            raise ValueError(
                tr(
                    "une règle d'outil indique soit « key » (un outil), soit « access_mode » "
                    "(web_app, api, local), pas les deux ni aucun",
                    "a tool rule gives either 'key' (one tool) or 'access_mode' "
                    "(web_app, api, local), not both nor neither",
                )
            )
        return self

    @property
    def target(self) -> str:
        """Stable identity of the rule: ``key:<key>`` or ``access_mode:<mode>``."""
        return f"key:{self.key}" if self.key is not None else f"access_mode:{self.access_mode}"

    @property
    def described(self) -> str:
        """The rule's target as a reader says it: « outil mistral », « accès : application web »."""
        from garant.domain.enums import label

        if self.key is not None:
            return tr("outil {k}", "tool {k}", k=self.key)
        return tr("accès : {m}", "access: {m}", m=label(self.access_mode))


class ToolRules(_Strict):
    allowed: list[ToolRule] = Field(default_factory=list)
    forbidden: list[ToolRule] = Field(default_factory=list)
    unlisted: Literal["refuse", "allow"] = "refuse"
    """What happens to a tool no rule names: refused (default) or allowed."""

    @model_validator(mode="after")
    def _no_contradiction(self) -> ToolRules:
        allowed = [rule.target for rule in self.allowed]
        forbidden = [rule.target for rule in self.forbidden]
        for targets, name in ((allowed, "allowed"), (forbidden, "forbidden")):
            duplicates = sorted({t for t in targets if targets.count(t) > 1})
            if duplicates:
                raise ValueError(
                    tr(
                        "tools.{name} : règle en double ({targets})",
                        "tools.{name}: duplicate rule ({targets})",
                        name=name,
                        targets=", ".join(duplicates),
                    )
                )
        both = sorted(set(allowed) & set(forbidden))
        if both:
            raise ValueError(
                tr(
                    "outil à la fois autorisé et interdit : {targets}",
                    "tool both allowed and forbidden: {targets}",
                    targets=", ".join(both),
                )
            )
        return self


class DataRule(_Strict):
    """Which hostings may receive a data category, and whether to pseudonymise first."""

    category: DataCategory
    hosting: list[Hosting] = Field(default_factory=list)
    """Allowed hostings; an empty list means no AI processing at all for this category."""
    pseudonymisation: Pseudonymisation = Pseudonymisation.WHEN_HOSTED
    minimum_mode: dict[Hosting, PseudonymisationMode] = Field(default_factory=dict)
    """Weakest pseudonymisation mode accepted per hosting (e.g. ``hosted_eu: full``). Where
    personal data must be pseudonymised for a hosted model and nothing is said, ``full``."""
    note: str = Field(default="", max_length=2000)

    @field_validator("hosting")
    @classmethod
    def _unique_hosting(cls, value: list[Hosting]) -> list[Hosting]:
        if len(set(value)) != len(value):
            raise ValueError(tr("hébergement cité deux fois", "hosting listed twice"))
        return value

    def requires_pseudonymisation(self, hosting: Hosting) -> bool:
        if self.pseudonymisation is Pseudonymisation.ALWAYS:
            return True
        if self.pseudonymisation is Pseudonymisation.WHEN_HOSTED:
            return hosting.is_hosted
        return False

    def required_mode(self, hosting: Hosting) -> PseudonymisationMode | None:
        """The weakest mode accepted for ``hosting`` (``None``: no minimum)."""
        if hosting in self.minimum_mode:
            return self.minimum_mode[hosting]
        personal = self.category.value in PERSONAL_DATA_CATEGORIES
        if personal and hosting.is_hosted and self.requires_pseudonymisation(hosting):
            return PseudonymisationMode.FULL
        return None


class ForbiddenUse(_Strict):
    id: Slug
    """Purpose id the gate matches against a run's declared purposes (see :class:`UsePurpose`)."""
    label: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=2000)
    refs: list[str] = Field(default_factory=list)


class HumanReview(_Strict):
    required_before_publication: bool = True
    reviewer_roles: list[RoleName] = Field(min_length=1)
    distinct_from_operator: bool = True
    """The reviewer must not be the person who ran the analysis (four-eyes principle)."""


CONTACT_PLACEHOLDER = "À COMPLÉTER"
"""How the starter packs mark the public contact to fill in (never a real-looking address)."""


class Disclosure(_Strict):
    label_ai_outputs: bool = True
    """Every AI output carries a disclosure label (what the AI did, model, date, review)."""
    label_even_when_reviewed: bool = True
    """Keep the label even when AI Act Art. 50(4)'s human-review exemption applies."""
    chatbot_notice: bool = True
    """People talking to a conversational agent are told it is an AI (Art. 50(1))."""
    public_register: bool = True
    """The uses are listed on the public transparency page (CRPA L.312-1-3 spirit)."""
    contact: str = Field(default="", max_length=500)
    """Where the public asks questions about AI uses (an address, a form)."""


class PseudonymisationSettings(_Strict):
    """What pseudonymisation does where the data rules cannot decide in advance (ADR 0011).

    Applies to every audited run (ask, synthesis, transcription) and to the ingest of a
    synthesis corpus; only the approved version of the policy governs, like the other rules."""

    undeclared_personal_data: Literal["pseudonymise", "refuse"] = "pseudonymise"
    """Personal data found in a use declared without any: pseudonymised and recorded in the
    ledger (default), or the run is refused (rule ``data.undeclared_personal_data``)."""
    keep_public_office_holders: bool = False
    """Names of national public office holders (« Emmanuel Macron », the list in
    ``garant/privacy/data/personnalites_publiques.txt``) stay readable, so that a political
    argument keeps its meaning. Off by default: the list is short and a namesake would be
    exposed; every other name is masked either way."""

    def statements(self) -> tuple[str, str]:
        """Both settings as sentences for people (policy show, the guide, the charter), in the
        current language: undeclared personal data first, then office holders' names."""
        if self.undeclared_personal_data == "refuse":
            undeclared = tr(
                "Un texte contenant des données personnelles non déclarées pour l'usage est "
                "refusé : l'analyse s'arrête avant tout envoi.",
                "A text holding personal data not declared for the use is refused: the "
                "analysis stops before anything is sent.",
            )
        else:
            undeclared = tr(
                "Des données personnelles non déclarées pour l'usage sont tout de même "
                "pseudonymisées, et le registre des exécutions le note.",
                "Personal data not declared for the use are pseudonymised all the same, and "
                "the run ledger records it.",
            )
        if self.keep_public_office_holders:
            names = tr(
                "Les noms des responsables publics cités dans un argument politique restent "
                "lisibles ; tout autre nom de personne est masqué.",
                "The names of public office holders cited in a political argument stay "
                "readable; every other person's name is masked.",
            )
        else:
            names = tr(
                "Les noms des responsables publics sont masqués comme tous les autres noms de "
                "personnes.",
                "The names of public office holders are masked like every other person's name.",
            )
        return undeclared, names


class Retention(_Strict):
    run_records_months: int = Field(ge=1, le=600)
    """Run records, traces and ledger entries (AI Act Art. 26(6): at least 6 months if high-risk)."""
    inputs_months: int = Field(ge=0, le=600)
    """Copies of input documents kept with the runs."""
    outputs_months: int = Field(ge=0, le=600)
    pseudonym_mappings_months: int = Field(ge=0, le=600)
    """Local pseudonym ↔ identity tables (kept only as long as re-identification may be needed)."""
    note: str = Field(default="", max_length=2000)


class ReviewCadence(_Strict):
    every_months: int = Field(ge=1, le=36)
    next_review: date | None = None


DECIDING_ROLES = (RoleName.REFERENT_IA, RoleName.PERSONNE_RESSOURCE)
"""Who decides arbitrations and approves tools and uses unless the policy says otherwise."""


class Roles(_Strict):
    run_analyses: list[RoleName] = Field(min_length=1)
    run_by_kind: dict[Slug, list[RoleName]] = Field(default_factory=dict)
    """Stricter role lists for some analysis kinds (e.g. only the referent runs a sortition)."""
    approve_policy: list[RoleName] = Field(min_length=1)
    reidentify: list[RoleName] = Field(
        default_factory=lambda: [RoleName.REFERENT_IA, RoleName.DPO], min_length=1
    )
    """Who may re-identify pseudonymised outputs locally (the mapping never leaves the machine)."""
    require_personal_key_for: list[Literal["approve", "publish", "review", "reidentify"]] = Field(
        default_factory=list
    )
    """Reserved actions that need the person's own key passphrase (``garant keys create``), so
    that ``--by`` is more than a name anyone can type; the ledger keeps the signed statement."""
    approve_tools: list[RoleName] = Field(
        default_factory=lambda: list(DECIDING_ROLES), min_length=1
    )
    """Who may approve a tool in the registry."""
    approve_uses: list[RoleName] = Field(default_factory=lambda: list(DECIDING_ROLES), min_length=1)
    """Who may approve a use (after its checklist, or with a reasoned override)."""
    decide_arbitrations: list[RoleName] = Field(
        default_factory=lambda: list(DECIDING_ROLES), min_length=1
    )
    """Who may decide an arbitration request."""
    decide_own_arbitration: bool = False
    """Whether the person who asked may decide the question themselves (a lone commissaire
    enquêteur); by default never the asker alone."""
    named_author_required: bool = True
    """Every registry change names a registered person (``--by`` or the ``actor`` setting)."""

    @field_validator("run_by_kind")
    @classmethod
    def _known_kinds(cls, value: dict[str, list[RoleName]]) -> dict[str, list[RoleName]]:
        unknown = sorted(set(value) - set(ANALYSIS_KINDS))
        if unknown:
            raise ValueError(
                tr(
                    "type d'analyse inconnu : {unknown} (connus : {known})",
                    "unknown analysis kind: {unknown} (known: {known})",
                    unknown=", ".join(unknown),
                    known=", ".join(ANALYSIS_KINDS),
                )
            )
        empty = sorted(kind for kind, roles in value.items() if not roles)
        if empty:
            raise ValueError(
                tr(
                    "liste de rôles vide pour : {kinds}",
                    "empty role list for: {kinds}",
                    kinds=", ".join(empty),
                )
            )
        return value

    def for_kind(self, kind: str) -> list[RoleName]:
        return self.run_by_kind.get(kind, self.run_analyses)


class Approval(_Strict):
    """Who approved this version (also recorded in the store and the ledger)."""

    approved_by: str = Field(min_length=1, max_length=200)
    role: RoleName
    approved_on: date


class Policy(_Strict):
    """One version of an organisation's AI usage policy."""

    id: Slug
    version: int = Field(ge=1)
    status: PolicyStatus = PolicyStatus.DRAFT
    title: str = Field(min_length=1, max_length=300)
    organisation: OrganisationRef
    language: Literal["fr", "en"] = "fr"
    summary: str = Field(default="", max_length=4000)
    tools: ToolRules
    data: list[DataRule]
    forbidden_uses: list[ForbiddenUse] = Field(default_factory=list)
    human_review: HumanReview
    disclosure: Disclosure = Field(default_factory=Disclosure)
    pseudonymisation: PseudonymisationSettings = Field(default_factory=PseudonymisationSettings)
    """Undeclared personal data and public office holders' names (defaults: pseudonymise, mask)."""
    retention: Retention
    review: ReviewCadence
    roles: Roles
    approval: Approval | None = None
    _governing_note: tuple[str, str] | None = PrivateAttr(default=None)

    def with_governing_note(self, note_fr: str, note_en: str) -> Policy:
        """A copy carrying why it governs rather than the file as it stands (French, English);
        set by :func:`garant.governance.in_force.policy_in_force`, shown with every refusal."""
        copy = self.model_copy()
        copy._governing_note = (note_fr, note_en)
        return copy

    @property
    def governing_note(self) -> tuple[str, str] | None:
        return self._governing_note

    @field_validator("data")
    @classmethod
    def _every_category_once(cls, value: list[DataRule]) -> list[DataRule]:
        seen: dict[DataCategory, int] = {}
        for index, rule in enumerate(value):
            if rule.category in seen:
                raise ValueError(
                    tr(
                        "la catégorie « {cat} » a deux règles (data[{a}] et data[{b}])",
                        "category '{cat}' has two rules (data[{a}] and data[{b}])",
                        cat=rule.category.value,
                        a=seen[rule.category],
                        b=index,
                    )
                )
            seen[rule.category] = index
        missing = [c.value for c in DataCategory if c not in seen]
        if missing:
            raise ValueError(
                tr(
                    "il manque une règle pour la ou les catégories : {missing} (chaque "
                    "catégorie doit être réglée explicitement)",
                    "missing rule for categories: {missing} (every category must be "
                    "ruled explicitly)",
                    missing=", ".join(missing),
                )
            )
        return value

    @field_validator("forbidden_uses")
    @classmethod
    def _unique_uses(cls, value: list[ForbiddenUse]) -> list[ForbiddenUse]:
        ids = [use.id for use in value]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(
                tr(
                    "usage interdit en double : {ids}",
                    "duplicate forbidden use: {ids}",
                    ids=", ".join(duplicates),
                )
            )
        return value

    @model_validator(mode="after")
    def _approval_consistent(self) -> Policy:
        if self.approval is not None and self.approval.role not in self.roles.approve_policy:
            raise ValueError(
                tr(
                    "approval.role « {role} » ne figure pas dans roles.approve_policy",
                    "approval.role '{role}' is not in roles.approve_policy",
                    role=self.approval.role.value,
                )
            )
        return self

    @property
    def label(self) -> str:
        """``<id> v<version>``, as shown in documents and traces."""
        return f"{self.id} v{self.version}"

    def data_rule(self, category: DataCategory | str) -> DataRule:
        wanted = DataCategory(category)
        for rule in self.data:
            if rule.category is wanted:
                return rule
        raise KeyError(wanted)  # unreachable: validation requires every category
