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
    "GLOSSARY",
    "Fairness",
    "QuotaLine",
    "Report",
    "Skew",
    "build_report",
    "fairness",
    "lottery_shares",
    "quota_table",
    "skews",
    "summary",
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


def lottery_shares(lottery: Lottery, people: Iterable[str]) -> dict[str, float]:
    """Each person's actual chance in the published lottery: share of the ``m`` panels."""
    counts = dict.fromkeys(people, 0)
    for panel in lottery.panels:
        for person in panel:
            counts[person] = counts.get(person, 0) + 1
    return {person: count / lottery.m for person, count in counts.items()}


@dataclass(frozen=True)
class Skew:
    """A quota that forces a profile's chances above (or below) the average ``k/n``."""

    criterion: str
    value: str
    seats: int
    volunteers: int
    forced_up: bool

    @property
    def ratio(self) -> float:
        return self.seats / self.volunteers if self.volunteers else 1.0


def skews(instance: Instance) -> list[Skew]:
    """Quotas whose minimum asks more seats per volunteer than average (rare profiles), and
    whose maximum allows fewer (over-represented profiles), strongest first."""
    n = max(1, len(instance.ids) - len(instance.excluded))
    average = instance.k / n
    counts: dict[tuple[str, str], int] = {}
    for features in instance.features:
        for criterion, value in features.items():
            counts[(criterion, value)] = counts.get((criterion, value), 0) + 1
    found = []
    for quota in instance.quotas.quotas:
        having = counts.get((quota.criterion, quota.value), 0)
        if having and quota.min / having > average * 1.2:
            found.append(Skew(quota.criterion, quota.value, quota.min, having, True))
        elif having and quota.max / having < average / 1.2:
            found.append(Skew(quota.criterion, quota.value, quota.max, having, False))
    return sorted(found, key=lambda s: -abs(s.ratio - average))


def summary(
    instance: Instance,
    result: SortitionResult,
    lottery: Lottery | None,
    panel: Panel | None,
    *,
    time_limit_s: float | None = None,
) -> list[str]:
    """Plain-French sentences for page 1: why this is fair, how to check it."""
    shares = (
        lottery_shares(lottery, result.probabilities)
        if lottery is not None
        else dict(result.probabilities)
    )
    figures = fairness(shares)
    n = len(result.probabilities)
    seats = result.k - len(result.already_selected)
    method = {
        "leximin": tr(
            "la méthode LEXIMIN rend la plus petite chance aussi grande que les quotas le "
            "permettent, puis la suivante, et ainsi de suite",
            "LEXIMIN makes the smallest chance as large as the quotas allow, then the next one, "
            "and so on",
        ),
        "maximin": tr(
            "la méthode MAXIMIN rend la plus petite chance aussi grande que les quotas le "
            "permettent",
            "MAXIMIN makes the smallest chance as large as the quotas allow",
        ),
        "nash": tr(
            "la méthode de Nash équilibre les chances de tous",
            "the Nash method balances everyone's chances",
        ),
        "legacy": tr(
            "méthode gloutonne historique (comparaison seulement : chances estimées)",
            "historical greedy method (comparison only: estimated chances)",
        ),
    }[result.algorithm]
    sentences = [
        tr(
            "Pourquoi ce tirage est équitable : chacun des {n} volontaires avait au moins "
            "{lo} de chances d'être tiré (moyenne {avg}) ; {method}.",
            "Why this draw is fair: each of the {n} volunteers had at least a {lo} chance of "
            "being drawn (average {avg}); {method}.",
            n=n,
            lo=_pct(figures.minimum),
            avg=_pct(seats / n if n else 0.0),
            method=method,
        )
    ]
    average = seats / n if n else 0.0
    below = sum(1 for p in shares.values() if p < average - 1e-9)
    if figures.maximum > 2 * average or below > n / 2:
        sentences.append(
            tr(
                "Certaines personnes ont plus de chances (jusqu'à {hi}) parce que les quotas "
                "réservent des places à des profils rares parmi les volontaires ; ce n'est pas un "
                "biais du tirage (voir « Équité »).",
                "Some people have higher chances (up to {hi}) because the quotas reserve seats "
                "for profiles rare among the volunteers; this is not a bias of the draw (see "
                "'Fairness').",
                hi=_pct(figures.maximum),
            )
        )
    if not result.optimal and result.algorithm != "legacy":
        sentences.append(
            tr(
                "ATTENTION : le calcul a été arrêté par sa limite de temps{limit}, avant "
                "l'optimum ; l'écart certifié à l'optimum est de {gap} sur la plus petite "
                "chance.",
                "WARNING: the computation was stopped by its time limit{limit}, before the "
                "optimum; the certified gap to the optimum is {gap} on the smallest chance.",
                limit="" if time_limit_s is None else f" ({time_limit_s:g} s)",
                gap=_pct(result.gap) if math.isfinite(result.gap) else "?",
            )
        )
    if lottery is not None:
        sentences.append(
            tr(
                "Personne ne pouvait choisir le résultat : le panel est l'un de {m} panels "
                "équiprobables, tous conformes aux quotas, dont la liste a été publiée (empreinte "
                "{h}…) avant que la graine publique ne soit connue{seed}.",
                "Nobody could choose the result: the panel is one of {m} equally likely panels, "
                "all meeting the quotas, whose list was published (hash {h}…) before the public "
                "seed was known{seed}.",
                m=lottery.m,
                h=lottery.sha256[:12],
                seed="" if panel is None else f" ({panel.seed_key})",
            )
        )
    seed_text = '"…"' if panel is None else f'"{_seed_words(panel.seed_key)}"'
    sentences.append(
        tr(
            "Comment vérifier : dans un dossier contenant les fichiers publiés, lancez "
            "« garant sortition verify . --seed {seed} » ; la commande refait tout le calcul "
            "et répond « conforme », ou nomme le fichier et le champ qui diffèrent.",
            "How to check: in a folder holding the published files, run "
            "'garant sortition verify . --seed {seed}'; it redoes the whole computation and "
            "answers 'matches', or names the file and field that differ.",
            seed=seed_text,
        )
    )
    return sentences


