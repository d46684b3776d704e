"""Assess an AI use: its AI Act profile, whether a DPIA is needed, and its open obligations.

:func:`assess` is a pure function of the use's :class:`UseProfile`, the answers recorded so
far, the date, and the catalogue of items. It returns an :class:`Assessment` that a CLI or TUI
prints (:func:`render_assessment`) and whose :meth:`Assessment.record_updates` gives the values
to write back to the registered use (risk class, DPIA needed, disclosure required).

The reasoning follows the texts:

- **AI Act role × risk class × transparency duties.** Out of scope when the tool is not an AI
  system (Art. 3(1)). Prohibited when the Art. 5 screening found a practice. High-risk when an
  Annex III area is touched, unless an Art. 6(3) condition applies and the system does not
  profile people (profiling keeps it high-risk). Transparency duties: chatbots (50(1)), emotion
  recognition or biometric categorisation (50(3)), deep fakes (50(4) first subparagraph), text
  published to inform the public on matters of public interest (50(4) second subparagraph —
  not required when the text was humanly reviewed *and* a person holds editorial
  responsibility). Limited risk when a duty applies, minimal otherwise.
- **DPIA (GDPR Art. 35).** Required for the mandatory cases of Art. 35(3), or when at least two
  of the nine EDPB/WP248 criteria are met — the rule the CNIL applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from garant.domain.enums import AIActRiskClass, label
from garant.governance.checklists.answers import Answer, AnswerStatus
from garant.governance.checklists.conditions import Fact, evaluate
from garant.governance.checklists.items import SECTIONS, Catalogue, ChecklistItem, load_catalogue
from garant.governance.checklists.profile import (
    ANNEX_III_AREAS,
    ART_5_PRACTICES,
    ART_6_3_CONDITIONS,
    UseProfile,
)
from garant.governance.policy.model import Hosting
from garant.i18n import format_date, tr

__all__ = [
    "DPIA_CRITERIA",
    "TRANSPARENCY_DUTIES",
    "AIActProfile",
    "Assessment",
    "DpiaAssessment",
    "ItemState",
    "Reason",
    "assess",
    "assessment_to_dict",
    "classify_ai_act",
    "dpia_assessment",
    "profile_facts",
    "render_assessment",
]


@dataclass(frozen=True)
class Reason:
    """An explanation in both languages."""

    fr: str
    en: str

    @property
    def text(self) -> str:
        return tr(self.fr, self.en)


TRANSPARENCY_DUTIES: dict[str, tuple[str, str]] = {
    "50(1)": (
        "art. 50(1) : informer les personnes qu'elles dialoguent avec une IA",
        "Art. 50(1): tell people they are interacting with an AI",
    ),
    "50(3)": (
        "art. 50(3) : informer les personnes exposées à la reconnaissance des émotions ou à la "
        "catégorisation biométrique",
        "Art. 50(3): inform people exposed to emotion recognition or biometric categorisation",
    ),
    "50(4)-deep_fake": (
        "art. 50(4) al. 1 : signaler les hypertrucages (images, sons, vidéos)",
        "Art. 50(4) first subpara.: disclose deep fakes (images, sound, video)",
    ),
    "50(4)-text": (
        "art. 50(4) al. 2 : signaler le texte généré publié pour informer le public",
        "Art. 50(4) second subpara.: disclose generated text published to inform the public",
    ),
}

DPIA_CRITERIA: dict[int, tuple[str, str]] = {
    1: ("évaluation ou notation de personnes", "evaluation or scoring"),
    2: (
        "décision automatisée à effet juridique ou similaire",
        "automated decision with legal or similar effect",
    ),
    3: ("surveillance systématique", "systematic monitoring"),
    4: ("données sensibles ou hautement personnelles", "sensitive or highly personal data"),
    5: ("traitement à grande échelle", "large-scale processing"),
    6: ("croisement de jeux de données", "matching or combining datasets"),
    7: ("personnes vulnérables", "vulnerable data subjects"),
    8: ("usage innovant ou nouvelle technologie (IA)", "innovative use or new technology (AI)"),
    9: (
        "exclusion du bénéfice d'un droit, d'un service ou d'un contrat",
        "preventing the exercise of a right, a service or a contract",
    ),
}
"""The nine EDPB/WP248 criteria; the CNIL asks for a DPIA when two or more are met."""


@dataclass(frozen=True)
class AIActProfile:
    in_scope: bool
    role: str | None
    risk_class: AIActRiskClass | None
    """``None`` when the AI Act does not apply (not an AI system)."""
    transparency_duties: tuple[str, ...]
    art_50_4_exempt: bool
    """Art. 50(4) text duty lifted: human review *and* named editorial responsibility."""
    reasons: tuple[Reason, ...]

    @property
    def summary(self) -> str:
        """``déployeur × risque limité (transparence) × art. 50(1)`` or "hors champ"."""
        if not self.in_scope:
            return tr(
                "hors champ du RIA (pas un système d'IA)", "outside the AI Act (not an AI system)"
            )
        role = (
            tr("déployeur", "deployer")
            if self.role == "deployer"
            else tr("fournisseur", "provider")
        )
        duties = ", ".join(self.transparency_duties) or tr(
            "aucune obligation de transparence", "no transparency duty"
        )
        return f"{role} × {label(self.risk_class)} × {duties}"


@dataclass(frozen=True)
class DpiaAssessment:
    required: bool
    criteria: tuple[int, ...]
    """EDPB/WP248 criteria met (keys of :data:`DPIA_CRITERIA`)."""
    mandatory_cases: tuple[str, ...]
    """Art. 35(3) cases met: ``35(3)(a)``, ``35(3)(b)``, ``35(3)(c)``."""
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class ItemState:
    item: ChecklistItem
    applies_from: date | None
    in_force: bool
    answer: Answer | None
    satisfied: bool
    problems: tuple[Reason, ...]

    @property
    def status(self) -> AnswerStatus:
        return self.answer.status if self.answer is not None else AnswerStatus.TODO


@dataclass(frozen=True)
class Assessment:
    use_key: str
    assessed_on: date
    ai_act: AIActProfile
    dpia: DpiaAssessment
    items: tuple[ItemState, ...]
    """Every applicable item, in catalogue order (in force or not yet)."""
    unused_answers: tuple[str, ...]
    """Answers to items that do not apply to this use (kept, but not counted)."""
    disclosure_required: bool

    @property
    def in_force(self) -> tuple[ItemState, ...]:
        return tuple(state for state in self.items if state.in_force)

    @property
    def open_obligations(self) -> tuple[ItemState, ...]:
        """Applicable items not yet satisfied, in force or upcoming, with their dates."""
        return tuple(state for state in self.items if not state.satisfied)

    @property
    def upcoming(self) -> tuple[ItemState, ...]:
        return tuple(state for state in self.items if not state.in_force)

    @property
    def score(self) -> float:
        """Share of the obligations in force that are satisfied (1.0 when none applies)."""
        in_force = self.in_force
        if not in_force:
            return 1.0
        return sum(1 for state in in_force if state.satisfied) / len(in_force)

    def applicable_ids(self) -> tuple[str, ...]:
        return tuple(state.item.id for state in self.items)

    def record_updates(self) -> dict[str, Any]:
        """Values to write back to the registered use (``AIUse`` columns)."""
        return {
            "ai_act_risk_class": self.ai_act.risk_class.value if self.ai_act.risk_class else None,
            "dpia_required": self.dpia.required,
            "disclosure_required": self.disclosure_required,
        }


def classify_ai_act(profile: UseProfile) -> AIActProfile:
    """The use's AI Act profile: role, risk class and transparency duties, with reasons."""
    if not profile.ai_system:
        return AIActProfile(
            in_scope=False,
            role=None,
            risk_class=None,
            transparency_duties=(),
            art_50_4_exempt=False,
            reasons=(
                Reason(
                    "L'outil n'infère pas ses résultats (règles fixes ou tirage au hasard) : ce "
                    "n'est pas un système d'IA au sens de l'art. 3(1) RIA.",
                    "The tool does not infer its outputs (fixed rules or random draw): it is not "
                    "an AI system under AI Act Art. 3(1).",
                ),
            ),
        )
    reasons: list[Reason] = []
    if profile.role == "provider":
        reasons.append(
            Reason(
                "L'organisation met le système en service sous son nom : elle en est "
                "fournisseur (art. 3(3)).",
                "The organisation puts the system into service under its own name: it is its "
                "provider (Art. 3(3)).",
            )
        )
    else:
        reasons.append(
            Reason(
                "L'organisation utilise le système sous sa propre autorité : elle en est "
                "déployeur (art. 3(4)).",
                "The organisation uses the system under its own authority: it is its deployer "
                "(Art. 3(4)).",
            )
        )
    duties: list[str] = []
    if profile.interacts_with_public:
        duties.append("50(1)")
    if profile.emotion_or_biometric_categorisation:
        duties.append("50(3)")
    if profile.deep_fakes:
        duties.append("50(4)-deep_fake")
    exempt = False
    if profile.publishes_text_to_public and profile.generative:
        duties.append("50(4)-text")
        exempt = profile.human_review and bool(profile.editorial_responsible.strip())
        if exempt:
            reasons.append(
                Reason(
                    f"Le texte publié est relu et {profile.editorial_responsible} en assume la responsabilité éditoriale : "
                    "l'obligation de mention de l'art. 50(4) al. 2 ne s'applique pas (garder la "
                    "preuve de la relecture).",
                    f"The published text is reviewed and {profile.editorial_responsible} holds editorial responsibility: "
                    "the Art. 50(4) second-subparagraph label duty does not apply (keep proof of "
                    "the review).",
                )
            )
        else:
            reasons.append(
                Reason(
                    "Texte généré publié pour informer le public sans relecture humaine et "
                    "responsable éditorial nommé : il doit être signalé comme généré par IA "
                    "(art. 50(4) al. 2).",
                    "Generated text published to inform the public without human review and a "
                    "named editorial responsible: it must be disclosed as AI-generated "
                    "(Art. 50(4) second subpara.).",
                )
            )
    if profile.prohibited_practices:
        letters = ", ".join(
            f"{letter}) {ART_5_PRACTICES[letter][0]}"
            for letter in sorted(profile.prohibited_practices)
        )
        letters_en = ", ".join(
            f"{letter}) {ART_5_PRACTICES[letter][1]}"
            for letter in sorted(profile.prohibited_practices)
        )
        reasons.append(
            Reason(
                f"Pratique interdite relevée (art. 5(1)) : {letters}. L'usage doit cesser.",
                f"Prohibited practice found (Art. 5(1)): {letters_en}. The use must stop.",
            )
        )
        risk = AIActRiskClass.PROHIBITED
    elif profile.annex_iii:
        areas = ", ".join(f"{a} ({ANNEX_III_AREAS[a][0]})" for a in sorted(profile.annex_iii))
        areas_en = ", ".join(f"{a} ({ANNEX_III_AREAS[a][1]})" for a in sorted(profile.annex_iii))
        derogation = profile.art_6_3_derogation
        if derogation is not None and not profile.profiling:
            reasons.append(
                Reason(
                    f"Domaine de l'annexe III touché ({areas}) mais la dérogation de l'art. "
                    f"6(3)({derogation}) s'applique ({ART_6_3_CONDITIONS[derogation][0]}) et il "
                    "n'y a pas de profilage : pas haut risque, évaluation à documenter (art. 6(4)).",
                    f"Annex III area touched ({areas_en}) but the Art. 6(3)({derogation}) "
                    f"derogation applies ({ART_6_3_CONDITIONS[derogation][1]}) and there is no "
                    "profiling: not high-risk, assessment to document (Art. 6(4)).",
                )
            )
            risk = AIActRiskClass.LIMITED if duties else AIActRiskClass.MINIMAL
        else:
            why_fr = (
                " ; le système profile des personnes, la dérogation de l'art. 6(3) est exclue"
                if profile.profiling and derogation is not None
                else ""
            )
            why_en = (
                "; the system profiles people, so the Art. 6(3) derogation is excluded"
                if profile.profiling and derogation is not None
                else ""
            )
            reasons.append(
                Reason(
                    f"Domaine de l'annexe III : {areas}{why_fr} — système à haut risque (art. 6(2)).",
                    f"Annex III area: {areas_en}{why_en} — high-risk system (Art. 6(2)).",
                )
            )
            risk = AIActRiskClass.HIGH
    else:
        risk = AIActRiskClass.LIMITED if duties else AIActRiskClass.MINIMAL
    for duty in duties:
        fr, en = TRANSPARENCY_DUTIES[duty]
        reasons.append(Reason(f"Obligation de transparence — {fr}.", f"Transparency duty — {en}."))
    return AIActProfile(
        in_scope=True,
        role=profile.role,
        risk_class=risk,
        transparency_duties=tuple(duties),
        art_50_4_exempt=exempt,
        reasons=tuple(reasons),
    )


