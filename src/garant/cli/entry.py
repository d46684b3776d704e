"""The ``garant`` console script: the TUI opens without loading the command-line stack.

``garant`` alone and ``garant tui`` (with only ``-w/--workspace``, ``--lang``, ``--as`` and
``--plain``) open the terminal interface straight away: Typer, Click and the command modules are
not imported, which saves a good part of the time to the first screen (see
``benchmarks/tui_start.py`` and docs/adr-0019). Everything else — any other command, ``--help``,
an unknown option, no workspace found (the CLI then offers to create one), a bad setting — goes
to the Typer application of :mod:`garant.cli.main`, which handles it exactly as before.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["TuiLaunch", "parse_tui_launch", "run"]

_ROOT_OPTIONS = {"-w": "workspace", "--workspace": "workspace", "--lang": "lang"}
_TUI_OPTIONS = {"--as": "actor"}


@dataclass(frozen=True)
class TuiLaunch:
    """What ``garant [-w DIR] [--lang fr|en] [tui [--as PERSON] [--plain]]`` asks for."""

    workspace: Path | None = None
    lang: str | None = None
    actor: str | None = None
    plain: bool = False


def parse_tui_launch(argv: Sequence[str]) -> TuiLaunch | None:
    """The TUI launch ``argv`` asks for, or None when it is anything else (left to Typer)."""
    values: dict[str, str] = {}
    plain = False
    accepted = _ROOT_OPTIONS
    items = list(argv)
    while items:
        token = items.pop(0)
        if token == "tui" and accepted is _ROOT_OPTIONS:
            accepted = _TUI_OPTIONS
            continue
        if token == "--plain" and accepted is _TUI_OPTIONS:
            plain = True
            continue
        name, equals, value = token.partition("=")
        if name not in accepted or (name == "-w" and equals):
            return None
        if not equals:
            if not items or items[0].startswith("-"):
                return None
            value = items.pop(0)
        values[accepted[name]] = value
    if values.get("lang", "fr") not in ("fr", "en"):
        return None
    workspace = values.get("workspace")
    return TuiLaunch(
        workspace=Path(workspace) if workspace is not None else None,
        lang=values.get("lang"),
        actor=values.get("actor"),
        plain=plain,
    )


def run() -> None:
    """Console-script entry point."""
    launch = parse_tui_launch(sys.argv[1:])
    if launch is None or not _open_tui(launch):
        from garant.cli.main import run as run_cli

        run_cli()


def _open_tui(launch: TuiLaunch) -> bool:
    """Open the TUI; False (nothing shown) when the workspace cannot be opened as asked, so that
    the CLI reports it (or offers to create one) in its usual words."""
    from garant.errors import GarantError
    from garant.i18n import set_language
    from garant.workspace import find_workspace_root, open_workspace

    if launch.lang is not None:
        set_language("en" if launch.lang == "en" else "fr")
    try:
        workspace = open_workspace(find_workspace_root(launch.workspace))
    except GarantError:
        return False
    from garant.tui.app import make_app

    try:
        make_app(workspace, actor=launch.actor, language=launch.lang, plain=launch.plain).run()
    finally:
        workspace.close()
    return True
