"""One change saved from a patrol list screen, and the one message that says how it went.

The teams and zones screen (archive, restore) and a team's members (add, take off) each save
one change in a worker over the version of the record they read; the worker posts a
:class:`ChangeDone` to its own screen, which writes the sentence and reads the list again.
A version conflict is said the same way everywhere: someone else changed it meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message

from store.errors import Conflict, StoreError
from store.i18n import _


@dataclass
class ChangeDone(Message):
    """A change went through (``ok``) or was refused; ``message`` says which."""

    message: str
    ok: bool


def save_change(said: str, change: Callable[..., object], *args: object) -> ChangeDone:
    """Run the store call ``change(*args)`` (in the worker) and say how it went: ``said`` when
    it went through, the store's own sentence when it refused."""
    try:
        change(*args)
    except Conflict:
        return ChangeDone(_("Someone else changed it meanwhile: look again and retry."), False)
    except StoreError as error:
        return ChangeDone(str(error), False)
    return ChangeDone(said, True)
