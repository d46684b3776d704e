"""What the internal usage guide and the external charter are made from.

The lead service fills a :class:`CharterContext` from the workspace's policy (allowed and
forbidden uses and tools, data rules, review and disclosure commitments), the registry (tools,
uses, trainings) and the roles (referent, resource persons, DPO); the charter templates only read
it. Free-text fields are written in the document's language by the organisation and may use
inline Markdown (``**gras**``, links); raw HTML in them is shown as text.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "CharterContext",
    "CharterKind",
    "CharterOrganisation",
    "CharterPerson",
    "CharterTool",
    "CharterUse",
    "ContactChannel",
    "DataRule",
    "DecidedQuestion",
    "ForbiddenUse",
    "TrainingOffer",
    "example_charter_context",
]

CharterKind = Literal["internal", "external"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class CharterPerson(_Model):
    """A person named in a charter (referent, resource person, DPO)."""

    name: str = Field(min_length=1)
    """Full name, or a function mailbox's name (e.g. "Délégué à la protection des données")."""
    function: str = ""
    """Job title or role in one line."""
    email: str = ""
    """Contact e-mail."""
    phone: str = ""
    """Contact phone number."""
    topics: str = ""
    """What to ask this person about (resource persons)."""


class CharterOrganisation(_Model):
    """The organisation adopting the charter."""

    name: str = Field(min_length=1)
    """Official name (e.g. "Métropole de Val-de-Loire")."""
    kind: Literal["collectivite", "agence", "enquete"] = "collectivite"
    """Local authority, participation agency or public inquiry."""
    address: str = ""
    """Postal address."""
    website: str = ""
    """Public website."""
    contact_email: str = ""
    """General contact address."""


class CharterTool(_Model):
    """An AI tool and the status the policy gives it."""

    name: str = Field(min_length=1)
    """Tool name as agents know it."""
    status: Literal["approved", "under_review", "forbidden"]
    """Allowed, being assessed, or forbidden."""
    vendor: str = ""
    """Who provides it."""
    hosting: str = ""
    """Where data sent to it is processed (e.g. "France (SecNumCloud)", "poste local")."""
    data_allowed: str = ""
    """Which data may be entered into it (e.g. "données publiques uniquement")."""
    notes: str = ""
    """Conditions, or why it is forbidden."""


class CharterUse(_Model):
    """An allowed use of AI."""

    title: str = Field(min_length=1)
    """Short name (e.g. "Transcription des réunions publiques")."""
    purpose: str = Field(min_length=1)
    """What it is for, in one or two sentences."""
    tools: tuple[str, ...] = ()
    """Tools used for it (names from ``tools``)."""
    human_oversight: str = ""
    """Who checks the output, and how."""


class ForbiddenUse(_Model):
    """A use the policy forbids, with the reason given to agents and the public."""

    title: str = Field(min_length=1)
    """What is forbidden."""
    reason: str = ""
    """Why (legal ground or principle)."""


class DataRule(_Model):
    """Where a category of data may go."""

    category: str = Field(min_length=1)
    """Data category (e.g. "Contributions des habitants (non pseudonymisées)")."""
    rule: str = Field(min_length=1)
    """What is allowed (e.g. "outils locaux ou hébergés en France uniquement")."""
    pseudonymisation_required: bool = False
    """True when the data must be pseudonymised before any AI processing."""


class TrainingOffer(_Model):
    """A training the organisation offers (AI Act Art. 4 AI literacy)."""

    title: str = Field(min_length=1)
    """Name of the module."""
    audience: str = ""
    """Who it is for."""
    duration: str = ""
    """Length (e.g. "3 h")."""
    schedule: str = ""
    """When or how often."""
    mandatory: bool = False
    """True when required before using AI tools."""


class ContactChannel(_Model):
    """How to raise a question (agents) or a request or complaint (the public)."""

    description: str = Field(min_length=1)
    """How it works, in one or two sentences."""
    email: str = ""
    """Address to write to."""
    url: str = ""
    """Web form or page."""
    response_time: str = ""
    """Committed response time (e.g. "10 jours ouvrés")."""


