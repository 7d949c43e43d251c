"""The roster's list: draws only the rows in view (Textual's Line API), cheap on a slow link.

A DataTable builds a row object per member and repaints its whole page on every scroll step;
at 20,000 members that is seconds to open and kilobytes per key over SSH. This list keeps the
rows the screen selected (small :class:`~screens.roster.rows.Row` objects) and paints a line
only when asked. Moving the cursor repaints two lines; when it leaves the view, the list
scrolls by half a screen at once, so a long walk down costs one repaint per half page rather
than one per key (``make bench`` measures bytes per Down key).

The cursor row is shown in reverse video and rows whose contact is overdue in bold: both
survive 16 colours and ``NO_COLOR``. Every column is plain text from cleaned strings. The
cursor, its keys and the half-page scrolling are the shared list's
(screens/widgets/cursor_lines.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from screens.roster.rows import Row
from screens.roster.words import category_label, gender_label, management_label
from screens.widgets.cursor_lines import CursorLines
from screens.widgets.repaint import refresh_changed, tell_scrollbar
from screens.widgets.text import fit
from store.i18n import N_, _

HEADING = Style(bold=True)

# Fixed columns: (title msgid, width in cells). The name takes what is left.
MARK_WIDTH = 2
FIXED = (
    (N_("Sex"), 4),
    (N_("Age"), 4),
    (N_("Category"), 10),
    (N_("Managed"), 9),
    (N_("Grid"), 10),
    (N_("Phone"), 13),
    (N_("Contacted"), 10),
)
NAME_MIN = 8


def name_width(width: int) -> int:
    """Cells left for the name once the fixed columns (and a space before each) are placed."""
    fixed = MARK_WIDTH + sum(size + 1 for _title, size in FIXED)
    return max(NAME_MIN, width - fixed)


def row_text(row: Row, width: int) -> str:
    """One member as a line of ``width`` cells."""
    cells = (
        gender_label(row.gender),
        row.age,
        category_label(row.category),
        management_label(row.management),
        row.grid,
        row.phone,
        row.last_contact or _("never"),
    )
    line = fit(row.mark, MARK_WIDTH) + fit(row.name, name_width(width))
    for text, (_title, size) in zip(cells, FIXED, strict=True):
        line += " " + fit(text, size)
    return fit(line, width)


def heading_text(width: int) -> str:
    """The column titles, aligned with :func:`row_text`."""
    line = " " * MARK_WIDTH + fit(_("Name"), name_width(width))
    for title, size in FIXED:
        line += " " + fit(_(title), size)
    return fit(line, width)


class RosterHeading(Widget):
    """The column titles above the list (one line, bold)."""

    DEFAULT_CSS = """
    RosterHeading {
        height: 1;
        width: 1fr;
        padding-right: 1;  /* over the list's scrollbar */
    }
    """

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        return Strip([Segment(heading_text(width), HEADING)], width)


class RosterList(CursorLines[Row]):
    """The selected rows, one line each, with a cursor (screens/widgets/cursor_lines.py)."""

    DEFAULT_CSS = """
    RosterList {
        overflow-x: hidden;  /* rows are cut to the width: no scrollbar row under them */
    }
    """

    @dataclass
    class Opened(Message):
        """Enter on a member: ``row`` is the one under the cursor."""

        row: Row

    @dataclass
    class Moved(Message):
        """The cursor went to another member (the screen's keys may depend on which)."""

        row: Row | None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.empty_lines: tuple[str, ...] = ()
        """What the list says when nothing is shown (why, and how to see members again)."""

    def show_rows(self, rows: Sequence[Row], *, keep: str | None = None) -> None:
        """Show ``rows``; the cursor goes to member ``keep`` if listed, else stays in range.

        Only the lines in view that changed are painted again (a re-read after another
        session's save usually changes one line, or none in view).
        """
        before, cursor, top = self.rows, self.cursor, self.scroll_offset.y
        self.rows = rows
        position = _find(rows, keep, cursor) if keep else None
        if position is None:
            position = min(self.cursor, len(rows) - 1) if keep else 0
        self.cursor = max(0, position)
        size = Size(self.size.width, len(rows))
        if size != self.virtual_size:
            # Set without the layout pass a reactive virtual_size asks for: that pass paints
            # the whole list a second time (2.5 KB per search keystroke). The scrollbar is
            # told the new length itself (the roster tests check its range).
            self.set_reactive(ScrollView.virtual_size, size)
            tell_scrollbar(self, len(rows))
        self.scroll_to_cursor()
        if not rows or not before:
            self.refresh()  # the empty list's words come and go
            return
        moved = (cursor, self.cursor) if cursor != self.cursor else ()
        refresh_changed(self, before, rows, moved, top=top)

    def render_line(self, y: int) -> Strip:
        if not self.rows and y < len(self.empty_lines):
            width = self.scrollable_content_region.width
            said = set_cell_size(" " + self.empty_lines[y], width)
            return Strip([Segment(said, self.rich_style)], width)
        return super().render_line(y)

    def row_text(self, row: Row, width: int) -> str:
        return row_text(row, width)

    def emphasis(self, row: Row) -> bool:
        return row.state == "overdue" and row.current  # bold: survives NO_COLOR

    def moved(self, before: int, after: int) -> None:
        if self.rows[before].current != self.rows[after].current:
            self.post_message(self.Moved(self.rows[after]))

    def opened(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current))


def _find(rows: Sequence[Row], member_id: str, near: int) -> int | None:
    """Where member ``member_id`` is in ``rows``: looked for first where the cursor was and
    beside it (after another session's save it has usually stayed, or moved by a line), then
    through the whole list."""
    for index in (near, near + 1, near - 1):
        if 0 <= index < len(rows) and rows[index].id == member_id:
            return index
    return next((i for i, row in enumerate(rows) if row.id == member_id), None)
