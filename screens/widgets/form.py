"""A labelled one-line text field with its own message line, for every form in the app.

Forms use Textual's :class:`~textual.widgets.Input` (never a home-made text widget): it keeps
the terminal cursor at its caret, which the volunteer's IME candidate window follows. The field
is one row (label, then the compact input, underlined across its width so an empty field can be
seen), so a whole form fits 80x24; the label of the focused field is shown in reverse. Both
survive 16 colours and ``NO_COLOR``, where background shades do not. A problem with the field
is written under it, prefixed with "!" so it does not depend on colour either.

Each field is named by its store field (``"community_name"``, ``"yearly_hours.retired"``), so a
:class:`~store.errors.ValidationError` maps straight onto the form with :func:`show_errors`.
Fields of other kinds (a choice among fixed options, screens/widgets/choice.py) share the row,
the error line and the focus mark through :class:`LabelledField`, so one form can mix them.

Enter moves to the next field. Over a slow link keys typed ahead arrive together ("wang", Enter,
"2468", Enter in one packet), and Textual moves the focus only after the keys already queued:
the PIN would land in the user name field, shown in clear. So forms bind Enter as a *priority*
binding (run by the App as each key arrives, before the next key is routed) whose action calls
:func:`enter_pressed`, which moves the focus at once with ``Screen.set_focus``. Keys routed to
a field are applied in that field's own queue, a little later; a form that acts on Enter waits
for them with :func:`after_typed_keys`.

A field that shows a problem is checked again when the focus leaves it (:class:`LabelledField.Left`,
answered by :meth:`EnterMovesOn.field_problems`), so a corrected date loses its "!" at once
instead of at the next Ctrl+S.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label

from screens.widgets.text import SafeLabel
from store.errors import ValidationError

ERROR_MARK = "! "


def field_id(field: str) -> str:
    """A DOM id for store field ``field`` (ids may not contain dots)."""
    return "field-" + field.replace(".", "--")


class FieldInput(Input):
    """An Input whose own editing keys apply in order with the letters typed around them.

    Textual's Input inserts letters as their key events reach it but runs its bound keys
    (Backspace, arrows, Ctrl+U...) only after the event has bubbled to the App, so in a burst
    of keys (a slow SSH link, a fast typist, a paste) "ab⌫c" became "ab": letters behind the
    Backspace overtook it (textualize/textual#6605, fix proposed upstream in #6631). Running
    the input's own binding here, in the order the keys arrive, keeps them in order. Priority
    bindings (a form's Enter) never reach this: the App runs them first.
    """

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            own = self._bindings.key_to_bindings.get(event.key, [])
            if own:
                event.stop()
                event.prevent_default()
                await self.run_action(own[0].action)
                return
        await super()._on_key(event)


class LabelledField(Vertical):
    """One row of a form: ``label  [control]``, and the field's problem under it when it has one.

    The control is whatever the person edits (a text field, a choice): subclasses compose the
    row with :meth:`label_widget` and :meth:`error_widget` and say which widget takes the focus
    (:attr:`input`) and what it holds (:attr:`value`). Everything that moves through a form,
    marks its errors or waits for its keys works on this base, so a form may mix kinds.
    """

    DEFAULT_CSS = """
    LabelledField {
        height: auto;
        width: 1fr;
    }
    LabelledField > .field-row {
        height: 1;
        width: 1fr;
    }
    LabelledField .field-label {
        width: 30;
        padding-right: 1;
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    /* Textual restyles, when the focus moves, only the subtree of the outermost ancestor that
       has a :focus-within rule of its own; without this one (no change: height is auto above)
       the label kept the look it had when the form opened, so a moved focus did not show. */
    LabelledField:focus-within {
        height: auto;
    }
    LabelledField:focus-within .field-label {
        text-style: bold reverse;
    }
    LabelledField > .field-error {
        display: none;
        padding-left: 30;
        width: 1fr;
        text-style: bold;
    }
    LabelledField.-error > .field-error {
        display: block;
    }
    """

    @dataclass
    class Left(Message):
        """The focus left a field that shows a problem: the form may check it again."""

        field: LabelledField

    def __init__(self, field: str, label: str) -> None:
        super().__init__(id=field_id(field))
        self.field = field
        self.label = label
        self._error = ""

    def on_descendant_blur(self, _event: events.DescendantBlur) -> None:
        if self._error:
            self.post_message(self.Left(self))

    def label_widget(self) -> Label:
        """The field's label (the left column; reversed while the field has the focus)."""
        return Label(self.label, classes="field-label", markup=False)

    def error_widget(self) -> SafeLabel:
        """The line under the row where the field's problem is written."""
        return SafeLabel("", classes="field-error")

    @property
    def input(self) -> Widget:
        """The widget that takes the focus."""
        raise NotImplementedError

    @property
    def value(self) -> str:
        """What the field holds now, as text."""
        raise NotImplementedError

    @value.setter
    def value(self, value: str) -> None:
        raise NotImplementedError

    @property
    def error(self) -> str:
        """The problem shown under the field ("" for none)."""
        return self._error

    def set_error(self, message: str) -> None:
        """Show ``message`` under the field ("" clears it)."""
        self._error = message
        self.query_one(".field-error", SafeLabel).update(ERROR_MARK + message if message else "")
        self.set_class(bool(message), "-error")


class FormField(LabelledField):
    """``label  [input]`` on one row and, when there is one, the field's problem under it."""

    DEFAULT_CSS = """
    FormField Input {
        width: 1fr;
        text-style: underline;
    }
    """

    def __init__(
        self,
        field: str,
        label: str,
        *,
        value: str = "",
        password: bool = False,
        max_length: int = 0,
        select_on_focus: bool = False,
    ) -> None:
        super().__init__(field, label)
        self._input = FieldInput(
            value,
            password=password,
            max_length=max_length,
            compact=True,
            select_on_focus=select_on_focus,
            id=field_id(field) + "-input",
        )
        self._input.cursor_blink = False  # a blinking caret repaints twice a second

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield self.label_widget()
            yield self._input
        yield self.error_widget()

    @property
    def input(self) -> Input:
        """The text field itself."""
        return self._input

    @property
    def value(self) -> str:
        """What the field holds now."""
        return self._input.value

    @value.setter
    def value(self, value: str) -> None:
        self._input.value = value


def form_fields(root: Widget) -> list[FormField]:
    """Every text field under ``root``, in order."""
    return list(root.query(FormField))


def all_fields(root: Widget) -> list[LabelledField]:
    """Every field under ``root`` of any kind (text, choice), in order."""
    return list(root.query(LabelledField))


def clear_errors(fields: Iterable[LabelledField]) -> None:
    """Remove every field's message."""
    for field in fields:
        field.set_error("")


def show_errors(fields: Iterable[LabelledField], errors: Mapping[str, str]) -> list[str]:
    """Put each message under its field; returns the messages no field took (say them elsewhere).

    A message for ``"yearly_hours"`` as a whole goes under the first ``yearly_hours.*`` field.
    The first field with a problem takes the focus, so the person can fix it at once.
    """
    fields = list(fields)
    by_name = {field.field: field for field in fields}
    unplaced: list[str] = []
    for name, message in errors.items():
        target = by_name.get(name) or next(
            (field for field in fields if field.field.startswith(name + ".")), None
        )
        if target is None:
            unplaced.append(message)
        else:
            target.set_error(message)
    first = next((field for field in fields if field.error), None)
    if first is not None:
        first.input.focus()
    return unplaced


def problems(validate: Callable[[], object]) -> dict[str, str]:
    """The messages by field of a ValidationError that ``validate()`` raises ({} if none)."""
    try:
        validate()
    except ValidationError as error:
        return dict(error.errors)
    return {}


ENTER = Binding("enter", "enter", show=False, priority=True)
"""The binding a form adds; its ``action_enter`` calls :func:`enter_pressed`."""


def focused_field(fields: Iterable[LabelledField], focused: Widget | None) -> int | None:
    """The position of the field whose input has the focus, or None."""
    return next((i for i, field in enumerate(fields) if field.input is focused), None)


def enter_pressed(fields: Iterable[LabelledField], focused: Widget | None) -> bool:
    """Move the focus to the field after the focused one now; True if it was the last field.

    Call it from a priority binding's action (see the module docstring): the very next key
    goes to the new field.
    """
    fields = list(fields)
    index = focused_field(fields, focused)
    if index is None or index == len(fields) - 1:
        return index is not None
    following = fields[index + 1].input
    following.screen.set_focus(following)
    return False


def after_typed_keys(fields: Iterable[LabelledField], callback: Callable[[], object]) -> None:
    """Call ``callback`` once every field has applied the keys already routed to it.

    Each field handles its keys in its own message queue; a call queued behind them in every
    field runs after the last of them (what a fast typist or a slow link sent ahead).
    """
    inputs = [field.input for field in fields]

    def step(index: int) -> None:
        if index == len(inputs):
            callback()
        else:
            inputs[index].call_later(step, index + 1)

    step(0)


class EnterMovesOn:
    """Enter in a form, for a screen, a dialog or a form widget: mix in before its Textual class.

    The class lists :data:`ENTER` (a priority binding, see the module docstring) in its
    BINDINGS; while one of its fields has the focus, Enter moves to the next field at once, and
    on the last field calls :meth:`submit` once the keys typed before it are in. ``submit``
    does nothing unless overridden: such forms save with Ctrl+S.
    """

    def _form(self) -> Widget:
        assert isinstance(self, Widget), "EnterMovesOn is for widgets and screens"
        return self

    def field_problems(self) -> Mapping[str, str]:
        """What the store's validator says of the values now, by field ({}: nothing to say).

        Forms whose store call validates override it with :func:`problems`.
        """
        return {}

    def on_labelled_field_left(self, message: LabelledField.Left) -> None:
        """Check a field that showed a problem once the person moves on from it."""
        message.stop()
        message.field.set_error(self.field_problems().get(message.field.field, ""))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter":
            form = self._form()
            return focused_field(all_fields(form), form.app.focused) is not None
        return True

    def action_enter(self) -> None:
        """Enter: on to the next field at once; on the last, submit once its keys are in."""
        form = self._form()
        fields = all_fields(form)
        if enter_pressed(fields, form.app.focused):
            after_typed_keys(fields, self.submit)

    def submit(self) -> None:
        """Enter on the last field (nothing by default: the form saves with Ctrl+S)."""


class EnterForm(EnterMovesOn, Vertical):
    """A form of fields where Enter moves to the next field and, on the last, submits."""

    BINDINGS: ClassVar[list[BindingType]] = [ENTER]
