"""One line of plain text drawn straight to a strip: a count or status line that changes often.

A :class:`~textual.widgets.Label` renders its content through Textual's visual pipeline on every
change (about 0.3 ms a line at 80 columns): the roster's two count lines change on every save
any session makes, so each open roster paid that twice per save. This widget draws its one
line with the Line API (one segment, cut to the width), as the roster's list draws its rows.
The text is cleaned of control characters and never parsed as markup (DESIGN.md, text safety).
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widget import Widget

from screens.widgets.text import fit
from store.textsafe import clean_line


class TextLine(Widget):
    """A single line of plain text; its style (bold, colours) comes from CSS."""

    DEFAULT_CSS = """
    TextLine {
        width: 1fr;
        height: 1;
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = clean_line(text)

    @property
    def text(self) -> str:
        """The line shown (cleaned)."""
        return self._text

    def update(self, text: str) -> None:
        """Show ``text``; the same text again repaints nothing, and a new one repaints this
        line only (no layout pass: the widget is one line whatever it says)."""
        cleaned = clean_line(text)
        if cleaned == self._text:
            return
        self._text = cleaned
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if y:
            return Strip.blank(width, self.rich_style)
        return Strip([Segment(fit(self._text, width), self.rich_style)], width)
