"""Uniform lottery, RFC 3797 draw, publication files and verification."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from garant.analyses.sortition import (
    PUBLISHED_FILES,
    Redraw,
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
from garant.analyses.sortition.lottery import round_copies
from garant.cli.main import app
from garant.errors import ConflictError, InputError, IntegrityError

runner = CliRunner()

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
    lottery = prepare_lottery(result, 300)
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
    verification = hashlib.sha256((run_dir / "verification.csv").read_bytes()).hexdigest()
    assert promised["verification_sha256"] == verification


def _drawn_copy(demo: tuple[Path, Path, Path], tmp_path: Path) -> tuple[Path, Path, Path]:
    pool, quotas, run_dir = demo
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    draw_run(copy, RFC_SEED, disclosure_markdown="Mention test")
    return pool, quotas, copy


def _published_only(run_dir: Path, target: Path) -> Path:
    """An empty folder holding exactly the files a citizen gets."""
    target.mkdir()
    for name in PUBLISHED_FILES:
        if (run_dir / name).is_file():
            shutil.copy(run_dir / name, target / name)
    return target


def test_verify_passes_from_the_published_files_alone(
    demo: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, _, run_dir = _drawn_copy(demo, tmp_path)
    folder = _published_only(run_dir, tmp_path / "citoyen")
    assert sorted(p.name for p in folder.iterdir()) == sorted(PUBLISHED_FILES)
    result = verify(folder, seed=RFC_SEED)
    assert result.ok, [c for c in result.checks if not c.ok]
    names = {c.name for c in result.checks}
    for field in (
        "commitment.json › lottery_sha256",
        "commitment.json › quotas_sha256",
        "commitment.json › verification_sha256",
        "commitment.json › parameters_sha256",
        "commitment.json › max_deviation",
        "lottery.json › panels",
        "draw.json › md5",
        "draw.json › ids",
    ):
        assert field in names
    skipped = [c.name for c in result.checks if c.skipped]
    assert skipped == ["commitment.json › pool_sha256"]
    assert result.panel is not None and len(result.panel.members) == 16


def test_verification_file_has_no_address_and_keeps_households(
    demo: tuple[Path, Path, Path],
) -> None:
    pool, _, run_dir = demo
    text = (run_dir / "verification.csv").read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    assert header[0] == "id" and header[-1] == "foyer"
    raw = pool.read_text(encoding="utf-8")
    for address in {line.split(",")[-2] for line in raw.splitlines()[1:]}:
        assert address not in text
    keys = [line.split(",")[-1] for line in text.splitlines()[1:]]
    assert len(set(keys)) < len(keys)  # housemates share a key


def test_verify_with_the_raw_pool_checks_its_hash_and_households(
    demo: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    pool, _, run_dir = _drawn_copy(demo, tmp_path)
    result = verify(run_dir, seed=RFC_SEED, pool=pool, household_columns=["adresse", "code_postal"])
    assert result.ok, [c for c in result.checks if not c.ok]
    assert not any(c.skipped for c in result.checks)
    assert {"verification.csv › foyer", "commitment.json › pool_sha256"} <= {
        c.name for c in result.checks
    }


def test_same_inputs_give_the_same_lottery_hash_even_beside_a_busy_process(
    demo: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    pool, quotas, run_dir = demo
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        again = run_sortition(
            pool,
            quotas,
            16,
            tmp_path / "again",
            algorithm="maximin",
            household_columns=["adresse", "code_postal"],
            m=300,
        )
    finally:
        busy.kill()
        busy.wait()
    assert again.lottery.sha256 == load_lottery(run_dir).sha256
    for name in ("lottery.json", "commitment.json", "verification.csv", "quotas.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (run_dir / name).read_bytes()


def test_verify_detects_a_changed_seed(demo: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, _, run_dir = _drawn_copy(demo, tmp_path)
    result = verify(run_dir, seed="9319 / 2 5 12 8 10 / 9 18 26 34 41 46")
    assert not result.ok and not result.malformed
    assert not next(c for c in result.checks if c.name == "draw.json › seed_key").ok


def test_verify_detects_a_changed_raw_pool(demo: tuple[Path, Path, Path], tmp_path: Path) -> None:
    pool, _, run_dir = _drawn_copy(demo, tmp_path)
    changed = tmp_path / "vivier.csv"
    lines = pool.read_text(encoding="utf-8").splitlines()
    lines[1] = (
        lines[1].replace("Femme", "Homme")
        if "Femme" in lines[1]
        else lines[1].replace("Homme", "Femme")
    )
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = verify(run_dir, seed=RFC_SEED, pool=changed)
    failed = {c.name for c in result.checks if not c.ok}
    assert {"commitment.json › pool_sha256", "verification.csv › id + critères"} <= failed


def test_verify_detects_a_changed_quota(demo: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, _, run_dir = _drawn_copy(demo, tmp_path)
    lines = (run_dir / "quotas.csv").read_text(encoding="utf-8").splitlines()
    feature, value, low, high = lines[1].split(",")
    lines[1] = f"{feature},{value},{low},{int(high) + 1}"
    (run_dir / "quotas.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = verify(run_dir, seed=RFC_SEED)
    assert not result.ok
    assert not next(c for c in result.checks if c.name == "commitment.json › quotas_sha256").ok


def test_verify_detects_swapped_panels(demo: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, _, run_dir = _drawn_copy(demo, tmp_path)
    data = json.loads((run_dir / "lottery.json").read_text(encoding="utf-8"))
    data["panels"][0], data["panels"][-1] = data["panels"][-1], data["panels"][0]
    (run_dir / "lottery.json").write_text(json.dumps(data), encoding="utf-8")
    result = verify(run_dir, seed=RFC_SEED)
    failed = [c for c in result.checks if not c.ok]
    assert {c.name for c in failed} >= {
        "commitment.json › lottery_sha256",
        "lottery.json › panels",
    }
    panel_check = next(c for c in failed if c.name == "lottery.json › panels")
    assert "panel n° 1 :" in panel_check.detail


def _flip(text: str) -> str:
    """Change one character (one byte) of a published value."""
    last = text[-1]
    return text[:-1] + ("0" if last != "0" else "1")


# (file, path to the field, field named in the verdict)
FIELDS = [
    ("commitment.json", ("lottery_sha256",), "commitment.json › lottery_sha256"),
    ("commitment.json", ("pool_sha256",), "lottery.json › input_hashes.pool_sha256"),
    ("commitment.json", ("quotas_sha256",), "commitment.json › quotas_sha256"),
    ("commitment.json", ("verification_sha256",), "commitment.json › verification_sha256"),
    ("commitment.json", ("parameters_sha256",), "commitment.json › parameters_sha256"),
    ("commitment.json", ("max_deviation",), "commitment.json › max_deviation"),
    ("commitment.json", ("m",), "commitment.json › m"),
    ("commitment.json", ("algorithm",), "commitment.json › algorithm"),
    ("lottery.json", ("m",), "lottery.json › m"),
    ("lottery.json", ("parameters", "k"), "lottery.json › parameters.k"),
    ("lottery.json", ("parameters", "households"), "lottery.json › parameters.households"),
    ("lottery.json", ("parameters", "criteria", 0), "lottery.json › parameters.criteria"),
    (
        "lottery.json",
        ("input_hashes", "quotas_sha256"),
        "lottery.json › input_hashes.quotas_sha256",
    ),
    ("lottery.json", ("distribution", "weights", 0), "lottery.json › distribution.weights"),
    ("lottery.json", ("distribution", "groups", 0, 0), "lottery.json › distribution.groups"),
    (
        "lottery.json",
        ("distribution", "compositions", 0, 0, 1),
        "lottery.json › distribution.compositions",
    ),
    ("lottery.json", ("panels", 0, 0), "lottery.json › panels"),
    ("lottery.json", ("rounding",), "lottery.json › rounding"),
    ("lottery.json", ("draw_procedure",), "lottery.json › draw_procedure"),
    ("draw.json", ("index",), "draw.json › index"),
    ("draw.json", ("ids", 0), "draw.json › ids"),
    ("draw.json", ("seed_key",), "draw.json › seed_key"),
    ("draw.json", ("md5",), "draw.json › md5"),
    ("draw.json", ("lottery_sha256",), "draw.json › lottery_sha256"),
]


@pytest.mark.parametrize(("file", "path", "named"), FIELDS, ids=[f[2] for f in FIELDS])
def test_each_published_field_changed_by_one_byte_fails_verification_naming_it(
    demo: tuple[Path, Path, Path],
    tmp_path: Path,
    file: str,
    path: tuple[str | int, ...],
    named: str,
) -> None:
    _, _, run_dir = _drawn_copy(demo, tmp_path)
    folder = _published_only(run_dir, tmp_path / "citoyen")
    data = json.loads((folder / file).read_text(encoding="utf-8"))
    holder = data
    for step in path[:-1]:
        holder = holder[step]
    value = holder[path[-1]]
    if isinstance(value, bool):
        holder[path[-1]] = not value
    elif isinstance(value, int | float):
        holder[path[-1]] = value + (1 if isinstance(value, int) else 1e-3)
    else:
        holder[path[-1]] = _flip(value)
    (folder / file).write_text(json.dumps(data), encoding="utf-8")
    outcome = runner.invoke(app, ["sortition", "verify", str(folder), "--seed", RFC_SEED])
    assert outcome.exit_code == 1, outcome.stdout
    assert f"✗ {named} :" in outcome.stdout
    assert "NON conforme" in outcome.stdout and "Traceback" not in outcome.stdout


@pytest.mark.parametrize(
    ("file", "content", "named"),
    [
        ("commitment.json", '{"lottery_sha256": ', "commitment.json : JSON illisible ligne 1"),
        ("draw.json", "[]", "draw.json : un objet JSON"),
        ("lottery.json", '{"format": 3}', "lottery.json › algorithm : champ absent"),
        ("verification.csv", "", "verification.csv"),
    ],
)
def test_a_malformed_published_file_gives_a_named_verdict_and_exit_2(
    demo: tuple[Path, Path, Path], tmp_path: Path, file: str, content: str, named: str
) -> None:
    _, _, run_dir = _drawn_copy(demo, tmp_path)
    folder = _published_only(run_dir, tmp_path / "citoyen")
    (folder / file).write_text(content, encoding="utf-8")
    outcome = runner.invoke(app, ["sortition", "verify", str(folder), "--seed", RFC_SEED])
    assert outcome.exit_code == 2, outcome.stdout
    assert named in outcome.stdout and "vérification impossible" in outcome.stdout
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit)


def test_a_mistyped_field_is_named(demo: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, _, run_dir = _drawn_copy(demo, tmp_path)
    folder = _published_only(run_dir, tmp_path / "citoyen")
    data = json.loads((folder / "lottery.json").read_text(encoding="utf-8"))
    data["m"] = "mille"
    (folder / "lottery.json").write_text(json.dumps(data), encoding="utf-8")
    result = verify(folder, seed=RFC_SEED)
    assert result.malformed
    assert [c.name for c in result.checks] == ["lottery.json › m"]
    assert "mille" in result.checks[0].detail


def test_a_second_draw_in_the_same_folder_is_refused(
    demo: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, _, run_dir = _drawn_copy(demo, tmp_path)
    assert (
        draw_run(run_dir, RFC_SEED).index
        == json.loads((run_dir / "draw.json").read_text(encoding="utf-8"))["index"]
    )
    with pytest.raises(ConflictError, match=r"déjà été fait.*clé 9319"):
        draw_run(run_dir, "1 2 3")


def test_a_redraw_names_the_draw_it_replaces_and_verifies(
    demo: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, _, first_dir = _drawn_copy(demo, tmp_path)
    first = json.loads((first_dir / "draw.json").read_text(encoding="utf-8"))
    second_dir = tmp_path / "redraw"
    shutil.copytree(demo[2], second_dir)
    replaced = Redraw(first["seed_key"], first["index"], first["md5"], "désistement de V00042")
    panel = draw_run(second_dir, "1 2 3 / 4", replaces=replaced)
    published = json.loads((second_dir / "draw.json").read_text(encoding="utf-8"))
    assert published["replaces"]["reason"] == "désistement de V00042"
    result = verify(second_dir, seed="1 2 3 / 4")
    assert result.ok, [c for c in result.checks if not c.ok]
    assert result.panel is not None and result.panel.index == panel.index
    published["replaces"]["index"] += 1
    (second_dir / "draw.json").write_text(json.dumps(published), encoding="utf-8")
    assert not next(c for c in verify(second_dir).checks if c.name == "draw.json › replaces").ok


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


def test_rounding_is_a_pure_function_of_the_distribution(demo: tuple[Path, Path, Path]) -> None:
    result = load_result(demo[2])
    sizes = [len(g) for g in result.groups]
    first = round_copies(result.weights, result.compositions, sizes, 300)
    assert sum(first) == 300
    assert first == round_copies(
        list(result.weights), [list(c) for c in result.compositions], sizes, 300
    )
    floors = [int(w * 300) for w in result.weights]
    assert all(c - f in (0, 1) for c, f in zip(first, floors, strict=True))


def test_replacement_round_lottery_adds_already_selected_to_the_panel(
    demo: tuple[Path, Path, Path],
) -> None:
    pool_path, quotas_path, _ = demo
    pool = load_pool(pool_path)
    instance = build_instance(
        pool, load_quotas(quotas_path), 16, already_selected=[pool.rows[0].id]
    )
    lottery = prepare_lottery(solve(instance, "maximin"), 20)
    panel = draw(lottery, "5")
    assert pool.rows[0].id in panel.members and len(panel.members) == 16