def _seed_words(key: str) -> str:
    """``"12.25./7./"`` → ``"12 25 / 7"`` (the seed as typed)."""
    sources = [part for part in key.split("/") if part]
    return " / ".join(" ".join(v for v in part.split(".") if v) for part in sources)


GLOSSARY = (
    (
        "Probabilité (chance) de sélection",
        "la part des panels de la loterie où figure la personne.",
        "Selection probability (chance)",
        "the share of the lottery's panels the person is on.",
    ),
    (
        "LEXIMIN",
        "méthode (Flanigan et al., Nature, 2021) qui rend la plus petite chance aussi grande "
        "que possible, puis la suivante, etc.",
        "LEXIMIN",
        "method (Flanigan et al., Nature, 2021) making the smallest chance as large as "
        "possible, then the next, etc.",
    ),
    (
        "Coefficient de Gini",
        "mesure d'inégalité des chances : 0 % si tous ont la même chance, proche de 100 % si "
        "quelques-uns ont toutes les chances.",
        "Gini coefficient",
        "inequality of chances: 0 % if everyone has the same chance, near 100 % if a few have "
        "them all.",
    ),
    (
        "Moyenne géométrique",
        "moyenne des chances qui tombe à 0 dès qu'une seule personne n'a aucune chance ; plus "
        "elle est proche de la moyenne simple, plus les chances sont égales.",
        "Geometric mean",
        "an average of the chances that drops to 0 as soon as one person has none; the closer "
        "to the plain average, the more equal the chances.",
    ),
    (
        "SHA-256 (empreinte)",
        "résumé de 64 caractères d'un fichier : changer un seul caractère du fichier change "
        "l'empreinte ; publier l'empreinte engage sur le contenu.",
        "SHA-256 (hash)",
        "a 64-character digest of a file: changing one character changes it; publishing it "
        "commits to the content.",
    ),
    (
        "RFC 3797",
        "procédure publique de tirage (norme de l'IETF) : la graine (ex. numéros du loto) est "
        "convertie en un numéro de panel par un calcul que chacun peut refaire.",
        "RFC 3797",
        "a public draw procedure (IETF standard): the seed (e.g. lottery numbers) is turned "
        "into a panel number by a computation anyone can redo.",
    ),
    (
        "MD5",
        "le calcul d'empreinte que la RFC 3797 utilise pour transformer la graine en numéro ; "
        "sa faiblesse connue n'importe pas ici, car la liste des panels est publiée avant la "
        "graine.",
        "MD5",
        "the digest RFC 3797 uses to turn the seed into a number; its known weakness does not "
        "matter here since the panel list is published before the seed.",
    ),
)


