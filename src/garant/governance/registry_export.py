"""Exports of the registry: tools and uses, the GDPR Art. 30 record, the public inventory.

Each export is a table (ordered columns, one row per entry) rendered as CSV, JSON or Markdown.
Missing information is never dropped: an empty required field reads "À COMPLÉTER" (or
"MISSING"), so a reviewer sees what is left to document.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session

from garant.domain.enums import DataCategory, UseStatus, label
from garant.domain.models import Organisation
from garant.governance.organisations import main_organisation
from garant.governance.people import RoleView, list_roles
from garant.governance.tools import data_leaves_eu, leaves_eu_label, list_tools
from garant.governance.uses import UseView, list_uses
from garant.i18n import tr

__all__ = ["ExportFormat", "ExportKind", "RegistryTable", "build_export", "render_table"]

ExportKind = Literal["registry", "tools", "uses", "art30", "inventory"]
ExportFormat = Literal["csv", "json", "md"]


@dataclass(frozen=True)
class RegistryTable:
    """A titled table: column keys, their labels, and rows keyed by column."""

    title: str
    columns: list[tuple[str, str]]
    rows: list[dict[str, str]]


def missing() -> str:
    return tr("À COMPLÉTER", "MISSING")


def _or_missing(value: str | None) -> str:
    return value.strip() if value and value.strip() else missing()


def build_export(session: Session, kind: ExportKind) -> list[RegistryTable]:
    """The tables of an export of ``kind``."""
    if kind == "tools":
        return [_tools_table(session)]
    if kind == "uses":
        return [_uses_table(session)]
    if kind == "art30":
        return [_art30_table(session)]
    if kind == "inventory":
        return [_inventory_table(session)]
    return [_tools_table(session), _uses_table(session)]


def _tools_table(session: Session) -> RegistryTable:
    columns = [
        ("key", tr("Clé", "Key")),
        ("name", tr("Outil", "Tool")),
        ("vendor", tr("Fournisseur", "Vendor")),
        ("model", tr("Modèle", "Model")),
        ("access_mode", tr("Mode d'accès", "Access mode")),
        ("hosting", tr("Hébergement", "Hosting")),
        ("leaves_eu", tr("Données hors UE", "Data leaves the EU")),
        ("retention", tr("Conservation / entraînement", "Retention / training use")),
        ("dpa", tr("Contrat / DPA", "Contract / DPA")),
        ("status", tr("Statut", "Status")),
    ]
    rows = [
        {
            "key": tool.key,
            "name": tool.name,
            "vendor": _or_missing(tool.vendor),
            "model": " ".join(p for p in (tool.model_family, tool.model_version) if p) or missing(),
            "access_mode": label(tool.access_mode),
            "hosting": _or_missing(tool.hosting_region),
            "leaves_eu": leaves_eu_label(tool),
            "retention": _retention_text(tool.retention_terms, tool.training_on_inputs),
            "dpa": _or_missing(tool.dpa_reference),
            "status": label(tool.status),
        }
        for tool in list_tools(session)
    ]
    return RegistryTable(tr("Registre des outils d'IA", "Registry of AI tools"), columns, rows)


def _retention_text(terms: str, training: bool | None) -> str:
    training_text = {
        True: tr("réutilisées pour l'entraînement", "used for training"),
        False: tr("non réutilisées pour l'entraînement", "not used for training"),
        None: tr("entraînement : inconnu", "training use: unknown"),
    }[training]
    return f"{_or_missing(terms)} ; {training_text}"


def _people(view: UseView) -> tuple[str, str]:
    responsible = view.responsible.full_name if view.responsible else missing()
    oversight = view.oversight.full_name if view.oversight else missing()
    return responsible, oversight


def _uses_table(session: Session) -> RegistryTable:
    columns = [
        ("key", tr("Clé", "Key")),
        ("title", tr("Usage", "Use")),
        ("purpose", tr("Finalité", "Purpose")),
        ("stage", tr("Étape de la participation", "Participation stage")),
        ("tools", tr("Outils", "Tools")),
        ("data", tr("Données", "Data")),
        ("legal_basis", tr("Base légale (RGPD art. 6)", "Legal basis (GDPR Art. 6)")),
        ("responsible", tr("Responsable", "Responsible")),
        ("oversight", tr("Contrôle humain", "Human oversight")),
        ("status", tr("Statut", "Status")),
        ("risk", tr("Classe de risque AI Act", "AI Act risk class")),
        ("dpia", tr("AIPD requise", "DPIA required")),
        ("disclosure", tr("Mention IA requise", "Disclosure required")),
    ]
    rows = []
    for view in list_uses(session):
        use = view.use
        responsible, oversight = _people(view)
        rows.append(
            {
                "key": use.key,
                "title": use.title,
                "purpose": use.purpose,
                "stage": label(use.stage),
                "tools": ", ".join(tool.name for tool in view.tools) or missing(),
                "data": ", ".join(label(c) for c in use.data_categories),
                "legal_basis": label(use.legal_basis) if use.legal_basis else missing(),
                "responsible": responsible,
                "oversight": oversight,
                "status": label(use.status),
                "risk": label(use.ai_act_risk_class)
                if use.ai_act_risk_class
                else tr("à évaluer", "to assess"),
                "disclosure": _yes_no_unknown(use.disclosure_required),
                "dpia": _yes_no_unknown(use.dpia_required),
            }
        )
    return RegistryTable(tr("Registre des usages de l'IA", "Registry of AI uses"), columns, rows)


def _yes_no_unknown(value: bool | None) -> str:
    if value is None:
        return tr("à évaluer", "to assess")
    return tr("oui", "yes") if value else tr("non", "no")


def _controller(organisation: Organisation | None, dpo: list[RoleView]) -> str:
    if organisation is None:
        return missing()
    parts = [organisation.name]
    if organisation.address:
        parts.append(organisation.address)
    if organisation.contact_email:
        parts.append(organisation.contact_email)
    dpo_names = [f"{v.person.full_name} <{v.person.email}>" for v in dpo if v.active]
    parts.append("DPO : " + (", ".join(dpo_names) if dpo_names else missing()))
    return " — ".join(parts)


def _transfers(view: UseView) -> str:
    outside = [tool for tool in view.tools if data_leaves_eu(tool) is not False]
    if not view.tools:
        return missing()
    if not outside:
        return tr("Aucun transfert hors UE", "No transfer outside the EU")
    names = ", ".join(f"{tool.name} ({_or_missing(tool.hosting_region)})" for tool in outside)
    safeguards = _or_missing(view.use.transfer_safeguards)
    return tr(
        "Transfert hors UE : {names} ; garanties : {safeguards}",
        "Transfer outside the EU: {names}; safeguards: {safeguards}",
        names=names,
        safeguards=safeguards,
    )


def _art30_table(session: Session) -> RegistryTable:
    from garant.domain.enums import RoleName

    controller = _controller(main_organisation(session), list_roles(session, RoleName.DPO))
    columns = [
        ("use", tr("Traitement", "Processing")),
        ("a_controller", tr("(a) Responsable du traitement et DPO", "(a) Controller and DPO")),
        ("b_purposes", tr("(b) Finalités", "(b) Purposes")),
        ("c_subjects", tr("(c) Catégories de personnes", "(c) Categories of data subjects")),
        ("c_data", tr("(c) Catégories de données", "(c) Categories of personal data")),
        ("d_recipients", tr("(d) Destinataires", "(d) Recipients")),
        ("e_transfers", tr("(e) Transferts hors UE", "(e) Transfers outside the EU")),
        ("f_retention", tr("(f) Durées de conservation", "(f) Retention periods")),
        ("g_security", tr("(g) Mesures de sécurité", "(g) Security measures")),
        ("legal_basis", tr("Base légale", "Legal basis")),
    ]
    rows = []
    for view in list_uses(session):
        if not view.handles_personal_data:
            continue
        use = view.use
        categories = ", ".join(
            label(c) for c in use.data_categories if c != DataCategory.PUBLIC_CONTRIBUTIONS
        )
        description = use.data_description.strip()
        rows.append(
            {
                "use": f"{use.title} ({use.key})",
                "a_controller": controller,
                "b_purposes": _or_missing(use.purpose),
                "c_subjects": _or_missing(use.data_subjects),
                "c_data": f"{categories} : {description}" if description else missing(),
                "d_recipients": _or_missing(use.recipients),
                "e_transfers": _transfers(view),
                "f_retention": _or_missing(use.retention),
                "g_security": _or_missing(use.security_measures),
                "legal_basis": label(use.legal_basis) if use.legal_basis else missing(),
            }
        )
    title = tr(
        "Registre des activités de traitement (RGPD art. 30) — usages de l'IA",
        "Record of processing activities (GDPR Art. 30) — AI uses",
    )
    return RegistryTable(title, columns, rows)


def _inventory_table(session: Session) -> RegistryTable:
    organisation = main_organisation(session)
    referents = [
        v.person.full_name
        for v in list_roles(session)
        if v.assignment.role == "referent_ia" and v.active
    ]
    contact = (
        organisation.contact_email if organisation and organisation.contact_email else ""
    ) or (", ".join(referents) if referents else missing())
    columns = [
        ("name", tr("Nom de l'usage / de l'algorithme", "Name of the use / algorithm")),
        ("administration", tr("Administration", "Administration")),
        ("purpose", tr("Finalité", "Purpose")),
        ("stage", tr("Étape de la participation", "Participation stage")),
        ("tools", tr("Outils et fournisseurs", "Tools and vendors")),
        ("data", tr("Données traitées", "Data processed")),
        ("decision", tr("Rôle dans les décisions", "Role in decisions")),
        ("oversight", tr("Contrôle humain", "Human oversight")),
        ("contact", tr("Contact", "Contact")),
    ]
    rows = []
    for view in list_uses(session, UseStatus.APPROVED):
        _, oversight = _people(view)
        rows.append(
            {
                "name": view.use.title,
                "administration": organisation.name if organisation else missing(),
                "purpose": view.use.purpose,
                "stage": label(view.use.stage),
                "tools": ", ".join(f"{t.name} ({t.vendor or '?'})" for t in view.tools)
                or missing(),
                "data": ", ".join(label(c) for c in view.use.data_categories),
                "decision": tr(
                    "Aide à l'analyse ; aucune décision individuelle n'est prise par l'IA",
                    "Analysis aid; no individual decision is taken by the AI",
                ),
                "oversight": oversight,
                "contact": contact,
            }
        )
    title = tr(
        "Inventaire public des usages de l'IA et des algorithmes",
        "Public inventory of AI uses and algorithms",
    )
    return RegistryTable(title, columns, rows)


def render_table(tables: list[RegistryTable], fmt: ExportFormat) -> str:
    """Render tables as CSV (one block per table), JSON or Markdown."""
    if fmt == "json":
        return json.dumps(
            {table.title: table.rows for table in tables}, ensure_ascii=False, indent=2
        )
    if fmt == "csv":
        return "\n".join(_csv(table) for table in tables)
    return "\n".join(_markdown(table) for table in tables)


def _csv(table: RegistryTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([title for _, title in table.columns])
    for row in table.rows:
        writer.writerow([row[key] for key, _ in table.columns])
    return buffer.getvalue()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(table: RegistryTable) -> str:
    lines = [f"## {table.title}", ""]
    if not table.rows:
        lines.append(tr("_Aucune entrée._", "_No entry._"))
        return "\n".join(lines) + "\n"
    lines.append("| " + " | ".join(title for _, title in table.columns) + " |")
    lines.append("|" + "---|" * len(table.columns))
    for row in table.rows:
        lines.append("| " + " | ".join(_cell(row[key]) for key, _ in table.columns) + " |")
    return "\n".join(lines) + "\n"
