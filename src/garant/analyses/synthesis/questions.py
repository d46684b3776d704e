"""Questions first: themes are built among the answers to one question at a time.

A consultation asks several questions; mixing their answers makes themes that cut across
questions (a human coder reads an answer in the light of its question). When contributions
carry a ``question``, the offline method runs once per question, theme ids are prefixed with
the question's number (``Q02-T03``) and every theme records its question. Contributions with
no question form one more group. Duplicate and flood detection stays corpus-wide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from .model import Assignment, Contribution, FloodReport, SingularContribution, Theme
from .offline import Embedder, OfflineParameters, offline_themes

__all__ = ["question_groups", "split_themes", "themes_by_question"]


def question_groups(
    contributions: Sequence[Contribution],
) -> list[tuple[str | None, list[Contribution]]]:
    """Contributions grouped by question, questions in order of first appearance."""
    groups: dict[str | None, list[Contribution]] = {}
    for item in contributions:
        groups.setdefault(item.question or None, []).append(item)
    return list(groups.items())


def split_themes(total: int, sizes: Sequence[int]) -> list[int]:
    """Share ``total`` themes among groups in proportion to their sizes, at least one each
    (largest remainders first)."""
    whole = sum(sizes)
    if whole == 0:
        return [1 for _ in sizes]
    exact = [total * size / whole for size in sizes]
    shares = [max(1, int(value)) for value in exact]
    order = sorted(range(len(sizes)), key=lambda index: -(exact[index] - int(exact[index])))
    for index in order:
        if sum(shares) >= total:
            break
        shares[index] += 1
    return [min(share, max(1, size)) for share, size in zip(shares, sizes, strict=True)]


def themes_by_question(
    contributions: Sequence[Contribution],
    floods: FloodReport,
    parameters: OfflineParameters | None = None,
    embedder: Embedder | None = None,
) -> tuple[list[Theme], list[Assignment], list[SingularContribution], dict[str, Any]]:
    """``offline_themes`` per question; one plain run when the corpus carries no question.

    A requested number of themes (``parameters.n_themes``) is the total, shared among the
    questions in proportion to their number of answers.
    """
    parameters = parameters or OfflineParameters()
    groups = question_groups(contributions)
    if len(groups) <= 1:
        found, placed, alone, single = offline_themes(contributions, floods, parameters, embedder)
        question = groups[0][0] if groups else None
        single["questions"] = 1 if question else 0
        return (
            [theme.model_copy(update={"question": question}) for theme in found],
            placed,
            alone,
            single,
        )
    shares = (
        split_themes(parameters.n_themes, [len(members) for _q, members in groups])
        if parameters.n_themes is not None
        else [None for _ in groups]
    )
    order = {item.id: index for index, item in enumerate(contributions)}
    themes: list[Theme] = []
    assignments: list[Assignment] = []
    singular: list[SingularContribution] = []
    k_total = 0
    residual = 0
    campaigns: list[list[str]] = []
    details: dict[str, Any] = {}
    for number, ((question, members), share) in enumerate(
        zip(groups, shares, strict=True), start=1
    ):
        local = replace(parameters, n_themes=share)
        found, placed, alone, local_details = offline_themes(members, floods, local, embedder)
        details = details or local_details
        k_total += int(local_details.get("k") or 0)
        residual += int(local_details.get("residual_after_main") or 0)
        campaigns.extend(local_details.get("campaigns", []))
        prefix = f"Q{number:02d}-"
        renamed = {theme.id: prefix + theme.id for theme in found}
        themes.extend(
            theme.model_copy(update={"id": renamed[theme.id], "question": question})
            for theme in found
        )
        assignments.extend(
            assignment.model_copy(
                update={"theme_ids": [renamed[theme] for theme in assignment.theme_ids]}
            )
            for assignment in placed
        )
        singular.extend(alone)
    assignments.sort(key=lambda assignment: order[assignment.contribution_id])
    singular.sort(key=lambda entry: order[entry.contribution_id])
    details["parameters"] = details.get("parameters", {}) | {"n_themes": parameters.n_themes}
    details["k"] = k_total
    details["residual_after_main"] = residual
    details["questions"] = len(groups)
    details["themes"] = len(themes)
    details["campaigns"] = campaigns
    return themes, assignments, singular, details
