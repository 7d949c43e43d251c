"""Small questions: "drop your edits?" (yes/no) and "someone saved meanwhile" (several answers).

Each is a :class:`~textual.screen.ModalScreen` that returns the answer with ``dismiss``. The safe
answer has the focus when the dialog opens, so a stray Enter (or Escape followed by a key,
which a slow link can deliver as Alt+key) never drops anyone's work: Escape always means the
safe answer. Left/Right and Tab move between the answers; each answer also has its own letter.
The question may contain user data (a name), so it is shown literally.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button

from screens.shell.session import Session
from screens.widgets.footer import FittingFooter
from screens.widgets.form import FormField, LabelledField, after_typed_keys
from screens.widgets.keys import translate_bindings
from screens.widgets.text import SafeLabel
from store.i18n import N_, _, join_list


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer: the value returned, its button text and the letter that picks it."""

    value: str
    label: str
    key: str


class ChoiceDialog(ModalScreen[str]):
    """A question with a few answers; returns the chosen answer's value (``cancel`` on Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(self, question: str, choices: Sequence[Choice], *, cancel: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.question = question
        self.choices = tuple(choices)
        self.cancel_value = cancel

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield SafeLabel(self.question, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                for choice in self.choices:
                    yield Button(
                        Content(f"{choice.label} ({choice.key.upper()})"),
                        id=f"choice-{choice.value}",
                        compact=True,
                    )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(f"#choice-{self.cancel_value}", Button).focus()

    def on_key(self, event: events.Key) -> None:
        if event.character is None:
            return
        for choice in self.choices:
            if event.character.lower() == choice.key:
                event.stop()
                self.dismiss(choice.value)
                return

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button_id = event.button.id or ""
        self.dismiss(button_id.removeprefix("choice-"))

    def action_cancel(self) -> None:
        """Close without doing anything (the safe answer)."""
        self.dismiss(self.cancel_value)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question whose answer defaults to No (focused, and what Esc gives)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", N_("No")),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(self, question: str, *, yes: str = "", no: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self.question = question
        self.yes = yes or _("Yes")
        self.no = no or _("No")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield SafeLabel(self.question, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content(f"{self.yes} (Y)"), id="confirm-yes", compact=True)
                yield Button(Content(f"{self.no} (N)"), id="confirm-no", compact=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_key(self, event: events.Key) -> None:
        if event.character is None:
            return
        answer = {"y": True, "n": False}.get(event.character.lower())
        if answer is not None:
            event.stop()
            self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        """Close with ``yes``."""
        self.dismiss(yes)


class TypeToConfirmDialog(ModalScreen[bool]):
    """For what cannot be undone: the person types ``expected`` (a member's name) to go on.

    A Yes button is one stray Enter away; typing the name is not, and it makes sure the right
    record is meant. Esc, or Enter with anything else typed, gives False.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", N_("Cancel")),
        Binding("enter", "check", N_("Confirm"), priority=True),
    ]

    def __init__(self, question: str, expected: str, *, prompt: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.question = question
        self.expected = expected
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield SafeLabel(self.question, classes="dialog-question")
            yield FormField("typed", self.prompt, max_length=60)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(FormField).input.focus()

    def action_check(self) -> None:
        """Enter: once the keys typed before it are in, go on only if they spell the name."""
        field = self.query_one(FormField)
        after_typed_keys([field], lambda: self._check(field))

    def _check(self, field: FormField) -> None:
        if field.value.strip() == self.expected.strip():
            self.dismiss(True)
        else:
            field.set_error(_("That is not the name. Type it exactly, or press Esc."))

    def action_answer(self, yes: bool) -> None:
        """Close with ``yes``."""
        self.dismiss(yes)


class ConflictDialog(ChoiceDialog):
    """Someone else saved the record being edited: reload theirs (r), overwrite (o), cancel (c).

    Returns "reload", "overwrite" or "cancel" (also on Esc): every form asks it the same way.
    ``by`` names who saved (a display name) and ``changed`` the labels of the fields their save
    changed among those the form shows, so the person can choose knowing what is at stake.
    """

    def __init__(self, question: str, *, by: str = "", changed: Sequence[str] = ()) -> None:
        lines = [question]
        if by:
            lines.append(_("Saved by {name}.").format(name=by))
        if changed:
            lines.append(_("Their changes: {fields}.").format(fields=join_list(changed)))
        super().__init__(
            "\n".join(lines),
            [
                Choice("reload", _("Reload theirs"), "r"),
                Choice("overwrite", _("Overwrite with mine"), "o"),
                Choice("cancel", _("Cancel"), "c"),
            ],
            cancel="cancel",
        )


def saved_by(session: Session, current: Mapping[str, Any]) -> str:
    """The display name of whoever saved ``current`` last ("" when the record does not say)."""
    from store.errors import StoreError
    from store.users.who import known_as

    username = str(current.get("updated_by") or "")
    try:
        return known_as(session.db.snapshot(), username) if username else ""
    except StoreError:
        return username


def changed_fields(
    fields: Sequence[LabelledField], mine: Mapping[str, str], theirs: Mapping[str, str]
) -> list[str]:
    """The labels of the form's fields whose stored value the other save changed."""
    return [f.label for f in fields if mine.get(f.field, "") != theirs.get(f.field, "")]


def close_asking(screen: Screen[Any], question: str, *, unsaved: bool, yes: str = "") -> None:
    """Close ``screen`` (Esc on a form): at once, or once the person agrees to drop their edits.

    The safe answer, "Keep editing", has the focus and is what Esc gives.
    """
    if not unsaved:
        screen.dismiss(None)
        return

    def answered(drop: bool | None) -> None:
        if drop:
            screen.dismiss(None)

    screen.app.push_screen(
        ConfirmDialog(question, yes=yes or _("Drop them"), no=_("Keep editing")), answered
    )