def dpia_assessment(profile: UseProfile) -> DpiaAssessment:
    """Whether a DPIA is required (GDPR Art. 35(3), or two of the nine criteria), and why."""
    if not profile.personal_data:
        return DpiaAssessment(
            required=False,
            criteria=(),
            mandatory_cases=(),
            reasons=(
                Reason(
                    "Aucune donnée personnelle : pas d'AIPD.",
                    "No personal data: no DPIA.",
                ),
            ),
        )
    innovative = (
        profile.ai_system
        if profile.innovative_technology is None
        else profile.innovative_technology
    )
    met = {
        1: profile.evaluation_scoring or profile.profiling,
        2: profile.solely_automated_decisions,
        3: profile.systematic_monitoring,
        4: profile.special_data,
        5: profile.large_scale,
        6: profile.matching_datasets,
        7: profile.vulnerable_persons,
        8: innovative,
        9: profile.prevents_right_or_service,
    }
    criteria = tuple(number for number, flag in met.items() if flag)
    mandatory: list[str] = []
    # (a) systematic and extensive evaluation (incl. profiling) on which decisions about
    # persons are based; (b) large-scale special categories; (c) large-scale monitoring.
    if (profile.evaluation_scoring or profile.profiling) and profile.individual_decisions:
        mandatory.append("35(3)(a)")
    if profile.special_data and profile.large_scale:
        mandatory.append("35(3)(b)")
    if profile.systematic_monitoring and profile.large_scale:
        mandatory.append("35(3)(c)")
    required = bool(mandatory) or len(criteria) >= 2
    listed_fr = ", ".join(f"{n} ({DPIA_CRITERIA[n][0]})" for n in criteria) or "aucun"
    listed_en = ", ".join(f"{n} ({DPIA_CRITERIA[n][1]})" for n in criteria) or "none"
    reasons = [
        Reason(
            f"Critères CEPD/CNIL remplis : {len(criteria)} sur 9 — {listed_fr}.",
            f"EDPB/CNIL criteria met: {len(criteria)} of 9 — {listed_en}.",
        )
    ]
    if mandatory:
        reasons.append(
            Reason(
                f"Cas obligatoire de l'art. 35(3) RGPD : {', '.join(mandatory)}.",
                f"Mandatory case of GDPR Art. 35(3): {', '.join(mandatory)}.",
            )
        )
    if required:
        reasons.append(
            Reason(
                "AIPD requise avant la mise en œuvre (deux critères ou plus, ou cas obligatoire) ; "
                "demander l'avis du DPO (art. 35(2)).",
                "DPIA required before going live (two criteria or more, or a mandatory case); "
                "seek the DPO's advice (Art. 35(2)).",
            )
        )
    else:
        reasons.append(
            Reason(
                "Moins de deux critères et aucun cas obligatoire : AIPD non requise en principe ; "
                "documenter cette analyse.",
                "Fewer than two criteria and no mandatory case: DPIA not required in principle; "
                "document this analysis.",
            )
        )
    return DpiaAssessment(
        required=required,
        criteria=criteria,
        mandatory_cases=tuple(mandatory),
        reasons=tuple(reasons),
    )


