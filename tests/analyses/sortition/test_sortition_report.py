"""Report data: fairness figures, quotas table, Markdown (ids only), plot, generator, hygiene."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import garant.analyses.sortition as sortition
from garant.analyses.sortition import (
    build_instance,
    build_report,
    draw,
    fairness,
    generate_pool,
    load_pool,
    load_quotas,
    prepare_lottery,
    solve,
    write_demo,
    write_probability_plot,
)
from garant.analyses.sortition.report import lottery_shares, skews
from garant.i18n import set_language

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "sortition"


def test_fairness_figures_of_a_known_profile() -> None:
    equal = fairness([0.5, 0.5, 0.5, 0.5])
    assert equal.gini == pytest.approx(0) and equal.geometric_mean == pytest.approx(0.5)
    skewed = fairness({"a": 0.0, "b": 0.0, "c": 1.0, "d": 1.0})
    # Damgaard-Weiner form: sum (2i - n + 1) p_(i) / (n * sum p) = (1*1 + 3*1) / (4 * 2)
    assert skewed.gini == pytest.approx(0.5)
    assert skewed.minimum == 0 and skewed.maximum == 1 and skewed.zero == 2
    assert skewed.geometric_mean == 0


@pytest.mark.skipif(not DATA.is_dir(), reason="shared/data/sortition is absent")
def test_report_uses_ids_only_embeds_disclosure_and_lists_quotas(tmp_path: Path) -> None:
    folder = DATA / "newdemocracy_small_29"
    instance = build_instance(
        load_pool(folder / "example-people-simple-with-households.csv"),
        load_quotas(folder / "example-categories-simple.csv"),
        11,
        household_columns=["primary_address1", "primary_zip"],
    )
    result = solve(instance, "leximin")
    lottery = prepare_lottery(result, 100)
    panel = draw(lottery, "4 8 15 16 23 42")
    report = build_report(
        instance,
        result,
        disclosure_markdown="**Étiquette** : sans IA",
        lottery=lottery,
        panel=panel,
        plot_file="probabilities.png",
    )
    text = report.markdown
    assert "# Tirage au sort du panel" in text and "**Étiquette** : sans IA" in text
    assert "Coefficient de Gini" in text and lottery.sha256 in text
    for name in ("Jeremy", "Thorburn", "email0", "mobile_number0", "primary_city0"):
        assert name not in text
    assert all(member in text for member in panel.members)
    assert len(report.data["quotas"]) == len(instance.quotas.quotas)
    assert all(line["ok"] for line in report.data["quotas"])
    assert report.data["fairness"]["zero"] == 3
    set_language("en")
    try:
        english = build_report(instance, result, disclosure_markdown="x").markdown
    finally:
        set_language("fr")
    assert "# Panel selection by lot" in english and "Gini coefficient" in english
    png = write_probability_plot(result, tmp_path / "p.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_generator_is_seeded_and_its_quotas_are_feasible(tmp_path: Path) -> None:
    assert generate_pool(50, seed=1) == generate_pool(50, seed=1) != generate_pool(50, seed=2)
    rows = generate_pool(400, seed=1, household_share=0.3)
    addresses = [(r["adresse"], r["code_postal"]) for r in rows]
    assert len(set(addresses)) < len(addresses)  # some households
    pool, quotas = write_demo(tmp_path, n=200, k=20, seed=5)
    instance = build_instance(
        load_pool(pool), load_quotas(quotas), 20, household_columns=["adresse", "code_postal"]
    )
    assert set(instance.quotas.criteria) == {"sexe", "tranche_age", "commune", "diplome", "csp"}
    result = solve(instance, "maximin")
    assert min(result.probabilities.values()) > 0


def test_public_api_is_declared() -> None:
    exported = {name for name in dir(sortition) if not name.startswith("_")}
    assert set(sortition.__all__) <= exported
    for name in (
        "solve",
        "prepare_lottery",
        "draw",
        "verify",
        "build_report",
        "run_sortition",
        "draw_run",
        "load_pool",
        "load_quotas",
    ):
        assert name in sortition.__all__


def test_importing_the_package_loads_no_solver_plot_or_ui_library() -> None:
    code = (
        "import sys, garant.analyses.sortition\n"
        "bad = [m for m in ('highspy', 'matplotlib', 'scipy', 'textual', 'typer')"
        " if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.fixture(scope="module")
def skewed(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, object]:
    folder = tmp_path_factory.mktemp("skewed")
    pool, quotas = write_demo(folder, n=200, k=20, seed=5)
    instance = build_instance(
        load_pool(pool), load_quotas(quotas), 20, household_columns=["adresse", "code_postal"]
    )
    return instance, solve(instance, "maximin")


def test_report_shows_the_lottery_figures_beside_the_exact_ones(skewed: tuple) -> None:
    instance, result = skewed
    lottery = prepare_lottery(result, 50)
    panel = draw(lottery, "3 / 14 15")
    report = build_report(instance, result, disclosure_markdown="x", lottery=lottery, panel=panel)
    text = report.markdown
    assert "| Indicateur | Loterie tirée (50 panels) | Calcul exact |" in text
    shares = lottery_shares(lottery, result.probabilities)
    drawn_min = f"{100 * min(shares.values()):.2f} %"
    exact_min = f"{100 * min(result.probabilities.values()):.2f} %"
    assert f"| Chance minimale | {drawn_min} | {exact_min} |" in text
    assert report.data["fairness_lottery"]["minimum"] == min(shares.values())


def test_report_page_one_says_why_fair_and_how_to_check_with_the_one_command(
    skewed: tuple,
) -> None:
    instance, result = skewed
    lottery = prepare_lottery(result, 50)
    panel = draw(lottery, "3 / 14 15")
    report = build_report(instance, result, disclosure_markdown="x", lottery=lottery, panel=panel)
    first = report.data["summary"]
    assert first[0].startswith("Pourquoi ce tirage est équitable")
    assert any('garant sortition verify . --seed "3 / 14 15"' in s for s in first)
    assert any("Personne ne pouvait choisir le résultat" in s for s in first)
    text = report.markdown
    for term in ("Coefficient de Gini", "Moyenne géométrique", "RFC 3797", "MD5", "SHA-256"):
        assert f"- **{term}" in text  # every term used is explained in the glossary
    assert text.index("## En bref") < text.index("## Équité") < text.index("## Méthode")


def test_report_explains_why_chances_are_unequal_in_a_skewed_pool(skewed: tuple) -> None:
    instance, result = skewed
    report = build_report(instance, result, disclosure_markdown="x", lottery=None)
    text = report.markdown
    assert "Pourquoi les chances ne sont pas toutes égales" in text
    reasons = skews(instance)
    assert reasons and f"« {reasons[0].criterion} = {reasons[0].value} »" in text
    assert any("profils rares" in s for s in report.data["summary"])


def test_a_time_limited_solve_honours_its_limit_and_says_so_on_page_one(tmp_path: Path) -> None:
    pool, quotas = write_demo(tmp_path, n=400, k=40, seed=3)
    instance = build_instance(
        load_pool(pool), load_quotas(quotas), 40, household_columns=["adresse", "code_postal"]
    )
    result = solve(instance, "leximin", time_limit_s=0.5)
    assert not result.optimal and result.seconds < 0.5 + 2.0
    assert any("Limite de temps" in note for note in result.notes)
    report = build_report(instance, result, disclosure_markdown="x", time_limit_s=0.5)
    assert any(
        s.startswith("ATTENTION : le calcul a été arrêté par sa limite de temps (0.5 s)")
        for s in report.data["summary"]
    )