def build_report(
    instance: Instance,
    result: SortitionResult,
    *,
    disclosure_markdown: str,
    lottery: Lottery | None = None,
    panel: Panel | None = None,
    plot_file: str | None = None,
    run_id: str = "",
    time_limit_s: float | None = None,
) -> Report:
    """Markdown report (current language, French by default) and its JSON-able data."""
    exact = fairness(result.probabilities)
    drawn = fairness(lottery_shares(lottery, result.probabilities)) if lottery is not None else None
    table = quota_table(instance, result, panel)
    fr, en = _METHOD[result.algorithm]
    n = len(result.probabilities)
    seats = result.k - len(result.already_selected)
    average = seats / n if n else 0.0
    intro = summary(instance, result, lottery, panel, time_limit_s=time_limit_s)
    lines = [
        tr("# Tirage au sort du panel", "# Panel selection by lot"),
        "",
        tr("## En bref", "## In short"),
        "",
        *[f"{sentence}\n" for sentence in intro],
        tr("## Équité", "## Fairness"),
        "",
    ]
    shares = lottery_shares(lottery, result.probabilities) if lottery is not None else {}
    below = sum(1 for p in (shares or result.probabilities).values() if p < average - 1e-9)
    if drawn is not None and lottery is not None:
        lines += [
            tr(
                "| Indicateur | Loterie tirée ({m} panels) | Calcul exact |",
                "| Figure | Lottery drawn ({m} panels) | Exact computation |",
                m=lottery.m,
            ),
            "|---|---|---|",
        ]

        def row(label: str, a: str, b: str) -> str:
            return f"| {label} | {a} | {b} |"

    else:
        lines += [tr("| Indicateur | Valeur |", "| Figure | Value |"), "|---|---|"]

        def row(label: str, a: str, b: str) -> str:
            return f"| {label} | {b} |"

    d = drawn or exact
    lines += [
        row(tr("Chance minimale", "Minimum chance"), _pct(d.minimum), _pct(exact.minimum)),
        row(tr("Chance maximale", "Maximum chance"), _pct(d.maximum), _pct(exact.maximum)),
        row(tr("Chance moyenne (k/n)", "Average chance (k/n)"), _pct(average), _pct(average)),
        row(tr("Coefficient de Gini", "Gini coefficient"), _pct(d.gini), _pct(exact.gini)),
        row(
            tr("Moyenne géométrique", "Geometric mean"),
            _pct(d.geometric_mean),
            _pct(exact.geometric_mean),
        ),
        row(
            tr("Volontaires sans aucune chance", "Volunteers with no chance"),
            str(d.zero),
            str(exact.zero),
        ),
        "",
    ]
    if lottery is not None:
        lines += [
            tr(
                "Les chiffres qui comptent sont ceux de la loterie tirée : chacun a exactement la "
                "part des {m} panels où il figure. Le calcul exact est la cible dont l'arrondi à "
                "{m} panels s'écarte d'au plus {d} par personne.",
                "The figures that count are the lottery's: each person has exactly the share of "
                "the {m} panels they are on. The exact computation is the target, which rounding "
                "to {m} panels moves by at most {d} per person.",
                m=lottery.m,
                d=_pct(lottery.max_deviation) if math.isfinite(lottery.max_deviation) else "?",
            ),
            "",
        ]
    reasons = skews(instance)
    if d.maximum > 2 * average or below > n / 2:
        lines += [
            tr(
                "**Pourquoi les chances ne sont pas toutes égales.** {b} volontaires sur {n} ont "
                "moins que la moyenne et la chance maximale atteint {hi} : ce n'est pas un biais "
                "du tirage, c'est l'effet des quotas sur ce vivier. Quand un profil est rare parmi "
                "les volontaires mais que les quotas lui réservent des places, chaque personne de "
                "ce profil a une grande chance ; les profils nombreux, plafonnés par les quotas, "
                "en ont moins.",
                "**Why the chances are not all equal.** {b} of {n} volunteers are below average "
                "and the maximum chance reaches {hi}: not a bias of the draw but the effect of the "
                "quotas on this pool. When a profile is rare among volunteers but the quotas "
                "reserve seats for it, each person with it gets a high chance; numerous profiles, "
                "capped by the quotas, get less.",
                b=below,
                n=n,
                hi=_pct(d.maximum),
            ),
            "",
        ]
        for skew in reasons[:4]:
            lines.append(
                tr(
                    "- « {c} = {v} » : {s} place(s) au moins pour {p} volontaire(s), soit {r} "
                    "chacun au minimum (moyenne {a}).",
                    "- '{c} = {v}': at least {s} seat(s) for {p} volunteer(s), i.e. {r} each at "
                    "least (average {a}).",
                    c=skew.criterion,
                    v=skew.value,
                    s=skew.seats,
                    p=skew.volunteers,
                    r=_pct(min(1.0, skew.ratio)),
                    a=_pct(average),
                )
                if skew.forced_up
                else tr(
                    "- « {c} = {v} » : {s} place(s) au plus pour {p} volontaire(s), soit {r} "
                    "chacun au maximum (moyenne {a}).",
                    "- '{c} = {v}': at most {s} seat(s) for {p} volunteer(s), i.e. {r} each at "
                    "most (average {a}).",
                    c=skew.criterion,
                    v=skew.value,
                    s=skew.seats,
                    p=skew.volunteers,
                    r=_pct(skew.ratio),
                    a=_pct(average),
                )
            )
        if reasons:
            lines.append("")
    if plot_file:
        lines += [f"![{tr('Profil des probabilités', 'Probability profile')}]({plot_file})", ""]
    lines += [
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
        tr("## Quotas et composition", "## Quotas and composition"),
        "",
        tr(
            "| Critère | Valeur | Min | Max | Vivier | Attendu | Panel |",
            "| Criterion | Value | Min | Max | Pool | Expected | Panel |",
        ),
        "|---|---|---|---|---|---|---|",
    ]
    for line in table:
        drawn_count = "—" if line.panel is None else f"{line.panel}{'' if line.ok else ' ⚠'}"
        lines.append(
            f"| {line.criterion} | {line.value} | {line.min} | {line.max} | "
            f"{line.pool} | {line.expected:.2f} | {drawn_count} |"
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
        ]
        if panel.replaces is not None:
            lines.append(
                tr(
                    "- Nouveau tirage motivé (« {r} ») : remplace le tirage de clé `{k}` "
                    "(panel n° {i})",
                    "- Reasoned redraw ('{r}'): replaces the draw with key `{k}` (panel #{i})",
                    r=panel.replaces.reason,
                    k=panel.replaces.seed_key,
                    i=panel.replaces.index,
                )
            )
        lines += [
            tr(
                "- Membres (identifiants) : {ids}",
                "- Members (ids): {ids}",
                ids=", ".join(panel.members),
            ),
            "",
        ]
    lines += [
        tr("## Vérifier soi-même", "## Check it yourself"),
        "",
        tr(
            "Fichiers publiés : commitment.json, lottery.json, verification.csv (identifiants, "
            "critères et clé de foyer chiffrée : aucune adresse), quotas.csv{draw}. Dans un "
            "dossier qui les contient :",
            "Published files: commitment.json, lottery.json, verification.csv (ids, criteria "
            "and an encrypted household key: no address), quotas.csv{draw}. In a folder holding "
            "them:",
            draw=", draw.json" if panel is not None else "",
        ),
        "",
        "```",
        "garant sortition verify . --seed "
        + ('"…"' if panel is None else f'"{_seed_words(panel.seed_key)}"'),
        "```",
        "",
        tr(
            "Réponse « conforme » (code 0), « NON conforme » avec le fichier et le champ qui "
            "diffèrent (code 1), ou « vérification impossible » si un fichier manque ou est "
            "illisible (code 2).",
            "Answer 'matches' (code 0), 'does NOT match' naming the file and field (code 1), or "
            "'cannot verify' if a file is missing or unreadable (code 2).",
        ),
        "",
        tr("## Lexique", "## Glossary"),
        "",
    ]
    lines += [f"- **{tr(a, c)}** : {tr(b, d_)}" for a, b, c, d_ in GLOSSARY]
    lines.append("")
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
        "time_limit_s": time_limit_s,
        "seconds": result.seconds,
        "summary": intro,
        "fairness": asdict(exact),
        "fairness_lottery": None if drawn is None else asdict(drawn),
        "quotas": [{**asdict(line), "ok": line.ok} for line in table],
        "probabilities": dict(sorted(result.probabilities.items())),
        "lottery_probabilities": dict(sorted(shares.items())) if shares else None,
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
        "run_id": run_id,
    }
    return Report(markdown="\n".join(lines), data=data)
