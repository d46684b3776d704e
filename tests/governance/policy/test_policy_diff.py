"""The policy diff compares rules, not YAML text, and reads well in French."""

from __future__ import annotations

from pathlib import Path

from garant.governance.policy import ChangeKind, diff_policies, parse_policy, render_diff
from garant.i18n import set_language

PACK = Path(__file__).resolve().parents[3] / "policies" / "collectivite.yaml"


def _v1_v2() -> tuple[str, str]:
    v1 = PACK.read_text(encoding="utf-8")
    v2 = (
        v1.replace("version: 1", "version: 2")
        .replace(
            "  - category: personal\n    hosting: [offline, local, hosted_fr, hosted_eu]",
            "  - category: personal\n    hosting: [offline, hosted_fr, hosted_eu, hosted_non_eu]",
        )
        .replace("  run_records_months: 36", "  run_records_months: 48")
        .replace(
            "    - key: chatgpt-grand-public\n"
            '      reason: "Version grand public de ChatGPT : conditions d\'utilisation incompatibles, hors UE."\n',
            "",
        )
        .replace("  approve_policy: [referent_ia, dpo]", "  approve_policy: [referent_ia]")
    )
    return v1, v2


def test_identical_policies_differ_in_nothing_even_if_reformatted() -> None:
    v1 = PACK.read_text(encoding="utf-8")
    # Same rules, other order and comments: no change.
    reordered = v1.replace(
        "  reviewer_roles: [referent_ia, personne_ressource, relecteur_conformite]",
        "  reviewer_roles: [relecteur_conformite, referent_ia, personne_ressource]  # ordre libre",
    )
    assert diff_policies(parse_policy(v1), parse_policy(reordered)) == []


def test_diff_lists_each_changed_rule() -> None:
    v1, v2 = _v1_v2()
    changes = {c.rule: c for c in diff_policies(parse_policy(v1), parse_policy(v2))}
    assert set(changes) == {
        "data.personal.hosting",
        "retention.run_records_months",
        "tools.forbidden[key:chatgpt-grand-public]",
        "roles.approve_policy",
    }
    hosting = changes["data.personal.hosting"]
    assert hosting.kind is ChangeKind.CHANGED
    assert hosting.added_items == ("hosted_non_eu",)
    assert hosting.removed_items == ("local",)
    assert changes["retention.run_records_months"].before == 36
    assert changes["retention.run_records_months"].after == 48
    assert changes["tools.forbidden[key:chatgpt-grand-public]"].kind is ChangeKind.REMOVED
    assert changes["roles.approve_policy"].removed_items == ("dpo",)


def test_added_forbidden_use_is_an_added_rule() -> None:
    v1 = PACK.read_text(encoding="utf-8")
    v2 = v1.replace(
        "forbidden_uses:\n",
        'forbidden_uses:\n  - id: traduction_officielle\n    label: "Traduire un acte officiel"\n',
    )
    changes = diff_policies(parse_policy(v1), parse_policy(v2))
    assert [(c.rule, c.kind) for c in changes] == [
        ("forbidden_uses.traduction_officielle", ChangeKind.ADDED)
    ]


def test_rendered_diff_reads_in_french() -> None:
    v1, v2 = _v1_v2()
    text = render_diff(parse_policy(v1), parse_policy(v2))
    lines = text.splitlines()
    assert lines[0] == (
        "Changements de politique-ia-collectivite v1 à politique-ia-collectivite v2 : 4 règle(s)"
    )
    assert (
        "  ~ Données personnelles — hébergements autorisés — ajouté : « hébergé hors UE » ; "
        "retiré : « modèle local »" in lines
    )
    assert "  ~ Conservation des traces d'exécution (mois) — 36 → 48" in lines
    assert any(
        line.startswith("  - Outil interdit [key:chatgpt-grand-public] — règle supprimée")
        for line in lines
    )
    assert (
        "  ~ Rôles habilités à approuver la politique — retiré : « délégué·e à la protection des "
        "données (DPO) »" in lines
    )


def test_rendered_diff_in_english() -> None:
    set_language("en")
    v1, v2 = _v1_v2()
    text = render_diff(parse_policy(v1), parse_policy(v2))
    assert "added: 'hosted outside the EU'" not in text  # French quotes are kept as typography
    assert "Personal data — allowed hostings — added: « hosted outside the EU »" in text


def test_no_change_renders_a_clear_line() -> None:
    v1 = parse_policy(PACK.read_text(encoding="utf-8"))
    assert render_diff(v1, v1).endswith("Aucune règle ne change.")
