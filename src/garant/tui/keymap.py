"""Bindings with ids, so that users can remap them in ``[tui.keymap]`` of garant.toml.

Descriptions are written in French; :func:`translate_bindings` shows them in English when the
workspace's language is English.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from garant.i18n import current_language, tr

__all__ = ["MODES", "app_bindings", "mode_title", "translate_bindings"]

MODES: tuple[tuple[str, str, str, str], ...] = (
    # mode, default key, French title, English title
    ("dashboard", "f1", "Tableau de bord", "Dashboard"),
    ("registry", "f2", "Registre", "Registry"),
    ("policy", "f3", "Politique", "Policy"),
    ("checklists", "f4", "Contrôles", "Checks"),
    ("people", "f5", "Personnes", "People"),
    ("training", "f6", "Formations", "Training"),
    ("arbitrations", "f7", "Arbitrages", "Arbitrations"),
    ("runs", "f8", "Exécutions", "Runs"),
    ("analyses", "f9", "Analyses", "Analyses"),
    ("documents", "f10", "Documents", "Documents"),
)

ENGLISH = {
    "Quitter": "Quit",
    "Nouvel outil": "New tool",
    "Modifier": "Edit",
    "Statut": "Status",
    "Retirer": "Retire",
    "Outils/usages": "Tools/uses",
    "Détail": "Detail",
    "Filtrer": "Filter",
    "Valider": "Validate",
    "Approuver": "Approve",
    "Publier": "Publish",
    "Comparer": "Compare",
    "Actualiser": "Refresh",
    "Nouvelle personne": "New person",
    "Attribuer un rôle": "Assign a role",
    "Fin du rôle": "End role",
    "Nouvelle formation": "New training",
    "Nouvelle demande": "New request",
    "Décider": "Decide",
    "Chercher": "Search",
    "Relire": "Review",
    "Vérifier le registre": "Verify ledger",
    "Lancer": "Run",
    "Annuler": "Cancel",
    "Charte": "Charter",
    "Registre art. 30": "Art. 30 record",
    "Rapport d'audit": "Audit report",
    "Page de transparence": "Transparency page",
    "Répondre": "Answer",
    "Évaluer": "Assess",
    "Enregistrer": "Save",
    "Fermer": "Close",
    "Ouvrir": "Open",
    "Nouvelle version": "New version",
}
for _mode, _key, _fr, _en in MODES:
    ENGLISH[_fr] = _en


def mode_title(mode: str) -> str:
    for name, _, french, english in MODES:
        if name == mode:
            return tr(french, english)
    return mode


def app_bindings() -> list[Binding]:
    """The app-wide bindings: one per screen (id ``open-<mode>``) and quit."""
    bindings = [
        Binding(key, f"open('{mode}')", french, id=f"open-{mode}") for mode, key, french, _ in MODES
    ]
    bindings.append(Binding("ctrl+q", "quit", "Quitter", id="quit", priority=True))
    return bindings


def translate_bindings(node: DOMNode) -> None:
    """Show the node's binding descriptions in the current language (French as written)."""
    if current_language() != "en":
        return
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, description=ENGLISH.get(b.description, b.description)) for b in bindings
        ]
