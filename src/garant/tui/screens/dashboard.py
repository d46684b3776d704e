"""Tableau de bord: what needs the referent's attention, each item opening where it is resolved."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from garant.i18n import format_date, format_datetime, state_word, tr
from garant.overview import Overview, read_overview
from garant.tui.screens.base import GarantScreen
from garant.tui.widgets.dashboard import AttentionList, Block, Item

__all__ = ["DashboardScreen"]


class DashboardScreen(GarantScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Actualiser", id="dashboard-refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_frame()
        yield AttentionList(id="dashboard", plain=self.garant.plain)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = tr("Tableau de bord", "Dashboard")

    def reload(self) -> None:
        """Read the overview and show it at once (one list, filled before the next paint)."""
        overview = self.attempt(lambda: read_overview(self.workspace))
        if overview is not None:
            self.query_one(AttentionList).show(_blocks(overview))

    def action_refresh(self) -> None:
        self.reload()


def _blocks(o: Overview) -> list[Block]:
    obligations = [
        Item(
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
        Item(
            f"{r.id[:22]} · {r.kind} · {r.use_key or '—'} · {format_datetime(r.started_at)}",
            "runs",
            r.id,
        )
        for r in o.awaiting_review
    ]
    recent = [
        Item(
            f"{r.id[:22]} · {r.kind} · {state_word(r.status).upper()}"
            + (f" ({r.refusal_rule})" if r.refusal_rule else "")
            + f" · {format_datetime(r.started_at)}",
            "runs",
            r.id,
        )
        for r in o.recent_runs
    ]
    training = [
        Item(
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
        Item(f"n° {a.id} · {a.question[:60]}", "arbitrations", str(a.id))
        for a in o.open_arbitrations
    ]
    policy: list[Item] = []
    if o.policy is None:
        policy.append(
            Item(
                tr("Aucune version enregistrée : à approuver", "No version yet: to approve"),
                "policy",
                "",
            )
        )
    else:
        policy.append(
            Item(
                tr(
                    "{id} v{v} : {s}",
                    "{id} v{v}: {s}",
                    id=o.policy.policy_id,
                    v=o.policy.version,
                    s=state_word(o.policy.status).upper(),
                ),
                "policy",
                "",
            )
        )
        if o.policy.people_without_acknowledgement:
            policy.append(
                Item(
                    tr(
                        "{n} personne(s) n'ont pas confirmé la lecture",
                        "{n} people have not acknowledged it",
                        n=o.policy.people_without_acknowledgement,
                    ),
                    "policy",
                    "",
                )
            )
    ledger: list[Item] = []
    if o.ledger is not None:
        state = (
            tr("ancre à jour", "anchor up to date")
            if o.ledger.anchor_seq == o.ledger.head_seq
            else tr("ANCRE EN RETARD : vérifier", "ANCHOR BEHIND: verify")
        )
        ledger.append(
            Item(
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
        Block(
            tr("Obligations à traiter ({n})", "Obligations due ({n})", n=len(o.obligations)),
            obligations,
            tr("aucune obligation ouverte", "no open obligation"),
        ),
        Block(
            tr(
                "Sorties à relire ({n})",
                "Outputs awaiting review ({n})",
                n=o.awaiting_review_count,
            ),
            reviews,
            tr("rien à relire", "nothing to review"),
        ),
        Block(
            tr(
                "Exécutions récentes ({n} au total, {r} refusées)",
                "Recent runs ({n} in all, {r} refused)",
                n=o.runs_count,
                r=o.refused_count,
            ),
            recent,
            tr("aucune exécution", "no run yet"),
        ),
        Block(
            tr("Formation (AI Act art. 4)", "Training (AI Act Art. 4)"),
            training,
            tr("tous les utilisateurs sont formés", "every user has a training record"),
        ),
        Block(
            tr(
                "Arbitrages ouverts ({n})",
                "Open arbitrations ({n})",
                n=len(o.open_arbitrations),
            ),
            arbitrations,
            tr("aucune demande ouverte", "no open request"),
        ),
        Block(tr("Politique", "Policy"), policy),
        Block(tr("Registre de preuve", "Ledger"), ledger),
    ]
