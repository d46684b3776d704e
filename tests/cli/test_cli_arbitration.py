"""Finding past decisions (issue 12.7): ``arbitration show N``, a search over decided
questions with who asked, who decided and why, and the answers carried into the guide."""

from __future__ import annotations

from pathlib import Path

from test_cli_authority import _team  # type: ignore[import-not-found]
from typer.testing import CliRunner

from garant.cli.main import app

runner = CliRunner()


def garant(root: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--workspace", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


def _decided(root: Path) -> None:
    _team(root)
    garant(
        root,
        "arbitration",
        "open",
        "Puis-je coller des courriels d'habitants dans ChatGPT pour les résumer ?",
        "--by",
        "hugo-petit",
    )
    garant(root, "arbitration", "open", "Quel outil pour les affiches ?", "--by", "hugo-petit")
    code, _, err = garant(
        root,
        "arbitration",
        "decide",
        "1",
        "--decision",
        "Non : utilisez Albert après pseudonymisation.",
        "--rationale",
        "Données personnelles hors UE (RGPD art. 44)",
        "--by",
        "claire-martin",
    )
    assert code == 0, err


def test_show_names_who_asked_who_decided_and_why(workspace_root: Path) -> None:
    _decided(workspace_root)
    code, out, err = garant(workspace_root, "arbitration", "show", "1")
    assert code == 0, err
    assert "Hugo Petit (hugo-petit)" in out and "Claire Martin (claire-martin)" in out
    assert "RGPD art. 44" in out and "Albert après pseudonymisation" in out


def test_search_finds_the_decided_answer_from_other_words(workspace_root: Path) -> None:
    _decided(workspace_root)
    code, out, err = garant(workspace_root, "arbitration", "search", "courriel chatgpt")
    assert code == 0, err
    assert "n° 1" in out and "Albert après pseudonymisation" in out
    assert "affiches" not in out  # open question 2 is not a decision
    code, out, err = garant(workspace_root, "arbitration", "search", "tirage au sort")
    assert code == 0 and "Aucune décision ne correspond" in out + err


def test_decided_answers_are_carried_into_the_internal_guide(workspace_root: Path) -> None:
    _decided(workspace_root)
    code, _, err = garant(
        workspace_root, "charter", "render", "--kind", "internal", "--format", "md"
    )
    assert code == 0, err
    guide = next((workspace_root / "exports").glob("*.md")).read_text(encoding="utf-8")
    assert "### Questions déjà tranchées" in guide
    assert "Non : utilisez Albert après pseudonymisation." in guide
    assert "Quel outil pour les affiches" not in guide
