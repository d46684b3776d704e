"""What the recognisers read: the text with disguises undone, and the way back to its offsets.

Personal data is sometimes written so that a pattern misses it, by habit or on purpose:
non-breaking spaces inside a phone number (U+00A0, U+202F: usual in French typography),
zero-width characters inside an e-mail address, « jean.dupont [at] free [dot] fr ». The
recognisers read a *view* of the text where those are undone; every span found in the view is
mapped back to the original text, so the replacement covers what was really written.

Long texts are read in overlapping pieces (:func:`split_overlapping`): a name or an address
straddling a cut is whole in one of the two pieces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["TextView", "split_overlapping"]

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_AT_RE = re.compile(r"\s*[\[\(\{<]\s*(?:at|arobase|@)\s*[\]\)\}>]\s*", re.IGNORECASE)
_DOT_RE = re.compile(r"\s*[\[\(\{<]\s*(?:dot|point|\.)\s*[\]\)\}>]\s*", re.IGNORECASE)


@dataclass(frozen=True)
class TextView:
    """``text`` as the recognisers read it, with ``origin[i]``: where view char ``i`` came from."""

    text: str
    origin: tuple[int, ...] | None  # None: same offsets as the original

    @classmethod
    def of(cls, original: str) -> TextView:
        """The view of ``original`` (the original itself when nothing is disguised)."""
        text = original.translate(_SPACES)  # same length: offsets unchanged
        if not (_INVISIBLE_RE.search(text) or _AT_RE.search(text) or _DOT_RE.search(text)):
            return cls(text, None)
        edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the original
        for match in _INVISIBLE_RE.finditer(text):
            edits.append((match.start(), match.end(), ""))
        for pattern, replacement in ((_AT_RE, "@"), (_DOT_RE, ".")):
            for match in pattern.finditer(text):
                edits.append((match.start(), match.end(), replacement))
        edits.sort()
        parts: list[str] = []
        origin: list[int] = []
        position = 0
        for start, end, replacement in edits:
            if start < position:  # overlapping edits: keep the first
                continue
            parts.append(text[position:start])
            origin.extend(range(position, start))
            parts.append(replacement)
            origin.extend([start] * len(replacement))
            position = end
        parts.append(text[position:])
        origin.extend(range(position, len(text)))
        origin.append(len(text))  # the end of the text maps to the end
        return cls("".join(parts), tuple(origin))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of view span ``[start, end)`` (disguises inside it included)."""
        if self.origin is None:
            return start, end
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + _width(self, end - 1)


def _width(view: TextView, index: int) -> int:
    """Original characters behind view character ``index`` (more than one for « [at] »)."""
    assert view.origin is not None
    return max(1, view.origin[index + 1] - view.origin[index]) if view.text[index] in "@." else 1


def split_overlapping(text: str, limit: int, overlap: int) -> list[tuple[int, str]]:
    """Cut ``text`` into pieces of at most ``limit`` chars, each but the first starting
    ``overlap`` characters before the previous cut (at a space when there is one).

    Cuts fall at a line break, a sentence end or a space in the second half of a piece.
    """
    pieces = []
    offset = 0
    while len(text) - offset > limit:
        window = text[offset : offset + limit]
        cut = window.rfind("\n", limit // 2)
        if cut == -1:  # else the end of a sentence, else a space
            cut = window.rfind(". ", limit // 2)
            cut = cut + 1 if cut != -1 else window.rfind(" ", limit // 2)
        cut = cut + 1 if cut != -1 else limit
        pieces.append((offset, window[:cut]))
        start = offset + max(cut - overlap, 1)
        space = text.find(" ", start, offset + cut)
        offset = space + 1 if space != -1 else start
    pieces.append((offset, text[offset:]))
    return pieces
