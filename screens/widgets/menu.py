"""A short list of things to open, moved through with the app's keys and opened with Enter.

Textual's OptionList parses its prompts as markup by default and hides its Enter key from the
footer; this one takes plain text and says "Enter Open", so people see how to go on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets.option_list import Option

from screens.widgets.keys import translate_bindings
from screens.widgets.option_lines import OptionLines
from store.i18n import N_


class MenuList(OptionLines, inherit_bindings=False):
    """Entries ``(id, text)``; selecting one posts OptionList.OptionSelected with its id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", N_("Open")),
        Binding("up,k", "cursor_up", N_("Up"), show=False),
        Binding("down,j", "cursor_down", N_("Down"), show=False),
        Binding("home", "first", N_("First"), show=False),
        Binding("end", "last", N_("Last"), show=False),
    ]

    def __init__(self, entries: Iterable[tuple[str, str]], *, id: str | None = None) -> None:
        super().__init__(
            *(Option(Content(text), id=entry_id) for entry_id, text in entries),
            id=id,
            markup=False,
            compact=True,
        )
        translate_bindings(self)
