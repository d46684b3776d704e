"""Policy files: the starter packs validate, and a broken file says where and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from garant.domain.enums import DataCategory, OrganisationKind
from garant.errors import InputError, NotFoundError
from garant.governance.policy import (
    STARTER_PACKS,
    Hosting,
    PolicyStatus,
    Pseudonymisation,
    load_policy,
    parse_policy,
    policy_warnings,
    starter_pack_path,
    starter_packs_dir,
)
from garant.i18n import set_language

POLICIES_DIR = Path(__file__).resolve().parents[3] / "policies"


def _pack_text() -> str:
    return (POLICIES_DIR / "collectivite.yaml").read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(needle):
            return number
    raise AssertionError(needle)


@pytest.mark.parametrize("kind", list(OrganisationKind))
def test_each_starter_pack_validates_warning_only_about_the_contact_to_fill(
    kind: OrganisationKind,
) -> None:
    policy = load_policy(starter_pack_path(kind))
    assert policy.organisation.kind is kind
    assert policy.status is PolicyStatus.DRAFT
    assert policy.language == "fr"
    warnings = policy_warnings(policy)
    assert all("disclosure.contact" in w for w in warnings)
    assert len(warnings) == (0 if kind is OrganisationKind.ENQUETE else 1)


def test_starter_pack_names_cover_every_organisation_kind() -> None:
    assert sorted(STARTER_PACKS.values()) == ["agence.yaml", "collectivite.yaml", "enquete.yaml"]


def test_starter_pack_for_unknown_kind_is_an_input_error() -> None:
    with pytest.raises(InputError, match="mairie"):
        starter_pack_path("mairie")


def test_starter_packs_keep_special_data_on_premises_and_pseudonymise_hosted_personal_data() -> (
    None
):
    for kind in OrganisationKind:
        policy = load_policy(starter_pack_path(kind))
        special = policy.data_rule(DataCategory.SPECIAL)
        assert not any(h.is_hosted for h in special.hosting), kind
        personal = policy.data_rule(DataCategory.PERSONAL)
        assert Hosting.HOSTED_NON_EU not in personal.hosting, kind
        assert personal.pseudonymisation is Pseudonymisation.WHEN_HOSTED, kind


def test_enquete_pack_forbids_writing_the_conclusions_and_lets_the_officer_work_alone() -> None:
    policy = load_policy(starter_pack_path("enquete"))
    assert "inquiry_conclusions" in {use.id for use in policy.forbidden_uses}
    assert [r.value for r in policy.roles.run_analyses] == ["commissaire_enqueteur"]
    assert policy.human_review.distinct_from_operator is False


def test_wrong_enum_value_names_file_line_and_field(tmp_path: Path) -> None:
    text = _pack_text().replace("pseudonymisation: when_hosted", "pseudonymisation: parfois", 1)
    path = tmp_path / "politique.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_policy(path)
    message = caught.value.message
    line = _line_of(text, "pseudonymisation: parfois")
    assert f"{path}, ligne {line}, champ « data[1].pseudonymisation »" in message
    assert "parfois" in message and "when_hosted" in message
    assert caught.value.hint


def test_every_error_of_a_file_is_reported_with_its_own_line() -> None:
    text = (
        _pack_text()
        .replace("every_months: 12", "every_months: douze")
        .replace(
            "  distinct_from_operator: true", "  distinct_from_operator: true\n  relecteurs: 2"
        )
    )
    with pytest.raises(InputError) as caught:
        parse_policy(text, "ma-politique.yaml")
    message = caught.value.message
    assert "(2 erreur(s))" in message
    assert (
        f"ligne {_line_of(text, 'every_months: douze')}, champ « review.every_months »" in message
    )
    assert (
        f"ligne {_line_of(text, 'relecteurs: 2')}, champ « human_review.relecteurs » : champ inconnu"
        in message
    )


def test_missing_field_points_at_its_parent_block() -> None:
    text = _pack_text().replace("  approve_policy: [referent_ia, dpo]\n", "")
    with pytest.raises(InputError) as caught:
        parse_policy(text, "p.yaml")
    assert (
        f"ligne {_line_of(text, 'roles:')}, champ « roles.approve_policy » : "
        "champ obligatoire absent" in caught.value.message
    )


def test_missing_data_category_is_refused_by_name() -> None:
    text = _pack_text()
    start = text.index("  - category: special")
    end = text.index("forbidden_uses:")
    broken = text[:start] + text[end:]
    with pytest.raises(InputError, match="special"):
        parse_policy(broken, "p.yaml")


def test_tool_rule_with_both_key_and_access_mode_is_refused_at_its_line() -> None:
    text = _pack_text().replace(
        "    - key: albert\n", "    - key: albert\n      access_mode: api\n"
    )
    with pytest.raises(InputError) as caught:
        parse_policy(text, "p.yaml")
    assert (
        f"ligne {_line_of(text, '- key: albert')}, champ « tools.allowed[2] »"
        in caught.value.message
    )


def test_tool_both_allowed_and_forbidden_is_a_contradiction() -> None:
    text = _pack_text().replace("    - key: chatgpt-grand-public", "    - key: albert")
    with pytest.raises(InputError, match="à la fois autorisé et interdit : key:albert"):
        parse_policy(text, "p.yaml")


def test_duplicate_yaml_key_is_refused_with_its_line() -> None:
    text = _pack_text().replace("version: 1\n", "version: 1\nversion: 2\n")
    with pytest.raises(InputError) as caught:
        parse_policy(text, "p.yaml")
    assert f"ligne {_line_of(text, 'version: 2')}" in caught.value.message
    assert "deux fois" in caught.value.message


def test_yaml_syntax_error_gives_the_line() -> None:
    text = _pack_text().replace("status: draft", "status: [draft")
    with pytest.raises(InputError, match=r"p\.yaml, ligne \d+ : YAML illisible"):
        parse_policy(text, "p.yaml")


def test_empty_file_says_what_a_policy_is() -> None:
    with pytest.raises(InputError, match="ensemble de champs"):
        parse_policy("", "vide.yaml")


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="introuvable"):
        load_policy(tmp_path / "absent.yaml")


def test_errors_are_in_english_when_asked() -> None:
    set_language("en")
    text = _pack_text().replace("every_months: 12", "every_months: twelve")
    with pytest.raises(InputError) as caught:
        parse_policy(text, "p.yaml")
    assert f"line {_line_of(text, 'every_months: twelve')}, field 'review.every_months'" in (
        caught.value.message
    )
    assert "is not an integer" in caught.value.message


def test_risky_allowances_raise_warnings() -> None:
    text = (
        _pack_text()
        .replace(
            "  - category: special\n    hosting: [offline, local]",
            "  - category: special\n    hosting: [offline, local, hosted_eu]",
        )
        .replace("  run_records_months: 36", "  run_records_months: 3")
    )
    policy = parse_policy(text, "p.yaml")
    warnings = policy_warnings(policy)
    assert any("art. 9" in w for w in warnings)
    assert any("6 mois" in w for w in warnings)


def test_approval_role_must_be_allowed_to_approve() -> None:
    text = (
        _pack_text()
        + "approval:\n  approved_by: jdupont\n  role: agent\n  approved_on: 2026-11-20\n"
    )
    with pytest.raises(InputError, match="approve_policy"):
        parse_policy(text, "p.yaml")


def test_starter_pack_dir_missing_is_not_found(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import garant.governance.policy.loading as loading

    monkeypatch.setattr(loading, "__file__", str(tmp_path / "a" / "b" / "c" / "d" / "loading.py"))
    with pytest.raises(NotFoundError):
        starter_packs_dir()
