"""The dashboard's list: headings and lines, a cursor on the lines that open something.

Drawn with Textual's Line API like the roster (only the lines in view are painted). The cursor
moves over the lines that open a record or a list and skips headings; it is reverse video and
headings are bold, both of which need no colour. When the page is built again (another
session saved something) the cursor stays on the same record if it is still listed, else at
the same place, and only the lines whose text changed are painted again: an unchanged page
costs no bytes, one new line costs one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from screens.dashboard.lines import Line, Target
from screens.widgets.keys import translate_bindings
from screens.widgets.repaint import refresh_changed
from screens.widgets.text import fit
from store.i18n import N_

CURSOR = Style(reverse=True)
BOLD = Style(bold=True)


class Board(ScrollView, can_focus=True, inherit_bindings=False):
    """The page's lines; Enter posts :class:`Board.Opened` with the line's target."""

    DEFAULT_CSS = """
    Board {
        height: 1fr;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open")),
        Binding("up,k", "move(-1)", N_("Up"), show=False),
        Binding("down,j", "move(1)", N_("Down"), show=False),
        Binding("pageup", "page(-1)", N_("Page up"), show=False),
        Binding("pagedown", "page(1)", N_("Page down"), show=False),
        Binding("home", "edge(-1)", N_("First"), show=False),
        Binding("end", "edge(1)", N_("Last"), show=False),
    ]

    @dataclass
    class Opened(Message):
        """Enter on a line: what it opens."""

        target: Target

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.lines: tuple[Line, ...] = ()
        self.cursor: int | None = None

    @property
    def current(self) -> Line | None:
        """The line under the cursor, if any."""
        return self.lines[self.cursor] if self.cursor is not None else None

    def openable(self) -> list[int]:
        """Indexes of the lines the cursor may rest on."""
        return [i for i, line in enumerate(self.lines) if line.target is not None]

    def show_lines(self, lines: tuple[Line, ...]) -> None:
        """Show ``lines``, keeping the cursor on the same target (else the same place)."""
        before, target, place, top = self.lines, None, self.cursor, self.scroll_offset.y
        if self.cursor is not None:
            target = self.lines[self.cursor].target
        self.lines = lines
        stops = self.openable()
        cursor: int | None = None
        if stops:
            same = [i for i in stops if lines[i].target == target] if target else []
            if same:
                cursor = min(same, key=lambda i: abs(i - (place or 0)))
            elif place is not None:
                cursor = min(stops, key=lambda i: (abs(i - place), i))
            else:
                cursor = stops[0]
        moved = (place, cursor) if cursor != self.cursor else ()
        self.cursor = cursor
        size = Size(self.size.width, len(lines))
        if size != self.virtual_size:
            # Without the layout pass a reactive virtual_size asks for (a second full paint).
            self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_into_view()
        refresh_changed(self, before, lines, moved, top=top)

    # -- drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        line = self.lines[index]
        style = self.rich_style
        if index == self.cursor and self.has_focus:
            style += CURSOR
        elif line.heading:
            style += BOLD
        text = fit(line.text if line.heading else " " + line.text, width)
        return Strip([Segment(text, style)], width).apply_offsets(0, index)

    def on_focus(self) -> None:
        if self.cursor is not None:
            self.refresh_line(self.cursor)

    def on_blur(self) -> None:
        if self.cursor is not None:
            self.refresh_line(self.cursor)

    # -- moving --------------------------------------------------------------------------------

    def go(self, index: int) -> None:
        """Put the cursor on line ``index`` (one that opens something)."""
        if index == self.cursor:
            return
        if self.cursor is not None:
            self.refresh_line(self.cursor)
        self.cursor = index
        self.refresh_line(index)
        self._scroll_into_view()

    def _scroll_into_view(self) -> None:
        """Keep the cursor in view, and the heading above the first line when there is room."""
        if self.cursor is None:
            return
        height = max(1, self.scrollable_content_region.height)
        top = self.scroll_offset.y
        first = self.cursor
        while first > 0 and self.lines[first - 1].heading and self.cursor - first < 2:
            first -= 1  # its heading (and an empty group's heading above it) if they fit
        if top <= first and self.cursor < top + height:
            return
        target = first if first < top else self.cursor - height + 1
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        """The next line that opens something, up or down; at the ends the page scrolls to
        show the headings above or below."""
        stops = self.openable()
        if self.cursor is None or not stops:
            self.scroll_relative(y=step, animate=False)
            return
        following = [i for i in stops if (i - self.cursor) * step > 0]
        if following:
            self.go(min(following, key=lambda i: abs(i - self.cursor)))  # type: ignore[operator]
        else:
            self.scroll_to(y=0 if step < 0 else self.max_scroll_y, animate=False, immediate=True)

    def action_page(self, direction: int) -> None:
        """About a screenful up or down."""
        stops = self.openable()
        if self.cursor is None or not stops:
            return
        height = max(1, self.scrollable_content_region.height - 1)
        aim = self.cursor + direction * height
        self.go(min(stops, key=lambda i: (abs(i - aim), i)))

    def action_edge(self, direction: int) -> None:
        """The first or last line (Home/End), and the page's top or bottom."""
        stops = self.openable()
        if stops:
            self.go(stops[0] if direction < 0 else stops[-1])
        self.scroll_to(y=0 if direction < 0 else self.max_scroll_y, animate=False, immediate=True)

    def action_open(self) -> None:
        """Open the line under the cursor (Enter)."""
        line = self.current
        if line is not None and line.target is not None:
            self.post_message(self.Opened(line.target))
