"""Golden files: the Markdown and HTML of each charter and of a sample report are compared
byte for byte with the checked-in files in ``golden/`` (regenerate with GARANT_UPDATE_GOLDEN=1
after an intended change, then review the diff)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from documents_support import FIXED_AT, GOLDEN

from garant.documents import Document, example_charter_context, render, render_charter

UPDATE = os.environ.get("GARANT_UPDATE_GOLDEN") == "1"


def _compare(produced: Path, golden_name: str) -> None:
    golden = GOLDEN / golden_name
    text = produced.read_text(encoding="utf-8")
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run with GARANT_UPDATE_GOLDEN=1"
    expected = golden.read_text(encoding="utf-8")
    assert text == expected, f"{produced.name} differs from golden/{golden_name}"


@pytest.mark.parametrize("kind", ["internal", "external"])
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_charter_output_matches_golden_file(
    tmp_path: Path, kind: str, language: str, fmt: str
) -> None:
    context = example_charter_context(language)  # type: ignore[arg-type]
    out = tmp_path / f"{kind}.{fmt}"
    render_charter(kind, context, fmt, out, generated_at=FIXED_AT)  # type: ignore[arg-type]
    _compare(out, f"charter-{kind}.{language}.{fmt}")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_sample_report_output_matches_golden_file(
    tmp_path: Path, sample_document: Document, fmt: str
) -> None:
    out = tmp_path / f"annexe.{fmt}"
    render(sample_document, fmt, out)
    _compare(out, f"sample-report.{fmt}")
