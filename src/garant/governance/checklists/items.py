"""Checklist items and legal dates as data files, validated with file/line/field errors.

The built-in catalogue lives in ``garant/governance/checklists/data/``: ``dates.yaml`` holds the
application dates (AI Act as amended by the 2026 Digital Omnibus, GDPR…) under stable keys, and
the other files hold the items. An item's ``applies_from`` is either a literal date or one of
those keys, so a change in the law's calendar is one line in ``dates.yaml`` — or an override
passed at load time (e.g. from the workspace settings), without editing any item.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from garant.errors import InputError
from garant.governance.checklists.conditions import Always, Condition, parse_condition
from garant.governance.policy.yamlsource import (
    YamlDocument,
    load_yaml_document,
    parse_yaml_document,
    validate_document,
)
from garant.i18n import tr

__all__ = [
    "SECTIONS",
    "Catalogue",
    "ChecklistItem",
    "EvidenceSpec",
    "LegalDate",
    "Reference",
    "Text",
    "load_catalogue",
    "parse_items",
]

SourceKind = Literal[
    "ria", "rgpd", "lil", "cnil", "edpb", "crpa", "cenv", "cnce", "patrimoine", "bonne_pratique"
]

_SOURCE_NAMES: dict[str, tuple[str, str]] = {
    "ria": ("RIA", "AI Act"),
    "rgpd": ("RGPD", "GDPR"),
    "lil": ("Loi Informatique et Libertés", "French Data Protection Act"),
    "cnil": ("CNIL", "CNIL"),
    "edpb": ("CEPD", "EDPB"),
    "crpa": ("CRPA", "CRPA (French Code of relations with the administration)"),
    "cenv": ("Code de l'environnement", "French Environmental Code"),
    "cnce": ("CNCE", "CNCE (national company of public-inquiry officers)"),
    "patrimoine": ("Code du patrimoine", "French Heritage Code"),
    "bonne_pratique": ("Bonne pratique", "Good practice"),
}

SECTIONS: dict[str, tuple[str, str]] = {
    "scope": ("Champ d'application et rôle", "Scope and role"),
    "literacy": ("Maîtrise de l'IA", "AI literacy"),
    "prohibited": ("Pratiques interdites", "Prohibited practices"),
    "high_risk_screening": ("Criblage haut risque", "High-risk screening"),
    "high_risk_duties": ("Obligations haut risque", "High-risk duties"),
    "transparency": ("Transparence (art. 50)", "Transparency (Art. 50)"),
    "gdpr": ("Protection des données (RGPD)", "Data protection (GDPR)"),
    "french_public_law": ("Droit public français", "French public law"),
    "public_inquiry": ("Enquête publique", "Public inquiry"),
    "governance": ("Gouvernance", "Governance"),
}
"""Sections of the catalogue, in display order."""

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=80)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(_Strict):
    """A text in French and English."""

    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __str__(self) -> str:
        return tr(self.fr, self.en)


class Reference(_Strict):
    """A legal or guidance reference: its source and the article (``art. 50(4)``)."""

    source: SourceKind
    ref: str = Field(min_length=1, max_length=200)

    def __str__(self) -> str:
        return f"{tr(*_SOURCE_NAMES[self.source])} {self.ref}"


class EvidenceSpec(_Strict):
    """A piece of evidence the item asks to keep."""

    id: Slug
    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __str__(self) -> str:
        return tr(self.fr, self.en)


def _condition(value: object) -> Condition:
    return parse_condition(value)


class ChecklistItem(_Strict):
    """One obligation or check, with when it applies and what evidence to keep."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$", max_length=40)
    section: Literal[
        "scope",
        "literacy",
        "prohibited",
        "high_risk_screening",
        "high_risk_duties",
        "transparency",
        "gdpr",
        "french_public_law",
        "public_inquiry",
        "governance",
    ]
    title: Text
    question: Text
    refs: list[Reference] = Field(min_length=1)
    applies_if: Annotated[Condition, BeforeValidator(_condition)] = Always()
    evidence: list[EvidenceSpec] = Field(default_factory=list)
    applies_from: date | str | None = None
    """A date, or a key of ``dates.yaml`` (e.g. ``ria_art50``); ``None``: already in force."""
    guidance: Text | None = None

    @field_validator("evidence")
    @classmethod
    def _unique_evidence(cls, value: list[EvidenceSpec]) -> list[EvidenceSpec]:
        ids = [spec.id for spec in value]
        if len(set(ids)) != len(ids):
            raise ValueError(tr("preuve citée deux fois", "evidence listed twice"))
        return value

    @property
    def references(self) -> str:
        return " ; ".join(str(ref) for ref in self.refs)


class LegalDate(_Strict):
    date: date
    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)
    source: str = ""
    """Where the date comes from, and how sure it is."""


class _DatesFile(_Strict):
    dates: dict[Slug, LegalDate]