def profile_facts(
    profile: UseProfile, ai_act: AIActProfile | None = None, dpia: DpiaAssessment | None = None
) -> dict[str, Fact]:
    """The facts conditions are evaluated on: the profile's fields plus derived ones."""
    ai_act = ai_act or classify_ai_act(profile)
    dpia = dpia or dpia_assessment(profile)
    processor = (
        profile.hosting.is_hosted
        if profile.processor_involved is None
        else profile.processor_involved
    )
    return {
        "stage": profile.stage.value,
        "data_categories": frozenset(c.value for c in profile.data_categories),
        "hosting": profile.hosting.value,
        "ai_system": profile.ai_system,
        "generative": profile.generative,
        "role": profile.role,
        "public_body": profile.public_body,
        "interacts_with_public": profile.interacts_with_public,
        "publishes_text_to_public": profile.publishes_text_to_public,
        "human_review": profile.human_review,
        "emotion_or_biometric_categorisation": profile.emotion_or_biometric_categorisation,
        "deep_fakes": profile.deep_fakes,
        "individual_decisions": profile.individual_decisions,
        "solely_automated_decisions": profile.solely_automated_decisions,
        "public_inquiry": profile.public_inquiry,
        "selects_persons_by_lot": profile.selects_persons_by_lot,
        "annex_iii": frozenset(profile.annex_iii),
        "profiling": profile.profiling,
        "prohibited_practices": frozenset(profile.prohibited_practices),
        "agents_count": profile.agents_count,
        "large_scale": profile.large_scale,
        "personal_data": profile.personal_data,
        "special_data": profile.special_data,
        "hosted": profile.hosting.is_hosted,
        "outside_eu": profile.hosting is Hosting.HOSTED_NON_EU,
        "processor_involved": processor and profile.personal_data,
        "annex_iii_area": bool(profile.annex_iii),
        "high_risk": ai_act.risk_class is AIActRiskClass.HIGH,
        "risk_class": ai_act.risk_class.value if ai_act.risk_class else "out_of_scope",
        "art_50_4_exempt": ai_act.art_50_4_exempt,
        "dpia_required": dpia.required,
    }


