"""Read YAML keeping the line of every value, and turn validation errors into precise messages.

PyYAML's ``compose`` step yields a node tree whose nodes carry their position in the file; we
build the plain Python data from that tree ourselves and remember, for each path (``("data", 2,
"hosting")``), the line where its value starts. A Pydantic error location is a path too, so every
error can name the file, the line and the field. Duplicate keys — which PyYAML accepts silently,
keeping the last — are reported as errors: in a policy, a rule written twice is a mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from garant.errors import InputError
from garant.i18n import tr

__all__ = [
    "LineMap",
    "YamlDocument",
    "format_location",
    "load_yaml_document",
    "parse_yaml_document",
    "validate_document",
    "validation_error_to_input_error",
]

PathKey = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class LineMap:
    """1-based line of the value at each path of a YAML document."""

    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, loc: tuple[str | int, ...]) -> int:
        """Line of the deepest known prefix of ``loc``; components unknown to YAML are skipped.

        Pydantic locations can hold extra components (a union member's name, a validator tag):
        they are ignored so the error still points at the nearest real value.
        """
        current: PathKey = ()
        best = self.lines.get((), 1)
        for part in loc:
            candidate = (*current, part)
            if candidate in self.lines:
                current = candidate
                best = self.lines[candidate]
        return best


@dataclass(frozen=True)
class YamlDocument:
    """The data of one YAML file with its source name and the line of each value."""

    data: Any
    source: str
    lines: LineMap


_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when available (about 10 times faster); node marks are the same."""


def _safe_constructor() -> yaml.constructor.SafeConstructor:
    return yaml.constructor.SafeConstructor()


def _build(
    node: yaml.Node,
    path: PathKey,
    lines: dict[PathKey, int],
    constructor: yaml.constructor.SafeConstructor,
    source: str,
) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        constructor.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if not isinstance(key, str | int) or isinstance(key, bool):
                raise InputError(
                    tr(
                        "{source}, ligne {line} : clé « {key} » invalide (texte attendu).",
                        "{source}, line {line}: invalid key '{key}' (text expected).",
                        source=source,
                        line=key_node.start_mark.line + 1,
                        key=key,
                    ),
                    tr("Écrivez la clé comme un mot.", "Write the key as a word."),
                )
            if key in result:
                raise InputError(
                    tr(
                        "{source}, ligne {line} : la clé « {key} » apparaît deux fois.",
                        "{source}, line {line}: key '{key}' appears twice.",
                        source=source,
                        line=key_node.start_mark.line + 1,
                        key=key,
                    ),
                    tr(
                        "Gardez une seule occurrence de cette clé (fusionnez les deux).",
                        "Keep a single occurrence of this key (merge both).",
                    ),
                )
            result[key] = _build(value_node, (*path, key), lines, constructor, source)
            # A value is found at its key's line (a block mapping's value starts one line below).
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*path, index), lines, constructor, source)
            for index, item in enumerate(node.value)
        ]
    return constructor.construct_object(node, deep=True)


