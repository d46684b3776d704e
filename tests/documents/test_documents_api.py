"""Public API of garant.documents: explicit, and light to import."""

from __future__ import annotations

import subprocess
import sys

import garant.documents as documents


def test_all_lists_exactly_the_public_names() -> None:
    public = {name for name in dir(documents) if not name.startswith("_")}
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
        "reportlab_import",
        "precompiled",
        "compiled_templates",
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


def test_charter_names_load_on_first_use_only() -> None:
    code = (
        "import sys, garant.documents as d; "
        "before = 'garant.documents.charter_context' in sys.modules; "
        "from garant.documents import CharterContext, render_charter; "
        "print(before, CharterContext.__module__, render_charter.__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [
        "False",
        "garant.documents.charter_context",
        "garant.documents.charters",
    ]
