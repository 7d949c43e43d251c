"""Which screen is at the bottom of each section's stack, and what two of them read, built ahead.

Each screen module is imported only when its section is first shown, so start-up imports just
the login screen. Every section in ``tui.keymap.SECTIONS`` has its screen.

:func:`warm_first_section` and :func:`warm_roster` build what those screens read before they
are opened, at the moments tui/ahead.py chooses.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from screens.shell.session import Session
from store.errors import StoreError

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


def warm_first_section(session: Session) -> None:
    """Import the dashboard's screen and build the models its page reads for every role (run
    in a thread while the login waits). A file that cannot be read is left for the dashboard
    to say so: nothing is shown from here."""
    from screens.dashboard.screen import DashboardScreen  # noqa: F401  (imported ahead)
    from screens.dashboard.view import warm

    with contextlib.suppress(StoreError):
        warm(session.db.snapshot(), session.db.today())


def warm_roster(session: Session) -> None:
    """Import the roster's screen and build its rows and first list for the person signed in
    (run in a thread once the dashboard is whole). Nothing is shown from here: a file that
    cannot be read is the roster's to say so when it opens."""
    from screens.roster.browse import warm
    from screens.roster.screen import RosterScreen  # noqa: F401  (imported ahead)

    with contextlib.suppress(StoreError):
        warm(session.db.snapshot(), session.acting, session.db.today())
