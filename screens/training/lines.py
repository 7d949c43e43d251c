"""The list every training screen shows: the shared cursor list (screens/widgets/cursor_lines.py,
the roster's too: only the lines in view are drawn, half-page scrolling, reverse-video cursor,
bold rows) in columns. What a row says is :meth:`LineList.row_text`, plain text (cut to the width
by :func:`~screens.widgets.text.fit`, CJK counted double), never markup: by default its
:meth:`LineList.values` in the widths of :attr:`LineList.column_layout`, which its
:class:`Heading` lays out the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from rich.cells import cell_len
from rich.segment import Segment
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from screens.widgets.cursor_lines import BOLD, CursorLines
from screens.widgets.text import fit
from store.textsafe import clean_line

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


class LineList(CursorLines[T]):
    """Rows of ``T``, one line each, with a cursor; subclasses say what a row's line is."""

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
        self.column_layout: tuple[tuple[str, int], ...] = ()
        self._heading: Heading | None = None

    def values(self, row: T) -> Sequence[str]:
        """``row``'s cells, one per column of :attr:`column_layout`."""
        raise NotImplementedError

    def row_text(self, row: T, width: int) -> str:
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

    def show_rows(self, rows: Sequence[T], *, cursor: int | None = None) -> None:
        """Show ``rows``; the cursor goes to ``cursor`` if given, else stays in range."""
        self.rows = rows
        self.cursor = max(0, min(len(rows) - 1, self.cursor if cursor is None else cursor))
        size = Size(self.size.width, len(rows))
        if size != self.virtual_size:
            # Without the layout pass a reactive virtual_size asks for (a second full paint).
            self.set_reactive(ScrollView.virtual_size, size)
        self.scroll_to_cursor()
        self.refresh()

    def refresh_row(self, index: int) -> None:
        """Repaint one row (after it changed)."""
        self.refresh_line(index)

    def moved(self, before: int, after: int) -> None:
        self.post_message(self.Moved(after))

    def opened(self) -> None:
        self.post_message(self.Opened(self.cursor))
