"""``audited_run``: the one wrapper every analysis runs through.

::

    with audited_run(workspace, use="synthese", kind="synthesis", operator="claire-martin") as run:
        texts = run.pseudonymise(contributions)            # when the policy asks it
        answer = run.complete([ChatMessage("user", prompt)], template=PROMPT)
        run.add_output("synthese.md", report_text)

Before anything leaves the machine the policy gate decides; a refusal is recorded and raised.
Inputs are hashed (pseudonymised copies logged), every model call is a traced span with its
prompt as sent and the answer, outputs are written atomically with their SHA-256, and every
event goes to the hash-chained ledger. A run that raises is marked failed everywhere and its
partial outputs are removed.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from garant import __version__
from garant.audit.disclosure import AIInvolvement, DisclosureLabel
from garant.audit.gate import GateDecision, GateFacts, decide, gather_facts, policy_label
from garant.audit.ledger import LedgerEvent, append_event, write_head
from garant.audit.mlflow_queue import RunQueue, queue_root
from garant.audit.tracking import MlflowTracker
from garant.domain.models import AuditRun, utc_now
from garant.governance.policy import Policy
from garant.i18n import tr
from garant.llm.gateway import public_url
from garant.llm.prompts import PromptTemplate
from garant.llm.types import ChatMessage, Completion, ModelGateway, TranscriptionResult
from garant.settings import ModelAlias
from garant.store.engine import unit_of_work
from garant.util.files import atomic_write_bytes, atomic_write_text, sha256_bytes, sha256_file
from garant.workspace import Workspace

__all__ = [
    "AuditedRun",
    "OutputRecord",
    "RunGateway",
    "audited_run",
    "ledger_anchor",
    "new_run_id",
    "retry_on_contention",
    "tracker_for",
]

T = TypeVar("T")


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)


def ledger_anchor(workspace: Workspace) -> Path:
    """Where the ledger head is anchored (see :attr:`Workspace.ledger_anchor`)."""
    return workspace.ledger_anchor


def tracker_for(workspace: Workspace) -> MlflowTracker:
    settings = workspace.settings
    return MlflowTracker(
        workspace.mlflow_tracking_uri, settings.mlflow_experiment, workspace.mlflow_artifacts_dir
    )


def retry_on_contention(write: Callable[[], T], attempts: int = 40) -> T:
    """Run a write transaction, again if another process took the same ledger sequence number
    or held the database (SQLite: one writer at a time): a run is never lost to a race."""
    import random
    import time

    from sqlalchemy.exc import IntegrityError, OperationalError

    for attempt in range(attempts):
        try:
            return write()
        except (IntegrityError, OperationalError):
            if attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0.005, 0.05) * min(attempt + 1, 8))
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class OutputRecord:
    name: str
    path: Path
    sha256: str
    size: int
    logged_to_mlflow: bool


@dataclass
class _Totals:
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    latency_s: float = 0.0
    energy_kwh: float | None = 0.0
    gwp_kgco2eq: float | None = 0.0

    def add(self, completion: Completion | TranscriptionResult) -> None:
        self.calls += 1
        self.latency_s += completion.latency_s
        if isinstance(completion, Completion):
            self.prompt_tokens += completion.prompt_tokens or 0
            self.completion_tokens += completion.completion_tokens or 0
        self.cost_usd = _sum_known(self.cost_usd, completion.cost_usd)
        self.energy_kwh = _sum_known(self.energy_kwh, completion.impact.energy_kwh)
        self.gwp_kgco2eq = _sum_known(self.gwp_kgco2eq, completion.impact.gwp_kgco2eq)


def _sum_known(total: float | None, value: float | None) -> float | None:
    """Unknown stays unknown: one call without an estimate makes the total unknown."""
    if total is None or value is None:
        return None
    return total + value


@dataclass
class AuditedRun:
    """What an analysis holds while it runs: the gateway, the pseudonymiser, the trail."""

    id: str
    kind: str
    workspace: Workspace
    facts: GateFacts
    decision: GateDecision
    gateway: ModelGateway | None
    tracker: MlflowTracker | RunQueue
    pseudonymisation_mode: str
    ai_involvement: AIInvolvement
    outputs_dir: Path
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    input_hashes: dict[str, str] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    totals: _Totals = field(default_factory=_Totals)
    _pseudonymiser: Any = None
    _mapping: Any = None
    _templates_logged: set[str] = field(default_factory=set)
    _root_span: ExitStack = field(default_factory=ExitStack)
    _local_engine: tuple[str, str] | None = None
    _impact_sources: set[str] = field(default_factory=set)
    _last_completion: Completion | TranscriptionResult | None = None
    _engine_recorded: bool = False

    # --- privacy ----------------------------------------------------------------------------

    policy: Policy | None = None

    @property
    def pseudonymise_required(self) -> bool:
        """Policy's data rules, and — stricter — always when the use handles personal data,
        so that what garant logs (inputs, spans) never holds it either."""
        return self.decision.pseudonymisation_required or self.facts.handles_personal_data

    @property
    def mapping(self) -> Any:
        """This run's pseudonym mapping (kept locally, never sent nor logged)."""
        if self._mapping is None:
            from garant.privacy import PseudonymMapping

            self._mapping = PseudonymMapping()
        return self._mapping

    def _pseudonymiser_instance(self) -> Any:
        if self._pseudonymiser is None:
            from garant.privacy import Pseudonymiser

            self._pseudonymiser = Pseudonymiser(
                self.pseudonymisation_mode,  # type: ignore[arg-type]
                keep_public_figures=self.keep_public_office_holders,
            )
        return self._pseudonymiser

    @property
    def undeclared_personal_data(self) -> str:
        """Personal data found in a use declared without it: "pseudonymise" (pseudonymise and
        record it in the ledger) or "refuse" (rule ``data.undeclared_personal_data``), as the
        governing policy says (``pseudonymisation.undeclared_personal_data``)."""
        return self.decision.pseudonymisation_settings.undeclared_personal_data

    @property
    def keep_public_office_holders(self) -> bool:
        """Public office holders' names stay readable (the governing policy's
        ``pseudonymisation.keep_public_office_holders``; off by default)."""
        return self.decision.pseudonymisation_settings.keep_public_office_holders

    def pseudonymise(self, texts: Sequence[str], *, always: bool = False) -> list[str]:
        """Pseudonymise ``texts`` with this run's mapping when the policy asks it (or ``always``,
        for material that is personal whatever the use declares, such as what people said).

        A declaration does not switch detection off: texts of a use declared without personal
        data are checked, and pseudonymised (or refused) when some shows up anyway."""
        if not texts:
            return list(texts)
        if not (always or self.pseudonymise_required) and not self._undeclared_data_in(texts):
            return list(texts)
        self._record_engine()
        results = self._pseudonymiser_instance().pseudonymise_many(list(texts), self.mapping)
        return [result.text for result in results]

    def _undeclared_data_in(self, texts: Sequence[str]) -> bool:
        from garant.errors import PolicyRefusal
        from garant.privacy.detection import detect_personal_data

        findings = detect_personal_data(
            texts,
            mode=self.pseudonymisation_mode,  # type: ignore[arg-type]
            keep_public_figures=self.keep_public_office_holders,
        )
        if not findings:
            return False
        action = "refuse" if self.undeclared_personal_data == "refuse" else "pseudonymise"
        # the engine that found the data is the one that masks it: recorded with the decision
        self._record_engine({"undeclared_personal_data": findings.summary(), "action": action})
        if action == "refuse":
            raise PolicyRefusal(
                tr(
                    "Règle data.undeclared_personal_data : des données personnelles ({counts}) "
                    "figurent dans un usage déclaré sans données personnelles.",
                    "Rule data.undeclared_personal_data: personal data ({counts}) found in a use "
                    "declared without personal data.",
                    counts=", ".join(f"{t.value}={n}" for t, n in sorted(findings.counts.items())),
                ),
                tr(
                    "Déclarez les données de l'usage (personnelles) ou retirez-les du texte.",
                    "Declare the use's data as personal, or remove them from the text.",
                ),
                rule="data.undeclared_personal_data",
            )
        return True

    def pseudonymisation_provenance(self) -> dict[str, str]:
        """This run's pseudonymisation engine, NER model and versions (no model is loaded)."""
        from garant.privacy.provenance import provenance

        return provenance(self.pseudonymisation_mode)

    def _record_engine(self, decision: dict[str, Any] | None = None) -> None:
        """Record once per run what pseudonymises it: in the ledger (a ``gate_decision``
        holding ``pseudonymisation_engine``, with ``decision`` when one is taken here) and as
        MLflow params. A run the policy makes pseudonymise recorded it when it started."""
        if self._engine_recorded and decision is None:
            return
        payload = dict(decision or {})
        if not self._engine_recorded:
            recorded = self.pseudonymisation_provenance()
            payload["pseudonymisation_engine"] = recorded
            self.tracker.log_params(_engine_params(recorded))
            self._engine_recorded = True
        self._ledger("gate_decision", payload)

    def reidentify(self, text: str) -> str:
        """Put the original values back (locally, for an authorised person)."""
        return self.mapping.reidentify(text) if self._mapping is not None else text

    # --- inputs -----------------------------------------------------------------------------

    def add_input(self, name: str, content: str | bytes | Path, *, log_copy: bool = True) -> str:
        """Record an input: its SHA-256; a pseudonymised copy of text when it applies.

        ``log_copy=False`` logs the hash only (e.g. a volunteers' file with addresses).
        """
        data = _as_bytes(content)
        digest = sha256_bytes(data)
        self.input_hashes[name] = digest
        if log_copy and (isinstance(content, str | bytes) or _is_text_file(content)):
            text = data.decode("utf-8", errors="replace")
            # Checked before any copy is logged: personal data in a use declared without it
            # is pseudonymised here too, or refused before anything of it is written.
            copy = self.pseudonymise([text])[0]
            if self.pseudonymise_required or copy != text:
                self.tracker.log_text(copy, f"inputs/{name}.pseudonymise.txt")
            else:
                self.tracker.log_text(text, f"inputs/{name}")
        self._ledger("input", {"name": name, "sha256": digest, "size": len(data)})
        return digest

    # --- model calls ------------------------------------------------------------------------

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        template: PromptTemplate | None = None,
        alias: str | None = None,
        **parameters: Any,
    ) -> Completion:
        """Call the model through the gateway; the prompt as sent and the answer are traced."""
        gateway, alias_name = self._gateway_and_alias(alias)
        sent = [ChatMessage(m.role, self.pseudonymise([m.content])[0]) for m in messages]
        inputs = {
            "messages": [{"role": m.role, "content": m.content} for m in sent],
            "parameters": parameters,
        }
        if template is not None:
            inputs["template"] = template.trace_params()
            self._log_template(template)
        prompt_hash = sha256_bytes("\n".join(f"{m.role}:{m.content}" for m in sent).encode())
        intent = self._intent(alias_name, {"prompt_sha256": prompt_hash})
        with self.tracker.span(f"{self.kind}:{alias_name}", "LLM", inputs) as span:
            completion = gateway.complete(alias_name, list(sent), **parameters)
            span.set_outputs({"text": completion.text})
            span.set_attributes(_call_attributes(completion))
        self.totals.add(completion)
        self._impact_sources.add(completion.impact.source)
        self._last_completion = completion
        self._ledger(
            "model_call",
            {
                "intent_seq": intent,
                "alias": alias_name,
                "model": completion.model,
                "provider": completion.provider,
                "prompt_sha256": prompt_hash,
                "output_sha256": sha256_bytes(completion.text.encode()),
                "prompt_tokens": completion.prompt_tokens,
                "completion_tokens": completion.completion_tokens,
                "cost_usd": completion.cost_usd,
                **(template.trace_params() if template else {}),
            },
        )
        return completion

    def transcribe(
        self, audio: Path, language: str | None = None, alias: str | None = None, **parameters: Any
    ) -> TranscriptionResult:
        """Send audio to a speech model through the gateway (gate already checked the hosting)."""
        gateway, alias_name = self._gateway_and_alias(alias)
        audio_hash = sha256_file(audio)
        inputs = {"audio_sha256": audio_hash, "language": language, "parameters": parameters}
        intent = self._intent(alias_name, {"audio_sha256": audio_hash})
        with self.tracker.span(f"{self.kind}:{alias_name}", "LLM", inputs) as span:
            result = gateway.transcribe(alias_name, audio, language, **parameters)
            span.set_outputs({"text": self.pseudonymise([result.text])[0]})
            span.set_attributes(
                {"model": result.model, "provider": result.provider, "latency_s": result.latency_s}
            )
        self.totals.add(result)
        self._last_completion = result
        self._ledger(
            "transcription_call",
            {
                "intent_seq": intent,
                "alias": alias_name,
                "model": result.model,
                "provider": result.provider,
                "audio_sha256": audio_hash,
                "output_sha256": sha256_bytes(result.text.encode()),
                "duration_s": result.duration_s,
            },
        )
        return result

    def _intent(self, alias_name: str, facts: dict[str, Any]) -> int:
        """What is about to leave the machine, in the ledger BEFORE it is sent: a process killed
        during the call still leaves its trace (completed by the call's own entry)."""
        alias = self.facts.alias
        return self._ledger(
            "model_call_intent",
            {
                "alias": alias_name,
                "model": alias.model if alias else "",
                "hosting": str(self.facts.hosting),
                **facts,
            },
        )

    def record_engine_call(self, engine: str, model: str, facts: dict[str, Any]) -> None:
        """Trace a call to a local engine that does not go through the gateway (e.g. a local
        speech model): a span and a ledger entry, like a gateway call."""
        with self.tracker.span(
            f"{self.kind}:{engine}", "LLM", {"engine": engine, "model": model}
        ) as span:
            span.set_outputs(facts)
        self._ledger("model_call", {"engine": engine, "model": model, **facts})
        self._local_engine = (f"{engine} {model}".strip(), tr("moteur local", "local engine"))

    def _log_template(self, template: PromptTemplate) -> None:
        if template.name in self._templates_logged:
            return
        self._templates_logged.add(template.name)
        self.tracker.log_params(
            {f"prompt.{template.name}": f"v{template.version} sha256:{template.sha256}"}
        )

    def mapping_path(self) -> Path:
        return self.workspace.private_dir / "runs" / self.id / "pseudonymes.json"

    def _gateway_and_alias(self, alias: str | None) -> tuple[ModelGateway, str]:
        name = alias or self.facts.alias_name
        if self.gateway is None or name is None:
            raise RuntimeError("audited run opened without a model: pass model_alias and a gateway")
        if alias is not None and alias != self.facts.alias_name:
            raise RuntimeError("the policy gate checked another model alias for this run")
        return self.gateway, name

    # --- outputs ----------------------------------------------------------------------------

    def add_output(
        self, name: str, content: str | bytes | Path, *, contains_personal_data: bool = False
    ) -> OutputRecord:
        """Write an output beside the run (atomically), hash it, log it to MLflow and the ledger.

        Outputs that contain personal data stay in the workspace: only their hash goes to MLflow.
        """
        target = self.outputs_dir / name
        if isinstance(content, Path):
            if content.resolve() != target.resolve():
                atomic_write_bytes(target, content.read_bytes())
        else:
            atomic_write_bytes(target, _as_bytes(content))
        digest = sha256_file(target)
        logged = not contains_personal_data
        if logged:
            self.tracker.log_artifact(target, "outputs")
        record = OutputRecord(name, target, digest, target.stat().st_size, logged)
        self.outputs[name] = record
        self._ledger(
            "output", {"name": name, "sha256": digest, "size": record.size, "mlflow": logged}
        )
        return record

    def disclosure(self, output: str) -> DisclosureLabel:
        """The disclosure label of one output of this run (review pending)."""
        record = self.outputs[output]
        return DisclosureLabel(
            ai_involvement=self.ai_involvement,
            model=self._model_name(),
            provider=self._provider_name(),
            produced_on=utc_now().date(),
            run_id=self.id,
            output_sha256=record.sha256,
            review_state="pending",
            method=self._method_if_distinct(),
            offline=self.facts.runs_on_this_machine,
        )

    def _method_if_distinct(self) -> str:
        method = str(self.summary.get("method", ""))
        return "" if method == self._model_name() else method

    def _model_name(self) -> str:
        if self._last_completion is not None:
            return self._last_completion.model
        if self._local_engine is not None:
            return self._local_engine[0]
        if "method" in self.summary:  # no model was called: the method is what produced it
            return str(self.summary["method"])
        return self.facts.alias.model if self.facts.alias else self.kind

    def _provider_name(self) -> str:
        if self._last_completion is not None:
            return self._last_completion.provider
        if self._local_engine is not None:
            return self._local_engine[1]
        if self.facts.alias is not None:
            return self.facts.alias.provider_label
        return "garant"

    # --- trail ------------------------------------------------------------------------------

    def log_params(self, **params: Any) -> None:
        self.tracker.log_params({f"analysis.{k}": v for k, v in params.items()})

    def log_metrics(self, **metrics: float | None) -> None:
        self.tracker.log_metrics({f"analysis.{k}": v for k, v in metrics.items()})

    def _ledger(self, event: LedgerEvent, payload: dict[str, Any]) -> int:
        """One committed ledger entry per event (its sequence number); the anchor moves at the
        run's end. Another process appending at the same moment makes it retry."""

        def append() -> int:
            with unit_of_work(self.workspace.engine) as session:
                return append_event(session, event, payload, self.id).seq

        return retry_on_contention(append)


