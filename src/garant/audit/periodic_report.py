"""The periodic audit report for compliance reviewers (DPO, internal audit, an inspector).

One report per period answers: which AI ran on which data, who approved, what was refused,
what may be published without human review (AI Act Art. 50(4)), what the registry and the
policy lifecycle recorded, the AI-literacy training (AI Act Art. 4), the resources used, and
whether the hash-chained ledger is intact::

    report = build_period_report(workspace, date(2026, 11, 1), date(2026, 11, 30))
    export = export_period_report(workspace, report, "pdf")   # file + sidecar + ledger event

Runs are those *started* in ``[start, end]`` (whole days, UTC). Registry changes are read from
``updated_at`` / ``decided_at`` / ``approved_on`` / ``published_on`` / ``completed_on``.
Unknown costs and energy estimates stay unknown: totals add the known values only and say how
many runs had none. The Markdown template ``rapport-periodique.md.j2`` ships in
``garant/audit/templates``; a workspace overrides it with a file of the same name in
``<workspace>/audit/``.
"""

from __future__ import annotations

import contextvars
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, select

from garant.audit.attestation import Attestation
from garant.errors import GarantError, InputError
from garant.i18n import Language, current_language, format_date, set_language, state_word, tr
from garant.workspace import Workspace

if TYPE_CHECKING:
    from garant.audit.ledger_view import LedgerView, VerifiedRow
    from garant.audit.verify import VerificationReport

__all__ = [
    "REPORT_FORMATS",
    "TEMPLATE_NAME",
    "AcknowledgementStatus",
    "ArbitrationDecision",
    "IntegrityVerdict",
    "KnownSum",
    "PeriodExport",
    "PeriodReport",
    "PolicyEvent",
    "Refusal",
    "RefusedAction",
    "ResourceTotals",
    "ReviewRecord",
    "RunCounts",
    "ToolChange",
    "TrainingEntry",
    "UnreviewedOutput",
    "UnreviewedRun",
    "UseActivity",
    "UseChange",
    "build_period_report",
    "check_report_format",
    "default_output_path",
    "default_period",
    "export_period_report",
    "parse_report_date",
    "report_template_dirs",
]

TEMPLATE_NAME = "rapport-periodique.md.j2"
"""The report's Markdown template; ``<workspace>/audit/<TEMPLATE_NAME>`` overrides it."""

REPORT_FORMATS = ("md", "html", "pdf", "docx")

TEMPLATE_PACKAGE = "garant.audit"

RUN_STATUSES = ("finished", "failed", "refused", "started")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RunCounts(_Frozen):
    """Runs of one kind in the period, per status."""

    kind: str
    finished: int = 0
    failed: int = 0
    refused: int = 0
    started: int = 0

    @property
    def total(self) -> int:
        return self.finished + self.failed + self.refused + self.started


class UseActivity(_Frozen):
    """Which AI ran on which data: runs of one use with one tool, model and operator."""

    use_key: str
    use_title: str
    data_categories: tuple[str, ...]
    """Human labels of the use's declared data categories."""
    tool: str
    model: str
    provider: str
    hosting: str
    """Where the tool runs (hosting region, access mode, whether data leaves the EU)."""
    offline: bool
    operator: str
    pseudonymised: bool
    runs: int
    flags: tuple[str, ...] = ()
    """Findings about these runs' rows (shown in red): the facts above are the ledger's."""
    engines: tuple[str, ...] = ()
    """What pseudonymised these runs (engine, NER model and version), as their ledger entries
    recorded it; empty when none pseudonymised."""


class Refusal(_Frozen):
    """A run the policy gate refused: the rule, the reason and who tried."""

    run_id: str
    at: datetime
    kind: str
    use_key: str
    tool_key: str
    operator: str
    operator_key: str
    rule: str
    reason: str
    flags: tuple[str, ...] = ()


class RefusedAction(_Frozen):
    """A reserved action refused (review, re-identification, policy approval or publication,
    registry decision): who tried, which rule, as the ledger recorded it."""

    at: datetime
    action: str
    target: str
    by: str
    rule: str


class UnreviewedOutput(_Frozen):
    name: str
    art50_case: str
    """``disclosure_required``, ``exempt_reviewed`` or ``not_applicable`` (AI Act Art. 50(4))."""


class UnreviewedRun(_Frozen):
    """A finished run whose outputs no person approved (pending) or a person rejected."""

    run_id: str
    at: datetime
    kind: str
    use_key: str
    operator: str
    review_state: str
    reviewer: str
    outputs: tuple[UnreviewedOutput, ...]
    flags: tuple[str, ...] = ()
    """Findings about the run's row, e.g. a review written in the database and not in the
    ledger: the report shows the ledger's state and marks the discrepancy in red."""

    def output_summary(self) -> tuple[tuple[str, int], ...]:
        """``(art50_case, number of files)``: one line per run, not one per file."""
        counts = Counter(output.art50_case for output in self.outputs)
        return tuple(sorted(counts.items()))


