"""The public draw: one panel of the published lottery chosen by a public seed (RFC 3797).

RFC 3797 (Eastlake, "Publicly Verifiable Nominations Committee (NomCom) Random Selection",
2004) as implemented here: each seed *source* is a list of integers; a source's values are
sorted in increasing numeric order and each is written in decimal without leading zeros and
followed by a period; each source ends with a slash; the sources are concatenated in the order
given (e.g. ``9319./2.5.8.10.12./9.18.26.34.41.45./``). For the j-th selection (j = 0, 1, …) the
MD5 digest of ``j`` as two bytes (big-endian), the key string, and ``j`` again as two bytes is
read as a 128-bit big-endian unsigned integer; its remainder modulo the number of items not yet
selected gives the position (from 0) of the next item among them, the items being numbered
1…``m`` in the published order. Here one item (a panel) is selected, so the panel drawn is
``1 + (MD5(0x0000 ‖ key ‖ 0x0000) mod m)``. MD5 is what the RFC specifies; the draw's
integrity rests on the seed being unknown when the lottery is committed (SHA-256), not on MD5.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

from garant.errors import InputError
from garant.i18n import tr

from .lottery import MAX_LOTTERY
from .model import Lottery, Panel, Redraw

__all__ = [
    "DRAW_FORMAT",
    "draw",
    "panel_to_dict",
    "parse_seed",
    "rfc3797_key",
    "rfc3797_select",
]

DRAW_FORMAT = "garant.sortition.draw/2"


def parse_seed(seed: str | Sequence[Sequence[int]]) -> list[list[int]]:
    """Seed sources: ``"9319 / 2 5 12 8 10 / 9 18 26 34 41 45"`` or a list of integer lists.

    Sources are separated by ``/``, ``;`` or new lines; numbers by spaces or commas. A long
    hexadecimal beacon value can be given as ``0x…`` and is read as one integer.
    """
    if not isinstance(seed, str):
        sources = [[int(v) for v in source] for source in seed]
    else:
        sources = []
        for chunk in re.split(r"[/;\n]", seed):
            tokens = [t for t in re.split(r"[\s,]+", chunk.strip()) if t]
            if not tokens:
                continue
            values = []
            for token in tokens:
                try:
                    values.append(int(token, 16) if token.lower().startswith("0x") else int(token))
                except ValueError:
                    raise InputError(
                        tr(
                            "Graine invalide : « {token} » n'est pas un entier",
                            "Invalid seed: '{token}' is not an integer",
                            token=token,
                        ),
                        tr(
                            "Donnez des nombres entiers, sources séparées par « / ».",
                            "Give whole numbers, sources separated by '/'.",
                        ),
                    ) from None
            sources.append(values)
    if not sources or any(v < 0 for source in sources for v in source):
        raise InputError(
            tr("Graine vide ou négative", "Empty or negative seed"),
            tr(
                "Donnez au moins un nombre entier positif (ex. : tirage du Loto).",
                "Give at least one non-negative integer (e.g. lottery numbers).",
            ),
        )
    return sources


def rfc3797_key(sources: Sequence[Sequence[int]]) -> str:
    """The RFC 3797 key string: each source's values sorted, ``value.`` each, ``/`` per source."""
    return "".join("".join(f"{value}." for value in sorted(source)) + "/" for source in sources)


def rfc3797_select(key: str, pool: int, count: int) -> list[tuple[int, str]]:
    """Select ``count`` items numbered 1…``pool``: ``(item, MD5 hex)`` per selection (RFC 3797)."""
    if not 0 < pool <= MAX_LOTTERY or not 0 <= count <= pool:
        raise ValueError("RFC 3797 handles 1..65535 items")
    remaining = list(range(1, pool + 1))
    chosen: list[tuple[int, str]] = []
    raw = key.encode("ascii")
    for index in range(count):
        prefix = index.to_bytes(2, "big")
        digest = hashlib.md5(prefix + raw + prefix, usedforsecurity=False).digest()
        position = int.from_bytes(digest, "big") % len(remaining)
        chosen.append((remaining.pop(position), digest.hex().upper()))
    return chosen


def draw_key(lottery: Lottery, key: str) -> Panel:
    """The panel of ``lottery`` designated by an RFC 3797 key string."""
    [(index, md5_hex)] = rfc3797_select(key, lottery.m, 1)
    return Panel(
        index=index,
        ids=lottery.panels[index - 1],
        already_selected=tuple(sorted(lottery.already_selected)),
        seed_key=key,
        md5_hex=md5_hex,
        lottery_sha256=lottery.sha256,
    )


def draw(
    lottery: Lottery, seed: str | Sequence[Sequence[int]], *, replaces: Redraw | None = None
) -> Panel:
    """Pick the panel of ``lottery`` designated by the public ``seed`` (RFC 3797).

    ``replaces`` records, for a redraw, the draw it replaces and why.
    """
    panel = draw_key(lottery, rfc3797_key(parse_seed(seed)))
    if replaces is None:
        return panel
    return Panel(**{**panel.__dict__, "replaces": replaces})


def panel_to_dict(panel: Panel) -> dict[str, Any]:
    """The published ``draw.json`` document."""
    return {
        "format": DRAW_FORMAT,
        "index": panel.index,
        "ids": list(panel.ids),
        "already_selected": list(panel.already_selected),
        "seed_key": panel.seed_key,
        "md5": panel.md5_hex,
        "lottery_sha256": panel.lottery_sha256,
        "replaces": None
        if panel.replaces is None
        else {
            "seed_key": panel.replaces.seed_key,
            "index": panel.replaces.index,
            "md5": panel.replaces.md5_hex,
            "reason": panel.replaces.reason,
        },
    }
