"""The week grid widget: days across, time slots down, drawn line by line (Textual's Line API).

Like the roster's list it paints only the lines in view and, when the cursor moves, only the
two lines it left and entered: an arrow key costs a few hundred bytes on a slow link
(``make bench`` measures it). Widths come from the terminal's width and are counted in cells
(``rich.cells.cell_len``), so Chinese weekday names and zone names line up.

The cursor cell is in reverse video, a cell below its minimum in bold as well as marked ``!``:
both survive 16 colours and ``NO_COLOR``. Today's date is written in brackets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from screens.patrols.view import UNDER, Cell, Slot, WeekView
from screens.widgets.keys import translate_bindings
from screens.widgets.text import fit
from store.i18n import N_, _

CURSOR = Style(reverse=True)
BOLD = Style(bold=True)
DAY_MIN = 7
LABEL_MIN = 12  # at 80 columns: a 22-cell label (19:00-21:00 and a zone), days of 8


def centre(text: str, width: int) -> str:
    """``text`` centred in ``width`` cells."""
    size = cell_len(text)
    if size >= width:
        return fit(text, width)
    left = (width - size) // 2
    return " " * left + text + " " * (width - size - left)


def layout(width: int) -> tuple[int, int]:
    """(label width, day width) for a grid ``width`` cells wide: days share what the label
    leaves, never narrower than ``DAY_MIN``."""
    day = max(DAY_MIN, min(9, (width - 20) // 7))
    return max(LABEL_MIN, width - 7 * day), day


def short_weekday(iso: int) -> str:
    """周一 / Mon: the weekday as a column heading."""
    return _(SHORT_DAYS[iso - 1])


SHORT_DAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


class WeekHeading(Widget):
    """Two lines over the grid: weekday names, then dates (today's in brackets)."""

    DEFAULT_CSS = """
    WeekHeading {
        height: 2;
        width: 1fr;
        padding-right: 1;  /* over the grid's scrollbar */
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: WeekView | None = None

    def show(self, view: WeekView) -> None:
        self.view = view
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        view = self.view
        if view is None or not view.days:
            return Strip.blank(width, self.rich_style)
        label, day = layout(width)
        if y == 0:
            line = fit(_("Time and place"), label) + "".join(
                centre(short_weekday(d.isoweekday()), day) for d in view.days
            )
        else:
            line = fit(view.days[0].strftime("%Y"), label) + "".join(
                centre(f"[{d:%m-%d}]" if d == view.today else f"{d:%m-%d}", day) for d in view.days
            )
        return Strip([Segment(fit(line, width), BOLD)], width)


class WeekGrid(ScrollView, can_focus=True, inherit_bindings=False):
    """The grid of one week; the cursor is a (row, day) cell."""

    DEFAULT_CSS = """
    WeekGrid {
        height: 1fr;
        scrollbar-size-vertical: 1;
        overflow-y: auto;
        scrollbar-gutter: stable;  /* its column kept, so the heading above lines up */
        overflow-x: hidden;  /* the days fit the width: no scrollbar to take a line */
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1, 0)", N_("Up"), show=False),
        Binding("down,j", "move(1, 0)", N_("Down"), show=False),
        Binding("left,h", "move(0, -1)", N_("Previous day"), show=False),
        Binding("right,l", "move(0, 1)", N_("Next day"), show=False),
        Binding("home", "day(0)", N_("Monday"), show=False),
        Binding("end", "day(6)", N_("Sunday"), show=False),
        Binding("enter", "open", N_("Open"), show=False),
    ]

    @dataclass
    class Opened(Message):
        """Enter on a cell: ``cell`` is the shift under the cursor (None: an empty cell)."""

        cell: Cell | None

    @dataclass
    class Moved(Message):
        """The cursor went to another cell."""

        cell: Cell | None

    def __init__(
        self, *, id: str | None = None, on_move: Callable[[Cell | None], None] | None = None
    ) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.view: WeekView | None = None
        self.row = 0
        self.column = 0
        # Told at once, in the key's own handler, so what it repaints (the line under the grid)
        # goes out in the cursor's frame: a Moved message is handled after that frame is sent,
        # and its repaint waits for the next one (two frames per key, the second ~30 ms later).
        self.on_move = on_move

    @property
    def current(self) -> Cell | None:
        """The shift under the cursor, if there is one."""
        if self.view is None or not 0 <= self.row < len(self.view.rows):
            return None
        return self.view.rows[self.row].cells[self.column]

    @property
    def slot(self) -> Slot | None:
        """What a new shift at the cursor takes: the shift's own times and places, or on an
        empty cell its row's; None when the week has no rows."""
        if self.view is None or not 0 <= self.row < len(self.view.rows):
            return None
        row = self.view.rows[self.row]
        cell = row.cells[self.column]
        return cell.slot() if cell is not None else row.slot

    @property
    def day(self) -> int:
        """The cursor's day, 0 = Monday."""
        return self.column

    def show(self, view: WeekView, *, keep: str | None = None, column: int | None = None) -> None:
        """Show ``view``; the cursor goes to shift ``keep`` if it is there, else stays put."""
        self.view = view
        found = view.find(keep) if keep else None
        if found is not None:
            self.row, self.column = found
        else:
            self.row = max(0, min(self.row, len(view.rows) - 1))
            if column is not None:
                self.column = column
        size = Size(0, len(view.rows))  # as wide as the grid: never scrolled sideways
        if size != self.virtual_size:
            self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_into_view()
        self.refresh()

    # -- drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        view = self.view
        if view is None or index >= len(view.rows):
            return Strip.blank(width, self.rich_style)
        row = view.rows[index]
        label, day = layout(width)
        base = self.rich_style
        segments = [Segment(fit(row.label, label), base)]
        for column, cell in enumerate(row.cells):
            text = centre(cell.text() if cell else "·", day)
            style = base
            if cell is not None and UNDER in cell.marks:
                style += BOLD
            if index == self.row and column == self.column:
                style += CURSOR
            segments.append(Segment(text, style))
        return Strip(segments, width).crop(0, width).apply_offsets(0, index)

    # -- moving --------------------------------------------------------------------------------

    def _go(self, row: int, column: int) -> None:
        if self.view is None:
            return
        row = max(0, min(len(self.view.rows) - 1, row))
        column = max(0, min(6, column))
        if (row, column) == (self.row, self.column):
            return
        self.refresh_line(self.row)
        self.row, self.column = row, column
        self.refresh_line(self.row)
        self._scroll_into_view()
        if self.on_move is not None:
            self.on_move(self.current)
        else:
            self.post_message(self.Moved(self.current))

    def refresh_line(self, index: int) -> None:
        """Repaint grid row ``index`` (a position in the rows, not on screen)."""
        super().refresh_line(index)

    def _scroll_into_view(self) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = self.scroll_offset.y
        if top <= self.row < top + height:
            return
        target = self.row - height // 2
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def action_move(self, rows: int, days: int) -> None:
        """One cell up, down, left or right."""
        self._go(self.row + rows, self.column + days)

    def action_day(self, column: int) -> None:
        """Monday (Home) or Sunday (End) of the cursor's row."""
        self._go(self.row, column)

    def action_open(self) -> None:
        """Open the shift under the cursor."""
        self.post_message(self.Opened(self.current))
