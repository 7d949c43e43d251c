"""Who is at the keyboard: the login form, the first-run form and the screen that shows them.

The app starts here and nothing else is reachable until someone logs in (the App hides every
other key). Checking a PIN costs an argon2 verify and a locked write (the shared failure count),
so it runs in a thread worker and the screen never freezes; Enter is ignored while a check is
under way. A wrong answer shows the store's one sentence, which never says whether the user
name exists.

With no account at all on an empty database, the screen walks through creating the first admin
instead (the store makes sure only one session can do that). A database that already holds
data but no account gets its first admin on the server, from the command line: the screen says
how, and lets nobody in (the store refuses the first-run form there too). Both forms are
widgets so that the lock screen can reuse the login form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label

from screens.shell.held import PaintedAfterHolds
from screens.shell.messages import AccountsFound, DataChanged, LoggedIn, ScreenReady
from screens.shell.session import Session
from screens.widgets.footer import FittingFooter
from screens.widgets.form import (
    EnterForm,
    FormField,
    form_fields,
)
from screens.widgets.keys import translate_bindings
from screens.widgets.text import SafeLabel
from store.actor import Actor
from store.engine.database import Database
from store.errors import StoreError
from store.i18n import N_, _

if TYPE_CHECKING:
    from screens.shell.first_admin import FirstAdminForm

APP_NAME = N_("shequ community records")

USERNAME_MAX = 32
SECRET_MAX = 64
"""The longest user name and PIN or password the account forms take (the login's, the first
admin's, Manage's): the store's own limits (store/users/validation.py, passwords.py)."""


def display_name_of(db: Database, actor: Actor) -> str:
    """The account's display name (user data), or "" if it cannot be read."""
    from store.users import ops as users

    try:
        for user in users.list_users(db.snapshot()):
            if user.id == actor.user_id or user.username == actor.name:
                return user.display_name
    except StoreError:
        pass
    return ""


