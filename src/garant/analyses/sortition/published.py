"""The files a sortition publishes, how they are written and how they are read back strictly.

Published (no name, no address, no contact — see the README's "Tirage au sort" section):

- ``commitment.json`` — the SHA-256 of everything below, published *before* the seed exists;
- ``lottery.json`` — the distribution, the ``m`` panels and the published parameters;
- ``verification.csv`` — one line per volunteer: ``id``, the value of each quota criterion and,
  when one person per household is required, ``foyer``: a salted hash of the normalised address
  (equal for housemates, useless to find the address: the salt stays in the workspace);
- ``quotas.csv`` — the quotas file, byte for byte;
- ``draw.json`` — after the draw: the seed's RFC 3797 key, the MD5 digest, the panel.

Never published: the volunteers' file itself (``vivier``), ``inputs.json`` (local paths and the
salt), ``result.json`` (solver log). Readers here refuse a missing, unknown or mistyped field
with a :class:`PublishedFileError` naming the file and the field.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

from garant.errors import InputError
from garant.i18n import tr

from .lottery import COMMITMENT_FORMAT, LOTTERY_FORMAT
from .model import Algorithm, Instance, Lottery, Panel, Redraw
from .rfc3797 import DRAW_FORMAT

__all__ = [
    "COMMITMENT_FILE",
    "DRAW_FILE",
    "HOUSEHOLD_COLUMN",
    "ID_COLUMN",
    "LOTTERY_FILE",
    "NEVER_PUBLISHED",
    "PUBLISHED_FILES",
    "QUOTAS_FILE",
    "VERIFICATION_FILE",
    "PublishedFileError",
    "commitment_from_dict",
    "lottery_from_dict",
    "panel_from_dict",
    "read_published_json",
    "verification_csv",
]

COMMITMENT_FILE = "commitment.json"
LOTTERY_FILE = "lottery.json"
VERIFICATION_FILE = "verification.csv"
QUOTAS_FILE = "quotas.csv"
DRAW_FILE = "draw.json"
PUBLISHED_FILES = (COMMITMENT_FILE, LOTTERY_FILE, VERIFICATION_FILE, QUOTAS_FILE, DRAW_FILE)
NEVER_PUBLISHED = ("inputs.json", "result.json")
ID_COLUMN = "id"
HOUSEHOLD_COLUMN = "foyer"

T = TypeVar("T")


class PublishedFileError(InputError):
    """A published file that cannot be checked: missing, not JSON, a field missing or mistyped."""

    def __init__(self, file: str, field: str, detail: str) -> None:
        where = f"{file} › {field}" if field else file
        super().__init__(
            tr(
                "{where} : {detail}",
                "{where}: {detail}",
                where=where,
                detail=detail,
            ),
            tr(
                "Reprenez le fichier tel que publié par l'organisateur du tirage ; s'il l'est "
                "déjà, signalez-lui qu'il est mal formé.",
                "Take the file as published by the organiser; if it already is, tell them it "
                "is malformed.",
            ),
        )
        self.file = file
        self.field = field
        self.detail = detail


def read_published_json(path: Path) -> tuple[dict[str, Any], bytes]:
    """A published JSON object and its raw bytes (for the hash)."""
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PublishedFileError(name, "", tr("fichier absent", "file missing")) from None
    except OSError as exc:
        raise PublishedFileError(name, "", str(exc.strerror or exc)) from None
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PublishedFileError(
            name,
            "",
            tr("octet non UTF-8 en position {p}", "non-UTF-8 byte at position {p}", p=exc.start),
        ) from None
    except json.JSONDecodeError as exc:
        raise PublishedFileError(
            name,
            "",
            tr(
                "JSON illisible ligne {l}, colonne {c} ({e})",
                "unreadable JSON at line {l}, column {c} ({e})",
                l=exc.lineno,
                c=exc.colno,
                e=exc.msg,
            ),
        ) from None
    if not isinstance(value, dict):
        raise PublishedFileError(
            name, "", tr("un objet JSON {…} est attendu", "a JSON object {…} is expected")
        )
    return value, data


def _expect_fields(data: Mapping[str, Any], fields: set[str], file: str, prefix: str = "") -> None:
    for name in sorted(fields - set(data)):
        raise PublishedFileError(file, prefix + name, tr("champ absent", "field missing"))
    for name in sorted(set(data) - fields):
        raise PublishedFileError(
            file,
            prefix + name,
            tr(
                "champ inconnu (garant ne publie pas ce champ ; il ne peut être vérifié)",
                "unknown field (garant does not publish it; it cannot be checked)",
            ),
        )


def _typed(value: Any, check: Callable[[Any], bool], what: str, file: str, field: str) -> Any:
    if not check(value):
        raise PublishedFileError(
            file,
            field,
            tr(
                "{what} attendu, lu {value}",
                "{what} expected, read {value}",
                what=what,
                value=json.dumps(value, ensure_ascii=False)[:60],
            ),
        )
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_hex(length: int) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return (
            isinstance(value, str)
            and len(value) == length
            and all(c in "0123456789abcdef" for c in value)
        )

    return check


def lottery_from_dict(
    data: Mapping[str, Any], raw: bytes, *, file: str = "lottery.json"
) -> Lottery:
    """A published lottery, every field present and typed; ``sha256`` is that of ``raw``."""
    _expect_fields(
        data,
        {
            "format",
            "algorithm",
            "m",
            "input_hashes",
            "parameters",
            "distribution",
            "rounding",
            "panels",
            "draw_procedure",
        },
        file,
    )
    _typed(data["format"], lambda v: v == LOTTERY_FORMAT, LOTTERY_FORMAT, file, "format")
    algorithm = _typed(
        data["algorithm"],
        lambda v: v in ("leximin", "maximin", "nash", "legacy"),
        "leximin | maximin | nash | legacy",
        file,
        "algorithm",
    )
    m = _typed(data["m"], lambda v: _is_int(v) and 1 <= v <= 65535, "1…65535", file, "m")
    hashes = _typed(
        data["input_hashes"], lambda v: isinstance(v, dict), "{…}", file, "input_hashes"
    )
    _expect_fields(
        hashes, {"pool_sha256", "quotas_sha256", "verification_sha256"}, file, "input_hashes."
    )
    for key, value in hashes.items():
        _typed(value, _is_hex(64), "SHA-256", file, f"input_hashes.{key}")
    params = _typed(data["parameters"], lambda v: isinstance(v, dict), "{…}", file, "parameters")
    _expect_fields(
        params, {"k", "criteria", "households", "already_selected", "excluded"}, file, "parameters."
    )
    _typed(
        params["k"],
        lambda v: _is_int(v) and v > 0,
        tr("entier > 0", "integer > 0"),
        file,
        "parameters.k",
    )
    for key in ("criteria", "already_selected", "excluded"):
        _typed(params[key], _is_str_list, "[…]", file, f"parameters.{key}")
    _typed(
        params["households"],
        lambda v: isinstance(v, bool),
        "true | false",
        file,
        "parameters.households",
    )
    dist = _typed(data["distribution"], lambda v: isinstance(v, dict), "{…}", file, "distribution")
    _expect_fields(dist, {"groups", "compositions", "weights"}, file, "distribution.")
    groups = _typed(
        dist["groups"],
        lambda v: isinstance(v, list) and all(_is_str_list(g) and g for g in v),
        tr("liste de groupes d'identifiants", "list of id groups"),
        file,
        "distribution.groups",
    )
    n = len(groups)

    def _sparse(value: Any) -> bool:
        return isinstance(value, list) and all(
            isinstance(comp, list)
            and all(
                isinstance(pair, list)
                and len(pair) == 2
                and all(_is_int(x) for x in pair)
                and 0 <= pair[0] < n
                and pair[1] > 0
                for pair in comp
            )
            for comp in value
        )

    sparse = _typed(
        dist["compositions"],
        _sparse,
        tr("compositions [[groupe, nombre], …]", "compositions [[group, count], …]"),
        file,
        "distribution.compositions",
    )
    compositions = []
    for comp in sparse:
        dense = [0] * n
        for g, c in comp:
            dense[g] = c
        compositions.append(tuple(dense))
    weights = _typed(
        dist["weights"],
        lambda v: (
            isinstance(v, list)
            and len(v) == len(sparse)
            and all(isinstance(w, int | float) and not isinstance(w, bool) and w >= 0 for w in v)
        ),
        tr("un poids ≥ 0 par composition", "one weight ≥ 0 per composition"),
        file,
        "distribution.weights",
    )
    _typed(data["rounding"], lambda v: isinstance(v, str), "texte", file, "rounding")
    _typed(data["draw_procedure"], lambda v: isinstance(v, str), "texte", file, "draw_procedure")
    panels = _typed(
        data["panels"],
        lambda v: isinstance(v, list) and all(_is_str_list(p) for p in v),
        tr("liste de panels", "list of panels"),
        file,
        "panels",
    )
    return Lottery(
        m=m,
        panels=tuple(tuple(p) for p in panels),
        already_selected=tuple(params["already_selected"]),
        algorithm=cast(Algorithm, algorithm),
        input_hashes=dict(hashes),
        parameters=dict(params),
        max_deviation=float("nan"),
        sha256=hashlib.sha256(raw).hexdigest(),
        groups=tuple(tuple(g) for g in groups),
        compositions=tuple(compositions),
        weights=tuple(float(w) for w in weights),
    )


COMMITMENT_FIELDS = {
    "format",
    "lottery_sha256",
    "m",
    "algorithm",
    "pool_sha256",
    "quotas_sha256",
    "verification_sha256",
    "parameters_sha256",
    "max_deviation",
}


def commitment_from_dict(data: Mapping[str, Any], *, file: str = COMMITMENT_FILE) -> dict[str, Any]:
    """A published commitment, every field present and typed."""
    _expect_fields(data, COMMITMENT_FIELDS, file)
    _typed(data["format"], lambda v: v == COMMITMENT_FORMAT, COMMITMENT_FORMAT, file, "format")
    for key in (
        "lottery_sha256",
        "pool_sha256",
        "quotas_sha256",
        "verification_sha256",
        "parameters_sha256",
    ):
        _typed(data[key], _is_hex(64), "SHA-256", file, key)
    _typed(data["m"], _is_int, tr("entier", "integer"), file, "m")
    _typed(data["algorithm"], lambda v: isinstance(v, str), "texte", file, "algorithm")
    _typed(
        data["max_deviation"],
        lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        tr("nombre", "number"),
        file,
        "max_deviation",
    )
    return dict(data)


def panel_from_dict(data: Mapping[str, Any], *, file: str = DRAW_FILE) -> Panel:
    """A published draw, every field present and typed."""
    _expect_fields(
        data,
        {
            "format",
            "index",
            "ids",
            "already_selected",
            "seed_key",
            "md5",
            "lottery_sha256",
            "replaces",
        },
        file,
    )
    _typed(data["format"], lambda v: v == DRAW_FORMAT, DRAW_FORMAT, file, "format")
    _typed(data["index"], _is_int, tr("entier", "integer"), file, "index")
    for key in ("ids", "already_selected"):
        _typed(data[key], _is_str_list, "[…]", file, key)
    _typed(data["seed_key"], lambda v: isinstance(v, str), "texte", file, "seed_key")
    _typed(data["md5"], lambda v: isinstance(v, str), "texte", file, "md5")
    _typed(data["lottery_sha256"], _is_hex(64), "SHA-256", file, "lottery_sha256")
    replaces = None
    if data["replaces"] is not None:
        previous = _typed(data["replaces"], lambda v: isinstance(v, dict), "{…}", file, "replaces")
        _expect_fields(previous, {"seed_key", "index", "md5", "reason"}, file, "replaces.")
        _typed(previous["index"], _is_int, tr("entier", "integer"), file, "replaces.index")
        for key in ("seed_key", "md5", "reason"):
            _typed(previous[key], lambda v: isinstance(v, str), "texte", file, f"replaces.{key}")
        replaces = Redraw(
            previous["seed_key"], previous["index"], previous["md5"], previous["reason"]
        )
    return Panel(
        index=data["index"],
        ids=tuple(data["ids"]),
        already_selected=tuple(data["already_selected"]),
        seed_key=data["seed_key"],
        md5_hex=data["md5"],
        lottery_sha256=data["lottery_sha256"],
        replaces=replaces,
    )


def household_key(salt: bytes, address: str) -> str:
    """The published household key: HMAC-SHA256 of the normalised address, 16 hex digits."""
    return hmac.new(salt, address.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def verification_csv(instance: Instance, salt: bytes) -> bytes:
    """``verification.csv``: ids, criteria values and (with households) the salted key."""
    criteria = list(instance.quotas.criteria)
    households = bool(instance.household_columns)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([ID_COLUMN, *criteria, *([HOUSEHOLD_COLUMN] if households else [])])
    for index, person in enumerate(instance.ids):
        row = [person, *(instance.features[index][c] for c in criteria)]
        if households:
            key = instance.household[index]
            row.append("" if key is None else household_key(salt, key))
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def household_partition(keys: Mapping[str, str | None]) -> set[frozenset[str]]:
    """The households (of two people or more) as sets of ids."""
    by_key: dict[str, set[str]] = {}
    for person, key in keys.items():
        if key is not None:
            by_key.setdefault(key, set()).add(person)
    return {frozenset(members) for members in by_key.values() if len(members) > 1}


def normalised_households(instance: Instance) -> dict[str, str | None]:
    return dict(zip(instance.ids, instance.household, strict=True))
