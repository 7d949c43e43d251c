"""Messages between the App and the screens.

The App lives in ``tui`` and screens may not import it, so the messages it posts to them, and
the ones the login, first-run and lock screens send up to it, are defined here rather than
nested in either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message
from textual.screen import Screen

from store.actor import Actor


@dataclass
class DataChanged(Message, bubble=False):
    """The database file changed on disk (this or another session saved): re-read what you show."""


@dataclass
class LoggedIn(Message):
    """Someone proved who they are at the login or first-run screen: show them the app."""

    actor: Actor
    display_name: str


@dataclass
class Unlocked(Message):
    """The person who was working proved it at the lock: put them back where they were."""


@dataclass
class TakenOver(Message):
    """Someone else logged in at the lock and accepted that the first user's edits are dropped."""

    actor: Actor
    display_name: str


@dataclass
class AccountsFound(Message):
    """The login found accounts on a readable file: someone is about to sign in, and the App
    may build what the first section reads while they type (tui/app.py)."""


@dataclass
class NoUsersYet(Message):
    """The login screen found no accounts at all: walk through creating the first admin."""


@dataclass
class ScreenReady(Message):
    """``screen`` has its data on screen: a mode switch may paint it now (tui/switching.py)."""

    screen: Screen[Any]
