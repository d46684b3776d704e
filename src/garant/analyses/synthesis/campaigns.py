"""« Campagne probable »: many distinct texts that argue the same thing in other words.

Generated floods arrive reworded, not copied, so duplicate detection misses them. Inside each
theme (the themes of one question), the distinct texts are compared by the cosine of their
word TF-IDF vectors (unigrams and bigrams, stop words removed, *no* upper document-frequency
cut: the words a campaign repeats are exactly the ones a theme-finding vectoriser drops). Up to 20,000 distinct
texts the whole question is searched at once (a campaign split over two themes is one block),
beyond that each theme separately. A text is *dense* when at least
``min_texts − 1`` other distinct texts of its theme are closer than ``similarity``; the
connected groups of dense texts with at least ``min_texts`` distinct texts are flagged,
each as one block when all its texts lie within ``similarity`` of its centre, else split into
blocks peeled off around the text with most close neighbours (close pairs chain: texts that
share half their words with a few others formed one group of 19,719 texts; ADR 0022).
Ordinary answers on a shared topic do not reach that density: on the Decidim export the
flag's false-alarm rate is measured by ``tests/analyses/synthesis/test_synthesis_campaigns.py``.
The reason shown says how many texts and authors, how close, and, when dates are known, over
how long they were posted. Nothing is dropped or down-weighted: a campaign's members stay in
their theme and are counted like any other contribution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from garant.i18n import tr

from .model import Assignment, Contribution, ParaphraseCampaign

__all__ = ["CampaignParameters", "dense_blocks", "describe_campaigns", "span_hours"]


@dataclass(frozen=True)
class CampaignParameters:
    """Thresholds of paraphrase-campaign detection (recorded in the result)."""

    similarity: float = 0.4
    """Cosine of two texts' vectors above which they say the same thing."""
    min_texts: int = 10
    """Distinct texts a block needs, each close to at least ``min_texts − 1`` others."""
    max_block: int = 2_000
    """Largest theme compared pairwise at once (bigger themes are compared in chunks)."""


def dense_blocks(
    vectors: Any, clusters: Sequence[Sequence[int]], parameters: CampaignParameters
) -> list[list[int]]:
    """Blocks of row indexes of ``vectors`` (L2-normalised) flagged as paraphrase campaigns;
    rows are only compared within their cluster."""
    import numpy as np
    import scipy.sparse as sparse
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    blocks: list[list[int]] = []
    for members in clusters:
        if len(members) < parameters.min_texts:
            continue
        rows = np.asarray(members, dtype=np.int64)
        part = vectors[rows]
        edges_from: list[Any] = []
        edges_to: list[Any] = []
        counts = np.zeros(len(rows), dtype=np.int64)
        for start in range(0, len(rows), parameters.max_block):
            chunk = part[start : start + parameters.max_block] @ part.T
            if sparse.issparse(chunk):
                chunk = chunk.toarray()
            close = chunk >= parameters.similarity
            counts[start : start + len(chunk)] = close.sum(axis=1) - 1
            found_from, found_to = np.nonzero(close)
            edges_from.append(found_from + start)
            edges_to.append(found_to)
        dense = counts >= parameters.min_texts - 1
        if dense.sum() < parameters.min_texts:
            continue
        sources = np.concatenate(edges_from)
        targets = np.concatenate(edges_to)
        keep = dense[sources] & dense[targets]
        graph = csr_matrix(
            (np.ones(int(keep.sum())), (sources[keep], targets[keep])),
            shape=(len(rows), len(rows)),
        )
        _count, component = connected_components(graph, directed=False)
        grouped: dict[int, list[int]] = {}
        for position in np.flatnonzero(dense).tolist():
            grouped.setdefault(int(component[position]), []).append(position)
        for positions in grouped.values():
            if len(positions) < parameters.min_texts:
                continue
            for block in _centred_blocks(part, graph, positions, parameters):
                blocks.append(sorted(int(rows[position]) for position in block))
    return blocks