class ReviewRecord(_Frozen):
    run_id: str
    reviewer: str
    reviewed_at: datetime
    decision: str
    comment: str
    flags: tuple[str, ...] = ()
    adopted: bool = False
    """Adopted at the migration baseline: no recorded action behind it."""


class ToolChange(_Frozen):
    """A tool of the registry created or changed in the period (status as it stands now)."""

    key: str
    name: str
    status: str
    changed_at: datetime
    changed_by: str
    created: bool
    flags: tuple[str, ...] = ()
    adopted: bool = False


class UseChange(_Frozen):
    """A use of the registry added and/or approved in the period, as the ledger recorded it."""

    key: str
    title: str
    status: str
    """The status the ledger records now."""
    added_at: datetime | None = None
    added_by: str = ""
    approved_at: datetime | None = None
    approved_by: str = ""
    adopted: bool = False
    """The use entered the ledger with the migration baseline (« état adopté à la migration »)."""


class ArbitrationDecision(_Frozen):
    id: int
    question: str
    decision: str
    rationale: str
    decided_by: str
    decided_at: datetime
    asked_by: str = ""
    self_decided: bool = False
    """The person who decided is the one who asked."""
    policy_note: str = ""
    """What the policy said about deciding one's own question, when it was the case."""
    flags: tuple[str, ...] = ()
    adopted: bool = False


class PolicyEvent(_Frozen):
    """A policy version approved and/or published in the period."""

    policy_id: str
    version: int
    title: str
    status: str
    approved_on: date | None
    approved_by: str
    approved_role: str
    published_on: date | None
    flags: tuple[str, ...] = ()
    adopted: bool = False


class TrainingEntry(_Frozen):
    person: str
    module: str
    completed_on: date
    hours: float
    provider: str


class AcknowledgementStatus(_Frozen):
    """Who has not confirmed reading the policy version in force (AI Act Art. 4 evidence)."""

    policy: str
    current_version: int | None
    people: int
    missing: tuple[str, ...]
    note: str = ""
    """Why the list could not be drawn (no policy adopted, no approved version)."""


class KnownSum(_Frozen):
    """A total over the values that are known; ``unknown`` runs had none (never counted as 0)."""

    total: float | None
    known: int
    unknown: int


class ResourceTotals(_Frozen):
    """Model calls of the runs of the period that called a model."""

    runs: int
    model_calls: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: KnownSum
    energy_kwh: KnownSum
    gwp_kgco2eq: KnownSum


class IntegrityVerdict(_Frozen):
    """``verify_workspace`` over the whole ledger (not only the period)."""

    ok: bool
    entries: int
    outputs_checked: int
    mlflow_checked: int
    problems: tuple[str, ...]


class PeriodReport(_Frozen):
    """Everything the periodic audit report states, in the language it was built in."""

    organisation: str
    start: date
    end: date
    generated_at: datetime
    language: Language
    policy: str
    """The adopted policy and its version (e.g. "politique-test v2"), or "—"."""
    run_counts: tuple[RunCounts, ...]
    uses: tuple[UseActivity, ...]
    refusals: tuple[Refusal, ...]
    refused_actions: tuple[RefusedAction, ...]
    unreviewed: tuple[UnreviewedRun, ...]
    reviews: tuple[ReviewRecord, ...]
    tool_changes: tuple[ToolChange, ...]
    use_changes: tuple[UseChange, ...]
    arbitrations: tuple[ArbitrationDecision, ...]
    policy_events: tuple[PolicyEvent, ...]
    training: tuple[TrainingEntry, ...]
    acknowledgements: AcknowledgementStatus
    totals: ResourceTotals
    integrity: IntegrityVerdict
    verification: Attestation
    """The verification (as ``audit verify``) this report was built on, and the latest
    checkpoint."""
    run_ids: tuple[str, ...]

    @property
    def total_runs(self) -> int:
        return sum(counts.total for counts in self.run_counts)

    def alert(self) -> str:
        """The red banner of page 1 when the ledger does not verify (empty otherwise)."""
        if self.integrity.ok:
            return ""
        shown = list(self.integrity.problems[:3])
        more = len(self.integrity.problems) - len(shown)
        return self._in_language(
            lambda: tr(
                "ALTÉRATION DÉTECTÉE — le registre d'audit ne se vérifie pas : {p}{m}. Les faits "
                "montrés sont ceux du registre ; voir « Intégrité du registre d'audit ».",
                "TAMPERING DETECTED — the audit ledger does not verify: {p}{m}. The facts shown "
                "are the ledger's; see 'Audit ledger integrity'.",
                p=" ; ".join(shown),
                m=tr(" (et {n} autre(s))", " (and {n} more)", n=more) if more else "",
            )
        )

    def period_label(self) -> str:
        return self._in_language(
            lambda: tr(
                "du {start} au {end}",
                "from {start} to {end}",
                start=format_date(self.start),
                end=format_date(self.end),
            )
        )

    def title(self) -> str:
        return self._in_language(lambda: tr("Rapport d'audit périodique", "Periodic audit report"))

    def context(self) -> dict[str, Any]:
        """The template's variables: ``r`` (this report), ``period``, ``t(fr, en)``, ``num``,
        ``label`` and ``colon`` (" :" with a no-break space in French, ":" in English)."""
        return {
            "r": self,
            "period": self.period_label(),
            "t": self.pick,
            "num": self._number,
            "label": self._label,
            "colon": self.pick("\u00a0:", ":"),
        }

    # --- template helpers -------------------------------------------------------------------

    def _in_language(self, function: Callable[[], str]) -> str:
        def run() -> str:
            set_language(self.language)
            return function()

        return contextvars.copy_context().run(run)

    def pick(self, fr: str, en: str) -> str:
        return en if self.language == "en" else fr

    def _number(self, value: float | None, digits: int = 2) -> str:
        if value is None:
            return self.pick("inconnu", "unknown")
        text = f"{value:,.{digits}f}" if digits else f"{round(value):,d}"
        if self.language == "fr":
            return text.replace(",", "\u202f").replace(".", ",")
        return text

    def _label(self, value: str) -> str:
        from garant.domain.enums import label

        return self._in_language(lambda: _state_label(value) or label(value))


