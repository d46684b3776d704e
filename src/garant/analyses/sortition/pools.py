"""Pools of volunteers registered in the workspace (kept in ``private/pools/``, never sent).

Registering a pool validates it once, keeps a copy under a stable name with its SHA-256, and
lets later draws name it (``garant sortition run vivier-2026 quotas.csv …``) instead of a path
that may change or be edited in place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from garant.analyses.sortition.inputs import load_pool
from garant.errors import ConflictError, NotFoundError
from garant.governance.lookup import slugify
from garant.i18n import tr
from garant.util.files import atomic_write_bytes, atomic_write_text, sha256_file
from garant.workspace import Workspace

__all__ = ["RegisteredPool", "list_pools", "register_pool", "resolve_pool"]


@dataclass(frozen=True)
class RegisteredPool:
    name: str
    path: Path
    sha256: str
    people: int
    columns: tuple[str, ...]


def _folder(workspace: Workspace) -> Path:
    return workspace.private_dir / "pools"


def register_pool(
    workspace: Workspace, name: str, source: Path, *, replace: bool = False
) -> RegisteredPool:
    """Validate ``source`` as a pool and keep a copy under ``name`` in the workspace."""
    key = slugify(name)
    target = _folder(workspace) / f"{key}.csv"
    if target.exists() and not replace:
        raise ConflictError(
            tr(
                "Un vivier « {n} » est déjà enregistré.",
                "A pool '{n}' is already registered.",
                n=key,
            ),
            tr(
                "Choisissez un autre nom, ou remplacez-le avec --replace.",
                "Choose another name, or --replace it.",
            ),
        )
    pool = load_pool(source)
    atomic_write_bytes(target, source.read_bytes(), mode=0o600)
    registered = RegisteredPool(
        key, target, sha256_file(target), len(pool.rows), tuple(pool.columns)
    )
    atomic_write_text(
        target.with_suffix(".json"),
        json.dumps(
            {
                "name": key,
                "source": source.name,
                "sha256": registered.sha256,
                "people": registered.people,
                "columns": list(registered.columns),
            },
            ensure_ascii=False,
            indent=2,
        ),
    )
    return registered


def list_pools(workspace: Workspace) -> list[RegisteredPool]:
    pools = []
    for meta in sorted(_folder(workspace).glob("*.json")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        path = meta.with_suffix(".csv")
        pools.append(
            RegisteredPool(
                data["name"], path, data["sha256"], int(data["people"]), tuple(data["columns"])
            )
        )
    return pools


def resolve_pool(workspace: Workspace, reference: Path) -> Path:
    """A pool file: ``reference`` itself if it exists, else the registered pool of that name."""
    if reference.is_file():
        return reference
    registered = _folder(workspace) / f"{slugify(str(reference))}.csv"
    if registered.is_file():
        return registered
    raise NotFoundError(
        tr(
            "Vivier introuvable : ni fichier ni vivier enregistré « {r} ».",
            "Pool not found: neither a file nor a registered pool '{r}'.",
            r=reference,
        ),
        tr(
            "Voyez « garant sortition pools list » ou donnez le chemin du fichier CSV.",
            "See 'garant sortition pools list' or give the CSV file's path.",
        ),
    )
