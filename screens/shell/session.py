"""What every screen needs from the running app, handed in by the App when it builds a screen.

Screens never import the App (the arrows run ``tui -> screens -> store``), so whatever they share
lives here: the database, the routes between sections, start-up notices and who is at the
keyboard. The App sets
:attr:`Session.actor` when someone logs in (or another person takes over at the lock) and
rebuilds every section screen for them, so a section screen may read the actor once.
"""

from __future__ import annotations

from dataclasses import dataclass

from screens.shell.routes import Navigator
from store.actor import Actor
from store.engine.database import Database
from store.i18n import _


@dataclass(slots=True)
class Session:
    """One run of the app against one database file."""

    db: Database
    routes: Navigator
    """How a section opens another's screens (sections never import each other)."""
    notices: tuple[str, ...] = ()
    """One-line notices the dashboard shows until the app ends (e.g. a world-readable file)."""
    gate_notice: str = ""
    """Said once, on the login screen: why the app is in English (no Chinese on this console)."""
    actor: Actor | None = None
    """Who is logged in; None on the login and first-run screens."""
    display_name: str = ""
    """The logged-in user's display name (user data: show it with ``plain_line``)."""

    @property
    def acting(self) -> Actor:
        """The logged-in actor; section screens exist only after a login, so it is always set."""
        if self.actor is None:
            raise RuntimeError("nobody is logged in")
        return self.actor

    def user_label(self) -> str:
        """Who is at the keyboard, for the header: "王芳 (Administrator)"; "" before a login."""
        if self.actor is None:
            return ""
        return who(self.display_name or self.actor.name, self.actor.role.value)


def role_label(role: str) -> str:
    """A role's name in the current language ("Coordinator", "协调员")."""
    # After a login: store.enums (its dozen enums take 2 ms to define) is not needed before
    # the login's first frame.
    from store.enums import UserRole, label

    try:
        return label(UserRole(role))
    except ValueError:
        return role


def who(name: str, role: str) -> str:
    """A person and their role, as people read it: "王芳 (Administrator)"."""
    return _("{name} ({role})").format(name=name, role=role_label(role))
