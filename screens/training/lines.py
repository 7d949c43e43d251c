"""A list that draws only the lines in view (Textual's Line API), for every training list.

Like the roster's list (screens/roster/list.py, which this section may not import): rows are
small objects, a line is painted only when asked, moving the cursor repaints two lines and the
list scrolls by half a screen when the cursor leaves the view, so a key costs few bytes on a
slow link. The cursor row is reverse video and a row may be bold: both survive 16 colours and
``NO_COLOR``. What a row says is :meth:`LineList.line`, plain text (cut to the width by
:func:`fit`, CJK counted double), never markup: by default its :meth:`LineList.values` in the
widths of :attr:`LineList.column_layout`, which its :class:`Heading` lays out the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from screens.widgets.keys import translate_bindings
from screens.widgets.text import fit
from store.i18n import N_
from store.textsafe import clean_line

CURSOR = Style(reverse=True)
BOLD = Style(bold=True)
T = TypeVar("T")


def clean_fit(text: str, width: int) -> str:
    """``text`` cleaned of controls, then :func:`~screens.widgets.text.fit` to ``width``."""
    return fit(clean_line(text), width)


def columns(cells: Sequence[tuple[str, int]], width: int) -> str:
    """Cells of given widths joined by a space; a width of 0 takes what is left."""
    fixed = sum(size for _text, size in cells) + len(cells) - 1
    rest = max(4, width - fixed)
    line = " ".join(clean_fit(text, size or rest) for text, size in cells)
    return fit(line, width)


def widest(texts: Iterable[str], title: str = "") -> int:
    """The cells a fixed column needs: its widest value or its (translated) title.

    A column sized this way from every value it can hold, in the language in use, cuts
    none of them ("4 学时+" as much as "4 h+"); a guessed number cuts the longest translation.
    """
    return max((cell_len(clean_line(text)) for text in (title, *texts)), default=0)


class Heading(Widget):
    """The bold line of column titles above a :class:`LineList`, laid out by that list.

    The titles and widths are the list's own :attr:`LineList.column_layout`, drawn at the list's
    width from the list's first cell: a heading and its rows cannot drift apart, whatever
    padding a stylesheet gives either (a ``padding-left`` rule once replaced the heading's
    right padding and put every title after the first one cell right of its column).
    """

    DEFAULT_CSS = """
    Heading {
        height: 1;
        width: 1fr;
    }
    """

    def __init__(self, rows: LineList[Any], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = rows

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        region = self.rows.scrollable_content_region
        if not region.width:  # the list is not laid out yet
            return Strip.blank(width, self.rich_style)
        shift = max(0, region.x - self.content_region.x)
        text = " " * shift + columns(self.rows.column_layout, region.width)
        return Strip([Segment(fit(text, width), BOLD)], width)


class LineList(ScrollView, Generic[T], can_focus=True, inherit_bindings=False):
    """Rows of ``T``, one line each, with a cursor; subclasses say what a row's line is."""

    DEFAULT_CSS = """
    LineList {
        height: 1fr;
        scrollbar-size-vertical: 1;
        overflow-y: scroll;  /* always there, so the heading above lines up */
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

    @dataclass
    class Opened(Message):
        """Enter on a row: ``index`` is the cursor's."""

        index: int

    @dataclass
    class Moved(Message):
        """The cursor went to another row."""

        index: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.rows: list[T] = []
        self.cursor = 0
        self.column_layout: tuple[tuple[str, int], ...] = ()
        self._heading: Heading | None = None

    @property
    def current(self) -> T | None:
        """The row under the cursor, if any."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def values(self, row: T) -> Sequence[str]:
        """``row``'s cells, one per column of :attr:`column_layout`."""
        raise NotImplementedError

    def line(self, row: T, width: int) -> str:
        """What ``row`` says, as exactly ``width`` cells: its values in the columns' widths."""
        sizes = (size for _title, size in self.column_layout)
        return columns(list(zip(self.values(row), sizes, strict=True)), width)

    def heading(self, *, id: str | None = None) -> Heading:
        """The line of column titles to put above this list (it follows :attr:`column_layout`)."""
        self._heading = Heading(self, id=id)
        return self._heading

    def set_columns(self, layout: Sequence[tuple[str, int]]) -> None:
        """The columns' translated titles and widths (0: what is left), for rows and heading."""
        layout = tuple(layout)
        if layout == self.column_layout:
            return
        self.column_layout = layout
        self.refresh()
        if self._heading is not None:
            self._heading.refresh()

    def bold(self, row: T) -> bool:
        """Whether ``row`` stands out (bold) when it is not under the cursor."""
        return False

    def show_rows(self, rows: list[T], *, cursor: int | None = None) -> None:
        """Show ``rows``; the cursor goes to ``cursor`` if given, else stays in range."""
        self.rows = rows
        self.cursor = max(0, min(len(rows) - 1, self.cursor if cursor is None else cursor))
        size = Size(self.size.width, len(rows))
        if size != self.virtual_size:
            # Without the layout pass a reactive virtual_size asks for (a second full paint).
            self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_into_view()
        self.refresh()

    def refresh_row(self, index: int) -> None:
        """Repaint one row (after it changed)."""
        self.refresh_line(index)

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
        elif self.bold(row):
            style += BOLD
        return Strip([Segment(self.line(row, width), style)], width).apply_offsets(0, index)

    # -- moving --------------------------------------------------------------------------------

    def go(self, position: int) -> None:
        """Put the cursor on row ``position`` (clamped), repainting only what changed."""
        if not self.rows:
            return
        position = max(0, min(len(self.rows) - 1, position))
        if position == self.cursor:
            return
        self.refresh_line(self.cursor)
        self.cursor = position
        self.refresh_line(self.cursor)
        self._scroll_into_view()
        self.post_message(self.Moved(position))

    def _scroll_into_view(self) -> None:
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
            self.post_message(self.Opened(self.cursor))
