"""Section 5, Manage (admins and coordinators): the change log and, for admins, the settings
and the user accounts.

The list holds only what the user's role may open; each entry opens its screen on top of this
one, in this section's stack (Esc comes back). The same entry forced another way (a direct
action call) is refused with the store's sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Label, OptionList

from screens.shell.base import SectionScreen
from screens.shell.session import Session
from screens.widgets.menu import MenuList
from store.i18n import N_, _
from store.permissions import Action, allowed


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing to open: its id, title and one-line description (msgids), who may."""

    id: str
    title: str
    help: str
    needs: Action


ENTRIES = (
    Entry("audit", N_("Change log"), N_("who changed what, and when"), Action.VIEW_AUDIT),
    Entry(
        "settings",
        N_("Settings"),
        N_("community name, study hours, contact reminders, screen lock"),
        Action.EDIT_SETTINGS,
    ),
    Entry(
        "users",
        N_("Users"),
        N_("accounts: add, new PIN or password, role, disable, unlock"),
        Action.MANAGE_USERS,
    ),
)
ENTRIES_BY_ID = {entry.id: entry for entry in ENTRIES}


class ManageScreen(SectionScreen):
    """The base screen of section 5: a menu of what this role may manage."""

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="manage")

    def entries(self) -> list[Entry]:
        """The entries the logged-in user may open."""
        return [e for e in ENTRIES if allowed(self.session.acting, e.needs)]

    def compose_body(self) -> ComposeResult:
        yield Label(_("What would you like to manage?"), id="manage-heading", markup=False)
        yield MenuList(
            ((e.id, f"{_(e.title)} — {_(e.help)}") for e in self.entries()), id="manage-menu"
        )

    def on_mount(self) -> None:
        self.query_one(MenuList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id:
            self.action_open(event.option_id)

    def action_open(self, entry_id: str) -> None:
        """Open the change log, the settings or the users, if the user's role may."""
        entry = ENTRIES_BY_ID.get(entry_id)
        if entry is None or not self.permitted(entry.needs):
            return
        self.app.push_screen(self._build(entry))

    def _build(self, entry: Entry) -> Screen[None]:
        if entry.id == "users":
            from screens.manage.users import UsersScreen

            return UsersScreen(self.session, _(entry.title))
        if entry.id == "settings":
            from screens.manage.settings import SettingsScreen

            return SettingsScreen(self.session, _(entry.title))
        from screens.manage.audit import AuditScreen

        return AuditScreen(self.session, _(entry.title))
