"""Leaving the app: Ctrl+Q (asking first when edits are unsaved), a hang-up or SIGTERM, and the
driver that lets the process end without waiting out Textual's input thread.

A part of :class:`tui.app.ShequApp`, kept apart so the App's module holds its sections, login
and lock; the App makes ``_signal_exits`` (tui/hangup.py) and installs it when mounted.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from textual.app import App
from textual.driver import Driver

from store.i18n import _
from tui.hangup import SignalExits

if TYPE_CHECKING:
    from rich.console import RenderableType


class LeavingApp(App[None]):
    """Quitting, and what ends the process (see the module)."""

    _signal_exits: SignalExits

    def on_unmount(self) -> None:
        self._signal_exits.remove()

    def _exit_with(self, code: int) -> None:
        self.exit(return_code=code)

    def get_driver_class(self) -> type[Driver]:
        """Our Linux driver, which quits without waiting out Textual's input thread
        (tui/driver.py); Textual's choice elsewhere (Windows, a driver named in TEXTUAL_DRIVER;
        the tests' headless driver is chosen by run_test whatever this says)."""
        import sys

        if sys.platform == "win32" or os.environ.get("TEXTUAL_DRIVER"):
            return super().get_driver_class()
        from tui.driver import QuickExitDriver

        return QuickExitDriver

    def exit(
        self,
        result: None = None,
        return_code: int = 0,
        message: RenderableType | None = None,
    ) -> None:
        """Leave the app; the driver then skips waiting for its input thread (tui/driver.py)."""
        from tui.driver import QuickExitDriver

        if isinstance(self._driver, QuickExitDriver):
            self._driver.leaving = True
        super().exit(result, return_code, message)

    def handle_hangup(self) -> None:
        """The terminal hung up (SIGHUP): see :class:`tui.hangup.SignalExits`."""
        self._signal_exits.hangup()

    def handle_terminate(self) -> None:
        """Asked to stop (SIGTERM): exit the normal way, restoring the terminal."""
        self._signal_exits.terminate()

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit (it copies in text fields): say which key does."""
        App.notify(self, _("Press Ctrl+Q to quit."), markup=False)  # shown even at the lock

    async def action_quit(self) -> None:
        """Quit (Ctrl+Q); first ask if any screen, in any section, holds unsaved edits."""
        if not self.unsaved_edits():
            self.exit()
            return
        from screens.shell.dialogs import ConfirmDialog

        if isinstance(self.screen, ConfirmDialog):
            return  # already asking

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(
            ConfirmDialog(
                _("Some edits are not saved yet. Quit and drop them?"),
                yes=_("Quit"),
                no=_("Go back"),
            ),
            answered,
        )

    def unsaved_edits(self) -> bool:
        """Whether any screen of any section has edits that are not saved."""
        from screens.shell.base import SectionScreen

        # Textual has no public view of the other modes' stacks.
        stacks = self._screen_stacks.values()
        return any(
            isinstance(screen, SectionScreen) and screen.has_unsaved_edits()
            for stack in stacks
            for screen in stack
        )
