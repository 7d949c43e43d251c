"""A form field that holds one of a few fixed options, changed with Left/Right or Space.

Why not Textual's Select: its list opens on Enter, which forms use to move to the next field
(screens/widgets/form.py), and an overlay that opens and closes costs a repaint of the form on a
slow link. Here the current option is always written out in words on the field's own row
(``< Retired >``); Right or Space shows the next one and Left the one before, wrapping around,
so a phone's SSH keyboard (which may lack arrows) can still use it with Space. The focused
field says so after the option (the footer has no room for one more key at 80 columns). Enter
moves on like in every other field. Nothing depends on colour: the focused field's label is
reversed like a text field's, and the option is text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from screens.keys import translate_bindings
from screens.widgets.form import LabelledField, field_id
from store.i18n import N_, _

HOW_TO_CHANGE = N_("Space to change")  # Left/Right work too (help lists them); this fits


class ChoiceValue(Widget, can_focus=True):
    """The focusable part of a :class:`ChoiceField`: the current option between ``<`` and ``>``."""

    DEFAULT_CSS = """
    ChoiceValue {
        width: 1fr;
        height: 1;
    }
    ChoiceValue:focus {
        text-style: bold;
    }
    """

    # The footer has no room left at 80 columns; the focused field says how to change it.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "step(1)", N_("Change"), show=False),
        Binding("right", "step(1)", N_("Next option"), show=False),
        Binding("left", "step(-1)", N_("Previous option"), show=False),
    ]

    index: reactive[int] = reactive(0)

    def __init__(self, options: Sequence[tuple[str, str]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.options = tuple(options)

    def render(self) -> Content:
        # Option texts are translated labels, never user data; still never parsed as markup.
        shown = Content(f"< {self.options[self.index][1]} >")
        if not self.has_focus:
            return shown
        return Content.assemble(shown, "  ", (_(HOW_TO_CHANGE), "italic"))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_step(self, step: int) -> None:
        """Show the next (``1``) or previous (``-1``) option, wrapping around."""
        self.index = (self.index + step) % len(self.options)


class ChoiceField(LabelledField):
    """``label  < option >`` on one row, with the field's problem under it.

    ``options`` are ``(value, text)`` pairs in the order Right/Space goes through them; the
    field's :attr:`value` is the chosen pair's value (the store's word for it, or "" for
    "not given" when the options offer that).
    """

    def __init__(
        self, field: str, label: str, options: Sequence[tuple[str, str]], *, value: str = ""
    ) -> None:
        if not options:
            raise ValueError("a choice needs at least one option")
        super().__init__(field, label)
        self._choice = ChoiceValue(options, id=field_id(field) + "-choice")
        self.value = value

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield self.label_widget()
            yield self._choice
        yield self.error_widget()

    @property
    def input(self) -> ChoiceValue:
        """The focusable option display."""
        return self._choice

    @property
    def options(self) -> tuple[tuple[str, str], ...]:
        """The ``(value, text)`` pairs offered, in order."""
        return self._choice.options

    @property
    def value(self) -> str:
        """The chosen option's value."""
        return self._choice.options[self._choice.index][0]

    @value.setter
    def value(self, value: str) -> None:
        """Choose the option whose value is ``value`` (the first option if none is)."""
        values = [option for option, _text in self._choice.options]
        self._choice.index = values.index(value) if value in values else 0

    @property
    def text(self) -> str:
        """The chosen option as shown."""
        return self._choice.options[self._choice.index][1]
