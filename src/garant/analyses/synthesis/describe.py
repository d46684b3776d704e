"""What a reader sees of each offline theme: its label, its distinctive terms, its quotes.

Given the themes of one question (the rows of their main members, closest to the centre
first), this module

1. counts the candidate phrases of (a seeded sample of) the question's contributions, so a
   label is judged against the other themes of its question;
2. chooses every theme's label at once (``labels.choose_labels``): a noun phrase shared by
   several members, more frequent there than in the rest of the question, different from
   the other themes' labels and from the question's own words (« vote blanc » does not name
   a theme of « Faut-il reconnaître le vote blanc ? »);
3. lists the distinctive terms: the word features whose mean TF-IDF in the theme most
   exceeds the question's mean, one per lemma (``labels.distinct_terms``);
4. picks the quotes (``passages.theme_quotes``): sentences that name the label, from
   different authors, verified against the analysed and the original text.

A theme with no phrase shared by two members is labelled with its first two terms that are
noun phrases (no « évidemment », no « financer »), else « thème N ».
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from garant.i18n import tr

from .labels import (
    choose_labels,
    distinct_terms,
    is_nominal,
    phrase_document_frequency,
    phrase_keys,
)
from .model import Contribution, QuoteCheck
from .passages import theme_quotes
from .text import strip_accents

__all__ = ["DescriptionSettings", "ThemeDescription", "describe_themes"]

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True)
class DescriptionSettings:
    seed: int = 0
    terms_per_theme: int = 8
    quotes_per_theme: int = 3
    text_limit: int = 1_500
    """Labels read the first characters of each text only (as the character n-grams do)."""
    label_sample: int = 5_000
    """Contributions (a seeded sample) whose phrases give the question's frequencies."""
    members_read: int = 300
    """Members (closest to the centre first) whose phrases a label is drawn from."""


@dataclass(frozen=True)
class ThemeDescription:
    label: str
    label_key: str
    """Lemma key of the label's phrase (``""`` when it fell back to terms)."""
    terms: list[str]
    quotes: list[QuoteCheck]


def describe_themes(
    themes: Sequence[Sequence[int]],
    contributions: Sequence[Contribution],
    word_matrix: Any,
    word_terms: Sequence[str],
    *,
    question: str | None = None,
    settings: DescriptionSettings | None = None,
) -> list[ThemeDescription]:
    """One description per theme, in the order given.

    ``themes``: for each theme, the rows (indexes into ``contributions`` and ``word_matrix``)
    of its main members, closest to the theme's centre first. ``contributions``: every
    classified contribution of the question, one per row. ``word_matrix``: their word TF-IDF
    (rows × ``word_terms``), or None.
    """
    import numpy as np

    settings = settings or DescriptionSettings()
    limit = settings.text_limit
    texts = [item.text_pseudonymised for item in contributions]
    pool = [text[:limit] for text in texts]
    if len(pool) > settings.label_sample:
        picked = np.random.default_rng(settings.seed).choice(
            len(pool), size=settings.label_sample, replace=False
        )
        pool = [pool[i] for i in sorted(picked.tolist())]
    frequency, documents = phrase_document_frequency(pool)
    samples = [[texts[row][:limit] for row in rows[: settings.members_read]] for rows in themes]
    labels = choose_labels(
        samples, frequency, documents, taken=phrase_keys(question) if question else ()
    )
    analysed = {item.id: item.text_pseudonymised for item in contributions}
    original = {item.id: item.text for item in contributions}
    overall = None
    if word_matrix is not None and word_matrix.shape[1]:
        overall = np.asarray(word_matrix.mean(axis=0)).ravel()
    described: list[ThemeDescription] = []
    for number, (rows, sample, chosen) in enumerate(
        zip(themes, samples, labels, strict=True), start=1
    ):
        terms: list[str] = []
        weights: dict[str, float] = {}
        if overall is not None and rows:
            mean = np.asarray(word_matrix[sorted(rows)].mean(axis=0)).ravel()
            lift = mean - overall
            top = np.argsort(-lift)[: 4 * settings.terms_per_theme].tolist()
            folded_terms = [word_terms[i] for i in top if lift[i] > 0]
            weights = {word_terms[i]: float(lift[i]) for i in top if lift[i] > 0}
            terms = distinct_terms(_surface_forms(folded_terms, sample), settings.terms_per_theme)
        label = (
            (chosen.surface if chosen is not None else "")
            or " · ".join([term for term in terms if is_nominal(term)][:2])
            or tr("thème {n}", "theme {n}", n=number)
        )
        key = chosen.key if chosen is not None else ""
        quotes = theme_quotes(
            [contributions[row] for row in rows],
            weights,
            analysed,
            original,
            limit=settings.quotes_per_theme,
            label=key or None,
        )
        described.append(ThemeDescription(label, key, terms, quotes))
    return described


def _surface_forms(folded_terms: list[str], sample: Sequence[str]) -> list[str]:
    """Give accent-folded terms back their most frequent spelling in ``sample`` (democratie →
    démocratie); a word never seen keeps its folded form."""
    needed = {word for term in folded_terms for word in term.split()}
    seen: dict[str, Counter[str]] = {word: Counter() for word in needed}
    for text in sample:
        for token in _TOKEN.findall(text.casefold()):
            key = strip_accents(token)
            if key in seen:
                seen[key][token] += 1
    spelled = {
        word: counts.most_common(1)[0][0] if counts else word for word, counts in seen.items()
    }
    return [" ".join(spelled[word] for word in term.split()) for term in folded_terms]
