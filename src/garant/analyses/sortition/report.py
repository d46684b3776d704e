"""Report data for a sortition: fairness figures, quotas vs panel, Markdown, plot, JSON.

The report names volunteers by id only. Rendering Markdown to HTML/PDF is left to
``garant.documents``; the disclosure label is provided by the audited-run wrapper.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from garant.i18n import tr

from .lottery import write_atomic
from .model import Instance, Lottery, Panel, SortitionResult

__all__ = [
    "Fairness",
    "QuotaLine",
    "Report",
    "build_report",
    "fairness",
    "quota_table",
    "write_probability_plot",
]


@dataclass(frozen=True)
class Fairness:
    """Summary of a probability profile (Gini in the Damgaard–Weiner form of the Nature paper)."""

    people: int
    minimum: float
    maximum: float
    gini: float
    geometric_mean: float
    zero: int


def fairness(probabilities: Mapping[str, float] | Iterable[float]) -> Fairness:
    """Minimum, maximum, Gini coefficient and geometric mean of selection probabilities."""
    values = sorted(probabilities.values() if isinstance(probabilities, Mapping) else probabilities)
    n = len(values)
    if n == 0:
        return Fairness(0, 0.0, 0.0, 0.0, 0.0, 0)
    total = sum(values)
    gini = (sum((2 * i - n + 1) * p for i, p in enumerate(values)) / (n * total)) if total else 0.0
    zero = sum(1 for p in values if p <= 1e-12)
    geometric = 0.0 if zero else math.exp(sum(math.log(p) for p in values) / n)
    return Fairness(n, values[0], values[-1], max(0.0, gini), geometric, zero)


@dataclass(frozen=True)
class QuotaLine:
    """One quota, how many volunteers have the value, and how many are on the panel."""

    criterion: str
    value: str
    min: int
    max: int
    pool: int
    panel: int | None
    expected: float

    @property
    def ok(self) -> bool:
        return self.panel is None or self.min <= self.panel <= self.max


def quota_table(
    instance: Instance, result: SortitionResult | None = None, panel: Panel | None = None
) -> list[QuotaLine]:
    """Quotas against the pool, the expected panel (from probabilities) and the drawn panel."""
    index = {pid: i for i, pid in enumerate(instance.ids)}
    members = set(panel.members) if panel is not None else None
    lines = []
    for quota in instance.quotas.quotas:
        having = [
            pid
            for pid, feats in zip(instance.ids, instance.features, strict=True)
            if feats[quota.criterion] == quota.value
        ]
        expected = 0.0
        if result is not None:
            expected = sum(result.probabilities.get(pid, 0.0) for pid in having)
            expected += sum(
                1
                for pid in instance.already_selected
                if instance.features[index[pid]][quota.criterion] == quota.value
            )
        lines.append(
            QuotaLine(
                quota.criterion,
                quota.value,
                quota.min,
                quota.max,
                len(having),
                None if members is None else sum(1 for pid in having if pid in members),
                expected,
            )
        )
    return lines


def write_probability_plot(result: SortitionResult, path: Path | str) -> Path:
    """Sorted probability profile as a PNG (matplotlib, Agg backend, imported here)."""
    import io

    from matplotlib.figure import Figure  # no pyplot: no global backend state is touched

    values = sorted(result.probabilities.values())
    figure = Figure(figsize=(7, 3.5), dpi=120)
    axes = figure.add_subplot()
    axes.step(range(1, len(values) + 1), values, where="mid", color="#1f4e79")
    axes.axhline(
        sum(values) / max(1, len(values)),
        color="#999999",
        linestyle="--",
        linewidth=1,
        label=tr("moyenne (k/n)", "mean (k/n)"),
    )
    axes.set_xlabel(
        tr("volontaires, du moins au plus probable", "volunteers, from least to most likely")
    )
    axes.set_ylabel(tr("probabilité de sélection", "selection probability"))
    axes.set_title(
        tr("Profil des probabilités ({alg})", "Probability profile ({alg})", alg=result.algorithm)
    )
    axes.set_ylim(0, max([*values, 0.01]) * 1.05)
    axes.legend(loc="upper left")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    target = Path(path)
    write_atomic(target, buffer.getvalue())
    return target


@dataclass(frozen=True)
class Report:
    """The Markdown text of the report and the same facts as a JSON-able dict."""

    markdown: str
    data: dict[str, Any]


_METHOD = {
    "leximin": (
        "LEXIMIN (Flanigan et al., Nature 2021) : la plus petite probabilité est rendue "
        "aussi grande que possible, puis la suivante, et ainsi de suite.",
        "LEXIMIN (Flanigan et al., Nature 2021): the smallest probability is made as large "
        "as possible, then the next one, and so on.",
    ),
    "maximin": (
        "MAXIMIN : la plus petite probabilité de sélection est rendue aussi grande que possible.",
        "MAXIMIN: the smallest selection probability is made as large as possible.",
    ),
    "nash": (
        "Bien-être de Nash : le produit des probabilités de sélection est maximisé.",
        "Nash welfare: the product of the selection probabilities is maximised.",
    ),
    "legacy": (
        "Méthode gloutonne historique (pour comparaison) : probabilités estimées par "
        "tirages répétés.",
        "Historical greedy method (for comparison): probabilities estimated by repeated draws.",
    ),
}


def _pct(value: float) -> str:
    return f"{100 * value:.2f} %"


def build_report(
    instance: Instance,
    result: SortitionResult,
    *,
    disclosure_markdown: str,
    lottery: Lottery | None = None,
    panel: Panel | None = None,
    plot_file: str | None = None,
) -> Report:
    """Markdown report (current language, French by default) and its JSON-able data."""
    figures = fairness(result.probabilities)
    table = quota_table(instance, result, panel)
    fr, en = _METHOD[result.algorithm]
    lines = [
        tr("# Tirage au sort du panel", "# Panel selection by lot"),
        "",
        tr("## Méthode", "## Method"),
        "",
        tr(fr, en),
        "",
        tr("- Taille du panel : {k}", "- Panel size: {k}", k=instance.k),
        tr(
            "- Volontaires dans le vivier : {n} (exclus : {x}, déjà sélectionnés : {s})",
            "- Volunteers in the pool: {n} (excluded: {x}, already selected: {s})",
            n=len(instance.ids),
            x=len(instance.excluded),
            s=len(instance.already_selected),
        ),
        tr("- Critères : {c}", "- Criteria: {c}", c=", ".join(instance.quotas.criteria)),
        tr(
            "- Règle des foyers : {h}",
            "- Household rule: {h}",
            h=(
                tr(
                    "une personne au plus par foyer ({cols})",
                    "at most one person per household ({cols})",
                    cols=", ".join(instance.household_columns),
                )
                if instance.household_columns
                else tr("non appliquée", "not applied")
            ),
        ),
        tr(
            "- Résolution : {s:.1f} s, {i} itérations, {o}",
            "- Solve: {s:.1f} s, {i} iterations, {o}",
            s=result.seconds,
            i=result.iterations,
            o=(
                tr("optimum certifié", "certified optimum")
                if result.optimal
                else tr(
                    "arrêt avant l'optimum (écart certifié {g:.2e})",
                    "stopped before the optimum (certified gap {g:.2e})",
                    g=result.gap,
                )
            ),
        ),
        "",
        tr("## Données d'entrée (empreintes SHA-256)", "## Inputs (SHA-256 hashes)"),
        "",
        tr("- Vivier : `{h}`", "- Pool: `{h}`", h=instance.pool.sha256),
        tr("- Quotas : `{h}`", "- Quotas: `{h}`", h=instance.quotas.sha256),
        "",
        tr("## Équité", "## Fairness"),
        "",
        tr("| Indicateur | Valeur |", "| Figure | Value |"),
        "|---|---|",
        tr(
            "| Probabilité minimale | {v} |",
            "| Minimum probability | {v} |",
            v=_pct(figures.minimum),
        ),
        tr(
            "| Probabilité maximale | {v} |",
            "| Maximum probability | {v} |",
            v=_pct(figures.maximum),
        ),
        tr("| Coefficient de Gini | {v} |", "| Gini coefficient | {v} |", v=_pct(figures.gini)),
        tr(
            "| Moyenne géométrique | {v} |",
            "| Geometric mean | {v} |",
            v=_pct(figures.geometric_mean),
        ),
        tr(
            "| Volontaires à probabilité nulle | {v} |",
            "| Volunteers with probability zero | {v} |",
            v=figures.zero,
        ),
        "",
    ]
    if plot_file:
        lines += [f"![{tr('Profil des probabilités', 'Probability profile')}]({plot_file})", ""]
    lines += [
        tr("## Quotas et composition", "## Quotas and composition"),
        "",
        tr(
            "| Critère | Valeur | Min | Max | Vivier | Attendu | Panel |",
            "| Criterion | Value | Min | Max | Pool | Expected | Panel |",
        ),
        "|---|---|---|---|---|---|---|",
    ]
    for line in table:
        drawn = "—" if line.panel is None else f"{line.panel}{'' if line.ok else ' ⚠'}"
        lines.append(
            f"| {line.criterion} | {line.value} | {line.min} | {line.max} | "
            f"{line.pool} | {line.expected:.2f} | {drawn} |"
        )
    lines.append("")
    if lottery is not None:
        lines += [
            tr("## Loterie publiée", "## Published lottery"),
            "",
            tr(
                "La distribution a été arrondie à {m} panels équiprobables, tous conformes aux "
                "quotas ; leur liste a été publiée avant le choix de la graine.",
                "The distribution was rounded to {m} equally likely panels, all meeting the "
                "quotas; their list was published before the seed was chosen.",
                m=lottery.m,
            ),
            "",
            tr(
                "- Empreinte de la liste (SHA-256) : `{h}`",
                "- List hash (SHA-256): `{h}`",
                h=lottery.sha256,
            ),
        ]
        if not math.isnan(lottery.max_deviation):
            lines.append(
                tr(
                    "- Écart maximal dû à l'arrondi : {d}",
                    "- Largest deviation due to rounding: {d}",
                    d=_pct(lottery.max_deviation),
                )
            )
        lines.append("")
    if panel is not None:
        lines += [
            tr("## Tirage", "## Draw"),
            "",
            tr(
                "- Graine publique (clé RFC 3797) : `{k}`",
                "- Public seed (RFC 3797 key): `{k}`",
                k=panel.seed_key,
            ),
            tr(
                "- MD5 : `{h}` → panel n° {i}",
                "- MD5: `{h}` → panel #{i}",
                h=panel.md5_hex,
                i=panel.index,
            ),
            tr(
                "- Membres (identifiants) : {ids}",
                "- Members (ids): {ids}",
                ids=", ".join(panel.members),
            ),
            "",
        ]
    if result.notes:
        lines += [tr("## Remarques", "## Notes"), ""]
        lines += [f"- {note}" for note in result.notes]
        lines.append("")
    lines += [tr("## Mention d'usage", "## Disclosure"), "", disclosure_markdown.strip(), ""]
    data: dict[str, Any] = {
        "algorithm": result.algorithm,
        "k": instance.k,
        "pool_size": len(instance.ids),
        "criteria": list(instance.quotas.criteria),
        "household_columns": list(instance.household_columns),
        "input_hashes": dict(result.input_hashes),
        "optimal": result.optimal,
        "gap": None if math.isnan(result.gap) else result.gap,
        "seconds": result.seconds,
        "fairness": asdict(figures),
        "quotas": [{**asdict(line), "ok": line.ok} for line in table],
        "probabilities": dict(sorted(result.probabilities.items())),
        "lottery": None if lottery is None else {"m": lottery.m, "sha256": lottery.sha256},
        "draw": None
        if panel is None
        else {
            "index": panel.index,
            "seed_key": panel.seed_key,
            "md5": panel.md5_hex,
            "members": list(panel.members),
        },
        "notes": list(result.notes),
    }
    return Report(markdown="\n".join(lines), data=data)
