"""Repaint only the lines of a Line-API list whose content changed.

A list re-read after another session's save is mostly the same: painting it whole sends
every line in view down the wire again (kilobytes per save on every open session). Lists
that draw each line from its row alone compare the rows in view before and after and ask
Textual to repaint just those (:func:`refresh_changed`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from textual.scroll_view import ScrollView


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
