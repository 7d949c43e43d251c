"""A vertically scrolling area for reading, with the app's movement keys and nothing else.

Textual's scroll containers also bind horizontal scrolling (left/right, Ctrl+PgUp/PgDn), which
our text never needs; help would list those dead keys. This one scrolls with the arrows or j/k,
PgUp/PgDn, Home/End (DESIGN.md, "Screens and keys").
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widget import Widget

from screens.widgets.keys import translate_bindings
from store.i18n import N_


class TextScroll(VerticalScroll, inherit_bindings=False):
    """Scrollable, focusable column of text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_up", N_("Scroll up"), show=False),
        Binding("down,j", "scroll_down", N_("Scroll down"), show=False),
        Binding("pageup", "page_up", N_("Page up"), show=False),
        Binding("pagedown", "page_down", N_("Page down"), show=False),
        Binding("home", "scroll_home", N_("To the top"), show=False),
        Binding("end", "scroll_end", N_("To the bottom"), show=False),
    ]

    def __init__(
        self,
        *children: Widget,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(*children, id=id, classes=classes)
        translate_bindings(self)