@dataclass(frozen=True)
class RunGateway:
    """The ``ModelGateway`` an analysis receives inside an audited run: every call goes through
    the run (pseudonymisation, span, ledger) and only to the model alias the gate checked."""

    run: AuditedRun

    def complete(self, alias: str, messages: list[ChatMessage], **parameters: Any) -> Completion:
        return self.run.complete(messages, alias=alias, **parameters)

    def transcribe(
        self, alias: str, audio: Path, language: str | None = None, **parameters: Any
    ) -> TranscriptionResult:
        return self.run.transcribe(audio, language, alias, **parameters)


def _as_bytes(content: str | bytes | Path) -> bytes:
    if isinstance(content, Path):
        return content.read_bytes()
    return content.encode("utf-8") if isinstance(content, str) else content


def _is_text_file(path: Path) -> bool:
    return path.suffix.lower() in {".txt", ".csv", ".md", ".json", ".jsonl", ".vtt", ".srt", ".eml"}


def _call_attributes(completion: Completion) -> dict[str, Any]:
    return {
        "model": completion.model,
        "provider": completion.provider,
        "offline": completion.offline,
        "prompt_tokens": completion.prompt_tokens,
        "completion_tokens": completion.completion_tokens,
        "cost_usd": completion.cost_usd,
        "latency_s": completion.latency_s,
        "energy_kwh": completion.impact.energy_kwh,
        "gwp_kgco2eq": completion.impact.gwp_kgco2eq,
        "impact_source": completion.impact.source,
    }


