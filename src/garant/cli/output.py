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


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _widths(
    columns: Sequence[str], cells: list[list[str]], minimums: list[int], total: int
) -> list[int]:
    """Column widths: each column's longest word, then the space left shared in proportion to
    what each column would need to print its longest cell on one line."""
    wanted = [
        max([len(column), *(len(row[index]) for row in cells)])
        for index, column in enumerate(columns)
    ]
    spare = total - (sum(minimums) + 3 * len(columns) + 1)
    extra = [want - minimum for want, minimum in zip(wanted, minimums, strict=True)]
    if sum(extra) <= spare:
        return wanted
    return [
        minimum + (spare * more // sum(extra))
        for minimum, more in zip(minimums, extra, strict=True)
    ]


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A table that never cuts a word: each column is at least as wide as its longest word;
    when the terminal is too narrow for that (80 columns, many fields), each row is printed as
    a short record instead."""
    from rich.console import Console
    from rich.table import Table

    cells = [["" if cell is None else str(cell) for cell in row] for row in rows]
    console = Console()
    minimums = [
        max([_longest_word(column), *(_longest_word(row[index]) for row in cells)])
        for index, column in enumerate(columns)
    ]
    if sum(minimums) + 3 * len(columns) + 1 > console.width:
        typer.echo(title)
        for row in cells:
            print_record(f"• {row[0]}", list(zip(columns[1:], row[1:], strict=True)))
    else:
        table = Table(title=title, title_justify="left", show_lines=False)
        widths = _widths(columns, cells, minimums, console.width)
        for column, width in zip(columns, widths, strict=True):
            table.add_column(column, overflow="fold", width=width)
        for row in cells:
            table.add_row(*row)
        console.print(table)
    if not cells:
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
