"""Rows drawn one line each with Textual's Line API, under a cursor: the roster's and the training
lists' common ground.

A DataTable builds a row object per record and repaints its whole page on every scroll step; at
20,000 members that is seconds to open and kilobytes per key over SSH. These lists keep the rows
their screen selected (small objects) and paint a line only when asked. Moving the cursor
repaints two lines; when it leaves the view the list scrolls by half a screen at once, so a long
walk down costs one repaint per half page rather than one per key (``make bench`` measures bytes
per Down key). The cursor row is reverse video, which survives 16 colours and ``NO_COLOR``; a
subclass may make other rows bold (:meth:`CursorLines.emphasis`) and says what a row's line is
(:meth:`CursorLines.row_text`, plain text of exactly the width asked: never markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.scroll_view import ScrollView
from textual.strip import Strip

from screens.widgets.keys import translate_bindings
from store.i18n import N_

CURSOR = Style(reverse=True)
BOLD = Style(bold=True)
T = TypeVar("T")


class CursorLines(ScrollView, Generic[T], can_focus=True, inherit_bindings=False):
    """Rows of ``T``, one line each, with a cursor moved by the app's keys."""

    DEFAULT_CSS = """
    CursorLines {
        height: 1fr;
        scrollbar-size-vertical: 1;
        overflow-y: scroll;  /* always there, so a heading above lines up */
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", N_("Up"), show=False),
        Binding("down,j", "move(1)", N_("Down"), show=False),
        Binding("pageup", "page(-1)", N_("Page up"), show=False),
        Binding("pagedown", "page(1)", N_("Page down"), show=False),
        Binding("home", "first", N_("First"), show=False),
        Binding("end", "last", N_("Last"), show=False),
        Binding("enter", "open", N_("Open"), show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.rows: Sequence[T] = []
        self.cursor = 0

    @property
    def current(self) -> T | None:
        """The row under the cursor, if any."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    # -- what a subclass says ------------------------------------------------------------------

    def row_text(self, row: T, width: int) -> str:
        """What ``row`` says, as exactly ``width`` cells of plain text."""
        raise NotImplementedError

    def emphasis(self, row: T) -> bool:
        """Whether ``row`` stands out (bold) when it is not under the cursor."""
        return False

    def moved(self, before: int, after: int) -> None:
        """The cursor went from row ``before`` to row ``after`` (tell the screen, if it cares)."""

    def opened(self) -> None:
        """Enter on the row under the cursor (there is one)."""

    # -- drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        row = self.rows[index]
        style = self.rich_style
        if index == self.cursor:
            style += CURSOR
        elif self.emphasis(row):
            style += BOLD
        return Strip([Segment(self.row_text(row, width), style)], width).apply_offsets(0, index)

    # -- moving --------------------------------------------------------------------------------

    def go(self, position: int) -> None:
        """Put the cursor on row ``position`` (clamped), repainting only what changed."""
        if not self.rows:
            return
        position = max(0, min(len(self.rows) - 1, position))
        if position == self.cursor:
            return
        before = self.cursor
        self.refresh_line(before)
        self.cursor = position
        self.refresh_line(position)
        self.scroll_to_cursor()
        self.moved(before, position)

    def scroll_to_cursor(self) -> None:
        """Scroll so the cursor is in view: half a screen at once, never animated."""
        height = max(1, self.scrollable_content_region.height)
        top = self.scroll_offset.y
        if top <= self.cursor < top + height:
            return
        if self.cursor < top:
            target = self.cursor - height // 2
        else:
            target = self.cursor - height + 1 + height // 2
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        """One row up or down."""
        self.go(self.cursor + step)

    def action_page(self, direction: int) -> None:
        """A screenful up or down."""
        height = max(1, self.scrollable_content_region.height)
        self.go(self.cursor + direction * (height - 1))

    def action_first(self) -> None:
        """The first row."""
        self.go(0)

    def action_last(self) -> None:
        """The last row."""
        self.go(len(self.rows) - 1)

    def action_open(self) -> None:
        """Open the row under the cursor."""
        if self.current is not None:
            self.opened()
