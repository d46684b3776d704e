"""What every command shares: the workspace (opened on first use) and the language."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from garant.i18n import set_language
from garant.workspace import Workspace, find_workspace_root, open_workspace

if TYPE_CHECKING:
    from sqlmodel import Session

__all__ = ["CliState", "state_of"]


@dataclass
class CliState:
    workspace_option: Path | None = None
    language_option: str | None = None
    _workspace: Workspace | None = field(default=None, repr=False)

    def workspace(self) -> Workspace:
        """The workspace named by --workspace, GARANT_WORKSPACE or the current folder."""
        if self._workspace is None:
            root = find_workspace_root(self.workspace_option)
            self._workspace = open_workspace(root)
            if self.language_option is None:
                set_language(self._workspace.settings.language)
        return self._workspace

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One database transaction for one user action."""
        from garant.store.engine import unit_of_work

        with unit_of_work(self.workspace().engine) as session:
            yield session

    @property
    def actor(self) -> str:
        return self.workspace().actor

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()


def state_of(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj
