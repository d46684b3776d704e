"""A small, safe condition language for "when does this checklist item apply?".

Conditions are plain YAML data, never code, and are checked when the checklist is loaded::

    always
    {field: interacts_with_public, is: true}
    {field: data_categories, contains: personal}
    {field: annex_iii, any_of: ["5a", "8b"]}
    {field: hosting, in: [hosted_non_eu]}
    {field: agents_count, gt: 50}
    {all: [cond, ...]}   {any: [cond, ...]}   {not: cond}

Each field has a type (boolean, text, set of texts, integer) declared in :data:`FIELD_TYPES`;
an unknown field or an operator that does not fit the field's type is a load-time error, so a
typo cannot silently make an obligation disappear.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from garant.i18n import tr

__all__ = [
    "FIELD_TYPES",
    "AllOf",
    "Always",
    "AnyOf",
    "Condition",
    "ConditionError",
    "FieldTest",
    "Not",
    "describe_condition",
    "evaluate",
    "parse_condition",
]

FieldType = Literal["bool", "str", "set", "int"]

FIELD_TYPES: dict[str, FieldType] = {
    # Facts given by the use's profile (see garant.governance.checklists.profile.UseProfile)
    "stage": "str",
    "data_categories": "set",
    "hosting": "str",
    "ai_system": "bool",
    "generative": "bool",
    "role": "str",
    "public_body": "bool",
    "interacts_with_public": "bool",
    "publishes_text_to_public": "bool",
    "human_review": "bool",
    "emotion_or_biometric_categorisation": "bool",
    "deep_fakes": "bool",
    "individual_decisions": "bool",
    "solely_automated_decisions": "bool",
    "public_inquiry": "bool",
    "selects_persons_by_lot": "bool",
    "annex_iii": "set",
    "profiling": "bool",
    "prohibited_practices": "set",
    "agents_count": "int",
    "large_scale": "bool",
    # Facts derived by the engine
    "personal_data": "bool",
    "special_data": "bool",
    "hosted": "bool",
    "outside_eu": "bool",
    "processor_involved": "bool",
    "annex_iii_area": "bool",
    "high_risk": "bool",
    "risk_class": "str",
    "art_50_4_exempt": "bool",
    "dpia_required": "bool",
}

_OPERATORS: dict[str, tuple[FieldType, ...]] = {
    "is": ("bool",),
    "equals": ("str", "int"),
    "in": ("str", "int"),
    "contains": ("set",),
    "any_of": ("set",),
    "gt": ("int",),
    "ge": ("int",),
    "lt": ("int",),
    "le": ("int",),
}

Fact = bool | str | int | frozenset[str] | None


class ConditionError(ValueError):
    """A malformed condition; ``path`` says where inside the condition (``all[1].field``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"applies_if{path} : {message}" if path else f"applies_if : {message}")
        self.path = path


@dataclass(frozen=True)
class Always:
    pass


@dataclass(frozen=True)
class FieldTest:
    field: str
    operator: str
    value: bool | str | int | tuple[str | int, ...]


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    condition: Condition


Condition = Always | FieldTest | AllOf | AnyOf | Not


def _parse_test(raw: Mapping[str, object], path: str) -> FieldTest:
    name = raw.get("field")
    if not isinstance(name, str) or name not in FIELD_TYPES:
        raise ConditionError(
            path + ".field",
            tr(
                "champ « {name} » inconnu (connus : {known})",
                "unknown field '{name}' (known: {known})",
                name=name,
                known=", ".join(sorted(FIELD_TYPES)),
            ),
        )
    operators = [key for key in raw if key != "field"]
    if len(operators) != 1 or operators[0] not in _OPERATORS:
        raise ConditionError(
            path,
            tr(
                "un test porte exactement un opérateur parmi {ops} (trouvé : {found})",
                "a test carries exactly one operator among {ops} (found: {found})",
                ops=", ".join(_OPERATORS),
                found=", ".join(operators) or "—",
            ),
        )
    operator = operators[0]
    kind = FIELD_TYPES[name]
    if kind not in _OPERATORS[operator]:
        raise ConditionError(
            f"{path}.{operator}",
            tr(
                "l'opérateur « {op} » ne s'applique pas au champ « {name} » ({kind})",
                "operator '{op}' does not apply to field '{name}' ({kind})",
                op=operator,
                name=name,
                kind=kind,
            ),
        )
    value = raw[operator]
    if operator == "is":
        if not isinstance(value, bool):
            raise ConditionError(
                f"{path}.is", tr("true ou false attendu", "true or false expected")
            )
        return FieldTest(name, operator, value)
    if operator in {"in", "any_of"}:
        if not isinstance(value, list) or not value:
            raise ConditionError(
                f"{path}.{operator}", tr("liste non vide attendue", "non-empty list expected")
            )
        items = tuple(str(v) if kind in {"str", "set"} else v for v in value)
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in items):
            raise ConditionError(
                f"{path}.{operator}", tr("valeurs simples attendues", "plain values expected")
            )
        return FieldTest(name, operator, items)
    if operator in {"gt", "ge", "lt", "le"} or (operator == "equals" and kind == "int"):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConditionError(
                f"{path}.{operator}", tr("nombre entier attendu", "integer expected")
            )
        return FieldTest(name, operator, value)
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ConditionError(
            f"{path}.{operator}", tr("valeur simple attendue", "plain value expected")
        )
    return FieldTest(name, operator, str(value))


