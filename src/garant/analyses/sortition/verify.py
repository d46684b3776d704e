"""Verification of a published draw from the published files alone (and, optionally, the seed).

Every field of ``commitment.json``, ``lottery.json`` and ``draw.json`` is checked against a
recomputation from ``verification.csv`` and ``quotas.csv`` (whose hashes the commitment
announces): the lottery is rounded again from its distribution (a deterministic computation,
see :mod:`.lottery`), every panel is checked against the quotas and the household rule, and the
RFC 3797 draw is redone. Each :class:`Check` names the file and the field and says, in words,
what was published and what was recomputed. Whoever holds the raw volunteers' file (the
organiser, a bailiff) can add it: its hash and its agreement with ``verification.csv`` are then
checked too.

Outcomes: ``ok`` (every check passed), not ``ok`` (a field differs: the file was changed or
does not belong to this draw) and ``malformed`` (a file is missing or cannot be read: nothing
could be concluded). The CLI maps them to exit codes 0, 1 and 2.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from garant.errors import InputError
from garant.i18n import tr

from .inputs import build_instance, load_pool, load_quotas
from .lottery import (
    DRAW_PROCEDURE,
    ROUNDING,
    expand_panels,
    max_deviation,
    parameters_sha256,
    round_copies,
)
from .model import Check, Instance, Lottery, Panel, VerificationResult
from .problem import reduce_instance
from .published import (
    COMMITMENT_FILE,
    DRAW_FILE,
    HOUSEHOLD_COLUMN,
    ID_COLUMN,
    LOTTERY_FILE,
    QUOTAS_FILE,
    VERIFICATION_FILE,
    PublishedFileError,
    commitment_from_dict,
    household_partition,
    lottery_from_dict,
    panel_from_dict,
    read_published_json,
)
from .rfc3797 import draw_key, parse_seed, rfc3797_key

__all__ = ["verify"]


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 20 else text[:16] + "…"


class _Checks:
    def __init__(self) -> None:
        self.items: list[Check] = []

    def same(self, file: str, field: str, published: object, recomputed: object, what: str) -> bool:
        ok = published == recomputed
        detail = (
            tr("{what} : {v}", "{what}: {v}", what=what, v=_short(published))
            if ok
            else tr(
                "{what} publié {a}, recalculé {b}",
                "{what} published {a}, recomputed {b}",
                what=what,
                a=_short(published),
                b=_short(recomputed),
            )
        )
        self.add(file, field, ok, detail)
        return ok

    def add(self, file: str, field: str, ok: bool, detail: str, *, skipped: bool = False) -> None:
        name = f"{file} › {field}" if field else file
        self.items.append(Check(name, ok, detail, file, field, skipped))


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        raise PublishedFileError(path.name, "", tr("fichier absent", "file missing")) from None
    except OSError as exc:
        raise PublishedFileError(path.name, "", str(exc.strerror or exc)) from None


def verify(
    published: Path | str,
    *,
    seed: str | Sequence[Sequence[int]] | None = None,
    pool: Path | str | None = None,
    quotas: Path | str | None = None,
    verification: Path | str | None = None,
    household_columns: Sequence[str] = (),
) -> VerificationResult:
    """Recompute the draw from the published folder (and the public ``seed``).

    ``quotas`` and ``verification`` default to the folder's ``quotas.csv`` and
    ``verification.csv``. ``pool`` is the raw volunteers' file, for whoever holds it; with
    ``household_columns`` its households are compared with the published household keys.
    """
    folder = Path(published)
    if folder.is_file():
        folder = folder.parent
    checks = _Checks()
    try:
        panel = _verify(
            folder,
            checks,
            seed,
            Path(pool) if pool is not None else None,
            Path(quotas) if quotas is not None else folder / QUOTAS_FILE,
            Path(verification) if verification is not None else folder / VERIFICATION_FILE,
            household_columns,
        )
    except PublishedFileError as error:
        checks.add(error.file, error.field, False, error.detail)
        return VerificationResult(False, tuple(checks.items), None, malformed=True)
    except InputError as error:
        checks.add(tr("commande", "command"), "", False, error.message)
        return VerificationResult(False, tuple(checks.items), None, malformed=True)
    return VerificationResult(all(c.ok for c in checks.items), tuple(checks.items), panel)


def _verify(
    folder: Path,
    checks: _Checks,
    seed: str | Sequence[Sequence[int]] | None,
    pool_path: Path | None,
    quotas_path: Path,
    verification_path: Path,
    household_columns: Sequence[str],
) -> Panel | None:
    promised = commitment_from_dict(read_published_json(folder / COMMITMENT_FILE)[0])
    data, raw = read_published_json(folder / LOTTERY_FILE)
    lottery = lottery_from_dict(data, raw)
    draw_data = None
    if (folder / DRAW_FILE).exists():
        draw_data = panel_from_dict(read_published_json(folder / DRAW_FILE)[0])
    key = rfc3797_key(parse_seed(seed)) if seed is not None else None
    quotas_hash, verification_hash = _sha256(quotas_path), _sha256(verification_path)
    try:
        quota_set = load_quotas(quotas_path)
    except InputError as error:
        raise PublishedFileError(quotas_path.name, "", error.message) from None
    try:
        people = load_pool(verification_path, id_column=ID_COLUMN)
    except InputError as error:
        raise PublishedFileError(verification_path.name, "", error.message) from None

    c, lf = COMMITMENT_FILE, LOTTERY_FILE
    h = tr("empreinte", "hash")
    checks.same(c, "lottery_sha256", promised["lottery_sha256"], lottery.sha256, h + " " + lf)
    checks.same(c, "m", promised["m"], lottery.m, tr("nombre de panels", "number of panels"))
    checks.same(c, "algorithm", promised["algorithm"], lottery.algorithm, tr("méthode", "method"))
    checks.same(c, "quotas_sha256", promised["quotas_sha256"], quotas_hash, h + " quotas.csv")
    checks.same(
        c,
        "verification_sha256",
        promised["verification_sha256"],
        verification_hash,
        h + " " + VERIFICATION_FILE,
    )
    checks.same(
        c,
        "parameters_sha256",
        promised["parameters_sha256"],
        parameters_sha256(lottery.parameters),
        h + tr(" des paramètres de lottery.json", " of lottery.json's parameters"),
    )
    for name in ("pool_sha256", "quotas_sha256", "verification_sha256"):
        checks.same(
            lf,
            f"input_hashes.{name}",
            lottery.input_hashes[name],
            promised[name],
            tr(
                "empreinte (commitment.json : même valeur attendue)", "hash (as in commitment.json)"
            ),
        )
    if pool_path is None:
        checks.add(
            c,
            "pool_sha256",
            True,
            tr(
                "non vérifiée ici : seul le détenteur du vivier brut (organisateur, huissier) peut "
                "la recalculer (--pool)",
                "not checked here: only whoever holds the raw pool can recompute it (--pool)",
            ),
            skipped=True,
        )
    else:
        checks.same(c, "pool_sha256", promised["pool_sha256"], _sha256(pool_path), h + " vivier")
    checks.same(lf, "m", lottery.m, len(lottery.panels), tr("nombre de panels", "number of panels"))
    checks.same(lf, "rounding", data["rounding"], ROUNDING, tr("règle d'arrondi", "rounding rule"))
    checks.same(
        lf, "draw_procedure", data["draw_procedure"], DRAW_PROCEDURE, tr("procédure", "procedure")
    )
    instance = _instance(checks, lottery, quota_set, people)
    if instance is not None:
        _check_distribution(checks, lottery, instance)
        if pool_path is not None:
            _check_raw_pool(checks, instance, pool_path, household_columns)
    recomputed_deviation = _check_panels(checks, lottery, instance)
    if recomputed_deviation is not None:
        published_deviation = float(promised["max_deviation"])
        checks.add(
            c,
            "max_deviation",
            abs(published_deviation - recomputed_deviation) <= 1e-12,
            tr(
                "écart maximal dû à l'arrondi publié {a:.6%}, recalculé {b:.6%}",
                "largest rounding deviation published {a:.6%}, recomputed {b:.6%}",
                a=published_deviation,
                b=recomputed_deviation,
            ),
        )
    return _check_draw(checks, lottery, draw_data, key)


def _instance(
    checks: _Checks, lottery: Lottery, quota_set: object, people: object
) -> Instance | None:
    from .model import Pool, QuotaSet

    assert isinstance(quota_set, QuotaSet) and isinstance(people, Pool)
    params = lottery.parameters
    lf = LOTTERY_FILE
    checks.same(
        lf,
        "parameters.criteria",
        list(params["criteria"]),  # type: ignore[call-overload]
        list(quota_set.criteria),
        tr("critères (quotas.csv)", "criteria (quotas.csv)"),
    )
    known = {row.id for row in people.rows}
    k = int(params["k"])  # type: ignore[call-overload]
    selected = list(params["already_selected"])  # type: ignore[call-overload]
    excluded = list(params["excluded"])  # type: ignore[call-overload]
    seats = k - len(selected)
    wrong_size = next((i for i, p in enumerate(lottery.panels, 1) if len(p) != seats), None)
    checks.add(
        lf,
        "parameters.k",
        wrong_size is None,
        tr(
            "panel de {k} : {s} places tirées + {a} déjà sélectionné(s)",
            "panel of {k}: {s} seats drawn + {a} already selected",
            k=k,
            s=seats,
            a=len(selected),
        )
        if wrong_size is None
        else tr(
            "k = {k} : le panel n° {i} a {n} membres tirés au lieu de {s}",
            "k = {k}: panel #{i} has {n} members drawn instead of {s}",
            k=k,
            i=wrong_size,
            n=len(lottery.panels[wrong_size - 1]),
            s=seats,
        ),
    )
    wrong_comp = next(
        (j for j, comp in enumerate(lottery.compositions, 1) if sum(comp) != seats), None
    )
    checks.add(
        lf,
        "distribution.compositions",
        wrong_comp is None,
        tr(
            "{n} compositions de {s} places",
            "{n} compositions of {s} seats",
            n=len(lottery.compositions),
            s=seats,
        )
        if wrong_comp is None
        else tr(
            "la composition n° {j} compte {n} places au lieu de {s}",
            "composition #{j} has {n} seats instead of {s}",
            j=wrong_comp,
            n=sum(lottery.compositions[wrong_comp - 1]),
            s=seats,
        ),
    )
    drawn = {person for panel in lottery.panels for person in panel}
    for field, ids in (("already_selected", selected), ("excluded", excluded)):
        unknown = [p for p in ids if p not in known]
        on_panel = [p for p in ids if p in drawn]
        checks.add(
            lf,
            f"parameters.{field}",
            not unknown and not on_panel,
            tr(
                "{n} identifiant(s), tous dans verification.csv",
                "{n} id(s), all in verification.csv",
                n=len(ids),
            )
            if not unknown and not on_panel
            else tr(
                "« {p} » absent de verification.csv",
                "'{p}' is not in verification.csv",
                p=unknown[0],
            )
            if unknown
            else tr(
                "« {p} » figure aussi parmi les panels tirés",
                "'{p}' is also on a drawn panel",
                p=on_panel[0],
            ),
        )
        if unknown:
            return None
    has_key = any(col.casefold() == HOUSEHOLD_COLUMN for col in people.columns)
    checks.same(
        lf,
        "parameters.households",
        params["households"],
        has_key,
        tr("règle « une personne par foyer » (colonne foyer)", "one-per-household rule"),
    )
    try:
        instance = build_instance(
            people,
            quota_set,
            k,
            household_columns=[HOUSEHOLD_COLUMN] if params["households"] and has_key else [],
            already_selected=selected,
            excluded=excluded,
        )
    except InputError as error:
        checks.add(lf, "parameters", False, error.message)
        return None
    checks.add(
        lf,
        "parameters",
        True,
        tr(
            "panel de {k}, {n} volontaires, {s} déjà sélectionné(s), {x} exclu(s)",
            "panel of {k}, {n} volunteers, {s} already selected, {x} excluded",
            k=instance.k,
            n=len(instance.ids),
            s=len(instance.already_selected),
            x=len(instance.excluded),
        ),
    )
    return instance


def _check_distribution(checks: _Checks, lottery: Lottery, instance: Instance) -> None:
    lf = LOTTERY_FILE
    problem = reduce_instance(instance, aggregate=False)
    eligible = {instance.ids[members[0]] for members in problem.groups}
    features = dict(zip(instance.ids, instance.features, strict=True))
    listed: dict[str, int] = {}
    problem_text = ""
    for g, group in enumerate(lottery.groups):
        for person in group:
            if person in listed:
                problem_text = tr(
                    "« {p} » figure dans les groupes {a} et {b}",
                    "'{p}' is in groups {a} and {b}",
                    p=person,
                    a=listed[person] + 1,
                    b=g + 1,
                )
            elif person not in eligible:
                problem_text = tr(
                    "groupe {g} : « {p} » n'est pas un volontaire éligible de verification.csv",
                    "group {g}: '{p}' is not an eligible volunteer of verification.csv",
                    g=g + 1,
                    p=person,
                )
            elif dict(features[person]) != dict(features[group[0]]):
                problem_text = tr(
                    "groupe {g} : « {p} » et « {q} » n'ont pas les mêmes valeurs de critères",
                    "group {g}: '{p}' and '{q}' differ on the criteria",
                    g=g + 1,
                    p=person,
                    q=group[0],
                )
            listed.setdefault(person, g)
            if problem_text:
                break
        if problem_text:
            break
    missing = sorted(eligible - set(listed))
    if not problem_text and missing:
        problem_text = tr(
            "{n} volontaire(s) éligible(s) dans aucun groupe (ex. « {p} »)",
            "{n} eligible volunteer(s) in no group (e.g. '{p}')",
            n=len(missing),
            p=missing[0],
        )
    checks.add(
        lf,
        "distribution.groups",
        not problem_text,
        problem_text
        or tr(
            "{g} groupes de personnes interchangeables, {n} volontaires éligibles",
            "{g} groups of interchangeable people, {n} eligible volunteers",
            g=len(lottery.groups),
            n=len(eligible),
        ),
    )
    total = sum(lottery.weights)
    checks.add(
        lf,
        "distribution.weights",
        abs(total - 1.0) <= 1e-9,
        tr("somme des poids {s:.12f} (attendu 1)", "sum of weights {s:.12f} (expected 1)", s=total),
    )
    too_many = next(
        (
            (j, g)
            for j, comp in enumerate(lottery.compositions)
            for g, count in enumerate(comp)
            if count > len(lottery.groups[g])
        ),
        None,
    )
    checks.add(
        lf,
        "distribution.compositions",
        too_many is None,
        tr(
            "aucune composition ne demande plus de membres qu'un groupe n'en a",
            "no composition asks a group for more members than it has",
        )
        if too_many is None
        else tr(
            "composition {j} : plus de places que de membres dans le groupe {g}",
            "composition {j}: more seats than members in group {g}",
            j=too_many[0] + 1,
            g=too_many[1] + 1,
        ),
    )


def _check_panels(checks: _Checks, lottery: Lottery, instance: Instance | None) -> float | None:
    lf = LOTTERY_FILE
    try:
        copies = round_copies(
            lottery.weights, lottery.compositions, [len(g) for g in lottery.groups], lottery.m
        )
    except InputError as error:
        checks.add(lf, "panels", False, error.message)
        return None
    recomputed = expand_panels(lottery.groups, lottery.compositions, copies)
    differs = next(
        (i for i, (a, b) in enumerate(zip(lottery.panels, recomputed, strict=False)) if a != b),
        None,
    )
    if differs is None and len(recomputed) != len(lottery.panels):
        differs = min(len(recomputed), len(lottery.panels))
    if differs is None:
        checks.add(
            lf,
            "panels",
            True,
            tr(
                "les {m} panels sont exactement ceux que donne l'arrondi de la distribution",
                "the {m} panels are exactly those the rounding of the distribution gives",
                m=lottery.m,
            ),
        )
    else:
        published = lottery.panels[differs] if differs < len(lottery.panels) else ()
        expected = recomputed[differs] if differs < len(recomputed) else ()
        removed = sorted(set(published) - set(expected))
        added = sorted(set(expected) - set(published))
        checks.add(
            lf,
            "panels",
            False,
            tr(
                "panel n° {i} : publié avec {a}, l'arrondi de la distribution donne {b}",
                "panel #{i}: published with {a}, the rounding of the distribution gives {b}",
                i=differs + 1,
                a=", ".join(removed) or "—",
                b=", ".join(added) or "—",
            ),
        )
    if instance is not None:
        _check_quotas(checks, lottery, instance)
    return max_deviation(lottery.panels, lottery.groups, lottery.compositions, lottery.weights)


def _check_quotas(checks: _Checks, lottery: Lottery, instance: Instance) -> None:
    problem = reduce_instance(instance, aggregate=False)
    position = {problem.instance.ids[members[0]]: g for g, members in enumerate(problem.groups)}
    for number, listed in enumerate(lottery.panels, start=1):
        counts = [0] * problem.n_groups
        unknown = next((p for p in listed if p not in position), None)
        if unknown is not None:
            broken = [
                tr(
                    "« {p} » n'est pas un volontaire éligible",
                    "'{p}' is not an eligible volunteer",
                    p=unknown,
                )
            ]
        else:
            for person in listed:
                counts[position[person]] += 1
            broken = problem.violations(counts)
        if broken:
            checks.add(
                LOTTERY_FILE,
                "panels",
                False,
                tr(
                    "panel n° {i} hors règles : {why}",
                    "panel #{i} breaks the rules: {why}",
                    i=number,
                    why="; ".join(broken),
                ),
            )
            return
    checks.add(
        LOTTERY_FILE,
        "panels",
        True,
        tr(
            "les {m} panels respectent tous les quotas et la règle des foyers",
            "all {m} panels meet the quotas and the household rule",
            m=lottery.m,
        ),
    )


def _check_raw_pool(
    checks: _Checks, instance: Instance, pool_path: Path, household_columns: Sequence[str]
) -> None:
    raw = build_instance(
        load_pool(pool_path),
        instance.quotas,
        instance.k,
        household_columns=household_columns,
    )
    raw_features = dict(zip(raw.ids, raw.features, strict=True))
    published = dict(zip(instance.ids, instance.features, strict=True))
    differing = next(
        (
            p
            for p in sorted(set(raw_features) | set(published))
            if dict(raw_features.get(p, {})) != dict(published.get(p, {}))
        ),
        None,
    )
    checks.add(
        VERIFICATION_FILE,
        "id + critères",
        differing is None,
        tr("identique au vivier brut", "same as the raw pool")
        if differing is None
        else tr("« {p} » diffère du vivier brut", "'{p}' differs from the raw pool", p=differing),
    )
    if household_columns:
        same = household_partition(dict(zip(raw.ids, raw.household, strict=True))) == (
            household_partition(dict(zip(instance.ids, instance.household, strict=True)))
        )
        checks.add(
            VERIFICATION_FILE,
            HOUSEHOLD_COLUMN,
            same,
            tr("mêmes foyers que le vivier brut", "same households as the raw pool")
            if same
            else tr("foyers différents du vivier brut", "households differ from the raw pool"),
        )


def _check_draw(
    checks: _Checks, lottery: Lottery, claimed: Panel | None, key: str | None
) -> Panel | None:
    d = DRAW_FILE
    if claimed is None:
        if key is None:
            return None
        panel = draw_key(lottery, key)
        checks.add(
            d,
            "—",
            True,
            tr(
                "pas encore de tirage publié ; cette graine désignerait le panel n° {i}",
                "no draw published yet; this seed would select panel #{i}",
                i=panel.index,
            ),
            skipped=True,
        )
        return panel
    if key is None:
        key = claimed.seed_key
        checks.add(
            d,
            "seed_key",
            True,
            tr(
                "graine non donnée : la clé publiée « {k} » est utilisée — comparez-la au "
                "résultat public annoncé (--seed)",
                "no seed given: the published key '{k}' is used — compare it with the public "
                "result (--seed)",
                k=key,
            ),
            skipped=True,
        )
    else:
        checks.same(d, "seed_key", claimed.seed_key, key, tr("clé RFC 3797", "RFC 3797 key"))
    try:
        panel = draw_key(lottery, key)
    except (ValueError, UnicodeEncodeError):
        checks.add(d, "seed_key", False, tr("clé RFC 3797 invalide", "invalid RFC 3797 key"))
        return None
    checks.same(d, "lottery_sha256", claimed.lottery_sha256, lottery.sha256, "empreinte loterie")
    checks.same(d, "md5", claimed.md5_hex, panel.md5_hex, "MD5")
    checks.same(d, "index", claimed.index, panel.index, tr("numéro du panel", "panel number"))
    wrong = sorted(set(claimed.ids) ^ set(panel.ids))
    checks.add(
        d,
        "ids",
        claimed.ids == panel.ids,
        tr("{n} membres tirés", "{n} members drawn", n=len(panel.ids))
        if claimed.ids == panel.ids
        else tr(
            "membres publiés différents du panel n° {i} : {ids}",
            "published members differ from panel #{i}: {ids}",
            i=panel.index,
            ids=", ".join(f"« {p} »" for p in wrong) or tr("ordre changé", "order changed"),
        ),
    )
    checks.same(
        d,
        "already_selected",
        list(claimed.already_selected),
        list(panel.already_selected),
        tr("déjà sélectionnés", "already selected"),
    )
    previous = claimed.replaces
    if previous is not None:
        try:
            first = draw_key(lottery, previous.seed_key)
        except (ValueError, UnicodeEncodeError):
            first = None
        ok = (
            first is not None
            and first.index == previous.index
            and first.md5_hex == previous.md5_hex
            and previous.seed_key != key
            and bool(previous.reason.strip())
        )
        checks.add(
            d,
            "replaces",
            ok,
            tr(
                "nouveau tirage motivé (« {r} ») remplaçant le tirage de clé {k} (panel n° {i})",
                "reasoned redraw ('{r}') replacing the draw with key {k} (panel #{i})",
                r=previous.reason,
                k=previous.seed_key,
                i=previous.index,
            )
            if ok
            else tr(
                "le tirage remplacé ne correspond pas à sa clé (panel n° {i}, MD5 {m})",
                "the replaced draw does not match its key (panel #{i}, MD5 {m})",
                i=previous.index,
                m=_short(previous.md5_hex),
            ),
        )
    else:
        checks.add(d, "replaces", True, tr("premier tirage", "first draw"))
    return Panel(**{**panel.__dict__, "replaces": previous})
