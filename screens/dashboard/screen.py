"""The dashboard (1 or F2): what needs doing now, each line opening its record.

The first screen after logging in. A line at the top counts what needs doing, the most
pressing first ("To do: 3 contacts overdue · 1 certificate expired · 2 shifts short…"), and one
counts the roster. Below, one list in groups (:mod:`screens.dashboard.view`): contacts due and
overdue, this week's shifts short of people or with a clash, last week's no-shows, members
behind pace on study hours, certificates expired or expiring, sessions whose attendance is not
taken yet; a volunteer sees their own next shifts and hours first, and nothing they may not.

↑↓ (j/k), PgUp/PgDn and Home/End move over the lines that open something; Enter opens it on
this section's own stack (a member's detail, a shift, a session's checklist, the study hours
or the certificates), so Esc comes back to the same line; "…and N more" opens the whole list
in its section (the roster filtered to lapsing contacts, the patrol week, the sessions).
Sections never import each other's screens: every opening goes through ``session.routes``.

Another session's save shows within the App's stat interval (the base screen re-reads), the
cursor staying on the same record; lines that did not change are not painted again. The groups
follow the save rather than being built again (the contact and study groups per member,
store/contacts/lapsing.py and store/training/behind.py; the shifts, no-shows and sessions kept
through saves that touch none of their tables): at 20,000 members a member's save costs an
open dashboard under a millisecond, where it cost 53 ms. A build from scratch (the settings
changed, a member's last contact removed, a restore) still walks every member, so during a
burst of saves the screen waits ``SPACING`` times its last build's time between builds: thirty
sessions on the dashboard cannot fill a small server's cores (docs/FOLLOW.md).
"""

from __future__ import annotations

import time

from textual import on
from textual.app import ComposeResult

from screens.dashboard.board import Board
from screens.dashboard.lines import DashboardView, Target
from screens.dashboard.view import build_dashboard
from screens.shell.base import SectionScreen, stop_if_cancelled
from screens.shell.session import Session
from screens.widgets.text import PiecesLabel, SafeLabel
from store.engine.database import Snapshot
from store.i18n import _

SPACING = 20  # at least this many times the last build's time between two builds


class DashboardScreen(SectionScreen):
    """The first screen after start-up (section 1, F2)."""

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="dashboard")
        self.view = DashboardView()
        self._built_in = 0.0  # seconds the last build took
        self._built_at = 0.0  # when it finished (time.monotonic)
        self._waiting = False  # a build is set for when the spacing is over

    def compose_body(self) -> ComposeResult:
        for notice in self.session.notices:
            yield SafeLabel(_("Note: {notice}").format(notice=notice), classes="notice")
        yield PiecesLabel(_("Reading the database…"), id="dashboard-todo")
        yield SafeLabel("", id="dashboard-members")
        yield Board(id="dashboard-board")

    @property
    def board(self) -> Board:
        return self.query_one(Board)

    def on_mount(self) -> None:
        self.board.focus()

    def prepare(self, snapshot: Snapshot) -> DashboardView:
        began = time.perf_counter()
        view = build_dashboard(
            snapshot, self.session.acting, self.session.db.today(), stop_if_cancelled
        )
        self._built_in = time.perf_counter() - began
        self._built_at = time.monotonic()
        return view

    def reload(self) -> None:
        """Build again, or once the spacing since the last build is over (see the module)."""
        wait = self._built_at + SPACING * self._built_in - time.monotonic()
        if not self.loaded or wait <= 0:
            super().reload()
        elif not self._waiting:
            self._waiting = True
            self.set_timer(wait, self._spaced_reload)

    def _spaced_reload(self) -> None:
        self._waiting = False
        super().reload()

    def show(self, view: DashboardView) -> None:
        self.view = view
        self.query_one("#dashboard-todo", PiecesLabel).update(view.to_do())
        self.query_one("#dashboard-members", SafeLabel).update(view.roster(), layout=False)
        self.board.show_lines(view.lines)

    def show_failure(self, reason: str) -> None:
        self.query_one("#dashboard-todo", PiecesLabel).update(reason)

    @on(Board.Opened)
    async def _opened(self, message: Board.Opened) -> None:
        await self.open(message.target)

    async def open(self, target: Target) -> None:
        """Open what a line points at, through the shell (sections never import each other)."""
        routes, app, title = self.session.routes, self.app, self.section_title
        if target.kind == "member":
            routes.open_member(app, target.key, title)
        elif target.kind == "shift":
            routes.open_shift(app, target.key, title)
        elif target.kind == "session":
            routes.open_training_session(app, target.key, title)
        elif target.kind == "hours":
            routes.open_study_hours(app, title)
        elif target.kind == "certificates":
            routes.open_certificates(app, title)
        elif target.kind == "lapsing":
            await routes.roster_lapsing(app)
        elif target.kind == "week":
            await routes.patrol_week(app, target.key)
        elif target.kind == "sessions":
            await app.run_action("section('training')")
