"""Transcription inside an audited run: traced, pseudonymised, and gated when audio would leave."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner
from workspace_support import record_policy_approval

from garant.analyses.transcription.audited import (
    PSEUDONYMISED_FILE,
    TRANSCRIPT_FILE,
    run_transcription,
)
from garant.cli.main import app
from garant.domain.inputs import PersonInput, RoleInput, ToolInput, UseInput
from garant.errors import PolicyRefusal
from garant.governance.people import add_person, assign_role
from garant.governance.tools import add_tool
from garant.governance.uses import add_use
from garant.settings import ModelAlias
from garant.store.engine import unit_of_work
from garant.workspace import Workspace, open_workspace

POLICY = Path(__file__).resolve().parents[2] / "audit" / "politique-test.yaml"

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Jeanne Morel>Bonjour, je suis Jeanne Morel, joignable au 06 12 34 56 78.

00:00:04.500 --> 00:00:08.000
<v Marc Petit>Je demande une piste cyclable rue de la Gare.
"""


@pytest.fixture
def transcription_workspace(workspace_root: Path) -> Workspace:
    shutil.copy(POLICY, workspace_root / "policies" / "politique.yaml")
    workspace = open_workspace(workspace_root)
    record_policy_approval(workspace)
    workspace.settings.models["speech-us"] = ModelAlias(
        model="openai/whisper-1",
        api_key_env="GARANT_TEST_KEY",
        hosting_region="EU",
        provider_label="API (UE)",
    )
    with unit_of_work(workspace.engine) as session:
        add_person(session, PersonInput(full_name="Claire Martin"), "t")
        assign_role(
            session,
            RoleInput(person="claire-martin", role="referent_ia", start_date="2025-01-01"),
            "t",
        )
        add_tool(
            session,
            ToolInput(
                name="Whisper local",
                access_mode="local",
                hosting_region="local",
                status="approved",
                key="whisper-local",
            ),
            "t",
        )
        add_tool(
            session,
            ToolInput(
                name="API de transcription",
                access_mode="api",
                hosting_region="EU",
                status="approved",
                model_alias="speech-us",
                key="api-stt",
            ),
            "t",
        )
        add_use(
            session,
            UseInput(
                title="Transcription",
                purpose="Comptes rendus",
                stage="animation",
                tools=["whisper-local"],
                data_categories=["personal"],
                status="approved",
                key="transcription",
            ),
            "t",
        )
        add_use(
            session,
            UseInput(
                title="Transcription sans données déclarées",
                purpose="Comptes rendus",
                stage="animation",
                tools=["whisper-local"],
                data_categories=["none"],
                status="approved",
                key="transcription-sans-donnees",
            ),
            "t",
        )
        add_use(
            session,
            UseInput(
                title="Transcription API",
                purpose="Comptes rendus",
                stage="animation",
                tools=["api-stt"],
                data_categories=["personal"],
                status="approved",
                key="transcription-api",
            ),
            "t",
        )
    return workspace


