"""Uniform lottery, RFC 3797 draw, publication files and verification."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from garant.analyses.sortition import (
    build_instance,
    draw,
    draw_run,
    load_lottery,
    load_pool,
    load_quotas,
    load_result,
    parse_seed,
    prepare_lottery,
    rfc3797_key,
    rfc3797_select,
    run_sortition,
    solve,
    verify,
    write_demo,
)
from garant.errors import InputError, IntegrityError

RFC_SEED = "9319 / 2 5 12 8 10 / 9 18 26 34 41 45"


def test_rfc3797_worked_example_selects_the_published_volunteers() -> None:
    # RFC 3797 section 5: pool of 25, sources 9319 / 2 5 12 8 10 / 9 18 26 34 41 45
    key = rfc3797_key(parse_seed(RFC_SEED))
    assert key == "9319./2.5.8.10.12./9.18.26.34.41.45./"
    selected = rfc3797_select(key, 25, 4)
    assert [item for item, _ in selected] == [17, 7, 2, 16]
    assert selected[0][1] == "990DD0A5692A029A98B5E01AA28F3459"


def test_seed_sources_are_sorted_within_but_not_across_sources() -> None:
    assert rfc3797_key(parse_seed("3 1 2 / 9")) == rfc3797_key([[1, 2, 3], [9]]) == "1.2.3./9./"
    assert rfc3797_key(parse_seed("9 / 1 2 3")) != rfc3797_key(parse_seed("1 2 3 / 9"))
    assert rfc3797_key(parse_seed("0x1f")) == "31./"
    with pytest.raises(InputError, match="« douze »"):
        parse_seed("douze 3")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("demo")
    pool, quotas = write_demo(folder, n=160, k=16, seed=4)
    run_dir = folder / "run"
    run_sortition(
        pool,
        quotas,
        16,
        run_dir,
        algorithm="maximin",
        household_columns=["adresse", "code_postal"],
        m=300,
        disclosure_markdown="Aucun modèle d'IA n'a été utilisé.",
    )
    return pool, quotas, run_dir


def test_lottery_lists_m_quota_panels_close_to_the_probabilities(
    demo: tuple[Path, Path, Path],
) -> None:
    _, _, run_dir = demo
    result = load_result(run_dir)
    lottery = prepare_lottery(result, 300, rounding_time_s=0.5)
    assert lottery.m == len(lottery.panels) == 300
    shares: dict[str, int] = {}
    for panel in lottery.panels:
        for person in panel:
            shares[person] = shares.get(person, 0) + 1
    for person, p in result.probabilities.items():
        assert abs(shares.get(person, 0) / 300 - p) <= lottery.max_deviation + 1e-12
    assert lottery.max_deviation < 0.02


def test_draw_is_reproducible_and_depends_on_the_seed(demo: tuple[Path, Path, Path]) -> None:
    lottery = load_lottery(demo[2])
    first, again = draw(lottery, "7 21 3 / 1"), draw(lottery, [[3, 21, 7], [1]])
    assert first == again
    others = {draw(lottery, f"7 21 3 / {extra}").index for extra in range(2, 12)}
    assert len(others - {first.index}) >= 5


def test_published_lottery_file_hashes_to_the_commitment(demo: tuple[Path, Path, Path]) -> None:
    import hashlib

    run_dir = demo[2]
    promised = json.loads((run_dir / "commitment.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256((run_dir / "lottery.json").read_bytes()).hexdigest()
    assert promised["lottery_sha256"] == digest == load_lottery(run_dir).sha256
    assert promised["pool_sha256"] == hashlib.sha256(demo[0].read_bytes()).hexdigest()


def _drawn_copy(demo: tuple[Path, Path, Path], tmp_path: Path) -> tuple[Path, Path, Path]:
    pool, quotas, run_dir = demo
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    draw_run(copy, RFC_SEED, disclosure_markdown="Mention test")
    return pool, quotas, copy


def test_verify_accepts_the_published_draw(demo: tuple[Path, Path, Path], tmp_path: Path) -> None:
    pool, quotas, run_dir = _drawn_copy(demo, tmp_path)
    result = verify(run_dir, pool=pool, quotas=quotas, seed=RFC_SEED)
    assert result.ok, result.checks
    assert {c.name for c in result.checks} >= {
        "commitment",
        "pool",
        "quotas",
        "panels",
        "seed",
        "panel",
    }
    report = (run_dir / "report.md").read_text(encoding="utf-8")
    assert "Mention test" in report and "Écart maximal dû à l'arrondi" in report
    assert result.panel is not None and ", ".join(result.panel.members) in report


def test_verify_detects_a_changed_seed(demo: tuple[Path, Path, Path], tmp_path: Path) -> None:
    pool, quotas, run_dir = _drawn_copy(demo, tmp_path)
    result = verify(run_dir, pool=pool, quotas=quotas, seed="9319 / 2 5 12 8 10 / 9 18 26 34 41 46")
    assert not result.ok
    assert not next(c for c in result.checks if c.name == "seed").ok


def test_verify_detects_a_changed_pool(demo: tuple[Path, Path, Path], tmp_path: Path) -> None:
    pool, quotas, run_dir = _drawn_copy(demo, tmp_path)
    changed = tmp_path / "vivier.csv"
    lines = pool.read_text(encoding="utf-8").splitlines()
    lines[1] = (
        lines[1].replace("Femme", "Homme")
        if "Femme" in lines[1]
        else lines[1].replace("Homme", "Femme")
    )
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = verify(run_dir, pool=changed, quotas=quotas, seed=RFC_SEED)
    assert not result.ok
    assert not next(c for c in result.checks if c.name == "pool").ok


def test_verify_detects_a_changed_quota(demo: tuple[Path, Path, Path], tmp_path: Path) -> None:
    pool, quotas, run_dir = _drawn_copy(demo, tmp_path)
    changed = tmp_path / "quotas.csv"
    lines = quotas.read_text(encoding="utf-8").splitlines()
    feature, value, low, high = lines[1].split(",")
    lines[1] = f"{feature},{value},{low},{int(high) + 1}"
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = verify(run_dir, pool=pool, quotas=changed, seed=RFC_SEED)
    assert not result.ok
    assert not next(c for c in result.checks if c.name == "quotas").ok


def test_verify_detects_a_tampered_lottery(demo: tuple[Path, Path, Path], tmp_path: Path) -> None:
    pool, quotas, run_dir = _drawn_copy(demo, tmp_path)
    data = json.loads((run_dir / "lottery.json").read_text(encoding="utf-8"))
    data["panels"][0], data["panels"][-1] = data["panels"][-1], data["panels"][0]
    (run_dir / "lottery.json").write_text(json.dumps(data), encoding="utf-8")
    result = verify(run_dir, pool=pool, quotas=quotas, seed=RFC_SEED)
    assert not next(c for c in result.checks if c.name == "commitment").ok
    assert not result.ok


def test_second_draw_with_another_seed_is_refused(
    demo: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, _, run_dir = _drawn_copy(demo, tmp_path)
    assert (
        draw_run(run_dir, RFC_SEED).index
        == json.loads((run_dir / "draw.json").read_text(encoding="utf-8"))["index"]
    )
    with pytest.raises(InputError, match="déjà été fait"):
        draw_run(run_dir, "1 2 3")


def test_draw_refuses_inputs_changed_after_publication(
    demo: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    pool, _, run_dir = demo
    copy_dir, copy_pool = tmp_path / "run", tmp_path / "vivier.csv"
    shutil.copytree(run_dir, copy_dir)
    shutil.copy(pool, copy_pool)
    inputs = json.loads((copy_dir / "inputs.json").read_text(encoding="utf-8"))
    inputs["pool"] = str(copy_pool)
    (copy_dir / "inputs.json").write_text(json.dumps(inputs), encoding="utf-8")
    copy_pool.write_text(
        pool.read_text(encoding="utf-8") + "V99999,Femme,16-24 ans,Centre-ville,"
        "Bac+2,Cadres,1 rue X,38000\n",
        encoding="utf-8",
    )
    with pytest.raises(IntegrityError):
        draw_run(copy_dir, RFC_SEED)


def test_lottery_size_outside_rfc_range_is_refused(demo: tuple[Path, Path, Path]) -> None:
    with pytest.raises(InputError):
        prepare_lottery(load_result(demo[2]), 70000)


def test_replacement_round_lottery_adds_already_selected_to_the_panel(
    demo: tuple[Path, Path, Path],
) -> None:
    pool_path, quotas_path, _ = demo
    pool = load_pool(pool_path)
    instance = build_instance(
        pool, load_quotas(quotas_path), 16, already_selected=[pool.rows[0].id]
    )
    lottery = prepare_lottery(solve(instance, "maximin"), 20, rounding_time_s=0.1)
    panel = draw(lottery, "5")
    assert pool.rows[0].id in panel.members and len(panel.members) == 16
