"""Messages the App sends to screens.

The App lives in ``tui`` and screens may not import it, so the messages it posts to them are
defined here rather than nested in the App.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class DataChanged(Message, bubble=False):
    """The database file changed on disk (this or another session saved): re-read what you show."""
