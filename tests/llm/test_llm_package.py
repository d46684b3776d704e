"""Package hygiene: a cheap import (no litellm, no EcoLogits) and an honest ``__all__``."""

from __future__ import annotations

import subprocess
import sys

import garant.llm
import garant.llm.testing


def test_importing_garant_llm_loads_neither_litellm_nor_ecologits() -> None:
    code = (
        "import sys, garant.llm, garant.llm.testing\n"
        "print(sorted(m for m in ('litellm', 'openai', 'ecologits', 'httpx') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_every_exported_name_exists() -> None:
    for module in (garant.llm, garant.llm.testing):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"
