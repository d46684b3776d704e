"""Read and write transcript files: WebVTT, SRT, plain text and a Markdown minutes skeleton.

The readers are strict about structure and lenient about habits: a malformed timing line, a cue
ending before it starts or a missing ``WEBVTT`` header is an error naming the file and line,
while a byte-order mark, CRLF line ends, ``,``/``.`` millisecond separators, styling tags and
Windows-1252 text are accepted. Speakers come from WebVTT voice tags (``<v Marie Dupont>``, as
exported by video-conference tools) or from a ``Nom : texte`` prefix (Zoom, hand-typed minutes).
See docs/adr-0007-transcription.md for why this is not webvtt-py or srt.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from garant.errors import InputError
from garant.i18n import format_date, tr

from .model import Segment, Transcript

__all__ = [
    "TranscriptFormat",
    "detect_format",
    "format_timestamp",
    "parse_srt",
    "parse_text",
    "parse_webvtt",
    "read_text_file",
    "render_markdown",
    "render_srt",
    "render_text",
    "render_webvtt",
]

TranscriptFormat = Literal["webvtt", "srt", "text"]

_TIME = r"(?:(\d+):)?([0-5]?\d):([0-5]\d)(?:[.,](\d{1,3}))?"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?:\s+(.*))?$")
_TIMING_ATTEMPT = re.compile(r"^\s*\d+:\d")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?(?:\s+([^>]*))?>", re.IGNORECASE)
_VTT_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[\d:.]*>")
_SRT_TAG = re.compile(r"</?(?:b|i|u|s|font)(?:\s[^>]*)?>|\{\\[^}]*\}", re.IGNORECASE)
"""SubRip has no escaping: only its own styling tags are removed, any other ``<…>`` is text."""
_SPEAKER_PREFIX = re.compile(
    r"^(?P<name>[A-ZÀ-ÖØ-Þ][\w'’.·-]*(?:[ \t][\w'’.·-]+){0,4})[ \t\u00a0]?:[ \t\u00a0]+(?P<text>\S.*)$",
    re.DOTALL,
)
_CLOCK = r"(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TEXT_TIMESTAMP = re.compile(
    rf"^(?P<open>\[)?(?P<time>{_CLOCK})(?:\s*(?:-->|-|–)\s*(?P<end>{_CLOCK}))?(?(open)\])"
    r"\s+(?(open)|(?!-->|[-–]\s*\d))(?P<rest>.*)$"
)
"""``[00:01:02] texte`` or ``00:01:02 --> 00:01:09 texte``: a bracket opened is closed, and a
half-read range (``[00:01:02 --> 00:0``) is no time at all (then refused by ``_LOOKS_TIMED``).
After a closed bracket the words may start with anything (« [00:01:02] -5 degrés ce matin »);
without brackets, words that start like the rest of a range (« 00:01:02 - 00:0 ») are no time."""


_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "archive zip"),
    (b"PK\x05\x06", "archive zip"),
    (b"\x1f\x8b", "archive gzip"),
    (b"%PDF", "document PDF"),
    (b"\xd0\xcf\x11\xe0", "document Office"),
    (b"\x7fELF", "programme"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters never found in a transcript: their presence means a binary or a
wrongly-encoded file (UTF-16 without byte-order mark), which would otherwise be read as noise."""


def _line_of(data: bytes | str, offset: int) -> int:
    newline: bytes | str = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1  # type: ignore[arg-type]


def _not_text(path: Path, line: int, problem: str) -> InputError:
    return InputError(
        tr(
            "{path}, ligne {line} : {problem}",
            "{path}, line {line}: {problem}",
            path=path,
            line=line,
            problem=problem,
        ),
        tr(
            "Donnez le fichier de transcription lui-même (VTT, SRT ou texte), enregistré en "
            "UTF-8 : exportez-le à nouveau depuis l'outil d'origine.",
            "Give the transcript file itself (VTT, SRT or text), saved as UTF-8: export it "
            "again from the original tool.",
        ),
    )


def _decode(path: Path, data: bytes) -> str:
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise _not_text(
                path,
                1,
                tr(
                    "ce n'est pas une transcription mais un fichier binaire ({kind})",
                    "this is not a transcript but a binary file ({kind})",
                    kind=kind,
                ),
            )
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise _not_text(
                path,
                _line_of(data, error.start),
                tr("texte UTF-16 illisible", "unreadable UTF-16 text"),
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as error:
            # neither UTF-8 nor Windows-1252: name where UTF-8 first failed, the likelier intent
            line = _line_of(data, min(utf8_error.start, error.start))
            raise _not_text(
                path,
                line,
                tr(
                    "octets illisibles : ni UTF-8 ni Windows-1252 (fichier binaire ?)",
                    "unreadable bytes: neither UTF-8 nor Windows-1252 (binary file?)",
                ),
            ) from None


def read_text_file(path: Path) -> str:
    """Read a text file as UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Refused, naming the line: empty files, archives and other binaries, bytes valid in neither
    encoding, and control characters (NUL…) — nothing is replaced or dropped silently.
    """
    text = _decode(path, path.read_bytes()).lstrip("\ufeff")
    control = _CONTROL.search(text)
    if control is not None:
        raise _not_text(
            path,
            _line_of(text, control.start()),
            tr(
                "caractère de contrôle U+{code:04X} (fichier binaire, tronqué ou en UTF-16 "
                "sans BOM ?)",
                "control character U+{code:04X} (binary or truncated file, or UTF-16 without BOM?)",
                code=ord(control.group()),
            ),
        )
    if not text.strip():
        raise InputError(
            tr("Fichier vide : {path}", "Empty file: {path}", path=path),
            tr(
                "Exportez à nouveau la transcription depuis l'outil d'origine.",
                "Export the transcript again from the original tool.",
            ),
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_format(path: Path, text: str) -> TranscriptFormat:
    """Pick the reader from the extension, else from the content."""
    suffix = path.suffix.lower()
    if suffix == ".vtt":
        return "webvtt"
    if suffix == ".srt":
        return "srt"
    if suffix in {".txt", ".md", ".text"}:
        return "text"
    head = text.lstrip("\ufeff").lstrip()
    if head.startswith("WEBVTT"):
        return "webvtt"
    if any(_TIMING.match(line) for line in head.split("\n")[:5]):
        return "srt"
    return "text"


def _line_error(path: Path, line: int, problem: str) -> InputError:
    return InputError(
        tr(
            "{path}, ligne {line} : {problem}",
            "{path}, line {line}: {problem}",
            path=path,
            line=line,
            problem=problem,
        ),
        tr(
            "Corrigez cette ligne ou exportez à nouveau le fichier depuis l'outil d'origine.",
            "Fix this line or export the file again from the original tool.",
        ),
    )


def _seconds(groups: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, fraction = groups
    value = float(int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds or 0))
    if fraction:
        value += int(fraction.ljust(3, "0")) / 1000
    return value


@dataclass(frozen=True)
class _Cue:
    line: int
    start_s: float
    end_s: float
    lines: list[str]


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Split into blocks separated by blank lines, with the 1-based line number of each."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _parse_timing(path: Path, number: int, line: str) -> tuple[float, float]:
    match = _TIMING.match(line)
    if match is None:
        raise _line_error(
            path,
            number,
            tr(
                "ligne de temps invalide « {line} » (attendu : 00:00:01.000 --> 00:00:04.000)",
                "invalid timing line '{line}' (expected: 00:00:01.000 --> 00:00:04.000)",
                line=line.strip(),
            ),
        )
    groups = match.groups()
    start, end = _seconds(groups[0:4]), _seconds(groups[4:8])
    if end < start:
        raise _line_error(
            path,
            number,
            tr(
                "la fin ({end}) précède le début ({start})",
                "the end ({end}) is before the start ({start})",
                end=format_timestamp(end),
                start=format_timestamp(start),
            ),
        )
    return start, end


def _cues(path: Path, text: str, *, webvtt: bool) -> list[_Cue]:
    cues: list[_Cue] = []
    blocks = _blocks(text)
    if webvtt:
        if not blocks or not blocks[0][1][0].lstrip("\ufeff").startswith("WEBVTT"):
            raise _line_error(
                path,
                blocks[0][0] if blocks else 1,
                tr(
                    "en-tête « WEBVTT » absent en première ligne",
                    "missing 'WEBVTT' header on the first line",
                ),
            )
        first_line, header = blocks[0]
        blocks = blocks[1:]
        # sloppy exports put the first cue right under the header, without a blank line:
        # the cue starts at its timing line, or at the identifier line just above it
        timing = next((i for i, line in enumerate(header) if "-->" in line), None)
        if timing is not None:
            first = timing - 1 if timing >= 2 else timing
            blocks.insert(0, (first_line + first, header[first:]))
    for start_line, lines in blocks:
        head = lines[0].strip()
        if webvtt and head.split(" ")[0].split("\t")[0] in {"NOTE", "STYLE", "REGION"}:
            continue
        timing_at = 0 if "-->" in lines[0] else 1
        if timing_at >= len(lines) or "-->" not in lines[timing_at]:
            attempt = next(
                (i for i, line in enumerate(lines[:2]) if _TIMING_ATTEMPT.match(line)), None
            )
            if attempt is not None:  # a timing line cut short: name it, not the block
                _parse_timing(path, start_line + attempt, lines[attempt])
            if not webvtt and timing_at < len(lines) and head.isdigit():
                problem = tr(
                    "ligne de temps attendue après le numéro « {head} »",
                    "timing line expected after the number '{head}'",
                    head=head,
                )
                raise _line_error(path, start_line + timing_at, problem)
            raise _line_error(
                path,
                start_line,
                tr(
                    "bloc sans ligne de temps « {head} »",
                    "block without a timing line '{head}'",
                    head=head,
                ),
            )
        number = start_line + timing_at
        start, end = _parse_timing(path, number, lines[timing_at])
        payload = lines[timing_at + 1 :]
        _check_payload(path, number, payload, webvtt=webvtt)
        cues.append(_Cue(number, start, end, payload))
    if not cues:
        raise _line_error(
            path, 1, tr("aucun segment trouvé dans le fichier", "no cue found in the file")
        )
    return cues


_UNCLOSED_TAG = re.compile(r"<(?=[a-zA-Z/\d])[^>]*$")


def _check_payload(path: Path, timing_line: int, payload: list[str], *, webvtt: bool) -> None:
    """A cue must have text, hold no other timing line (a missing blank line between two cues
    would merge them) and, in WebVTT, close every tag it opens on a line (``<v Nom>``)."""
    if not payload:
        raise _line_error(
            path,
            timing_line,
            tr(
                "segment sans texte après sa ligne de temps (fichier tronqué ?)",
                "cue without text after its timing line (truncated file?)",
            ),
        )
    for offset, line in enumerate(payload, start=1):
        if "-->" in line:
            raise _line_error(
                path,
                timing_line + offset,
                tr(
                    "ligne de temps à l'intérieur d'un segment « {line} » : il manque une "
                    "ligne vide avant elle",
                    "timing line inside a cue '{line}': a blank line is missing before it",
                    line=line.strip(),
                ),
            )
        if webvtt:
            unclosed = _UNCLOSED_TAG.search(line)
            if unclosed is not None:
                raise _line_error(
                    path,
                    timing_line + offset,
                    tr(
                        "balise non fermée « {tag} » (il manque « > » ; un « < » du texte "
                        "s'écrit &lt;)",
                        "unclosed tag '{tag}' (missing '>'; a '<' in the text is written &lt;)",
                        tag=unclosed.group(),
                    ),
                )


def _clean(text: str, tags: re.Pattern[str] = _VTT_TAG, *, unescape: bool = True) -> str:
    text = tags.sub("", text)
    return " ".join((html.unescape(text) if unescape else text).split())


_PARTICLES = frozenset({"de", "du", "des", "d'", "d’", "la", "le", "van", "von", "da", "di"})


_ROLES = frozenset(
    {
        "adjoint", "adjointe", "animateur", "animatrice", "commissaire", "directeur",
        "directrice", "garant", "garante", "intervenant", "intervenante", "maire",
        "modérateur", "modératrice", "participant", "participante", "porteur", "porteuse",
        "président", "présidente", "rapporteur", "rapporteure", "représentant",
        "représentante", "secrétaire", "vice-président", "vice-présidente",
    }
)  # fmt: skip
"""First words of role labels used as speakers in public inquiries and consultations
(« Porteur de projet », « Commissaire enquêtrice », « Présidente de la commission »)."""


def _looks_like_name(name: str) -> bool:
    """Every word capitalised except name particles: "Jean-Pierre de La Tour", "Mme Diallo",
    not "Premier point" nor "Il a dit" (French puts a space before ':' in ordinary prose);
    or a role label kept as written: "Porteur de projet", "Commissaire enquêtrice"."""
    words = name.split()
    if words[0].casefold() in _ROLES:
        return True
    capitalised = [w[0].isupper() or w.casefold() in _PARTICLES for w in words]
    return all(capitalised) and words[-1][0].isupper()


def _split_speaker(text: str, detect_speakers: bool) -> tuple[str | None, str]:
    if detect_speakers:
        match = _SPEAKER_PREFIX.match(text)
        if match is not None and _looks_like_name(match.group("name")):
            return match.group("name").strip(), match.group("text").strip()
    return None, text


def _starts_with_speaker(line: str) -> bool:
    return _split_speaker(line, True)[0] is not None


def _voiced_parts(payload: str) -> list[tuple[str | None, str]]:
    """Split a cue payload on ``<v Name>`` tags: [(speaker or None, raw text)]."""
    matches = list(_VOICE.finditer(payload))
    if not matches:
        return [(None, payload)]
    parts: list[tuple[str | None, str]] = []
    if payload[: matches[0].start()].strip():
        parts.append((None, payload[: matches[0].start()]))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(payload)
        name = html.unescape(match.group(1) or "").strip() or None
        parts.append((name, payload[match.end() : end]))
    return parts


def parse_webvtt(path: Path, text: str, *, detect_speakers: bool = True) -> list[Segment]:
    """Parse WebVTT; a cue with several ``<v>`` voices gives one segment per voice."""
    segments: list[Segment] = []
    for cue in _cues(path, text, webvtt=True):
        for voice, raw in _voiced_parts("\n".join(cue.lines)):
            content = _clean(raw)
            if not content:
                continue
            speaker = voice
            if speaker is None:
                speaker, content = _split_speaker(content, detect_speakers)
            segments.append(
                Segment(start_s=cue.start_s, end_s=cue.end_s, text=content, speaker=speaker)
            )
    return _non_empty(path, segments)


def parse_srt(path: Path, text: str, *, detect_speakers: bool = True) -> list[Segment]:
    """Parse SubRip; the index line is optional, formatting tags are dropped."""
    segments: list[Segment] = []
    for cue in _cues(path, text, webvtt=False):
        content = _clean("\n".join(cue.lines), _SRT_TAG, unescape=False)
        if not content:
            continue
        speaker, content = _split_speaker(content, detect_speakers)
        segments.append(
            Segment(start_s=cue.start_s, end_s=cue.end_s, text=content, speaker=speaker)
        )
    return _non_empty(path, segments)


_LOOKS_TIMED = re.compile(r"^\[?\d{1,2}:\d")
"""A line that starts like a time (``[00:0…``) but that ``_TEXT_TIMESTAMP`` does not read."""


def parse_text(path: Path, text: str, *, detect_speakers: bool = True) -> list[Segment]:
    """Parse plain text: one segment per paragraph (or per line when lines carry a speaker or a
    time); optional leading ``[00:01:02]`` or ``[00:01:02 --> 00:01:09]`` time; optional
    ``Nom :`` speaker prefix.

    A single time is the start of the segment; its end is then the next segment's start.
    Without times, segments have none (exports needing them then refuse the transcript).
    Every line ends up in a segment; a time that cannot be read is an error naming its line.
    """
    lines = text.split("\n")
    per_line = any(
        _TEXT_TIMESTAMP.match(line.strip())
        or (detect_speakers and _starts_with_speaker(line.strip()))
        for line in lines
        if line.strip()
    )
    chunks: list[tuple[int, str]] = []  # (1-based first line, text)
    if per_line:
        for number, line in enumerate(lines, start=1):
            stripped = line.strip()
            if not stripped:
                continue
            starts_new = _TEXT_TIMESTAMP.match(stripped) or (
                detect_speakers and _starts_with_speaker(stripped)
            )
            if starts_new or not chunks:
                chunks.append((number, stripped))
            else:
                chunks[-1] = (chunks[-1][0], chunks[-1][1] + " " + stripped)
            if not _TEXT_TIMESTAMP.match(stripped) and _LOOKS_TIMED.match(stripped):
                raise _line_error(path, number, _unreadable_time(stripped))
    else:
        chunks = [(first, " ".join(block)) for first, block in _blocks(text)]
        for first, block in _blocks(text):
            for offset, line in enumerate(block):
                if _LOOKS_TIMED.match(line.strip()):
                    raise _line_error(path, first + offset, _unreadable_time(line.strip()))
    raw: list[tuple[int, float | None, float | None, str | None, str]] = []
    for number, chunk in chunks:
        start: float | None = None
        given_end: float | None = None
        match = _TEXT_TIMESTAMP.match(chunk)
        if match is not None:
            start = _clock_seconds(path, number, match.group("time"))
            if match.group("end"):
                given_end = _clock_seconds(path, number, match.group("end"))
            chunk = match.group("rest")
        speaker, content = _split_speaker(" ".join(chunk.split()), detect_speakers)
        if content:
            raw.append((number, start, given_end, speaker, content))
    timed = [item[1] is not None for item in raw]
    if any(timed) and not all(timed):
        untimed = next(i for i, flag in enumerate(timed) if not flag)
        raise InputError(
            tr(
                "{path}, ligne {line} : le paragraphe {n} n'a pas d'horodatage alors que "
                "d'autres en ont",
                "{path}, line {line}: paragraph {n} has no timestamp while others do",
                path=path,
                line=raw[untimed][0],
                n=untimed + 1,
            ),
            tr(
                "Horodatez toutes les interventions ([00:01:02] Nom : texte) ou aucune.",
                "Timestamp every turn ([00:01:02] Name: text) or none.",
            ),
        )
    segments: list[Segment] = []
    for i, (number, start, given_end, speaker, content) in enumerate(raw):
        following = raw[i + 1][1] if i + 1 < len(raw) else None
        if start is not None and (
            (following is not None and following < start)
            or (given_end is not None and given_end < start)
        ):
            raise InputError(
                tr(
                    "{path}, ligne {line} : les horodatages ne sont pas dans l'ordre "
                    "(paragraphe {n})",
                    "{path}, line {line}: timestamps are out of order (paragraph {n})",
                    path=path,
                    line=number,
                    n=i + 1,
                ),
                tr("Remettez les interventions dans l'ordre.", "Put the turns in order."),
            )
        end = given_end if given_end is not None else following if following is not None else start
        segments.append(Segment(start_s=start, end_s=end, text=content, speaker=speaker))
    return _non_empty(path, segments)


def _unreadable_time(line: str) -> str:
    return tr(
        "horodatage illisible « {line} » (attendu : [00:01:02] ou [00:01:02 --> 00:01:09])",
        "unreadable timestamp '{line}' (expected: [00:01:02] or [00:01:02 --> 00:01:09])",
        line=line[:60],
    )


def _clock_seconds(path: Path, number: int, value: str) -> float:
    groups = _time_groups(value)
    minutes, seconds = int(groups[1] or 0), int(groups[2] or 0)
    if seconds >= 60 or (groups[0] is not None and minutes >= 60):
        raise _line_error(
            path,
            number,
            tr(
                "heure impossible « {value} » (minutes et secondes vont de 00 à 59)",
                "impossible time '{value}' (minutes and seconds run from 00 to 59)",
                value=value,
            ),
        )
    return _seconds(groups)


def _time_groups(value: str) -> tuple[str | None, str | None, str | None, str | None]:
    value = value.replace(",", ".")
    main, _, fraction = value.partition(".")
    parts = main.split(":")
    hours = parts[0] if len(parts) == 3 else None
    return hours, parts[-2], parts[-1], fraction or None


def _non_empty(path: Path, segments: list[Segment]) -> list[Segment]:
    if not segments:
        raise InputError(
            tr("{path} : aucun texte trouvé", "{path}: no text found", path=path),
            tr(
                "Vérifiez que le fichier contient bien la transcription.",
                "Check the file holds the transcript.",
            ),
        )
    return segments


# --- writers -------------------------------------------------------------------------------------


def format_timestamp(seconds: float, separator: str = ".") -> str:
    """``HH:MM:SS.mmm`` (WebVTT) or with ``,`` (SRT)."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--:--"
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _require_times(transcript: Transcript, what: str) -> None:
    if not transcript.has_timestamps:
        raise InputError(
            tr(
                "Export {what} impossible : la transcription n'a pas d'horodatage.",
                "Cannot export {what}: the transcript has no timestamps.",
                what=what,
            ),
            tr(
                "Exportez en Markdown, ou importez un fichier horodaté (WebVTT, SRT).",
                "Export as Markdown, or import a timestamped file (WebVTT, SRT).",
            ),
        )


def render_webvtt(transcript: Transcript) -> str:
    """WebVTT with ``<v Speaker>`` voice tags; text is escaped (``&``, ``<``, ``>``)."""
    _require_times(transcript, "WebVTT")
    out = ["WEBVTT", ""]
    for i, segment in enumerate(transcript.segments, start=1):
        assert segment.start_s is not None and segment.end_s is not None
        text = html.escape(segment.text, quote=False)
        if segment.speaker:
            text = f"<v {html.escape(segment.speaker, quote=False)}>{text}"
        out += [
            str(i),
            f"{format_timestamp(segment.start_s)} --> {format_timestamp(segment.end_s)}",
            text,
            "",
        ]
    return "\n".join(out)


def render_srt(transcript: Transcript) -> str:
    """SubRip; the speaker, when known, prefixes the text as ``Nom : texte``."""
    _require_times(transcript, "SRT")
    out: list[str] = []
    for i, segment in enumerate(transcript.segments, start=1):
        assert segment.start_s is not None and segment.end_s is not None
        text = f"{segment.speaker}: {segment.text}" if segment.speaker else segment.text
        out += [
            str(i),
            f"{format_timestamp(segment.start_s, ',')} --> {format_timestamp(segment.end_s, ',')}",
            text,
            "",
        ]
    return "\n".join(out)


def render_text(transcript: Transcript) -> str:
    """Plain text, one line per segment: ``[HH:MM:SS.mmm --> HH:MM:SS.mmm] Nom : texte`` (what
    ``parse_text`` reads back); no times when the transcript has none."""
    out: list[str] = []
    for segment in transcript.segments:
        line = f"{segment.speaker} : {segment.text}" if segment.speaker else segment.text
        if segment.start_s is not None and segment.end_s is not None:
            start, end = format_timestamp(segment.start_s), format_timestamp(segment.end_s)
            line = f"[{start} --> {end}] {line}"
        out.append(line)
    return "\n".join(out) + "\n"


def render_markdown(transcript: Transcript, title: str | None = None) -> str:
    """A minutes skeleton: provenance, participants, timestamped turns, sections to fill in."""
    from .turns import to_turns

    engine = transcript.engine
    heading = title or tr("Compte rendu de réunion", "Meeting minutes")
    if engine.backend == "import":
        produced = tr(
            "Transcription importée ({engine}) : texte fourni, non vérifié par garant.",
            "Imported transcript ({engine}): supplied text, not checked by garant.",
            engine=engine.engine,
        )
    else:
        produced = tr(
            "Transcription automatique ({engine}, modèle {model}) : texte produit par une IA, "
            "à relire avant toute diffusion.",
            "Automatic transcript ({engine}, model {model}): AI-generated text, "
            "to be reviewed before any distribution.",
            engine=engine.engine,
            model=engine.model or "?",
        )
    lines = [f"# {heading}", "", f"> {produced}", ""]
    lines.append(
        tr(
            "- Date de transcription : {d}",
            "- Transcribed on: {d}",
            d=format_date(transcript.created_at.date()),
        )
    )
    if transcript.audio is not None:
        lines.append(
            tr(
                "- Enregistrement : {name} (durée {duration}, empreinte SHA-256 {sha})",
                "- Recording: {name} (duration {duration}, SHA-256 {sha})",
                name=transcript.audio.file_name,
                duration=_clock(transcript.audio.duration_s),
                sha=transcript.audio.sha256[:16] + "…",
            )
        )
    if transcript.source is not None:
        lines.append(
            tr(
                "- Fichier importé : {name} (empreinte SHA-256 {sha})",
                "- Imported file: {name} (SHA-256 {sha})",
                name=transcript.source.file_name,
                sha=transcript.source.sha256[:16] + "…",
            )
        )
    lines.append(tr("- Langue : {lang}", "- Language: {lang}", lang=transcript.language or "?"))
    if transcript.pseudonymised:
        lines.append(
            tr(
                "- Version pseudonymisée : noms, coordonnées et adresses remplacés.",
                "- Pseudonymised version: names, contact details and addresses replaced.",
            )
        )
    lines += ["", tr("## Participants", "## Participants"), ""]
    speakers = transcript.speakers
    lines += [f"- {name}" for name in speakers] or [
        tr(
            "- _Locuteurs non identifiés : à compléter._",
            "- _Speakers not identified: to fill in._",
        )
    ]
    lines += ["", tr("## Déroulé", "## Proceedings"), ""]
    unknown = tr("Intervention", "Turn")
    for turn in to_turns(transcript):
        lines.append(
            f"**[{_clock(turn['start_s'])}] {turn['speaker'] or unknown}** — {turn['text']}"
        )
        lines.append("")
    todo = tr("_À compléter._", "_To fill in._")
    lines += [tr("## Décisions", "## Decisions"), "", todo, ""]
    lines += [tr("## Suites à donner", "## Follow-up actions"), "", todo, ""]
    return "\n".join(lines)