def _state(
    item: ChecklistItem, applies_from: date | None, today: date, answer: Answer | None
) -> ItemState:
    problems: list[Reason] = []
    satisfied = False
    if answer is not None:
        if answer.status is AnswerStatus.DONE:
            if item.evidence and not answer.evidence:
                wanted_fr = ", ".join(spec.fr for spec in item.evidence)
                wanted_en = ", ".join(spec.en for spec in item.evidence)
                problems.append(
                    Reason(f"preuve à joindre : {wanted_fr}", f"evidence to attach: {wanted_en}")
                )
            else:
                satisfied = True
        elif answer.status is AnswerStatus.NOT_APPLICABLE:
            if answer.note.strip():
                satisfied = True
            else:
                problems.append(
                    Reason(
                        "« non applicable » doit être justifié (note)",
                        "'not applicable' needs a justification (note)",
                    )
                )
    in_force = applies_from is None or applies_from <= today
    return ItemState(item, applies_from, in_force, answer, satisfied, tuple(problems))


def assess(
    profile: UseProfile,
    answers: Iterable[Answer] | Mapping[str, Answer],
    today: date,
    catalogue: Catalogue | None = None,
) -> Assessment:
    """Assess ``profile`` against the catalogue, given the answers recorded so far."""
    catalogue = catalogue or load_catalogue()
    by_id: dict[str, Answer] = (
        dict(answers) if isinstance(answers, Mapping) else {a.item_id: a for a in answers}
    )
    ai_act = classify_ai_act(profile)
    dpia = dpia_assessment(profile)
    facts = profile_facts(profile, ai_act, dpia)
    states = [
        _state(item, catalogue.applies_from(item), today, by_id.get(item.id))
        for item in catalogue.items
        if evaluate(item.applies_if, facts)
    ]
    order = {section: index for index, section in enumerate(SECTIONS)}
    states.sort(key=lambda s: order[s.item.section])  # stable: keeps file order inside sections
    applicable = {state.item.id for state in states}
    duties = set(ai_act.transparency_duties)
    if ai_act.art_50_4_exempt:
        duties.discard("50(4)-text")
    return Assessment(
        use_key=profile.use_key,
        assessed_on=today,
        ai_act=ai_act,
        dpia=dpia,
        items=tuple(states),
        unused_answers=tuple(sorted(set(by_id) - applicable)),
        disclosure_required=bool(duties),
    )


