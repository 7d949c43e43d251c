"""Ending cleanly when the terminal goes away (SIGHUP: the SSH link dropped) or on SIGTERM.

A shequ left running after its volunteer's connection dropped would hold nothing (locks are taken
only around a save) but would keep a process, and its half-typed form, alive for nobody. So the
app exits on hang-up at once, and on SIGTERM the normal way.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable

HANGUP_EXIT_CODE = 128 + signal.SIGHUP
TERMINATED_EXIT_CODE = 128 + signal.SIGTERM
HANGUP_GRACE_SECONDS = 3.0


class SignalExits:
    """Signal handlers on the running event loop, installed on mount and removed on unmount."""

    def __init__(self, exit_app: Callable[[int], None], is_headless: Callable[[], bool]) -> None:
        self._exit_app = exit_app
        self._is_headless = is_headless
        self._installed: list[signal.Signals] = []

    def install(self) -> None:
        """Exit cleanly on SIGHUP and SIGTERM (where this thread may handle signals)."""
        loop = asyncio.get_running_loop()
        for signum, handler in (
            (signal.SIGHUP, self.hangup),
            (signal.SIGTERM, self.terminate),
        ):
            try:
                loop.add_signal_handler(signum, handler)
            except (NotImplementedError, RuntimeError, ValueError):
                continue  # not the main thread, or no signals here: the default action stays
            self._installed.append(signum)

    def remove(self) -> None:
        """Give the signals back (tests run many apps in one process)."""
        with contextlib.suppress(RuntimeError):
            loop = asyncio.get_running_loop()
            for signum in self._installed:
                loop.remove_signal_handler(signum)
        self._installed.clear()

    def hangup(self) -> None:
        """The terminal is gone: stop now, so nothing keeps running for nobody.

        Restoring a terminal that hung up would fail (EIO) and could block Textual's writer,
        so output and input are pointed at /dev/null first; and should shutdown still stall,
        the process ends anyway after a few seconds (a daemon timer that dies with it).
        """
        if not self._is_headless():
            detach_from_terminal()
            timer = threading.Timer(HANGUP_GRACE_SECONDS, os._exit, args=(HANGUP_EXIT_CODE,))
            timer.daemon = True
            timer.start()
        self._exit_app(HANGUP_EXIT_CODE)

    def terminate(self) -> None:
        """Asked to stop (SIGTERM): exit the normal way, restoring the terminal."""
        self._exit_app(TERMINATED_EXIT_CODE)


def detach_from_terminal() -> None:
    """Point stdin, stdout and stderr at /dev/null (the terminal hung up)."""
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for fd in (0, 1, 2):
            with contextlib.suppress(OSError):
                os.dup2(null, fd)
    finally:
        os.close(null)
