"""Import of existing transcripts: WebVTT (voice tags), SRT, plain text; errors name the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from garant.analyses.transcription import import_transcript, transcribe
from garant.errors import InputError, NotFoundError

TEAMS_VTT = """\ufeffWEBVTT

NOTE exporté depuis l'outil de visioconférence

a1b2c3/12-0
00:00:01.000 --> 00:00:04.250
<v Marie Dupont>Bonjour à toutes et à tous.</v>

a1b2c3/13-0
00:00:04.500 --> 00:00:07.000 align:start position:10%
<v.loud Jean Martin>Je demande la parole,
merci &amp; bonjour.</v>

00:01:07.000 --> 00:01:09.500
<v Marie Dupont>Oui.</v><v Jean Martin>D'accord.</v>

01:02.000 --> 01:03.000
<b>Texte</b> sans locuteur <00:01:02.500>balisé
"""


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def test_webvtt_voice_tags_give_speakers_and_times(tmp_path: Path) -> None:
    transcript = import_transcript(_write(tmp_path, "reunion.vtt", TEAMS_VTT))
    rows = [(s.start_s, s.end_s, s.speaker, s.text) for s in transcript.segments]
    assert rows == [
        (1.0, 4.25, "Marie Dupont", "Bonjour à toutes et à tous."),
        (4.5, 7.0, "Jean Martin", "Je demande la parole, merci & bonjour."),
        (67.0, 69.5, "Marie Dupont", "Oui."),
        (67.0, 69.5, "Jean Martin", "D'accord."),
        (62.0, 63.0, None, "Texte sans locuteur balisé"),
    ]
    assert transcript.speakers == ["Marie Dupont", "Jean Martin"]
    assert transcript.engine.backend == "import"
    assert transcript.source is not None and transcript.source.format == "webvtt"
    assert len(transcript.source.sha256) == 64


def test_zoom_style_name_prefix_is_read_as_speaker(tmp_path: Path) -> None:
    text = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nClaire Petit : Bonsoir.\n"
    (segment,) = import_transcript(_write(tmp_path, "zoom.vtt", text)).segments
    assert (segment.speaker, segment.text) == ("Claire Petit", "Bonsoir.")


def test_name_prefix_detection_can_be_turned_off(tmp_path: Path) -> None:
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nRemarque : il pleut.\n"
    (segment,) = import_transcript(_write(tmp_path, "a.vtt", text), detect_speakers=False).segments
    assert (segment.speaker, segment.text) == (None, "Remarque : il pleut.")


def test_srt_with_tags_and_windows_1252_is_read(tmp_path: Path) -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:03,500\n<i>Marie Dupont: Séance ouverte.</i>\n\n"
        "2\n00:00:04,000 --> 00:00:06,000\n{\\an8}Deuxième ligne\net suite\n"
    )
    transcript = import_transcript(_write(tmp_path, "pv.srt", text, encoding="cp1252"))
    rows = [(s.start_s, s.end_s, s.speaker, s.text) for s in transcript.segments]
    assert rows == [
        (1.0, 3.5, "Marie Dupont", "Séance ouverte."),
        (4.0, 6.0, None, "Deuxième ligne et suite"),
    ]


def test_plain_text_with_times_and_speakers(tmp_path: Path) -> None:
    text = (
        "[00:00:05] Marie Dupont : Bonjour.\nSuite de la phrase.\n[00:01:10] Jean Martin : Merci.\n"
    )
    transcript = import_transcript(_write(tmp_path, "notes.txt", text))
    rows = [(s.start_s, s.end_s, s.speaker, s.text) for s in transcript.segments]
    assert rows == [
        (5.0, 70.0, "Marie Dupont", "Bonjour. Suite de la phrase."),
        (70.0, 70.0, "Jean Martin", "Merci."),
    ]


def test_plain_text_without_times_gives_untimed_paragraphs(tmp_path: Path) -> None:
    text = "Premier paragraphe\nsur deux lignes.\n\nSecond paragraphe.\n"
    transcript = import_transcript(_write(tmp_path, "notes.txt", text))
    assert [s.text for s in transcript.segments] == [
        "Premier paragraphe sur deux lignes.",
        "Second paragraphe.",
    ]
    assert not transcript.has_timestamps


def test_import_backend_of_transcribe_reads_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "reunion.vtt", TEAMS_VTT)
    via_transcribe = transcribe(path, "import")
    assert via_transcribe.engine.backend == "import"
    assert via_transcribe.segments == import_transcript(path).segments


@pytest.mark.parametrize(
    ("name", "text", "line", "fragment"),
    [
        ("a.vtt", "Bonjour\n\n00:00:01.000 --> 00:00:02.000\nx\n", 1, "WEBVTT"),
        (
            "b.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\n00:00:03.000 -> 00:00:04.000\nx\n",
            6,
            "00:00:03.000 -> 00:00:04.000",
        ),
        ("c.vtt", "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nx\n", 3, "précède"),
        (
            "d.srt",
            "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:0x,000 --> 00:00:04,000\nx\n",
            6,
            "00:00:0x,000",
        ),
        ("e.srt", "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\nsans temps\n", 6, "temps"),
        ("f.vtt", "WEBVTT\n\nNOTE rien\n", 1, "aucun segment"),
    ],
)
def test_malformed_files_are_refused_naming_file_and_line(
    tmp_path: Path, name: str, text: str, line: int, fragment: str
) -> None:
    with pytest.raises(InputError) as caught:
        import_transcript(_write(tmp_path, name, text))
    assert f"{name}, ligne {line} :" in caught.value.message
    assert fragment in caught.value.message
    assert caught.value.hint


def test_empty_transcript_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"Fichier vide.*vide\.vtt"):
        import_transcript(_write(tmp_path, "vide.vtt", "\n\n"))


def test_missing_transcript_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match=r"absent\.srt"):
        import_transcript(tmp_path / "absent.srt")


def test_mixed_timed_and_untimed_text_is_refused(tmp_path: Path) -> None:
    text = "[00:00:05] Marie : Bonjour.\n\nJean : Merci.\n"
    with pytest.raises(InputError, match="paragraphe 2"):
        import_transcript(_write(tmp_path, "notes.txt", text))


def test_french_prose_with_a_colon_is_not_read_as_a_speaker(tmp_path: Path) -> None:
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nPremier point : le budget.\n\n"
        "00:00:02.000 --> 00:00:03.000\nIl a dit : non.\n\n"
        "00:00:03.000 --> 00:00:04.000\nJean-Pierre de La Tour : Oui.\n"
    )
    segments = import_transcript(_write(tmp_path, "a.vtt", text)).segments
    assert [(s.speaker, s.text) for s in segments] == [
        (None, "Premier point : le budget."),
        (None, "Il a dit : non."),
        ("Jean-Pierre de La Tour", "Oui."),
    ]


def test_cue_right_under_the_header_is_read(tmp_path: Path) -> None:
    text = "WEBVTT\nKind: captions\n00:00:01.000 --> 00:00:02.000\nBonjour.\n"
    (segment,) = import_transcript(_write(tmp_path, "a.vtt", text)).segments
    assert (segment.start_s, segment.text) == (1.0, "Bonjour.")


def test_transcript_file_given_to_a_speech_backend_points_to_import(tmp_path: Path) -> None:
    path = _write(tmp_path, "reunion.vtt", TEAMS_VTT)
    with pytest.raises(InputError) as caught:
        transcribe(path, "local")
    assert "reunion.vtt" in caught.value.message
    assert "--backend import" in caught.value.hint