class LoginForm(EnterForm):
    """User name and PIN (or password); Enter moves on, and on the PIN checks it."""

    @dataclass
    class Accepted(Message):
        """The PIN was right for this account."""

        actor: Actor
        display_name: str

    @dataclass
    class _Refused(Message):
        reason: str

    def __init__(self, db: Database, *, username: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self.db = db
        self.username = username
        self.checking = False
        self.answers = 0  # checks answered so far (tests wait on it)

    def compose(self) -> ComposeResult:
        # Filled in at the lock: whoever takes over types over it rather than deleting it.
        yield FormField(
            "username",
            _("User name"),
            value=self.username,
            max_length=USERNAME_MAX,
            select_on_focus=bool(self.username),
        )
        yield FormField("pin", _("PIN or password"), password=True, max_length=SECRET_MAX)
        yield SafeLabel("", classes="gate-message", id="login-message")

    def on_mount(self) -> None:
        field = "pin" if self.username else "username"
        self.field(field).input.focus()

    def field(self, name: str) -> FormField:
        """The form field for ``name`` ("username" or "pin")."""
        return next(field for field in form_fields(self) if field.field == name)

    def say(self, message: str) -> None:
        """Show ``message`` under the form ("" clears it)."""
        self.query_one("#login-message", SafeLabel).update(message)

    def submit(self) -> None:
        """Check the user name and PIN (in a worker), unless a check is already running."""
        if self.checking:
            return
        username, pin = self.field("username"), self.field("pin")
        if not username.value.strip():
            self.say(_("Enter your user name."))
            username.input.focus()
            return
        if not pin.value:
            self.say(_("Enter your PIN or password."))
            pin.input.focus()
            return
        self.checking = True
        self.say(_("Checking…"))
        self._check(username.value.strip(), pin.value)

    @work(thread=True, exclusive=True, group="login")
    def _check(self, username: str, secret: str) -> None:
        from store.users import ops as users

        try:
            actor = users.authenticate(self.db, username, secret)
        except StoreError as error:  # LoginFailed, or a busy or unreadable database
            self.post_message(self._Refused(str(error)))
            return
        self.post_message(self.Accepted(actor, display_name_of(self.db, actor)))

    @on(Accepted)
    def _accepted(self, message: Accepted) -> None:
        self.checking = False
        self.answers += 1
        self.say("")
        self.field("pin").value = ""

    @on(_Refused)
    def _refused(self, message: _Refused) -> None:
        message.stop()
        self.checking = False
        self.answers += 1
        self.refuse(message.reason)

    def refuse(self, reason: str) -> None:
        """Say why, empty the PIN and put the caret back in it for the next try."""
        self.say(reason)
        pin = self.field("pin")
        pin.value = ""
        pin.input.focus()


class GateScreen(PaintedAfterHolds[None]):
    """The screens shown when nobody may see the data: login, first run and the lock.

    Opaque and full-screen, with no header (the header names the community and the user) and
    only the keys that work without a login: help and quit.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", N_("Next item"), show=False),
        Binding("shift+tab", "app.focus_previous", N_("Previous item"), show=False),
        Binding("ctrl+c,super+c", "app.help_quit", show=False, system=True),
    ]

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.session = session

    def compose(self) -> ComposeResult:
        yield Label(_(APP_NAME), id="gate-title", markup=False)
        yield from self.compose_notice()
        with Center(), Vertical(id="gate-box"):
            yield from self.compose_box()
        yield FittingFooter()

    def on_mount(self) -> None:
        # Whole once mounted (nothing to read first): a switch to it (the lock) paints it now
        # instead of at the switch's longest hold (tui/switching.py).
        self.app.post_message(ScreenReady(self))

    def compose_box(self) -> ComposeResult:
        """What the box in the middle holds."""
        yield from ()

    def compose_notice(self) -> ComposeResult:
        """A line above the box (nothing by default)."""
        yield from ()

    def accepts_keys(self) -> bool:
        """Keys typed after Enter on the PIN wait for its answer: they belong to the section
        it opens, or, if it was wrong, to the PIN field again (tui/typeahead.py)."""
        # Imported here, at the first key, not for the first frame: only a first run shows it.
        from screens.shell.first_admin import FirstAdminForm

        checking = any(form.checking for form in self.query(LoginForm))
        return not checking and not any(form.saving for form in self.query(FirstAdminForm))


class LoginScreen(GateScreen):
    """The first screen: log in; on an empty database, create the first admin instead; on one
    with data but no account, say how the server adds the first admin, and let nobody in.

    It looks again whenever the file changes (the App's change watcher), so the login form
    appears by itself once the server added an account.
    """

    @dataclass
    class _Found(Message):
        """What the database allows at the gate: "login", "first_admin" or "server"."""

        state: str

    @dataclass
    class _Unreadable(Message):
        reason: str

    def __init__(self, session: Session, *, notice: str = "") -> None:
        super().__init__(session, id="login")
        self.notice = notice
        self.state = "login"

    def compose_box(self) -> ComposeResult:
        yield Label(_("Who is at the keyboard?"), classes="gate-heading", markup=False)
        yield Label(
            _("Enter moves to the next field; Enter on the PIN logs you in."),
            classes="gate-hint",
            markup=False,
        )
        yield LoginForm(self.session.db, id="login-form")

    def compose_notice(self) -> ComposeResult:
        # Why the app speaks English here, said once, at the first screen (tui/console.py).
        if self.session.gate_notice:
            yield SafeLabel(self.session.gate_notice, id="gate-notice")

    def compose_server_only(self) -> ComposeResult:
        """The box for a database with data and no account: the command, and no form."""
        from store.users.ops import first_admin_command

        yield Label(_("This database has no account yet"), classes="gate-heading", markup=False)
        yield Label(
            _(
                "It already holds people's data, so nobody can make themselves its "
                "administrator here. Whoever looks after the server adds the first one:"
            ),
            classes="gate-hint",
            markup=False,
        )
        yield SafeLabel(first_admin_command(self.session.db.path), id="gate-command")
        yield Label(
            _("This screen then asks who is at the keyboard. Ctrl+Q quits."),
            classes="gate-hint",
            markup=False,
        )

    def on_mount(self) -> None:
        if self.notice:
            self.query_one(LoginForm).say(self.notice)
        # After the first frame is on the terminal (the App's refresh, not this screen's, which
        # Textual does inside its start-up batch and drops): reading the file meanwhile had the
        # worker and the first paint share the interpreter, 10-15 ms later on screen. What it
        # finds changes the form only on a first run, or on a server's file with no account.
        self.app.call_after_refresh(self._look_for_users)

    @work(thread=True, exclusive=True, group="users")
    def _look_for_users(self) -> None:
        from store.users import ops as users

        try:
            snapshot = self.session.db.snapshot()
            if users.has_users(snapshot):
                state = "login"
            elif users.may_create_first_admin(snapshot):
                state = "first_admin"
            else:
                state = "server"
        except StoreError as error:
            self.post_message(self._Unreadable(str(error)))
            return
        self.post_message(self._Found(state))
        if state == "login":
            self.app.post_message(AccountsFound())

    @on(DataChanged)
    def _data_changed(self) -> None:
        if self.state != "login":  # a login form is never taken away from someone typing
            self._look_for_users()

    @on(_Unreadable)
    def _unreadable(self, message: _Unreadable) -> None:
        if self.state == "login":
            self.query_one(LoginForm).say(message.reason)

    @on(_Found)
    async def _found(self, message: _Found) -> None:
        if message.state == self.state:
            return
        if message.state == "first_admin":
            # Only on a database that holds nothing yet: not imported for the first frame.
            from screens.shell.first_admin import FirstAdminForm

            await self._show(
                Label(_("Welcome to shequ"), classes="gate-heading", markup=False),
                FirstAdminForm(self.session.db, id="first-admin-form"),
            )
        elif message.state == "server":
            await self._show(*self.compose_server_only())
        else:
            await self._show(*self.compose_box())
        self.state = message.state

    async def _show(self, *widgets: Widget) -> None:
        box = self.query_one("#gate-box", Vertical)
        await box.remove_children()
        await box.mount_all(widgets)

    # The first-run form's messages are handled by their names (Textual's on_<form>_<message>),
    # as @on would need FirstAdminForm imported when this class is defined, before the first
    # frame; it is imported only when a first run shows it (_found).

    async def on_first_admin_form_already_there(self, message: FirstAdminForm.AlreadyThere) -> None:
        await self._show(*self.compose_box())
        self.state = "login"
        self.query_one(LoginForm).say(message.reason)

    async def on_first_admin_form_not_here(self) -> None:
        await self._show(*self.compose_server_only())
        self.state = "server"

    def on_first_admin_form_created(self, message: FirstAdminForm.Created) -> None:
        self._in(message)

    @on(LoginForm.Accepted)
    def _in(self, message: LoginForm.Accepted | FirstAdminForm.Created) -> None:
        message.stop()
        self.post_message(LoggedIn(message.actor, message.display_name))
