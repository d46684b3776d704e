"""``garant ask``: one audited prompt on a registered use (demo, and referents trying a model)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from garant.audit.disclosure import DisclosureLabel
from garant.audit.run import audited_run
from garant.errors import InputError
from garant.i18n import tr
from garant.llm.prompts import PromptTemplate
from garant.llm.types import ChatMessage
from garant.store.engine import unit_of_work
from garant.workspace import Workspace

__all__ = ["ASK_TEMPLATE", "AskResult", "read_prompt", "run_ask"]

ASK_TEMPLATE = PromptTemplate(
    name="garant-ask",
    version="1",
    text=(
        "Vous assistez un agent public dans un dispositif de participation citoyenne. "
        "Répondez en français, de façon factuelle, sans inventer d'information. "
        "Les données personnelles ont pu être remplacées par des étiquettes comme <PERSONNE_1> : "
        "gardez ces étiquettes telles quelles."
    ),
)


@dataclass(frozen=True)
class AskResult:
    run_id: str
    answer: str
    label: DisclosureLabel


def default_alias(workspace: Workspace, use: str) -> str:
    """The model alias of the use's tool when it has exactly one, else the workspace default."""
    from garant.governance.lookup import find_use
    from garant.governance.uses import tools_of_use

    with unit_of_work(workspace.engine) as session:
        try:
            aliases = {
                tool.model_alias
                for tool in tools_of_use(session, find_use(session, use))
                if tool.model_alias
            }
        except Exception:
            aliases = set()
    return aliases.pop() if len(aliases) == 1 else workspace.settings.default_model


def read_prompt(argument: str | None, prompt_file: Path | None, stdin: TextIO) -> str:
    """The prompt from exactly one source: the argument, ``-`` (standard input) or a file."""
    if (argument is None) == (prompt_file is None):
        raise InputError(
            tr(
                "Donnez la question une seule fois : en argument, « - » pour l'entrée standard, "
                "ou --prompt-file FICHIER.",
                "Give the prompt exactly once: as an argument, '-' for standard input, "
                "or --prompt-file FILE.",
            ),
            tr(
                "Exemple : garant ask USAGE --by PERSONNE --prompt-file question.txt",
                "Example: garant ask USE --by PERSON --prompt-file question.txt",
            ),
        )
    if prompt_file is not None:
        try:
            text = prompt_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(
                tr("Fichier introuvable : {p}", "File not found: {p}", p=prompt_file),
                tr("Vérifiez le chemin de --prompt-file.", "Check the --prompt-file path."),
            ) from None
        except (UnicodeDecodeError, IsADirectoryError, PermissionError) as error:
            raise InputError(
                tr(
                    "{p} illisible comme texte UTF-8 ({e}).",
                    "{p} is not readable as UTF-8 text ({e}).",
                    p=prompt_file,
                    e=type(error).__name__,
                ),
                tr(
                    "Donnez un fichier texte encodé en UTF-8.",
                    "Give a UTF-8 encoded text file.",
                ),
            ) from None
    else:
        text = stdin.read() if argument == "-" else str(argument)
    if not text.strip():
        raise InputError(
            tr("La question est vide.", "The prompt is empty."),
            tr("Écrivez la question à poser.", "Write the question to ask."),
        )
    return text


def run_ask(
    workspace: Workspace,
    *,
    use: str,
    prompt: str,
    operator: str,
    model_alias: str | None = None,
    pseudonymisation_mode: str = "full",
) -> AskResult:
    alias = model_alias or default_alias(workspace, use)
    with audited_run(
        workspace,
        use=use,
        kind="ask",
        operator=operator,
        model_alias=alias,
        pseudonymisation_mode=pseudonymisation_mode,
        parameters={"prompt_chars": len(prompt)},
    ) as run:
        run.add_input("prompt.txt", prompt)
        messages = [ChatMessage("system", ASK_TEMPLATE.render()), ChatMessage("user", prompt)]
        completion = run.complete(messages, template=ASK_TEMPLATE)
        run.add_output("reponse.md", completion.text)
        label = run.disclosure("reponse.md")
    return AskResult(run.id, completion.text, label)
