"""How the offline method groups distinct texts into main themes (ADR 0022).

1. **Vectors** (``vectorise``). Word unigrams + bigrams (stop words removed, texts already
   case- and accent-folded) and character 3–5-grams inside word boundaries, each TF-IDF with
   sublinear counts, concatenated and L2-normalised, then truncated SVD (LSA, seeded) with rows
   re-normalised, so dot products are cosine similarities. Optional: mean word vectors of an
   installed spaCy model, or an embedder's vectors, concatenated.
2. **How many themes** (``choose_k``, ``rule_k``). Given, or the best cosine silhouette among
   five values up to ``√(n/2)`` when the texts separate (best silhouette ≥
   ``structure_silhouette``), else ``√(n/2)`` itself, at most ``max_themes``.
3. **Which themes** (``main_themes``). Where k came from the √(n/2) rule (no structure), the
   consensus of ``consensus_runs`` seeded k-means runs (co-association, average linkage cut at
   k); elsewhere k-means with ``n_init`` restarts. Each distinct text weighs its copies.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from garant.errors import InputError
from garant.i18n import tr

if TYPE_CHECKING:
    from .offline import OfflineParameters

__all__ = [
    "choose_k",
    "consensus_labels",
    "main_themes",
    "rule_k",
    "vectorise",
    "weighted_centres",
]


def word_vectorizer(
    stop_list: Sequence[str], min_df: int, max_features: int, *, max_df: float = 1.0
) -> Any:
    """The word TF-IDF of folded texts (words and pairs of words, stop words out, sublinear
    counts), shared by the themes' vectors and the campaign detector's."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        strip_accents=None,
        lowercase=False,
        stop_words=list(stop_list),
        token_pattern=r"(?u)\b\w\w+\b",
        ngram_range=(1, 2),
        min_df=min_df,
        max_df=max_df,
        sublinear_tf=True,
        max_features=max_features,
        dtype=np.float32,
    )


def vectorise(
    unique_texts: Sequence[str],
    raw_texts: Sequence[str],
    stop_list: Sequence[str],
    parameters: OfflineParameters,
    embedder: Callable[[list[str]], Any] | None,
    details: dict[str, Any],
) -> tuple[Any, list[str], Any]:
    """Word TF-IDF matrix, its terms, and unit LSA vectors of the distinct texts.

    ``unique_texts`` are case- and accent-folded; ``raw_texts`` are the same texts as written
    (for word vectors and embedders).
    """
    import numpy as np
    import scipy.sparse as sparse
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    n_unique = len(unique_texts)
    min_df = 2 if n_unique >= 50 else 1
    words = word_vectorizer(
        stop_list, min_df, parameters.max_word_features, max_df=0.5 if n_unique >= 20 else 1.0
    )
    try:
        unique_words = words.fit_transform(unique_texts)
    except ValueError:
        unique_words = sparse.csr_matrix((n_unique, 0), dtype=np.float32)
    word_terms = words.get_feature_names_out().tolist() if unique_words.shape[1] else []
    blocks = [unique_words] if unique_words.shape[1] else []
    if parameters.char_ngrams:
        char_range = (3, 5) if n_unique <= parameters.char_ngram_full_max_docs else (4, 4)
        details["char_ngram_range"] = f"{char_range[0]}-{char_range[1]}"
        chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=char_range,
            strip_accents=None,
            lowercase=False,
            min_df=min_df,
            max_df=0.5 if n_unique >= 20 else 1.0,
            sublinear_tf=True,
            max_features=parameters.max_char_features,
            dtype=np.float32,
        )
        limit = parameters.char_text_limit
        with contextlib.suppress(ValueError):  # no character n-gram survives min_df
            blocks.append(chars.fit_transform([text[:limit] for text in unique_texts]))
    if blocks:
        matrix = normalize(sparse.hstack(blocks).tocsr())
    else:
        matrix = sparse.csr_matrix(np.ones((n_unique, 1), dtype=np.float32))
    components = min(parameters.svd_components, matrix.shape[1] - 1, n_unique - 1)
    if components >= 2:
        svd = TruncatedSVD(
            n_components=components,
            n_iter=parameters.svd_iterations,
            random_state=parameters.seed,
        )
        unique_vectors = normalize(svd.fit_transform(matrix)).astype(np.float64)
    else:
        unique_vectors = normalize(matrix.toarray()).astype(np.float64)
    if parameters.semantic_weight > 0 and parameters.word_vectors:
        from .word_vectors import load_french_vectors

        table = load_french_vectors(parameters.word_vectors)
        if table is not None:
            limit = parameters.char_text_limit
            semantic = table.embed([text[:limit] for text in raw_texts])
            # Centred: every French text shares a large common direction ("some words of
            # French") that would otherwise make all texts look alike.
            semantic = normalize(semantic - semantic.mean(axis=0))
            unique_vectors = normalize(
                np.hstack([unique_vectors, parameters.semantic_weight * semantic])
            )
            details["word_vectors"] = table.name
    if embedder is not None:
        embedded = np.asarray(embedder(list(raw_texts)), dtype=np.float64)
        if embedded.ndim != 2 or embedded.shape[0] != n_unique:
            raise InputError(
                tr(
                    "L'embedder a rendu un tableau de forme {shape} pour {n} textes.",
                    "The embedder returned an array of shape {shape} for {n} texts.",
                    shape=embedded.shape,
                    n=n_unique,
                ),
                tr("Corrigez la fonction d'embeddings.", "Fix the embedding function."),
            )
        unique_vectors = normalize(np.hstack([unique_vectors, normalize(embedded)]))
        details["embedder"] = True
    return unique_words, word_terms, unique_vectors