# --- the context manager ----------------------------------------------------------------------


@contextmanager
def audited_run(
    workspace: Workspace,
    *,
    use: str,
    kind: str,
    operator: str,
    model_alias: str | None = None,
    tool: str | None = None,
    gateway: ModelGateway | None = None,
    policy: Policy | None = None,
    purposes: frozenset[str] = frozenset(),
    pseudonymisation_available: bool = True,
    parameters: dict[str, Any] | None = None,
    ai_involvement: AIInvolvement = "generated",
    pseudonymisation_mode: str = "full",
    tracker: MlflowTracker | RunQueue | None = None,
) -> Iterator[AuditedRun]:
    """Check the policy, open the trail, yield the run, then close it as finished or failed.

    MLflow receives the run from its queue after the run (``tracker`` sends it live instead).
    """
    from garant.audit.interrupted import close_interrupted_runs

    close_interrupted_runs(workspace)
    policy = policy or _workspace_policy(workspace)
    alias = _resolve_alias(workspace, model_alias)
    run_id = new_run_id()
    facts = _gather(workspace, kind, use, operator, model_alias, alias, tool)
    decision = decide(facts, policy, purposes, pseudonymisation_available, pseudonymisation_mode)
    if not decision.allowed:
        _record_refusal(workspace, run_id, facts, decision)
        decision.raise_if_refused()
    if model_alias is not None and gateway is None:
        from garant.llm import Gateway

        gateway = Gateway.from_settings(workspace.settings)
    run = AuditedRun(
        id=run_id,
        kind=kind,
        workspace=workspace,
        facts=facts,
        decision=decision,
        gateway=gateway,
        tracker=tracker or RunQueue(queue_root(workspace.root) / run_id),
        pseudonymisation_mode=pseudonymisation_mode,
        ai_involvement=ai_involvement,
        outputs_dir=workspace.runs_dir / run_id,
        policy=policy,
    )
    _record_start(run, parameters or {})
    try:
        yield run
    except BaseException as error:
        _record_failure(run, error)
        _schedule_mirror(workspace)
        raise
    _record_finish(run)
    _schedule_mirror(workspace)


