"""Text helpers: normalisation for comparison, French stop words, short excerpts."""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "FRENCH_STOP_WORDS",
    "excerpt",
    "normalise_for_duplicates",
    "normalise_for_quotes",
    "strip_accents",
]

# Quote marks and apostrophes folded to ASCII before quotes are compared.
_QUOTE_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2039": '"',
        "\u203a": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]+")

# Function words of French, with the elided forms the tokenizer leaves ("l", "qu"…), plus the
# politeness formulas that open e-mails and comments. Hand-written so no spaCy import is needed.
FRENCH_STOP_WORDS: frozenset[str] = frozenset(
    [
        "a",
        "à",
        "afin",
        "ai",
        "aie",
        "aient",
        "aies",
        "ait",
        "alors",
        "as",
        "au",
        "aucun",
        "aucune",
        "aupres",
        "auquel",
        "aussi",
        "autre",
        "autres",
        "aux",
        "auxquelles",
        "auxquels",
        "avaient",
        "avais",
        "avait",
        "avant",
        "avec",
        "avez",
        "aviez",
        "avions",
        "avoir",
        "avons",
        "ayant",
        "bah",
        "bonjour",
        "bonsoir",
        "c",
        "ça",
        "car",
        "ce",
        "ceci",
        "cela",
        "celle",
        "celles",
        "celui",
        "cependant",
        "ces",
        "cet",
        "cette",
        "ceux",
        "chacun",
        "chacune",
        "chaque",
        "chez",
        "ci",
        "comme",
        "comment",
        "d",
        "dans",
        "de",
        "des",
        "desquelles",
        "desquels",
        "deux",
        "devrait",
        "devraient",
        "doit",
        "doivent",
        "donc",
        "dont",
        "du",
        "duquel",
        "durant",
        "elle",
        "elles",
        "en",
        "encore",
        "entre",
        "es",
        "est",
        "et",
        "etaient",
        "etais",
        "etait",
        "etant",
        "ete",
        "etes",
        "etre",
        "eu",
        "eue",
        "eues",
        "eurent",
        "eus",
        "eut",
        "eux",
        "faire",
        "fait",
        "faut",
        "fois",
        "font",
        "hors",
        "ici",
        "il",
        "ils",
        "j",
        "je",
        "jusqu",
        "l",
        "la",
        "là",
        "laquelle",
        "le",
        "lequel",
        "les",
        "lesquelles",
        "lesquels",
        "leur",
        "leurs",
        "lui",
        "m",
        "ma",
        "mais",
        "me",
        "meme",
        "memes",
        "merci",
        "mes",
        "mien",
        "mienne",
        "moi",
        "moins",
        "mon",
        "n",
        "ne",
        "ni",
        "non",
        "nos",
        "notre",
        "nous",
        "on",
        "ont",
        "ou",
        "où",
        "par",
        "parce",
        "pas",
        "peu",
        "peut",
        "peuvent",
        "plus",
        "pour",
        "pourquoi",
        "pourrait",
        "qu",
        "quand",
        "que",
        "quel",
        "quelle",
        "quelles",
        "quels",
        "qui",
        "quoi",
        "s",
        "sa",
        "sans",
        "se",
        "sera",
        "serait",
        "ses",
        "si",
        "sien",
        "sienne",
        "soi",
        "soient",
        "sois",
        "soit",
        "sommes",
        "son",
        "sont",
        "sous",
        "suis",
        "sur",
        "t",
        "ta",
        "tandis",
        "te",
        "tel",
        "telle",
        "telles",
        "tels",
        "tes",
        "toi",
        "ton",
        "tous",
        "tout",
        "toute",
        "toutes",
        "tres",
        "très",
        "tu",
        "un",
        "une",
        "unes",
        "uns",
        "vers",
        "via",
        "voici",
        "voilà",
        "vos",
        "votre",
        "vous",
        "y",
        "est-ce",
        "c'est",
        "qu'il",
        "qu'elle",
        "n'est",
        "d'un",
        "d'une",
        "l'on",
    ]
)


class _AccentTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each character (é → e, œ stays)."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        self[code] = base
        return base


_ACCENTS = _AccentTable()


def strip_accents(text: str) -> str:
    """Remove diacritics (é → e) so accent variants compare equal."""
    if text.isascii():
        return text
    return text.translate(_ACCENTS)


def normalise_for_duplicates(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: the key of exact duplicates."""
    folded = strip_accents(text.translate(_QUOTE_MAP).casefold())
    return _SPACES.sub(" ", _NON_WORD.sub(" ", folded)).strip()


def normalise_for_quotes(text: str) -> tuple[str, list[int]]:
    """Fold quote marks, dashes and spaces; return the folded text and an offset map.

    ``offsets[i]`` is the index in ``text`` of the folded text's character ``i``, so a span
    found in the folded text maps back to the original. Case and accents are kept: a quote must
    be verbatim apart from typography.
    """
    out: list[str] = []
    offsets: list[int] = []
    previous_space = True
    for index, char in enumerate(text):
        mapped = char.translate(_QUOTE_MAP)
        for piece in mapped:
            if piece.isspace():
                if previous_space:
                    continue
                out.append(" ")
                offsets.append(index)
                previous_space = True
            else:
                out.append(piece)
                offsets.append(index)
                previous_space = False
    # French typography puts spaces inside « » and before : ; ! ?; English does not. Drop a
    # space next to a straight double quote and before those marks, so both spellings agree.
    keep = [
        not (
            char == " "
            and ((i > 0 and out[i - 1] == '"') or (i + 1 < len(out) and out[i + 1] in '":;!?'))
        )
        for i, char in enumerate(out)
    ]
    out = [char for char, kept in zip(out, keep, strict=True) if kept]
    offsets = [offset for offset, kept in zip(offsets, keep, strict=True) if kept]
    while out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return "".join(out), offsets


def excerpt(text: str, limit: int = 280) -> str:
    """The start of ``text``, cut at a word boundary, as a verbatim prefix (no ellipsis added)."""
    compact = text.strip()
    if len(compact) <= limit:
        return compact
    cut = compact[:limit]
    for stop in (". ", "! ", "? ", "\n"):
        position = cut.rfind(stop)
        if position >= limit // 2:
            return cut[: position + 1].strip()
    space = cut.rfind(" ")
    return cut[: space if space > limit // 2 else limit].strip()
