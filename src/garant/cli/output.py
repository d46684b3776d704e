"""Printing results: tables for people, JSON for scripts, messages to stderr."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import typer
from pydantic import BaseModel

__all__ = ["print_json", "print_record", "print_table", "say", "to_jsonable"]


def to_jsonable(value: Any) -> Any:
    """Rows (SQLModel/pydantic), dataclasses, dates → JSON-compatible values."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [to_jsonable(item) for item in value]
    return value


def print_json(value: Any) -> None:
    typer.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    count = 0
    for row in rows:
        table.add_row(*("" if cell is None else str(cell) for cell in row))
        count += 1
    Console().print(table)
    if count == 0:
        from garant.i18n import tr

        typer.echo(tr("(aucune entrée)", "(no entry)"))


def print_record(title: str, fields: Sequence[tuple[str, Any]]) -> None:
    typer.echo(title)
    width = max((len(name) for name, _ in fields), default=0)
    for name, value in fields:
        shown = "—" if value in (None, "") else value
        typer.echo(f"  {name.ljust(width)}  {shown}")


def say(message: str) -> None:
    """A confirmation for the user (stderr keeps stdout clean for --json and exports)."""
    typer.echo(message, err=True)