_RUN_AND_VERSION_STATES = ("finished", "failed", "refused", "started", "superseded", "published")
"""States worded by :func:`garant.i18n.state_word` (the others fall back to the vocabulary's
labels, e.g. a tool « approuvé »)."""


def _state_label(value: str) -> str:
    if value in _RUN_AND_VERSION_STATES:
        return state_word(value)
    return {
        "disclosure_required": tr(
            "mention IA obligatoire en cas de publication", "AI disclosure mandatory if published"
        ),
        "exempt_reviewed": tr("relu : mention non obligatoire", "reviewed: disclosure optional"),
        "not_applicable": tr("non applicable", "not applicable"),
    }.get(value, "")


# --- dates and period ---------------------------------------------------------------------------


def parse_report_date(value: str, option: str) -> date:
    """Read 23/11/2026 or 2026-11-23; a clear error naming ``option`` otherwise."""
    text = value.strip()
    try:
        parts = text.split("/")
        if len(parts) == 3:
            day, month, year = (int(part) for part in parts)
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError as error:
        raise InputError(
            tr(
                "Date invalide pour {option} : « {value} »",
                "Invalid date for {option}: '{value}'",
                option=option,
                value=value,
            ),
            tr(
                "Écrivez la date JJ/MM/AAAA (ex. 23/11/2026) ou AAAA-MM-JJ.",
                "Write the date as DD/MM/YYYY (e.g. 23/11/2026) or YYYY-MM-DD.",
            ),
        ) from error


def default_period(today: date | None = None, days: int = 30) -> tuple[date, date]:
    """The last ``days`` days up to ``today`` included."""
    end = today or datetime.now(UTC).date()
    return end - timedelta(days=days - 1), end


def _check_period(start: date, end: date) -> None:
    if start > end:
        raise InputError(
            tr(
                "Période vide : le début ({start}) est après la fin ({end}).",
                "Empty period: the start ({start}) is after the end ({end}).",
                start=format_date(start),
                end=format_date(end),
            ),
            tr(
                "Donnez --from avant --to (ou égal pour un seul jour).",
                "Give --from before --to (or equal for a single day).",
            ),
        )


