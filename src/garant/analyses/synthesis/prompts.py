"""Versioned prompt templates stored as text files in ``prompts/``.

Each file starts with ``# name:`` and ``# version:`` lines, then a ``=== system ===`` and a
``=== user ===`` section. Placeholders use ``$name`` (``string.Template``), so JSON examples in
the text need no escaping; a missing value is an error. ``sha256`` is computed over the file's
bytes so the trace names exactly which text was sent.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from string import Template
from typing import Any

from garant.llm.types import ChatMessage

__all__ = ["PromptTemplate", "data_block", "load_prompt"]

_HEADER = re.compile(r"^# (name|version): (.+)$", re.MULTILINE)
_SECTION = re.compile(r"^=== (system|user) ===$", re.MULTILINE)


@dataclass(frozen=True)
class PromptTemplate:
    """A prompt template and its identity for the trace."""

    name: str
    version: str
    sha256: str
    system: str
    user: str

    def render(self, **values: str) -> list[ChatMessage]:
        """System and user messages with ``values`` substituted (all placeholders required)."""
        return [
            ChatMessage(role="system", content=Template(self.system).substitute(values)),
            ChatMessage(role="user", content=Template(self.user).substitute(values)),
        ]


def load_prompt(name: str) -> PromptTemplate:
    """Load ``prompts/<name>.txt`` shipped with the package."""
    raw = resources.files("garant.analyses.synthesis").joinpath(f"prompts/{name}.txt").read_bytes()
    text = raw.decode("utf-8")
    header = dict(_HEADER.findall(text))
    parts = _SECTION.split(text)
    sections = {parts[i]: parts[i + 1].strip("\n") for i in range(1, len(parts) - 1, 2)}
    if header.get("name") != name or "version" not in header or set(sections) != {"system", "user"}:
        raise ValueError(f"prompt template {name!r} is malformed")
    return PromptTemplate(
        name=name,
        version=header["version"].strip(),
        sha256=hashlib.sha256(raw).hexdigest(),
        system=sections["system"],
        user=sections["user"],
    )


def data_block(items: Any) -> tuple[str, str]:
    """JSON text of ``items`` safe inside a delimited block, and a nonce for its tags.

    ``<`` and ``>`` are written as ``\\u003c``/``\\u003e`` (still valid JSON), so no text in a
    contribution can open or close a tag; the nonce is derived from the content, so the closing
    tag cannot be guessed by the text it encloses.
    """
    encoded = json.dumps(items, ensure_ascii=False, indent=0)
    encoded = encoded.replace("<", "\\u003c").replace(">", "\\u003e")
    nonce = hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:12]
    return encoded, nonce
