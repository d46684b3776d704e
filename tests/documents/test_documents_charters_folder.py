"""The repository's charters/ folder offers exact copies of the built-in templates."""

from __future__ import annotations

from pathlib import Path

import pytest

BUILTIN = Path(__file__).resolve().parents[2] / "src" / "garant" / "documents" / "templates"
CHARTERS = Path(__file__).resolve().parents[2] / "charters"


@pytest.mark.parametrize(
    "name", sorted(p.name for p in BUILTIN.iterdir() if p.suffix in (".j2", ".css"))
)
def test_charters_folder_copy_matches_builtin_template(name: str) -> None:
    copy = CHARTERS / name
    assert copy.is_file(), f"charters/{name} is missing: copy it from {BUILTIN}"
    assert copy.read_bytes() == (BUILTIN / name).read_bytes(), (
        f"charters/{name} differs from the built-in template: copy it again"
    )
