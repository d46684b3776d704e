"""Themes with a language model, reached only through the ``ModelGateway`` protocol.

Stages, each a versioned prompt (``prompts/*.txt``) whose name, version and sha256 go into
every call record:

1. **Proposal** on batches of distinct positions (one representative per duplicate group, so a
   flood cannot dominate the themes proposed).
2. **Consolidation** of all proposed themes; any proposal the model leaves out is kept as its
   own theme (nothing dropped silently).
3. **Assignment** of every contribution to one or more themes or to ``SINGULIER``; any id the
   model skips or answers badly is asked again, alone in a smaller batch, up to
   ``max_retries`` times; what is still unassigned is listed as singular with that reason.
   Exact duplicates share their representative's assignment.
4. **Summary** per theme: claims citing contribution ids (claims citing none of the theme's ids
   are flagged) and quotes, each verified as a verbatim span (failures removed and reported).

Contributions are sent as JSON data inside nonce-tagged blocks, and every answer is parsed as
JSON and validated with pydantic (unknown keys, unknown ids and unknown theme ids rejected), so
text inside a contribution cannot change the structure of the result.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from garant.errors import InputError
from garant.i18n import tr
from garant.llm.types import ChatMessage, ModelGateway

from .corpus import Corpus
from .labels import label_is_grounded, phrase_document_frequency, theme_label
from .model import (
    Assignment,
    Contribution,
    FloodReport,
    LlmCallRecord,
    QuoteCheck,
    SingularContribution,
    SummaryClaim,
    SynthesisResult,
    Theme,
)
from .offline import stance_counts
from .prompts import PromptTemplate, data_block, load_prompt
from .quotes import check_claims, verify_quote
from .text import excerpt, normalise_for_duplicates

__all__ = ["SINGULAR", "LlmParameters", "llm_synthesis", "parse_json_answer"]

SINGULAR = "SINGULIER"
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


@dataclass(frozen=True)
class LlmParameters:
    alias: str
    batch_size: int = 25
    max_retries: int = 2
    max_chars: int = 4_000
    summary_sample: int = 20


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _ProposedTheme(_Strict):
    label: str = Field(min_length=1, max_length=160)
    description: str = Field(default="", max_length=800)


class _Proposal(_Strict):
    themes: list[_ProposedTheme] = Field(max_length=40)


class _ConsolidatedTheme(_Strict):
    label: str = Field(min_length=1, max_length=160)
    description: str = Field(default="", max_length=800)
    sources: list[int]


class _Consolidation(_Strict):
    themes: list[_ConsolidatedTheme] = Field(min_length=1)


class _AssignmentItem(_Strict):
    id: str
    themes: list[str] = Field(min_length=1)
    stance: Literal["pour", "contre", "neutre"] = "neutre"


class _Assignments(_Strict):
    assignments: list[_AssignmentItem]


class _Claim(_Strict):
    text: str = Field(min_length=1)
    ids: list[str] = Field(default_factory=list)


class _Quote(_Strict):
    id: str
    quote: str


class _Summary(_Strict):
    claims: list[_Claim] = Field(default_factory=list)
    quotes: list[_Quote] = Field(default_factory=list)


_Model = TypeVar("_Model", bound=BaseModel)


def parse_json_answer(text: str, schema: type[_Model]) -> _Model:
    """Parse a model answer as one JSON object of ``schema``; raise ``ValueError`` otherwise."""
    cleaned = _FENCE.sub("", text.strip())
    start, end = cleaned.find("{"), cleaned.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("no JSON object in the answer")
    try:
        data = json.loads(cleaned[start : end + 1])
    except json.JSONDecodeError as error:
        raise ValueError(f"invalid JSON: {error.msg} (char {error.pos})") from error
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ValueError(f"invalid structure at {where}: {first['msg']}") from error


class _Caller:
    """Sends prompts, validates answers, re-asks on invalid ones, records every call."""

    def __init__(self, gateway: ModelGateway, parameters: LlmParameters) -> None:
        self.gateway = gateway
        self.parameters = parameters
        self.records: list[LlmCallRecord] = []

    def ask(
        self,
        stage: str,
        prompt: PromptTemplate,
        values: dict[str, str],
        schema: type[_Model],
        ids: Sequence[str] = (),
        check: Callable[[_Model], None] | None = None,
    ) -> _Model | None:
        messages = prompt.render(**values)
        for attempt in range(1, self.parameters.max_retries + 2):
            completion = self.gateway.complete(self.parameters.alias, messages)
            record: dict[str, Any] = {
                "stage": stage,
                "prompt_name": prompt.name,
                "prompt_version": prompt.version,
                "prompt_sha256": prompt.sha256,
                "alias": completion.alias,
                "model": completion.model,
                "provider": completion.provider,
                "attempt": attempt,
                "contribution_ids": list(ids),
                "prompt_tokens": completion.prompt_tokens,
                "completion_tokens": completion.completion_tokens,
                "cost_usd": completion.cost_usd,
            }
            try:
                parsed = parse_json_answer(completion.text, schema)
                if check is not None:
                    check(parsed)
            except ValueError as error:
                self.records.append(LlmCallRecord(**record, valid=False, error=str(error)))
                messages = [
                    *messages,
                    ChatMessage(role="assistant", content=completion.text[:2_000]),
                    ChatMessage(
                        role="user",
                        content=(
                            f"Réponse refusée : {error}. Réponds uniquement par l'objet JSON "
                            "demandé, de la forme indiquée, sans autre texte."
                        ),
                    ),
                ]
                continue
            self.records.append(LlmCallRecord(**record, valid=True))
            return parsed
        return None


def _clean(text: str, limit: int) -> str:
    """A model-written label goes back into later prompts: one line, no tags, bounded length."""
    flat = " ".join(text.replace("<", " ").replace(">", " ").replace("$", " ").split())
    return flat[:limit]


def _unusable_model(alias: str, failures: int) -> InputError:
    return InputError(
        tr(
            "Le modèle « {alias} » n'a rendu aucune réponse exploitable ({n} réponses "
            "refusées : un objet JSON de la forme demandée est attendu).",
            "Model '{alias}' gave no usable answer ({n} answers refused: a JSON object of "
            "the requested shape is expected).",
            alias=alias,
            n=failures,
        ),
        tr(
            "Choisissez un modèle génératif, ou la méthode hors ligne (sans modèle).",
            "Choose a generative model, or the offline method (no model).",
        ),
    )


def _batches(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[start : start + size] for start in range(0, len(items), max(1, size))]


def llm_synthesis(
    corpus: Corpus,
    floods: FloodReport,
    gateway: ModelGateway,
    parameters: LlmParameters,
    *,
    created_at: str,
) -> SynthesisResult:
    """Run the four stages and assemble a ``SynthesisResult``."""
    contributions = corpus.contributions
    by_id = {item.id: item for item in contributions}
    caller = _Caller(gateway, parameters)
    warnings: list[str] = []

    def payload(item: Contribution) -> dict[str, str]:
        return {"id": item.id, "texte": item.text_pseudonymised[: parameters.max_chars]}

    # Representatives: one per duplicate group (exact or near) for proposal; exact groups only
    # share an assignment.
    position_members: dict[str, list[str]] = {}
    for group in floods.groups:
        position_members[group.contribution_ids[0]] = group.contribution_ids
    in_group = {identifier for group in floods.groups for identifier in group.contribution_ids}
    representatives = [
        item for item in contributions if item.id not in in_group or item.id in position_members
    ]
    representatives = [item for item in representatives if item.text_pseudonymised.strip()]

    # 1. Proposal.
    proposal_prompt = load_prompt("theme_proposal")
    proposed: list[_ProposedTheme] = []

    def propose(batch: Sequence[Contribution]) -> None:
        block, nonce = data_block([payload(item) for item in batch])
        answer = caller.ask(
            "proposal",
            proposal_prompt,
            {"contributions": block, "nonce": nonce},
            _Proposal,
            [item.id for item in batch],
        )
        failures = sum(1 for record in caller.records if not record.valid)
        if answer is None and failures > failure_budget:
            raise _unusable_model(parameters.alias, failures)
        if answer is not None:
            proposed.extend(answer.themes)
        elif len(batch) > 1:
            # Split the batch: one contribution (an injection, say) cannot cost its neighbours.
            middle = len(batch) // 2
            propose(batch[:middle])
            propose(batch[middle:])
        else:
            warnings.append(
                tr(
                    "Proposition de thèmes : aucune réponse valide pour {id}.",
                    "Theme proposal: no valid answer for {id}.",
                    id=batch[0].id,
                )
            )

    top_batches = _batches(representatives, parameters.batch_size)
    failure_budget = max(20, 4 * len(top_batches))
    for batch in top_batches:
        propose(batch)
    if representatives and not proposed:
        raise _unusable_model(
            parameters.alias, sum(1 for record in caller.records if not record.valid)
        )

    # 2. Consolidation.
    consolidated: list[tuple[str, str]] = []
    if proposed:
        consolidation_prompt = load_prompt("theme_consolidation")
        numbered = [
            {"n": number, "label": theme.label, "description": theme.description}
            for number, theme in enumerate(proposed, start=1)
        ]
        block, nonce = data_block(numbered)

        def check_sources(answer: _Consolidation) -> None:
            for theme in answer.themes:
                for source in theme.sources:
                    if not 1 <= source <= len(proposed):
                        raise ValueError(f"unknown source theme number {source}")

        merged = caller.ask(
            "consolidation",
            consolidation_prompt,
            {"themes": block, "nonce": nonce},
            _Consolidation,
            check=check_sources,
        )
        covered: set[int] = set()
        if merged is not None:
            for theme in merged.themes:
                consolidated.append((_clean(theme.label, 120), _clean(theme.description, 400)))
                covered.update(theme.sources)
        else:
            warnings.append(
                tr(
                    "Consolidation invalide : les thèmes proposés sont gardés tels quels.",
                    "Invalid consolidation: proposed themes are kept as they are.",
                )
            )
        seen = {normalise_for_duplicates(label) for label, _ in consolidated}
        for number, candidate in enumerate(proposed, start=1):
            key = normalise_for_duplicates(candidate.label)
            if number not in covered and key not in seen:
                seen.add(key)
                consolidated.append(
                    (_clean(candidate.label, 120), _clean(candidate.description, 400))
                )
    theme_ids = [f"T{number:02d}" for number in range(1, len(consolidated) + 1)]
    known = set(theme_ids)

    # 3. Assignment, with re-asks for skipped ids.
    exact_members: dict[str, list[str]] = {
        group.contribution_ids[0]: group.contribution_ids
        for group in floods.groups
        if group.kind == "exact"
    }
    exact_followers = {
        identifier for members in exact_members.values() for identifier in members[1:]
    }
    to_assign = [
        item
        for item in contributions
        if item.id not in exact_followers and item.text_pseudonymised.strip()
    ]
    assigned: dict[str, tuple[list[str], str]] = {}
    if consolidated:
        assignment_prompt = load_prompt("theme_assignment")
        theme_list = "\n".join(
            f"{identifier} : {label} — {description}"
            for identifier, (label, description) in zip(theme_ids, consolidated, strict=True)
        )
        pending = list(to_assign)
        size = parameters.batch_size
        for round_number in range(parameters.max_retries + 1):
            if not pending:
                break
            for batch in _batches(pending, size):
                batch_ids = {item.id for item in batch}
                block, nonce = data_block([payload(item) for item in batch])
                answer = caller.ask(
                    "assignment" if round_number == 0 else "assignment-reask",
                    assignment_prompt,
                    {"themes": theme_list, "contributions": block, "nonce": nonce},
                    _Assignments,
                    sorted(batch_ids),
                )
                if answer is None:
                    continue
                for entry in answer.assignments:
                    if entry.id not in batch_ids or entry.id in assigned:
                        continue
                    chosen = [theme for theme in entry.themes if theme in known]
                    if any(theme not in known and theme != SINGULAR for theme in entry.themes):
                        continue  # unknown theme id: ask again
                    assigned[entry.id] = (list(dict.fromkeys(chosen)), entry.stance)
            pending = [item for item in pending if item.id not in assigned]
            size = max(1, size // 2)
    for head, members in exact_members.items():
        if head in assigned:
            for identifier in members[1:]:
                assigned[identifier] = assigned[head]

    unassigned_reason = tr(
        "non classé par le modèle après {n} relances",
        "not classified by the model after {n} re-asks",
        n=parameters.max_retries,
    )
    singular_reason = tr(
        "signalé par le modèle comme propos singulier", "marked singular by the model"
    )
    empty_reason = tr("texte vide", "empty text")
    assignments: list[Assignment] = []
    members_of: dict[str, list[str]] = {identifier: [] for identifier in theme_ids}
    estimated: dict[str, str] = {}
    for item in contributions:
        if not item.text_pseudonymised.strip():
            assignments.append(
                Assignment(contribution_id=item.id, theme_ids=[], singular_reason=empty_reason)
            )
            continue
        if item.id not in assigned:
            assignments.append(
                Assignment(contribution_id=item.id, theme_ids=[], singular_reason=unassigned_reason)
            )
            continue
        chosen, stance = assigned[item.id]
        estimated[item.id] = stance
        for identifier in chosen:
            members_of[identifier].append(item.id)
        assignments.append(
            Assignment(
                contribution_id=item.id,
                theme_ids=chosen,
                singular_reason="" if chosen else singular_reason,
                estimated_stance=None if item.stance else stance,
            )
        )

    # 4. Summaries with verified quotes and checked claims.
    position_of = {
        identifier: group.id for group in floods.groups for identifier in group.contribution_ids
    }
    analysed = {item.id: item.text_pseudonymised for item in contributions}
    summary_prompt = load_prompt("theme_summary")
    phrase_frequency, phrase_documents = phrase_document_frequency(
        item.text_pseudonymised[:1_500] for item in contributions[:5_000]
    )
    themes: list[Theme] = []
    rejected: list[QuoteCheck] = []
    flagged: list[SummaryClaim] = []
    primary_counts = {identifier: 0 for identifier in theme_ids}
    for assignment in assignments:
        if assignment.theme_ids:
            primary_counts[assignment.theme_ids[0]] += 1
    for identifier, (label, description) in zip(theme_ids, consolidated, strict=True):
        member_ids = members_of[identifier]
        if not member_ids:
            warnings.append(
                tr(
                    "Thème « {label} » proposé mais sans aucune contribution classée : omis.",
                    "Theme '{label}' proposed but no contribution was assigned: left out.",
                    label=label,
                )
            )
            continue
        sample_ids: list[str] = []
        sample_positions: set[str] = set()
        for member in member_ids:
            key = position_of.get(member, member)
            if key not in sample_positions:
                sample_positions.add(key)
                sample_ids.append(member)
            if len(sample_ids) >= parameters.summary_sample:
                break
        block, nonce = data_block([payload(by_id[member]) for member in sample_ids])
        summary = caller.ask(
            "summary",
            summary_prompt,
            {"label": label, "contributions": block, "nonce": nonce},
            _Summary,
            sample_ids,
        )
        quotes: list[QuoteCheck] = []
        claims: list[SummaryClaim] = []
        if summary is not None:
            allowed = set(member_ids)
            for quote in summary.quotes:
                checked = verify_quote(quote.id, quote.quote, analysed)
                if checked.verified and quote.id in allowed:
                    quotes.append(checked)
                else:
                    if checked.verified:
                        checked = checked.model_copy(
                            update={
                                "verified": False,
                                "reason": tr(
                                    "contribution hors du thème", "contribution outside the theme"
                                ),
                            }
                        )
                    rejected.append(checked)
            claims = check_claims([(claim.text, claim.ids) for claim in summary.claims], allowed)
            flagged.extend(claim for claim in claims if claim.flagged)
        else:
            warnings.append(
                tr(
                    "Synthèse du thème « {label} » : réponse invalide, pas de résumé.",
                    "Summary of theme '{label}': invalid answer, no summary.",
                    label=label,
                )
            )
        member_items = [by_id[member] for member in member_ids]
        member_texts = [item.text_pseudonymised[:1_500] for item in member_items[:300]]
        offline_label = theme_label(member_texts, phrase_frequency, phrase_documents)
        shown_label, unshown = label, ""
        if not label_is_grounded(label, member_texts):
            warnings.append(
                tr(
                    "Intitulé proposé par le modèle « {label} » absent des textes du thème : "
                    "remplacé par l'intitulé hors ligne « {offline} ».",
                    "Model label '{label}' not found in the theme's texts: replaced by the "
                    "offline label '{offline}'.",
                    label=label,
                    offline=offline_label,
                )
            )
            if offline_label:
                shown_label, unshown = offline_label, label
        themes.append(
            Theme(
                id=identifier,
                label=shown_label,
                label_offline=offline_label,
                label_model=unshown,
                description=description,
                contribution_ids=member_ids,
                primary_count=primary_counts[identifier],
                distinct_positions=len({position_of.get(m, m) for m in member_ids}),
                distinct_authors=len({m.author or m.id for m in member_items}),
                small=False,
                stance=stance_counts(
                    member_items, estimated, tr("estimée par le modèle", "estimated by the model")
                ),
                quotes=quotes,
                summary=claims,
            )
        )
    themes.sort(key=lambda theme: (-len(theme.contribution_ids), theme.id))
    singular = [
        SingularContribution(
            contribution_id=assignment.contribution_id,
            reason=assignment.singular_reason,
            excerpt=excerpt(by_id[assignment.contribution_id].text_pseudonymised, 200),
        )
        for assignment in assignments
        if not assignment.theme_ids
    ]
    prompts = [load_prompt(name) for name in _PROMPTS]
    recorded: dict[str, str | int | float | bool | None] = {
        "alias": parameters.alias,
        "batch_size": parameters.batch_size,
        "max_retries": parameters.max_retries,
        "max_chars": parameters.max_chars,
        "summary_sample": parameters.summary_sample,
    }
    for prompt in prompts:
        recorded[f"prompt:{prompt.name}"] = f"v{prompt.version} sha256:{prompt.sha256}"
    warnings.extend(warning for source in corpus.manifest.sources for warning in source.warnings)
    models = sorted({record.model for record in caller.records})
    return SynthesisResult(
        method="llm",
        method_description=tr(
            "Méthode avec modèle de langage ({models}, alias « {alias} ») : proposition de "
            "thèmes par lots, consolidation, classement de chaque contribution avec relance "
            "des oubliées, synthèse par thème citant les contributions ; citations vérifiées "
            "mot pour mot.",
            "Language-model method ({models}, alias '{alias}'): theme proposal in batches, "
            "consolidation, assignment of every contribution with re-asks for skipped ones, "
            "per-theme summary citing contributions; quotes verified verbatim.",
            models=", ".join(models) or "—",
            alias=parameters.alias,
        ),
        parameters=recorded,
        corpus_sha256=corpus.sha256,
        created_at=created_at,
        themes=themes,
        assignments=assignments,
        singular=singular,
        floods=floods,
        rejected_quotes=rejected,
        flagged_claims=flagged,
        llm_calls=caller.records,
        warnings=warnings,
    )


_PROMPTS = ("theme_proposal", "theme_consolidation", "theme_assignment", "theme_summary")
