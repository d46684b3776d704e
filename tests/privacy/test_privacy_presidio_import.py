"""Presidio is imported without checking the expressions of recognisers garant never uses;
expressions built afterwards are checked as before (issue 14.1)."""

from __future__ import annotations

import subprocess
import sys

_COUNT_COMPILES = (
    "import regex\n"
    "calls = []\n"
    "original = regex.compile\n"
    "def counting(pattern, *args, **kwargs):\n"
    "    calls.append(pattern)\n"
    "    return original(pattern, *args, **kwargs)\n"
    "regex.compile = counting\n"
)


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_presidio_import_skips_compiling_its_predefined_recognisers_expressions() -> None:
    plain = _run(_COUNT_COMPILES + "import presidio_analyzer\nprint(len(calls))")
    lean = _run(
        _COUNT_COMPILES + "from garant.privacy.presidio_import import import_presidio\n"
        "import_presidio()\nprint(len(calls))"
    )
    assert int(plain) > 100  # one per predefined pattern: what the stand-in saves
    assert int(lean) < int(plain) - 100


def test_a_pattern_built_after_the_import_is_still_checked() -> None:
    code = (
        "from garant.privacy.engines import build_analyzer\n"
        "build_analyzer('patterns')\n"
        "from presidio_analyzer import Pattern\n"
        "try:\n"
        "    Pattern('invalide', '(', 0.5)\n"
        "except ValueError:\n"
        "    print('checked')\n"
    )
    assert _run(code) == "checked"


def test_the_patterns_analyser_finds_the_same_after_the_lean_import() -> None:
    text = "Écrire à jean.dupont@exemple.fr ou au 04 04 06 74 76, IBAN FR76 3000 6000 0112 3456 7890 189."
    code = (
        "import presidio_analyzer\n"  # plain import first: every pattern checked
        "from garant.privacy import Pseudonymiser\n"
        f"print(Pseudonymiser('patterns').detect({text!r}))"
    )
    lean = (
        "from garant.privacy import Pseudonymiser\n"
        f"print(Pseudonymiser('patterns').detect({text!r}))"
    )
    found = _run(lean)
    assert found == _run(code)
    assert all(f"EntityType.{kind}" in found for kind in ("EMAIL", "TELEPHONE", "IBAN"))
