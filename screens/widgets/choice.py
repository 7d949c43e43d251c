"""A form field that holds one of a few fixed options, changed with Left/Right or Space.

Why not Textual's Select: its list opens on Enter, which forms use to move to the next field
(screens/widgets/form.py), and an overlay that opens and closes costs a repaint of the form on a
slow link. Here the choice is always written out in words on the field's own row. A field with
many options shows the current one (``< Retired >``); a field with a few short ones can show
them all, the chosen one in brackets (``[Phone]  Visit   Message   Other``), so nobody has to
guess what a key will bring up. Right or Space chooses the next option and Left the one before,
wrapping around, so a phone's SSH keyboard (which may lack arrows) can still use it with Space;
Home and End choose the first and the last. The focused field says so after the options (the
footer has no room for one more key at 80 columns). Enter moves on like in every other field.

Nothing depends on colour: the focused field's label is reversed like a text field's, the
chosen option is in words or in brackets (and reversed too while the field has the focus).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from screens.widgets.form import LabelledField, field_id
from screens.widgets.keys import translate_bindings
from store.i18n import N_, _

HOW_TO_CHANGE = N_("Space to change")  # Left/Right work too (help lists them); this fits


class ChoiceValue(Widget, can_focus=True):
    """The focusable part of a :class:`ChoiceField`: the current option, or all of them."""

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
        Binding("home", "pick(0)", N_("First option"), show=False),
        Binding("end", "pick(-1)", N_("Last option"), show=False),
    ]

    index: reactive[int] = reactive(0)

    def __init__(
        self, options: Sequence[tuple[str, str]], *, show_all: bool = False, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.options = tuple(options)
        self.show_all = show_all

    def render(self) -> Content:
        # Option texts are translated labels, never user data; still never parsed as markup.
        shown = self._all() if self.show_all else Content(f"< {self.options[self.index][1]} >")
        if not self.has_focus:
            return shown
        return Content.assemble(shown, "  ", (_(HOW_TO_CHANGE), "italic"))

    def _all(self) -> Content:
        """Every option on the row, the chosen one in brackets (the others padded to match)."""
        pieces: list[Content] = []
        for index, (_value, text) in enumerate(self.options):
            if index == self.index:
                style = "bold reverse" if self.has_focus else "bold"
                pieces.append(Content.styled(f"[{text}]", style))
            else:
                pieces.append(Content(f" {text} "))
        return Content(" ").join(pieces)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_step(self, step: int) -> None:
        """Choose the next (``1``) or previous (``-1``) option, wrapping around."""
        self._choose((self.index + step) % len(self.options))

    def action_pick(self, index: int) -> None:
        """Choose the option at ``index`` (``-1``: the last)."""
        self._choose(index % len(self.options))

    def _choose(self, index: int) -> None:
        """The person chose option ``index``: show it and tell the form."""
        if index != self.index:
            self.index = index
            field = self.query_ancestor(ChoiceField)
            self.post_message(ChoiceField.Changed(field, field.value))


class ChoiceField(LabelledField):
    """``label  < option >`` (or ``label  [option]  other  other``) on one row, and the
    field's problem under it.

    ``options`` are ``(value, text)`` pairs in the order Right/Space goes through them; the
    field's :attr:`value` is the chosen pair's value (the store's word for it, or "" for
    "not given" when the options offer that). ``show_all`` writes every option on the row
    (for a few short ones) rather than the chosen one alone.
    """

    @dataclass
    class Changed(Message):
        """The person chose another option (not sent when the program sets :attr:`value`)."""

        choice: ChoiceField
        value: str

        @property
        def control(self) -> ChoiceField:
            """The field that changed (for ``@on(ChoiceField.Changed, "#field-...")``)."""
            return self.choice

    def __init__(
        self,
        field: str,
        label: str,
        options: Sequence[tuple[str, str]],
        *,
        value: str = "",
        show_all: bool = False,
    ) -> None:
        if not options:
            raise ValueError("a choice needs at least one option")
        super().__init__(field, label)
        self._choice = ChoiceValue(options, show_all=show_all, id=field_id(field) + "-choice")
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
        """Choose the option whose value is ``value`` (the first option if none is); quietly."""
        values = [option for option, _text in self._choice.options]
        self._choice.index = values.index(value) if value in values else 0

    @property
    def text(self) -> str:
        """The chosen option as shown."""
        return self._choice.options[self._choice.index][1]
