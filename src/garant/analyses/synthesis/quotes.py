"""Mechanical verification of quotes and of the contribution ids claims cite.

A quote is accepted only if it is a verbatim span of the cited contribution's analysed
(pseudonymised) text after folding typography: runs of whitespace become one space, curly and
French quote marks become straight ones, dashes become ``-``, ``…`` becomes ``...``. Case,
accents and words must match exactly. An elision written ``[...]``, ``[…]`` or ``(...)`` splits
the quote into pieces that must all appear, in order, in the contribution.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from garant.i18n import tr

from .model import QuoteCheck, SummaryClaim
from .text import normalise_for_quotes

__all__ = ["check_claims", "verify_quote"]

_ELISION = re.compile(r"\s*(?:\[\s*(?:\.\.\.|…)\s*\]|\(\s*(?:\.\.\.|…)\s*\))\s*")
_MIN_QUOTE_CHARS = 3
_EDGE = "\"' "


def verify_quote(contribution_id: str, quote: str, texts: Mapping[str, str]) -> QuoteCheck:
    """Check ``quote`` against ``texts[contribution_id]``; never raises for bad input."""
    text = texts.get(contribution_id)
    if text is None:
        return QuoteCheck(
            contribution_id=contribution_id,
            quote=quote,
            verified=False,
            reason=tr("contribution inconnue", "unknown contribution"),
        )
    pieces = [piece for piece in _ELISION.split(quote) if piece.strip()]
    folded_pieces = [normalise_for_quotes(piece)[0].strip(_EDGE) for piece in pieces]
    folded_pieces = [piece for piece in folded_pieces if piece]
    if not folded_pieces or sum(len(piece) for piece in folded_pieces) < _MIN_QUOTE_CHARS:
        return QuoteCheck(
            contribution_id=contribution_id,
            quote=quote,
            verified=False,
            reason=tr("citation vide ou trop courte", "empty or too short quote"),
        )
    folded_text, offsets = normalise_for_quotes(text)
    cursor = 0
    start: int | None = None
    end = 0
    for piece in folded_pieces:
        found = folded_text.find(piece, cursor)
        if found < 0:
            return QuoteCheck(
                contribution_id=contribution_id,
                quote=quote,
                verified=False,
                reason=tr(
                    "passage absent du texte de la contribution (caractère {at} de la citation)",
                    "passage not in the contribution's text (character {at} of the quote)",
                    at=sum(len(p) for p in folded_pieces[: folded_pieces.index(piece)]) + 1,
                ),
            )
        if start is None:
            start = found
        cursor = found + len(piece)
        end = cursor
    assert start is not None
    return QuoteCheck(
        contribution_id=contribution_id,
        quote=quote,
        verified=True,
        start=offsets[start],
        end=offsets[end - 1] + 1,
    )


def check_claims(
    claims: Sequence[tuple[str, Sequence[str]]], allowed_ids: set[str]
) -> list[SummaryClaim]:
    """Mark each (claim text, cited ids) as flagged when it cites no id among ``allowed_ids``."""
    result: list[SummaryClaim] = []
    for text, cited in claims:
        valid = [identifier for identifier in cited if identifier in allowed_ids]
        result.append(
            SummaryClaim(
                text=text,
                contribution_ids=list(cited),
                valid_ids=valid,
                flagged=not valid,
            )
        )
    return result
