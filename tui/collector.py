"""Python's cycle collector held while the TUI starts, and set going once the first frame is out.

Starting the TUI makes about 80,000 objects that live as long as the process (modules,
classes, Textual's widgets, rules and styles) and very little garbage (about 0.7 MB, most of
it the pure-Python classes that ``datetime`` replaces with C's on import). Left running, the
collector walks the young objects every 700 allocations and again as they age: about 100
collections before the login's first frame, 15 to 20 ms of a cold start on a small machine
(a bare Textual app pays them too), and all of it only to find that almost nothing was
garbage.

So the ``shequ`` command holds it (:func:`hold`) from its first line, and sets it going at
once (:func:`resume`) when the line names a command rather than the TUI, or when it ends;
when the first frame has been handed to the terminal (:func:`first_frame_out`, from the App)
every object made so far is frozen (``gc.freeze``: kept out of every collection) and the
collector runs again, on what is made after; :data:`SETTLE_AFTER_S` later the frozen objects
are handed back and collected once (:func:`settle`), so the start's garbage is freed and the
peak memory is what it was. That one collection happens while the login waits for a name and a PIN.

Nothing here runs unless the command held the collector: Pilot tests, and scripts that
import the App, start it with the collector as they found it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

SETTLE_AFTER_S = 0.1
"""How long after the first frame the start's objects are collected: long enough for the
terminal to have been sent the frame (a collection holds the interpreter, and the frame is
written by Textual's writer thread), short enough to come before anyone has typed a name."""

_held = False
_frozen = False


def hold() -> None:
    """Stop the cycle collector until the first frame is out, or :func:`resume`."""
    global _held  # noqa: PLW0603 - one process-wide collector
    if gc.isenabled():
        gc.disable()
        _held = True


def resume() -> None:
    """Leave the collector as :func:`hold` found it: a command that is not the TUI, or the
    command's end (the TUI's ends the process before: tui.cli.main.run_and_exit)."""
    global _held, _frozen  # noqa: PLW0603
    if _held:
        _held = False
        gc.enable()
    if _frozen:
        _frozen = False
        gc.unfreeze()


def first_frame_out(later: Callable[[float, Callable[[], None]], object]) -> None:
    """The first frame is on its way to the terminal: freeze what the start made, start the
    collector, and ask ``later`` (the App's ``set_timer``) to :func:`settle` shortly."""
    global _held, _frozen  # noqa: PLW0603
    if not _held:
        return
    _held = False
    gc.freeze()
    _frozen = True
    gc.enable()
    later(SETTLE_AFTER_S, settle)


def settle() -> None:
    """Hand the start's objects back to the collector and collect them once."""
    global _frozen  # noqa: PLW0603
    if _frozen:
        _frozen = False
        gc.unfreeze()
        gc.collect()