def _aware(value: datetime) -> datetime:
    """Stored timestamps are UTC; a naive one (older driver) is read as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True)
class _Window:
    """``[start 00:00, end + 1 day 00:00)`` in UTC."""

    low: datetime
    high: datetime

    @classmethod
    def of(cls, start: date, end: date) -> _Window:
        return cls(
            datetime.combine(start, time.min, UTC),
            datetime.combine(end + timedelta(days=1), time.min, UTC),
        )

    def holds(self, value: datetime | date | None) -> bool:
        if value is None:
            return False
        if not isinstance(value, datetime):
            value = datetime.combine(value, time.min, UTC)
        return self.low <= _aware(value) < self.high


# --- gathering ----------------------------------------------------------------------------------


def build_period_report(
    workspace: Workspace,
    start: date,
    end: date,
    *,
    check_mlflow: bool = True,
    generated_at: datetime | None = None,
    verification: VerificationReport | None = None,
) -> PeriodReport:
    """Gather the facts of the period ``[start, end]`` (inclusive days, UTC) into a report.

    The report is built on one verification of the whole ledger (as ``garant audit verify``;
    pass ``verification`` to reuse one already run): every row it shows is read through the
    ledger's replay, so a field changed behind garant's back shows the ledger's value with the
    finding in red, and a row the ledger never recorded is left out and named among the
    findings. ``check_mlflow=False`` skips comparing outputs with their MLflow artifacts.
    """
    from garant.audit.attestation import attest
    from garant.audit.ledger_view import LedgerView
    from garant.audit.verify import verify_workspace
    from garant.store.engine import unit_of_work

    _check_period(start, end)
    window = _Window.of(start, end)
    if verification is None:
        verification = verify_workspace(workspace, check_mlflow=check_mlflow)
    view = LedgerView(verification)
    with unit_of_work(workspace.engine) as session:
        runs = _period_runs(session, view, window)
        started = [run for run in runs if window.holds(run.value.started_at)]
        names = _person_names(session)
        report_parts = {
            "run_counts": _run_counts([run.value for run in started]),
            "uses": _uses(session, started, names, _engines(session, verification)),
            "refusals": tuple(
                _refusal(run.value, names, run.flags)
                for run in started
                if run.value.status == "refused"
            ),
            "refused_actions": _refused_actions(session, verification, window, names),
            "unreviewed": _unreviewed(session, started, names),
            "reviews": _reviews(runs, window, names),
            "tool_changes": _tool_changes(session, view, window),
            "use_changes": _use_changes(session, verification, window, names),
            "arbitrations": _arbitrations(session, view, window, names, workspace),
            "policy_events": _policy_events(session, view, window),
            "training": _training(session, window),
            "acknowledgements": _acknowledgements(session, workspace),
            "totals": _totals([run.value for run in started]),
        }
    attestation = attest(verification)
    integrity = IntegrityVerdict(
        ok=attestation.ok,
        entries=verification.entries,
        outputs_checked=verification.outputs_checked,
        mlflow_checked=verification.mlflow_checked,
        problems=attestation.failures,
    )
    return PeriodReport(
        organisation=workspace.settings.organisation_name,
        start=start,
        end=end,
        generated_at=generated_at or datetime.now(UTC),
        language=current_language(),
        policy=_policy_label(workspace),
        integrity=integrity,
        verification=attestation,
        run_ids=tuple(run.value.id for run in started),
        **report_parts,
    )


def _period_runs(session: Session, view: LedgerView, window: _Window) -> list[VerifiedRow[Any]]:
    """Runs started or reviewed in the period according to the ledger, in start order: the
    database's window, widened to every run whose row the verification flagged (a forged date
    cannot move a run out of its period, nor a forged review into it)."""
    from garant.domain.models import AuditRun

    def within(column: Any) -> Any:
        return (col(column) >= window.low) & (col(column) < window.high)

    found = {
        run.id: run
        for run in session.exec(
            select(AuditRun).where(within(AuditRun.started_at) | within(AuditRun.reviewed_at))
        )
    }
    flagged = [key.removeprefix("id=") for key in view.flagged_keys("audit_run")]
    missing = [run_id for run_id in flagged if run_id not in found]
    if missing:
        found.update(
            (run.id, run)
            for run in session.exec(select(AuditRun).where(col(AuditRun.id).in_(missing)))
        )
    verified = [
        run
        for run in view.rows(list(found.values()))
        if window.holds(run.value.started_at) or window.holds(run.value.reviewed_at)
    ]
    return sorted(verified, key=lambda run: (_aware(run.value.started_at), run.value.id))


def _person_names(session: Session) -> dict[str, str]:
    from garant.domain.models import Person

    return {person.key: person.full_name for person in session.exec(select(Person))}


def _who(names: dict[str, str], key: str) -> str:
    if not key:
        return "—"
    name = names.get(key)
    return f"{name} ({key})" if name and name != key else key


def _run_counts(runs: Sequence[Any]) -> tuple[RunCounts, ...]:
    counts: Counter[tuple[str, str]] = Counter((run.kind, run.status) for run in runs)
    kinds = sorted({kind for kind, _ in counts})
    return tuple(
        RunCounts(kind=kind, **{status: counts[(kind, status)] for status in RUN_STATUSES})
        for kind in kinds
    )


def _hosting(tool: Any) -> str:
    if tool is None:
        return "—"
    from garant.domain.enums import label

    parts = [label(tool.access_mode)]
    if tool.hosting_region:
        parts.append(tool.hosting_region)
    else:
        from garant.governance.tools import hosting_known

        if not hosting_known(tool):
            parts.append(tr("hébergement inconnu", "hosting unknown"))
    if tool.data_leaves_eu:
        parts.append(tr("données hors UE", "data leave the EU"))
    return ", ".join(parts)


def _engines(session: Session, verification: VerificationReport) -> dict[str, dict[str, Any]]:
    """Each run's recorded pseudonymisation provenance (``runs.pseudonymisation_engine`` on its
    trusted ``gate_decision`` entries that hold one), by run id."""
    from collections import defaultdict

    from garant.audit.runs import pseudonymisation_engine
    from garant.domain.models import LedgerEntry

    by_run: defaultdict[str, list[LedgerEntry]] = defaultdict(list)
    for entry in session.exec(
        select(LedgerEntry)
        .where(LedgerEntry.event == "gate_decision")
        .where(col(LedgerEntry.payload).contains('"pseudonymisation_engine"'))
        .order_by(col(LedgerEntry.seq))
    ):
        if entry.run_id:
            by_run[entry.run_id].append(entry)
    untrusted = verification.untrusted_entries()
    found = {run: pseudonymisation_engine(entries, untrusted) for run, entries in by_run.items()}
    return {run: recorded for run, recorded in found.items() if recorded is not None}


def _engine_lines(members: Sequence[VerifiedRow[Any]], engines: dict[str, Any]) -> tuple[str, ...]:
    from garant.privacy.provenance import describe_provenance

    lines = {
        describe_provenance(engines.get(m.value.id))
        for m in members
        if m.value.pseudonymised or m.value.id in engines
    }
    return tuple(sorted(lines))


def _uses(
    session: Session,
    runs: Sequence[VerifiedRow[Any]],
    names: dict[str, str],
    engines: dict[str, dict[str, Any]],
) -> tuple[UseActivity, ...]:
    from garant.domain.enums import label
    from garant.domain.models import AITool, AIUse

    uses = {use.key: use for use in session.exec(select(AIUse))}
    tools = {tool.key: tool for tool in session.exec(select(AITool))}
    groups: dict[tuple[str, str, str, str, bool, str, bool], list[VerifiedRow[Any]]] = {}
    for verified in runs:
        run = verified.value
        if run.status == "refused":
            continue
        group = (
            run.use_key,
            run.tool_key,
            run.model or run.model_alias,
            run.provider,
            run.offline,
            run.operator_key,
            run.pseudonymised,
        )
        groups.setdefault(group, []).append(verified)
    activity = []
    for (use_key, tool_key, model, provider, offline, operator, pseudonymised), members in sorted(
        groups.items()
    ):
        use, tool = uses.get(use_key), tools.get(tool_key)
        activity.append(
            UseActivity(
                use_key=use_key,
                use_title=use.title if use else use_key,
                data_categories=tuple(label(c) for c in (use.data_categories if use else [])),
                tool=tool.name if tool else (tool_key or "—"),
                model=model or "—",
                provider=provider or "—",
                hosting=_hosting(tool),
                offline=offline,
                operator=_who(names, operator),
                pseudonymised=pseudonymised,
                runs=len(members),
                flags=tuple(flag for member in members for flag in member.flags),
                engines=_engine_lines(members, engines),
            )
        )
    return tuple(activity)


def _refusal(run: Any, names: dict[str, str], flags: tuple[str, ...] = ()) -> Refusal:
    return Refusal(
        run_id=run.id,
        at=_aware(run.started_at),
        kind=run.kind,
        use_key=run.use_key,
        tool_key=run.tool_key,
        operator=_who(names, run.operator_key),
        operator_key=run.operator_key,
        rule=run.refusal_rule,
        reason=run.refusal_reason,
        flags=flags,
    )


def _unreviewed(
    session: Session, runs: Sequence[VerifiedRow[Any]], names: dict[str, str]
) -> tuple[UnreviewedRun, ...]:
    from garant.audit.runs import disclosure_labels

    flagged = []
    for verified in runs:
        run = verified.value
        if run.status != "finished" or run.review_state not in ("pending", "rejected"):
            continue
        labels = disclosure_labels(session, run)
        flagged.append(
            UnreviewedRun(
                run_id=run.id,
                at=_aware(run.started_at),
                kind=run.kind,
                use_key=run.use_key,
                operator=_who(names, run.operator_key),
                review_state=run.review_state,
                reviewer=_who(names, run.reviewed_by) if run.reviewed_by else "",
                outputs=tuple(
                    UnreviewedOutput(name=name, art50_case=label.art50_case)
                    for name, label in labels.items()
                ),
                flags=verified.flags,
            )
        )
    return tuple(flagged)


def _reviews(
    runs: Sequence[VerifiedRow[Any]], window: _Window, names: dict[str, str]
) -> tuple[ReviewRecord, ...]:
    """Reviews of the period's runs and reviews recorded in the period (of earlier runs too),
    as the ledger recorded them."""
    reviewed = [run for run in runs if run.value.reviewed_at is not None]
    return tuple(
        ReviewRecord(
            run_id=run.value.id,
            reviewer=_who(names, run.value.reviewed_by),
            reviewed_at=_aware(run.value.reviewed_at),
            decision=run.value.review_state,
            comment=run.value.review_comment,
            flags=run.flags,
            adopted=run.adopted,
        )
        for run in sorted(reviewed, key=lambda r: (_aware(r.value.reviewed_at), r.value.id))
    )


def _tool_changes(session: Session, view: LedgerView, window: _Window) -> tuple[ToolChange, ...]:
    from garant.domain.models import AITool

    changed = [
        tool
        for tool in view.rows(list(session.exec(select(AITool))))
        if window.holds(tool.value.updated_at)
    ]
    return tuple(
        ToolChange(
            key=tool.value.key,
            name=tool.value.name,
            status=tool.value.status,
            changed_at=_aware(tool.value.updated_at),
            changed_by=tool.value.updated_by or tool.value.created_by or "—",
            created=window.holds(tool.value.created_at) and not tool.adopted,
            flags=tool.flags,
            adopted=tool.adopted,
        )
        for tool in sorted(changed, key=lambda t: (_aware(t.value.updated_at), t.value.key))
    )


REFUSAL_EVENTS = ("action_refused", "reidentification_refused", "decision_refused")


def _refused_actions(
    session: Session, verification: VerificationReport, window: _Window, names: dict[str, str]
) -> tuple[RefusedAction, ...]:
    """Refused reserved actions of the period, read from the ledger (trusted entries only)."""
    import json

    from garant.domain.models import LedgerEntry

    untrusted = verification.untrusted_entries()
    table = LedgerEntry.__table__  # type: ignore[attr-defined]
    found = []
    for entry in session.connection().execute(
        table.select().where(table.c.event.in_(REFUSAL_EVENTS)).order_by(table.c.seq)
    ):
        if entry.seq in untrusted:
            continue
        try:
            payload = json.loads(entry.payload)
            at = _aware(datetime.fromisoformat(entry.recorded_at))
        except ValueError:
            continue
        if not isinstance(payload, dict) or not window.holds(at):
            continue
        target = str(payload.get("target") or "")
        if entry.run_id and entry.run_id not in target:
            target = f"{entry.run_id} {target}".strip()
        found.append(
            RefusedAction(
                at=at,
                action=str(payload.get("action", "reidentify")),
                target=target or "—",
                by=_who(names, str(payload.get("by", ""))),
                rule=str(payload.get("rule", "")),
            )
        )
    return tuple(found)


def _use_changes(
    session: Session, verification: VerificationReport, window: _Window, names: dict[str, str]
) -> tuple[UseChange, ...]:
    """Uses added or approved in the period, read from the ledger's row events on ``aiuse``
    (who, when), not from the row's timestamps."""
    import json

    from garant.audit.ledger import ROW_EVENTS
    from garant.domain.models import LedgerEntry

    untrusted = verification.untrusted_entries()
    table = LedgerEntry.__table__  # type: ignore[attr-defined]
    rows = session.connection().execute(
        table.select()
        .where(table.c.event.in_(sorted(ROW_EVENTS)))
        .where(table.c.payload.contains('"aiuse"'))
        .order_by(table.c.seq)
    )
    changes: dict[str, dict[str, Any]] = {}
    for entry in rows:
        if entry.seq in untrusted:
            continue
        try:
            payload = json.loads(entry.payload)
            at = _aware(datetime.fromisoformat(entry.recorded_at))
        except ValueError:
            continue
        if not isinstance(payload, dict) or payload.get("table") != "aiuse":
            continue
        values = payload.get("values") or {}
        key = str(values.get("key", ""))
        if not key:
            continue
        change = changes.setdefault(key, {"key": key})
        change.update(title=str(values.get("title", key)), status=str(values.get("status", "")))
        by = _who(names, str(payload.get("by", "")))
        if entry.event == "baseline":
            change["adopted"] = True
        elif entry.event == "row_insert" and window.holds(at):
            change.update(added_at=at, added_by=by)
        if (
            entry.event in ("row_insert", "row_update")
            and values.get("status") == "approved"
            and (entry.event == "row_insert" or "status" in (payload.get("changed") or []))
            and window.holds(at)
        ):
            change.update(approved_at=at, approved_by=by)
    return tuple(
        UseChange(**change)
        for change in sorted(changes.values(), key=lambda c: c["key"])
        if change.get("added_at") or change.get("approved_at")
    )


