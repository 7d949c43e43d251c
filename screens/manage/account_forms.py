"""The users screen's dialogs: add an account, change one, set a new PIN or password.

Each saves through the same store call the ``shequ users`` command uses (store/users/ops.py),
in a worker, so the store checks the role, the fields and the last-admin rule whatever the
screen allowed; each problem is written under its field and nothing is saved. A PIN or password
is typed twice and never shown. Enter moves to the next field and, on the last one, saves;
Ctrl+S saves from anywhere; Esc asks before dropping what was typed. Each returns the account's
user name once saved (None when closed without saving).

Someone else's save of the account meanwhile is met the way every form meets it
(screens/shell/refused.py ``EditsStoredRecord``): "load theirs" shows their account, their
linked member in the picker included; "overwrite with mine" sends only the fields changed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label

from screens.manage.users_view import AccountRow
from screens.shell.form_dialog import FormDialog
from screens.shell.live import LiveMembers
from screens.shell.login import SECRET_MAX, USERNAME_MAX
from screens.shell.session import Session
from screens.widgets.choice import ChoiceField
from screens.widgets.footer import FittingFooter
from screens.widgets.form import FormField, LabelledField, all_fields, clear_errors
from screens.widgets.member_picker import MemberPicker
from screens.widgets.text import SafeLabel
from store.enums import UserRole, choices
from store.errors import StoreError
from store.fields import NAME_MAX
from store.i18n import N_, _

SECRET_HINT = N_("A PIN has 4 to 12 digits; a password at least 8 characters.")


class AccountDialog(LiveMembers, FormDialog[str | None]):
    """What the three dialogs share: fields, a save in a worker, errors under the fields.

    The keys, the fields and the line under them, the save's answer and Esc are every form
    dialog's (screens/shell/form_dialog.py); the member picker's index, read and read again
    when another session changed the members (an account or a contact saved elsewhere reads
    nothing again), is :class:`~screens.shell.live.LiveMembers`'. What is theirs is what is
    checked before the store is asked, and the save's one store call (:meth:`store`), which
    returns the account's user name.
    """

    MESSAGE_ID = "account-message"
    DROP_QUESTION = N_("What you typed here is not saved. Drop it?")

    def __init__(self, session: Session) -> None:
        super().__init__(session, classes="account-form")

    def heading(self) -> str:
        """The line at the top of the dialog."""
        raise NotImplementedError

    def compose_fields(self) -> ComposeResult:
        """The dialog's fields, named by the store's field names."""
        yield from ()

    def hint(self) -> str:
        """One line under the fields saying how to go on."""
        return _("Enter on the last field or Ctrl+S saves; Esc cancels.")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog account-dialog"):
            yield SafeLabel(self.heading(), classes="dialog-question")
            yield from self.compose_fields()
            yield SafeLabel("", id="account-message", classes="account-message")
            yield Label(self.hint(), classes="dialog-hint", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.take_baseline()
        self.first_field().input.focus()
        self.read_members()

    def first_field(self) -> LabelledField:
        """The field that has the focus when the dialog opens."""
        return all_fields(self)[0]

    # -- values --------------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        """What each field holds (for a member picker: the chosen member's id)."""
        values: dict[str, str] = {}
        for field in all_fields(self):
            if isinstance(field, MemberPicker):
                values[field.field] = field.member_id or ""
                # What was typed counts as an edit even when it matches nobody; the name the
                # picker shows for the member it was given does not.
                values["member_text"] = field.value if field.typed_in else ""
            else:
                values[field.field] = field.value
        return values

    def fill_values(self, values: Mapping[str, str]) -> None:
        """Show ``values`` and take them as the unedited state; a member picker is given the
        member by id (the conflict's "reload theirs": their linked member, never a namesake)."""
        for field in all_fields(self):
            if isinstance(field, MemberPicker):
                field.choose(values.get(field.field, ""))
            else:
                field.value = values.get(field.field, "")
        self.take_baseline()

    def problems(self, values: dict[str, str]) -> dict[str, str]:
        """What can be said before asking the store (two entries that differ, no such member)."""
        errors: dict[str, str] = {}
        if "pin_again" in values and values["pin"] != values["pin_again"]:
            errors["pin_again"] = _("The two entries differ; type it again.")
        pickers = list(self.query(MemberPicker))
        if pickers and pickers[0].member_id is None:
            errors["member_id"] = _("No member matches; empty the field to link nobody.")
        return errors

    # -- saving --------------------------------------------------------------------------------

    def action_save(self, expected_version: int | None = None) -> None:
        """Save (Ctrl+S): first what can be checked here, then the store checks the rest."""
        if self.saving:
            return
        clear_errors(self.fields())
        values = self.values()
        problems = self.problems(values)
        if problems:
            self.say_problems(problems)
            return
        self.saving = True
        self.say(_("Saving…"))
        self._save(values, expected_version)

    @work(thread=True, exclusive=True, group="account-save")
    def _save(self, values: dict[str, str], expected_version: int | None) -> None:
        try:
            username = self.store(values, expected_version)
        except StoreError as error:  # bad fields, the last admin, a newer version, busy...
            self.post_message(self.Refused.of(error))
        else:
            self.post_message(self.Saved(username))

    def store(self, values: dict[str, str], expected_version: int | None) -> str:
        """Make the store call (in the worker thread); returns the account's user name."""
        raise NotImplementedError


def secret_fields() -> ComposeResult:
    """The PIN or password, typed twice and never shown."""
    yield FormField("pin", _("PIN or password"), password=True, max_length=SECRET_MAX)
    yield FormField("pin_again", _("The same again"), password=True, max_length=SECRET_MAX)


def role_field(value: str) -> ChoiceField:
    """The three roles, all written out; Left/Right or Space change it."""
    options = [(role.value, text) for role, text in choices(UserRole)]
    return ChoiceField("role", _("Role"), options, value=value, show_all=True)


class AddAccountForm(AccountDialog):
    """A new account: user name, name shown, role, PIN or password twice, linked member."""

    def heading(self) -> str:
        return _("Add an account")

    def hint(self) -> str:
        return _(SECRET_HINT)

    def compose_fields(self) -> ComposeResult:
        yield FormField("username", _("User name"), max_length=USERNAME_MAX)
        yield FormField("display_name", _("Name shown"), max_length=NAME_MAX)
        yield role_field(UserRole.VOLUNTEER.value)
        yield from secret_fields()
        yield MemberPicker("member_id", _("Linked member"))

    def store(self, values: dict[str, str], expected_version: int | None) -> str:
        from store.users import ops as users

        record = users.add_user(
            self.session.db,
            self.session.acting,
            username=values["username"],
            display_name=values["display_name"],
            role=values["role"],
            secret=values["pin"],
            member_id=values["member_id"] or None,
        )
        return str(record["username"])


class EditAccountForm(AccountDialog):
    """An account's name shown, role and linked member (the user name never changes)."""

    def __init__(self, session: Session, row: AccountRow, *, focus: str = "") -> None:
        super().__init__(session)
        self.row = row
        self.version = row.version
        self.focus_field = focus

    def heading(self) -> str:
        return _("Change the account {name}").format(name=self.row.username)

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "display_name", _("Name shown"), value=self.row.display_name, max_length=NAME_MAX
        )
        yield role_field(self.row.role)
        yield MemberPicker("member_id", _("Linked member"), member_id=self.row.member_id)

    def first_field(self) -> LabelledField:
        return self.field(self.focus_field) if self.focus_field else super().first_field()

    def store(self, values: dict[str, str], expected_version: int | None) -> str:
        from store.users import ops as users

        # Only what was changed here (the shared edits: the fields against what was opened or
        # reloaded): "overwrite with mine" after someone else's save keeps whatever else they
        # saved, their linked member too (None leaves a field as it is).
        edits = self.edits(values)
        record = users.update_user(
            self.session.db,
            self.session.acting,
            self.row.username,
            display_name=edits.get("display_name"),
            role=edits.get("role"),
            member_id=edits.get("member_id"),
            expected_version=self.version if expected_version is None else expected_version,
        )
        return str(record["username"])

    # -- someone else's save meanwhile: the question every form asks (screens/shell/refused.py)

    def record_id(self) -> str | None:
        """The account edited, by the name the store finds it by (it never changes)."""
        return self.row.username

    def conflict_words(self) -> tuple[str, str] | None:
        return (
            _("Someone else changed this account while you were editing it."),
            _("Not saved: someone else changed this account meanwhile."),
        )

    def stored_values(self, doc: Mapping[str, Any]) -> dict[str, str]:
        """What the fields show for the stored account ``doc`` (the member by id)."""
        return {
            "display_name": str(doc.get("display_name") or ""),
            "role": str(doc.get("role") or ""),
            "member_id": str(doc.get("member_id") or ""),
        }

    def save_over(self, expected_version: int) -> None:
        """Save the fields changed here over ``expected_version`` (overwrite with mine)."""
        self.action_save(expected_version=expected_version)


class SecretForm(AccountDialog):
    """A new PIN or password for an account (it also lifts a lock)."""

    def __init__(self, session: Session, row: AccountRow) -> None:
        super().__init__(session)
        self.row = row

    def heading(self) -> str:
        return _("A new PIN or password for {name}").format(name=self.row.username)

    def hint(self) -> str:
        return _(SECRET_HINT) + " " + _("Tell it to them, not in writing.")

    def compose_fields(self) -> ComposeResult:
        yield from secret_fields()

    def store(self, values: dict[str, str], expected_version: int | None) -> str:
        from store.users import ops as users

        record = users.reset_secret(
            self.session.db, self.session.acting, self.row.username, values["pin"]
        )
        return str(record["username"])