def _schedule_mirror(workspace: Workspace) -> None:
    from garant.audit.mlflow_mirror import schedule_flush

    schedule_flush(workspace)


def _workspace_policy(workspace: Workspace) -> Policy:
    from garant.audit.policy_bridge import workspace_policy

    return workspace_policy(workspace)


def _resolve_alias(workspace: Workspace, name: str | None) -> ModelAlias | None:
    if name is None:
        return None
    from garant.llm.gateway import Gateway

    return Gateway.from_settings(workspace.settings).resolve(name)


def _gather(
    workspace: Workspace,
    kind: str,
    use: str,
    operator: str,
    alias_name: str | None,
    alias: ModelAlias | None,
    tool: str | None,
) -> GateFacts:
    with unit_of_work(workspace.engine) as session:
        return gather_facts(
            session,
            kind=kind,
            use_ref=use,
            operator_ref=operator,
            alias_name=alias_name,
            alias=alias,
            tool_ref=tool,
        )


def _run_row(run_id: str, facts: GateFacts, decision: GateDecision, status: str) -> AuditRun:
    return AuditRun(
        id=run_id,
        kind=facts.kind,
        use_id=facts.use.id if facts.use else None,
        use_key=facts.use.key if facts.use else facts.use_ref,
        tool_key=facts.tool.key if facts.tool else "",
        operator_key=facts.operator.key if facts.operator else facts.operator_ref,
        status=status,
        model_alias=facts.alias_name or "",
        model=facts.alias.model if facts.alias else "",
        provider=facts.alias.provider_label if facts.alias else "",
        offline=facts.runs_on_this_machine,
        pseudonymised=decision.pseudonymisation_required or facts.handles_personal_data,
        policy_version=policy_label(decision),
        garant_version=__version__,
    )