_STATUS_LABELS: dict[AnswerStatus, tuple[str, str]] = {
    AnswerStatus.TODO: ("à faire", "to do"),
    AnswerStatus.IN_PROGRESS: ("en cours", "in progress"),
    AnswerStatus.DONE: ("fait", "done"),
    AnswerStatus.NOT_APPLICABLE: ("sans objet", "not applicable"),
}


def render_assessment(assessment: Assessment) -> str:
    """The assessment as text for a terminal, in the current language."""
    lines = [
        tr(
            "Usage « {use} » — évaluation du {day}",
            "Use '{use}' — assessment of {day}",
            use=assessment.use_key,
            day=format_date(assessment.assessed_on),
        ),
        "",
        tr(
            "Profil RIA : {summary}", "AI Act profile: {summary}", summary=assessment.ai_act.summary
        ),
    ]
    lines.extend(f"  · {reason.text}" for reason in assessment.ai_act.reasons)
    lines.append(
        tr(
            "AIPD : {answer}",
            "DPIA: {answer}",
            answer=tr("requise", "required")
            if assessment.dpia.required
            else tr("non requise", "not required"),
        )
    )
    lines.extend(f"  · {reason.text}" for reason in assessment.dpia.reasons)
    lines.append(
        tr(
            "Mention « IA » obligatoire : {answer}",
            "AI disclosure required: {answer}",
            answer=tr("oui", "yes") if assessment.disclosure_required else tr("non", "no"),
        )
    )
    in_force = assessment.in_force
    done = sum(1 for s in in_force if s.satisfied)
    lines.append(
        tr(
            "Avancement : {pct} % ({done}/{total} obligations en vigueur satisfaites)",
            "Progress: {pct}% ({done}/{total} obligations in force satisfied)",
            pct=round(assessment.score * 100),
            done=done,
            total=len(in_force),
        )
    )
    lines.append("")
    lines.append(tr("Obligations ouvertes :", "Open obligations:"))
    if not assessment.open_obligations:
        lines.append(tr("  aucune", "  none"))
    current_section = ""
    for state in assessment.open_obligations:
        if state.item.section != current_section:
            current_section = state.item.section
            lines.append(f"  {tr(*SECTIONS[current_section])}")
        when = (
            tr("en vigueur", "in force")
            if state.in_force
            else tr("à partir du {d}", "from {d}", d=format_date(state.applies_from))
        )
        lines.append(
            f"    [{tr(*_STATUS_LABELS[state.status])}] {state.item.id} — {state.item.title} "
            f"({when}) — {state.item.references}"
        )
        lines.extend(f"      ! {problem.text}" for problem in state.problems)
    return "\n".join(lines)


