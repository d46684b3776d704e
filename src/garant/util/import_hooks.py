"""Run code right after a module's own code, the next time that module is imported.

Two places need it: the CLI sets Typer's help words in French when Typer imports
``typer.rich_utils`` (only to draw a help page or an error), and the Presidio import switches
a check off while Presidio's modules load (docs/adr-0020). Both wrap the module's loader for
one import instead of importing the module early.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

__all__ = ["AfterImport"]


class AfterImport(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """A finder for one module name: the next import of it runs the module as usual, then
    ``then(module)``. It leaves ``sys.meta_path`` as soon as it has found the module (one
    import only); :meth:`install` puts it first there."""

    def __init__(self, fullname: str, then: Callable[[ModuleType], None]) -> None:
        self.fullname = fullname
        self.then = then
        self._loader: importlib.abc.Loader | None = None

    def install(self) -> None:
        sys.meta_path.insert(0, self)

    def uninstall(self) -> None:
        if self in sys.meta_path:
            sys.meta_path.remove(self)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.fullname:
            return None
        self.uninstall()
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        self._loader = spec.loader
        spec.loader = self
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        assert self._loader is not None
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        assert self._loader is not None
        self._loader.exec_module(module)
        self.then(module)
