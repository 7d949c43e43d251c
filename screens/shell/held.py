"""Screens that do no work for a frame nobody sees: none rendered during a hold, no second
styling when first shown.

The App holds frames (Textual's batch) while it starts and while a section is switched to, until
the new screen says it is whole (tui/switching.py); every frame rendered meanwhile is dropped
(``App._display``), and the screen is painted whole when the hold ends. Textual still renders
each refresh made during a hold (a resize, a layout on mount): the login's start rendered two
frames it dropped (6 to 7 ms of a cold start on a small machine), opening the roster at 5,000
members six (15 to 20 ms). Here a refresh during a hold keeps what it would have painted marked
as changed, and the first refresh after the hold paints it.

Textual also styles a whole screen again each time it is shown (``ScreenResume``), which a
screen coming back needs (its classes may have changed while it was hidden) but one shown for
the first time does not: each of its widgets was styled as it mounted, a moment before. That
second styling was about 5 ms of the login's start (23 of the 56 stylings before its first
frame). Its first showing skips it.

Private Textual state (``Screen._compositor_refresh``, ``App._batch_count``), pinned below 9
(pyproject.toml); tests/screens/test_section_switch.py counts the frames,
tests/screens/test_held_screens.py compares the styles with a whole styling.
"""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.screen import Screen

ResultT = TypeVar("ResultT")


class PaintedAfterHolds(Screen[ResultT]):
    """A screen whose refreshes during a hold of the App's frames render nothing, and which is
    not styled again when first shown (see the module)."""

    _shown = False

    def _compositor_refresh(self) -> None:
        if self.app._batch_count:
            return  # the frame would be dropped; what changed stays marked for the next one
        super()._compositor_refresh()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual calls each class's handler, this one before Screen's, which styles again.
        if not self._shown:
            self._shown = True
            event.refresh_styles = False
