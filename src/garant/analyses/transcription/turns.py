"""Speaker turns: the hand-off from a transcript to the synthesis corpus.

One turn is what one speaker said without interruption: consecutive segments of the same known
speaker are merged. Segments without a speaker are never merged (merging a whole meeting of
unidentified speech into one contribution would hide who said what): each is its own turn.
"""

from __future__ import annotations

from typing import TypedDict

from garant.errors import InputError
from garant.i18n import tr

from .model import Transcript

__all__ = ["Turn", "to_turns"]


class Turn(TypedDict):
    """One contribution for the synthesis corpus; times are its position in the recording."""

    id: str
    """``t0001``, ``t0002``… in order; stable for a given transcript."""
    speaker: str | None
    start_s: float | None
    end_s: float | None
    text: str


def to_turns(transcript: Transcript) -> list[Turn]:
    """Merge consecutive segments of the same speaker into turns; refuse incomplete transcripts."""
    if not transcript.complete:
        raise InputError(
            tr(
                "Transcription incomplète : elle ne peut pas alimenter une synthèse.",
                "Incomplete transcript: it cannot feed a synthesis.",
            ),
            tr(
                "Relancez la transcription de l'enregistrement jusqu'au bout.",
                "Run the transcription of the recording to the end.",
            ),
        )
    turns: list[Turn] = []
    for segment in transcript.segments:
        last = turns[-1] if turns else None
        if last is not None and segment.speaker is not None and last["speaker"] == segment.speaker:
            last["text"] = f"{last['text']} {segment.text}".strip()
            if segment.end_s is not None:
                last["end_s"] = segment.end_s
            continue
        turns.append(
            Turn(
                id=f"t{len(turns) + 1:04d}",
                speaker=segment.speaker,
                start_s=segment.start_s,
                end_s=segment.end_s,
                text=segment.text,
            )
        )
    return turns
