"""The add-contact dialog: when a member was reached, how, and what was said.

Three fields: the date (today unless changed, typed the forgiving ways the store reads:
2026-11-20, 11月20日, 昨天), the method (a row of the four choices, moved through with
Left/Right: every choice is on screen, so nobody has to guess what a key will bring up, which a
drop-down would hide on a phone's small SSH screen) and a note. Enter moves on and, on the note,
saves; Ctrl+S saves from anywhere. The store checks the whole contact in a worker; each problem
is written under its field and nothing is stored. Esc asks before dropping what was typed.

The dialog returns the stored contact record, or None when nothing was saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Label

from screens.dialogs import close_asking
from screens.keys import translate_bindings
from screens.session import Session
from screens.widgets.form import (
    ENTER,
    ERROR_MARK,
    FormField,
    after_typed_keys,
    clear_errors,
    form_fields,
    show_errors,
)
from screens.widgets.text import SafeLabel
from store.enums import ContactMethod, label
from store.errors import StoreError, ValidationError
from store.i18n import N_, _
from store.validation_activity import NOTE_MAX

METHODS = tuple(ContactMethod)


class MethodChoice(Widget, can_focus=True):
    """The four contact methods on one line; the chosen one in [brackets]. Left/Right move,
    and Space too, for a phone's SSH keyboard without arrows.

    Brackets (and reverse video while focused) show the choice without colour.
    """

    DEFAULT_CSS = """
    MethodChoice {
        width: 1fr;
        height: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", N_("Previous method"), show=False),
        Binding("right,space", "move(1)", N_("Next method"), show=False),
        Binding("home", "pick(0)", N_("First method"), show=False),
        Binding("end", "pick(-1)", N_("Last method"), show=False),
    ]

    chosen: reactive[int] = reactive(0)

    def __init__(self, method: ContactMethod = ContactMethod.PHONE, *, id: str | None = None):
        super().__init__(id=id)
        translate_bindings(self)
        self.set_reactive(MethodChoice.chosen, METHODS.index(method))

    @property
    def method(self) -> ContactMethod:
        """The method chosen now."""
        return METHODS[self.chosen]

    def render(self) -> Content:
        pieces: list[Content] = []
        for index, method in enumerate(METHODS):
            word = label(method)
            if index == self.chosen:
                style = "bold reverse" if self.has_focus else "bold"
                pieces.append(Content.styled(f"[{word}]", style))
            else:
                pieces.append(Content(f" {word} "))
        return Content(" ").join(pieces)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, step: int) -> None:
        """Choose the next (1) or previous (-1) method, round the end."""
        self.chosen = (self.chosen + step) % len(METHODS)

    def action_pick(self, index: int) -> None:
        """Choose the method at ``index`` (-1: the last)."""
        self.chosen = index % len(METHODS)


class MethodField(Vertical):
    """``label  [choice]`` on one row, with a line for a problem under it (like FormField)."""

    def __init__(self, label_text: str) -> None:
        super().__init__(id="field-method")
        self.field = "method"
        self.label_text = label_text
        self.choice = MethodChoice(id="field-method-input")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(self.label_text, classes="field-label", markup=False)
            yield self.choice
        yield SafeLabel("", classes="field-error")

    def set_error(self, message: str) -> None:
        """Show ``message`` under the row ("" clears it)."""
        self.query_one(".field-error", SafeLabel).update(ERROR_MARK + message if message else "")
        self.set_class(bool(message), "-error")


