"""The one Jinja environment every garant document is rendered with.

Templates are looked up first in the workspace folders given (a user's ``charters/`` folder, for
example), then in the template folders of the packages given, then in garant's built-in templates
(``garant/documents/templates``) — the datasette ``ChoiceLoader`` pattern, so a workspace overrides
a built-in template by putting a file with the same name in its folder. HTML templates are
autoescaped; ``StrictUndefined`` makes a missing field an error, never a blank.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context

from garant.documents.precompiled import PrecompiledPackageLoader
from garant.errors import InputError, NotFoundError
from garant.i18n import (
    Language,
    current_language,
    format_date,
    format_datetime,
    format_datetime_long,
    set_language,
    tr,
)

__all__ = [
    "BUILTIN_PACKAGE",
    "in_language",
    "make_environment",
    "md_cell",
    "render_template",
]

BUILTIN_PACKAGE = "garant.documents"

_T = TypeVar("_T")


def in_language(language: Language, function: Callable[[], _T]) -> _T:
    """Call ``function`` with garant's message language set to ``language``, then restore it."""

    def run() -> _T:
        set_language(language)
        return function()

    return contextvars.copy_context().run(run)


def _language_of(context: Context) -> Language:
    value = context.get("lang")
    return value if value in ("fr", "en") else current_language()


@pass_context
def _date_filter(context: Context, value: date | datetime | None) -> str:
    """``{{ d | date }}`` → 23/11/2026 in French, 2026-11-23 in English."""
    if isinstance(value, datetime):
        value = value.date()
    return in_language(_language_of(context), lambda: format_date(value))


@pass_context
def _datetime_filter(context: Context, value: datetime | None) -> str:
    """``{{ t | datetime }}`` → 23/11/2026 14:05 in French."""
    return in_language(_language_of(context), lambda: format_datetime(value))


@pass_context
def _datetime_long_filter(context: Context, value: datetime | None) -> str:
    """``{{ t | datetime_long }}`` → 4 décembre 2026 à 12 h 54 (organisation's time zone)."""
    return in_language(_language_of(context), lambda: format_datetime_long(value))


def md_cell(value: object) -> str:
    """Make ``value`` safe inside a Markdown table cell (pipes escaped, one line)."""
    text = "" if value is None else str(value)
    return " ".join(text.replace("|", "\\|").split())


def make_environment(
    template_dirs: Sequence[Path] = (),
    *,
    packages: Sequence[str] = (),
) -> Environment:
    """Build the Jinja environment: ``template_dirs`` override ``packages`` override built-ins.

    ``packages`` names Python packages that ship a ``templates/`` folder (e.g. a report module);
    ``garant.documents`` is always searched last.
    """
    for folder in template_dirs:
        if not Path(folder).is_dir():
            raise NotFoundError(
                tr(
                    "Dossier de modèles introuvable : {path}",
                    "Template folder not found: {path}",
                    path=folder,
                ),
                tr(
                    "Créez le dossier ou retirez-le de la liste des dossiers de modèles.",
                    "Create the folder or remove it from the template folders.",
                ),
            )
    loaders: list[BaseLoader] = [FileSystemLoader([str(folder) for folder in template_dirs])]
    # Built-in templates listed in precompiled.PRECOMPILED load from their compiled modules.
    loaders += [PrecompiledPackageLoader(package, "templates") for package in packages]
    loaders.append(PrecompiledPackageLoader(BUILTIN_PACKAGE, "templates"))
    environment = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "html.j2", "xml.j2"),
            default_for_string=False,
            default=False,
        ),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["date"] = _date_filter
    environment.filters["datetime"] = _datetime_filter
    environment.filters["datetime_long"] = _datetime_long_filter
    environment.filters["md_cell"] = md_cell
    return environment


def render_template(environment: Environment, name: str, context: dict[str, Any]) -> str:
    """Render template ``name``; a missing template or field becomes a clear :class:`InputError`."""
    from jinja2 import TemplateNotFound, UndefinedError

    try:
        template = environment.get_template(name)
    except TemplateNotFound as error:
        raise NotFoundError(
            tr("Modèle introuvable : {name}", "Template not found: {name}", name=name),
            tr(
                "Vérifiez le nom du modèle ou le dossier de modèles de l'espace de travail.",
                "Check the template name or the workspace's template folder.",
            ),
        ) from error
    except TemplateError as error:
        raise InputError(
            tr(
                "Modèle {name} : erreur de syntaxe ({detail})",
                "Template {name}: syntax error ({detail})",
                name=getattr(error, "filename", None) or name,
                detail=error.message,
            ),
            tr("Corrigez le modèle.", "Fix the template."),
        ) from error
    try:
        return template.render(**context)
    except UndefinedError as error:
        raise InputError(
            tr(
                "Modèle {name} : champ manquant ({detail})",
                "Template {name}: missing field ({detail})",
                name=template.filename or name,
                detail=error.message,
            ),
            tr(
                "Ajoutez ce champ au contexte ou corrigez le modèle.",
                "Add the field to the context or fix the template.",
            ),
        ) from error
    except TemplateError as error:
        raise InputError(
            tr(
                "Modèle {name} : erreur ({detail})",
                "Template {name}: error ({detail})",
                name=template.filename or name,
                detail=error.message,
            ),
            tr("Corrigez le modèle.", "Fix the template."),
        ) from error
