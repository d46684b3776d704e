"""Setting up test workspaces through the CLI, as a user would (tests/support is on pythonpath)."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

from typer.testing import CliRunner

from garant.cli.main import app

TESTS = Path(__file__).resolve().parents[1]
TEST_POLICY = TESTS / "audit" / "politique-test.yaml"
SHARED_DATA = TESTS.parent / ".." / "shared" / "data"


def require_shared(path: Path) -> Path:
    """The shared sample data, which CI always has beside the clone: missing there is a failure,
    elsewhere a skip with the reason."""
    import os

    import pytest

    if not path.exists():
        reason = f"données partagées absentes : {path}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def adopt_test_policy(root: Path) -> None:
    """Install the approved test policy (tools not listed are allowed) in the workspace."""
    shutil.copy(TEST_POLICY, root / "policies" / "politique.yaml")


def run_cli(root: Path, *commands: str) -> None:
    """Run garant commands (shell-like strings) on the workspace; each must succeed."""
    runner = CliRunner()
    for command in commands:
        result = runner.invoke(app, ["-w", str(root), *shlex.split(command)])
        assert result.exit_code == 0, f"{command}: {result.stderr}"