class ContactForm(ModalScreen[dict[str, Any] | None]):
    """Log one contact with a member (coordinators and admins)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "cancel", N_("Cancel")),
        ENTER,
    ]

    @dataclass
    class Saved(Message):
        """The store logged the contact."""

        record: dict[str, Any]

    @dataclass
    class Refused(Message):
        """The store refused it: field -> problem ("" for one that belongs to no field)."""

        errors: dict[str, str]

    def __init__(self, session: Session, member_id: str, member_name: str, *, today: date):
        super().__init__(id="contact-form")
        translate_bindings(self)
        self.session = session
        self.member_id = member_id
        self.member_name = member_name
        self.today_text = today.isoformat()
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="contact-dialog"):
            yield SafeLabel(
                _("Log a contact with {name}").format(name=self.member_name),
                classes="dialog-question",
            )
            yield FormField(
                "date", _("Date"), value=self.today_text, max_length=20, select_on_focus=True
            )
            yield MethodField(_("Method"))
            yield FormField("note", _("Note"), max_length=NOTE_MAX)
            yield SafeLabel("", id="contact-message")
            yield Label(
                _("Left/Right or Space choose the method. Enter on the note or Ctrl+S saves."),
                classes="dialog-hint",
                markup=False,
            )
        yield Footer()

    def on_mount(self) -> None:
        self.field("date").input.focus()

    def field(self, name: str) -> FormField:
        """The text field for store field ``name``."""
        return next(field for field in form_fields(self) if field.field == name)

    @property
    def method(self) -> ContactMethod:
        """The method chosen now."""
        return self.query_one(MethodChoice).method

    def order(self) -> list[Widget]:
        """What Enter moves through, top to bottom."""
        return [self.field("date").input, self.query_one(MethodChoice), self.field("note").input]

    def values(self) -> dict[str, str]:
        """What the dialog holds now, as the store's ``add_contact`` takes it."""
        return {
            "date": self.field("date").value,
            "method": self.method.value,
            "note": self.field("note").value,
        }

    def has_edits(self) -> bool:
        """Whether anything was typed or chosen (Esc then asks before dropping it)."""
        return (
            self.field("date").value.strip() != self.today_text
            or self.method is not ContactMethod.PHONE
            or bool(self.field("note").value.strip())
        )

    def say(self, message: str) -> None:
        """A line for what belongs to no single field."""
        self.query_one("#contact-message", SafeLabel).update(message)

    # -- keys ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter":
            return self.focused in self.order()
        return True

    def action_enter(self) -> None:
        """Enter: on to the next field at once; on the note, save once its keys are in."""
        order = self.order()
        if self.focused not in order:
            return
        index = order.index(self.focused)
        if index == len(order) - 1:
            after_typed_keys(form_fields(self), self.action_save)
        else:
            self.set_focus(order[index + 1])

    def action_save(self) -> None:
        """Save the contact (Ctrl+S); the store checks every field."""
        if self.saving:
            return
        self.saving = True
        self.query_one(MethodField).set_error("")
        clear_errors(form_fields(self))
        self.say(_("Saving…"))
        self._save(self.values())

    @work(thread=True, exclusive=True, group="contact-save")
    def _save(self, raw: Mapping[str, str]) -> None:
        from store import contacts

        try:
            record = contacts.add_contact(self.session.db, self.session.acting, self.member_id, raw)
        except ValidationError as error:
            self.post_message(self.Refused(dict(error.errors)))
        except StoreError as error:  # PermissionDenied, DatabaseBusy, WriteFailed...
            self.post_message(self.Refused({"": str(error)}))
        else:
            self.post_message(self.Saved(record))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saving = False
        self.dismiss(message.record)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.saving = False
        errors = dict(message.errors)
        method_error = errors.pop("method", "")
        if method_error:
            self.query_one(MethodField).set_error(method_error)
        unplaced = show_errors(form_fields(self), errors)
        if unplaced:
            self.say(" ".join(unplaced))
        else:
            self.say(_("Nothing was saved: please correct the fields marked with !"))

    def action_cancel(self) -> None:
        """Close without saving (Esc); asks first if something was typed."""
        close_asking(
            self,
            _("This contact is not saved. Drop it?"),
            unsaved=self.has_edits(),
            yes=_("Drop it"),
        )
