"""The shell's side of :class:`screens.shell.routes.Navigator`: one section opening another's.

Lives in ``tui`` because only the shell may import every section; each screen module is
imported when it is first opened, so start-up imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from screens.shell.routes import Navigator
from screens.shell.session import Session


class Routes(Navigator):
    """Opens section screens for the session the App runs."""

    def __init__(self, session: Callable[[], Session]) -> None:
        # A callable: the Session is built with its routes, so it cannot be handed in first.
        self._session = session

    def open_member(self, app: App[Any], member_id: str, section_title: str) -> None:
        from screens.member.detail import MemberScreen

        app.push_screen(MemberScreen(self._session(), section_title, member_id))

    def edit_member(
        self,
        app: App[Any],
        member_id: str | None,
        title: str,
        saved: Callable[[str], None] | None = None,
    ) -> None:
        from screens.member.form import MemberFormScreen

        form = MemberFormScreen(self._session(), title, member_id=member_id)

        def closed(_result: None) -> None:
            if saved is not None and form.saved_id:
                saved(form.saved_id)

        app.push_screen(form, closed)

    def import_members(self, app: App[Any], title: str) -> None:
        from screens.transfer.importing import ImportScreen

        app.push_screen(ImportScreen(self._session(), title))

    def export_members(self, app: App[Any], *, include_archived: bool) -> None:
        from screens.transfer.exporting import ExportDialog

        app.push_screen(ExportDialog(self._session(), include_archived=include_archived))

    async def roster_lapsing(self, app: App[Any]) -> None:
        from screens.roster.screen import RosterScreen
        from screens.roster.view import CONTACT_LAPSING, RosterFilter

        await app.run_action("section('roster')")
        roster = next((s for s in app.screen_stack if isinstance(s, RosterScreen)), None)
        if roster is not None:
            roster.filter = RosterFilter(contact=CONTACT_LAPSING)
            roster.refill()

    def open_shift(self, app: App[Any], shift_id: str, section_title: str) -> None:
        from screens.patrols.shift import ShiftScreen

        app.push_screen(ShiftScreen(self._session(), section_title, shift_id))

    def open_training_session(self, app: App[Any], session_id: str, section_title: str) -> None:
        from screens.training.checklist import ChecklistScreen

        app.push_screen(ChecklistScreen(self._session(), section_title, session_id))

    def open_study_hours(self, app: App[Any], section_title: str) -> None:
        from screens.training.hours import HoursScreen

        app.push_screen(HoursScreen(self._session(), section_title))

    def open_certificates(self, app: App[Any], section_title: str) -> None:
        from screens.training.certificates import CertificatesScreen

        app.push_screen(CertificatesScreen(self._session(), section_title))

    def add_certificate(
        self, app: App[Any], member_id: str, name: str, saved: Callable[[], None] | None = None
    ) -> None:
        from screens.training.certificate_form import CertificateForm

        def closed(done: bool | None) -> None:
            if done and saved is not None:
                saved()

        form = CertificateForm(self._session(), member=name, member_id=member_id)
        app.push_screen(form, closed)

    async def patrol_week(self, app: App[Any], monday: str) -> None:
        import datetime as dt

        from screens.patrols.week import PatrolsScreen

        await app.run_action("section('patrols')")
        grid = next((s for s in app.screen_stack if isinstance(s, PatrolsScreen)), None)
        if grid is not None:
            grid.go_to_week(dt.date.fromisoformat(monday))
