"""Bilingual user-facing text: French by default, English on request.

garant's users are French; every message is written in French first and English second at the
place it is used, so a reader of the code sees both and no catalogue drifts out of sync::

    tr("Personne inconnue : {ref}", "Unknown person: {ref}", ref=ref)

The language is a context variable set once by the CLI/TUI (``--lang`` or the workspace setting).
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from typing import Literal

__all__ = ["Language", "current_language", "format_date", "format_datetime", "set_language", "tr"]

Language = Literal["fr", "en"]

_language: ContextVar[Language] = ContextVar("garant_language", default="fr")


def set_language(language: Language) -> None:
    """Set the language of messages for the current context."""
    _language.set(language)


def current_language() -> Language:
    """Return the language of messages for the current context."""
    return _language.get()


def tr(fr: str, en: str, /, **values: object) -> str:
    """Return ``fr`` or ``en`` (per the current language), formatted with ``values``."""
    template = en if _language.get() == "en" else fr
    return template.format(**values) if values else template


def format_date(value: date | None) -> str:
    """Format a date as French users read it (23/11/2026), or ISO in English."""
    if value is None:
        return "—"
    return value.strftime("%d/%m/%Y") if _language.get() == "fr" else value.isoformat()


def format_datetime(value: datetime | None) -> str:
    """Format a timestamp to the minute, in the current language's convention."""
    if value is None:
        return "—"
    if _language.get() == "fr":
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%Y-%m-%d %H:%M")