def _arbitrations(
    session: Session,
    view: LedgerView,
    window: _Window,
    names: dict[str, str],
    workspace: Workspace,
) -> tuple[ArbitrationDecision, ...]:
    from garant.domain.models import ArbitrationRequest, Person

    by_id = {person.id: person.key for person in session.exec(select(Person))}
    decided = sorted(
        (
            request
            for request in view.rows(list(session.exec(select(ArbitrationRequest))))
            if request.value.decided_at is not None and window.holds(request.value.decided_at)
        ),
        key=lambda item: (_aware(item.value.decided_at or window.low), item.value.id or 0),
    )
    own_allowed = _own_arbitration_allowed(workspace)
    decisions = []
    for verified in decided:
        request = verified.value
        asker = by_id.get(request.asked_by_id, "")
        decider = by_id.get(request.decided_by_id, "")
        self_decided = bool(asker) and asker == decider
        decisions.append(
            ArbitrationDecision(
                id=request.id or 0,
                question=request.question,
                decision=request.decision,
                rationale=request.rationale,
                decided_by=_who(names, decider),
                decided_at=_aware(request.decided_at or window.low),
                asked_by=_who(names, asker),
                self_decided=self_decided,
                policy_note=_own_decision_note(own_allowed) if self_decided else "",
                flags=verified.flags,
                adopted=verified.adopted,
            )
        )
    return tuple(decisions)


