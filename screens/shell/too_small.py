"""What shows instead of a broken layout when the terminal is smaller than 80x24.

The App pushes :class:`TooSmallScreen` on top of whatever is showing (a section, a dialog, the
command palette) as soon as the terminal is too small, and removes it when it is big enough again.
Being a screen of its own, it hides everything under it and takes every key but the App's
priority keys; the App disables those (sections, help, palette) while it shows, except Ctrl+Q.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Label

from screens.widgets.keys import translate_bindings
from store.i18n import _

MIN_WIDTH = 80
MIN_HEIGHT = 24


def too_small(size: Size) -> bool:
    """Whether a terminal of ``size`` cannot show the layout."""
    return size.width < MIN_WIDTH or size.height < MIN_HEIGHT


def message(size: Size) -> str:
    """The sentence shown, e.g. "Terminal too small: need 80x24, have 60x20."."""
    return _("Terminal too small: need {need}, have {have}.").format(
        need=f"{MIN_WIDTH}x{MIN_HEIGHT}", have=f"{size.width}x{size.height}"
    )


class TooSmallScreen(ModalScreen[None]):
    """A centred notice of the needed and actual terminal size."""

    def __init__(self, size: Size) -> None:
        super().__init__()
        translate_bindings(self)
        self._size_shown = size

    def compose(self) -> ComposeResult:
        yield Label(message(self._size_shown), id="too-small-message", markup=False)
        yield Label(
            _("Make the window bigger, or press Ctrl+Q to quit."),
            id="too-small-hint",
            markup=False,
        )

    def show_size(self, size: Size) -> None:
        """Update the sizes in the notice after another resize."""
        self._size_shown = size
        self.query_one("#too-small-message", Label).update(message(size))
