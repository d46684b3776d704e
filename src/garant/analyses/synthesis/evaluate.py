"""Compare a synthesis with human labels (a "gold" file), so users can check the method.

Gold file: CSV (columns ``id`` and ``labels``/``label``/``themes``, several labels separated by
``|``, or by ``;`` when the CSV separator is ``,``) or JSON (``{"id": ["label", …]}`` or a
list of ``{"id": …, "labels": […]}``). Ids are the corpus ids (``source:native``) or, when
unambiguous, the native ids of the source.

Measures:

* **Multi-label per-contribution F1** (average over contributions of 2|P∩G|/(|P|+|G|), as
  themefinder's ``f1_score(average="samples")``), with a seeded 1,000-sample bootstrap 95 %
  interval. Predicted themes have no human names, so each is first mapped to the gold label it
  shares most contributions with (the mapping is reported). A singular contribution predicts
  no label.
* **Clustering agreement** on primary labels (first theme, or "singular"), which needs no
  mapping: adjusted Rand index and normalised mutual information.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from garant.errors import InputError
from garant.i18n import tr

from .ingest import decode_bytes
from .model import SynthesisResult

__all__ = ["Evaluation", "evaluate", "evaluation_markdown", "read_gold", "score_assignments"]

_SINGULAR = "__singulier__"


class Evaluation(BaseModel):
    """Agreement between a synthesis and human labels."""

    evaluated: int
    gold_not_in_result: list[str]
    f1_samples: float
    f1_ci95: tuple[float, float]
    adjusted_rand: float
    nmi: float
    mapping: dict[str, str]
    """Predicted theme id → the gold label it was mapped to."""
    gold_labels: int
    predicted_themes: int
    baselines: dict[str, dict[str, float]] = {}
    """Trivial baselines on the same contributions: « un seul groupe » (everything in one
    theme) and, when the corpus has questions, « par question » (one theme per question)."""


def _split_labels(value: str, separator: str) -> list[str]:
    return [label.strip() for label in value.split(separator) if label.strip()]


def read_gold(path: Path) -> dict[str, list[str]]:
    """Read a gold file into id → labels."""
    if not path.is_file():
        raise InputError(
            tr(
                "Fichier de référence introuvable : {path}.",
                "Gold file not found: {path}.",
                path=path,
            ),
            tr("Vérifiez le chemin.", "Check the path."),
        )
    text, _encoding = decode_bytes(path.read_bytes(), path.name)
    gold: dict[str, list[str]] = {}
    if path.suffix.lower() == ".json":
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(
                tr(
                    "{file} : JSON invalide (ligne {line}).",
                    "{file}: invalid JSON (line {line}).",
                    file=path.name,
                    line=error.lineno,
                ),
                tr("Corrigez le fichier.", "Fix the file."),
            ) from error
        items = (
            data.items()
            if isinstance(data, dict)
            else (
                (entry.get("id"), entry.get("labels", entry.get("label")))
                for entry in data
                if isinstance(entry, dict)
            )
        )
        for identifier, labels in items:
            if identifier is None:
                continue
            values = [labels] if isinstance(labels, str) else list(labels or [])
            gold[str(identifier)] = [str(label).strip() for label in values if str(label).strip()]
    else:
        if not text.strip():
            raise InputError(
                tr("{file} est vide.", "{file} is empty.", file=path.name),
                tr("Vérifiez le fichier de référence.", "Check the gold file."),
            )
        sample = text[:4096]
        delimiter = (
            ";" if sample.splitlines()[0].count(";") > sample.splitlines()[0].count(",") else ","
        )
        separator = "|" if delimiter == ";" or "|" in sample else ";"
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        fields = reader.fieldnames or []
        label_field = next(
            (name for name in ("labels", "label", "themes", "theme") if name in fields), None
        )
        if "id" not in fields or label_field is None:
            raise InputError(
                tr(
                    "{file} : colonnes « id » et « labels » attendues (présentes : {fields}).",
                    "{file}: columns 'id' and 'labels' expected (found: {fields}).",
                    file=path.name,
                    fields=", ".join(fields),
                ),
                tr("Renommez les colonnes.", "Rename the columns."),
            )
        for row in reader:
            identifier = (row.get("id") or "").strip()
            if identifier:
                gold[identifier] = _split_labels(row.get(label_field) or "", separator)
    if not gold:
        raise InputError(
            tr("{file} ne contient aucune étiquette.", "{file} holds no label.", file=path.name),
            tr("Vérifiez le fichier de référence.", "Check the gold file."),
        )
    return gold


def evaluate(
    result: SynthesisResult,
    gold_file: Path,
    *,
    seed: int = 0,
    questions: Mapping[str, str | None] | None = None,
) -> Evaluation:
    """Compare ``result`` with the labels in ``gold_file``.

    ``questions`` (contribution id → question) adds the « par question » baseline.
    """
    predicted = {a.contribution_id: list(a.theme_ids) for a in result.assignments}
    gold_raw = read_gold(gold_file)
    evaluation = score_assignments(predicted, gold_raw, gold_file.name, seed=seed)
    baselines = {
        tr("un seul groupe", "one group"): {identifier: ["G"] for identifier in predicted},
    }
    if questions is not None and any(questions.values()):
        baselines[tr("par question", "by question")] = {
            identifier: [questions.get(identifier) or "?"] for identifier in predicted
        }
    scores: dict[str, dict[str, float]] = {}
    for name, assignment in baselines.items():
        baseline = score_assignments(assignment, gold_raw, gold_file.name, seed=seed)
        scores[name] = {
            "f1_samples": baseline.f1_samples,
            "adjusted_rand": baseline.adjusted_rand,
            "nmi": baseline.nmi,
        }
    return evaluation.model_copy(update={"baselines": scores})


def score_assignments(
    predicted: Mapping[str, Sequence[str]],
    gold_raw: Mapping[str, list[str]],
    gold_name: str,
    *,
    seed: int = 0,
) -> Evaluation:
    """Scores of any assignment (contribution id → theme ids, empty = singular) against gold
    labels (id → labels); used for garant's runs and for the baselines alike."""
    import numpy as np
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    native: dict[str, list[str]] = defaultdict(list)
    for identifier in predicted:
        native[identifier.split(":", 1)[-1]].append(identifier)
    gold: dict[str, list[str]] = {}
    missing: list[str] = []
    for identifier, labels in gold_raw.items():
        if identifier in predicted:
            gold[identifier] = labels
        elif len(native.get(identifier, [])) == 1:
            gold[native[identifier][0]] = labels
        else:
            missing.append(identifier)
    if not gold:
        raise InputError(
            tr(
                "Aucun identifiant de {file} ne correspond au corpus analysé.",
                "No id in {file} matches the analysed corpus.",
                file=gold_name,
            ),
            tr(
                "Utilisez les identifiants du corpus (colonne id de l'export JSON).",
                "Use the corpus ids (id column of the JSON export).",
            ),
        )
    ids = sorted(gold)
    overlap: dict[str, Counter[str]] = defaultdict(Counter)
    for identifier in ids:
        for theme in predicted[identifier]:
            for label in gold[identifier]:
                overlap[theme][label] += 1
    mapping = {
        theme: max(sorted(counts), key=lambda label: counts[label])
        for theme, counts in sorted(overlap.items())
    }
    scores = []
    for identifier in ids:
        mapped = {mapping[theme] for theme in predicted[identifier] if theme in mapping}
        truth = set(gold[identifier])
        if not mapped and not truth:
            scores.append(1.0)
        else:
            scores.append(2 * len(mapped & truth) / (len(mapped) + len(truth)))
    values = np.asarray(scores)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(values), size=(1_000, len(values)))
    means = values[draws].mean(axis=1)
    primary_pred = [(predicted[i] or [_SINGULAR])[0] for i in ids]
    primary_gold = [(gold[i] or [_SINGULAR])[0] for i in ids]
    return Evaluation(
        evaluated=len(ids),
        gold_not_in_result=missing,
        f1_samples=round(float(values.mean()), 4),
        f1_ci95=(
            round(float(np.quantile(means, 0.025)), 4),
            round(float(np.quantile(means, 0.975)), 4),
        ),
        adjusted_rand=round(float(adjusted_rand_score(primary_gold, primary_pred)), 4),
        nmi=round(float(normalized_mutual_info_score(primary_gold, primary_pred)), 4),
        mapping=mapping,
        gold_labels=len({label for labels in gold.values() for label in labels}),
        predicted_themes=len({theme for i in ids for theme in predicted[i]}),
    )


