"""The Linux text console (``TERM=linux``): only the glyphs its font has.

The console's built-in font is the PC's code page 437: ASCII, the single and double box-drawing
lines, the full, half and shaded blocks, a few arrows and Latin letters. It has no Chinese (so
the app speaks English there and says why, once, on the login screen: tui/i18n.py), no eighth
blocks (▁▂▃ ▔ ▏) and no heavy lines (━┃). Textual draws scrollbar ends and some borders with
those, which the console shows as blobs. In console mode the App carries the ``-console``
class, whose rules in styles/app.tcss swap such borders for box-drawing ones, and scrollbars
are drawn from whole cells: a reversed thumb on the track, which needs no colour either.

:func:`console_glyphs` is that font's repertoire, for the tests that check every screen.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rich.segment import Segments
from textual._context import active_app
from textual.scrollbar import ScrollBar, ScrollBarRender


@cache
def console_glyphs() -> frozenset[str]:
    """What the Linux console's built-in font can draw: code page 437, whose cells 1-31 and 127
    hold these symbols and arrows (the kernel's cp437 table maps their Unicode to them).

    A function, not a constant: the app never needs the set (it draws for the console by its
    ``-console`` rules and scrollbars), only the tests, so Python's cp437 codec is not loaded
    at start for it.
    """
    return frozenset(bytes(range(32, 256)).decode("cp437")) | frozenset(
        "☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼⌂"
    )


LINES_AND_BLOCKS = range(0x2190, 0x25A0)
"""Arrows, box drawing and block elements: what Textual draws borders and bars with."""


def console_mode(app: object) -> bool:
    """Whether ``app`` draws only what the Linux console's font has."""
    return bool(getattr(app, "console_glyphs", False))


class _WholeCells(ScrollBarRender):
    """Scrollbars without the eighth-block ends: the thumb covers whole cells."""

    VERTICAL_BARS = [" "] * 8
    HORIZONTAL_BARS = [" "] * 8


class ShequScrollBarRender(ScrollBarRender):
    """Textual's scrollbar, or whole cells when the running app is in console mode.

    Installed for every ScrollBar (a class-wide Textual setting), it asks the app being drawn,
    so an app on an ordinary terminal keeps Textual's finer scrollbars.
    """

    @classmethod
    def render_bar(cls, *args: Any, **kwargs: Any) -> Segments:
        render = _WholeCells if console_mode(active_app.get(None)) else ScrollBarRender
        return render.render_bar(*args, **kwargs)


def install() -> None:
    """Make every scrollbar ask (call once, when the App class is defined)."""
    ScrollBar.renderer = ShequScrollBarRender