class DecidedQuestion(_Model):
    """An arbitration already decided, carried into the internal guide for the next agent."""

    number: int
    question: str = Field(min_length=1)
    decision: str = Field(min_length=1)
    rationale: str = ""
    decided_on: date | None = None


class CharterContext(_Model):
    """Everything the internal guide and the external charter say about an organisation."""

    organisation: CharterOrganisation
    """Who adopts the charter."""
    policy_version: str = Field(min_length=1)
    """Version of the usage policy the charter reflects (e.g. "v3")."""
    draft: bool = False
    """The policy is not approved (a draft, or a file edited since its approval): every page
    then carries a visible « PROJET » mark."""
    review_date: date
    """Date by which the charter will be reviewed."""
    referent: CharterPerson
    """The AI referent (référent·e IA)."""
    question_channel: ContactChannel
    """How agents raise a question or ask for an arbitration."""
    public_contact: ContactChannel
    """How the public asks a question, requests an explanation or complains."""
    language: Literal["fr", "en"] = "fr"
    """Language of the charter."""
    adopted_on: date | None = None
    """Date the policy was approved."""
    scope: str = ""
    """Who the internal guide applies to (agents, elected officials, contractors…)."""
    allowed_uses: tuple[CharterUse, ...] = ()
    """Uses the policy allows."""
    forbidden_uses: tuple[ForbiddenUse, ...] = ()
    """Uses the policy forbids."""
    tools: tuple[CharterTool, ...] = ()
    """Tools with their status."""
    data_rules: tuple[DataRule, ...] = ()
    """Rules per data category."""
    pseudonymisation: tuple[str, ...] = ()
    """What happens to undeclared personal data and to public office holders' names (the
    policy's ``pseudonymisation`` settings, one sentence each)."""
    human_review: tuple[str, ...] = ()
    """Human review commitments (before publication, for decisions…)."""
    disclosure_commitments: tuple[str, ...] = ()
    """Where and how AI use is disclosed."""
    disclosure_label_reviewed: str = ""
    """Label for AI-assisted text reviewed by a named person."""
    disclosure_label_unreviewed: str = ""
    """Label for AI-generated text published without human review."""
    resource_persons: tuple[CharterPerson, ...] = ()
    """Resource persons agents may consult."""
    dpo: CharterPerson | None = None
    """Data protection officer."""
    trainings: tuple[TrainingOffer, ...] = ()
    """Training offered."""
    retention: str = ""
    """How long traces of AI use are kept."""
    public_register_url: str = ""
    """Where the public register of AI uses is published."""
    decided_questions: tuple[DecidedQuestion, ...] = ()
    """Arbitrations already decided (internal guide: « Questions déjà tranchées »)."""

    @model_validator(mode="after")
    def _review_after_adoption(self) -> Self:
        if self.adopted_on is not None and self.review_date < self.adopted_on:
            raise ValueError(
                "review_date doit suivre adopted_on / review_date must follow adopted_on"
            )
        return self

    def tools_with_status(self, status: str) -> tuple[CharterTool, ...]:
        """Tools whose status is ``status`` (approved, under_review, forbidden)."""
        return tuple(tool for tool in self.tools if tool.status == status)


def example_charter_context(language: Literal["fr", "en"] = "fr") -> CharterContext:
    """A realistic, fictitious metropolis's context, for tests, the demo and documentation."""
    french = _example_fr()
    return french if language == "fr" else _example_en(french)


