"""The applicability language: data only, checked at load time, evaluated without eval."""

from __future__ import annotations

import pytest

from garant.governance.checklists import (
    ConditionError,
    describe_condition,
    evaluate,
    parse_condition,
)

FACTS: dict[str, bool | str | int | frozenset[str] | None] = {
    "data_categories": frozenset({"personal", "public_contributions"}),
    "hosting": "hosted_eu",
    "interacts_with_public": True,
    "public_body": False,
    "agents_count": 120,
    "annex_iii": frozenset({"5a"}),
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("always", True),
        (None, True),
        ({"field": "interacts_with_public", "is": True}, True),
        ({"field": "public_body", "is": True}, False),
        ({"field": "data_categories", "contains": "personal"}, True),
        ({"field": "data_categories", "contains": "special"}, False),
        ({"field": "annex_iii", "any_of": ["8b", "5a"]}, True),
        ({"field": "hosting", "in": ["offline", "local"]}, False),
        ({"field": "hosting", "equals": "hosted_eu"}, True),
        ({"field": "agents_count", "gt": 50}, True),
        ({"field": "agents_count", "le": 50}, False),
        (
            {"all": [{"field": "public_body", "is": False}, {"field": "agents_count", "ge": 120}]},
            True,
        ),
        (
            {
                "any": [
                    {"field": "public_body", "is": True},
                    {"field": "hosting", "equals": "local"},
                ]
            },
            False,
        ),
        ({"not": {"field": "public_body", "is": True}}, True),
    ],
)
def test_conditions_evaluate_over_facts(raw: object, expected: bool) -> None:
    assert evaluate(parse_condition(raw), FACTS) is expected


def test_unknown_number_satisfies_no_comparison() -> None:
    condition = parse_condition({"field": "agents_count", "gt": 50})
    assert not evaluate(condition, {"agents_count": None})


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"field": "chatbot", "is": True}, "champ « chatbot » inconnu"),
        ({"field": "public_body", "contains": "x"}, "ne s'applique pas au champ « public_body »"),
        ({"field": "agents_count", "gt": "cinquante"}, "nombre entier attendu"),
        ({"field": "public_body", "is": "oui"}, "true ou false attendu"),
        ({"field": "public_body"}, "exactement un opérateur"),
        ({"all": []}, "liste non vide attendue"),
        ({"all": [{"field": "x", "is": True}]}, "applies_if.all[0].field"),
        ({"any": [{"field": "public_body", "is": True}], "field": "ai_system"}, "seul"),
        ("__import__('os').system('true')", "« always » ou un test"),
        ({"eval": "1"}, "bloc inconnu"),
    ],
)
def test_malformed_conditions_are_refused_with_their_path(raw: object, fragment: str) -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition(raw)
    assert fragment in str(caught.value)


def test_describe_condition_is_readable() -> None:
    condition = parse_condition(
        {
            "all": [
                {"field": "high_risk", "is": True},
                {"not": {"field": "role", "equals": "provider"}},
            ]
        }
    )
    assert describe_condition(condition) == "(high_risk is true et non role equals provider)"
