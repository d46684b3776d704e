"""Tableau de bord: what needs the referent's attention, each item opening where it is resolved."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

from garant.i18n import format_date, format_datetime, tr
from garant.overview import Overview, workspace_overview
from garant.tui.screens.base import GarantScreen
from garant.tui.widgets.dashboard import Section

__all__ = ["DashboardScreen"]


class DashboardScreen(GarantScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Actualiser", id="dashboard-refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_frame()
        yield VerticalScroll(id="dashboard")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = tr("Tableau de bord", "Dashboard")

    def reload(self) -> None:
        overview = self.in_session(lambda s: workspace_overview(s, self.workspace))
        if overview is not None:
            self.call_after_refresh(self._show, overview)

    def action_refresh(self) -> None:
        self.reload()

    async def _show(self, o: Overview) -> None:
        body = self.query_one("#dashboard", VerticalScroll)
        await body.remove_children()
        await body.mount_all([section for section in _sections(o)])


def _sections(o: Overview) -> list[Section]:
    obligations = [
        (
            tr(
                "{u} : liste de contrôle jamais remplie",
                "{u}: checklist never filled",
                u=ob.use_key,
            )
            if not ob.item_id
            else f"{ob.use_key} · {ob.item_id} — "
            + (
                tr("à traiter (en vigueur)", "to do (in force)")
                if ob.in_force
                else tr("applicable le {d}", "applies from {d}", d=format_date(ob.due))
            ),
            "checklists",
            ob.use_key,
        )
        for ob in o.obligations
    ]
    reviews = [
        (
            f"{r.id[:22]} · {r.kind} · {r.use_key or '—'} · {format_datetime(r.started_at)}",
            "runs",
            r.id,
        )
        for r in o.awaiting_review
    ]
    recent = [
        (
            f"{r.id[:22]} · {r.kind} · {r.status.upper()}"
            + (f" ({r.refusal_rule})" if r.refusal_rule else "")
            + f" · {format_datetime(r.started_at)}",
            "runs",
            r.id,
        )
        for r in o.recent_runs
    ]
    training = [
        (
            tr(
                "{p} a utilisé l'IA sans formation enregistrée",
                "{p} used AI with no training record",
                p=key,
            ),
            "training",
            key,
        )
        for key in o.untrained_operators
    ]
    arbitrations = [
        (f"n° {a.id} · {a.question[:60]}", "arbitrations", str(a.id)) for a in o.open_arbitrations
    ]
    policy: list[tuple[str, str, str]] = []
    if o.policy is None:
        policy.append(
            (
                tr("Aucune version enregistrée : à approuver", "No version yet: to approve"),
                "policy",
                "",
            )
        )
    else:
        policy.append(
            (
                tr(
                    "{id} v{v} : {s}",
                    "{id} v{v}: {s}",
                    id=o.policy.policy_id,
                    v=o.policy.version,
                    s=o.policy.status.upper(),
                ),
                "policy",
                "",
            )
        )
        if o.policy.people_without_acknowledgement:
            policy.append(
                (
                    tr(
                        "{n} personne(s) n'ont pas confirmé la lecture",
                        "{n} people have not acknowledged it",
                        n=o.policy.people_without_acknowledgement,
                    ),
                    "policy",
                    "",
                )
            )
    ledger: list[tuple[str, str, str]] = []
    if o.ledger is not None:
        state = (
            tr("ancre à jour", "anchor up to date")
            if o.ledger.anchor_seq == o.ledger.head_seq
            else tr("ANCRE EN RETARD : vérifier", "ANCHOR BEHIND: verify")
        )
        ledger.append(
            (
                tr(
                    "{n} événements · tête n° {s} {h}… · {state}",
                    "{n} events · head #{s} {h}… · {state}",
                    n=o.ledger.entries,
                    s=o.ledger.head_seq if o.ledger.head_seq is not None else "—",
                    h=o.ledger.head_hash[:12],
                    state=state,
                ),
                "runs",
                "",
            )
        )
    return [
        Section(
            tr("Obligations à traiter ({n})", "Obligations due ({n})", n=len(o.obligations)),
            obligations,
            tr("aucune obligation ouverte", "no open obligation"),
        ),
        Section(
            tr(
                "Sorties à relire ({n})",
                "Outputs awaiting review ({n})",
                n=o.awaiting_review_count,
            ),
            reviews,
            tr("rien à relire", "nothing to review"),
        ),
        Section(
            tr(
                "Exécutions récentes ({n} au total, {r} refusées)",
                "Recent runs ({n} in all, {r} refused)",
                n=o.runs_count,
                r=o.refused_count,
            ),
            recent,
            tr("aucune exécution", "no run yet"),
        ),
        Section(
            tr("Formation (AI Act art. 4)", "Training (AI Act Art. 4)"),
            training,
            tr("tous les utilisateurs sont formés", "every user has a training record"),
        ),
        Section(
            tr(
                "Arbitrages ouverts ({n})",
                "Open arbitrations ({n})",
                n=len(o.open_arbitrations),
            ),
            arbitrations,
            tr("aucune demande ouverte", "no open request"),
        ),
        Section(tr("Politique", "Policy"), policy, ""),
        Section(tr("Registre de preuve", "Ledger"), ledger, ""),
    ]
