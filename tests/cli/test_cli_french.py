"""What a French user reads from the command line itself — every ``--help``, usage errors,
tables at 80 columns — is French, with no Typer/Click English left (issue 12.6)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from garant.cli.cli_language import ENGLISH_CLICK_WORDS, translate_click_message
from garant.cli.main import app
from garant.i18n import set_language

runner = CliRunner()


def _command_paths() -> list[list[str]]:
    paths: list[list[str]] = []

    def walk(command: Any, path: list[str]) -> None:
        paths.append(path)
        for name, child in getattr(command, "commands", {}).items():
            walk(child, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


def _english_in(text: str) -> list[str]:
    return [word for word in ENGLISH_CLICK_WORDS if word in text]


def test_every_command_help_is_free_of_typer_english() -> None:
    paths = _command_paths()
    assert len(paths) > 60  # the whole tree, not a sample
    leftovers: dict[str, list[str]] = {}
    for path in paths:
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
        assert result.exit_code == 0, (path, result.output)
        assert "Utilisation : garant" in result.output
        found = _english_in(result.output) + re.findall(r"\{[a-z_]+\}", result.output)
        if found:
            leftovers[" ".join(path) or "garant"] = found
    assert leftovers == {}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["tools", "add"], "Erreur : argument manquant : NOM"),
        (["tools", "add", "X"], "Erreur : option manquante : --access"),
        (
            ["training", "log", "x", "--module", "m", "--date", "01/01/2025", "--hours", "abc"],
            "Erreur : valeur invalide pour --hours : un nombre est attendu",
        ),
        (["tools", "list", "--foo"], "Erreur : option inconnue : --foo"),
        (["tools", "lisst"], "commande inconnue : « lisst » (vouliez-vous dire « list » ?)"),
        (["tools", "list", "en-trop"], "Erreur : argument en trop : en-trop"),
        (["runs", "review", "r1", "--decision"], "l'option --decision attend une valeur"),
    ],
)
def test_usage_errors_are_french_with_the_help_to_read(args: list[str], expected: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "→ Aide : garant" in result.stderr
    assert _english_in(result.stderr) == []


def test_english_workspace_language_keeps_typer_english() -> None:
    result = runner.invoke(app, ["--lang", "en", "tools", "add"])
    assert result.exit_code == 2
    assert "Error: missing argument" in result.stderr
    help_result = runner.invoke(app, ["--lang", "en", "tools", "--help"])
    assert "Show this message and exit." in help_result.output


def test_workspace_language_setting_chooses_the_help_language(workspace_root: Any) -> None:
    toml = workspace_root / "garant.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('language = "fr"', 'language = "en"'))
    result = runner.invoke(app, ["--workspace", str(workspace_root), "tools", "--help"])
    assert "Usage: garant tools" in result.output


def test_pydantic_coercion_messages_are_translated() -> None:
    assert translate_click_message("Input should be a valid integer, unable to parse") == (
        "un nombre entier est attendu"
    )
    set_language("en")
    assert translate_click_message("Missing command.") == "Missing command."


def test_tables_at_80_columns_never_cut_a_word(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from garant.cli.output import print_table

    monkeypatch.setenv("COLUMNS", "80")
    words = ["Fournisseur", "Hébergement", "20261204-165543-f74cde", "regroupement-enquete"]
    print_table(
        "Outils",
        ["Clé", "Fournisseur", "Hébergement", "Relecture"],
        [["20261204-165543-f74cde", "DINUM (État)", "regroupement-enquete", "approuvée"]],
    )
    print_table("Personnes", ["Clé", "Fonction"], [["denis-roux", "Délégué à la protection"]])
    out = capsys.readouterr().out
    for word in [*words, "approuvée", "Délégué", "protection"]:
        assert word in out
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("group", ["tools", "uses", "people", "runs", "training"])
def test_listing_an_empty_registry_says_there_is_no_entry(workspace_root: Any, group: str) -> None:
    result = runner.invoke(app, ["--workspace", str(workspace_root), group, "list"])
    assert result.exit_code == 0, result.output
    assert "(aucune entrée)" in result.output
