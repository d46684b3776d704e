"""Start-up stays light: --help never imports the heavy stacks; the core never imports Textual."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from workspace_support import adopt_test_policy, run_cli

HEAVY = ["mlflow", "litellm", "presidio_analyzer", "presidio_anonymizer", "spacy", "textual"]


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_cli_help_imports_no_heavy_module() -> None:
    code = (
        "import sys\nsys.argv=['garant','--help']\nfrom garant.cli.main import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass"
    )
    loaded = _modules_after(code)
    assert not {name for name in HEAVY if name in loaded}


def test_every_subcommand_help_imports_no_heavy_module() -> None:
    from typer.main import get_command

    from garant.cli.main import app

    group = get_command(app)
    names = list(group.commands)  # type: ignore[attr-defined]
    for name in names:
        code = (
            f"import sys\nsys.argv=['garant',{name!r},'--help']\nfrom garant.cli.main import app\n"
            "try:\n    app()\nexcept SystemExit:\n    pass"
        )
        loaded = _modules_after(code)
        assert not {m for m in HEAVY if m in loaded}, name


def test_service_packages_import_no_heavy_stack_at_import_time() -> None:
    """mlflow, litellm, presidio and spaCy load when an analysis runs, not when it is imported."""
    code = "import garant.audit.run, garant.privacy, garant.analyses.synthesis, garant.llm"
    loaded = _modules_after(code)
    assert not {m for m in ("mlflow", "litellm", "presidio_analyzer", "spacy") if m in loaded}


def test_domain_packages_never_import_textual() -> None:
    code = "\n".join(
        f"import {name}"
        for name in [
            "garant.domain",
            "garant.store",
            "garant.governance",
            "garant.governance.registry_export",
            "garant.llm",
            "garant.workspace",
            "garant.audit",
            "garant.audit.run",
            "garant.privacy",
            "garant.documents",
            "garant.analyses.sortition",
            "garant.analyses.synthesis",
            "garant.analyses.transcription",
            "garant.governance.policy",
            "garant.governance.checklists",
            "garant.cli.main",
        ]
    )
    assert "textual" not in _modules_after(code)


def test_workspace_module_sits_below_the_services_it_serves() -> None:
    """Opening a workspace imports no governance or audit service (no import circle)."""
    loaded = _modules_after("import garant.workspace")
    assert not {m for m in loaded if m.startswith(("garant.governance", "garant.audit"))}


@pytest.mark.parametrize("mode", ["patterns", "full"])
def test_offline_ask_imports_no_gateway_mirror_migration_or_document_stack(
    mode: str, workspace_root: Path
) -> None:
    """An offline ``garant ask`` loads neither litellm nor MLflow (the ledger's queue is
    mirrored later), nor Alembic, the PDF stack or Textual: only what the answer needs."""
    adopt_test_policy(workspace_root)
    run_cli(
        workspace_root,
        'people add "Claire Martin"',
        "roles assign claire-martin referent_ia --from 01/01/2025 --by claire-martin",
        'tools add "garant hors ligne" --access local --region local --status approved '
        "--alias hors-ligne --by claire-martin",
        'uses add Essai --purpose "Tester" --stage preparation --tool garant-hors-ligne '
        "--data public_contributions --status approved --by claire-martin "
        '--override "essai automatisé : pas de liste de contrôle"',
    )
    argv = [
        *("garant", "-w", str(workspace_root), "ask", "essai"),
        *("M. Kévin Nguyen demande des bancs.", "--by", "claire-martin"),
        *("--pseudonymisation", mode),
    ]
    code = (
        f"import sys\nsys.argv={argv!r}\nfrom garant.cli.main import app\n"
        "try:\n    app()\nexcept SystemExit as stop:\n    assert not stop.code, stop.code"
    )
    loaded = _modules_after(code)
    # The text was pseudonymised by garant's engines, which never import Presidio: with spaCy's
    # NER in full mode, with the French patterns alone in patterns mode (docs/adr-0020,
    # « Session 4 »).
    assert "garant.privacy.french_patterns" in loaded
    unwanted: tuple[str, ...] = ("litellm", "mlflow", "alembic", "reportlab", "textual", "sklearn")
    unwanted += ("presidio_analyzer",)
    if mode == "full":
        assert "spacy" in loaded
    else:
        unwanted += ("spacy", "thinc")
    assert not {m for m in unwanted if m in loaded}


def test_a_command_that_draws_no_help_imports_no_rich_help_module(workspace_root: Path) -> None:
    """Typer's help words are set in French when Typer imports them (to draw a help page or an
    error), not in every command: ``typer.rich_utils`` costs about 0.1 s of CPU to import."""
    run_cli(workspace_root, 'people add "Claire Martin"')
    argv = ["garant", "-w", str(workspace_root), "people", "list"]
    code = (
        f"import sys\nsys.argv={argv!r}\nfrom garant.cli.main import app\n"
        "try:\n    app()\nexcept SystemExit as stop:\n    assert not stop.code, stop.code"
    )
    assert "typer.rich_utils" not in _modules_after(code)
    misspelt = ["garant", "-w", str(workspace_root), "tools", "lis"]
    done = subprocess.run(
        [sys.executable, "-c", f"import sys\nsys.argv={misspelt!r}\n"
         "from garant.cli.main import app\napp()"],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Utilisation : garant tools" in done.stderr
