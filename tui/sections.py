"""Which screen is at the bottom of each section's stack.

Each screen module is imported only when its section is first shown, so start-up imports just
the login screen. Every section in ``tui.keymap.SECTIONS`` has its screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from screens.shell.session import Session

if TYPE_CHECKING:  # imported with the first section shown, not at start-up
    from screens.shell.base import SectionScreen


def section_screen(session: Session, title: str, mode: str) -> SectionScreen:
    """The base screen of section ``mode``, titled ``title``.

    Shown by a section switch, which holds the frame until the screen's data is on it: so the
    screen reads at once, without waiting for a first frame (tui/switching.py).
    """
    screen = _screen_class(mode)(session, title)
    screen.read_at_once = True
    return screen


def _screen_class(mode: str) -> type[SectionScreen]:
    if mode == "dashboard":
        from screens.dashboard.screen import DashboardScreen

        return DashboardScreen
    if mode == "roster":
        from screens.roster.screen import RosterScreen

        return RosterScreen
    if mode == "patrols":
        from screens.patrols.week import PatrolsScreen

        return PatrolsScreen
    if mode == "training":
        from screens.training.screen import TrainingScreen

        return TrainingScreen
    if mode == "manage":
        from screens.manage.screen import ManageScreen

        return ManageScreen
    raise ValueError(f"no section {mode!r}")
