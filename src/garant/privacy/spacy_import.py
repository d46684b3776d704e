"""Import spaCy without its command-line package.

``import spacy`` runs ``from .cli.info import info``, which imports all of ``spacy.cli``: the
project tool weasel, httpx, Jinja, Rich, Typer commands for training and packaging — about a
third of spaCy's import time, for a command line garant never uses (it only runs a loaded
pipeline). :func:`import_spacy` imports spaCy with a stand-in ``spacy.cli.info`` module whose
``info`` imports the real one when called, then removes the stand-ins: a later
``import spacy.cli`` gets the real package. ``spacy/__init__.py`` is the only place in spaCy
that imports ``spacy.cli`` (checked for spaCy 3.8; ``tests/privacy`` checks the outcome).
"""

from __future__ import annotations

import sys
import threading
import types
from typing import Any

__all__ = ["import_spacy"]

_lock = threading.Lock()


def import_spacy() -> Any:
    """Return the ``spacy`` module, imported without ``spacy.cli`` when not yet imported."""
    with _lock:
        if "spacy" in sys.modules:
            return sys.modules["spacy"]
        package = types.ModuleType("spacy.cli")
        package.__path__ = []  # a package with no submodules but the stand-in below
        info_module = types.ModuleType("spacy.cli.info")

        def info(*args: Any, **kwargs: Any) -> Any:
            """spaCy's ``spacy.info``, imported on first call."""
            from importlib import import_module

            return import_module("spacy.cli.info").info(*args, **kwargs)

        info_module.info = info  # type: ignore[attr-defined]
        stand_ins = {"spacy.cli": package, "spacy.cli.info": info_module}
        sys.modules.update(stand_ins)
        try:
            import spacy
        finally:
            for name, module in stand_ins.items():
                if sys.modules.get(name) is module:
                    del sys.modules[name]
            spacy_module = sys.modules.get("spacy")
            if spacy_module is not None and getattr(spacy_module, "cli", None) is package:
                delattr(spacy_module, "cli")
        return spacy