def main_themes(
    unique_vectors: Any, copies: Any, parameters: OfflineParameters, details: dict[str, Any]
) -> tuple[Any, Any, int]:
    """Theme of each distinct text, unit theme centres, and k (recorded in ``details``)."""
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import normalize

    n_unique = unique_vectors.shape[0]
    if parameters.n_themes is not None:
        k = max(1, min(parameters.n_themes, n_unique))
        silhouettes: dict[int, float] = {}
    elif parameters.k_rule == "sqrt":
        k, silhouettes = rule_k(n_unique, parameters), {}
        details["k_rule"] = "sqrt"
    else:
        k, silhouettes = choose_k(unique_vectors, parameters)
        structured = max(silhouettes.values(), default=0.0)
        if parameters.k_rule == "auto" and structured < parameters.structure_silhouette:
            k = rule_k(n_unique, parameters)
        details["k_rule"] = (
            "silhouette"
            if parameters.k_rule == "silhouette" or structured >= parameters.structure_silhouette
            else "sqrt"
        )
    details["k"] = k
    details["silhouette"] = {str(key): round(value, 4) for key, value in silhouettes.items()}
    # Consensus only where the texts show no cluster structure (k by the √(n/2) rule):
    # there single k-means runs disagree from seed to seed; where the silhouette found
    # structure, k-means with restarts finds it (and its small themes) by itself.
    if (
        parameters.consensus_runs > 1
        and details.get("k_rule") == "sqrt"
        and 2 < k < n_unique <= parameters.consensus_max_docs
    ):
        unique_labels = consensus_labels(unique_vectors, copies, k, parameters)
        centres = weighted_centres(unique_vectors, copies, unique_labels, k)
        details["grouping"] = f"consensus of {parameters.consensus_runs} k-means"
    else:
        restarts = parameters.n_init if n_unique <= parameters.char_ngram_full_max_docs else 1
        kmeans = KMeans(n_clusters=k, random_state=parameters.seed, n_init=restarts)
        # Each distinct text weighs its number of copies: the result is that of
        # clustering every contribution, at the cost of the distinct texts only.
        unique_labels = kmeans.fit_predict(unique_vectors, sample_weight=copies)
        centres = normalize(kmeans.cluster_centers_)
        details["grouping"] = "k-means"
    return unique_labels, centres, k


def choose_k(vectors: Any, parameters: OfflineParameters) -> tuple[int, dict[int, float]]:
    """The best cosine silhouette (seeded sample) among five k up to the √(n/2) rule."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    count = vectors.shape[0]
    upper = max(
        2, min(parameters.max_themes, round(parameters.k_scale * math.sqrt(count)), count - 1)
    )
    lower = max(2, upper // 3)
    candidates = sorted({round(float(value)) for value in np.linspace(lower, upper, num=5)})
    rng = np.random.default_rng(parameters.seed)
    sample_size = min(count, parameters.silhouette_sample)
    sample = np.sort(rng.choice(count, size=sample_size, replace=False))
    subset = vectors[sample]
    scores: dict[int, float] = {}
    for k in candidates:
        if k >= sample_size:
            continue
        model = KMeans(n_clusters=k, random_state=parameters.seed, n_init=1).fit(subset)
        if len(set(model.labels_.tolist())) < 2:
            continue
        scores[k] = float(silhouette_score(subset, model.labels_, metric="cosine"))
    if not scores:
        return min(upper, count), scores
    best = max(scores, key=lambda k: (round(scores[k], 4), -k))
    return best, scores


def consensus_labels(vectors: Any, copies: Any, k: int, parameters: OfflineParameters) -> Any:
    """k themes agreed by ``consensus_runs`` seeded k-means runs (co-association, average link)."""
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering, KMeans
    from threadpoolctl import threadpool_limits

    n = vectors.shape[0]
    seeds = np.random.default_rng(parameters.seed).integers(0, 2**31 - 1, parameters.consensus_runs)
    together = np.zeros((n, n), dtype=np.float64)
    # One OpenMP thread: on small inputs k-means' threads spend more time waiting for each
    # other than working (measured: 20 runs on 400 texts, 1.3 s CPU with the default
    # threads on the busy 2-core machine, 0.09 s with one).
    with threadpool_limits(limits=1, user_api="openmp"):
        for run_seed in seeds.tolist():
            labels = KMeans(n_clusters=k, random_state=run_seed, n_init=1).fit_predict(
                vectors, sample_weight=copies
            )
            together += labels[:, None] == labels[None, :]
    distance = 1.0 - together / len(seeds)
    agreed = AgglomerativeClustering(n_clusters=k, metric="precomputed", linkage="average")
    return agreed.fit_predict(distance)


def weighted_centres(vectors: Any, copies: Any, labels: Any, k: int) -> Any:
    """Unit centre of each theme, every distinct text weighing its number of copies."""
    import numpy as np
    from sklearn.preprocessing import normalize

    centres = np.zeros((k, vectors.shape[1]), dtype=np.float64)
    np.add.at(centres, labels, vectors * np.asarray(copies, dtype=np.float64)[:, None])
    return normalize(centres)


def rule_k(count: int, parameters: OfflineParameters) -> int:
    """k = ``k_scale × √count`` rounded, between 2 and ``max_themes`` (and below ``count``)."""
    return max(
        1,
        min(parameters.max_themes, count - 1, max(2, round(parameters.k_scale * math.sqrt(count)))),
    )