def parse_condition(raw: object, path: str = "") -> Condition:
    """Turn YAML data into a :class:`Condition`; :class:`ConditionError` says what is wrong."""
    if raw is None or raw == "always":
        return Always()
    if not isinstance(raw, Mapping):
        raise ConditionError(
            path,
            tr(
                "« always » ou un test {field: …, opérateur: …} attendu",
                "'always' or a test {field: …, operator: …} expected",
            ),
        )
    keys = set(raw)
    for combinator in ("all", "any"):
        if combinator in keys:
            if keys != {combinator}:
                raise ConditionError(
                    path,
                    tr(
                        "« {c} » s'emploie seul dans son bloc",
                        "'{c}' must stand alone in its block",
                        c=combinator,
                    ),
                )
            members = raw[combinator]
            if not isinstance(members, list) or not members:
                raise ConditionError(
                    f"{path}.{combinator}", tr("liste non vide attendue", "non-empty list expected")
                )
            parsed = tuple(
                parse_condition(member, f"{path}.{combinator}[{index}]")
                for index, member in enumerate(members)
            )
            return AllOf(parsed) if combinator == "all" else AnyOf(parsed)
    if "not" in keys:
        if keys != {"not"}:
            raise ConditionError(path, tr("« not » s'emploie seul", "'not' must stand alone"))
        return Not(parse_condition(raw["not"], f"{path}.not"))
    if "field" in keys:
        return _parse_test(raw, path)
    raise ConditionError(
        path,
        tr(
            "bloc inconnu ({keys}) : attendu field, all, any ou not",
            "unknown block ({keys}): expected field, all, any or not",
            keys=", ".join(sorted(str(k) for k in keys)),
        ),
    )


def _test(test: FieldTest, facts: Mapping[str, Fact]) -> bool:
    actual = facts.get(test.field)
    op, expected = test.operator, test.value
    if op == "is":
        return bool(actual) is expected
    if op == "equals":
        return actual == expected
    if op == "in":
        assert isinstance(expected, tuple)
        return actual in expected
    if op == "contains":
        return isinstance(actual, frozenset) and expected in actual
    if op == "any_of":
        assert isinstance(expected, tuple)
        return isinstance(actual, frozenset) and any(v in actual for v in expected)
    if actual is None or not isinstance(actual, int) or not isinstance(expected, int):
        return False  # an unknown number satisfies no comparison
    return {
        "gt": actual > expected,
        "ge": actual >= expected,
        "lt": actual < expected,
        "le": actual <= expected,
    }[op]


def evaluate(condition: Condition, facts: Mapping[str, Fact]) -> bool:
    """Whether ``condition`` holds for the facts of a use."""
    if isinstance(condition, Always):
        return True
    if isinstance(condition, FieldTest):
        return _test(condition, facts)
    if isinstance(condition, AllOf):
        return all(evaluate(c, facts) for c in condition.conditions)
    if isinstance(condition, AnyOf):
        return any(evaluate(c, facts) for c in condition.conditions)
    return not evaluate(condition.condition, facts)


def describe_condition(condition: Condition) -> str:
    """A compact, readable form of the condition (same in both languages: field names)."""
    if isinstance(condition, Always):
        return tr("toujours", "always")
    if isinstance(condition, FieldTest):
        value = condition.value
        shown = "[" + ", ".join(str(v) for v in value) + "]" if isinstance(value, tuple) else value
        if isinstance(shown, bool):
            shown = "true" if shown else "false"
        return f"{condition.field} {condition.operator} {shown}"
    if isinstance(condition, AllOf):
        return (
            "("
            + tr(" et ", " and ").join(describe_condition(c) for c in condition.conditions)
            + ")"
        )
    if isinstance(condition, AnyOf):
        return (
            "(" + tr(" ou ", " or ").join(describe_condition(c) for c in condition.conditions) + ")"
        )
    return tr("non ", "not ") + describe_condition(condition.condition)
