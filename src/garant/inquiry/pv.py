"""The draft procès-verbal de synthèse (Code de l'environnement R.123-18).

Built from the dossier (every observation by its number) and the latest attached synthesis run
(themes, singular observations, duplicate groups). Nothing is dropped: every observation number
appears in the table of numbers, and observations added after the synthesis are listed as « non
regroupées ». The grouping is marked as produced by the synthesis run (AI Act Art. 50(4)).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from garant.audit.ledger import append_event
from garant.documents import Document, DocumentMetadata, RenderedDocument, build_document, render
from garant.domain.models import AuditRun
from garant.i18n import format_date, tr
from garant.inquiry.dossiers import attached_runs, observations_of
from garant.inquiry.models import CHANNELS, InquiryDossier, InquiryObservation
from garant.workspace import Workspace

if TYPE_CHECKING:
    from garant.audit.verify import VerificationReport

__all__ = ["PvGroup", "PvSynthesis", "build_pv", "pv_document", "render_pv", "synthesis_of"]

RESULT_FILE = "resultat.json"


@dataclass(frozen=True)
class PvGroup:
    """A theme or a duplicate group, with the numbers of its observations."""

    label: str
    numbers: tuple[int, ...]
    detail: str = ""


@dataclass
class PvSynthesis:
    """What the PV shows, every observation accounted for by number."""

    dossier: InquiryDossier
    total: int
    by_channel: list[tuple[str, int]]
    by_date: list[tuple[str, int]]
    run: AuditRun | None
    method: str
    themes: list[PvGroup] = field(default_factory=list)
    singular: list[tuple[int, str, str]] = field(default_factory=list)
    """(number, reason, excerpt)"""
    duplicates: list[PvGroup] = field(default_factory=list)
    mass_produced: tuple[int, ...] = ()
    ungrouped: tuple[int, ...] = ()
    """Observations added after the synthesis run (not yet grouped)."""
    table: list[tuple[int, str, str]] = field(default_factory=list)
    """(number, channel label, theme(s) or « singulière »)"""
    observations: list[InquiryObservation] = field(default_factory=list)


def synthesis_of(session: Session, dossier: InquiryDossier) -> AuditRun | None:
    """The latest synthesis run attached to the dossier, if any."""
    runs = [run for link, run in attached_runs(session, dossier) if link.role == "synthesis"]
    return runs[-1] if runs else None


def _numbers(ids: Sequence[str], number_of: dict[str, int]) -> tuple[int, ...]:
    return tuple(sorted(number_of[i] for i in ids if i in number_of))


def build_pv(session: Session, workspace: Workspace, dossier: InquiryDossier) -> PvSynthesis:
    observations = observations_of(session, dossier)
    by_channel = Counter(o.channel for o in observations)
    by_date = Counter(format_date(o.received_on) if o.received_on else "—" for o in observations)
    dated = sorted(
        by_date.items(),
        key=lambda item: (item[0] == "—", item[0][6:] + item[0][3:5] + item[0][:2]),
    )
    run = synthesis_of(session, dossier)
    pv = PvSynthesis(
        dossier=dossier,
        total=len(observations),
        by_channel=[(CHANNELS[c], by_channel[c]) for c in CHANNELS if by_channel[c]],
        by_date=dated,
        run=run,
        method="",
        observations=observations,
    )
    themes_of: dict[int, list[str]] = {}
    grouped: set[int] = set()
    singular_numbers: set[int] = set()
    if run is not None:
        from garant.analyses.synthesis import load_result

        result = load_result(workspace.runs_dir / run.id / RESULT_FILE)
        number_of = {o.source_ref: o.number for o in observations}
        pv.method = result.method_description
        for index, theme in enumerate(result.themes, start=1):
            numbers = _numbers(theme.contribution_ids, number_of)
            label = f"Thème {index} — {theme.label}"
            pv.themes.append(PvGroup(label, numbers, ", ".join(theme.terms[:6])))
            for number in numbers:
                themes_of.setdefault(number, []).append(f"Thème {index}")
            grouped.update(numbers)
        for item in result.singular:
            if item.contribution_id in number_of:
                number = number_of[item.contribution_id]
                pv.singular.append((number, item.reason, item.excerpt))
                singular_numbers.add(number)
                grouped.add(number)
        pv.singular.sort()
        for group in result.floods.groups:
            numbers = _numbers(group.contribution_ids, number_of)
            kind = (
                tr("identiques", "identical")
                if group.kind == "exact"
                else tr("quasi identiques", "near-identical")
            )
            if group.campaign:
                label = tr(
                    "Campagne : textes {k} de {n} auteurs distincts",
                    "Campaign: {k} texts from {n} distinct authors",
                    k=kind,
                    n=group.distinct_authors,
                )
            elif group.same_author:
                label = tr(
                    "Envois répétés d'un même auteur (textes {k})",
                    "Repeated posts by one author ({k} texts)",
                    k=kind,
                )
            else:
                label = tr("Textes {k}", "{k} texts", k=kind)
            pv.duplicates.append(PvGroup(label, numbers, group.example[:160]))
        pv.mass_produced = _numbers(result.floods.mass_produced_ids, number_of)
    pv.ungrouped = tuple(o.number for o in observations if o.number not in grouped) if run else ()
    for o in observations:
        if o.number in themes_of:
            where = ", ".join(themes_of[o.number])
        elif o.number in singular_numbers:
            where = "singulière"
        elif run is None:
            where = tr("à regrouper", "to be grouped")
        else:
            where = tr("non regroupée (ajoutée après la synthèse)", "not grouped (added later)")
        pv.table.append((o.number, CHANNELS.get(o.channel, o.channel), where))
    return pv


def _numbers_text(numbers: Sequence[int]) -> str:
    return ", ".join(f"n° {n}" for n in numbers) or "—"


def pv_disclosure(pv: PvSynthesis) -> str:
    """The Art. 50(4) label: which parts an AI grouping produced, and who read everything."""
    read = tr(
        "Chacune des {n} observations (n° 1 à {n}) a été lue par le commissaire enquêteur, "
        "qui reste seul responsable du présent procès-verbal.",
        "Each of the {n} observations (no. 1 to {n}) was read by the commissaire enquêteur, "
        "who alone is responsible for this report.",
        n=pv.total,
    )
    if pv.run is None:
        return (
            tr("Aucun regroupement automatique n'a été utilisé. ", "No automated grouping. ") + read
        )
    return (
        tr(
            "Mention IA (AI Act, art. 50(4)) : les regroupements par thème, la liste des "
            "observations singulières et la détection des doublons et campagnes (sections 3 à 5) "
            "ont été produits par une analyse assistée par ordinateur (exécution {run}, "
            "méthode : {method}) puis vérifiés. Les comptages (section 2) et le tableau des "
            "numéros (section 6) sont calculés à partir du dossier. ",
            "AI notice (AI Act Art. 50(4)): the grouping by theme, the singular observations and "
            "the duplicate/campaign detection (sections 3 to 5) were produced by a "
            "computer-assisted analysis (run {run}, method: {method}) and then checked. Counts "
            "(section 2) and the table of numbers (section 6) are computed from the dossier. ",
            run=pv.run.id,
            method=pv.method or pv.run.model,
        )
        + read
    )


def pv_document(
    pv: PvSynthesis, organisation: str, verification: VerificationReport | None = None
) -> Document:
    """The PV as a document; with ``verification`` (``audit verify``'s), it states the
    verification it was built on and the latest checkpoint, in red when the ledger does not
    verify."""
    dossier = pv.dossier
    context: dict[str, Any] = {
        "pv": pv,
        "dossier": dossier,
        "numbers": _numbers_text,
        "disclosure": pv_disclosure(pv),
    }
    extra = [
        ("Référence", dossier.reference),
        ("Autorité organisatrice", dossier.authority),
        ("Enquête", f"du {format_date(dossier.opens_on)} au {format_date(dossier.closes_on)}"),
        ("Observations", str(pv.total)),
    ]
    alert = ""
    if verification is not None:
        from garant.audit.attestation import attest

        attestation = attest(verification)
        extra.append(("Vérification du registre", attestation.statement()))
        extra.append(("Point de contrôle", attestation.checkpoint_statement()))
        if not attestation.ok:
            alert = tr(
                "ALTÉRATION DÉTECTÉE — le registre d'audit ne se vérifie pas : {p}",
                "TAMPERING DETECTED — the audit ledger does not verify: {p}",
                p=" ; ".join(attestation.failures[:3]),
            )
    return build_document(
        "proces-verbal.md.j2",
        context,
        title=tr("Procès-verbal de synthèse des observations", "Summary report of observations"),
        subtitle=dossier.title,
        organisation=organisation,
        disclosure=pv_disclosure(pv),
        alert=alert,
        metadata=DocumentMetadata(
            generated_at=datetime.now(UTC),
            run_ids=(pv.run.id,) if pv.run else (),
            extra=tuple(extra),
        ),
        packages=["garant.inquiry"],
    )


def render_pv(
    session: Session,
    workspace: Workspace,
    dossier: InquiryDossier,
    fmt: str,
    out: Path | None = None,
    verification: VerificationReport | None = None,
) -> RenderedDocument:
    pv = build_pv(session, workspace, dossier)
    document = pv_document(pv, workspace.settings.organisation_name, verification)
    target = out or workspace.exports_dir / "enquetes" / dossier.key / f"proces-verbal.{fmt}"
    target.parent.mkdir(parents=True, exist_ok=True)
    rendered = render(document, fmt, target)
    append_event(
        session,
        "export",
        {
            "dossier": dossier.key,
            "document": "proces-verbal",
            "file": target.name,
            "sha256": rendered.sha256,
            "observations": pv.total,
            "synthesis_run": pv.run.id if pv.run else "",
        },
        run_id=pv.run.id if pv.run else "",
    )
    return rendered
