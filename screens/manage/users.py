"""Users (admins): every account with its role, linked member, last login and state.

Opened from Manage (section 5). Enter on an account lists what can be done with it; each of
those has its own key too (in help, F1): n adds an account, e changes its name shown, role or
linked member (r goes straight to the role), p sets a new PIN or password, d disables or enables
it, u lifts a lock after too many wrong tries. Every action is the store call the ``shequ
users`` command makes (store/users/ops.py), so the store refuses what an admin may not do (the
last admin, their own account) and the change log names who did it. Disabling asks first: the
person can no longer log in. Nothing here shows or logs a PIN.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from screens.manage.users_view import AccountRow, UsersView, build_view, find_row
from screens.shell.base import SectionScreen
from screens.shell.dialogs import ConfirmDialog
from screens.shell.session import Session
from screens.widgets.footer import FittingFooter
from screens.widgets.keys import translate_bindings
from screens.widgets.menu import MenuList
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.errors import StoreError
from store.i18n import N_, _
from store.permissions import Action


class AccountList(MenuList):
    """One line per account; Enter lists what can be done with the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", N_("Choose")),
        Binding("up,k", "cursor_up", N_("Up"), show=False),
        Binding("down,j", "cursor_down", N_("Down"), show=False),
        Binding("home", "first", N_("First"), show=False),
        Binding("end", "last", N_("Last"), show=False),
    ]


@dataclass(frozen=True, slots=True)
class Deed:
    """Something to do with one account: its action, key and words (msgid)."""

    action: str
    key: str
    text: str


DEEDS = (
    Deed("secret", "p", N_("Set a new PIN or password")),
    Deed("edit", "e", N_("Change the name shown, role or linked member")),
    Deed("role", "r", N_("Change the role")),
    Deed("unlock", "u", N_("Unlock: let them try again now")),
    Deed("disable", "d", N_("Disable: no more logins")),
    Deed("enable", "d", N_("Enable: may log in again")),
)


def deeds_for(row: AccountRow) -> list[Deed]:
    """What can be done with ``row``'s account now (unlock only when it is locked)."""
    shown = []
    for deed in DEEDS:
        if deed.action == "unlock" and not (row.locked or row.failed_attempts):
            continue
        if deed.action == ("enable" if not row.disabled else "disable"):
            continue
        shown.append(deed)
    return shown


