"""Fair and verifiable sortition of citizens' panels (tirage au sort pondéré et multicritères).

Typical use (what ``garant sortition run/draw/verify`` do)::

    outcome = run_sortition("vivier.csv", "quotas.csv", 30, run_dir, algorithm="leximin",
                            household_columns=["adresse", "code_postal"], progress=callback)
    # publish run_dir/lottery.json and commitment.json, then, once the public seed is known:
    panel = draw_run(run_dir, "12 25 31 40 44 / 7")
    check = verify(run_dir, seed="12 25 31 40 44 / 7")  # from the published files alone

Lower-level steps: :func:`load_pool`, :func:`load_quotas`, :func:`build_instance`,
:func:`solve`, :func:`prepare_lottery`, :func:`draw`, :func:`build_report`.
"""

from __future__ import annotations

from .algorithms import solve
from .feasibility import InfeasibleQuotasError, explain
from .generate import generate_pool, generate_quotas, write_demo
from .inputs import build_instance, load_id_list, load_pool, load_quotas
from .lottery import prepare_lottery
from .model import (
    ALGORITHMS,
    Algorithm,
    Check,
    Conflict,
    Infeasibility,
    Instance,
    Lottery,
    Panel,
    Pool,
    ProgressCallback,
    Quota,
    QuotaSet,
    Redraw,
    Relaxation,
    SolveProgress,
    SortitionResult,
    VerificationResult,
)
from .published import PUBLISHED_FILES, PublishedFileError
from .report import (
    Fairness,
    QuotaLine,
    Report,
    build_report,
    fairness,
    quota_table,
    write_probability_plot,
)
from .rfc3797 import draw, parse_seed, rfc3797_key, rfc3797_select
from .rundir import (
    load_draw,
    load_lottery,
    load_result,
    result_to_dict,
    save_draw,
    save_lottery,
    save_result,
)
from .service import RunOutcome, draw_run, load_instance, load_run_instance, run_sortition
from .verify import verify

__all__ = [
    "ALGORITHMS",
    "PUBLISHED_FILES",
    "Algorithm",
    "Check",
    "Conflict",
    "Fairness",
    "Infeasibility",
    "InfeasibleQuotasError",
    "Instance",
    "Lottery",
    "Panel",
    "Pool",
    "ProgressCallback",
    "PublishedFileError",
    "Quota",
    "QuotaLine",
    "QuotaSet",
    "Redraw",
    "Relaxation",
    "Report",
    "RunOutcome",
    "SolveProgress",
    "SortitionResult",
    "VerificationResult",
    "build_instance",
    "build_report",
    "draw",
    "draw_run",
    "explain",
    "fairness",
    "generate_pool",
    "generate_quotas",
    "load_draw",
    "load_id_list",
    "load_instance",
    "load_lottery",
    "load_pool",
    "load_quotas",
    "load_result",
    "load_run_instance",
    "parse_seed",
    "prepare_lottery",
    "quota_table",
    "result_to_dict",
    "rfc3797_key",
    "rfc3797_select",
    "run_sortition",
    "save_draw",
    "save_lottery",
    "save_result",
    "solve",
    "verify",
    "write_demo",
    "write_probability_plot",
]
