"""A section shows as soon as its data is on screen, not after a fixed pause.

Textual holds every frame for 50 ms when it switches modes (``App.delay_update`` in
``switch_mode``), so that a screen being built is never painted half made. In shequ a
section's screen reads its data in a worker and is whole once that data is shown, which
usually takes a few milliseconds: the fixed pause was most of the time from ``3`` to the week
grid (and from ``2`` to the roster), and, the pause ended, a second repaint followed it.

Here the hold ends when the screen now shown says it is whole (:class:`ScreenReady`, posted by
``SectionScreen`` once its data is on screen, or at once when it comes back with its data
still current, and by the login and lock screens once mounted), and at the latest after
:data:`SWITCH_HOLD_S`, for a load that takes longer or one that failed. A half-built screen is
still never painted, and one frame carries the whole screen. The longest hold is longer than
Textual's 50 ms: a section opened for the first time reads its data then (the roster's 5,000
members, about 100 ms on a slow machine), and painting it empty first cost a whole extra frame,
3 KB or half a second at 64 kbit/s, just before the frame with the data.

The first screen is painted whole in one frame too. Textual builds it inside a batch (compose,
first resize, mount) and drops the frame rendered there; after the batch it sent only the
widgets changed since (a part of the login screen), and the whole screen on its next update
tick, 20-30 ms later: two frames where one does, and the login on screen later than need be.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import RenderableType
from textual.app import App
from textual.screen import Screen

from screens.shell.messages import ScreenReady
from tui import collector

SWITCH_HOLD_S = 0.25
"""How long a switch waits at most for the new screen to say it is whole: what a volunteer
waits with the old screen still up, before an unfinished one is shown (a slow first read)."""


class PromptSwitchApp(App[None]):
    """An App whose mode switch shows the new screen once it is ready (see the module)."""

    _frame_holds: list[Callable[[], None]] | None = None
    _painted = False  # the first frame has been handed to the terminal

    def on_mount(self) -> None:
        # Still inside Textual's start-up batch: the first frame after it is the whole screen.
        _repaint_whole(self.screen)

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        super()._display(screen, renderable)
        if not self._painted and renderable is not None and not self._batch_count:
            self._painted = True
            collector.first_frame_out(self.set_timer)

    def delay_update(self, delay: float = SWITCH_HOLD_S) -> None:
        """Hold frames until the screen shown is ready, or ``delay`` seconds at most."""
        self._begin_batch()
        holds = self._frame_holds = self._frame_holds or []

        def release() -> None:
            if release not in holds:
                return  # already released (the screen was ready before the timer)
            holds.remove(release)
            self._end_batch()
            if not self._batch_count:
                _repaint_whole(self.screen)

        holds.append(release)
        self.set_timer(delay, release, name="delay_update")

    def on_screen_ready(self, message: ScreenReady) -> None:
        """The screen on top has its data on screen: paint it now."""
        if not self._frame_holds:
            return  # no switch waiting: a reload after another session's save, the usual case
        if message.screen is not self.screen:
            return  # a screen out of sight, or replaced meanwhile: the hold stands
        # After what its widgets queued meanwhile (the footer's keys follow the data one
        # refresh later), so that the first frame has it all.
        self.call_after_refresh(self._release_holds)

    def _release_holds(self) -> None:
        for release in list(self._frame_holds or ()):
            release()


def _repaint_whole(screen: Screen[Any]) -> None:
    """Paint all of ``screen`` in the next frame, in one frame.

    Frames rendered during the hold were dropped, so the whole screen is sent again. Textual's
    own ``screen.refresh()`` (and the repaint the new screen asked for while held) makes a
    second full frame after the pending layout's: twice the bytes of opening a section, 3 KB
    more on a slow link. Marking the whole screen dirty for that layout sends it once.
    Private Textual state, pinned below 9 (pyproject.toml); tests/screens/test_patrol_grid.py
    counts the frames.
    """
    screen._compositor._dirty_regions.add(screen.size.region)
    screen._repaint_required = False  # the layout's frame below already paints it all
    screen.refresh(repaint=False, layout=True)