def _example_en(french: CharterContext) -> CharterContext:
    """The example with its texts in English (names, addresses and dates unchanged)."""
    uses = (
        (
            "Transcription of public meetings",
            "Produce a verbatim record of recorded public meetings to write the minutes within "
            "48 hours.",
            "The officer proofreads the transcript and corrects proper names before sharing it.",
        ),
        (
            "Support for analysing contributions",
            "Group a consultation's contributions by theme without setting aside minority views "
            "or singular contributions.",
            "The project lead compares their own reading with the analysis and approves the "
            "synthesis; every quote is checked word for word.",
        ),
        (
            "Drafting public documents",
            "Rephrase and simplify documents for the public (easy-to-read, FAQ).",
            "Reviewed and approved by the named editor.",
        ),
    )
    forbidden = (
        (
            "Deciding about a person",
            "No individual decision is taken by an AI tool (GDPR Art. 22, CRPA L.311-3-1).",
        ),
        (
            "Moderating a public meeting live without a human",
            "Public debate is facilitated and arbitrated by a person.",
        ),
        (
            "Replacing the feedback session with participants",
            "Feedback is given by the project team, who answer to residents for it.",
        ),
        (
            "Social scoring, biometric recognition, emotion inference",
            "Practices prohibited by Article 5 of the EU AI Act.",
        ),
    )
    tools = (
        ("open-source software", "local computer", "all data, including personal data", ""),
        ("open model", "local computer", "recordings of public meetings", ""),
        ("DINUM, French State", "France", "pseudonymised data; never sensitive data", ""),
        (
            "Mistral AI",
            "European Union",
            "",
            "Contract and processor clauses under review by the DPO.",
        ),
        (
            "various",
            "outside the European Union",
            "",
            "Terms of use allow reuse of the data entered.",
        ),
    )
    rules = (
        ("Public or publishable documents", "Any allowed tool."),
        ("Residents' contributions", "Local tools, or Albert after pseudonymisation."),
        ("Sensitive data (health, opinions, origin…)", "Local tools only."),
        ("Staff data, unpublished internal documents", "No tool hosted outside the Métropole."),
    )
    return french.model_copy(
        update={
            "language": "en",
            "scope": (
                "staff of the Métropole and its member municipalities, elected officials, and "
                "contractors working for the Métropole on citizen participation"
            ),
            "allowed_uses": tuple(
                use.model_copy(update={"title": t, "purpose": p, "human_oversight": h})
                for use, (t, p, h) in zip(french.allowed_uses, uses, strict=True)
            ),
            "forbidden_uses": tuple(ForbiddenUse(title=t, reason=r) for t, r in forbidden),
            "tools": tuple(
                tool.model_copy(update={"vendor": v, "hosting": h, "data_allowed": d, "notes": n})
                for tool, (v, h, d, n) in zip(french.tools, tools, strict=True)
            ),
            "data_rules": tuple(
                rule.model_copy(update={"category": c, "rule": r})
                for rule, (c, r) in zip(french.data_rules, rules, strict=True)
            ),
            "human_review": (
                "Any text produced with AI is reviewed by a named person before publication.",
                "Quotes from contributions are checked word for word before sharing.",
                "Conclusions and decisions remain those of staff and elected officials.",
            ),
            "disclosure_commitments": (
                "A notice heads every public document drafted with the help of AI.",
                "Images produced by AI carry the notice 'Image generated by AI'.",
                "The public register of AI uses is updated for every new use.",
            ),
            "disclosure_label_reviewed": (
                "This document was prepared with the assistance of an artificial intelligence "
                "tool. It was reviewed, checked and approved by the citizen participation "
                "department, which takes editorial responsibility for it."
            ),
            "disclosure_label_unreviewed": "Text generated by artificial intelligence.",
            "referent": french.referent.model_copy(
                update={"function": "AI referent, citizen participation department"}
            ),
            "resource_persons": (
                french.resource_persons[0].model_copy(
                    update={"function": "Data officer", "topics": "tools, pseudonymisation"}
                ),
                french.resource_persons[1].model_copy(
                    update={
                        "function": "Lawyer, public procurement",
                        "topics": "contracts, terms of use",
                    }
                ),
            ),
            "dpo": CharterPerson(
                name="Data protection officer",
                function="Legal affairs department",
                email="dpo@valdeloire-metropole.example.fr",
            ),
            "question_channel": french.question_channel.model_copy(
                update={
                    "description": (
                        "Write to the AI referent describing the intended use and the data "
                        "involved; the answer is recorded so that everyone can find it."
                    ),
                    "response_time": "5 working days",
                }
            ),
            "public_contact": french.public_contact.model_copy(
                update={
                    "description": (
                        "Anyone may ask how AI was used in a participation process, obtain an "
                        "explanation or contest a document."
                    ),
                    "response_time": "1 month",
                }
            ),
            "trainings": (
                french.trainings[0].model_copy(
                    update={
                        "title": "Generative AI basics and limits",
                        "audience": "all staff using AI tools",
                        "duration": "3 h",
                        "schedule": "every quarter",
                    }
                ),
                french.trainings[1].model_copy(
                    update={
                        "title": "Analysing a consultation with AI without losing voices",
                        "audience": "participation project leads",
                        "duration": "1 day",
                        "schedule": "two sessions a year",
                    }
                ),
            ),
            "retention": "Usage traces are kept for 12 months, then archived.",
        }
    )