def _own_arbitration_allowed(workspace: Workspace) -> bool | None:
    """``roles.decide_own_arbitration`` of the policy in force (None: no policy adopted)."""
    from garant.audit.policy_bridge import workspace_policy

    try:
        return bool(workspace_policy(workspace).roles.decide_own_arbitration)
    except GarantError:
        return None


def _own_decision_note(allowed: bool | None) -> str:
    if allowed is None:
        return tr(
            "décidé par la personne qui avait posé la question ; aucune politique adoptée ne "
            "l'encadre",
            "decided by the person who asked; no adopted policy governs it",
        )
    if allowed:
        return tr(
            "décidé par la personne qui avait posé la question, ce que la politique autorise "
            "(roles.decide_own_arbitration : oui)",
            "decided by the person who asked, which the policy allows "
            "(roles.decide_own_arbitration: yes)",
        )
    return tr(
        "décidé par la personne qui avait posé la question, ce que la politique interdit "
        "(roles.decide_own_arbitration : non) : à examiner",
        "decided by the person who asked, which the policy forbids "
        "(roles.decide_own_arbitration: no): to be examined",
    )


def _policy_events(session: Session, view: LedgerView, window: _Window) -> tuple[PolicyEvent, ...]:
    from garant.governance.lifecycle import list_versions

    events = []
    for verified in view.rows(list_versions(session)):
        version = verified.value
        if not (window.holds(version.approved_on) or window.holds(version.published_on)):
            continue
        events.append(
            PolicyEvent(
                policy_id=version.policy_id,
                version=version.version,
                title=version.title,
                status=version.status,
                approved_on=version.approved_on,
                approved_by=version.approved_by_name or "—",
                approved_role=version.approved_role,
                published_on=version.published_on,
                flags=verified.flags,
                adopted=verified.adopted,
            )
        )
    return tuple(events)