def _engine_params(recorded: dict[str, str]) -> dict[str, str | None]:
    """The MLflow params next to ``pseudonymisation``: the engine, in full mode its NER model."""
    return {
        "pseudonymisation_engine": recorded["engine"],
        "ner_model": recorded.get("ner_model"),
        "ner_model_version": recorded.get("ner_model_version"),
        "spacy_version": recorded.get("spacy_version"),
    }


def _gate_payload(
    facts: GateFacts, decision: GateDecision, engine: dict[str, str] | None = None
) -> dict[str, Any]:
    """The gate's decision as the ledger records it; ``engine``: the pseudonymisation
    provenance of a run that pseudonymises (absent otherwise, and in ledgers before 2026-12)."""
    payload = {
        "allowed": decision.allowed,
        "refusals": [{"rule": r.rule, "reason": r.message_fr} for r in decision.refusals],
        "policy": policy_label(decision),
        "use": facts.use.key if facts.use else facts.use_ref,
        "tool": facts.tool.key if facts.tool else "",
        "operator": facts.operator.key if facts.operator else facts.operator_ref,
        "operator_roles": sorted(facts.operator_roles),
        "model_alias": facts.alias_name or "",
        "hosting": str(facts.hosting),
        "pseudonymise": decision.pseudonymisation_required or facts.handles_personal_data,
        "pseudonymisation_rules": list(decision.pseudonymisation_rules),
        "pseudonymisation_settings": decision.pseudonymisation_settings.model_dump(mode="json"),
    }
    if engine is not None:
        payload["pseudonymisation_engine"] = engine
    return payload


