"""The approved policy's ``pseudonymisation`` settings govern audited runs (ask, synthesis):
undeclared personal data refused with its rule and nothing of it written, public office holders'
names kept readable while private names stay masked, a draft change without effect until
approved, and the setting that applied recorded in the run's ``gate_decision`` entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select
from workspace_support import gate_decisions, record_policy_approval

from garant.analyses.synthesis.audited import corpus_dir, ingest, synthesise
from garant.analyses.synthesis.corpus import load_corpus
from garant.analyses.transcription.audited import PSEUDONYMISED_FILE, run_transcription
from garant.audit.run import audited_run
from garant.domain.inputs import UseInput
from garant.domain.models import AuditRun, LedgerEntry
from garant.errors import PolicyRefusal
from garant.governance.uses import add_use
from garant.llm.testing import RecordingGateway
from garant.llm.types import ChatMessage
from garant.store.engine import unit_of_work
from garant.workspace import Workspace

PRIVATE = ("Fatoumata Diallo", "06 12 34 56 78")
POSTER = "Affiche pour Mme Fatoumata Diallo, tél. 06 12 34 56 78 : réunion publique jeudi."
ARGUMENT = (
    "Emmanuel Macron avait promis la baisse des impôts ; M. Kévin Nguyen, mon voisin, "
    "attend toujours."
)


def _set_policy(workspace: Workspace, undeclared: str, keep: bool, *, approve: bool) -> None:
    """Write the ``pseudonymisation`` section into the workspace's policy file (and record its
    approval, as ``garant policy approve`` would, when ``approve``)."""
    path = workspace.policies_dir / "politique.yaml"
    text = path.read_text(encoding="utf-8").split("\npseudonymisation:\n")[0].rstrip("\n")
    section = (
        f"\npseudonymisation:\n  undeclared_personal_data: {undeclared}\n"
        f"  keep_public_office_holders: {str(keep).lower()}\n"
    )
    path.write_text(text + "\n" + section, encoding="utf-8")
    if approve:
        record_policy_approval(workspace)


def _ask(workspace: Workspace, use: str, text: str) -> tuple[str, str]:
    """One audited ``ask``-kind run: the prompt recorded as input, then sent; returns the run id
    and the text the gateway received."""
    gateway = RecordingGateway()
    gateway.enqueue("Réponse.")
    with audited_run(
        workspace,
        use=use,
        kind="ask",
        operator="claire-martin",
        model_alias="hors-ligne",
        gateway=gateway,
        pseudonymisation_mode="patterns",
    ) as run:
        run.add_input("prompt.txt", text)
        run.complete([ChatMessage("user", text)])
    return run.id, gateway.calls[0].messages[0].content


def _files_holding(root: Path, values: tuple[str, ...]) -> list[str]:
    """Files of the workspace holding one of ``values``, except ``private/`` (the local pseudonym
    tables, which hold them by design and never leave the machine)."""
    found = []
    for path in root.rglob("*"):
        if path.is_relative_to(root / "private"):
            continue
        if path.is_file():
            data = path.read_bytes().decode("utf-8", errors="replace")
            found += [f"{path.relative_to(root)}: {v}" for v in values if v in data]
    return found


def test_refuse_setting_stops_an_undeclared_data_run_with_its_rule_and_writes_nothing_of_it(
    audit_workspace: Workspace,
) -> None:
    _set_policy(audit_workspace, "refuse", False, approve=True)
    gateway = RecordingGateway()
    with (
        pytest.raises(PolicyRefusal) as caught,
        audited_run(
            audit_workspace,
            use="affiches",  # declared without personal data
            kind="ask",
            operator="claire-martin",
            model_alias="hors-ligne",
            gateway=gateway,
            pseudonymisation_mode="patterns",
        ) as run,
    ):
        run.add_input("prompt.txt", POSTER)
        run.complete([ChatMessage("user", POSTER)])
    assert caught.value.rule == "data.undeclared_personal_data"
    assert "données personnelles" in caught.value.message
    assert gateway.calls == []
    with unit_of_work(audit_workspace.engine) as session:
        row = session.get(AuditRun, run.id)
        assert row is not None and row.status == "failed"
        assert "data.undeclared_personal_data" in row.error
    assert [p.name for p in run.outputs_dir.iterdir()] == ["FAILED.json"]
    assert not run.mapping_path().exists()
    entries = gate_decisions(audit_workspace, run.id)
    assert entries[-1]["action"] == "refuse"
    # Neither the MLflow queue nor the run folder nor the ledger holds the personal data.
    assert _files_holding(audit_workspace.root, PRIVATE) == []
    assert not any(value in json.dumps(entries) for value in PRIVATE)


def test_default_setting_pseudonymises_undeclared_data_in_the_logged_input_too(
    audit_workspace: Workspace,
) -> None:
    run_id, sent = _ask(audit_workspace, "affiches", POSTER)
    assert not any(value in sent for value in PRIVATE)
    assert _files_holding(audit_workspace.root, PRIVATE) == []
    assert [e["action"] for e in gate_decisions(audit_workspace, run_id) if "action" in e] == [
        "pseudonymise",
        "pseudonymise",  # the input copy, then the prompt sent
    ]


def test_refuse_written_in_a_draft_governs_only_once_approved(
    audit_workspace: Workspace,
) -> None:
    _set_policy(audit_workspace, "refuse", False, approve=False)
    run_id, sent = _ask(audit_workspace, "affiches", POSTER)  # the approved version governs
    assert "Diallo" not in sent
    decision = gate_decisions(audit_workspace, run_id)[0]
    assert decision["pseudonymisation_settings"] == {
        "undeclared_personal_data": "pseudonymise",
        "keep_public_office_holders": False,
    }
    record_policy_approval(audit_workspace)
    with pytest.raises(PolicyRefusal) as caught:
        _ask(audit_workspace, "affiches", POSTER)
    assert caught.value.rule == "data.undeclared_personal_data"


def test_keeping_office_holders_leaves_their_names_readable_and_masks_private_names(
    audit_workspace: Workspace,
) -> None:
    _, masked = _ask(audit_workspace, "synthese", ARGUMENT)  # default: every name masked
    assert "Macron" not in masked and "Nguyen" not in masked
    _set_policy(audit_workspace, "pseudonymise", True, approve=True)
    run_id, kept = _ask(audit_workspace, "synthese", ARGUMENT)
    assert kept.startswith("Emmanuel Macron avait promis la baisse des impôts")
    assert "Nguyen" not in kept and "<PERSONNE_" in kept
    decision = gate_decisions(audit_workspace, run_id)[0]
    assert decision["allowed"] is True
    assert decision["pseudonymisation_settings"] == {
        "undeclared_personal_data": "pseudonymise",
        "keep_public_office_holders": True,
    }


def test_office_holders_kept_by_the_policy_are_not_undeclared_personal_data(
    audit_workspace: Workspace,
) -> None:
    _set_policy(audit_workspace, "refuse", True, approve=True)
    text = "Emmanuel Macron a inauguré la médiathèque."
    _, sent = _ask(audit_workspace, "affiches", text)
    assert sent == text


def _ingest_argument(workspace: Workspace, tmp_path: Path, name: str) -> None:
    source = tmp_path / f"{name}.jsonl"
    lines = [
        {"id": "1", "text": ARGUMENT},
        {"id": "2", "text": "Je demande plus de transports en commun le soir, dit Mme Diallo."},
    ]
    source.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    ingest(workspace, name, source, "jsonl", pseudonymisation="patterns")


def test_synthesis_corpus_follows_the_approved_setting_and_records_it(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    _set_policy(audit_workspace, "pseudonymise", True, approve=False)  # a draft: no effect
    _ingest_argument(audit_workspace, tmp_path, "brouillon")
    masked = load_corpus(corpus_dir(audit_workspace, "brouillon")).contributions[0]
    assert "Macron" not in masked.text_pseudonymised
    record_policy_approval(audit_workspace)
    _ingest_argument(audit_workspace, tmp_path, "debat")
    corpus = load_corpus(corpus_dir(audit_workspace, "debat"))
    texts = [item.text_pseudonymised for item in corpus.contributions]
    assert texts[0].startswith("Emmanuel Macron avait promis")
    assert not any("Nguyen" in t or "Diallo" in t for t in texts)
    assert corpus.manifest.sources[0].pseudonymiser == (
        "garant-fr (patterns; keep_public_office_holders)"
    )
    outcome = synthesise(audit_workspace, "debat", use="synthese", operator="claire-martin")
    report = (outcome.folder / "synthese.md").read_text(encoding="utf-8")
    assert "Emmanuel Macron" in report and "Nguyen" not in report
    started = _run_started(audit_workspace, outcome.run_id)
    assert started["parameters"]["corpus_pseudonymisation"] == (
        "garant-fr (patterns; keep_public_office_holders)"
    )


def test_synthesis_refuses_a_corpus_whose_kept_names_the_policy_now_masks(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    _set_policy(audit_workspace, "pseudonymise", True, approve=True)
    _ingest_argument(audit_workspace, tmp_path, "debat")
    _set_policy(audit_workspace, "pseudonymise", False, approve=True)
    with pytest.raises(PolicyRefusal) as caught:
        synthesise(audit_workspace, "debat", use="synthese", operator="claire-martin")
    assert caught.value.rule == "pseudonymisation.keep_public_office_holders"
    assert "importez à nouveau" in caught.value.hint.lower()


def test_transcription_follows_the_office_holders_setting(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    with unit_of_work(audit_workspace.engine) as session:
        add_use(
            session,
            UseInput(
                title="Comptes rendus",
                purpose="Transcrire les réunions publiques",
                stage="animation",
                tools=["garant-hors-ligne"],
                data_categories=["personal"],
                status="approved",
                key="comptes-rendus",
            ),
            "t",
        )
    source = tmp_path / "reunion.vtt"
    source.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:06.000\n<v Jeanne Morel>" + ARGUMENT + "\n",
        encoding="utf-8",
    )

    def transcribed() -> str:
        outcome = run_transcription(
            audit_workspace,
            source,
            use="comptes-rendus",
            operator="claire-martin",
            backend="import",
            pseudonymisation_mode="patterns",
        )
        return (outcome.folder / PSEUDONYMISED_FILE).read_text(encoding="utf-8")

    assert "Macron" not in transcribed()
    _set_policy(audit_workspace, "pseudonymise", True, approve=True)
    kept = transcribed()
    assert "Emmanuel Macron avait promis" in kept
    assert "Nguyen" not in kept and "Jeanne Morel" not in kept


def _run_started(workspace: Workspace, run_id: str) -> dict[str, dict[str, object]]:
    with unit_of_work(workspace.engine) as session:
        entry = session.exec(
            select(LedgerEntry).where(
                LedgerEntry.run_id == run_id, LedgerEntry.event == "run_started"
            )
        ).one()
        payload: dict[str, dict[str, object]] = json.loads(entry.payload)
        return payload