def assessment_to_dict(assessment: Assessment) -> dict[str, Any]:
    """JSON-ready form of an assessment (for exports and the store)."""
    return {
        "use_key": assessment.use_key,
        "assessed_on": assessment.assessed_on.isoformat(),
        "ai_act": {
            "in_scope": assessment.ai_act.in_scope,
            "role": assessment.ai_act.role,
            "risk_class": assessment.ai_act.risk_class.value
            if assessment.ai_act.risk_class
            else None,
            "transparency_duties": list(assessment.ai_act.transparency_duties),
            "art_50_4_exempt": assessment.ai_act.art_50_4_exempt,
            "reasons": [{"fr": r.fr, "en": r.en} for r in assessment.ai_act.reasons],
        },
        "dpia": {
            "required": assessment.dpia.required,
            "criteria": list(assessment.dpia.criteria),
            "mandatory_cases": list(assessment.dpia.mandatory_cases),
            "reasons": [{"fr": r.fr, "en": r.en} for r in assessment.dpia.reasons],
        },
        "disclosure_required": assessment.disclosure_required,
        "score": assessment.score,
        "items": [
            {
                "id": s.item.id,
                "section": s.item.section,
                "applies_from": s.applies_from.isoformat() if s.applies_from else None,
                "in_force": s.in_force,
                "status": s.status.value,
                "satisfied": s.satisfied,
                "problems": [{"fr": p.fr, "en": p.en} for p in s.problems],
            }
            for s in assessment.items
        ],
        "unused_answers": list(assessment.unused_answers),
    }
