"""A list of plain-text lines moved through with the app's keys, for the patrol screens.

The shift's people, the assign list's candidates, the templates, "my shifts": each line is
plain :class:`~textual.content.Content` (user data never parsed as markup), the highlighted
line in reverse video while the list has the focus (no colour needed), Enter selects.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets.option_list import Option

from screens.widgets.keys import translate_bindings
from screens.widgets.option_lines import OptionLines
from store.i18n import N_


class LineList(OptionLines, inherit_bindings=False):
    """Lines with ids; Enter sends OptionList.OptionSelected."""

    DEFAULT_CSS = """
    LineList {
        height: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        scrollbar-size-vertical: 1;
    }
    LineList:focus > .option-list--option-highlighted {
        text-style: bold reverse;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", N_("Up"), show=False),
        Binding("down,j", "cursor_down", N_("Down"), show=False),
        Binding("pageup", "page_up", N_("Page up"), show=False),
        Binding("pagedown", "page_down", N_("Page down"), show=False),
        Binding("home", "first", N_("First"), show=False),
        Binding("end", "last", N_("Last"), show=False),
        Binding("enter", "select", N_("Open"), show=False),
    ]

    def __init__(self, *, id: str | None = None, show_open: bool = False) -> None:
        """``show_open``: say "Enter Open" in the footer, where Enter opening a line is the
        screen's main action and nothing else on the screen says so (the day, my shifts)."""
        super().__init__(id=id, markup=False, compact=True)
        if show_open:
            # This node's own copy of the map (Textual copies the class's per node); the
            # class's binding stays hidden for the lists where Enter goes without saying.
            self._bindings.key_to_bindings["enter"] = [
                replace(binding, show=True)
                for binding in self._bindings.key_to_bindings.get("enter", [])
            ]
        translate_bindings(self)

    def show_lines(self, lines: list[tuple[str, str]], keep: str | None = None) -> None:
        """Show ``(id, text)`` lines; highlight ``keep`` if still there, else the first."""
        if keep is None and self.highlighted_option is not None:
            keep = self.highlighted_option.id
        self.set_options(Option(Content(text), id=row_id) for row_id, text in lines)
        index = next((i for i, (row_id, _text) in enumerate(lines) if row_id == keep), None)
        self.highlighted = index if index is not None else (0 if lines else None)

    @property
    def current(self) -> str | None:
        """The id of the highlighted line."""
        option = self.highlighted_option
        return option.id if option is not None else None
