"""Repaint only the lines of a Line-API list whose content changed.

A list re-read after another session's save is mostly the same: painting it whole sends
every line in view down the wire again (kilobytes per save on every open session). Lists
that draw each line from its row alone compare the rows in view before and after and ask
Textual to repaint just those (:func:`refresh_changed`). A list that grew by a line at its end
tells its scrollbar the new length without a repaint when the thumb stays on the same cells
(:func:`tell_scrollbar`): a repainted scrollbar widens Textual's update to every line between
it and the other changed lines (the roster's count line above it), so the whole screen is
drawn again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar


def refresh_changed(
    view: ScrollView,
    before: Sequence[Any],
    after: Sequence[Any],
    also: Iterable[int | None] = (),
    *,
    top: int | None = None,
) -> None:
    """Repaint the lines in view of ``view`` whose row differs between ``before`` and
    ``after`` (rows compared with ``==``), and the lines ``also`` (a cursor that moved).

    ``top`` is the first line that was in view before (the list may have scrolled since):
    a scroll repaints everything, as the lines all moved. A list that grew or shrank is
    compared line by line too (a member added below the lines in view repaints none of them;
    one added above moves them all, and they all differ): a line past the shorter list's end
    is repainted (blank, or new).
    """
    if top is not None and top != view.scroll_offset.y:
        view.refresh()
        return
    first = view.scroll_offset.y
    height = max(0, view.scrollable_content_region.height)
    marked = {index for index in also if index is not None}
    for index in range(first, min(max(len(before), len(after)), first + height)):
        if (
            index in marked
            or index >= len(before)
            or index >= len(after)
            or before[index] != after[index]
        ):
            view.refresh_line(index)


def tell_scrollbar(view: ScrollView, length: int) -> None:
    """Tell ``view``'s vertical scrollbar the list is ``length`` lines long, repainting it only
    when its thumb moves (a member added far below the view, at 20,000, moves it by nothing)."""
    if not view.show_vertical_scrollbar:
        return
    bar = view.vertical_scrollbar
    if length == bar.window_virtual_size:
        return
    if _thumb(bar, length) == _thumb(bar, bar.window_virtual_size):
        bar.set_reactive(ScrollBar.window_virtual_size, length)
    else:
        bar.window_virtual_size = length


def _thumb(bar: ScrollBar, length: int) -> list[Any]:
    """What ``bar`` would draw for a list of ``length`` lines (Textual's own rule:
    ScrollBar._render_bar), as segments compared whole: a style's ``meta`` is unpickled on
    every read, 19 reads a bar."""
    window = bar.window_size if bar.window_size < length else 0
    drawn = bar.renderer.render_bar(
        size=bar.size.height if bar.vertical else bar.size.width,
        virtual_size=length,
        window_size=window,
        position=bar.position,
        thickness=bar.thickness,
        vertical=bar.vertical,
    )
    return list(drawn.segments)
