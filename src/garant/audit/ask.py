"""``garant ask``: one audited prompt on a registered use (demo, and referents trying a model)."""

from __future__ import annotations

from dataclasses import dataclass

from garant.audit.disclosure import DisclosureLabel
from garant.audit.run import audited_run
from garant.llm.prompts import PromptTemplate
from garant.llm.types import ChatMessage
from garant.store.engine import unit_of_work
from garant.workspace import Workspace

__all__ = ["ASK_TEMPLATE", "AskResult", "run_ask"]

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
