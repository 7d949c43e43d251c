"""Plain-text columns sized from their content and the terminal's width, CJK counted double.

A list of a few dozen rows (accounts, teams) is drawn as lines of text. Each column is as wide as
its widest cell or its title; when the line is too long for the terminal, the columns that may
shrink (names) give up cells, widest first, down to a minimum, and their cells end in "…". Sizing
from the content rather than fixed numbers keeps the same code right at 80 columns, in Chinese,
and on the narrower terminals a compact layout will bring.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

from screens.widgets.text import fit

GAP = 2  # cells between two columns


@dataclass(frozen=True, slots=True)
class Column:
    """A column's title and whether it may shrink below its content (down to ``minimum``)."""

    title: str
    shrinks: bool = False
    minimum: int = 4


def widths(columns: Sequence[Column], rows: Sequence[Sequence[str]], total: int) -> list[int]:
    """The width of each column so that a line (with :data:`GAP` between columns) fits ``total``.

    Columns that shrink lose one cell at a time, the widest first, until the line fits or each
    is at its minimum (then the line is cut at the end by :func:`line`).
    """
    sizes = [
        max([cell_len(column.title), *(cell_len(row[i]) for row in rows)])
        for i, column in enumerate(columns)
    ]
    room = total - GAP * (len(columns) - 1)
    while sum(sizes) > room:
        shrinkable = [
            i for i, column in enumerate(columns) if column.shrinks and sizes[i] > column.minimum
        ]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: sizes[i])
        sizes[widest] -= 1
    return sizes


def line(cells: Sequence[str], sizes: Sequence[int], total: int) -> str:
    """One row: each cell fitted to its column, columns :data:`GAP` apart, cut to ``total``."""
    text = (" " * GAP).join(fit(cell, size) for cell, size in zip(cells, sizes, strict=True))
    return fit(text.rstrip(), total).rstrip() if cell_len(text.rstrip()) > total else text.rstrip()
