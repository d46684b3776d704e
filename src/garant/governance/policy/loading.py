"""Load and check policy files; find the starter packs a workspace can adopt."""

from __future__ import annotations

from pathlib import Path

from garant.domain.enums import DataCategory, OrganisationKind
from garant.errors import InputError, NotFoundError
from garant.governance.policy.model import (
    CONTACT_PLACEHOLDER,
    Hosting,
    Policy,
    PolicyStatus,
    Pseudonymisation,
)
from garant.governance.policy.yamlsource import (
    load_yaml_document,
    parse_yaml_document,
    validate_document,
)
from garant.i18n import tr

__all__ = [
    "STARTER_PACKS",
    "contact_missing",
    "load_policy",
    "parse_policy",
    "policy_warnings",
    "starter_pack_path",
    "starter_packs_dir",
]

STARTER_PACKS: dict[OrganisationKind, str] = {
    OrganisationKind.COLLECTIVITE: "collectivite.yaml",
    OrganisationKind.AGENCE: "agence.yaml",
    OrganisationKind.ENQUETE: "enquete.yaml",
}
"""Starter pack file per organisation kind, in the repository's ``policies/`` folder."""


def _check_shape(data: object, source: str) -> None:
    if not isinstance(data, dict):
        raise InputError(
            tr(
                "{source} : une politique est un ensemble de champs (id, version, tools, data…), "
                "le fichier n'en contient pas.",
                "{source}: a policy is a mapping of fields (id, version, tools, data…); the "
                "file holds none.",
                source=source,
            ),
            tr(
                "Partez d'un modèle : policies/collectivite.yaml, agence.yaml ou enquete.yaml.",
                "Start from a starter pack: policies/collectivite.yaml, agence.yaml or enquete.yaml.",
            ),
        )


def parse_policy(text: str, source: str = "<politique>") -> Policy:
    """Validate policy YAML ``text``; errors name ``source``, the line and the field."""
    document = parse_yaml_document(text, source)
    _check_shape(document.data, source)
    return validate_document(Policy, document, "Politique", "Policy")


def load_policy(path: Path) -> Policy:
    """Read and validate a policy file; errors name the file, the line and the field."""
    document = load_yaml_document(path)
    _check_shape(document.data, str(path))
    return validate_document(Policy, document, "Politique", "Policy")


def starter_packs_dir() -> Path:
    """The starter packs shipped inside the package (identical to the repository's ``policies/``,
    which is where people read them; a test keeps both in step)."""
    folder = Path(__file__).resolve().parent / "starter"
    if not (folder / STARTER_PACKS[OrganisationKind.COLLECTIVITE]).is_file():
        raise NotFoundError(
            tr(
                "Modèles de politique introuvables (attendus dans {path}).",
                "Policy starter packs not found (expected in {path}).",
                path=folder,
            ),
            tr("Réinstallez garant.", "Reinstall garant."),
        )
    return folder


def starter_pack_path(kind: OrganisationKind | str) -> Path:
    """Path of the starter pack for an organisation kind (collectivite, agence, enquete)."""
    try:
        organisation_kind = OrganisationKind(kind)
    except ValueError as error:
        raise InputError(
            tr(
                "Type d'organisation inconnu : {kind}.",
                "Unknown organisation kind: {kind}.",
                kind=kind,
            ),
            tr(
                "Choisissez collectivite, agence ou enquete.",
                "Choose collectivite, agence or enquete.",
            ),
        ) from error
    return starter_packs_dir() / STARTER_PACKS[organisation_kind]


def contact_missing(policy: Policy) -> bool:
    """The public contact is empty or still the starter pack's placeholder."""
    contact = policy.disclosure.contact.strip()
    return not contact or contact.startswith(CONTACT_PLACEHOLDER)


def policy_warnings(policy: Policy) -> list[str]:
    """Allowances that are legal but risky, to show when validating or approving a policy."""
    warnings: list[str] = []
    if contact_missing(policy):
        warnings.append(
            tr(
                "Le contact public (disclosure.contact) est à compléter : la charte enverrait "
                "les habitants nulle part.",
                "The public contact (disclosure.contact) is still to be filled in: the charter "
                "would send the public nowhere.",
            )
        )
    special = policy.data_rule(DataCategory.SPECIAL)
    hosted_special = [h for h in special.hosting if h.is_hosted]
    if hosted_special:
        warnings.append(
            tr(
                "Des données de catégories particulières (art. 9 RGPD) peuvent partir vers un "
                "modèle hébergé ({hostings}) : vérifiez l'exception de l'art. 9(2) et l'AIPD.",
                "Special-category data (GDPR Art. 9) may go to a hosted model ({hostings}): "
                "check the Art. 9(2) exception and the DPIA.",
                hostings=", ".join(h.value for h in hosted_special),
            )
        )
    for category in (DataCategory.PERSONAL, DataCategory.PUBLIC_CONTRIBUTIONS):
        rule = policy.data_rule(category)
        if Hosting.HOSTED_NON_EU in rule.hosting:
            warnings.append(
                tr(
                    "« {cat} » peut partir hors UE : il faut une garantie de transfert "
                    "(art. 45 ou 46 RGPD) et l'information des personnes.",
                    "'{cat}' may leave the EU: a transfer safeguard (GDPR Art. 45 or 46) and "
                    "information of the persons are needed.",
                    cat=category.value,
                )
            )
        if rule.pseudonymisation is Pseudonymisation.NEVER and any(
            h.is_hosted for h in rule.hosting
        ):
            warnings.append(
                tr(
                    "« {cat} » peut partir vers un modèle hébergé sans pseudonymisation.",
                    "'{cat}' may go to a hosted model without pseudonymisation.",
                    cat=category.value,
                )
            )
    if not policy.human_review.required_before_publication:
        warnings.append(
            tr(
                "La relecture humaine avant publication n'est pas obligatoire : tout texte "
                "publié devra porter la mention « généré par IA » (art. 50(4) RIA).",
                "Human review before publication is not mandatory: every published text must "
                "then say it is AI-generated (AI Act Art. 50(4)).",
            )
        )
    if policy.retention.run_records_months < 6:
        warnings.append(
            tr(
                "Les traces des exécutions sont gardées moins de 6 mois : c'est trop court pour "
                "un usage à haut risque (art. 26(6) RIA).",
                "Run records are kept under 6 months: too short for a high-risk use "
                "(AI Act Art. 26(6)).",
            )
        )
    if policy.status in {PolicyStatus.APPROVED, PolicyStatus.PUBLISHED} and policy.approval is None:
        warnings.append(
            tr(
                "Le statut est « {status} » mais le fichier ne dit pas qui l'a approuvée "
                "(champ approval).",
                "Status is '{status}' but the file does not say who approved it (field approval).",
                status=policy.status.value,
            )
        )
    return warnings