def test_imported_vtt_is_traced_and_pseudonymised(
    transcription_workspace: Workspace, tmp_path: Path
) -> None:
    source = tmp_path / "reunion.vtt"
    source.write_text(VTT, encoding="utf-8")
    outcome = run_transcription(
        transcription_workspace,
        source,
        use="transcription",
        operator="claire-martin",
        backend="import",
        pseudonymisation_mode="patterns",
    )
    assert [s.speaker for s in outcome.transcript.segments] == ["Jeanne Morel", "Marc Petit"]
    safe = (outcome.folder / PSEUDONYMISED_FILE).read_text(encoding="utf-8")
    assert "06 12 34 56 78" not in safe and "Jeanne Morel" not in safe and "Marc Petit" not in safe
    assert "Jeanne Morel" in (outcome.folder / TRANSCRIPT_FILE).read_text(encoding="utf-8")
    manifest = json.loads((outcome.folder / "run.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == {
        TRANSCRIPT_FILE,
        PSEUDONYMISED_FILE,
        "transcription-pseudonymisee.vtt",
    }
    assert manifest["disclosures"][PSEUDONYMISED_FILE]["ai_involvement"] == "none"
    shown = CliRunner().invoke(
        app, ["-w", str(transcription_workspace.root), "transcript", "show", outcome.run_id]
    )
    assert (
        shown.exit_code == 0
        and "piste cyclable" in shown.stdout
        and "Marc Petit" not in shown.stdout
    )


def test_audio_to_a_speech_api_is_refused_when_the_policy_needs_pseudonymisation(
    transcription_workspace: Workspace, tmp_path: Path
) -> None:
    audio = tmp_path / "vide.wav"
    audio.write_bytes(b"RIFF")
    with pytest.raises(PolicyRefusal) as refusal:
        run_transcription(
            transcription_workspace,
            audio,
            use="transcription-api",
            operator="claire-martin",
            backend="api",
            model="speech-us",
        )
    assert refusal.value.rule == "data.personal.pseudonymisation"


def test_local_whisper_transcribes_inside_an_audited_run(
    transcription_workspace: Workspace, english_wav: Path
) -> None:
    outcome = run_transcription(
        transcription_workspace,
        english_wav,
        use="transcription",
        operator="claire-martin",
        backend="local",
        language="en",
        pseudonymisation_mode="patterns",
    )
    text = " ".join(s.text for s in outcome.transcript.segments).lower()
    assert "council" in text and "meeting" in text
    assert outcome.label.ai_involvement == "generated"
    from garant.audit.runs import run_events

    with unit_of_work(transcription_workspace.engine) as session:
        events = [e.event for e in run_events(session, outcome.run_id)]
    assert "model_call" in events and events[-1] == "run_finished"


def test_transcript_turns_become_synthesis_contributions_through_the_cli(
    transcription_workspace: Workspace, tmp_path: Path
) -> None:
    source = tmp_path / "reunion.vtt"
    source.write_text(VTT, encoding="utf-8")
    root = str(transcription_workspace.root)
    runner = CliRunner()
    imported = runner.invoke(
        app,
        [
            "-w",
            root,
            "transcribe",
            str(source),
            "--backend",
            "import",
            "--use",
            "transcription",
            "--by",
            "claire-martin",
            "--pseudonymisation",
            "patterns",
        ],
    )
    assert imported.exit_code == 0, imported.stderr
    run_id = json.loads(runner.invoke(app, ["-w", root, "runs", "list", "--json"]).stdout)[0]["id"]
    ingested = runner.invoke(
        app,
        [
            "-w",
            root,
            "synthesis",
            "ingest",
            "reunion",
            "--format",
            "transcript",
            "--from-run",
            run_id,
            "--pseudonymisation",
            "patterns",
        ],
    )
    assert ingested.exit_code == 0, ingested.stderr
    assert "2 contributions" in ingested.stderr
    from garant.analyses.synthesis import load_corpus
    from garant.analyses.synthesis.audited import corpus_dir

    corpus = load_corpus(corpus_dir(transcription_workspace, "reunion"))
    analysed = [c.text_pseudonymised for c in corpus.contributions]
    assert any("piste cyclable" in text for text in analysed)
    assert not any("06 12 34 56 78" in text for text in analysed)  # analysis sees pseudonyms
    assert any("06 12 34 56 78" in c.text for c in corpus.contributions)  # original kept locally


def test_speech_is_pseudonymised_even_when_the_use_declares_no_personal_data(
    transcription_workspace: Workspace, tmp_path: Path
) -> None:
    source = tmp_path / "reunion.vtt"
    source.write_text(VTT, encoding="utf-8")
    outcome = run_transcription(
        transcription_workspace,
        source,
        use="transcription-sans-donnees",
        operator="claire-martin",
        backend="import",
        pseudonymisation_mode="patterns",
    )
    assert "06 12 34 56 78" not in (outcome.folder / PSEUDONYMISED_FILE).read_text(encoding="utf-8")
    mlflow_bytes = b"".join(
        p.read_bytes() for p in (transcription_workspace.root / "mlflow").rglob("*") if p.is_file()
    )
    assert b"06 12 34 56 78" not in mlflow_bytes and b"Jeanne Morel" not in mlflow_bytes
