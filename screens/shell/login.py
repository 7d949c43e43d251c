"""Who is at the keyboard: the login form, the first-run form and the screen that shows them.

The app starts here and nothing else is reachable until someone logs in (the App hides every
other key). Checking a PIN costs an argon2 verify and a locked write (the shared failure count),
so it runs in a thread worker and the screen never freezes; Enter is ignored while a check is
under way. A wrong answer shows the store's one sentence, which never says whether the user
name exists.

With no account at all, the screen walks through creating the first admin instead (the store
makes sure only one session can do that). Both forms are widgets so that the lock screen can
reuse the login form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Label

from screens.shell.messages import LoggedIn
from screens.shell.session import Session
from screens.widgets.form import (
    EnterForm,
    FormField,
    clear_errors,
    form_fields,
    show_errors,
)
from screens.widgets.keys import translate_bindings
from screens.widgets.text import SafeLabel
from store.actor import Actor
from store.engine.database import Database
from store.errors import FirstAdminExists, StoreError, ValidationError
from store.i18n import N_, _

APP_NAME = N_("shequ community records")
USERNAME_MAX = 32
SECRET_MAX = 64


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


class FirstAdminForm(EnterForm):
    """Create the first account, an admin: user name, display name, PIN twice."""

    @dataclass
    class Created(Message):
        """The first admin exists and is logged in."""

        actor: Actor
        display_name: str

    @dataclass
    class AlreadyThere(Message):
        """Another session created the first admin meanwhile: log in instead."""

        reason: str

    @dataclass
    class _Refused(Message):
        errors: dict[str, str]

    def __init__(self, db: Database, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.db = db
        self.saving = False

    def compose(self) -> ComposeResult:
        yield Label(_("No one has an account yet."), classes="gate-intro", markup=False)
        yield Label(
            _("Create the first administrator, who can then add everyone else."),
            classes="gate-hint",
            markup=False,
        )
        yield FormField("username", _("User name"), max_length=USERNAME_MAX)
        yield FormField("display_name", _("Name shown"), max_length=40)
        yield FormField("pin", _("PIN or password"), password=True, max_length=SECRET_MAX)
        yield FormField("pin_again", _("The same again"), password=True, max_length=SECRET_MAX)
        yield Label(
            _("A PIN has 4 to 12 digits; a password at least 8 characters."),
            classes="gate-hint",
            markup=False,
        )
        yield SafeLabel("", classes="gate-message", id="first-admin-message")

    def on_mount(self) -> None:
        form_fields(self)[0].input.focus()

    def values(self) -> dict[str, str]:
        """What each field holds, by field name."""
        return {field.field: field.value for field in form_fields(self)}

    def submit(self) -> None:
        """Check the fields and create the admin (in a worker)."""
        if self.saving:
            return
        fields = form_fields(self)
        clear_errors(fields)
        values = self.values()
        if values["pin"] != values["pin_again"]:
            show_errors(fields, {"pin_again": _("The two entries differ; type the PIN again.")})
            return
        self.saving = True
        self.query_one("#first-admin-message", SafeLabel).update(_("Creating the account…"))
        self._create(values["username"], values["display_name"], values["pin"])

    @work(thread=True, exclusive=True, group="first-admin")
    def _create(self, username: str, display_name: str, secret: str) -> None:
        from store.users import ops as users

        try:
            errors = _field_problems(username, secret)
            if errors:
                raise ValidationError(errors)
            actor = users.create_first_admin(self.db, username, display_name, secret)
        except FirstAdminExists as error:
            self.post_message(self.AlreadyThere(str(error)))
            return
        except ValidationError as error:
            self.post_message(self._Refused(error.errors))
            return
        except StoreError as error:
            self.post_message(self._Refused({"": str(error)}))
            return
        self.post_message(self.Created(actor, display_name.strip() or actor.name))

    @on(_Refused)
    def _refused(self, message: _Refused) -> None:
        message.stop()
        self.saving = False
        unplaced = show_errors(form_fields(self), message.errors)
        self.query_one("#first-admin-message", SafeLabel).update(" ".join(unplaced))


def _field_problems(username: str, secret: str) -> dict[str, str]:
    """Every problem with the user name and the secret at once (the store stops at the first)."""
    from store.users.passwords import validate_secret
    from store.users.validation import validate_username

    errors: dict[str, str] = {}
    for check, value in ((validate_username, username), (validate_secret, secret)):
        try:
            check(value)
        except ValidationError as error:
            errors |= error.errors
    return errors


class GateScreen(Screen[None]):
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
        with Center(), Vertical(id="gate-box"):
            yield from self.compose_box()
        yield Footer()

    def compose_box(self) -> ComposeResult:
        """What the box in the middle holds."""
        yield from ()


class LoginScreen(GateScreen):
    """The first screen: log in, or create the first admin when there is no account."""

    @dataclass
    class _NoUsers(Message):
        pass

    @dataclass
    class _Unreadable(Message):
        reason: str

    def __init__(self, session: Session, *, notice: str = "") -> None:
        super().__init__(session, id="login")
        self.notice = notice

    def compose_box(self) -> ComposeResult:
        yield Label(_("Who is at the keyboard?"), classes="gate-heading", markup=False)
        yield Label(
            _("Enter moves to the next field; Enter on the PIN logs you in."),
            classes="gate-hint",
            markup=False,
        )
        yield LoginForm(self.session.db, id="login-form")

    def on_mount(self) -> None:
        if self.notice:
            self.query_one(LoginForm).say(self.notice)
        self._look_for_users()

    @work(thread=True, exclusive=True, group="users")
    def _look_for_users(self) -> None:
        from store.users import ops as users

        try:
            if users.has_users(self.session.db.snapshot()):
                return
        except StoreError as error:
            self.post_message(self._Unreadable(str(error)))
            return
        self.post_message(self._NoUsers())

    @on(_Unreadable)
    def _unreadable(self, message: _Unreadable) -> None:
        self.query_one(LoginForm).say(message.reason)

    @on(_NoUsers)
    async def _first_run(self) -> None:
        box = self.query_one("#gate-box", Vertical)
        await box.remove_children()
        await box.mount(
            Label(_("Welcome to shequ"), classes="gate-heading", markup=False),
            FirstAdminForm(self.session.db, id="first-admin-form"),
        )

    @on(FirstAdminForm.AlreadyThere)
    async def _admin_exists(self, message: FirstAdminForm.AlreadyThere) -> None:
        box = self.query_one("#gate-box", Vertical)
        await box.remove_children()
        await box.mount_all(self.compose_box())
        self.query_one(LoginForm).say(message.reason)

    @on(LoginForm.Accepted)
    @on(FirstAdminForm.Created)
    def _in(self, message: LoginForm.Accepted | FirstAdminForm.Created) -> None:
        message.stop()
        self.post_message(LoggedIn(message.actor, message.display_name))
