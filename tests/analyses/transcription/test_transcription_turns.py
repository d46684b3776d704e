"""Speaker turns, pseudonymisation, hand-off to the synthesis corpus, package hygiene."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import garant.analyses.transcription as transcription
from garant.analyses.transcription import (
    EngineInfo,
    Segment,
    Transcript,
    import_transcript,
    pseudonymise_transcript,
    to_turns,
)
from garant.errors import InputError


def _transcript(*segments: tuple[float, float, str | None, str]) -> Transcript:
    return Transcript(
        language="fr",
        segments=tuple(Segment(start_s=a, end_s=b, speaker=s, text=t) for a, b, s, t in segments),
        engine=EngineInfo(backend="import", engine="import webvtt"),
    )


MEETING = _transcript(
    (0.0, 2.0, "Marie Dupont", "Bonjour."),
    (2.0, 4.0, "Marie Dupont", "La séance est ouverte."),
    (4.5, 6.0, "Jean Martin", "Merci Marie Dupont, mon numéro est le 06 12 34 56 78."),
    (6.0, 7.0, None, "Bruit de salle."),
    (7.0, 8.0, None, "Applaudissements."),
    (8.0, 9.0, "Marie Dupont", "Jean Martin a raison."),
)


def test_consecutive_segments_of_a_speaker_merge_into_one_turn() -> None:
    assert to_turns(MEETING) == [
        {
            "id": "t0001",
            "speaker": "Marie Dupont",
            "start_s": 0.0,
            "end_s": 4.0,
            "text": "Bonjour. La séance est ouverte.",
        },
        {
            "id": "t0002",
            "speaker": "Jean Martin",
            "start_s": 4.5,
            "end_s": 6.0,
            "text": "Merci Marie Dupont, mon numéro est le 06 12 34 56 78.",
        },
        {"id": "t0003", "speaker": None, "start_s": 6.0, "end_s": 7.0, "text": "Bruit de salle."},
        {"id": "t0004", "speaker": None, "start_s": 7.0, "end_s": 8.0, "text": "Applaudissements."},
        {
            "id": "t0005",
            "speaker": "Marie Dupont",
            "start_s": 8.0,
            "end_s": 9.0,
            "text": "Jean Martin a raison.",
        },
    ]


def test_incomplete_transcript_gives_no_turns() -> None:
    with pytest.raises(InputError, match="incomplète"):
        to_turns(MEETING.model_copy(update={"complete": False}))


def _mask_phones(texts: list[str]) -> list[str]:
    import re

    return [re.sub(r"0\d( \d\d){4}", "<TELEPHONE>", text) for text in texts]


def test_pseudonymised_copy_maps_speakers_consistently_in_labels_and_text() -> None:
    safe = pseudonymise_transcript(MEETING, _mask_phones)
    assert [s.speaker for s in safe.segments] == [
        "Intervenant·e 1",
        "Intervenant·e 1",
        "Intervenant·e 2",
        None,
        None,
        "Intervenant·e 1",
    ]
    assert safe.segments[2].text == "Merci Intervenant·e 1, mon numéro est le <TELEPHONE>."
    assert safe.segments[5].text == "Intervenant·e 2 a raison."
    assert safe.pseudonymised and not MEETING.pseudonymised
    assert safe.derived_from_sha256 == MEETING.sha256()
    assert MEETING.segments[2].text.startswith("Merci Marie Dupont")  # original untouched


def test_pseudonymiser_is_called_once_with_every_text() -> None:
    batches: list[list[str]] = []

    def record(texts: list[str]) -> list[str]:
        batches.append(list(texts))
        return texts

    safe = pseudonymise_transcript(MEETING, record, speaker_mapping={"Jean Martin": "Élu·e A"})
    assert len(batches) == 1 and len(batches[0]) == len(MEETING.segments)
    assert "Jean Martin" not in batches[0][5]  # the name never reaches the text pseudonymiser
    assert safe.segments[5].text == "Élu·e A a raison."


def test_pseudonymiser_returning_the_wrong_count_is_refused() -> None:
    with pytest.raises(InputError, match="6 segments"):
        pseudonymise_transcript(MEETING, lambda texts: texts[:-1])


def test_real_privacy_pseudonymiser_fits_the_hook() -> None:
    import garant.privacy as privacy

    pseudonymiser = privacy.Pseudonymiser("patterns")
    mapping = privacy.PseudonymMapping()

    def hook(texts: list[str]) -> list[str]:
        return [result.text for result in pseudonymiser.pseudonymise_many(texts, mapping)]

    safe = pseudonymise_transcript(MEETING, hook)
    assert "06 12 34 56 78" not in safe.text
    assert "Marie Dupont" not in safe.text and "Jean Martin" not in safe.text
    assert safe.segments[0].text == "Bonjour."


def test_transcript_turns_flow_into_a_synthesis_corpus(tmp_path: Path) -> None:
    import garant.analyses.synthesis.corpus as corpus_module
    import garant.analyses.synthesis.ingest as ingest

    vtt = tmp_path / "atelier.vtt"
    vtt.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Marie Dupont>Il faut une piste cyclable.\n\n"
        "00:00:03.000 --> 00:00:05.000\n<v Marie Dupont>Et des arceaux.\n\n"
        "00:00:06.000 --> 00:00:09.000\n<v Jean Martin>Je préfère plus de bus.\n",
        encoding="utf-8",
    )
    batch = ingest.read_transcript(to_turns(import_transcript(vtt)), name="atelier.vtt")
    corpus_module.add_batch(tmp_path / "corpus", batch)
    corpus = corpus_module.load_corpus(tmp_path / "corpus")
    assert [c.text for c in corpus.contributions] == [
        "Il faut une piste cyclable. Et des arceaux.",
        "Je préfère plus de bus.",
    ]
    assert all(c.source_kind == "transcript" for c in corpus.contributions)
    assert "00:00:01" in corpus.contributions[0].source_position


def test_public_api_is_exported() -> None:
    for name in transcription.__all__:
        assert hasattr(transcription, name), name
    for name in (
        "transcribe",
        "import_transcript",
        "export",
        "to_turns",
        "pseudonymise_transcript",
    ):
        assert name in transcription.__all__


def test_importing_the_package_loads_no_heavy_or_ui_module() -> None:
    code = (
        "import sys, garant.analyses.transcription; "
        "print(sorted(m for m in ('faster_whisper', 'av', 'ctranslate2', 'numpy', 'textual', "
        "'typer', 'litellm') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
