"""What a person waits for: each command's cold wall time and its ratio to ``garant --help``.

Builds a demo-like workspace in a temporary folder (people, roles, tools, uses, an approved
policy, a 200-person pool, a corpus of 2,000 contributions, audited runs), then times each
command as a user runs it:

- *cold*: a fresh ``garant`` process for every measure; with ``--drop-caches`` (as root) the
  page cache is dropped before each one (``sync; echo 3 > /proc/sys/vm/drop_caches``) so files
  are read from disk again — the script says whether it could, and shows the page cache's size
  before and after the first drop as proof (off by default: on a shared machine it slows
  everyone else down);
- the MLflow mirror runs in the background as by default (docs/adr-0010); the next measure
  waits until it has drained (its time is printed apart), so that no measure pays for the
  previous command's background work;
- the median of ``--repeat`` runs of every command (3 by default; the raw runs are printed
  under the table);
- wall time and CPU time (user + system of the command's process) side by side, each with its
  ratio to ``--help``: on a shared machine the CPU ratio is the steadier one;
- garant's bytecode is compiled first, as an installed package has it; the user cache (the
  spaCy lexicon, docs/adr-0020) lives in the temporary folder: the set-up's first ``ask`` fills
  it, and ``ask (full), no user cache`` measures once the very first full-mode ``ask``.

Goals (issue 14): ``ask`` (full pseudonymisation) ≤ 5×, ``ask --pseudonymisation patterns``
≤ 3×, ``sortition run`` (200 people) ≤ 8×, reading commands (list, show, verify, report,
charter render) ≤ 3×.

    .venv/bin/python benchmarks/cli_latency.py [--repeat 3] [--keep DIR] [--drop-caches]
        [--only "ask (patterns)"] ...
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PROMPT = (
    "Contribution de Mme Fatoumata Diallo (06 12 34 56 78) : la piste cyclable de l'avenue "
    "Jean Jaurès est dangereuse au carrefour. Le parc devrait rester ouvert le soir en été."
)
THEMES = [
    "la piste cyclable de l'avenue est dangereuse au carrefour",
    "le parc devrait rester ouvert le soir en été",
    "il manque des bancs près de l'arrêt de tram",
    "le marché du samedi est apprécié mais trop bruyant",
    "les poubelles débordent rue Victor Hugo",
    "il faut plus d'arbres dans la cour de l'école",
    "le bus 12 passe trop rarement le dimanche",
    "les trottoirs sont encombrés par les trottinettes",
]

GOALS = {
    "ask (full)": 5.0,
    "ask (patterns)": 3.0,
    "sortition run (200)": 8.0,
    "tools list": 3.0,
    "runs list": 3.0,
    "runs show": 3.0,
    "audit verify": 3.0,
    "audit report": 3.0,
    "charter render": 3.0,
}


def _environment(workspace: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "GARANT_WORKSPACE": str(workspace),
        # Registry changes must name their author (roles.named_author_required): the set-up
        # acts as the référente IA, the first person added (an empty registry needs no author).
        "GARANT_ACTOR": "claire-martin",
        "GARANT_CACHE_DIR": str(_cache_dir(workspace)),  # never the user's own cache
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "COLUMNS": "120",
    }


def _garant() -> list[str]:
    code = "import sys; from garant.cli.main import run; sys.argv[0] = 'garant'; sys.exit(run())"
    return [sys.executable, "-c", code]


def _run(workspace: Path, *args: str, stdin: str | None = None) -> float:
    return _timed(workspace, *args, stdin=stdin)[0]


def _timed(workspace: Path, *args: str, stdin: str | None = None) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one fresh ``garant`` process."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [*_garant(), *args],
        env=_environment(workspace),
        capture_output=True,
        text=True,
        input=stdin,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"garant {' '.join(args)} failed:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def _page_cache_mib() -> float | None:
    """The kernel's page cache (``Cached`` in /proc/meminfo), in MiB; None when unreadable."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("Cached:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _drop_caches() -> bool:
    """Write back dirty pages, then drop the page cache (``sync; echo 3 >
    /proc/sys/vm/drop_caches``); False when this process may not (not root)."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def _drain(workspace: Path) -> float:
    """Wait for the background MLflow mirror; seconds waited."""
    start = time.perf_counter()
    queue = workspace / "mlflow" / "queue"
    while queue.is_dir() and any(queue.iterdir()):
        if time.perf_counter() - start > 1800:
            raise SystemExit("the MLflow mirror did not drain in 1,800 s")
        time.sleep(0.2)
    return time.perf_counter() - start


def build(workspace: Path) -> dict[str, Path]:
    setup = [
        [
            *("init", str(workspace), "--name", "Métropole de Banc", "--kind", "collectivite"),
            *("--contact", "ia@banc.fr — Mission participation citoyenne"),
        ],
        ["people", "add", "Claire Martin"],
        ["people", "add", "Hugo Petit"],
        ["people", "add", "Amina Benali"],
        ["roles", "assign", "claire-martin", "referent_ia", "--from", "01/09/2025"],
        ["roles", "assign", "hugo-petit", "agent", "--from", "01/01/2025"],
        ["roles", "assign", "amina-benali", "personne_ressource", "--from", "01/09/2025"],
        [
            *("tools", "add", "garant hors ligne", "--key", "hors-ligne", "--access", "local"),
            *("--region", "local", "--status", "approved", "--alias", "hors-ligne"),
        ],
        [
            *("tools", "add", "Tirage", "--key", "tirage-garant", "--access", "local"),
            *("--region", "local", "--status", "approved"),
        ],
        [
            *("uses", "add", "Synthèse", "--key", "synthese", "--purpose", "Regrouper"),
            *("--stage", "analysis", "--tool", "hors-ligne", "--data", "public_contributions"),
            *("--data", "personal", "--legal-basis", "public_task", "--responsible"),
            *("claire-martin", "--status", "approved"),
            *("--override", "Banc d'essai : la liste de contrôle n'est pas remplie ici"),
        ],
        [
            *("uses", "add", "Tirage", "--key", "tirage", "--purpose", "Tirer au sort"),
            *("--stage", "design", "--tool", "tirage-garant", "--data", "personal"),
            *("--legal-basis", "public_task", "--responsible", "hugo-petit", "--status"),
            *(
                "approved",
                "--override",
                "Banc d'essai : la liste de contrôle n'est pas remplie ici",
            ),
        ],
        ["policy", "approve", "--by", "claire-martin"],
    ]
    for args in setup:
        _run(workspace, *args)
    from garant.analyses.sortition import write_demo

    panel = workspace / "exports" / "panel"
    write_demo(str(panel), n=200, k=20, seed=2026)
    _keep_criteria(panel, ("sexe", "tranche_age"))  # the case: 200 people, 2 criteria
    corpus = workspace / "exports" / "contributions.csv"
    lines = ["id,texte"]
    for index in range(2000):
        theme = THEMES[index % len(THEMES)]
        lines.append(f'{index},"Contribution {index} : {theme}, quartier {index % 17}."')
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _run(
        workspace,
        *("synthesis", "ingest", "quartiers", str(corpus), "--format", "table"),
        *("--text-column", "texte", "--id-column", "id", "--pseudonymisation", "patterns"),
    )
    _run(workspace, "ask", "synthese", "--by", "hugo-petit", PROMPT)
    _drain(workspace)
    return {"pool": panel / "vivier.csv", "quotas": panel / "quotas.csv"}


def _keep_criteria(panel: Path, criteria: tuple[str, ...]) -> None:
    """Reduce the generated pool and quotas to ``criteria`` (ids and addresses kept)."""
    import csv

    pool = panel / "vivier.csv"
    with pool.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    columns = ["id", *criteria, "adresse", "code_postal"]
    with pool.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    quotas = panel / "quotas.csv"
    lines = quotas.read_text(encoding="utf-8").splitlines()
    kept = [lines[0]] + [line for line in lines[1:] if line.split(",")[0] in criteria]
    quotas.write_text("\n".join(kept) + "\n", encoding="utf-8")


def measure(
    workspace: Path, files: dict[str, Path], repeat: int, drop: bool, only: list[str]
) -> None:
    import json

    listed = subprocess.run(
        [*_garant(), "runs", "list", "--json"],
        env=_environment(workspace),
        capture_output=True,
        text=True,
        check=True,
    )
    run_id = json.loads(listed.stdout)[0]["id"]
    ask = ["ask", "synthese", "--by", "hugo-petit", "-"]
    commands: list[tuple[str, list[str], int]] = [
        ("--help", ["--help"], repeat),
        ("tools list", ["tools", "list"], repeat),
        ("runs list", ["runs", "list"], repeat),
        ("runs show", ["runs", "show", run_id], repeat),
        ("audit verify", ["audit", "verify"], repeat),
        ("audit report", ["audit", "report"], repeat),
        ("charter render", ["charter", "render", "--kind", "internal", "--format", "html"], repeat),
        ("ask (patterns)", [*ask, "--pseudonymisation", "patterns"], repeat),
        ("ask (full)", ask, repeat),
        ("ask (full), no user cache", ask, repeat),
        (
            "sortition run (200)",
            [
                *("sortition", "run", str(files["pool"]), str(files["quotas"]), "--k", "20"),
                *("--use", "tirage", "--by", "amina-benali"),
            ],
            repeat,
        ),
        (
            "synthesis run (2,000)",
            ["synthesis", "run", "quartiers", "--use", "synthese", "--by", "amina-benali"],
            repeat,
        ),
    ]
    if only:  # « --help » is always measured: every ratio is to it
        commands = [
            c for c in commands if c[0] == "--help" or any(c[0].startswith(o) for o in only)
        ]
    before_mib = _page_cache_mib()
    cold = drop and _drop_caches()
    after_mib = _page_cache_mib()
    dropped = "yes" if cold else ("no (not root)" if drop else "no (--drop-caches not given)")
    if cold and before_mib is not None and after_mib is not None:
        # Proof that the drop took effect: the page cache shrinks to what is in use right now.
        dropped += f" (page cache {before_mib:,.0f} MiB → {after_mib:,.0f} MiB at the first drop)"
    print(f"cold = a fresh process each time; page cache dropped before each: {dropped}")
    print(
        f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
        "cpu = the command's user + system time (its own process; less sensitive to other load)"
    )
    print(
        "garant's bytecode is compiled beforehand, as « pip install » does; the user cache "
        "(spaCy lexicon) is the one the set-up's first ask wrote, except where said\n"
    )
    print(
        f"medians of {repeat} fresh runs each; the raw runs (wall/cpu, s) are listed below the "
        "table\n"
    )
    print(f"{'command':28s} {'wall':>8s} {'ratio':>6s} {'cpu':>8s} {'ratio':>6s}   goal")
    raw: list[str] = []
    help_wall = help_cpu = 0.0
    for name, args, times in commands:
        samples, cpus, drains = [], [], []
        for _ in range(times):
            if name.endswith("no user cache"):
                shutil.rmtree(_cache_dir(workspace), ignore_errors=True)
            if cold:
                _drop_caches()
            wall_s, cpu_s = _timed(workspace, *args, stdin=PROMPT if "-" in args else None)
            samples.append(wall_s)
            cpus.append(cpu_s)
            drains.append(_drain(workspace))
        wall, cpu = statistics.median(samples), statistics.median(cpus)
        if name == "--help":
            help_wall, help_cpu = wall, cpu
        ratio, cpu_ratio = wall / help_wall, cpu / help_cpu
        goal = GOALS.get(name)
        verdict = ""
        if goal is not None:
            verdict = (
                f"≤ {goal:.0f}×  wall {'met' if ratio <= goal else 'MISSED'}, "
                f"cpu {'met' if cpu_ratio <= goal else 'MISSED'}"
            )
        mirror = f"  (MLflow mirror drained {max(drains):.1f} s later)" if max(drains) > 0.3 else ""
        print(
            f"{name:28s} {wall:7.2f}s {ratio:5.1f}× {cpu:7.2f}s {cpu_ratio:5.1f}×   {verdict}{mirror}"
        )
        runs = ", ".join(f"{w:.2f}/{c:.2f}" for w, c in zip(samples, cpus, strict=True))
        raw.append(f"  {name:28s} {runs}")
    print("\nraw runs (wall/cpu, s):")
    print("\n".join(raw))


def _cache_dir(workspace: Path) -> Path:
    return workspace.parent / "user-cache"


def _compile_bytecode() -> None:
    """Compile garant's modules once, as an installed package has them (a machine with
    PYTHONDONTWRITEBYTECODE set would otherwise recompile every module in every process)."""
    import compileall

    compileall.compile_dir(ROOT / "src" / "garant", quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the workspace here and keep it")
    parser.add_argument("--drop-caches", action="store_true", help="drop the page cache (root)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="measure only the commands whose name starts with this (repeatable), e.g. « ask (p »",
    )
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="garant-latency-"))
    workspace = options.keep or folder / "ws"
    try:
        if workspace.exists():
            shutil.rmtree(workspace)
        _compile_bytecode()
        files = build(workspace)
        measure(workspace, files, options.repeat, options.drop_caches, options.only)
    finally:
        if options.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
