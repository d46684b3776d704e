"""What users supply to create or change registry entries, validated before any write.

Validation errors become :class:`garant.errors.InputError` naming the field (see
:func:`validated`), so a bad value never reaches the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from garant.domain.enums import (
    AccessMode,
    DataCategory,
    LegalBasis,
    ParticipationStage,
    RoleName,
    ToolStatus,
    UseStatus,
)
from garant.errors import InputError
from garant.i18n import tr, translate_validation_message

__all__ = [
    "PersonInput",
    "RoleInput",
    "ToolInput",
    "TrainingInput",
    "UseInput",
    "parse_choice",
    "validated",
]

Model = TypeVar("Model", bound=BaseModel)


def _french_date(value: Any) -> Any:
    """A date written 23/11/2026 (as French users write dates) or 2026-11-23.

    Years must have four digits: « 1/1/25 » is refused rather than guessed (it used to be
    stored as year 25). Errors are in the user's language and say the expected form.
    """
    if isinstance(value, date) or not isinstance(value, str):
        return value
    text = value.strip()
    parts = text.split("/") if "/" in text else text.split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise PydanticCustomError(
            "date_format",
            tr(
                "date illisible : attendu JJ/MM/AAAA ou AAAA-MM-JJ",
                "unreadable date: expected DD/MM/YYYY or YYYY-MM-DD",
            ),
        )
    day, month, year = parts if "/" in text else (parts[2], parts[1], parts[0])
    if len(year) != 4:
        raise PydanticCustomError(
            "date_year",
            tr(
                "l'année doit avoir quatre chiffres (ex. 01/01/2025, pas 1/1/25)",
                "the year must have four digits (e.g. 2025-01-01, not 1/1/25)",
            ),
        )
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise PydanticCustomError(
            "date_value",
            tr(
                "cette date n'existe pas (jour {d}, mois {m}, année {y})",
                "this date does not exist (day {d}, month {m}, year {y})",
                d=day,
                m=month,
                y=year,
            ),
        ) from None


FlexibleDate = Annotated[date, BeforeValidator(_french_date)]


class _Input(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


class PersonInput(_Input):
    full_name: str = Field(min_length=1, max_length=300)
    email: str = Field(default="", max_length=300)
    job_title: str = Field(default="", max_length=300)
    key: str | None = Field(default=None, max_length=120)

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str) -> str:
        if value and ("@" not in value or value.startswith("@") or value.endswith("@")):
            raise ValueError("adresse e-mail invalide / invalid e-mail address")
        return value.lower()


class RoleInput(_Input):
    person: str = Field(min_length=1)
    role: RoleName
    start_date: FlexibleDate
    end_date: FlexibleDate | None = None
    scope: str = ""


class ToolInput(_Input):
    name: str = Field(min_length=1, max_length=300)
    vendor: str = ""
    model_family: str = ""
    model_version: str = ""
    access_mode: AccessMode
    hosting_region: str = ""
    data_leaves_eu: bool = False
    retention_terms: str = ""
    training_on_inputs: bool | None = None
    dpa_reference: str = ""
    status: ToolStatus = ToolStatus.UNDER_REVIEW
    model_alias: str = ""
    notes: str = ""
    key: str | None = None


class UseInput(_Input):
    title: str = Field(min_length=1, max_length=300)
    purpose: str = Field(min_length=1)
    stage: ParticipationStage
    tools: list[str] = Field(default_factory=list)
    data_categories: list[DataCategory] = Field(default_factory=lambda: [DataCategory.NONE])
    legal_basis: LegalBasis | None = None
    responsible: str | None = None
    oversight: str | None = None
    status: UseStatus = UseStatus.DRAFT
    data_subjects: str = ""
    data_description: str = ""
    recipients: str = ""
    retention: str = ""
    security_measures: str = ""
    transfer_safeguards: str = ""
    key: str | None = None


class TrainingInput(_Input):
    person: str = Field(min_length=1)
    module: str = Field(min_length=1, max_length=300)
    completed_on: FlexibleDate
    hours: float = Field(gt=0, le=1000)
    provider: str = ""


Choice = TypeVar("Choice", bound=Enum)


def parse_choice(vocabulary: type[Choice], value: str, field: str) -> Choice:
    """``value`` as a member of ``vocabulary``, or an InputError naming the field and choices."""
    try:
        return vocabulary(value)
    except ValueError:
        raise InputError(
            tr(
                "Valeur invalide pour « {field} » : {value!r}",
                "Invalid value for '{field}': {value!r}",
                field=field,
                value=value,
            ),
            tr(
                "Valeurs possibles : {c}",
                "Allowed values: {c}",
                c=", ".join(str(member.value) for member in vocabulary),
            ),
        ) from None


def validated(
    model: type[Model], values: dict[str, Any], names: Mapping[str, str] | None = None
) -> Model:
    """Build ``model`` from ``values`` or raise an InputError naming the first bad field —
    by the name the user typed when ``names`` maps it (``{"start_date": "--from"}``)."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field_name = ".".join(str(part) for part in first["loc"]) or "?"
        given = first.get("input")
        raise InputError(
            tr(
                "Valeur invalide pour « {field} » ({given!r}) : {msg}",
                "Invalid value for '{field}' ({given!r}): {msg}",
                field=(names or {}).get(field_name, field_name),
                given=given,
                msg=translate_validation_message(first["msg"]),
            ),
            _hint_for(model, field_name),
        ) from None


def _hint_for(model: type[BaseModel], field_name: str) -> str:
    annotation = model.model_fields.get(field_name.split(".")[0])
    choices = _choices(annotation.annotation if annotation else None)
    if choices:
        return tr("Valeurs possibles : {c}", "Allowed values: {c}", c=", ".join(choices))
    if _mentions_date(annotation.annotation if annotation else None):
        return tr(
            "Format attendu : JJ/MM/AAAA ou AAAA-MM-JJ (ex. 23/11/2026).",
            "Expected YYYY-MM-DD or DD/MM/YYYY.",
        )
    return tr("Corrigez la valeur et relancez.", "Fix the value and try again.")


def _mentions_date(annotation: Any) -> bool:
    from typing import get_args

    if annotation is date:
        return True
    return any(_mentions_date(arg) for arg in get_args(annotation))


def _choices(annotation: Any) -> list[str]:
    from enum import Enum
    from typing import get_args

    candidates = [annotation, *get_args(annotation)]
    for candidate in candidates:
        inner = get_args(candidate) or (candidate,)
        for item in inner:
            if isinstance(item, type) and issubclass(item, Enum):
                return [str(member.value) for member in item]
    return []
