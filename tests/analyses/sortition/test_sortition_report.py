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
    lottery = prepare_lottery(result, 100, rounding_time_s=0.2)
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
