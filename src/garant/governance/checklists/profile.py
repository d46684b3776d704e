"""The profile of an AI use: the facts that decide which obligations apply to it.

Some facts come from the registry (purpose, stage, data categories, the tool's hosting); the
others are answered once when a checklist starts (is it a chatbot? is text published to the
public? is an Annex III area touched?). :data:`PROFILE_QUESTIONS` lists those questions in
French and English so a CLI or TUI can ask them; :func:`profile_from_mapping` rebuilds a
profile from stored answers with precise errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from garant.domain.enums import DataCategory, ParticipationStage
from garant.errors import InputError
from garant.governance.policy.model import Hosting
from garant.i18n import tr

__all__ = [
    "ANNEX_III_AREAS",
    "ART_5_PRACTICES",
    "ART_6_3_CONDITIONS",
    "PROFILE_QUESTIONS",
    "ProfileQuestion",
    "UseProfile",
    "profile_from_mapping",
    "profile_from_registry",
    "profile_to_mapping",
]

ANNEX_III_AREAS: dict[str, tuple[str, str]] = {
    "1": ("biométrie (identification, catégorisation, reconnaissance des émotions)", "biometrics"),
    "2": ("infrastructures critiques (composant de sécurité)", "critical infrastructure"),
    "3": ("éducation et formation professionnelle", "education and vocational training"),
    "4": ("emploi, gestion des agents", "employment, workers management"),
    "5a": (
        "éligibilité aux prestations et services publics essentiels",
        "eligibility for essential public benefits and services",
    ),
    "5b": ("solvabilité, notation de crédit", "creditworthiness"),
    "5c": ("assurance vie et santé", "life and health insurance"),
    "5d": ("appels d'urgence, secours", "emergency calls and dispatch"),
    "6": ("répression", "law enforcement"),
    "7": ("migration, asile, contrôle aux frontières", "migration, asylum, border control"),
    "8a": ("administration de la justice", "administration of justice"),
    "8b": (
        "influence sur une élection ou un référendum",
        "influencing an election or referendum",
    ),
}
"""Annex III areas of the AI Act (Regulation (EU) 2024/1689), by point."""

ART_5_PRACTICES: dict[str, tuple[str, str]] = {
    "a": ("techniques subliminales ou manipulatrices", "subliminal or manipulative techniques"),
    "b": ("exploitation des vulnérabilités", "exploiting vulnerabilities"),
    "c": ("notation sociale", "social scoring"),
    "d": ("prédiction d'infraction par profilage", "crime prediction by profiling"),
    "e": ("moissonnage non ciblé d'images faciales", "untargeted scraping of facial images"),
    "f": ("inférence d'émotions au travail ou à l'école", "emotion inference at work or school"),
    "g": ("catégorisation biométrique sensible", "sensitive biometric categorisation"),
    "h": (
        "identification biométrique à distance en temps réel (répression)",
        "real-time remote biometric identification (law enforcement)",
    ),
}
"""Prohibited practices of AI Act Art. 5(1), by letter."""

ART_6_3_CONDITIONS: dict[str, tuple[str, str]] = {
    "a": ("tâche procédurale étroite", "narrow procedural task"),
    "b": (
        "amélioration d'une activité humaine déjà achevée",
        "improving a completed human activity",
    ),
    "c": (
        "détection d'écarts sans remplacer l'évaluation humaine",
        "detecting deviations without replacing human assessment",
    ),
    "d": ("tâche préparatoire à une évaluation", "preparatory task to an assessment"),
}
"""The four derogation conditions of AI Act Art. 6(3)."""


@dataclass(frozen=True)
class UseProfile:
    """Facts about one AI use that decide its AI Act, GDPR and French-law obligations."""

    use_key: str
    purpose: str
    stage: ParticipationStage
    data_categories: frozenset[DataCategory]
    hosting: Hosting
    ai_system: bool = True
    """An AI system in the sense of AI Act Art. 3(1) (infers outputs from inputs). A random
    draw or a fixed spreadsheet formula is not."""
    generative: bool = False
    """A general-purpose generative model produces text, images or sound."""
    role: Literal["deployer", "provider"] = "deployer"
    """Deployer: uses a system under its authority. Provider: develops it, or has it developed,
    and puts it into service under its own name (Art. 3(3)), or substantially modifies it."""
    public_body: bool = True
    """A body governed by public law, or a private entity providing a public service (Art. 27)."""
    interacts_with_public: bool = False
    """People talk directly with the system (a chatbot on a website) — Art. 50(1)."""
    publishes_text_to_public: bool = False
    """AI-generated or AI-edited text is published to inform the public on matters of public
    interest (a consultation synthesis, an inquiry report) — Art. 50(4), second subparagraph."""
    human_review: bool = False
    """The text undergoes human review or editorial control before publication."""
    editorial_responsible: str = ""
    """The natural or legal person holding editorial responsibility for the publication."""
    emotion_or_biometric_categorisation: bool = False
    deep_fakes: bool = False
    """Generated images, sound or video resembling real persons, places or events."""
    individual_decisions: bool = False
    """The output is used to take or prepare decisions about individuals."""
    solely_automated_decisions: bool = False
    """Such decisions are taken without meaningful human involvement (GDPR Art. 22)."""
    public_inquiry: bool = False
    """The use serves a public inquiry (enquête publique, Code de l'environnement)."""
    selects_persons_by_lot: bool = False
    """The use draws people by lot (sortition of a citizens' panel)."""
    annex_iii: frozenset[str] = frozenset()
    """Annex III areas the use touches (keys of :data:`ANNEX_III_AREAS`)."""
    art_6_3_derogation: str | None = None
    """The Art. 6(3) condition relied on (keys of :data:`ART_6_3_CONDITIONS`), if any."""
    profiling: bool = False
    """The system profiles natural persons (GDPR Art. 4(4)); an Annex III system that profiles
    is always high-risk (Art. 6(3), last subparagraph)."""
    prohibited_practices: frozenset[str] = frozenset()
    """Art. 5(1) letters the screening found (should stay empty)."""
    agents_count: int | None = None
    """Staff of the organisation (CRPA L.312-1-3 applies above 50 agents)."""
    # The nine EDPB/WP248 criteria the CNIL uses to decide whether a DPIA is needed.
    evaluation_scoring: bool = False
    systematic_monitoring: bool = False
    large_scale: bool = False
    matching_datasets: bool = False
    vulnerable_persons: bool = False
    innovative_technology: bool | None = None
    """``None``: derived — the CNIL counts the use of AI as an innovative technology."""
    prevents_right_or_service: bool = False
    processor_involved: bool | None = None
    """``None``: derived — a hosted tool means a processor (GDPR Art. 28)."""

    @property
    def personal_data(self) -> bool:
        return bool(self.data_categories - {DataCategory.NONE})

    @property
    def special_data(self) -> bool:
        return DataCategory.SPECIAL in self.data_categories


@dataclass(frozen=True)
class ProfileQuestion:
    """One profile field asked to the person who starts a checklist."""

    field: str
    kind: Literal["bool", "text", "choice", "choices", "int"]
    question_fr: str
    question_en: str
    choices: tuple[str, ...] = ()

    @property
    def question(self) -> str:
        return tr(self.question_fr, self.question_en)


PROFILE_QUESTIONS: tuple[ProfileQuestion, ...] = (
    ProfileQuestion(
        "ai_system",
        "bool",
        "L'outil infère-t-il ses résultats à partir des données (modèle appris, IA générative) "
        "— ou applique-t-il seulement des règles fixes ou un tirage au hasard ?",
        "Does the tool infer its outputs from data (learnt model, generative AI) — or only "
        "apply fixed rules or a random draw?",
    ),
    ProfileQuestion(
        "generative",
        "bool",
        "S'agit-il d'un modèle génératif (texte, image, son) ?",
        "Is it a generative model (text, image, sound)?",
    ),
    ProfileQuestion(
        "role",
        "choice",
        "L'organisation utilise-t-elle l'outil d'un tiers (déployeur) ou le met-elle en service "
        "sous son propre nom après l'avoir développé ou fait développer (fournisseur) ?",
        "Does the organisation use a third party's tool (deployer) or put it into service under "
        "its own name after developing it or having it developed (provider)?",
        ("deployer", "provider"),
    ),
    ProfileQuestion(
        "public_body",
        "bool",
        "L'organisation est-elle une personne publique ou chargée d'un service public ?",
        "Is the organisation a public body or a private entity providing a public service?",
    ),
    ProfileQuestion(
        "interacts_with_public",
        "bool",
        "Des personnes dialoguent-elles directement avec l'IA (agent conversationnel) ?",
        "Do people talk directly with the AI (chatbot)?",
    ),
    ProfileQuestion(
        "publishes_text_to_public",
        "bool",
        "Un texte produit ou retouché par l'IA est-il publié pour informer le public sur une "
        "question d'intérêt public (synthèse de concertation, rapport) ?",
        "Is text produced or edited by AI published to inform the public on a matter of public "
        "interest (consultation synthesis, report)?",
    ),
    ProfileQuestion(
        "human_review",
        "bool",
        "Ce texte est-il relu et validé par une personne avant publication ?",
        "Is that text reviewed and approved by a person before publication?",
    ),
    ProfileQuestion(
        "editorial_responsible",
        "text",
        "Qui assume la responsabilité éditoriale de la publication (nom, fonction) ?",
        "Who holds editorial responsibility for the publication (name, position)?",
    ),
    ProfileQuestion(
        "emotion_or_biometric_categorisation",
        "bool",
        "L'outil reconnaît-il des émotions ou classe-t-il des personnes d'après des données "
        "biométriques ?",
        "Does the tool recognise emotions or categorise people from biometric data?",
    ),
    ProfileQuestion(
        "deep_fakes",
        "bool",
        "Produit-il des images, sons ou vidéos ressemblant à des personnes ou lieux réels ?",
        "Does it produce images, sound or video resembling real persons or places?",
    ),
    ProfileQuestion(
        "individual_decisions",
        "bool",
        "Le résultat sert-il à prendre ou préparer une décision concernant une personne ?",
        "Is the output used to take or prepare a decision about a person?",
    ),
    ProfileQuestion(
        "solely_automated_decisions",
        "bool",
        "Cette décision est-elle prise sans intervention humaine réelle ?",
        "Is that decision taken without meaningful human involvement?",
    ),
    ProfileQuestion(
        "public_inquiry",
        "bool",
        "L'usage sert-il une enquête publique ?",
        "Does the use serve a public inquiry?",
    ),
    ProfileQuestion(
        "selects_persons_by_lot",
        "bool",
        "L'usage tire-t-il des personnes au sort (panel citoyen) ?",
        "Does the use draw people by lot (citizens' panel)?",
    ),
    ProfileQuestion(
        "annex_iii",
        "choices",
        "L'usage touche-t-il un domaine de l'annexe III du RIA ? (aucun, ou plusieurs parmi "
        "1, 2, 3, 4, 5a, 5b, 5c, 5d, 6, 7, 8a, 8b)",
        "Does the use touch an AI Act Annex III area? (none, or several of 1, 2, 3, 4, 5a, 5b, "
        "5c, 5d, 6, 7, 8a, 8b)",
        tuple(ANNEX_III_AREAS),
    ),
    ProfileQuestion(
        "art_6_3_derogation",
        "choice",
        "Si oui, une dérogation de l'art. 6(3) s'applique-t-elle ? (a, b, c, d ou aucune)",
        "If so, does an Art. 6(3) derogation apply? (a, b, c, d or none)",
        tuple(ART_6_3_CONDITIONS),
    ),
    ProfileQuestion(
        "profiling",
        "bool",
        "L'outil établit-il des profils de personnes (évaluer, prédire des aspects personnels) ?",
        "Does the tool profile people (evaluate or predict personal aspects)?",
    ),
    ProfileQuestion(
        "prohibited_practices",
        "choices",
        "Le criblage de l'art. 5 a-t-il relevé une pratique interdite ? (aucune, ou lettres a à h)",
        "Did the Art. 5 screening find a prohibited practice? (none, or letters a to h)",
        tuple(ART_5_PRACTICES),
    ),
    ProfileQuestion(
        "agents_count",
        "int",
        "Combien d'agents compte l'organisation ?",
        "How many staff does the organisation have?",
    ),
    ProfileQuestion(
        "evaluation_scoring",
        "bool",
        "Évalue-t-on ou note-t-on des personnes ?",
        "Are people evaluated or scored?",
    ),
    ProfileQuestion(
        "systematic_monitoring",
        "bool",
        "Y a-t-il surveillance systématique de personnes ?",
        "Is there systematic monitoring of people?",
    ),
    ProfileQuestion(
        "large_scale",
        "bool",
        "Le traitement porte-t-il sur un grand nombre de personnes (à l'échelle d'une commune "
        "ou plus) ?",
        "Does the processing concern a large number of people (a whole town or more)?",
    ),
    ProfileQuestion(
        "matching_datasets",
        "bool",
        "Croise-t-on des jeux de données d'origines différentes ?",
        "Are datasets of different origins matched or combined?",
    ),
    ProfileQuestion(
        "vulnerable_persons",
        "bool",
        "Les personnes concernées sont-elles vulnérables (mineurs, personnes âgées dépendantes, "
        "usagers de l'aide sociale) ?",
        "Are the persons concerned vulnerable (minors, dependent elderly, social-aid users)?",
    ),
    ProfileQuestion(
        "prevents_right_or_service",
        "bool",
        "Le traitement peut-il priver quelqu'un d'un droit, d'un service ou d'un contrat ?",
        "Can the processing deprive someone of a right, a service or a contract?",
    ),
)

_ENUM_FIELDS = {"stage", "data_categories", "hosting"}


def _bad(field_name: str, value: object, expected: str) -> InputError:
    return InputError(
        tr(
            "Profil d'usage : champ « {field} » invalide ({value!r}) — attendu : {expected}.",
            "Use profile: invalid field '{field}' ({value!r}) — expected: {expected}.",
            field=field_name,
            value=value,
            expected=expected,
        ),
        tr(
            "Corrigez la réponse au questionnaire de profil (garant checklist start).",
            "Fix the answer to the profile questions (garant checklist start).",
        ),
    )


def profile_from_mapping(values: Mapping[str, Any]) -> UseProfile:
    """Build a :class:`UseProfile` from stored answers (JSON-like), checking every value."""
    known = {f.name: f for f in fields(UseProfile)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise _bad(unknown[0], values[unknown[0]], ", ".join(sorted(known)))
    kwargs: dict[str, Any] = {}
    for name, raw in values.items():
        spec = known[name]
        try:
            if name == "stage":
                kwargs[name] = ParticipationStage(raw)
            elif name == "hosting":
                kwargs[name] = Hosting(raw)
            elif name == "data_categories":
                kwargs[name] = frozenset(DataCategory(v) for v in raw)
            elif name == "annex_iii":
                areas = frozenset(str(v) for v in raw)
                if not areas <= set(ANNEX_III_AREAS):
                    raise ValueError(name)
                kwargs[name] = areas
            elif name == "prohibited_practices":
                letters = frozenset(str(v) for v in raw)
                if not letters <= set(ART_5_PRACTICES):
                    raise ValueError(name)
                kwargs[name] = letters
            elif name == "art_6_3_derogation":
                if raw is not None and raw not in ART_6_3_CONDITIONS:
                    raise ValueError(name)
                kwargs[name] = raw
            elif name == "role":
                if raw not in ("deployer", "provider"):
                    raise ValueError(name)
                kwargs[name] = raw
            elif name == "agents_count":
                if raw is not None and (
                    not isinstance(raw, int) or isinstance(raw, bool) or raw < 0
                ):
                    raise ValueError(name)
                kwargs[name] = raw
            elif spec.type in ("bool", "bool | None"):
                if raw is not None and not isinstance(raw, bool):
                    raise ValueError(name)
                if raw is None and spec.type == "bool":
                    raise ValueError(name)
                kwargs[name] = raw
            else:
                if not isinstance(raw, str):
                    raise ValueError(name)
                kwargs[name] = raw
        except (ValueError, TypeError) as error:
            raise _bad(name, raw, str(spec.type)) from error
    missing = [
        n for n in ("use_key", "purpose", "stage", "data_categories", "hosting") if n not in kwargs
    ]
    if missing:
        raise _bad(missing[0], None, tr("une valeur", "a value"))
    return UseProfile(**kwargs)


def profile_to_mapping(profile: UseProfile) -> dict[str, Any]:
    """JSON-ready form of a profile (sets as sorted lists); inverse of :func:`profile_from_mapping`."""
    result: dict[str, Any] = {}
    for spec in fields(profile):
        value = getattr(profile, spec.name)
        if isinstance(value, frozenset):
            value = sorted(str(v) for v in value)
        elif spec.name in _ENUM_FIELDS:
            value = str(value)
        result[spec.name] = value
    return result


def profile_from_registry(
    *,
    use_key: str,
    purpose: str,
    stage: str,
    data_categories: list[str] | frozenset[str],
    hosting: Hosting | str,
    answers: Mapping[str, Any] | None = None,
) -> UseProfile:
    """A profile from a registered use's columns plus the stored profile answers.

    The registry gives the key, purpose, stage, data categories and the tool's hosting (see
    :func:`garant.governance.policy.classify_hosting`); ``answers`` holds the replies to
    :data:`PROFILE_QUESTIONS` (e.g. ``{"interacts_with_public": True}``). Registry values win
    over answers with the same name.
    """
    values: dict[str, Any] = dict(answers or {})
    values.update(
        use_key=use_key,
        purpose=purpose,
        stage=stage,
        data_categories=list(data_categories),
        hosting=str(hosting),
    )
    return profile_from_mapping(values)
