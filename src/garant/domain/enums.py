"""Vocabularies of the registry. Values are stable identifiers stored in the database."""

from __future__ import annotations

from enum import StrEnum

from garant.i18n import tr

__all__ = [
    "PERSONAL_DATA_CATEGORIES",
    "AIActRiskClass",
    "AccessMode",
    "ArbitrationStatus",
    "DataCategory",
    "LegalBasis",
    "OrganisationKind",
    "ParticipationStage",
    "RoleName",
    "ToolStatus",
    "UseStatus",
    "label",
]


class OrganisationKind(StrEnum):
    COLLECTIVITE = "collectivite"
    AGENCE = "agence"
    ENQUETE = "enquete"


class RoleName(StrEnum):
    REFERENT_IA = "referent_ia"
    DPO = "dpo"
    PERSONNE_RESSOURCE = "personne_ressource"
    RELECTEUR_CONFORMITE = "relecteur_conformite"
    COMMISSAIRE_ENQUETEUR = "commissaire_enqueteur"
    AGENT = "agent"


class AccessMode(StrEnum):
    WEB_APP = "web_app"
    API = "api"
    LOCAL = "local"


class ToolStatus(StrEnum):
    APPROVED = "approved"
    UNDER_REVIEW = "under_review"
    FORBIDDEN = "forbidden"
    RETIRED = "retired"


class UseStatus(StrEnum):
    DRAFT = "draft"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    SUSPENDED = "suspended"
    RETIRED = "retired"


class ParticipationStage(StrEnum):
    PREPARATION = "preparation"
    DESIGN = "design"
    ANIMATION = "animation"
    COLLECTION = "collection"
    ANALYSIS = "analysis"
    REPORTING = "reporting"


class DataCategory(StrEnum):
    NONE = "none"
    PERSONAL = "personal"
    SPECIAL = "special"
    PUBLIC_CONTRIBUTIONS = "public_contributions"


PERSONAL_DATA_CATEGORIES = frozenset({"personal", "special", "public_contributions"})
"""Categories that are personal data: contributions of the public are signed, dated, and often
name or describe people."""


class LegalBasis(StrEnum):
    """GDPR Art. 6(1) legal bases."""

    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal_obligation"
    VITAL_INTERESTS = "vital_interests"
    PUBLIC_TASK = "public_task"
    LEGITIMATE_INTERESTS = "legitimate_interests"


class AIActRiskClass(StrEnum):
    PROHIBITED = "prohibited"
    HIGH = "high"
    LIMITED = "limited"
    MINIMAL = "minimal"


class ArbitrationStatus(StrEnum):
    OPEN = "open"
    DECIDED = "decided"


_LABELS: dict[str, tuple[str, str]] = {
    "deployer": ("déployeur", "deployer"),
    "provider": ("fournisseur", "provider"),
    "collectivite": ("collectivité", "local authority"),
    "agence": ("agence de participation", "participation agency"),
    "enquete": ("enquête publique", "public inquiry"),
    "referent_ia": ("référent·e IA", "AI referent"),
    "dpo": ("délégué·e à la protection des données (DPO)", "data protection officer (DPO)"),
    "personne_ressource": ("personne ressource", "resource person"),
    "relecteur_conformite": ("relecteur·rice conformité", "compliance reviewer"),
    "commissaire_enqueteur": ("commissaire enquêteur·rice", "public-inquiry officer"),
    "agent": ("agent·e", "agent"),
    "web_app": ("application web", "web app"),
    "api": ("API", "API"),
    "local": ("local / poids ouverts", "local / open weights"),
    "approved": ("approuvé", "approved"),
    "under_review": ("en cours d'examen", "under review"),
    "forbidden": ("interdit", "forbidden"),
    "draft": ("brouillon", "draft"),
    "suspended": ("suspendu", "suspended"),
    "retired": ("retiré", "retired"),
    "preparation": ("préparation", "preparation"),
    "design": ("conception du dispositif", "design of the process"),
    "animation": ("animation", "animation"),
    "collection": ("recueil des contributions", "collection of contributions"),
    "analysis": ("traitement / analyse", "processing / analysis"),
    "reporting": ("évaluation / restitution", "evaluation / reporting"),
    "none": ("aucune donnée personnelle", "no personal data"),
    "personal": ("données personnelles", "personal data"),
    "special": ("catégories particulières (art. 9 RGPD)", "special categories (GDPR Art. 9)"),
    "public_contributions": ("contributions du public", "contributions of the public"),
    "consent": ("consentement — art. 6(1)(a)", "consent — Art. 6(1)(a)"),
    "contract": ("contrat — art. 6(1)(b)", "contract — Art. 6(1)(b)"),
    "legal_obligation": ("obligation légale — art. 6(1)(c)", "legal obligation — Art. 6(1)(c)"),
    "vital_interests": ("intérêts vitaux — art. 6(1)(d)", "vital interests — Art. 6(1)(d)"),
    "public_task": ("mission d'intérêt public — art. 6(1)(e)", "public task — Art. 6(1)(e)"),
    "legitimate_interests": ("intérêts légitimes — art. 6(1)(f)", "legitimate interests — 6(1)(f)"),
    "prohibited": ("pratique interdite (art. 5)", "prohibited practice (Art. 5)"),
    "high": ("haut risque", "high risk"),
    "limited": ("risque limité (transparence)", "limited risk (transparency)"),
    "minimal": ("risque minimal", "minimal risk"),
    "open": ("ouverte", "open"),
    "decided": ("tranchée", "decided"),
}


def label(value: str | None) -> str:
    """Human label of a vocabulary value in the current language."""
    if value is None:
        return "—"
    pair = _LABELS.get(str(value))
    return tr(*pair) if pair else str(value)