def _record_refusal(
    workspace: Workspace, run_id: str, facts: GateFacts, decision: GateDecision
) -> None:
    def record() -> None:
        row = _run_row(run_id, facts, decision, "refused")
        row.refusal_rule = decision.refusals[0].rule
        row.refusal_reason = "\n".join(refusal.message for refusal in decision.refusals)
        row.ended_at = utc_now()
        with unit_of_work(workspace.engine) as session:
            session.add(row)
            append_event(session, "run_refused", _gate_payload(facts, decision), run_id)

    retry_on_contention(record)
    write_head(workspace.engine, ledger_anchor(workspace))


def _record_start(run: AuditedRun, parameters: dict[str, Any]) -> None:
    facts = run.facts
    tags = {
        "garant.kind": run.kind,
        "garant.run_id": run.id,
        "garant.use": facts.use.key if facts.use else "",
        "garant.operator": facts.operator.key if facts.operator else "",
        "garant.status": "started",
        "garant.offline": str(facts.runs_on_this_machine).lower(),
    }
    mlflow_run_id = run.tracker.start(f"{run.kind}-{run.id}", tags)
    # One trace per run: model calls are child spans, exported once when the run closes.
    run._root_span.enter_context(
        run.tracker.span(
            f"{run.kind}-{run.id}", "CHAIN", {"run_id": run.id, "use": tags["garant.use"]}
        )
    )
    alias = facts.alias
    engine = run.pseudonymisation_provenance() if run.pseudonymise_required else None
    run._engine_recorded = engine is not None
    run.tracker.log_params(
        {
            "use": facts.use.key if facts.use else "",
            "tool": facts.tool.key if facts.tool else "",
            "kind": run.kind,
            "operator": facts.operator.key if facts.operator else "",
            "model_alias": facts.alias_name,
            "model": alias.model if alias else None,
            "provider": alias.provider_label if alias else None,
            "hosting": str(facts.hosting),
            "api_base": public_url(alias.api_base) if alias and alias.api_base else None,
            "temperature": alias.temperature if alias else None,
            "timeout_s": alias.timeout_s if alias else None,
            "max_retries": alias.max_retries if alias else None,
            "pseudonymisation": run.pseudonymisation_mode
            if run.pseudonymise_required
            else "non requise",
            **(_engine_params(engine) if engine else {}),
            "policy_version": policy_label(run.decision),
            "garant_version": __version__,
            "electricity_mix_zone": run.workspace.settings.electricity_mix_zone,
            **{f"param.{k}": v for k, v in parameters.items()},
        }
    )
    from garant.audit.interrupted import process_identity

    process = process_identity()

    def record() -> None:
        row = _run_row(run.id, facts, run.decision, "started")
        row.mlflow_run_id = mlflow_run_id
        row.ai_involvement = run.ai_involvement
        row.summary = {"process": process}
        with unit_of_work(run.workspace.engine) as session:
            session.add(row)
            append_event(
                session, "gate_decision", _gate_payload(facts, run.decision, engine), run.id
            )
            started: dict[str, Any] = {
                "kind": run.kind,
                "parameters": parameters,
                "process": process,
            }
            if mlflow_run_id:
                started["mlflow_run_id"] = mlflow_run_id
            append_event(session, "run_started", started, run.id)

    retry_on_contention(record)
    write_head(run.workspace.engine, ledger_anchor(run.workspace))


