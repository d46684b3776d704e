"""Property tests of the transcript readers (WebVTT, SRT, plain text): every cue of a well-formed
file is read back with its text, speaker and times; a corrupted file is either still read in full
or refused with an ``InputError`` naming the file and the line — never read in part."""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from garant.analyses.transcription import import_transcript
from garant.analyses.transcription.formats import format_timestamp
from garant.analyses.transcription.model import Segment
from garant.errors import InputError

FORMATS = ("vtt", "srt", "txt")
SPEAKERS = (
    None,
    "Marie Dupont",
    "Jean-Pierre de La Tour",
    "Mme Diallo",
    "Porteur de projet",
    "Commissaire enquêtrice",
    "Présidente de la commission",
)
_LETTERS = "abcdefghijklmnopqrstuvwxyzéèêàçùôîœABCDÉÈXYZ0123456789"
_PUNCT = ".,;!?'’()«»-"
_VTT_ONLY = "&<>"

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    speaker: str | None
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Sample:
    kind: str
    cues: tuple[Cue, ...]
    lines: tuple[str, ...]  # the file, one entry per line
    timing_lines: tuple[int, ...]  # 0-based index of each cue's timing line
    voice_lines: tuple[int, ...]  # 0-based lines starting with a <v Name> tag (WebVTT)

    def data(self, encoding: str = "utf-8", newline: str = "\n") -> bytes:
        return (newline.join(self.lines) + newline).encode(encoding)


def _words(kind: str) -> st.SearchStrategy[tuple[str, ...]]:
    alphabet = _LETTERS + _PUNCT + (_VTT_ONLY if kind == "vtt" else "")
    return st.lists(st.text(alphabet, min_size=1, max_size=8), min_size=1, max_size=8).map(tuple)


@st.composite
def samples(draw: st.DrawFn, kind: str) -> Sample:
    cues: list[Cue] = []
    clock = draw(st.integers(0, 3_600_000))
    for _ in range(draw(st.integers(1, 6))):
        start = clock + draw(st.integers(0, 90_000))
        end = start + draw(st.integers(0, 600_000))
        cues.append(Cue(start, end, draw(st.sampled_from(SPEAKERS)), draw(_words(kind))))
        clock = start
    lines: list[str] = []
    timing: list[int] = []
    voices: list[int] = []
    if kind == "vtt":
        lines += ["WEBVTT", ""]
        if draw(st.booleans()):
            lines += ["NOTE exporté depuis l'outil de visioconférence", ""]
    for number, cue in enumerate(cues, start=1):
        if kind == "txt":
            stamp = f"[{format_timestamp(cue.start_ms / 1000)} --> {format_timestamp(cue.end_ms / 1000)}]"
            prefix = f"{cue.speaker} : " if cue.speaker else ""
            timing.append(len(lines))
            lines.append(f"{stamp} {prefix}{cue.text}")
            continue
        separator = "," if kind == "srt" and draw(st.booleans()) else "."
        if kind == "srt" or draw(st.booleans()):
            lines.append(str(number) if kind == "srt" else f"cue-{number}")
        timing.append(len(lines))
        settings_ = " align:start position:10%" if kind == "vtt" and draw(st.booleans()) else ""
        lines.append(
            f"{format_timestamp(cue.start_ms / 1000, separator)} --> "
            f"{format_timestamp(cue.end_ms / 1000, separator)}{settings_}"
        )
        escaped = [html.escape(w, quote=False) for w in cue.words] if kind == "vtt" else cue.words
        cut = draw(st.integers(1, len(escaped)))
        payload = [" ".join(escaped[:cut])] + ([" ".join(escaped[cut:])] if escaped[cut:] else [])
        if cue.speaker:
            if kind == "vtt" and draw(st.booleans()):
                voices.append(len(lines))
                payload[0] = f"<v {cue.speaker}>{payload[0]}"
            else:
                payload[0] = f"{cue.speaker} : {payload[0]}"
        lines += payload
        lines.append("")
    return Sample(kind, tuple(cues), tuple(lines), tuple(timing), tuple(voices))


def _read(data: bytes, kind: str) -> list[Segment]:
    with TemporaryDirectory() as folder:
        path = Path(folder) / f"transcription.{kind}"
        path.write_bytes(data)
        return list(import_transcript(path).segments)


def _assert_read_in_full(segments: list[Segment], cues: tuple[Cue, ...]) -> None:
    got = [(s.speaker, s.text, s.start_s, s.end_s) for s in segments]
    want = [
        (c.speaker, c.text, pytest.approx(c.start_ms / 1000), pytest.approx(c.end_ms / 1000))
        for c in cues
    ]
    assert got == want


def _refused_at(data: bytes, kind: str) -> int:
    """The line the refusal names (it must name the file and a line, in French, with a hint)."""
    with pytest.raises(InputError) as caught:
        _read(data, kind)
    found = re.search(rf"transcription\.{kind}, ligne (\d+) : ", caught.value.message)
    assert found is not None, caught.value.message
    assert caught.value.hint
    return int(found.group(1))


@pytest.mark.parametrize("kind", FORMATS)
@FUZZ
@given(data=st.data())
def test_well_formed_files_are_read_back_cue_for_cue(kind: str, data: st.DataObject) -> None:
    sample = data.draw(samples(kind))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    newline = data.draw(st.sampled_from(["\n", "\r\n"]))
    _assert_read_in_full(_read(sample.data(encoding, newline), kind), sample.cues)


