"""The terminal driver: Textual's, without the input thread's last 0.1-0.2 s at every quit.

Textual 8.2's ``LinuxDriver.disable_input`` sets an event and joins its input thread, which
notices the event only when its ``select(0.1)`` times out, and then selects once more, for
0.1 s, with nothing registered: every quit waited up to 0.2 s for nothing (``make bench``'s
quit figure). When the app is leaving for good (:attr:`QuickExitDriver.leaving`, set by
``ShequApp.exit``), the thread is told to stop and not waited for: the terminal is restored at
once and the process ends right after (``tui.cli.run_and_exit``), taking the thread with it.
Anything else that disables input (a suspend with Ctrl+Z) keeps Textual's behaviour.
"""

from __future__ import annotations

import contextlib
import signal
import termios

from textual.drivers.linux_driver import LinuxDriver


class QuickExitDriver(LinuxDriver):
    """Textual's Linux driver; see the module docstring."""

    leaving = False

    def disable_input(self) -> None:
        if not self.leaving:
            super().disable_input()
            return
        if self.exit_event.is_set():
            return
        with contextlib.suppress(Exception):  # as Textual's: never fail on the way out
            signal.signal(signal.SIGWINCH, signal.SIG_DFL)
            self._disable_mouse_support()
            self.exit_event.set()  # the input thread stops at its next select; not waited for
            with contextlib.suppress(termios.error):
                termios.tcflush(self.fileno, termios.TCIFLUSH)
