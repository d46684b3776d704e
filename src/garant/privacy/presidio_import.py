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

import sys
import threading
from types import ModuleType
from typing import Any

from garant.privacy.spacy_import import import_spacy
from garant.util.import_hooks import AfterImport

__all__ = ["import_presidio"]

_lock = threading.Lock()
_PATTERN_MODULE = "presidio_analyzer.pattern"
_VALIDATOR = "_Pattern__validate_regex"  # Pattern's private (name-mangled) check


class _SkipValidation:
    """Switches ``Pattern``'s check off once ``presidio_analyzer.pattern`` has run; restores it."""

    def __init__(self) -> None:
        self.original: Any = None
        self.pattern_class: Any = None

    def switch_off(self, module: ModuleType) -> None:
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
        skip = _SkipValidation()
        finder = AfterImport(_PATTERN_MODULE, skip.switch_off)
        finder.install()
        try:
            import presidio_analyzer
        finally:
            finder.uninstall()
            skip.restore()
        return presidio_analyzer
