"""The CLI end to end on a real workspace: messages, exit codes, JSON output."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from garant.cli.main import app

runner = CliRunner()


def garant(workspace_root: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--workspace", str(workspace_root), *args])
    return result.exit_code, result.stdout, result.stderr


def test_init_creates_a_workspace_found_from_a_subfolder(
    tmp_path: Path, monkeypatch: object
) -> None:
    result = runner.invoke(
        app, ["init", str(tmp_path / "m"), "--name", "Métropole X", "--kind", "agence"]
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "m" / "garant.toml").is_file()
    assert (tmp_path / "m" / "garant.db").is_file()
    assert (tmp_path / "m" / "mlflow").is_dir()
    nested = tmp_path / "m" / "exports" / "deep"
    nested.mkdir()
    import os

    os.chdir(nested)
    listed = runner.invoke(app, ["people", "list", "--json"])
    assert listed.exit_code == 0, listed.stderr
    assert json.loads(listed.stdout) == []


def test_init_twice_is_a_clear_error(workspace_root: Path) -> None:
    result = runner.invoke(app, ["init", str(workspace_root), "--name", "X"])
    assert result.exit_code == 2
    assert "existe déjà" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_workspace_says_how_to_create_one(tmp_path: Path) -> None:
    result = runner.invoke(app, ["tools", "list"])
    assert result.exit_code == 2
    assert "Aucun espace de travail" in result.stderr
    assert "garant init" in result.stderr


def test_registry_round_trip_through_the_cli(workspace_root: Path) -> None:
    assert (
        garant(workspace_root, "people", "add", "Claire Martin", "--email", "c.martin@ville.fr")[0]
        == 0
    )
    assert (
        garant(
            workspace_root,
            "roles",
            "assign",
            "claire-martin",
            "referent_ia",
            "--from",
            "01/09/2025",
            "--by",
            "claire-martin",
        )[0]
        == 0
    )
    code, _, err = garant(
        workspace_root,
        "tools",
        "add",
        "Albert",
        "--access",
        "api",
        "--vendor",
        "DINUM",
        "--region",
        "FR",
        "--status",
        "approved",
        "--alias",
        "albert",
        "--by",
        "claire-martin",
    )
    assert code == 0, err
    code, _, err = garant(
        workspace_root,
        "uses",
        "add",
        "Synthèse",
        "--purpose",
        "Regrouper les contributions",
        "--stage",
        "analysis",
        "--tool",
        "albert",
        "--data",
        "public_contributions",
        "--responsible",
        "claire-martin",
        "--by",
        "claire-martin",
    )
    assert code == 0, err
    code, out, _ = garant(workspace_root, "uses", "show", "synthese", "--json")
    shown = json.loads(out)
    assert shown["tools"] == ["albert"] and shown["stage"] == "analysis"
    code, out, _ = garant(workspace_root, "tools", "list", "--json")
    assert [tool["name"] for tool in json.loads(out)] == ["Albert"]
    code, out, _ = garant(workspace_root, "roles", "list")
    assert "référent·e IA" in out and "Claire Martin" in out


def test_duplicate_tool_exits_2_with_hint_and_changes_nothing(workspace_root: Path) -> None:
    garant(workspace_root, "tools", "add", "Albert", "--access", "api")
    code, out, err = garant(workspace_root, "tools", "add", "Albert", "--access", "local")
    assert code == 2
    assert "déjà déclaré" in err and "→" in err
    assert "Traceback" not in err + out
    _, listed, _ = garant(workspace_root, "tools", "list", "--json")
    assert [tool["access_mode"] for tool in json.loads(listed)] == ["api"]


def test_invalid_date_names_the_field(workspace_root: Path) -> None:
    garant(workspace_root, "people", "add", "Claire Martin")
    code, _, err = garant(
        workspace_root,
        "training",
        "log",
        "claire-martin",
        "--module",
        "IA",
        "--date",
        "32/13/2026",
        "--hours",
        "2",
    )
    assert code == 2
    assert "« --date »" in err and "n'existe pas" in err and "JJ/MM/AAAA" in err
    assert "completed_on" not in err and "Input should" not in err


def test_unknown_person_is_named(workspace_root: Path) -> None:
    code, _, err = garant(workspace_root, "roles", "assign", "personne-inconnue", "dpo")
    assert code == 2
    assert "personne-inconnue" in err and "garant people list" in err


def test_english_messages_on_request(workspace_root: Path) -> None:
    result = runner.invoke(
        app, ["--lang", "en", "--workspace", str(workspace_root), "roles", "assign", "ghost", "dpo"]
    )
    assert result.exit_code == 2
    assert "Unknown person" in result.stderr


def test_art30_export_to_file(workspace_root: Path, tmp_path: Path) -> None:
    garant(
        workspace_root,
        "uses",
        "add",
        "Chatbot",
        "--purpose",
        "Répondre aux habitants",
        "--stage",
        "animation",
        "--data",
        "personal",
    )
    target = tmp_path / "art30.csv"
    code, _, err = garant(
        workspace_root,
        "registry",
        "export",
        "--kind",
        "art30",
        "--format",
        "csv",
        "-o",
        str(target),
    )
    assert code == 0, err
    content = target.read_text(encoding="utf-8")
    assert "(a) Responsable du traitement" in content and "Chatbot (chatbot)" in content
    assert "À COMPLÉTER" in content


def test_unknown_status_lists_the_allowed_values_and_changes_nothing(workspace_root: Path) -> None:
    garant(workspace_root, "tools", "add", "Albert", "--access", "api")
    code, _, err = garant(workspace_root, "tools", "set-status", "albert", "valide")
    assert code == 2
    assert "« STATUT »" in err and "approved, under_review, forbidden" in err
    _, listed, _ = garant(workspace_root, "tools", "list", "--json")
    assert json.loads(listed)[0]["status"] == "under_review"
    code, _, err = garant(workspace_root, "roles", "list", "--role", "maire")
    assert code == 2 and "referent_ia" in err


def test_tool_without_region_shows_unknown_hosting_not_inside_the_eu(
    workspace_root: Path,
) -> None:
    """Issue 12.9: « Données hors UE : non » for a tool nobody located was a false reassurance."""
    code, _, err = garant(
        workspace_root, "tools", "add", "Gemini", "--access", "web_app", "--vendor", "Google"
    )
    assert code == 0, err
    code, out, _ = garant(workspace_root, "tools", "show", "gemini")
    assert "inconnu (traité comme hors UE)" in out
    assert "Données hors UE" in out and ": non" not in out.split("Données hors UE")[1][:30]


BY = ("--by", "claire-martin")


def test_two_digit_year_is_refused_not_stored_as_year_25(workspace_root: Path) -> None:
    """Issue 17.8: « --from 1/1/25 » was stored as 0025-01-01; it is now refused, in French,
    naming the option typed."""
    garant(workspace_root, "people", "add", "Claire Martin")
    code, _, err = garant(
        workspace_root, "roles", "assign", "claire-martin", "agent", "--from", "1/1/25", *BY
    )
    assert code == 2
    assert "« --from »" in err and "quatre chiffres" in err and "start_date" not in err
    _, out, _ = garant(workspace_root, "roles", "list", "--json")
    assert json.loads(out) == []
    code, _, err = garant(
        workspace_root, "roles", "assign", "claire-martin", "agent", "--from", "1/1/2025", *BY
    )
    assert code == 0, err
    _, out, _ = garant(workspace_root, "roles", "list", "--json")
    assert "2025-01-01" in out


def test_init_writes_the_given_public_contact_and_ships_no_real_looking_one(
    tmp_path: Path,
) -> None:
    """Issue 12.9: every new collectivité used to send citizens to ia@belleval.fr."""
    result = runner.invoke(
        app,
        ["init", str(tmp_path / "a"), "--name", "Ville A", "--contact", "ia@ville-a.fr"],
    )
    assert result.exit_code == 0, result.stderr
    policy = (tmp_path / "a" / "policies" / "politique.yaml").read_text(encoding="utf-8")
    assert 'contact: "ia@ville-a.fr"' in policy and "belleval" not in policy
    result = runner.invoke(app, ["init", str(tmp_path / "b"), "--name", "Ville B"])
    assert result.exit_code == 0, result.stderr
    assert "contact public à compléter" in result.stdout + result.stderr
    policy = (tmp_path / "b" / "policies" / "politique.yaml").read_text(encoding="utf-8")
    assert "À COMPLÉTER" in policy and "@" not in policy.split("contact:")[1].split("\n")[0]
    runner.invoke(app, ["-w", str(tmp_path / "b"), "people", "add", "Claire Martin"])
    runner.invoke(
        app,
        ["-w", str(tmp_path / "b"), "roles", "assign", "claire-martin", "referent_ia", *BY],
    )
    refused = runner.invoke(
        app, ["-w", str(tmp_path / "b"), "policy", "approve", "--by", "claire-martin"]
    )
    assert refused.exit_code == 2 and "disclosure.contact" in refused.stderr
