"""Public API of garant.analyses.synthesis: exported names exist, imports stay light."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import garant.analyses.synthesis as synthesis
from garant.analyses.synthesis import load_prompt

HEAVY = [
    "sklearn",
    "scipy",
    "matplotlib",
    "datasketch",
    "rapidfuzz",
    "openpyxl",
    "textual",
    "litellm",
]


def test_every_exported_name_exists_and_is_documented() -> None:
    assert sorted(synthesis.__all__) == sorted(set(synthesis.__all__))
    for name in synthesis.__all__:
        member = getattr(synthesis, name)
        if inspect.isfunction(member) or inspect.isclass(member):
            assert member.__doc__, name


def test_importing_the_package_loads_no_heavy_library() -> None:
    probe = "import garant.analyses.synthesis, sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert not {name for name in HEAVY if name in loaded}


def test_prompts_are_versioned_with_a_hash_of_their_text() -> None:
    for name in ("theme_proposal", "theme_consolidation", "theme_assignment", "theme_summary"):
        prompt = load_prompt(name)
        assert prompt.name == name and prompt.version == "1" and len(prompt.sha256) == 64
        assert "$nonce" in prompt.user and "DONNÉES" in prompt.system