def parse_yaml_document(text: str, source: str) -> YamlDocument:
    """Parse YAML ``text`` (named ``source`` in messages) keeping the line of each value."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = error.problem or error.context or "?"
        raise InputError(
            tr(
                "{source}, ligne {line} : YAML illisible ({problem}).",
                "{source}, line {line}: unreadable YAML ({problem}).",
                source=source,
                line=line,
                problem=problem,
            ),
            tr(
                "Vérifiez l'indentation (espaces, pas de tabulations) et les deux-points à "
                "cette ligne ou juste avant.",
                "Check the indentation (spaces, no tabs) and colons on this line or just before.",
            ),
        ) from error
    except yaml.YAMLError as error:
        raise InputError(
            tr(
                "{source} : YAML illisible ({error}).",
                "{source}: unreadable YAML ({error}).",
                source=source,
                error=error,
            ),
            tr("Vérifiez la syntaxe du fichier.", "Check the file's syntax."),
        ) from error
    lines: dict[PathKey, int] = {}
    if root is None:
        return YamlDocument(data=None, source=source, lines=LineMap(lines))
    data = _build(root, (), lines, _safe_constructor(), source)
    return YamlDocument(data=data, source=source, lines=LineMap(lines))


def load_yaml_document(path: Path) -> YamlDocument:
    """Read and parse a YAML file; a missing or undecodable file is an :class:`InputError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise InputError(
            tr("Fichier introuvable : {path}", "File not found: {path}", path=path),
            tr("Vérifiez le chemin.", "Check the path."),
        ) from error
    except UnicodeDecodeError as error:
        raise InputError(
            tr(
                "{path} : le fichier n'est pas en UTF-8.",
                "{path}: the file is not UTF-8.",
                path=path,
            ),
            tr("Enregistrez-le en UTF-8.", "Save it as UTF-8."),
        ) from error
    return parse_yaml_document(text, str(path))


def format_location(loc: tuple[str | int, ...]) -> str:
    """``("data", 2, "hosting")`` → ``data[2].hosting`` (indices as written in YAML lists)."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(racine)"


def _describe(error: ErrorDetails) -> tuple[str, str]:
    """French and English description of one Pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx", {}) or {}
    value = error.get("input")
    if kind == "missing":
        return "champ obligatoire absent", "required field missing"
    if kind == "extra_forbidden":
        return "champ inconnu", "unknown field"
    if kind in {"enum", "literal_error"}:
        expected = str(ctx.get("expected", "")).replace("'", "")
        return (
            f"valeur « {value} » invalide — valeurs possibles : {expected.replace(' or ', ', ')}",
            f"invalid value '{value}' — expected one of: {expected}",
        )
    if kind in {"bool_type", "bool_parsing"}:
        return (
            f"« {value} » n'est pas un booléen (true ou false)",
            f"'{value}' is not a boolean (true or false)",
        )
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"« {value} » n'est pas un nombre entier", f"'{value}' is not an integer"
    if kind in {"greater_than_equal", "greater_than"}:
        bound = ctx.get("ge", ctx.get("gt"))
        return (
            f"« {value} » est trop petit (minimum {bound})",
            f"'{value}' is too small (minimum {bound})",
        )
    if kind in {"less_than_equal", "less_than"}:
        bound = ctx.get("le", ctx.get("lt"))
        return (
            f"« {value} » est trop grand (maximum {bound})",
            f"'{value}' is too large (maximum {bound})",
        )
    if kind.startswith("date") or kind.startswith("datetime"):
        return (
            f"« {value} » n'est pas une date (AAAA-MM-JJ)",
            f"'{value}' is not a date (YYYY-MM-DD)",
        )
    if kind in {"string_type"}:
        return "texte attendu", "text expected"
    if kind in {"list_type", "tuple_type", "set_type", "frozen_set_type"}:
        return "liste attendue", "list expected"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return "ensemble de champs (clé: valeur) attendu", "mapping (key: value) expected"
    if kind == "string_too_short":
        return "texte vide ou trop court", "text empty or too short"
    if kind == "string_too_long":
        return (
            f"texte trop long (maximum {ctx.get('max_length')} caractères)",
            f"text too long (maximum {ctx.get('max_length')} characters)",
        )
    if kind == "too_short":
        return "liste vide ou trop courte", "list empty or too short"
    if kind == "string_pattern_mismatch":
        return (
            f"« {value} » ne respecte pas le format attendu (minuscules, chiffres, _ ou -)",
            f"'{value}' does not match the expected format (lower case, digits, _ or -)",
        )
    if kind == "value_error":
        reason = ctx.get("error")
        text = str(reason) if reason is not None else error["msg"]
        return text, text
    return error["msg"], error["msg"]


def validation_error_to_input_error(
    error: ValidationError, document: YamlDocument, what_fr: str, what_en: str
) -> InputError:
    """One :class:`InputError` listing every problem as ``file, line N, field X: problem``."""
    entries_fr: list[str] = []
    entries_en: list[str] = []
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        line = document.lines.line_of(loc)
        field_name = format_location(loc)
        fr, en = _describe(detail)
        entries_fr.append(f"{document.source}, ligne {line}, champ « {field_name} » : {fr}")
        entries_en.append(f"{document.source}, line {line}, field '{field_name}': {en}")
    count = len(entries_fr)
    message = tr(
        "{what} invalide ({count} erreur(s)) :\n  {entries}",
        "Invalid {what} ({count} error(s)):\n  {entries}",
        what=tr(what_fr, what_en),
        count=count,
        entries="\n  ".join(tr("\n".join(entries_fr), "\n".join(entries_en)).splitlines()),
    )
    return InputError(
        message,
        tr(
            "Corrigez le fichier à ces lignes, puis relancez la validation.",
            "Fix the file at these lines, then validate again.",
        ),
    )


def validate_document(
    model: type[ModelT], document: YamlDocument, what_fr: str, what_en: str
) -> ModelT:
    """Validate ``document.data`` with ``model``; errors name file, line and field."""
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        raise validation_error_to_input_error(error, document, what_fr, what_en) from error
