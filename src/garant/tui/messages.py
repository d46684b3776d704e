"""Typed messages the screens and widgets post to each other."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

__all__ = ["Navigate", "Refused", "StoreChanged"]


@dataclass
class Navigate(Message):
    """Open the screen (mode) that resolves an item, optionally focused on one entry."""

    mode: str
    ref: str = ""


@dataclass
class StoreChanged(Message):
    """A service changed the store: screens showing that area reload."""

    area: str
    key: str = ""


@dataclass
class Refused(Message):
    """A service refused an action (a GarantError): its message and the fix to try."""

    message: str
    hint: str = ""
