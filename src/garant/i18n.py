"""Bilingual user-facing text: French by default, English on request.

garant's users are French; every message is written in French first and English second at the
place it is used, so a reader of the code sees both and no catalogue drifts out of sync::

    tr("Personne inconnue : {ref}", "Unknown person: {ref}", ref=ref)

The language is a context variable set once by the CLI/TUI (``--lang`` or the workspace setting).
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from datetime import UTC, date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

__all__ = [
    "DEFAULT_TIME_ZONE",
    "Language",
    "current_language",
    "current_time_zone",
    "format_date",
    "format_datetime",
    "format_datetime_long",
    "format_datetime_with_zone",
    "local_time",
    "set_language",
    "set_time_zone",
    "tr",
    "translate_validation_message",
]

DEFAULT_TIME_ZONE = "Europe/Paris"
"""The organisation's time zone unless its workspace says otherwise (setting ``timezone``)."""

_FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

Language = Literal["fr", "en"]

_language: ContextVar[Language] = ContextVar("garant_language", default="fr")
_time_zone: ContextVar[str] = ContextVar("garant_time_zone", default=DEFAULT_TIME_ZONE)


def set_time_zone(name: str) -> None:
    """Set the time zone dates and times are shown in (an IANA name, e.g. Europe/Paris)."""
    ZoneInfo(name)  # an unknown name fails here, not when a document is written
    _time_zone.set(name)


def current_time_zone() -> str:
    """The IANA name of the time zone dates and times are shown in."""
    return _time_zone.get()


def local_time(value: datetime) -> datetime:
    """``value`` in the organisation's time zone (a naive value is UTC, as the store keeps it)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(_time_zone.get()))


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


def state_word(value: str) -> str:
    """A run's status or review state, a policy version's or an arbitration's status, as a
    word of the current language (« terminée », « en attente », « publiée », « tranchée »),
    for screens that must not show the stored key (finished, pending, published, decided)."""
    words = {
        "finished": ("terminée", "finished"),
        "failed": ("échouée", "failed"),
        "refused": ("refusée", "refused"),
        "started": ("en cours", "started"),
        "pending": ("en attente", "pending"),
        "approved": ("approuvée", "approved"),
        "rejected": ("rejetée", "rejected"),
        "draft": ("brouillon", "draft"),
        "published": ("publiée", "published"),
        "superseded": ("remplacée", "superseded"),
        "open": ("ouverte", "open"),
        "decided": ("tranchée", "decided"),
    }
    fr, en = words.get(value, (value, value))
    return tr(fr, en)


def format_date(value: date | None) -> str:
    """Format a date as French users read it (23/11/2026), or ISO in English."""
    if value is None:
        return "—"
    return value.strftime("%d/%m/%Y") if _language.get() == "fr" else value.isoformat()


def format_datetime(value: datetime | None) -> str:
    """Format a timestamp to the minute in the organisation's time zone (04/12/2026 12:54)."""
    if value is None:
        return "—"
    value = local_time(value)
    if _language.get() == "fr":
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%Y-%m-%d %H:%M")


def format_datetime_with_zone(value: datetime) -> str:
    """A timestamp for a document that others will read elsewhere (a signed annex): local time
    with its zone and offset, « 04/12/2026 11:00 (Europe/Paris, UTC+01:00) »."""
    local = local_time(value)
    offset = local.strftime("%z")
    return f"{format_datetime(value)} ({_time_zone.get()}, UTC{offset[:3]}:{offset[3:]})"


def format_datetime_long(value: datetime | None) -> str:
    """A timestamp as a sentence reads it, in the organisation's time zone:
    « 4 décembre 2026 à 12 h 54 » (French), « 4 December 2026, 12:54 » (English)."""
    if value is None:
        return "—"
    value = local_time(value)
    if _language.get() == "fr":
        day = "1er" if value.day == 1 else str(value.day)
        month = _FRENCH_MONTHS[value.month - 1]
        return f"{day} {month} {value.year} à {value.hour} h {value.minute:02d}"
    return f"{value.day} {value.strftime('%B')} {value.year}, {value.strftime('%H:%M')}"


_PYDANTIC: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), french)
    for pattern, french in (
        (r"^Input should be a valid number.*$", "un nombre est attendu (ex. 3,5 ou 3.5)"),
        (r"^Input should be a valid integer.*$", "un nombre entier est attendu"),
        (r"^Input should be a valid boolean.*$", "oui/non attendu (true/false)"),
        (r"^Input should be a valid date.*$", "une date est attendue (JJ/MM/AAAA)"),
        (r"^Input should be greater than or equal to (.+)$", r"doit être au moins \1"),
        (r"^Input should be greater than (.+)$", r"doit être supérieur à \1"),
        (r"^Input should be less than or equal to (.+)$", r"doit être au plus \1"),
        (r"^Input should be less than (.+)$", r"doit être inférieur à \1"),
        (r"^Input should be '.*$", "valeur non reconnue (voir les valeurs possibles)"),
        (r"^Input should be (.+)$", r"valeur attendue : \1"),
        (r"^String should have at least 1 character.*$", "ne doit pas être vide"),
        (r"^String should have at most (\d+) characters?$", r"\1 caractères au plus"),
        (r"^Field required$", "champ obligatoire"),
        (r"^Value error, (.+)$", r"\1"),
    )
)


def translate_validation_message(message: str) -> str:
    """A pydantic validation message (« Input should be a valid number… ») in French; as is in
    English or when unknown."""
    if _language.get() == "en":
        return message
    for pattern, french in _PYDANTIC:
        found = pattern.match(message)
        if found:
            return found.expand(french)
    return message
