"""Exports (WebVTT, SRT, Markdown minutes, JSON) and their round trips."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from garant.analyses.transcription import (
    AudioInfo,
    EngineInfo,
    ExportFormat,
    Segment,
    Transcript,
    export,
    import_transcript,
    load_transcript,
    render,
    save_transcript,
)
from garant.errors import InputError
from garant.i18n import set_language

GOLDEN = Path(__file__).parent / "golden"


def _meeting() -> Transcript:
    return Transcript(
        language="fr",
        segments=(
            Segment(
                start_s=0.0, end_s=3.25, text="Bonjour à toutes et à tous.", speaker="Marie Dupont"
            ),
            Segment(start_s=3.25, end_s=6.5, text="La séance est ouverte.", speaker="Marie Dupont"),
            Segment(
                start_s=7.0,
                end_s=12.125,
                text="Je propose <une> piste & un parking.",
                speaker="Jean Martin",
            ),
            Segment(
                start_s=3725.5, end_s=3730.0, text="Intervention depuis la salle.", confidence=0.8
            ),
        ),
        engine=EngineInfo(backend="local", engine="faster-whisper 1.2.1", model="large-v3"),
        audio=AudioInfo(
            file_name="conseil.wav",
            sha256="ab" * 32,
            size_bytes=1000,
            duration_s=3731.0,
            sample_rate=16000,
            channels=1,
            format="wav",
        ),
        created_at=datetime(2026, 11, 23, 18, 0, tzinfo=UTC),
    )


def _essentials(transcript: Transcript) -> list[tuple[float | None, float | None, str | None, str]]:
    return [(s.start_s, s.end_s, s.speaker, s.text) for s in transcript.segments]


@pytest.mark.parametrize("fmt", ["vtt", "srt", "txt"])
def test_export_then_import_gives_the_same_segments(tmp_path: Path, fmt: ExportFormat) -> None:
    original = _meeting()
    path = export(original, fmt, tmp_path / f"reunion.{fmt}")
    assert _essentials(import_transcript(path)) == _essentials(original)


def test_webvtt_export_uses_voice_tags_and_escapes_text() -> None:
    text = render(_meeting(), "vtt")
    assert text.startswith("WEBVTT\n")
    assert (
        "00:00:07.000 --> 00:00:12.125\n<v Jean Martin>Je propose &lt;une&gt; piste &amp; un parking."
        in text
    )
    assert "01:02:05.500 --> 01:02:10.000\nIntervention depuis la salle." in text


def test_markdown_minutes_match_the_golden_file() -> None:
    set_language("fr")
    expected = (GOLDEN / "compte-rendu.md").read_text(encoding="utf-8")
    assert render(_meeting(), "md", title="Conseil municipal du 23/11/2026") == expected


def test_markdown_minutes_in_english_on_request() -> None:
    set_language("en")
    try:
        text = render(_meeting(), "md")
    finally:
        set_language("fr")
    assert text.startswith("# Meeting minutes")
    assert "AI-generated text" in text


def test_untimed_transcript_cannot_be_exported_as_subtitles(tmp_path: Path) -> None:
    untimed = _meeting().model_copy(
        update={"segments": (Segment(start_s=None, end_s=None, text="Bonjour."),)}
    )
    with pytest.raises(InputError, match="horodatage"):
        export(untimed, "srt", tmp_path / "x.srt")
    assert not (tmp_path / "x.srt").exists()
    assert "Bonjour." in render(untimed, "md")


def test_incomplete_transcript_is_never_exported(tmp_path: Path) -> None:
    partial = _meeting().model_copy(update={"complete": False})
    formats: list[ExportFormat] = ["vtt", "srt", "txt", "md", "json"]
    for fmt in formats:
        with pytest.raises(InputError, match="incomplète"):
            export(partial, fmt, tmp_path / f"x.{fmt}")
    assert list(tmp_path.iterdir()) == []


def test_json_save_and_load_round_trip_with_stable_hash(tmp_path: Path) -> None:
    original = _meeting()
    path = save_transcript(original, tmp_path / "t.json")
    loaded = load_transcript(path)
    assert loaded == original
    assert loaded.sha256() == original.sha256()
    assert render(original, "json") == path.read_text(encoding="utf-8")


def test_load_refuses_incomplete_unless_asked(tmp_path: Path) -> None:
    path = save_transcript(_meeting().model_copy(update={"complete": False}), tmp_path / "t.json")
    with pytest.raises(InputError, match="incomplète"):
        load_transcript(path)
    assert not load_transcript(path, allow_incomplete=True).complete


def test_load_names_the_damaged_field(tmp_path: Path) -> None:
    path = save_transcript(_meeting(), tmp_path / "t.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["segments"][1]["end_s"] = 1.0  # before its start
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_transcript(path)
    assert "t.json" in caught.value.message
    assert "segments.1" in caught.value.message


def test_trace_summary_records_audio_engine_and_hash_without_text() -> None:
    meeting = _meeting()
    summary = meeting.trace_summary()
    assert summary["audio_sha256"] == "ab" * 32
    assert summary["audio_duration_s"] == 3731.0
    assert summary["audio_sample_rate"] == 16000
    assert summary["model"] == "large-v3"
    assert summary["transcript_sha256"] == meeting.sha256()
    assert summary["segments"] == 4 and summary["speakers"] == 2
    assert not any("Bonjour" in str(value) for value in summary.values())
