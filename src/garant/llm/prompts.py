"""Versioned prompt templates: every prompt sent is traceable to a name, version and hash."""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

from garant.errors import InputError
from garant.i18n import tr
from garant.util.files import sha256_bytes

__all__ = ["PromptTemplate"]


@dataclass(frozen=True)
class PromptTemplate:
    """A named, versioned template using ``$placeholders`` (string.Template syntax)."""

    name: str
    version: str
    text: str

    @property
    def sha256(self) -> str:
        return sha256_bytes(self.text.encode("utf-8"))

    def render(self, **values: str) -> str:
        try:
            return Template(self.text).substitute(values)
        except KeyError as missing:
            raise InputError(
                tr(
                    "Gabarit de prompt « {name} » v{version} : valeur manquante {key}.",
                    "Prompt template '{name}' v{version}: missing value {key}.",
                    name=self.name,
                    version=self.version,
                    key=missing,
                ),
                tr(
                    "Fournissez toutes les variables du gabarit.",
                    "Provide every template variable.",
                ),
            ) from None

    def trace_params(self) -> dict[str, str]:
        return {
            "prompt_template": self.name,
            "prompt_version": self.version,
            "prompt_sha256": self.sha256,
        }
