"""Issue 12.6: what a French user reads — the main documents, console records and error
messages — never shows a raw vocabulary key (``under_review``, ``public_contributions``,
``referent_ia``…), Typer's English, an ISO timestamp or a doubled word."""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path

import pytest
from test_cli_charter import _registry, garant

import garant.domain.enums as enums
from garant.cli.cli_language import ENGLISH_CLICK_WORDS


def _vocabulary_keys() -> set[str]:
    """Every value of the domain vocabulary written as a code (snake_case)."""
    keys: set[str] = set()
    for value in vars(enums).values():
        if isinstance(value, type) and issubclass(value, Enum) and value is not Enum:
            keys |= {str(member.value) for member in value if "_" in str(member.value)}
    return keys


KEYS = _vocabulary_keys()
ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _problems(text: str) -> list[str]:
    # the values a user types are listed as such after « Valeurs possibles : »
    text = re.sub(r"Valeurs possibles : .*", "", text)
    found = [key for key in KEYS if re.search(rf"(?<![\w./-]){re.escape(key)}(?![\w-])", text)]
    found += [word for word in ENGLISH_CLICK_WORDS if word in text]
    found += ISO_TIMESTAMP.findall(text)
    text_words = re.sub(r"\b(nous nous|vous vous)\b", "", text)
    found += re.findall(r"\b(\w+) \1\b", text_words)  # « politique politique »
    found += re.findall(r"\([^()]* \([^()]*\)\)", text)  # « Albert (DINUM (État)) »
    return found


def test_vocabulary_has_keys_to_look_for() -> None:
    assert {"under_review", "public_contributions", "referent_ia", "web_app"} <= KEYS


@pytest.fixture
def populated(workspace_root: Path) -> Path:
    _registry(workspace_root)
    for step in [
        (
            "tools",
            "add",
            "Mistral",
            "--access",
            "web_app",
            "--vendor",
            "Mistral AI (Paris)",
            "--region",
            "EU",
            "--status",
            "under_review",
            "--by",
            "claire-martin",
        ),
        (
            "training",
            "log",
            "claire-martin",
            "--module",
            "IA générative",
            "--date",
            "02/10/2025",
            "--hours",
            "3.5",
            "--provider",
            "CNFPT",
            "--by",
            "claire-martin",
        ),
    ]:
        code, _, err = garant(workspace_root, *step)
        assert code == 0, (step, err)
    return workspace_root


def test_main_documents_show_no_raw_vocabulary(populated: Path, tmp_path: Path) -> None:
    outputs: dict[str, Path] = {}
    for kind in ("internal", "external"):
        target = tmp_path / f"charter-{kind}.md"
        code, _, err = garant(
            populated, "charter", "render", "--kind", kind, "--format", "md", "-o", str(target)
        )
        assert code == 0, err
        outputs[f"charter {kind}"] = target
    for kind in ("art30", "inventory", "registry"):
        target = tmp_path / f"registre-{kind}.md"
        code, _, err = garant(
            populated, "registry", "export", "--kind", kind, "--format", "md", "-o", str(target)
        )
        assert code == 0, err
        outputs[f"registry {kind}"] = target
    code, _, err = garant(populated, "registry", "publish", "-o", str(tmp_path / "site"))
    assert code == 0, err
    outputs["transparency page"] = tmp_path / "site" / "index.html"
    report = tmp_path / "rapport.md"
    code, _, err = garant(
        populated, "audit", "report", "--format", "md", "-o", str(report), "--skip-mlflow"
    )
    assert code in (0, 1), err  # the report's own verdict is helper "reports"' concern
    outputs["audit report"] = report
    problems = {name: _problems(path.read_text(encoding="utf-8")) for name, path in outputs.items()}
    assert {name: found for name, found in problems.items() if found} == {}


def test_console_records_and_errors_show_no_raw_vocabulary(populated: Path) -> None:
    shown: dict[str, str] = {}
    for args in (
        ("tools", "show", "mistral"),
        ("tools", "list"),
        ("uses", "show", "assistant"),
        ("uses", "list"),
        ("roles", "list"),
        ("training", "list"),
        ("tools", "set-status", "mistral", "nope", "--by", "claire-martin"),
        ("tools", "add", "X", "--access", "nope", "--by", "claire-martin"),
        ("arbitration", "decide", "99", "--by", "claire-martin", "--decision", "non"),
        ("runs", "show", "inconnue"),
    ):
        _, out, err = garant(populated, *args)
        shown[" ".join(args)] = out + err
    problems = {name: _problems(text) for name, text in shown.items()}
    assert {name: found for name, found in problems.items() if found} == {}