def _metrics(run: AuditedRun, duration_s: float) -> dict[str, float | None]:
    totals = run.totals
    return {
        "model_calls": totals.calls,
        "prompt_tokens": totals.prompt_tokens,
        "completion_tokens": totals.completion_tokens,
        "cost_usd": totals.cost_usd if totals.calls else None,
        "model_latency_s": totals.latency_s,
        "energy_kwh": totals.energy_kwh if totals.calls else None,
        "gwp_kgco2eq": totals.gwp_kgco2eq if totals.calls else None,
        "duration_s": duration_s,
    }


def _finish_row(run: AuditedRun, status: str, error: str = "") -> dict[str, Any]:
    info = retry_on_contention(lambda: _write_finish_row(run, status, error))
    write_head(run.workspace.engine, ledger_anchor(run.workspace))
    return info


def _write_finish_row(run: AuditedRun, status: str, error: str) -> dict[str, Any]:
    with unit_of_work(run.workspace.engine) as session:
        row = session.get(AuditRun, run.id)
        assert row is not None
        row.status, row.ended_at, row.error = status, utc_now(), error[:4000]
        row.input_hashes = dict(run.input_hashes)
        row.output_hashes = {name: record.sha256 for name, record in run.outputs.items()}
        process = row.summary.get("process") if isinstance(row.summary, dict) else None
        row.summary = {**run.summary, "totals": _metrics(run, 0.0), "process": process}
        if run._last_completion is not None or run._local_engine is not None:
            row.model, row.provider = run._model_name(), run._provider_name()
        session.add(row)
        event: LedgerEvent = "run_finished" if status == "finished" else "run_failed"
        payload: dict[str, Any] = {"outputs": row.output_hashes, "inputs": row.input_hashes}
        if error:
            payload["error"] = error.split(":", 1)[0]  # the kind only: messages may name people
        append_event(session, event, payload, run.id)
        started = row.started_at
    return {"started_at": started}