def _training(session: Session, window: _Window) -> tuple[TrainingEntry, ...]:
    from garant.governance.training import list_training

    return tuple(
        TrainingEntry(
            person=view.person.full_name,
            module=view.record.module,
            completed_on=view.record.completed_on,
            hours=view.record.hours,
            provider=view.record.provider,
        )
        for view in reversed(list_training(session))
        if window.holds(view.record.completed_on)
    )


def _acknowledgements(session: Session, workspace: Workspace) -> AcknowledgementStatus:
    from garant.audit.policy_bridge import workspace_policy
    from garant.governance.lifecycle import acknowledgement_report

    try:
        policy = workspace_policy(workspace)
    except GarantError:
        return AcknowledgementStatus(
            policy="—",
            current_version=None,
            people=0,
            missing=(),
            note=tr("aucune politique adoptée", "no policy adopted"),
        )
    try:
        rows = acknowledgement_report(session, policy.id)
    except GarantError:
        return AcknowledgementStatus(
            policy=policy.id,
            current_version=None,
            people=0,
            missing=(),
            note=tr(
                "aucune version approuvée n'est enregistrée (« garant policy approve »)",
                "no approved version is recorded ('garant policy approve')",
            ),
        )
    return AcknowledgementStatus(
        policy=policy.id,
        current_version=rows[0].current_version if rows else None,
        people=len(rows),
        missing=tuple(
            f"{row.person_name} ({row.person_key})" for row in rows if not row.read_current
        ),
    )


def _known_sum(values: Sequence[object]) -> KnownSum:
    known = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return KnownSum(
        total=sum(known) if known else None, known=len(known), unknown=len(values) - len(known)
    )