class _ItemsFile(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    items: list[ChecklistItem]


@dataclass(frozen=True)
class Catalogue:
    """Every checklist item and the legal dates they refer to."""

    items: tuple[ChecklistItem, ...]
    dates: Mapping[str, LegalDate]

    def item(self, item_id: str) -> ChecklistItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def applies_from(self, item: ChecklistItem) -> date | None:
        """The date from which ``item`` applies (a key is looked up in the dates table)."""
        if item.applies_from is None or isinstance(item.applies_from, date):
            return item.applies_from
        return self.dates[item.applies_from].date


def _data_dir() -> Path:
    return Path(str(resources.files("garant.governance.checklists") / "data"))


def _parse_dates(document: YamlDocument) -> dict[str, LegalDate]:
    return dict(validate_document(_DatesFile, document, "Calendrier", "Calendar").dates)


def _check_items(
    items_by_file: list[tuple[YamlDocument, list[ChecklistItem]]], dates: Mapping[str, LegalDate]
) -> None:
    seen: dict[str, str] = {}
    for document, items in items_by_file:
        for index, item in enumerate(items):
            line = document.lines.line_of(("items", index, "id"))
            if item.id in seen:
                raise InputError(
                    tr(
                        "{source}, ligne {line}, champ « items[{index}].id » : l'identifiant "
                        "{id} existe déjà dans {other}.",
                        "{source}, line {line}, field 'items[{index}].id': id {id} already "
                        "exists in {other}.",
                        source=document.source,
                        line=line,
                        index=index,
                        id=item.id,
                        other=seen[item.id],
                    ),
                    tr("Donnez-lui un identifiant unique.", "Give it a unique id."),
                )
            seen[item.id] = document.source
            key = item.applies_from
            if isinstance(key, str) and key not in dates:
                line = document.lines.line_of(("items", index, "applies_from"))
                raise InputError(
                    tr(
                        "{source}, ligne {line}, champ « items[{index}].applies_from » : date "
                        "« {key} » inconnue (connues : {known}).",
                        "{source}, line {line}, field 'items[{index}].applies_from': unknown "
                        "date '{key}' (known: {known}).",
                        source=document.source,
                        line=line,
                        index=index,
                        key=key,
                        known=", ".join(sorted(dates)),
                    ),
                    tr(
                        "Écrivez une date AAAA-MM-JJ ou une clé de dates.yaml.",
                        "Write a YYYY-MM-DD date or a key of dates.yaml.",
                    ),
                )


def _apply_overrides(
    dates: dict[str, LegalDate], overrides: Mapping[str, date] | None
) -> dict[str, LegalDate]:
    for key, value in (overrides or {}).items():
        if key not in dates:
            raise InputError(
                tr(
                    "Date légale inconnue : « {key} » (connues : {known}).",
                    "Unknown legal date: '{key}' (known: {known}).",
                    key=key,
                    known=", ".join(sorted(dates)),
                ),
                tr(
                    "Corrigez le nom de la date dans la configuration.",
                    "Fix the date's name in the settings.",
                ),
            )
        dates[key] = dates[key].model_copy(
            update={"date": value, "source": tr("valeur configurée", "configured value")}
        )
    return dates


def _load_documents(folders: tuple[Path, ...]) -> tuple[YamlDocument | None, list[YamlDocument]]:
    dates_document: YamlDocument | None = None
    item_documents: list[YamlDocument] = []
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")):
            document = load_yaml_document(path)
            if path.name == "dates.yaml":
                dates_document = document
            else:
                item_documents.append(document)
    return dates_document, item_documents


@lru_cache(maxsize=4)
def _builtin_documents() -> tuple[YamlDocument | None, tuple[YamlDocument, ...]]:
    dates_document, documents = _load_documents((_data_dir(),))
    return dates_document, tuple(documents)


def load_catalogue(
    extra_folders: tuple[Path, ...] = (),
    date_overrides: Mapping[str, date] | None = None,
    *,
    include_builtin: bool = True,
) -> Catalogue:
    """Load the built-in items (plus ``extra_folders`` of a workspace) and the legal dates.

    ``date_overrides`` replaces dates by key, e.g. ``{"ria_annex_iii": date(2026, 8, 2)}`` if
    the Digital Omnibus postponement did not apply.
    """
    documents: list[YamlDocument] = []
    dates_document: YamlDocument | None = None
    if include_builtin:
        dates_document, builtin = _builtin_documents()
        documents.extend(builtin)
    if extra_folders:
        extra_dates, extra_documents = _load_documents(extra_folders)
        dates_document = extra_dates or dates_document
        documents.extend(extra_documents)
    dates = _parse_dates(dates_document) if dates_document is not None else {}
    dates = _apply_overrides(dict(dates), date_overrides)
    items_by_file = [
        (document, validate_document(_ItemsFile, document, "Liste de contrôle", "Checklist").items)
        for document in documents
    ]
    _check_items(items_by_file, dates)
    return Catalogue(items=tuple(item for _, items in items_by_file for item in items), dates=dates)


def parse_items(text: str, source: str) -> list[ChecklistItem]:
    """Validate checklist items from YAML text (used by tests and workspace additions)."""
    document = parse_yaml_document(text, source)
    return validate_document(_ItemsFile, document, "Liste de contrôle", "Checklist").items