@pytest.mark.parametrize("kind", FORMATS)
@FUZZ
@given(data=st.data())
def test_a_truncated_timestamp_line_is_refused_at_that_line_or_read_in_full(
    kind: str, data: st.DataObject
) -> None:
    sample = data.draw(samples(kind))
    index = data.draw(st.sampled_from(sample.timing_lines))
    line = sample.lines[index]
    if kind == "txt":  # the time is the bracketed prefix; the words after it stay
        stamp, _, rest = line.partition("] ")
        corrupted = stamp[: data.draw(st.integers(1, len(stamp) - 1))] + " " + rest
    else:
        corrupted = line[: data.draw(st.integers(1, len(line) - 1))]
    lines = list(sample.lines)
    lines[index] = corrupted
    broken = ("\n".join(lines) + "\n").encode()
    try:
        segments = _read(broken, kind)
    except InputError:
        assert _refused_at(broken, kind) in {index, index + 1, index + 2}
        return
    # still readable (a cut that leaves a valid time, e.g. « 00:00:04.2 »): every word kept
    read = " ".join(f"{s.speaker or ''} {s.text}" for s in segments)
    for cue in sample.cues:
        assert cue.text in read
    if kind != "txt":
        assert len(segments) == len(sample.cues)


@pytest.mark.parametrize("kind", FORMATS)
@FUZZ
@given(data=st.data())
def test_a_last_cue_cut_after_its_timing_line_is_refused_at_that_line(
    kind: str, data: st.DataObject
) -> None:
    sample = data.draw(samples(kind))
    last = sample.timing_lines[-1]
    lines = list(sample.lines[: last + 1])
    if kind == "txt":
        lines[-1] = lines[-1].partition("] ")[0] + "]"
    assert _refused_at(("\n".join(lines) + "\n").encode(), kind) == last + 1


@pytest.mark.parametrize("kind", ["vtt", "srt"])
@FUZZ
@given(data=st.data())
def test_two_cues_run_together_are_refused_at_the_second_timing_line(
    kind: str, data: st.DataObject
) -> None:
    sample = data.draw(samples(kind).filter(lambda s: len(s.cues) >= 2))
    second = data.draw(st.sampled_from(sample.timing_lines[1:]))
    blank = max(i for i in range(second) if sample.lines[i] == "")
    lines = list(sample.lines[:blank] + sample.lines[blank + 1 :])
    # the refused line is the second cue's timing line, or its identifier just above it
    assert _refused_at(("\n".join(lines) + "\n").encode(), kind) in {second - 1, second}


@FUZZ
@given(data=st.data())
def test_an_unclosed_voice_tag_is_refused_at_its_line(data: st.DataObject) -> None:
    sample = data.draw(samples("vtt").filter(lambda s: bool(s.voice_lines)))
    index = data.draw(st.sampled_from(sample.voice_lines))
    lines = list(sample.lines)
    lines[index] = lines[index].replace(">", " ", 1)
    assert _refused_at(("\n".join(lines) + "\n").encode(), "vtt") == index + 1


@pytest.mark.parametrize("kind", FORMATS)
@FUZZ
@given(data=st.data())
def test_a_nul_byte_is_refused_at_its_line(kind: str, data: st.DataObject) -> None:
    original = data.draw(samples(kind)).data()
    at = data.draw(st.integers(0, len(original)))
    broken = original[:at] + b"\x00" + original[at:]
    assert _refused_at(broken, kind) == original.count(b"\n", 0, at) + 1


@pytest.mark.parametrize("kind", FORMATS)
@FUZZ
@given(data=st.data())
def test_binary_garbage_is_refused_naming_a_line_where_it_lies(
    kind: str, data: st.DataObject
) -> None:
    original = data.draw(samples(kind)).data()
    garbage = data.draw(st.binary(min_size=1, max_size=64))
    garbage = garbage[: len(garbage) // 2] + b"\x00\xff" + garbage[len(garbage) // 2 :]
    at = data.draw(st.integers(0, len(original)))
    broken = original[:at] + garbage + original[at:]
    first = original.count(b"\n", 0, at) + 1
    assert first <= _refused_at(broken, kind) <= first + garbage.count(b"\n")


@pytest.mark.parametrize("kind", FORMATS)
@FUZZ
@given(data=st.data())
def test_a_zip_of_a_transcript_is_refused_as_binary(kind: str, data: st.DataObject) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"transcription.{kind}", data.draw(samples(kind)).data())
    with pytest.raises(InputError, match=rf"transcription\.{kind}, ligne 1 : .*archive zip"):
        _read(buffer.getvalue(), kind)


@pytest.mark.parametrize("kind", FORMATS)
@FUZZ
@given(data=st.data())
def test_utf16_without_byte_order_mark_is_refused_at_line_1(kind: str, data: st.DataObject) -> None:
    encoded = data.draw(samples(kind)).data("utf-16-le")
    assert _refused_at(encoded, kind) == 1


def test_role_labels_are_kept_as_written_as_speakers(tmp_path: Path) -> None:
    path = tmp_path / "enquete.txt"
    path.write_text(
        "Porteur de projet : Le tracé évite la zone humide.\n"
        "Commissaire enquêtrice : Merci, la parole est au public.\n"
        "Premier point : le budget.\n",
        encoding="utf-8",
    )
    rows = [(s.speaker, s.text) for s in import_transcript(path).segments]
    assert rows == [
        ("Porteur de projet", "Le tracé évite la zone humide."),
        ("Commissaire enquêtrice", "Merci, la parole est au public. Premier point : le budget."),
    ]


def test_bracketed_time_followed_by_words_starting_with_a_dash_is_read() -> None:
    """Found by the fuzz test: « [00:00:00.000 --> 00:00:01.000] -0 » was refused as a time."""
    segments = _read(b"[00:00:00.000 --> 00:00:01.000] -5 degres ce matin\n", "txt")
    assert [(s.text, s.start_s, s.end_s) for s in segments] == [("-5 degres ce matin", 0.0, 1.0)]