def _example_fr() -> CharterContext:
    return CharterContext(
        organisation=CharterOrganisation(
            name="Métropole de Val-de-Loire",
            kind="collectivite",
            address="1 place de l'Hôtel de Ville, 45000 Val-de-Loire",
            website="https://www.valdeloire-metropole.example.fr",
            contact_email="contact@valdeloire-metropole.example.fr",
        ),
        policy_version="v3",
        adopted_on=date(2026, 10, 12),
        review_date=date(2027, 10, 12),
        scope=(
            "les agents de la Métropole et de ses communes membres, les élus, et les "
            "prestataires qui travaillent pour la Métropole sur la participation citoyenne"
        ),
        allowed_uses=(
            CharterUse(
                title="Transcription des réunions publiques",
                purpose=(
                    "Produire un verbatim des réunions publiques enregistrées, pour rédiger le "
                    "compte rendu sous 48 h."
                ),
                tools=("Whisper (poste local)",),
                human_oversight=(
                    "L'agent relit la transcription et corrige les noms propres avant diffusion."
                ),
            ),
            CharterUse(
                title="Aide à l'analyse des contributions",
                purpose=(
                    "Regrouper par thèmes les contributions d'une concertation, sans écarter "
                    "les avis minoritaires ni les contributions singulières."
                ),
                tools=("garant (hors ligne)", "Albert (DINUM)"),
                human_oversight=(
                    "Le chef de projet confronte sa propre lecture à l'analyse et valide la "
                    "synthèse ; chaque citation est vérifiée mot pour mot."
                ),
            ),
            CharterUse(
                title="Rédaction de documents publics",
                purpose="Reformuler et simplifier des documents destinés au public (FALC, FAQ).",
                tools=("Albert (DINUM)",),
                human_oversight="Relecture et validation par le responsable éditorial nommé.",
            ),
        ),
        forbidden_uses=(
            ForbiddenUse(
                title="Décider au sujet d'une personne",
                reason=(
                    "Aucune décision individuelle n'est prise par un outil d'IA (RGPD art. 22, "
                    "CRPA L.311-3-1)."
                ),
            ),
            ForbiddenUse(
                title="Modérer en direct une réunion publique sans humain",
                reason="La parole publique reste animée et arbitrée par une personne.",
            ),
            ForbiddenUse(
                title="Remplacer la restitution aux participants",
                reason=(
                    "La restitution est faite par l'équipe du projet, qui en répond devant "
                    "les habitants."
                ),
            ),
            ForbiddenUse(
                title="Notation sociale, reconnaissance biométrique, déduction des émotions",
                reason="Pratiques interdites par l'article 5 du règlement européen sur l'IA.",
            ),
        ),
        tools=(
            CharterTool(
                name="garant (hors ligne)",
                status="approved",
                vendor="logiciel libre",
                hosting="poste local",
                data_allowed="toutes données, y compris personnelles",
            ),
            CharterTool(
                name="Whisper (poste local)",
                status="approved",
                vendor="modèle ouvert",
                hosting="poste local",
                data_allowed="enregistrements de réunions publiques",
            ),
            CharterTool(
                name="Albert (DINUM)",
                status="approved",
                vendor="DINUM, État français",
                hosting="France",
                data_allowed="données pseudonymisées ; jamais de données sensibles",
            ),
            CharterTool(
                name="Mistral Le Chat Pro",
                status="under_review",
                vendor="Mistral AI",
                hosting="Union européenne",
                notes="Contrat et clauses de sous-traitance en cours d'examen par le DPO.",
            ),
            CharterTool(
                name="Chatbots grand public (version gratuite)",
                status="forbidden",
                vendor="divers",
                hosting="hors Union européenne",
                notes="Conditions d'utilisation permettant la réutilisation des données saisies.",
            ),
        ),
        data_rules=(
            DataRule(
                category="Documents publics ou publiables",
                rule="Tout outil autorisé.",
            ),
            DataRule(
                category="Contributions des habitants",
                rule="Outils locaux, ou Albert après pseudonymisation.",
                pseudonymisation_required=True,
            ),
            DataRule(
                category="Données sensibles (santé, opinions, origine…)",
                rule="Outils locaux uniquement.",
                pseudonymisation_required=True,
            ),
            DataRule(
                category="Données d'agents, documents internes non publiés",
                rule="Aucun outil hébergé hors de la Métropole.",
            ),
        ),
        human_review=(
            "Tout texte produit avec l'IA est relu par une personne nommée avant publication.",
            "Les citations de contributions sont vérifiées mot pour mot avant diffusion.",
            "Les conclusions et les décisions restent celles des agents et des élus.",
        ),
        disclosure_commitments=(
            "Une mention figure en tête de tout document public rédigé avec l'aide de l'IA.",
            "Les images produites par IA portent la mention « Image générée par IA ».",
            "Le registre public des usages de l'IA est mis à jour à chaque nouvel usage.",
        ),
        disclosure_label_reviewed=(
            "Ce document a été préparé avec l'assistance d'un outil d'intelligence "
            "artificielle. Il a été relu, vérifié et validé par la direction de la "
            "participation citoyenne, qui en assume la responsabilité éditoriale."
        ),
        disclosure_label_unreviewed="Texte généré par intelligence artificielle.",
        referent=CharterPerson(
            name="Camille Moreau",
            function="Référente IA, direction de la participation citoyenne",
            email="referent-ia@valdeloire-metropole.example.fr",
            phone="02 38 00 00 00",
        ),
        resource_persons=(
            CharterPerson(
                name="Yanis Haddad",
                function="Chargé de mission données",
                email="y.haddad@valdeloire-metropole.example.fr",
                topics="outils, pseudonymisation",
            ),
            CharterPerson(
                name="Sophie Lambert",
                function="Juriste, commande publique",
                email="s.lambert@valdeloire-metropole.example.fr",
                topics="contrats, conditions d'utilisation",
            ),
        ),
        dpo=CharterPerson(
            name="Délégué à la protection des données",
            function="Direction des affaires juridiques",
            email="dpo@valdeloire-metropole.example.fr",
        ),
        question_channel=ContactChannel(
            description=(
                "Écrivez à la référente IA en décrivant l'usage envisagé et les données "
                "concernées ; la réponse est consignée pour que chacun la retrouve."
            ),
            email="referent-ia@valdeloire-metropole.example.fr",
            response_time="5 jours ouvrés",
        ),
        public_contact=ContactChannel(
            description=(
                "Toute personne peut demander comment l'IA a été utilisée dans une démarche "
                "de participation, obtenir une explication ou contester un document."
            ),
            email="participation@valdeloire-metropole.example.fr",
            url="https://www.valdeloire-metropole.example.fr/ia",
            response_time="1 mois",
        ),
        trainings=(
            TrainingOffer(
                title="Les bases de l'IA générative et ses limites",
                audience="tous les agents utilisateurs",
                duration="3 h",
                schedule="chaque trimestre",
                mandatory=True,
            ),
            TrainingOffer(
                title="Analyser une concertation avec l'IA sans perdre de voix",
                audience="chefs de projet participation",
                duration="1 jour",
                schedule="deux sessions par an",
            ),
        ),
        retention="Les traces d'utilisation sont conservées 12 mois, puis archivées.",
        public_register_url="https://www.valdeloire-metropole.example.fr/ia/registre",
    )
