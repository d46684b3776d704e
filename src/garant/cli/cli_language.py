"""Typer's and Click's own words — usage line, ``--help``, usage errors — in the user's language.

Typer 0.29 ships its own copy of Click (``typer._click``) with its strings written in English in
f-strings: there is no gettext domain left to give a catalogue to (docs/adr-0018-french-cli-and-
documents-that-stay-true.md). garant therefore speaks French through the settings Typer and
Click expose:

* Typer's rich help texts are module settings (``rich_utils.OPTIONS_PANEL_TITLE`` …);
* every command of the tree gets French metavars (``COMMANDE``, ``NOM``, ``TEXTE``…) and a French
  ``--help`` line, and a context class whose help formatter writes « Utilisation : »;
* usage errors are caught by the root group (:func:`explain_usage_error`) and printed in French
  the way garant prints its own errors: « Erreur : … », the fix, exit code 2.

English keeps Typer's own words (``--lang en`` or ``language = "en"`` in the workspace).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from garant.i18n import Language, current_language, tr, translate_validation_message
from garant.util.import_hooks import AfterImport

__all__ = [
    "ENGLISH_CLICK_WORDS",
    "argument_label",
    "confirm",
    "explain_usage_error",
    "localise_tree",
    "peek_language",
    "translate_click_message",
]

ENGLISH_CLICK_WORDS = (
    "Show this message and exit.",
    "Usage:",
    "Try '",
    "for help.",
    "Aborted",
    "Missing option",
    "Missing argument",
    "Invalid value",
    "No such option",
    "No such command",
    "Got unexpected",
    "[default:",
    "[required]",
    "<bool>",
    "<str>",
    "<int>",
    "<float>",
    "<path>",
    "COMMAND [ARGS]",
    "Input should be",
    "Did you mean",
)
"""Click/Typer English that must never reach a French user (the scan test looks for these)."""

_ARGUMENT_NAMES: dict[str, str] = {
    "after": "APRÈS",
    "audio": "AUDIO",
    "before": "AVANT",
    "corpus": "CORPUS",
    "directory": "DOSSIER",
    "dossier": "DOSSIER",
    "file": "FICHIER",
    "full_name": "NOM",
    "item": "POINT",
    "kind": "TYPE",
    "name": "NOM",
    "output": "SORTIE",
    "pdf": "PDF",
    "person": "PERSONNE",
    "pool": "VIVIER",
    "prompt": "DEMANDE",
    "published": "PUBLIÉ",
    "question": "QUESTION",
    "quotas": "QUOTAS",
    "ref": "RÉF",
    "request_id": "DEMANDE",
    "role": "RÔLE",
    "run": "EXÉCUTION",
    "run_id": "EXÉCUTION",
    "source": "SOURCE",
    "status": "STATUT",
    "target": "CIBLE",
    "title": "TITRE",
    "use": "USAGE",
    "words": "MOTS",
}

_TYPE_LABELS: dict[str, str] = {
    "<str>": "TEXTE",
    "<int>": "ENTIER",
    "<float>": "NOMBRE",
    "<path>": "CHEMIN",
    "<list[str]>": "TEXTE…",
    "<datetime>": "DATE",
}

_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.S), french)
    for pattern, french in (
        (r"^No such option: (.+?)(?: \(Possible options: (.+)\))?$", "option inconnue : {0}"),
        (r"^No such command '(.+?)'\.(?: Did you mean '(.+?)'\?)?$", "commande inconnue : « {0} »"),
        (r"^Missing command\.$", "commande manquante"),
        (r"^Got unexpected extra argument\(s\) \((.+)\)$", "argument en trop : {0}"),
        (r"^Option '(.+?)' requires an argument\.$", "l'option {0} attend une valeur"),
        (r"^Option '(.+?)' requires (\d+) arguments\.$", "l'option {0} attend {1} valeurs"),
        (r"^Option '(.+?)' does not take a value\.$", "l'option {0} ne prend pas de valeur"),
        (r"^Value (.+) is not a valid (\w+)\.$", "{0} n'est pas une valeur acceptée"),
        (r"^(?:File|Directory|Path) (.+) does not exist\.$", "{0} est introuvable"),
        (r"^(?:File|Directory|Path) (.+) is a file\.$", "{0} est un fichier (dossier attendu)"),
        (
            r"^(?:File|Directory|Path) (.+) is a directory\.$",
            "{0} est un dossier (fichier attendu)",
        ),
        (r"^(?:File|Directory|Path) (.+) is not readable\.$", "{0} n'est pas lisible"),
        (
            r"^(?:File|Directory|Path) (.+) is not writable\.$",
            "{0} n'est pas accessible en écriture",
        ),
    )
)


def translate_click_message(message: str) -> str:
    """A usage-error message of Typer/Click (or pydantic's coercion) in French; as is in English."""
    if current_language() == "en":
        return message
    for pattern, french in _MESSAGES:
        found = pattern.match(message)
        if found:
            return french.format(*found.groups())
    return translate_validation_message(message)


def argument_label(name: str | None) -> str:
    """The French placeholder of an argument (``run_id`` → ``EXÉCUTION``)."""
    if not name:
        return "VALEUR"
    return _ARGUMENT_NAMES.get(name, name.upper())


def peek_language(args: list[str], workspace_option: str | None = None) -> Language:
    """The language a command line will run in, read before Click parses it: ``--lang``, then
    the workspace's ``language`` setting (a cheap read of garant.toml), then French."""
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            return "en" if args[index + 1] == "en" else "fr"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "fr"
    workspace = workspace_option
    for index, arg in enumerate(args):
        if arg in ("--workspace", "-w") and index + 1 < len(args):
            workspace = args[index + 1]
    try:
        import tomllib

        from garant.workspace import find_workspace_root

        root = find_workspace_root(Path(workspace) if workspace else None)
        settings = tomllib.loads((root / "garant.toml").read_text(encoding="utf-8"))
    except Exception:  # no workspace yet (init, --help elsewhere): French, the default
        return "fr"
    return "en" if settings.get("language") == "en" else "fr"


def _french_rich_settings(rich_utils: Any) -> None:
    rich_utils.DEPRECATED_STRING = "(obsolète) "
    rich_utils.DEFAULT_STRING = "[défaut : {}]"
    rich_utils.ENVVAR_STRING = "[variable d'environnement : {}]"
    rich_utils.REQUIRED_LONG_STRING = "[obligatoire]"
    rich_utils.ARGUMENTS_PANEL_TITLE = "Arguments"
    rich_utils.OPTIONS_PANEL_TITLE = "Options"
    rich_utils.COMMANDS_PANEL_TITLE = "Commandes"
    rich_utils.ERRORS_PANEL_TITLE = "Erreur"
    rich_utils.ABORTED_TEXT = "Interrompu."
    rich_utils.RICH_HELP = "Aide : [blue]{command_path} {help_option}[/]"


_ENGLISH_RICH_SETTINGS: dict[str, Any] = {}


def _apply_rich_settings(language: Language) -> None:
    """Set Typer's rich help words for ``language`` now if ``typer.rich_utils`` is imported,
    else the moment Typer imports it: Typer imports it only to draw a help page or an error,
    and importing it (with ``rich.markdown``) cost about 0.1 s of CPU in every command."""
    global _pending_language
    module = sys.modules.get(_RICH_UTILS)
    if module is not None:
        _set_rich_settings(module, language)
        return
    _pending_language = language
    if not any(
        isinstance(finder, AfterImport) and finder.fullname == _RICH_UTILS
        for finder in sys.meta_path
    ):
        AfterImport(
            _RICH_UTILS, lambda module: _set_rich_settings(module, _pending_language)
        ).install()


_RICH_UTILS = "typer.rich_utils"
_pending_language: Language = "fr"


def _set_rich_settings(rich_utils: Any, language: Language) -> None:
    names = (
        "DEPRECATED_STRING",
        "DEFAULT_STRING",
        "ENVVAR_STRING",
        "REQUIRED_LONG_STRING",
        "ARGUMENTS_PANEL_TITLE",
        "OPTIONS_PANEL_TITLE",
        "COMMANDS_PANEL_TITLE",
        "ERRORS_PANEL_TITLE",
        "ABORTED_TEXT",
        "RICH_HELP",
    )
    if not _ENGLISH_RICH_SETTINGS:
        _ENGLISH_RICH_SETTINGS.update({name: getattr(rich_utils, name) for name in names})
    if language == "en":
        for name, value in _ENGLISH_RICH_SETTINGS.items():
            setattr(rich_utils, name, value)
    else:
        _french_rich_settings(rich_utils)


def _french_context_class() -> type[Any]:
    from typer._click.core import Context
    from typer._click.formatting import HelpFormatter

    class FrenchHelpFormatter(HelpFormatter):
        """Writes « Utilisation : » and argument placeholders without Typer's braces."""

        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            args = re.sub(r"\{([^{}]+)\}", r"\1", args)
            super().write_usage(prog, args, "Utilisation : " if prefix is None else prefix)

    class FrenchContext(Context):
        formatter_class = FrenchHelpFormatter

    return FrenchContext


def _type_label(label: str | None) -> str | None:
    if label is None or label == "<bool>":
        return None
    return _TYPE_LABELS.get(label, label.strip("<>"))


def _fixed_label(label: str | None) -> Any:
    def display_type_rich(ctx: Any = None) -> str | None:
        return label

    return display_type_rich


def localise_tree(command: Any, language: Language, args: Sequence[str] | None = None) -> None:
    """Give ``command`` and the commands ``args`` name under it their words in ``language``
    (French: metavars, « COMMANDE [ARGUMENTS]… », the ``--help`` line, « Utilisation : »).
    Only the invoked path is touched (the whole tree costs as much as building it)."""
    _apply_rich_settings(language)
    if language == "en":
        return
    context_class = _french_context_class()
    _localise(command, context_class, None if args is None else set(args))


def _localise(command: Any, context_class: type[Any], names: set[str] | None) -> None:
    command.context_class = context_class
    if getattr(command, "subcommand_metavar", None):
        command.subcommand_metavar = "COMMANDE [ARGUMENTS]..."
    context = context_class(command)
    help_option = command.get_help_option(context)
    if help_option is not None:
        help_option.help = "Affiche cette aide et s'arrête."
    for param in [*command.params, *([help_option] if help_option is not None else [])]:
        if param.param_type_name == "argument" and param.metavar is None:
            param.metavar = argument_label(param.name)
        param.display_type_rich = _fixed_label(_type_label(param.display_type_rich(ctx=context)))
    for name, child in getattr(command, "commands", {}).items():
        if names is None or name in names:
            _localise(child, context_class, names)


def explain_usage_error(error: Any) -> tuple[str, str | None, str]:
    """(message, usage line, hint) for a Typer/Click usage error, in the current language."""
    from typer._click.exceptions import BadParameter, MissingParameter

    ctx = getattr(error, "ctx", None)
    usage = ctx.get_usage() if ctx is not None else None
    if usage is not None and current_language() == "fr":
        usage = re.sub(r"^Usage: ", "Utilisation : ", usage)
    command = ctx.command_path if ctx is not None else "garant"
    hint = tr("Aide : {c} --help", "Help: {c} --help", c=command)
    if isinstance(error, MissingParameter):
        param = error.param
        hint_name = (
            (", ".join(param.opts) if param.param_type_name == "option" else param.display_name_raw)
            if param is not None
            else "?"
        )
        if param is not None and param.param_type_name == "option":
            message = tr("option manquante : {p}", "missing option: {p}", p=hint_name)
        else:
            message = tr("argument manquant : {p}", "missing argument: {p}", p=hint_name)
        return message, usage, hint
    if isinstance(error, BadParameter):
        param = error.param
        if error.param_hint is not None:
            where = str(error.param_hint)
        elif param is not None and param.param_type_name == "option":
            where = " / ".join(param.opts)
        elif param is not None:
            where = param.display_name_raw
        else:
            where = "?"
        return (
            tr(
                "valeur invalide pour {p} : {m}",
                "invalid value for {p}: {m}",
                p=where,
                m=translate_click_message(error.message),
            ),
            usage,
            hint,
        )
    if current_language() == "en":
        return error.format_message(), usage, hint
    message = error.message
    translated = translate_click_message(message)
    possibilities = getattr(error, "possibilities", None)
    if possibilities:
        translated += " (options possibles : " + ", ".join(sorted(possibilities)) + ")"
    suggestion = re.search(r"Did you mean '(.+?)'\?", message)
    if suggestion:
        translated += f" (vouliez-vous dire « {suggestion.group(1)} » ?)"
    return translated, usage, hint


def confirm(question: str, *, default: bool = False) -> bool:
    """A yes/no question answered « o »/« n » in French (``y``/``n`` in English), asked again
    until the reply is understood — Typer's ``confirm`` only knows y/N."""
    import typer

    yes = {"o", "oui", "y", "yes"}
    no = {"n", "non", "no"}
    suffix = tr(" [O/n]", " [Y/n]") if default else tr(" [o/N]", " [y/N]")
    while True:
        reply = typer.prompt(question + suffix, default="", show_default=False).strip().lower()
        if not reply:
            return default
        if reply in yes:
            return True
        if reply in no:
            return False
        typer.echo(tr("Répondez « o » (oui) ou « n » (non).", "Answer 'y' or 'n'."), err=True)