def _keep_mapping(run: AuditedRun) -> None:
    """Save the pseudonym mapping locally (0600) so an authorised person can re-identify."""
    if run._mapping is not None and len(run._mapping):
        run.mapping_path().parent.mkdir(parents=True, exist_ok=True)
        run._mapping.save(run.mapping_path())


def _record_finish(run: AuditedRun) -> None:
    _keep_mapping(run)
    run._root_span.close()
    info = _finish_row(run, "finished")
    duration = (utc_now() - info["started_at"]).total_seconds()
    manifest = {
        "run_id": run.id,
        "status": "finished",
        "outputs": {name: record.sha256 for name, record in run.outputs.items()},
        "inputs": run.input_hashes,
        "disclosures": {name: run.disclosure(name).as_dict() for name in run.outputs},
    }
    atomic_write_text(run.outputs_dir / "run.json", _json(manifest))
    run.tracker.log_dict(manifest, "run.json")
    run.tracker.finish(
        "FINISHED",
        metrics=_metrics(run, duration),
        params={"impact_source": " ; ".join(sorted(run._impact_sources))}
        if run._impact_sources
        else {},
        tags={"garant.status": "finished", "garant.ai_involvement": run.ai_involvement},
    )


def _error_kind(error: BaseException) -> str:
    """What may be logged of an error: its type and the rule it names, never its message
    (messages can carry file paths, ids or names, and the ledger cannot be erased)."""
    rule = getattr(error, "rule", "")
    return f"{type(error).__name__} ({rule})" if rule else type(error).__name__


def _record_failure(run: AuditedRun, error: BaseException) -> None:
    message = f"{type(error).__name__}: {error}"
    with suppress(Exception):
        run._root_span.close()
    for record in run.outputs.values():
        record.path.unlink(missing_ok=True)
    run.outputs.clear()
    if run.outputs_dir.exists():
        shutil.rmtree(run.outputs_dir)
    run.outputs_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(
        run.outputs_dir / "FAILED.json",
        _json({"run_id": run.id, "status": "failed", "error": _error_kind(error)}),
    )
    _finish_row(run, "failed", message)
    with suppress(Exception):
        run.tracker.finish(
            "FAILED", tags={"garant.status": "failed", "garant.error": _error_kind(error)}
        )


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)
