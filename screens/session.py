"""What every screen needs from the running app, handed in by the App when it builds a screen.

Screens never import the App (the arrows run ``tui -> screens -> store``), so whatever they share
lives here; the login and lock will add the acting user.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.database import Database


@dataclass(frozen=True, slots=True)
class Session:
    """One run of the app against one database file."""

    db: Database
    notices: tuple[str, ...] = ()
    """One-line notices the dashboard shows until the app ends (e.g. no Chinese on this console)."""
