"""Data shapes of the synthesis: contributions, themes, duplicate groups and results.

Everything persisted (corpus lines, run results) is a pydantic model so it round-trips through
JSON without hand-written (de)serialisers; no heavy import here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Assignment",
    "Contribution",
    "CoverageRow",
    "DuplicateGroup",
    "FloodReport",
    "LlmCallRecord",
    "ParaphraseCampaign",
    "ProlificAuthor",
    "QuoteCheck",
    "SingularContribution",
    "Stance",
    "StanceCounts",
    "SummaryClaim",
    "SynthesisResult",
    "Theme",
]

Stance = Literal["pour", "contre", "neutre"]
"""Position of a contribution: for, against or neutral (French values are stored)."""


class Contribution(BaseModel):
    """One contribution of a corpus, as stored in ``contributions.jsonl``."""

    model_config = ConfigDict(frozen=True)

    id: str
    """Stable id: ``<source>:<native id or position>``; unchanged when the corpus is rebuilt."""
    source_file: str
    """Name of the ingested file (no directory, so the corpus does not leak local paths)."""
    source_position: str
    """Where in the file: ``ligne 12``, ``tour 4``, a file name inside a folder…"""
    source_kind: str
    """Reader used: csv, xlsx, decidim-proposal, decidim-comment, jsonl, email, text, transcript."""
    date: str | None = None
    """ISO 8601 date or date-time as given by the source, when known."""
    author: str | None = None
    """Author pseudonym (salted hash of the source's author key), never the raw name."""
    text: str
    """Original text as read from the source."""
    text_pseudonymised: str
    """Text the analyses use; equals ``text`` when no pseudonymiser was applied."""
    stance: Stance | None = None
    """Stance declared in the source (e.g. Decidim ``alignment``), when there is one."""
    question: str | None = None
    """Question the contribution answers (a column, a JSONL field, the Decidim debate or
    proposal component); themes are built per question."""
    extra: dict[str, str] = Field(default_factory=dict)
    """Extra columns the caller chose to keep (category, parent debate, votes…)."""


class DuplicateGroup(BaseModel):
    """Contributions whose texts are identical (after normalisation) or nearly so."""

    id: str
    kind: Literal["exact", "near"]
    """exact: same normalised text; near: MinHash candidates confirmed by edit distance."""
    contribution_ids: list[str]
    distinct_authors: int
    """Distinct pseudonyms among members (contributions with no author count as one each)."""
    campaign: bool
    """True when several distinct authors posted the same or nearly the same text."""
    same_author: bool
    """True when one author posted every copy."""
    example: str
    """Text of the first member (pseudonymised), for display."""


class ProlificAuthor(BaseModel):
    """An author who posted many contributions."""

    author: str
    count: int
    share: float
    """Share of the corpus (0–1)."""
    duplicate_count: int
    """How many of their contributions are in a duplicate group."""
    largest_burst: int = 0
    """Most contributions they posted within the burst window (dated contributions only)."""


class FloodReport(BaseModel):
    """Duplicates, campaigns, prolific authors and the mass-production flag."""

    total_contributions: int
    distinct_positions: int
    """Contributions once every duplicate group counts as one position."""
    distinct_authors: int
    anonymous_contributions: int
    groups: list[DuplicateGroup]
    prolific_authors: list[ProlificAuthor]
    mass_produced_ids: list[str]
    """Contributions flagged as likely mass-produced (see ``mass_produced_reasons``)."""
    mass_produced_reasons: dict[str, list[str]]
    """Contribution id → the signals that raised the flag."""
    parameters: dict[str, float | int]


class ParaphraseCampaign(BaseModel):
    """« Campagne probable »: distinct texts arguing the same thing at unusual density.

    A signal for the reader, never a verdict: nothing is dropped or down-weighted.
    """

    id: str
    contribution_ids: list[str]
    distinct_texts: int
    distinct_authors: int
    theme_ids: list[str] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
    example: str = ""


class StanceCounts(BaseModel):
    """Stance counts of a theme, split by origin: declared in the source or estimated."""

    declared: dict[str, int] = Field(default_factory=dict)
    estimated: dict[str, int] = Field(default_factory=dict)
    estimation_method: str = ""


class QuoteCheck(BaseModel):
    """A quote and the outcome of its mechanical verification."""

    contribution_id: str
    quote: str
    verified: bool
    start: int | None = None
    """Character offset of the span in the cited contribution's analysed text."""
    end: int | None = None
    reason: str = ""
    verified_original: bool | None = None
    """Also a verbatim span of the original text (a pseudonymisation tag standing for the
    words it replaced); ``None`` when not checked."""


class SummaryClaim(BaseModel):
    """A sentence of a theme summary and the contributions it cites."""

    text: str
    contribution_ids: list[str]
    valid_ids: list[str] = Field(default_factory=list)
    flagged: bool = False
    """True when the claim cites no contribution of the theme (shown with a warning)."""


class Theme(BaseModel):
    """A theme with its members, terms, stance, quotes and (LLM path) summary."""

    id: str
    label: str
    description: str = ""
    question: str | None = None
    """Question whose answers the theme groups (``None``: the corpus carries no question)."""
    label_offline: str = ""
    """LLM path: the label drawn from the texts offline, kept beside the model's label."""
    label_model: str = ""
    """LLM path: the model's proposed label when it was not shown because none of its words
    occur in the theme's texts (the offline label is shown instead)."""
    terms: list[str] = Field(default_factory=list)
    """Distinctive terms (offline path)."""
    contribution_ids: list[str]
    primary_count: int = 0
    """Contributions for which this is the first (best-fitting) theme."""
    distinct_positions: int = 0
    distinct_authors: int = 0
    small: bool = False
    """Found by the second pass on poorly fitting contributions (minority view)."""
    stance: StanceCounts = Field(default_factory=StanceCounts)
    quotes: list[QuoteCheck] = Field(default_factory=list)
    """Verified quotes only."""
    summary: list[SummaryClaim] = Field(default_factory=list)


class Assignment(BaseModel):
    """Where one contribution went."""

    contribution_id: str
    theme_ids: list[str]
    """Empty when the contribution is a singular contribution."""
    singular_reason: str = ""
    """Why it is singular: isolé, trop court, non classé par le modèle…"""
    score: float | None = None
    """Offline: cosine similarity to the primary theme's centre."""
    estimated_stance: str | None = None


class SingularContribution(BaseModel):
    """A contribution that fits no theme (propos singulier / signal faible)."""

    contribution_id: str
    reason: str
    excerpt: str


class CoverageRow(BaseModel):
    """One row of the coverage table."""

    label: str
    count: int


class LlmCallRecord(BaseModel):
    """What one model call did, for the trace."""

    stage: str
    prompt_name: str
    prompt_version: str
    prompt_sha256: str
    alias: str
    model: str
    provider: str
    attempt: int
    contribution_ids: list[str] = Field(default_factory=list)
    valid: bool
    error: str = ""
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost_usd: float | None = None


class SynthesisResult(BaseModel):
    """Outcome of a synthesis run; JSON-able with ``model_dump(mode="json")``."""

    method: Literal["offline", "llm"]
    method_description: str
    parameters: dict[str, str | int | float | bool | None]
    corpus_sha256: str
    """Hash of the corpus contributions file the run read."""
    created_at: str
    themes: list[Theme]
    assignments: list[Assignment]
    singular: list[SingularContribution]
    floods: FloodReport
    rejected_quotes: list[QuoteCheck] = Field(default_factory=list)
    """Quotes that failed verification: never displayed as quotes, listed for the record."""
    flagged_claims: list[SummaryClaim] = Field(default_factory=list)
    llm_calls: list[LlmCallRecord] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    campaigns: list[ParaphraseCampaign] = Field(default_factory=list)
    """Paraphrase blocks flagged « campagne probable » (offline path)."""
