"""An inquiry built once per module (see tests/support/inquiry_support.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from inquiry_support import (
    PASSPHRASE,
    Inquiry,
    _relocate_mlflow_artifacts,
    build_inquiry,
)
from workspace_support import run_cli


@pytest.fixture(scope="module")
def inquiry(_template_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Inquiry:
    import os

    base = tmp_path_factory.mktemp("inquiry")
    root = base / "ws"
    shutil.copytree(_template_workspace, root)
    _relocate_mlflow_artifacts(root)
    previous = {k: os.environ.get(k) for k in ("GARANT_ACTOR", "GARANT_TEST_KEY")}
    os.environ["GARANT_ACTOR"] = "jeanne-morel"
    os.environ["GARANT_TEST_KEY"] = PASSPHRASE
    try:
        build_inquiry(root, base)
        run_cli(
            root,
            'keys create jeanne-morel --passphrase-env GARANT_TEST_KEY --name "Jeanne Morel"',
            "annex export plu --signer jeanne-morel --passphrase-env GARANT_TEST_KEY",
        )
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    folder = root / "exports" / "enquetes" / "plu"
    return Inquiry(root, folder / "annexe.pdf", folder / "annexe-manifeste.json")