class AccountActions(ModalScreen[str]):
    """What to do with one account: a list, each line with its letter; Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss('')", N_("Cancel"))]

    def __init__(self, row: AccountRow) -> None:
        super().__init__()
        translate_bindings(self)
        self.row = row
        self.deeds = deeds_for(row)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            question = _("What should happen to the account {name}?").format(name=self.row.username)
            yield SafeLabel(question, classes="dialog-question")
            yield MenuList(
                ((deed.action, f"{deed.key}  {_(deed.text)}") for deed in self.deeds),
                id="account-actions",
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(MenuList).focus()

    def on_key(self, event: events.Key) -> None:
        deed = next((d for d in self.deeds if d.key == event.character), None)
        if deed is not None:
            event.stop()
            self.dismiss(deed.action)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_id or "")


class UsersScreen(SectionScreen):
    """The accounts, opened from Manage (section 5); admins only."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add", N_("Add")),
        Binding("e", "deed('edit')", N_("Change the account"), show=False),
        Binding("r", "deed('role')", N_("Change the role"), show=False),
        Binding("p", "deed('secret')", N_("New PIN or password"), show=False),
        Binding("d", "deed('toggle')", N_("Disable or enable"), show=False),
        Binding("u", "deed('unlock')", N_("Unlock"), show=False),
        Binding("escape", "back", N_("Back")),
    ]

    @dataclass
    class Done(Message):
        """The store did it; ``said`` tells the admin what changed."""

        username: str
        said: str

    @dataclass
    class Failed(Message):
        """The store refused or could not do it; ``reason`` is its sentence."""

        reason: str

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="users")
        self.view = UsersView(())
        self.keep = ""  # the account to highlight after the next load

    def compose_body(self) -> ComposeResult:
        yield SafeLabel(_("Reading the accounts…"), id="users-status")
        yield SafeLabel("", id="users-heading")
        yield AccountList((), id="users-list")
        yield SafeLabel(
            _("Enter: what to do with the account. n adds one. F1 lists every key."),
            id="users-hint",
        )

    def on_mount(self) -> None:
        self.query_one(AccountList).focus()

    # -- loading -------------------------------------------------------------------------------

    def prepare(self, snapshot: Snapshot) -> UsersView:
        return build_view(snapshot, self.session.db.clock())

    def show(self, view: UsersView) -> None:
        accounts = self.query_one(AccountList)
        keep = self.keep or (self.current.username if self.current else "")
        self.keep = ""
        self.view = view
        self.query_one("#users-status", SafeLabel).update(view.summary())
        width = max(20, accounts.scrollable_content_region.width - 1)
        heading, lines = view.lines(width)
        self.query_one("#users-heading", SafeLabel).update(heading)
        accounts.set_options(
            Option(Content(text), id=row.username)
            for row, text in zip(view.rows, lines, strict=True)
        )
        position = next((i for i, row in enumerate(view.rows) if row.username == keep), 0)
        accounts.highlighted = position if view.rows else None
        self.refresh_bindings()

    def show_failure(self, reason: str) -> None:
        self.query_one("#users-status", SafeLabel).update(reason)

    def on_resize(self) -> None:
        if self.loaded:
            self.show(self.view)

    @property
    def current(self) -> AccountRow | None:
        """The highlighted account."""
        option = self.query_one(AccountList).highlighted_option
        return find_row(self.view.rows, option.id) if option and option.id else None

    # -- keys ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action == "deed":
            return self.current is not None
        return True

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self.current
        if row is None or not self.permitted(Action.MANAGE_USERS):
            return

        def chosen(action: str | None) -> None:
            if action:
                self.action_deed(action)

        self.app.push_screen(AccountActions(row), chosen)

    def action_add(self) -> None:
        """Add an account (n)."""
        if not self.permitted(Action.MANAGE_USERS):
            return
        from screens.manage.account_forms import AddAccountForm

        self.app.push_screen(AddAccountForm(self.session), self._form_closed(_("Added {name}.")))

    def action_deed(self, action: str) -> None:
        """Do ``action`` with the highlighted account (the keys e r p d u, or the list)."""
        row = self.current
        if row is None or not self.permitted(Action.MANAGE_USERS):
            return
        from screens.manage.account_forms import EditAccountForm, SecretForm

        if action in ("edit", "role"):
            form = EditAccountForm(self.session, row, focus="role" if action == "role" else "")
            self.app.push_screen(form, self._form_closed(_("Saved the account {name}.")))
        elif action == "secret":
            said = _("New PIN or password set for {name}.")
            self.app.push_screen(SecretForm(self.session, row), self._form_closed(said))
        elif action == "unlock":
            if row.locked or row.failed_attempts:
                self._act("unlock", row.username)
            else:
                self.notify(_("{name} is not locked.").format(name=row.username), markup=False)
        elif action == "enable" or (action == "toggle" and row.disabled):
            self._act("enable", row.username)
        elif action in ("disable", "toggle"):
            self._ask_disable(row)

    def _form_closed(self, said: str) -> Callable[[str | None], None]:
        """What to do when a form closes: say ``said`` and show the account, if it was saved."""

        def closed(username: str | None) -> None:
            if username:
                self.keep = username
                self.notify(said.format(name=username), markup=False)
                self.reload()

        return closed

    def _ask_disable(self, row: AccountRow) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._act("disable", row.username)

        question = _(
            "Disable the account {name}? They can no longer log in; "
            "what they did stays in the change log."
        ).format(name=row.username)
        self.app.push_screen(ConfirmDialog(question, yes=_("Disable"), no=_("Keep it")), answered)

    @work(thread=True, group="account")
    def _act(self, action: str, username: str) -> None:
        from store.users import ops as users

        db, actor = self.session.db, self.session.acting
        try:
            if action == "unlock":
                users.unlock(db, actor, username)
                said = _("{name} may try again now.")
            else:
                users.set_disabled(db, actor, username, action == "disable")
                said = (
                    _("{name} can no longer log in.")
                    if action == "disable"
                    else _("{name} can log in again.")
                )
        except StoreError as error:  # PermissionDenied (the last admin, oneself), busy...
            self.post_message(self.Failed(str(error)))
            return
        self.post_message(self.Done(username, said.format(name=username)))

    @on(Done)
    def _done(self, message: Done) -> None:
        self.keep = message.username
        self.notify(message.said, markup=False)
        self.reload()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.reason, severity="warning", markup=False)

    def action_back(self) -> None:
        """Back to Manage (Esc)."""
        self.dismiss(None)
