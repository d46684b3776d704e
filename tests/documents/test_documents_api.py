"""Public API of garant.documents: explicit, and light to import."""

from __future__ import annotations

import subprocess
import sys

import garant.documents as documents


def test_all_lists_exactly_the_public_names() -> None:
    public = {name for name in vars(documents) if not name.startswith("_")}
    modules = {
        "charter_context",
        "charters",
        "environment",
        "integrity",
        "model",
        "rendering",
        "source",
        "markup",
        "text_formats",
        "pdf",
        "docx",
        "annex_pdf",
        "annex_signing",
        "exports",
        "review_addendum",
    }
    assert set(documents.__all__) == public - modules
    assert len(documents.__all__) == len(set(documents.__all__))


def test_importing_documents_does_not_load_pdf_or_ui_libraries() -> None:
    code = (
        "import sys, garant.documents; "
        "print(sorted(m for m in ('reportlab', 'markdown', 'textual', 'typer', 'docx') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
