"""Import Presidio without validating the regular expressions of recognisers garant never uses.

``import presidio_analyzer`` imports every predefined recogniser of every country (its
registry imports them all), and each class-level ``Pattern`` checks its expression by compiling
it with ``regex.compile`` — about 180 expressions, the URL one alone a third of the time —
whose compiled form is thrown away (a recogniser compiles its patterns again, with its flags,
on first use). garant registers its own recognisers only (see :mod:`garant.privacy.engines`).

:func:`import_presidio` imports the package with that check switched off *during the import
only*: a ``Pattern`` built afterwards (garant's recognisers, built when an analyser is) is
checked as before (``tests/privacy`` checks both). Expressions that are used are compiled at
their first analysis as before, so an invalid one would still fail there.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from garant.privacy.spacy_import import import_spacy

__all__ = ["import_presidio"]

_lock = threading.Lock()
_PATTERN_MODULE = "presidio_analyzer.pattern"
_VALIDATOR = "_Pattern__validate_regex"  # Pattern's private (name-mangled) check


class _SkipValidation(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``presidio_analyzer.pattern`` and, once executed, switches its check off."""

    def __init__(self) -> None:
        self.original: Any = None
        self.pattern_class: Any = None
        self._spec: importlib.machinery.ModuleSpec | None = None

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _PATTERN_MODULE or self._spec is not None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        self._spec = spec
        self._loader = spec.loader
        spec.loader = self
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        pattern_class = getattr(module, "Pattern", None)
        original = getattr(pattern_class, _VALIDATOR, None) if pattern_class else None
        if original is not None:
            self.pattern_class, self.original = pattern_class, original
            setattr(pattern_class, _VALIDATOR, staticmethod(_not_checked))

    def restore(self) -> None:
        if self.pattern_class is not None:
            setattr(self.pattern_class, _VALIDATOR, staticmethod(self.original))


def _not_checked(_pattern: str) -> None:
    """Stand-in for ``Pattern.__validate_regex`` while Presidio's own modules load."""


def import_presidio() -> ModuleType:
    """Return ``presidio_analyzer``, imported (with spaCy, without its command line) without
    checking its predefined recognisers' expressions, when not yet imported."""
    import_spacy()  # Presidio imports spaCy at its top
    with _lock:
        if "presidio_analyzer" in sys.modules:
            return sys.modules["presidio_analyzer"]
        finder = _SkipValidation()
        sys.meta_path.insert(0, finder)
        try:
            import presidio_analyzer
        finally:
            sys.meta_path.remove(finder)
            finder.restore()
        return presidio_analyzer
