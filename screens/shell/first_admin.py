"""The first-run form: create the first account, an admin, on an empty database.

Shown by the login screen only while the database holds nothing at all
(:func:`store.users.ops.may_create_first_admin`); the store checks that again under its lock, so
of two sessions racing through this form one wins (the other is told to log in), and data
arriving meanwhile (an import) turns it away to the server's way of adding the first admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Label

from screens.shell.login import SECRET_MAX, USERNAME_MAX
from screens.widgets.form import EnterForm, FormField, clear_errors, form_fields, show_errors
from screens.widgets.text import SafeLabel
from store.actor import Actor
from store.engine.database import Database
from store.errors import FirstAdminExists, FirstAdminNotHere, StoreError, ValidationError
from store.i18n import _


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
    class NotHere(Message):
        """Data arrived meanwhile (an import): the first admin is now added on the server."""

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
        except FirstAdminNotHere:
            self.post_message(self.NotHere())
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
