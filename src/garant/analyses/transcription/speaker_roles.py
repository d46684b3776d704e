"""Speaker labels that name a role, not a person: « Porteur de projet », « Commissaire
enquêtrice », « Maire », « Président de séance ». A role is how the minutes must read (who
spoke in which capacity); it identifies nobody by itself, so pseudonymisation keeps it — in the
label and inside sentences — while a real name (« Jeanne Morel », « Maire Dupont ») is replaced.

A label is a role when every word in it belongs to the role vocabulary below (functions of
local public life and public inquiries, with their feminine forms) or is a connecting word.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["is_role_label"]

_ROLE_WORDS = frozenset(
    [
        "maire",
        "adjoint",
        "adjointe",
        "premier",
        "première",
        "vice",
        "président",
        "présidente",
        "presidente",
        "president",
        "commissaire",
        "enquêteur",
        "enquêtrice",
        "enqueteur",
        "enquetrice",
        "garant",
        "garante",
        "porteur",
        "porteuse",
        "projet",
        "maître",
        "maîtresse",
        "ouvrage",
        "maitre",
        "maitresse",
        "secrétaire",
        "secretaire",
        "séance",
        "seance",
        "animateur",
        "animatrice",
        "modérateur",
        "modératrice",
        "moderateur",
        "moderatrice",
        "public",
        "publique",
        "habitant",
        "habitante",
        "habitants",
        "habitantes",
        "participant",
        "participante",
        "participants",
        "intervenant",
        "intervenante",
        "élu",
        "élue",
        "elu",
        "elue",
        "élus",
        "conseiller",
        "conseillère",
        "conseillere",
        "municipal",
        "municipale",
        "municipaux",
        "communautaire",
        "départemental",
        "départementale",
        "régional",
        "régionale",
        "directeur",
        "directrice",
        "chef",
        "cheffe",
        "responsable",
        "service",
        "services",
        "technique",
        "techniques",
        "représentant",
        "représentante",
        "representant",
        "representante",
        "préfet",
        "préfète",
        "prefet",
        "prefete",
        "préfecture",
        "association",
        "associations",
        "riverain",
        "riveraine",
        "riverains",
        "rapporteur",
        "rapporteuse",
        "délégué",
        "déléguée",
        "delegue",
        "deleguee",
        "dpo",
        "référent",
        "référente",
        "referent",
        "referente",
        "agent",
        "agente",
        "membre",
        "membres",
        "bureau",
        "salle",
        "assistance",
        "collectif",
        "collectivité",
        "collectivite",
        "mairie",
        "commune",
        "conseil",
        "citoyen",
        "citoyenne",
        "citoyens",
    ]
)
_CONNECTORS = frozenset(
    ["de", "du", "des", "la", "le", "les", "l", "d", "à", "a", "au", "aux", "et", "en", "pour"]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def is_role_label(label: str) -> bool:
    """True when ``label`` names a function (« Commissaire enquêtrice ») rather than a person."""
    words = [unicodedata.normalize("NFC", word).casefold() for word in _WORD.findall(label.strip())]
    meaningful = [word for word in words if word not in _CONNECTORS]
    return bool(meaningful) and all(word in _ROLE_WORDS for word in meaningful)