def _totals(runs: Sequence[Any]) -> ResourceTotals:
    totals = [
        run.summary["totals"]
        for run in runs
        if isinstance(run.summary, dict)
        and isinstance(run.summary.get("totals"), dict)
        and (run.summary["totals"].get("model_calls") or 0) > 0
    ]
    return ResourceTotals(
        runs=len(totals),
        model_calls=sum(int(t.get("model_calls") or 0) for t in totals),
        prompt_tokens=sum(int(t.get("prompt_tokens") or 0) for t in totals),
        completion_tokens=sum(int(t.get("completion_tokens") or 0) for t in totals),
        cost_usd=_known_sum([t.get("cost_usd") for t in totals]),
        energy_kwh=_known_sum([t.get("energy_kwh") for t in totals]),
        gwp_kgco2eq=_known_sum([t.get("gwp_kgco2eq") for t in totals]),
    )


def _policy_label(workspace: Workspace) -> str:
    from garant.audit.policy_bridge import workspace_policy

    try:
        return workspace_policy(workspace).label
    except GarantError:
        return "—"


# --- rendering and export -----------------------------------------------------------------------


def report_template_dirs(workspace: Workspace) -> list[Path]:
    """``<workspace>/audit/`` when it exists: its templates override the built-in ones."""
    folder = workspace.root / "audit"
    return [folder] if folder.is_dir() else []


def default_output_path(workspace: Workspace, report: PeriodReport, format: str) -> Path:
    """``<workspace>/exports/rapport-audit-2026-10-25_2026-11-23.pdf``."""
    return workspace.exports_dir / (
        f"rapport-audit-{report.start.isoformat()}_{report.end.isoformat()}.{format}"
    )


def check_report_format(value: str) -> str:
    """Validate ``md``, ``html``, ``pdf`` or ``docx`` given by a user."""
    lowered = value.lower().lstrip(".")
    if lowered not in REPORT_FORMATS:
        raise InputError(
            tr("Format inconnu : {value}", "Unknown format: {value}", value=value),
            tr(
                "Formats possibles : {formats}.",
                "Possible formats: {formats}.",
                formats=", ".join(REPORT_FORMATS),
            ),
        )
    return lowered


@dataclass(frozen=True)
class PeriodExport:
    """The written report and the ledger entry recording its hashes."""

    report: PeriodReport
    path: Path
    format: str
    sha256: str
    content_sha256: str
    sidecar: Path
    ledger_seq: int


def export_period_report(
    workspace: Workspace,
    report: PeriodReport,
    format: str = "pdf",
    output: Path | None = None,
) -> PeriodExport:
    """Render ``report`` (md, html or pdf) with its sidecar hash and record an ``export`` event
    in the ledger holding the file's and the content's SHA-256."""
    from garant.audit.ledger import append_event, write_head
    from garant.audit.run import ledger_anchor
    from garant.documents import DocumentMetadata, build_document, make_environment, render
    from garant.store.engine import unit_of_work

    chosen = check_report_format(format)
    out_path = (
        Path(output) if output is not None else default_output_path(workspace, report, chosen)
    )
    template_dirs = report_template_dirs(workspace)
    document = build_document(
        TEMPLATE_NAME,
        report.context(),
        title=report.title(),
        subtitle=report.period_label(),
        organisation=report.organisation,
        language=report.language,
        alert=report.alert(),
        metadata=DocumentMetadata(
            generated_at=report.generated_at,
            policy_version=report.policy if report.policy != "—" else None,
            extra=(
                (report.pick("Période", "Period"), report.period_label()),
                (
                    report.pick("Intégrité du registre", "Ledger integrity"),
                    report.pick("intact", "intact")
                    if report.integrity.ok
                    else report.pick("ALTÉRATION DÉTECTÉE", "TAMPERING DETECTED"),
                ),
                (
                    report.pick("Vérification", "Verification"),
                    report._in_language(report.verification.statement),
                ),
                (
                    report.pick("Point de contrôle", "Checkpoint"),
                    report._in_language(report.verification.checkpoint_statement),
                ),
            ),
        ),
        template_dirs=template_dirs,
        packages=(TEMPLATE_PACKAGE,),
    )
    environment = make_environment(template_dirs, packages=(TEMPLATE_PACKAGE,))
    rendered = render(document, chosen, out_path, environment=environment)
    with unit_of_work(workspace.engine) as session:
        entry = append_event(
            session,
            "export",
            {
                "document": "rapport-periodique",
                "period": {"from": report.start.isoformat(), "to": report.end.isoformat()},
                "format": chosen,
                "path": _shown_path(workspace, rendered.path),
                "sha256": rendered.sha256,
                "content_sha256": rendered.content_sha256,
                "runs": len(report.run_ids),
                "integrity_ok": report.integrity.ok,
            },
        )
        seq = entry.seq
    write_head(workspace.engine, ledger_anchor(workspace))
    return PeriodExport(
        report=report,
        path=rendered.path,
        format=chosen,
        sha256=rendered.sha256,
        content_sha256=rendered.content_sha256,
        sidecar=rendered.sidecar,
        ledger_seq=seq,
    )


def _shown_path(workspace: Workspace, path: Path) -> str:
    try:
        return path.resolve().relative_to(workspace.root.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())
