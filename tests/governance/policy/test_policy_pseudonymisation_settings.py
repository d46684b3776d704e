"""The policy's ``pseudonymisation`` section: undeclared personal data (pseudonymise or refuse)
and public office holders' names (masked or readable) — validated with the field named, carried
by the gate's decision, stated in plain French by ``policy show``, the diff and the charters."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from garant.cli.main import app
from garant.documents import build_charter_document, example_charter_context
from garant.domain.enums import DataCategory
from garant.governance.policy import (
    Hosting,
    PolicyStatus,
    PseudonymisationSettings,
    RunRequest,
    diff_policies,
    evaluate_run_request,
    parse_policy,
    render_diff,
    render_policy,
)
from garant.governance.policy.loading import starter_packs_dir

POLICIES_DIR = Path(__file__).resolve().parents[3] / "policies"
PACK = POLICIES_DIR / "collectivite.yaml"
UNDECLARED = "\n  undeclared_personal_data: pseudonymise\n"
KEEP = "\n  keep_public_office_holders: false\n"
runner = CliRunner()


def _set(text: str, undeclared: str = "pseudonymise", keep: str = "false") -> str:
    assert UNDECLARED in text and KEEP in text
    text = text.replace(UNDECLARED, f"\n  undeclared_personal_data: {undeclared}\n", 1)
    return text.replace(KEEP, f"\n  keep_public_office_holders: {keep}\n", 1)


def _pack(undeclared: str = "pseudonymise", keep: str = "false") -> str:
    return _set(PACK.read_text(encoding="utf-8"), undeclared, keep)


def _without_section(text: str) -> str:
    start = text.index("\npseudonymisation:\n")
    end = text.index("\nforbidden_uses:")
    return text[:start] + text[end:]


def test_every_starter_pack_states_the_defaults_with_a_french_comment() -> None:
    for folder in (POLICIES_DIR, starter_packs_dir()):
        for path in sorted(folder.glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            assert UNDECLARED in text and KEEP in text, path
            assert "# Noms des responsables publics" in text, path
            settings = parse_policy(text, str(path)).pseudonymisation
            assert settings == PseudonymisationSettings(), path


def test_a_policy_without_the_section_pseudonymises_and_masks() -> None:
    policy = parse_policy(_without_section(PACK.read_text(encoding="utf-8")))
    assert policy.pseudonymisation.undeclared_personal_data == "pseudonymise"
    assert policy.pseudonymisation.keep_public_office_holders is False


def test_gate_decision_carries_the_policy_settings() -> None:
    policy = parse_policy(_pack("refuse", "true")).model_copy(
        update={"status": PolicyStatus.APPROVED}
    )
    request = RunRequest(
        use_key="synthese",
        use_status="approved",
        tool_key="hors-ligne",
        tool_status="approved",
        hosting=Hosting.OFFLINE,
        data_categories=frozenset({DataCategory.NONE}),
        operator="Claire Martin",
        operator_roles=frozenset({"referent_ia"}),
        analysis_kind="ask",
    )
    decision = evaluate_run_request(policy, request)
    assert decision.allowed, decision.refusals
    assert decision.pseudonymisation_settings == PseudonymisationSettings(
        undeclared_personal_data="refuse", keep_public_office_holders=True
    )


def _validate(root: Path, text: str, tmp_path: Path) -> tuple[int, str]:
    path = tmp_path / "politique-essai.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["--workspace", str(root), "policy", "validate", str(path)])
    return result.exit_code, result.stderr


def test_unknown_undeclared_data_action_names_the_field_and_the_choices(
    workspace_root: Path, tmp_path: Path
) -> None:
    text = _pack(undeclared="ignorer")
    code, err = _validate(workspace_root, text, tmp_path)
    line = next(n for n, s in enumerate(text.splitlines(), 1) if "ignorer" in s)
    assert code == 2
    assert f"ligne {line}, champ « pseudonymisation.undeclared_personal_data »" in err
    assert "« ignorer » invalide" in err and "pseudonymise, refuse" in err
    assert "Traceback" not in err


def test_office_holders_setting_must_be_true_or_false(workspace_root: Path, tmp_path: Path) -> None:
    code, err = _validate(workspace_root, _pack(keep="parfois"), tmp_path)
    assert code == 2
    assert "champ « pseudonymisation.keep_public_office_holders »" in err
    assert "« parfois » n'est pas un booléen (true ou false)" in err


def test_misspelt_setting_is_an_unknown_field(workspace_root: Path, tmp_path: Path) -> None:
    text = _pack().replace("keep_public_office_holders:", "keep_public_figures:", 1)
    code, err = _validate(workspace_root, text, tmp_path)
    assert code == 2 and "champ « pseudonymisation.keep_public_figures » : champ inconnu" in err


def test_policy_show_states_both_settings_in_plain_french() -> None:
    shown = render_policy(parse_policy(_pack()))
    assert (
        "Pseudonymisation :\n"
        "  Des données personnelles non déclarées pour l'usage sont tout de même "
        "pseudonymisées, et le registre des exécutions le note.\n"
        "  Les noms des responsables publics sont masqués comme tous les autres noms de "
        "personnes." in shown
    )
    changed = render_policy(parse_policy(_pack("refuse", "true")))
    assert (
        "  Un texte contenant des données personnelles non déclarées pour l'usage est refusé : "
        "l'analyse s'arrête avant tout envoi." in changed
    )
    assert (
        "  Les noms des responsables publics cités dans un argument politique restent lisibles ; "
        "tout autre nom de personne est masqué." in changed
    )


def test_diff_names_each_changed_setting_in_french() -> None:
    before = parse_policy(_pack())
    after = parse_policy(_pack("refuse", "true").replace("version: 1", "version: 2", 1))
    rules = {change.rule for change in diff_policies(before, after)}
    assert rules == {
        "pseudonymisation.undeclared_personal_data",
        "pseudonymisation.keep_public_office_holders",
    }
    text = render_diff(before, after)
    assert (
        "  ~ Données personnelles non déclarées pour l'usage — pseudonymisées et notées au "
        "registre → exécution refusée" in text
    )
    assert "  ~ Noms des responsables publics laissés lisibles — non → oui" in text


def test_writing_the_defaults_out_changes_no_rule() -> None:
    implicit = parse_policy(_without_section(PACK.read_text(encoding="utf-8")))
    assert diff_policies(implicit, parse_policy(_pack())) == []


def test_guide_and_charter_state_the_settings() -> None:
    settings = PseudonymisationSettings(
        undeclared_personal_data="refuse", keep_public_office_holders=True
    )
    context = example_charter_context().model_copy(
        update={"pseudonymisation": settings.statements()}
    )
    for kind in ("internal", "external"):
        body = build_charter_document(kind, context).body
        assert (
            "- Un texte contenant des données personnelles non déclarées pour l'usage est "
            "refusé : l'analyse s'arrête avant tout envoi." in body
        ), kind
        assert (
            "- Les noms des responsables publics cités dans un argument politique restent "
            "lisibles ; tout autre nom de personne est masqué." in body
        ), kind


def test_workspace_charter_says_what_the_policy_sets(workspace_root: Path, tmp_path: Path) -> None:
    def garant(*args: str) -> None:
        result = runner.invoke(app, ["--workspace", str(workspace_root), *args])
        assert result.exit_code == 0, (args, result.stderr)

    garant("people", "add", "Claire Martin")
    by = ("--by", "claire-martin")
    garant("roles", "assign", "claire-martin", "referent_ia", "--from", "2025-01-01", *by)
    policy_file = workspace_root / "policies" / "politique.yaml"
    text = policy_file.read_text(encoding="utf-8")
    policy_file.write_text(_set(text, "refuse", "true"), encoding="utf-8")
    target = tmp_path / "charte.md"
    garant("charter", "render", "--kind", "external", "--format", "md", "--output", str(target))
    body = target.read_text(encoding="utf-8")
    assert "Les noms des responsables publics cités dans un argument politique restent" in body
    assert "non déclarées pour l'usage est refusé" in body
