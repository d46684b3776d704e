"""The synthesis report: a Markdown text, a JSON-able dict and a PNG chart of theme sizes.

Rendering Markdown to HTML or PDF is ``garant.documents``' job; this module only writes text.
Contribution texts are escaped so that Markdown or HTML inside them renders as plain text.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from garant.errors import InputError
from garant.i18n import current_language, tr

from .corpus import Corpus, atomic_write_bytes, atomic_write_text
from .model import QuoteCheck, StanceCounts, SynthesisResult, Theme
from .passages import verify_original
from .quotes import verify_quote

__all__ = ["SynthesisReport", "build_report", "coverage_table", "render_chart", "write_report"]

CHART_NAME = "tailles-des-themes.png"
CHART_LIMIT = 40
"""Most themes drawn in the chart (the report says so when there are more)."""
_ANNEX_LIMIT = 5_000
_LIST_LIMIT = 200
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


@dataclass
class SynthesisReport:
    """Report text, structured data and chart (PNG bytes, or None without themes)."""

    markdown: str
    data: dict[str, Any]
    chart_png: bytes | None = None
    chart_name: str = CHART_NAME
    files: list[str] = field(default_factory=list)


def _md(text: str) -> str:
    """Escape a contribution text for inline Markdown (one line, no HTML, no markup)."""
    flat = " ".join(text.split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", flat)


def _percent(part: int, whole: int) -> str:
    value = 100.0 * part / whole if whole else 0.0
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return (text.replace(".", ",") if current_language() == "fr" else text) + " %"


def _stance_text(counts: dict[str, int]) -> str:
    if not counts:
        return "—"
    names = {
        "pour": tr("pour", "for"),
        "contre": tr("contre", "against"),
        "neutre": tr("neutre", "neutral"),
    }
    return ", ".join(f"{names.get(key, key)} {value}" for key, value in sorted(counts.items()))


def coverage_table(result: SynthesisResult, corpus: Corpus) -> dict[str, Any]:
    """Every corpus contribution must be in a theme or in the singular list: prove it."""
    corpus_ids = [item.id for item in corpus.contributions]
    assigned = {a.contribution_id: a for a in result.assignments}
    missing = [identifier for identifier in corpus_ids if identifier not in assigned]
    in_theme = sum(
        1
        for identifier in corpus_ids
        if assigned.get(identifier) and assigned[identifier].theme_ids
    )
    reasons = Counter(
        assigned[identifier].singular_reason
        for identifier in corpus_ids
        if identifier in assigned and not assigned[identifier].theme_ids
    )
    singular = sum(reasons.values())
    total = len(corpus_ids)
    covered = in_theme + singular
    return {
        "total": total,
        "in_a_theme": in_theme,
        "singular": singular,
        "singular_by_reason": dict(sorted(reasons.items())),
        "missing": missing,
        "covered": covered,
        "coverage_percent": 100.0 * covered / total if total else 100.0,
        "complete": not missing and covered == total,
    }


def render_chart(themes: list[Theme]) -> bytes | None:
    """Horizontal bar chart of theme sizes (contributions and distinct positions), PNG."""
    if not themes:
        return None
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    shown = sorted(themes, key=lambda theme: -len(theme.contribution_ids))[:CHART_LIMIT]
    labels = [f"{theme.id} {theme.label[:45]}" for theme in shown][::-1]
    sizes = [len(theme.contribution_ids) for theme in shown][::-1]
    positions = [theme.distinct_positions for theme in shown][::-1]
    colours = ["#c0504d" if theme.small else "#4f81bd" for theme in shown][::-1]
    figure = Figure(figsize=(8, 0.35 * len(shown) + 1.4), dpi=110)
    axes = figure.subplots()
    rows = list(range(len(shown)))
    axes.barh(rows, sizes, color=colours)
    axes.barh(rows, positions, color="none", edgecolor="black", hatch="//")
    handles = [
        Patch(color="#4f81bd", label=tr("contributions", "contributions")),
        Patch(color="#c0504d", label=tr("petit thème (minoritaire)", "small (minority) theme")),
        Patch(
            facecolor="none",
            edgecolor="black",
            hatch="//",
            label=tr("positions distinctes", "distinct positions"),
        ),
    ]
    axes.set_yticks(rows, labels, fontsize=7)
    axes.set_xlabel(tr("nombre de contributions", "number of contributions"))
    axes.set_title(
        tr(
            "Taille des thèmes",
            "Theme sizes",
        ),
        fontsize=9,
    )
    axes.legend(handles=handles, fontsize=7, loc="lower right")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def build_report(
    result: SynthesisResult,
    corpus: Corpus,
    *,
    disclosure_markdown: str,
    title: str | None = None,
    chart: bool = True,
) -> SynthesisReport:
    """Assemble the report; re-verifies every displayed quote and refuses a mismatched corpus."""
    if result.corpus_sha256 != corpus.sha256:
        raise InputError(
            tr(
                "Ce résultat a été produit sur une autre version du corpus ({path}).",
                "This result was produced on another version of the corpus ({path}).",
                path=corpus.path,
            ),
            tr("Relancez l'analyse sur le corpus actuel.", "Run the analysis again."),
        )
    by_id = corpus.by_id()
    analysed = {identifier: item.text_pseudonymised for identifier, item in by_id.items()}
    original = {identifier: item.text for identifier, item in by_id.items()}
    # Belt and braces: a quote is displayed only if it verifies against this corpus now.
    themes: list[Theme] = []
    rejected = list(result.rejected_quotes)
    for theme in result.themes:
        kept: list[QuoteCheck] = []
        for quote in theme.quotes:
            check = verify_quote(quote.contribution_id, quote.quote, analysed)
            if check.verified:
                check = verify_original(check, original)
                if not check.verified_original:
                    check = check.model_copy(
                        update={
                            "verified": False,
                            "reason": tr(
                                "passage différent du texte d'origine",
                                "passage differs from the original text",
                            ),
                        }
                    )
            (kept if check.verified else rejected).append(check)
        themes.append(theme.model_copy(update={"quotes": kept}))
    coverage = coverage_table(result, corpus)
    floods = result.floods
    lines: list[str] = []
    add = lines.append
    add(f"# {title or tr('Synthèse des contributions', 'Synthesis of contributions')}")
    add("")
    add(disclosure_markdown.rstrip())
    add("")
    add(f"## {tr('Méthode', 'Method')}")
    add("")
    add(result.method_description)
    add("")
    add(
        tr(
            "- Analyse réalisée le {date} ; empreinte SHA-256 du corpus : `{sha}`.",
            "- Analysis run on {date}; corpus SHA-256: `{sha}`.",
            date=_when(result.created_at),
            sha=result.corpus_sha256,
        )
    )
    add(
        tr(
            "- Aucun avis n'est écarté : chaque contribution est classée dans un thème ou "
            "listée parmi les propos singuliers (table de couverture en fin de rapport). Les "
            "petits thèmes sont gardés quelle que soit leur taille.",
            "- No view is dropped: every contribution is in a theme or listed among singular "
            "contributions (coverage table at the end). Small themes are kept whatever their "
            "size.",
        )
    )
    add(
        tr(
            "- Chaque citation a été vérifiée mécaniquement : c'est un passage mot pour mot de "
            "la contribution citée (espaces et guillemets normalisés), dans le texte analysé "
            "comme dans le texte d'origine ; seules les données personnelles y sont masquées.",
            "- Every quote was checked mechanically: it is a word-for-word passage of the cited "
            "contribution (spaces and quote marks normalised), in the analysed text and in the "
            "original text; only personal data are masked.",
        )
    )
    add("")
    add(f"## {tr('Le corpus en chiffres', 'The corpus in figures')}")
    add("")
    add(f"| {tr('Indicateur', 'Figure')} | {tr('Valeur', 'Value')} |")
    add("|---|---:|")
    add(f"| {tr('Contributions', 'Contributions')} | {floods.total_contributions} |")
    add(
        f"| {tr('Positions distinctes (doublons comptés une fois)', 'Distinct positions (duplicates counted once)')}"
        f" | {floods.distinct_positions} |"
    )
    add(
        f"| {tr('Auteurs distincts (pseudonymes)', 'Distinct authors (pseudonyms)')} | {floods.distinct_authors} |"
    )
    add(
        f"| {tr('Contributions sans auteur connu', 'Contributions with no known author')} | {floods.anonymous_contributions} |"
    )
    add(f"| {tr('Thèmes', 'Themes')} | {len(themes)} |")
    add(
        f"| {tr('dont petits thèmes (avis minoritaires)', 'of which small minority themes')} | {sum(1 for t in themes if t.small)} |"
    )
    add(
        f"| {tr('Propos singuliers / signaux faibles', 'Singular contributions / weak signals')} | {len(result.singular)} |"
    )
    add("")
    add(
        f"| {tr('Source', 'Source')} | {tr('Type', 'Kind')} | {tr('Contributions', 'Contributions')} | {tr('Pseudonymisée', 'Pseudonymised')} |"
    )
    add("|---|---|---:|---|")
    for source in corpus.manifest.sources:
        add(
            f"| {_md(source.file)} | {source.kind} | {source.count} | "
            f"{tr('oui', 'yes') if source.pseudonymised else tr('non', 'no')} |"
        )
    add("")

    add(f"## {tr('Thèmes par taille', 'Themes by size')}")
    add("")
    if chart and themes:
        add(f"![{tr('Taille des thèmes', 'Theme sizes')}]({CHART_NAME})")
        add("")
        if len(themes) > CHART_LIMIT:
            add(
                tr(
                    "*Le graphique montre les {limit} plus grands thèmes sur {n} ; tous sont "
                    "décrits ci-dessous.*",
                    "*The chart shows the {limit} largest themes of {n}; all are described below.*",
                    limit=CHART_LIMIT,
                    n=len(themes),
                )
            )
            add("")
    questions = _questions_in_order(corpus)
    if any(question is not None for question in questions):
        assigned = {a.contribution_id: a for a in result.assignments}
        for number, question in enumerate(questions, start=1):
            members = [
                item.id for item in corpus.contributions if (item.question or None) == question
            ]
            in_theme = sum(1 for i in members if i in assigned and assigned[i].theme_ids)
            covered = sum(1 for i in members if i in assigned)
            title_text = question or tr("Sans question", "No question")
            add(f"## {tr('Question', 'Question')} {number} — {_md(title_text)}")
            add("")
            add(
                tr(
                    "{n} réponses : {t} dans un thème, {s} propos singuliers ; couverture {c}.",
                    "{n} answers: {t} in a theme, {s} singular; coverage {c}.",
                    n=len(members),
                    t=in_theme,
                    s=covered - in_theme,
                    c=_percent(covered, len(members)),
                )
            )
            add("")
            own = [theme for theme in themes if (theme.question or None) == question]
            _themes_table(own, lines)
            for theme in own:
                _theme_section(theme, lines, result)
    else:
        _themes_table(themes, lines)
        for theme in themes:
            _theme_section(theme, lines, result)

    add(
        f"## {tr('Propos singuliers et signaux faibles', 'Singular contributions and weak signals')}"
    )
    add("")
    add(
        tr(
            "Contributions qui ne relèvent d'aucun thème. Elles sont listées une à une : "
            "une idée isolée peut être un signal faible à ne pas perdre.",
            "Contributions that fit no theme, listed one by one: an isolated idea can be a "
            "weak signal worth keeping.",
        )
    )
    add("")
    by_reason: dict[str, list[Any]] = {}
    for entry in result.singular:
        by_reason.setdefault(entry.reason, []).append(entry)
    for reason, entries in sorted(by_reason.items(), key=lambda item: -len(item[1])):
        add(f"### {_md(reason).capitalize()} ({len(entries)})")
        add("")
        for entry in entries[:_LIST_LIMIT]:
            add(f"- `{entry.contribution_id}` — {_md(entry.excerpt)}")
        if len(entries) > _LIST_LIMIT:
            add(
                tr(
                    "- … et {n} autres (liste complète dans le fichier JSON).",
                    "- … and {n} more (full list in the JSON file).",
                    n=len(entries) - _LIST_LIMIT,
                )
            )
        add("")

    _floods_section(result, lines)
    if result.campaigns:
        _campaigns_section(result, lines)

    if rejected:
        add(f"## {tr('Citations écartées', 'Rejected quotes')}")
        add("")
        add(
            tr(
                "Ces citations proposées n'ont pas passé la vérification mot pour mot ; elles "
                "ne sont pas reproduites dans ce rapport.",
                "These proposed quotes failed the word-for-word check; they are not "
                "reproduced in this report.",
            )
        )
        add("")
        for check in rejected:
            add(f"- `{check.contribution_id}` — {_md(check.reason)}")
        add("")
    if result.flagged_claims:
        add(f"## {tr('Affirmations sans source valide', 'Claims without a valid source')}")
        add("")
        for claim in result.flagged_claims:
            cited = ", ".join(claim.contribution_ids) or tr("aucune", "none")
            add(
                tr(
                    "- ⚠ {text} (contributions citées : {cited} — aucune n'appartient au thème)",
                    "- ⚠ {text} (cited: {cited} — none belongs to the theme)",
                    text=_md(claim.text),
                    cited=_md(cited),
                )
            )
        add("")

    add(f"## {tr('Table de couverture', 'Coverage table')}")
    add("")
    add(f"| {tr('Catégorie', 'Category')} | {tr('Contributions', 'Contributions')} |")
    add("|---|---:|")
    add(
        f"| {tr('Classées dans au moins un thème', 'In at least one theme')} | {coverage['in_a_theme']} |"
    )
    for reason, count in coverage["singular_by_reason"].items():
        add(f"| {tr('Propos singuliers', 'Singular')} — {_md(reason)} | {count} |")
    add(f"| **{tr('Total couvert', 'Total covered')}** | **{coverage['covered']}** |")
    add(f"| {tr('Contributions du corpus', 'Contributions in the corpus')} | {coverage['total']} |")
    add(
        f"| **{tr('Couverture', 'Coverage')}** | **{_percent(coverage['covered'], coverage['total'])}** |"
    )
    add("")
    if coverage["missing"]:
        add(
            tr(
                "⚠ Contributions absentes du résultat : {ids}",
                "⚠ Contributions missing from the result: {ids}",
                ids=", ".join(coverage["missing"][:50]),
            )
        )
        add("")
    if len(result.assignments) <= _ANNEX_LIMIT:
        add(
            f"### {tr('Annexe : affectation de chaque contribution', 'Annex: where each contribution went')}"
        )
        add("")
        add(
            f"| {tr('Contribution', 'Contribution')} | {tr('Source', 'Source')} | {tr('Thèmes', 'Themes')} |"
        )
        add("|---|---|---|")
        for assignment in result.assignments:
            item = by_id.get(assignment.contribution_id)
            origin = f"{item.source_file}, {item.source_position}" if item else "—"
            where = (
                ", ".join(assignment.theme_ids)
                or tr("singulier", "singular") + f" ({assignment.singular_reason})"
            )
            add(f"| `{assignment.contribution_id}` | {_md(origin)} | {_md(where)} |")
        add("")
    else:
        add(
            tr(
                "L'affectation de chacune des {n} contributions figure dans le fichier JSON.",
                "Where each of the {n} contributions went is in the JSON file.",
                n=len(result.assignments),
            )
        )
        add("")
    if result.warnings:
        add(f"## {tr('Avertissements', 'Warnings')}")
        add("")
        for warning in result.warnings:
            add(f"- {_md(warning)}")
        add("")

    data: dict[str, Any] = result.model_dump(mode="json")
    data["themes"] = [theme.model_dump(mode="json") for theme in themes]
    data["rejected_quotes"] = [check.model_dump(mode="json") for check in rejected]
    data["disclosure_markdown"] = disclosure_markdown
    data["coverage"] = coverage
    data["corpus"] = {
        "path_name": corpus.path.name,
        "sha256": corpus.sha256,
        "contributions": floods.total_contributions,
        "distinct_positions": floods.distinct_positions,
        "distinct_authors": floods.distinct_authors,
        "sources": [source.model_dump(mode="json") for source in corpus.manifest.sources],
    }
    return SynthesisReport(
        markdown="\n".join(lines).rstrip() + "\n",
        data=data,
        chart_png=render_chart(themes) if chart else None,
    )


def _questions_in_order(corpus: Corpus) -> list[str | None]:
    seen: dict[str | None, None] = {}
    for item in corpus.contributions:
        seen.setdefault(item.question or None, None)
    return list(seen)


def _themes_table(themes: list[Theme], lines: list[str]) -> None:
    add = lines.append
    if not themes:
        add(tr("*Aucun thème pour cette question.*", "*No theme for this question.*"))
        add("")
        return
    add(
        f"| {tr('Thème', 'Theme')} | {tr('Intitulé', 'Label')} | {tr('Contributions', 'Contributions')}"
        f" | {tr('Positions distinctes', 'Distinct positions')} | {tr('Auteurs', 'Authors')}"
        f" | {tr('Position déclarée (source)', 'Declared stance (source)')}"
        f" | {tr('Position estimée', 'Estimated stance')} |"
    )
    add("|---|---|---:|---:|---:|---|---|")
    for theme in themes:
        marker = tr(" (petit thème)", " (small theme)") if theme.small else ""
        add(
            f"| {theme.id} | {_md(theme.label)}{marker} | {len(theme.contribution_ids)} | "
            f"{theme.distinct_positions} | {theme.distinct_authors} | "
            f"{_stance_text(theme.stance.declared)} | {_stance_text(theme.stance.estimated)} |"
        )
    add("")


def _theme_floods(theme: Theme, result: SynthesisResult, lines: list[str]) -> None:
    """Copies and campaigns shown where they argue: inside their theme, with the number of
    distinct texts and authors beside the raw count."""
    add = lines.append
    members = set(theme.contribution_ids)
    for campaign in result.campaigns:
        inside = [i for i in campaign.contribution_ids if i in members]
        if inside:
            add(
                tr(
                    "- ⚠ **Campagne probable {id}** : {n} contributions de ce thème sur {total} "
                    "({texts} textes distincts, {authors} auteurs) — {reasons}. Signal pour le "
                    "lecteur, pas un verdict : elles restent comptées ici.",
                    "- ⚠ **Likely campaign {id}**: {n} contributions of this theme out of "
                    "{total} ({texts} distinct texts, {authors} authors) — {reasons}. A signal "
                    "for the reader, not a verdict: they stay counted here.",
                    id=campaign.id,
                    n=len(inside),
                    total=len(campaign.contribution_ids),
                    texts=campaign.distinct_texts,
                    authors=campaign.distinct_authors,
                    reasons=_md("; ".join(campaign.reasons)),
                )
            )
    for group in result.floods.groups:
        inside = [i for i in group.contribution_ids if i in members]
        if len(inside) >= 3:
            signal = (
                tr("campagne de copies", "copy campaign")
                if group.campaign
                else tr("même auteur", "same author")
                if group.same_author
                else tr("réponse partagée", "shared answer")
            )
            add(
                tr(
                    "- Doublons {id} ({signal}) : {n} copies d'un même texte, {authors} "
                    "auteurs distincts.",
                    "- Duplicates {id} ({signal}): {n} copies of one text, {authors} distinct "
                    "authors.",
                    id=group.id,
                    signal=signal,
                    n=len(inside),
                    authors=group.distinct_authors,
                )
            )


def _theme_section(theme: Theme, lines: list[str], result: SynthesisResult) -> None:
    add = lines.append
    size = len(theme.contribution_ids)
    add(f"### {theme.id} — {_md(theme.label)}")
    add("")
    if theme.small:
        add(
            tr(
                "*Thème trouvé en seconde passe, parmi les contributions proches d'aucun grand "
                "thème : un avis minoritaire, ou une campagne (voir la section des doublons).*",
                "*Theme found in the second pass, among contributions close to no large "
                "theme: a minority view, or a campaign (see the duplicates section).*",
            )
        )
        add("")
    if theme.description:
        add(_md(theme.description))
        add("")
    if theme.label_model:
        add(
            tr(
                "- Intitulé proposé par le modèle, absent des textes du thème et donc non "
                "retenu : « {label} ».",
                "- Label proposed by the model, found in none of the theme's texts and so not "
                "used: '{label}'.",
                label=_md(theme.label_model),
            )
        )
    elif theme.label_offline and theme.label_offline != theme.label:
        add(
            tr(
                "- Intitulé proposé par le modèle ; intitulé tiré des textes (hors ligne) : "
                "« {label} ».",
                "- Label proposed by the model; label drawn from the texts (offline): '{label}'.",
                label=_md(theme.label_offline),
            )
        )
    add(
        tr(
            "- {n} contributions ({primary} en premier thème), {positions} positions "
            "distinctes, {authors} auteurs.",
            "- {n} contributions ({primary} as first theme), {positions} distinct positions, "
            "{authors} authors.",
            n=size,
            primary=theme.primary_count,
            positions=theme.distinct_positions,
            authors=theme.distinct_authors,
        )
    )
    if theme.terms:
        add(
            tr(
                "- Termes distinctifs : {terms}.",
                "- Distinctive terms: {terms}.",
                terms=_md(", ".join(theme.terms)),
            )
        )
    add(_stance_line(theme.stance))
    _theme_floods(theme, result, lines)
    add("")
    if theme.summary:
        add(f"**{tr('Synthèse (rédigée par le modèle)', 'Summary (written by the model)')}**")
        add("")
        for claim in theme.summary:
            ids = ", ".join(f"`{identifier}`" for identifier in claim.valid_ids)
            warning = tr(" ⚠ aucune source valide", " ⚠ no valid source") if claim.flagged else ""
            add(f"- {_md(claim.text)} [{ids}]{warning}")
        add("")
    if theme.quotes:
        add(f"**{tr('Citations vérifiées', 'Verified quotes')}**")
        add("")
        for quote in theme.quotes:
            add(
                f"> « {_md(quote.quote)} » — `{quote.contribution_id}` "
                f"({tr('caractères', 'characters')} {quote.start}–{quote.end})"
            )
            add("")


def _stance_line(stance: StanceCounts) -> str:
    declared = _stance_text(stance.declared)
    text = tr(
        "- Position déclarée par les auteurs (source) : {declared}.",
        "- Stance declared by authors (source): {declared}.",
        declared=declared,
    )
    if stance.estimated:
        text += tr(
            " Position estimée pour les autres ({method}) : {estimated}.",
            " Estimated stance for the others ({method}): {estimated}.",
            method=stance.estimation_method,
            estimated=_stance_text(stance.estimated),
        )
    return text


def _campaigns_section(result: SynthesisResult, lines: list[str]) -> None:
    add = lines.append
    add(f"## {tr('Campagnes probables (reformulations)', 'Likely campaigns (rewordings)')}")
    add("")
    add(
        tr(
            "Blocs de textes distincts qui disent la même chose en d'autres mots, à une densité "
            "inhabituelle : {n} bloc(s), {m} contributions. Aucune n'est écartée ni "
            "pondérée : chacune reste dans son thème.",
            "Blocks of distinct texts saying the same thing in other words at an unusual "
            "density: {n} block(s), {m} contributions. None is dropped or down-weighted: each "
            "stays in its theme.",
            n=len(result.campaigns),
            m=sum(len(c.contribution_ids) for c in result.campaigns),
        )
    )
    add("")
    for campaign in result.campaigns:
        add(
            f"- **{campaign.id}** — {len(campaign.contribution_ids)} contributions, "
            f"{tr('thèmes', 'themes')} {', '.join(campaign.theme_ids) or '—'} — "
            f"{_md('; '.join(campaign.reasons))}. {tr('Exemple', 'Example')} : "
            f"« {_md(campaign.example)} »"
        )
        ids = ", ".join(f"`{i}`" for i in campaign.contribution_ids[:_LIST_LIMIT])
        add(f"  - {tr('Contributions', 'Contributions')} : {ids}")
    add("")


def _floods_section(result: SynthesisResult, lines: list[str]) -> None:
    floods = result.floods
    add = lines.append
    add(
        f"## {tr('Doublons, campagnes et contributions en nombre', 'Duplicates, campaigns and floods')}"
    )
    add("")
    add(
        tr(
            "Aucune contribution n'est supprimée ni fusionnée : le corpus compte {n} "
            "contributions, soit {m} positions distinctes une fois chaque groupe de doublons "
            "compté pour un.",
            "No contribution is removed or merged: the corpus holds {n} contributions, i.e. "
            "{m} distinct positions once each duplicate group counts as one.",
            n=floods.total_contributions,
            m=floods.distinct_positions,
        )
    )
    add("")
    if floods.groups:
        add(
            f"| {tr('Groupe', 'Group')} | {tr('Type', 'Kind')} | {tr('Contributions', 'Contributions')}"
            f" | {tr('Auteurs distincts', 'Distinct authors')} | {tr('Signal', 'Signal')} | {tr('Texte', 'Text')} |"
        )
        add("|---|---|---:|---:|---|---|")
        ordered = sorted(floods.groups, key=lambda group: (-len(group.contribution_ids), group.id))
        for group in ordered[:_LIST_LIMIT]:
            kind = (
                tr("identique", "identical")
                if group.kind == "exact"
                else tr("quasi identique", "near identical")
            )
            signals = []
            if group.campaign:
                signals.append(tr("campagne", "campaign"))
            if group.same_author:
                signals.append(tr("même auteur", "same author"))
            add(
                f"| {group.id} | {kind} | {len(group.contribution_ids)} | {group.distinct_authors} | "
                f"{', '.join(signals) or '—'} | {_md(group.example[:120])} |"
            )
        add("")
    else:
        add(tr("Aucun doublon détecté.", "No duplicate found."))
        add("")
    if floods.prolific_authors:
        add(
            tr(
                "**Auteurs ayant beaucoup contribué** (au moins {n} contributions) :",
                "**Authors who contributed a lot** (at least {n} contributions):",
                n=floods.parameters.get("prolific_min", 5),
            )
        )
        add("")
        add(
            f"| {tr('Auteur (pseudonyme)', 'Author (pseudonym)')} | {tr('Contributions', 'Contributions')}"
            f" | {tr('Part du corpus', 'Share')} | {tr('En doublon', 'Duplicated')}"
            f" | {tr('Maximum en une heure', 'Most in one hour')} |"
        )
        add("|---|---:|---:|---:|---:|")
        for author in floods.prolific_authors[:50]:
            add(
                f"| {author.author} | {author.count} | {_percent(author.count, floods.total_contributions)}"
                f" | {author.duplicate_count} | {author.largest_burst} |"
            )
        add("")
    add(
        tr(
            "**Contributions probablement produites en nombre : {n}.** Indice, pas verdict : "
            "une contribution est signalée si elle appartient à une campagne (même texte ou "
            "presque, d'au moins 3 auteurs), à un groupe d'au moins 3 variantes d'un même "
            "modèle, ou si un même auteur a posté au moins 3 fois le même texte. Les "
            "détecteurs de texte écrit par IA n'étant pas fiables, le signal repose sur des "
            "comportements observables.",
            "**Contributions likely mass-produced: {n}.** A hint, not a verdict: a "
            "contribution is flagged if it belongs to a campaign (same or nearly the same text "
            "from at least 3 authors), to a group of at least 3 variants of one template, or if "
            "one author posted the same text at least 3 times. AI-text detectors being "
            "unreliable, the signal rests on observable behaviour.",
            n=len(floods.mass_produced_ids),
        )
    )
    add("")
    for identifier in floods.mass_produced_ids[:_LIST_LIMIT]:
        reasons = ", ".join(floods.mass_produced_reasons.get(identifier, []))
        add(f"- `{identifier}` — {_md(reasons)}")
    if len(floods.mass_produced_ids) > _LIST_LIMIT:
        add(
            tr(
                "- … et {n} autres (liste complète dans le fichier JSON).",
                "- … and {n} more (full list in the JSON file).",
                n=len(floods.mass_produced_ids) - _LIST_LIMIT,
            )
        )
    add("")


def write_report(report: SynthesisReport, out_dir: Path, stem: str = "synthese") -> list[Path]:
    """Write ``<stem>.md``, ``<stem>.json`` and the chart PNG into ``out_dir`` atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    if report.chart_png is not None:
        atomic_write_bytes(out_dir / report.chart_name, report.chart_png)
        written.append(out_dir / report.chart_name)
    atomic_write_text(
        out_dir / f"{stem}.json", json.dumps(report.data, ensure_ascii=False, indent=1)
    )
    written.append(out_dir / f"{stem}.json")
    atomic_write_text(out_dir / f"{stem}.md", report.markdown)
    written.append(out_dir / f"{stem}.md")
    return written


def _when(value: object) -> str:
    """A run's start time as a sentence reads it, in the organisation's time zone."""
    from datetime import datetime

    from garant.i18n import format_datetime_long

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return format_datetime_long(value) if isinstance(value, datetime) else str(value)
