"""Which screen is at the bottom of each section's stack.

Each screen module is imported only when its section is first shown, so start-up imports just
the login screen. Every section in ``tui.keymap.SECTIONS`` has its screen.
"""

from __future__ import annotations

from textual.screen import Screen

from screens.shell.session import Session


def section_screen(session: Session, title: str, mode: str) -> Screen[None]:
    """The base screen of section ``mode``, titled ``title``."""
    if mode == "dashboard":
        from screens.dashboard.screen import DashboardScreen

        return DashboardScreen(session, title)
    if mode == "roster":
        from screens.roster.screen import RosterScreen

        return RosterScreen(session, title)
    if mode == "patrols":
        from screens.patrols.week import PatrolsScreen

        return PatrolsScreen(session, title)
    if mode == "training":
        from screens.training.screen import TrainingScreen

        return TrainingScreen(session, title)
    if mode == "manage":
        from screens.manage.screen import ManageScreen

        return ManageScreen(session, title)
    raise ValueError(f"no section {mode!r}")
