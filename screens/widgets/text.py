"""Showing user data safely: never as markup, never with control characters.

A name such as ``[bold]x[/]`` must show literally (Textual would restyle it, and ``x[/]`` raises a
markup error), and ``\\x1b]0;x\\x07`` must not reach the terminal (Textual passes ESC through).
So user text always becomes a plain :class:`~textual.content.Content` built from the cleaned
string, and :class:`SafeLabel` only ever shows such content.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Label

from store.textsafe import clean_line, clean_text


def fit(text: str, width: int) -> str:
    """``text`` padded or cut to exactly ``width`` cells (CJK counts double), "…" when cut;
    leading spaces kept (an empty first column); "" for no room at all."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def plain(text: str) -> Content:
    """Multi-line user text (notes) as literal content without control characters."""
    return Content(clean_text(text))


def plain_line(text: str) -> Content:
    """Single-line user text (names, places) as literal content without control characters."""
    return Content(clean_line(text))


def wrap_between(text: str, separator: str, width: int) -> str:
    """``text`` made of pieces joined by ``separator``, with a line break instead of the
    separator wherever the next piece would not fit in ``width`` cells: a wrap falls between
    pieces, never inside one ("该联系 3 人" is not cut into "该联系 3" and "人"). A piece wider
    than a whole line is left for the label to fold; a width of 0 (not laid out yet) changes
    nothing."""
    if width <= 0:
        return text
    pieces = text.split(separator)
    lines, line = [], pieces[0]
    for piece in pieces[1:]:
        joined = line + separator + piece
        if cell_len(joined) <= width:
            line = joined
        else:
            lines.append(line)
            line = piece
    lines.append(line)
    return "\n".join(lines)


class SafeLabel(Label):
    """A Label for text that may contain user data: shown literally, controls stripped.

    Strings are cleaned and never parsed as markup. Content and Text objects are shown as given:
    build them from :func:`plain` pieces.
    """

    def __init__(
        self,
        text: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(plain(text), markup=False, name=name, id=id, classes=classes)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show ``content``; a string is cleaned and taken literally.

        The same content again repaints nothing: a screen re-reading the data after another
        session's save sets every label, and each repaint costs bytes on a slow link.
        """
        new = plain(content) if isinstance(content, str) else content
        old = self.content
        # Content's == compares the text only; a restyled line must still repaint.
        if (
            isinstance(new, Content)
            and isinstance(old, Content)
            and (new.plain, new.spans) == (old.plain, old.spans)
        ):
            return
        super().update(new, layout=layout)


class PiecesLabel(SafeLabel):
    """A :class:`SafeLabel` for figures joined by " · " ("15 overdue · 1 shift short · ..."),
    wrapped between the figures at the label's width, and again when the width changes."""

    DEFAULT_CSS = """
    PiecesLabel {
        width: 1fr;  /* the line's width, not its text's: what the wrap is measured against */
    }
    """

    SEPARATOR = " · "

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(text, id=id)
        self._pieces = text

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        if isinstance(content, str):
            self._pieces = content
            content = wrap_between(content, self.SEPARATOR, self.content_size.width)
        super().update(content, layout=layout)

    def on_resize(self) -> None:
        self.update(self._pieces)