def evaluation_markdown(evaluation: Evaluation) -> str:
    """A short Markdown account of an evaluation."""
    low, high = evaluation.f1_ci95
    lines = [
        f"## {tr('Comparaison avec un classement humain', 'Comparison with human labels')}",
        "",
        tr(
            "- Contributions comparées : {n} ({gold} étiquettes humaines, {pred} thèmes).",
            "- Contributions compared: {n} ({gold} human labels, {pred} themes).",
            n=evaluation.evaluated,
            gold=evaluation.gold_labels,
            pred=evaluation.predicted_themes,
        ),
        tr(
            "- F1 multi-étiquettes par contribution : {f1:.2f} (IC 95 % : {low:.2f}–{high:.2f}).",
            "- Per-contribution multi-label F1: {f1:.2f} (95 % CI: {low:.2f}–{high:.2f}).",
            f1=evaluation.f1_samples,
            low=low,
            high=high,
        ),
        tr(
            "- Accord des regroupements (thème principal) : indice de Rand ajusté {ari:.2f}, "
            "information mutuelle normalisée {nmi:.2f}.",
            "- Clustering agreement (primary theme): adjusted Rand {ari:.2f}, NMI {nmi:.2f}.",
            ari=evaluation.adjusted_rand,
            nmi=evaluation.nmi,
        ),
    ]
    if evaluation.baselines:
        lines.append(
            tr(
                "- Références triviales sur les mêmes contributions :",
                "- Trivial baselines on the same contributions:",
            )
        )
        for name, scores in evaluation.baselines.items():
            lines.append(
                f"  - {name} : F1 {scores['f1_samples']:.2f}, "
                f"{tr('Rand ajusté', 'adjusted Rand')} {scores['adjusted_rand']:.2f}, "
                f"NMI {scores['nmi']:.2f}"
            )
    if evaluation.gold_not_in_result:
        lines.append(
            tr(
                "- Identifiants de référence absents du corpus : {n}.",
                "- Gold ids not in the corpus: {n}.",
                n=len(evaluation.gold_not_in_result),
            )
        )
    return "\n".join(lines) + "\n"