def _unit(vector: Any) -> Any:
    import numpy as np

    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _centred_blocks(
    part: Any, graph: Any, positions: list[int], parameters: CampaignParameters
) -> list[list[int]]:
    """Split a connected group of dense texts into blocks that each say one thing.

    Close pairs chain: A shares half its words with B, B the other half with C, so A, B and C
    are connected though A and C say different things (20,000 texts recombined from halves of
    933 real answers formed one group of 19,719). A group whose every text is within
    ``similarity`` of the group's centre is one block. Otherwise blocks are peeled off around
    seeds: the text with most close neighbours still unassigned, the centre of it and those
    neighbours, and every unassigned text of the group within ``similarity`` of that centre.
    """
    import numpy as np

    members = np.asarray(positions, dtype=np.int64)
    vectors = part[members]
    centre = _unit(np.asarray(vectors.mean(axis=0)).ravel())
    if bool((np.asarray(vectors @ centre).ravel() >= parameters.similarity).all()):
        return [positions]
    adjacency = graph[members][:, members].tocsr()
    adjacency.setdiag(0)
    adjacency.eliminate_zeros()
    left = np.ones(len(members), dtype=bool)
    found: list[list[int]] = []
    while True:
        degree = np.asarray(adjacency @ left.astype(np.float64)).ravel()
        degree[~left] = -1
        seed = int(np.argmax(degree))
        if degree[seed] < parameters.min_texts - 1:
            break
        around = left & (adjacency[seed].toarray().ravel() > 0)
        around[seed] = True
        centre = _unit(np.asarray(vectors[np.flatnonzero(around)].mean(axis=0)).ravel())
        close = left & (np.asarray(vectors @ centre).ravel() >= parameters.similarity)
        left[seed] = False
        if close.sum() >= parameters.min_texts:
            found.append(members[np.flatnonzero(close)].tolist())
            left &= ~close
    return found


def span_hours(dates: Sequence[str]) -> float | None:
    parsed = []
    for value in dates:
        try:
            parsed.append(datetime.fromisoformat(value))
        except ValueError:
            continue
    if len(parsed) < 2:
        return None
    try:
        return (max(parsed) - min(parsed)).total_seconds() / 3600.0
    except TypeError:  # naive and aware dates mixed
        return None


def describe_campaigns(
    blocks: Sequence[Sequence[str]],
    by_id: dict[str, Contribution],
    assignments: Sequence[Assignment],
    parameters: CampaignParameters,
    corpus_span_hours: float | None = None,
) -> list[ParaphraseCampaign]:
    """Campaign records (id, members, counts, themes, reasons) for the flagged blocks."""
    from .text import normalise_for_duplicates

    theme_of = {a.contribution_id: a.theme_ids for a in assignments}
    campaigns: list[ParaphraseCampaign] = []
    for number, block in enumerate(sorted(blocks, key=lambda ids: (-len(ids), ids[0])), 1):
        items = [by_id[identifier] for identifier in block]
        texts = {normalise_for_duplicates(item.text_pseudonymised) for item in items}
        authors = {item.author or item.id for item in items}
        themes = sorted({theme for item in items for theme in theme_of.get(item.id, [])[:1]})
        reasons = [
            tr(
                "{n} textes distincts disant la même chose en d'autres mots (chacun très proche "
                "— cosinus ≥ {s} — d'au moins {k} autres)",
                "{n} distinct texts saying the same thing in other words (each very close — "
                "cosine ≥ {s} — to at least {k} others)",
                n=len(texts),
                s=parameters.similarity,
                k=parameters.min_texts - 1,
            )
        ]
        if len(authors) < len(items):
            reasons.append(
                tr(
                    "{a} auteurs pour {n} contributions",
                    "{a} authors for {n} contributions",
                    a=len(authors),
                    n=len(items),
                )
            )
        span = span_hours([item.date for item in items if item.date])
        if span is not None and (corpus_span_hours is None or span < corpus_span_hours / 10):
            reasons.append(
                tr(
                    "publiées en {h} h",
                    "posted within {h} h",
                    h=round(span, 1),
                )
            )
        campaigns.append(
            ParaphraseCampaign(
                id=f"C{number}",
                contribution_ids=list(block),
                distinct_texts=len(texts),
                distinct_authors=len(authors),
                theme_ids=themes,
                reasons=reasons,
                example=items[0].text_pseudonymised[:200],
            )
        )
    return campaigns
