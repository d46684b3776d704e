"""The command palette: one Provider, every action titled « Zone : verbe »."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from garant.i18n import tr

if TYPE_CHECKING:
    from garant.tui.app import GarantApp

__all__ = ["GarantCommands", "palette_entries"]


def palette_entries(app: GarantApp) -> list[tuple[str, Callable[[], object], str]]:
    """(title, callback, help) for every action reachable from the palette."""
    go = app.action_open
    act = app.run_screen_action
    return [
        (tr("Tableau de bord : ouvrir", "Dashboard: open"), partial(go, "dashboard"), ""),
        (
            tr("Registre : ajouter un outil", "Registry: add a tool"),
            partial(act, "registry", "new_tool"),
            "",
        ),
        (
            tr("Registre : modifier l'outil choisi", "Registry: edit the selected tool"),
            partial(act, "registry", "edit_tool"),
            "",
        ),
        (
            tr("Registre : retirer l'outil choisi", "Registry: retire the selected tool"),
            partial(act, "registry", "retire"),
            "",
        ),
        (
            tr("Registre : voir les usages", "Registry: show uses"),
            partial(act, "registry", "show_uses"),
            "",
        ),
        (tr("Politique : valider", "Policy: validate"), partial(act, "policy", "validate"), ""),
        (tr("Politique : approuver", "Policy: approve"), partial(act, "policy", "approve"), ""),
        (tr("Politique : publier", "Policy: publish"), partial(act, "policy", "publish"), ""),
        (
            tr("Politique : créer une nouvelle version", "Policy: start a new version"),
            partial(act, "policy", "new_version"),
            "",
        ),
        (
            tr("Politique : comparer deux versions", "Policy: compare two versions"),
            partial(act, "policy", "diff"),
            "",
        ),
        (
            tr("Contrôles : ouvrir la liste d'un usage", "Checks: open a use's checklist"),
            partial(go, "checklists"),
            "",
        ),
        (
            tr("Personnes : ajouter une personne", "People: add a person"),
            partial(act, "people", "new_person"),
            "",
        ),
        (
            tr("Personnes : terminer le rôle choisi", "People: end the selected role"),
            partial(act, "people", "end_role"),
            "",
        ),
        (
            tr("Formations : enregistrer une formation", "Training: log a training"),
            partial(act, "training", "new_training"),
            "",
        ),
        (
            tr("Arbitrages : ouvrir une demande", "Arbitrations: open a request"),
            partial(act, "arbitrations", "new_request"),
            "",
        ),
        (
            tr(
                "Arbitrages : décider la demande choisie",
                "Arbitrations: decide the selected request",
            ),
            partial(act, "arbitrations", "decide"),
            "",
        ),
        (
            tr("Arbitrages : chercher une décision", "Arbitrations: search decisions"),
            partial(act, "arbitrations", "search"),
            "",
        ),
        (
            tr("Exécutions : relire l'exécution choisie", "Runs: review the selected run"),
            partial(act, "runs", "review"),
            "",
        ),
        (
            tr("Exécutions : vérifier le registre de preuve", "Runs: verify the ledger"),
            partial(act, "runs", "verify"),
            "",
        ),
        (
            tr("Analyses : lancer une synthèse", "Analyses: run a synthesis"),
            partial(act, "analyses", "show_kind('synthesis')"),
            "",
        ),
        (
            tr("Analyses : lancer un tirage au sort", "Analyses: run a sortition"),
            partial(act, "analyses", "show_kind('sortition')"),
            "",
        ),
        (
            tr("Analyses : lancer une transcription", "Analyses: run a transcription"),
            partial(act, "analyses", "show_kind('transcription')"),
            "",
        ),
        (
            tr("Documents : produire la charte", "Documents: render the charter"),
            partial(act, "documents", "charter"),
            "",
        ),
        (
            tr("Documents : produire le registre art. 30", "Documents: render the Art. 30 record"),
            partial(act, "documents", "art30"),
            "",
        ),
    ]


class GarantCommands(Provider):
    """Every action of the TUI, searchable by its « Zone : verbe » title."""

    def _entries(self) -> list[tuple[str, Callable[[], object], str]]:
        from garant.tui.app import GarantApp

        assert isinstance(self.app, GarantApp)
        return palette_entries(self.app)

    async def discover(self) -> Hits:
        for title, callback, help_text in self._entries():
            yield DiscoveryHit(title, callback, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text or None)
