"""How one section opens another section's screens without importing them.

Sections meet only through the shell: the roster opens a member's detail, the dashboard opens the
roster filtered for lapsing contacts, but ``screens/roster`` never imports ``screens/member``
(import-linter holds this). Each asks :attr:`Session.routes`, a :class:`Navigator` that the App
(``tui/routes.py``, which may import every section) implements.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.app import App


class Navigator(Protocol):
    """The ways into a section's screens that other sections use."""

    def open_member(self, app: App[Any], member_id: str, section_title: str) -> None:
        """Show one member's detail screen."""

    def edit_member(
        self,
        app: App[Any],
        member_id: str | None,
        title: str,
        saved: Callable[[str], None] | None = None,
    ) -> None:
        """Open the member form (None: a new member); ``saved`` gets the id once it is saved."""

    def import_members(self, app: App[Any], title: str) -> None:
        """Open the import screen for a spreadsheet of members."""

    def export_members(self, app: App[Any], *, include_archived: bool) -> None:
        """Open the export dialog for the roster."""

    async def roster_lapsing(self, app: App[Any]) -> None:
        """Go to the roster, filtered to members whose contact is due or overdue."""

    def open_shift(self, app: App[Any], shift_id: str, section_title: str) -> None:
        """Show one patrol shift (its people, check-in, swaps) on the current section's stack."""

    def open_training_session(self, app: App[Any], session_id: str, section_title: str) -> None:
        """Show a training session's attendance checklist on the current section's stack."""

    def open_study_hours(self, app: App[Any], section_title: str) -> None:
        """Show who is behind pace on study hours, on the current section's stack."""

    def open_certificates(self, app: App[Any], section_title: str) -> None:
        """Show the certificates, expired and expiring first, on the current section's stack."""

    def add_certificate(
        self, app: App[Any], member_id: str, name: str, saved: Callable[[], None] | None = None
    ) -> None:
        """Open the certificate form for member ``member_id`` (``name``); ``saved`` is called
        once the store has taken the certificate."""

    async def patrol_week(self, app: App[Any], monday: str) -> None:
        """Go to the patrol section's week grid at the week of ``monday`` (ISO date)."""
