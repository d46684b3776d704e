"""Generated volunteers' pools for the sortition tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from garant.analyses.sortition import Instance, build_instance, load_pool, load_quotas, write_demo


def demo_instance(folder: Path, *, n: int, k: int, seed: int, **options: Any) -> Instance:
    """A pool of ``n`` generated volunteers (:func:`write_demo`, skewed against its quotas) for
    a panel of ``k``, people at one address forming a household."""
    pool, quotas = write_demo(folder, n=n, k=k, seed=seed, **options)
    return build_instance(
        load_pool(pool, id_column="id"),
        load_quotas(quotas),
        k,
        household_columns=("adresse", "code_postal"),
    )
