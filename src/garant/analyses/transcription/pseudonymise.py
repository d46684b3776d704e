"""Pseudonymised copy of a transcript; the original stays local and untouched.

The caller supplies the text pseudonymiser (``garant.privacy`` in production, anything with the
same shape in tests): a function from a list of texts to the list of pseudonymised texts, called
once with every segment so that its own mapping (``<PERSONNE_1>``…) is consistent across the
meeting. Speaker labels are replaced by ``Intervenant·e 1``, ``Intervenant·e 2``… in order of
first appearance (or by the caller's mapping), and a speaker's name said aloud in the text is
replaced by the same pseudonym before the text pseudonymiser runs, so "Marie Dupont" is the same
person in the label and in the text. Labels that name a role (« Porteur de projet », « Maire »,
see :mod:`.speaker_roles`) stay as they are, in the label and in the text. Speaker pseudonyms and
roles travel through the text pseudonymiser as neutral tokens, so that « Madame Intervenant·e 2 »
is not taken for a name a second time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from garant.errors import InputError
from garant.i18n import tr

from .model import Transcript
from .speaker_roles import is_role_label

__all__ = ["Pseudonymiser", "pseudonymise_transcript", "speaker_pseudonyms"]

Pseudonymiser = Callable[[list[str]], list[str]]
"""Takes texts, returns the same number of pseudonymised texts, in the same order."""

DEFAULT_LABEL = "Intervenant·e {n}"


def speaker_pseudonyms(
    transcript: Transcript,
    mapping: Mapping[str, str] | None = None,
    label: str = DEFAULT_LABEL,
) -> dict[str, str]:
    """Speaker → pseudonym: the caller's ``mapping`` first, then ``label`` numbered in order."""
    result: dict[str, str] = {}
    used = set((mapping or {}).values())
    number = 0
    for speaker in transcript.speakers:
        if mapping and speaker in mapping:
            result[speaker] = mapping[speaker]
            continue
        if is_role_label(speaker):
            result[speaker] = speaker
            continue
        while True:
            number += 1
            candidate = label.format(n=number)
            if candidate not in used:
                break
        result[speaker] = candidate
        used.add(candidate)
    return result


def _name_pattern(names: list[str]) -> re.Pattern[str] | None:
    # longest first so "Marie Dupont" wins over "Marie"; word boundaries, case-insensitive
    usable = sorted((n for n in names if len(n.strip()) >= 2), key=len, reverse=True)
    if not usable:
        return None
    alternatives = "|".join(re.escape(n.strip()) for n in usable)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


_TOKEN = re.compile(r"⟦[a-z]+⟧")


def _token(index: int) -> str:
    """A neutral stand-in for a speaker in the text (« ⟦b⟧ »): no recogniser takes it for a name."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return f"⟦{letters}⟧"


def pseudonymise_transcript(
    transcript: Transcript,
    pseudonymise: Pseudonymiser,
    speaker_mapping: Mapping[str, str] | None = None,
    speaker_label: str = DEFAULT_LABEL,
) -> Transcript:
    """Return a pseudonymised copy: speaker labels mapped, texts passed through ``pseudonymise``.

    The copy records the hash of the original (``derived_from_sha256``) and ``pseudonymised``.
    """
    pseudonyms = speaker_pseudonyms(transcript, speaker_mapping, speaker_label)
    tokens = {
        pseudo: _token(index) for index, pseudo in enumerate(sorted(set(pseudonyms.values())))
    }
    lookup = {name.casefold(): tokens[pseudo] for name, pseudo in pseudonyms.items()}
    pattern = _name_pattern(list(pseudonyms))
    texts = [segment.text for segment in transcript.segments]
    if pattern is not None:
        texts = [pattern.sub(lambda m: lookup[m.group(0).casefold()], text) for text in texts]
    result = pseudonymise(texts)
    back = {token: pseudo for pseudo, token in tokens.items()}
    result = [_TOKEN.sub(lambda m: back.get(m.group(0), m.group(0)), text) for text in result]
    if len(result) != len(texts):
        raise InputError(
            tr(
                "Le pseudonymiseur a rendu {got} textes pour {expected} segments.",
                "The pseudonymiser returned {got} texts for {expected} segments.",
                got=len(result),
                expected=len(texts),
            ),
            tr(
                "Le pseudonymiseur doit rendre un texte par texte reçu, dans le même ordre.",
                "The pseudonymiser must return one text per text received, in the same order.",
            ),
        )
    segments = tuple(
        segment.model_copy(
            update={
                "text": text,
                "speaker": pseudonyms[segment.speaker] if segment.speaker is not None else None,
            }
        )
        for segment, text in zip(transcript.segments, result, strict=True)
    )
    return transcript.model_copy(
        update={
            "segments": segments,
            "pseudonymised": True,
            "derived_from_sha256": transcript.sha256(),
        }
    )
