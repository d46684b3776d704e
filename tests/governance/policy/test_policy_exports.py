"""The public API of the policy and checklist packages is explicit and importable."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

PACKAGES = ["garant.governance.policy", "garant.governance.checklists"]


@pytest.mark.parametrize("name", PACKAGES)
def test_every_exported_name_exists_and_public_names_are_exported(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(module.__all__)
    assert all(hasattr(module, item) for item in exported)
    public = {
        attr
        for attr, value in vars(module).items()
        if not attr.startswith("_") and getattr(value, "__module__", "").startswith(name)
    }
    assert public <= exported


def test_policy_and_checklists_import_no_heavy_module() -> None:
    code = (
        "import sys, json\nimport garant.governance.policy, garant.governance.checklists\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(__import__("json").loads(out.stdout))
    heavy = {"mlflow", "litellm", "presidio_analyzer", "spacy", "textual", "typer", "sklearn"}
    assert not heavy & loaded
