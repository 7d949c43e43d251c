"""The dashboard's page as data: groups of lines, each line saying what Enter opens.

Built in a worker (:mod:`screens.dashboard.view`), drawn by :mod:`screens.dashboard.board`.
A :class:`Group` is a heading with its count and at most :data:`SHOWN` lines, then "…and N
more"; :class:`DashboardView` adds the line that counts everything, the most pressing first.
Every item line starts with a mark column (``!!``, ``!``, ``x`` or blank): the state is said
in signs and words, never by colour alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from rich.cells import set_cell_size

from store.enums import weekday_label
from store.i18n import _, ngettext
from store.textsafe import clean_line

MARK, GAP = 2, 2
"""Every item line starts with a mark column (``!!``, ``!``, ``x`` or blank) and a gap."""
SHOWN = 5
"""Lines per group before "…and N more": six groups then fit a few screens at 80x24."""

TargetKind = Literal[
    "member", "shift", "session", "lapsing", "week", "hours", "certificates", "sessions"
]


@dataclass(frozen=True, slots=True)
class Target:
    """What Enter on a line opens: a record (``member``, ``shift``, ``session`` and its id) or a
    whole list (``lapsing`` the roster filtered, ``week`` the grid at the Monday ``key``,
    ``hours``, ``certificates``, ``sessions``)."""

    kind: TargetKind
    key: str = ""


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the page: a heading (bold, never under the cursor) or an item."""

    text: str
    target: Target | None = None
    heading: bool = False


@dataclass(frozen=True, slots=True)
class Group:
    """A heading and its lines; ``count`` is every item, not only those shown."""

    title: str
    count: int
    lines: tuple[Line, ...] = ()
    more: Target | None = None
    none: str = ""
    """What the heading says when there is nothing (then no lines follow)."""
    counted: bool = True
    """Whether the heading shows the count (not for a volunteer's own hours)."""
    note: str = ""
    """Said after the count: the rule that decides what is listed."""

    def render(self) -> list[Line]:
        """The group as lines: heading, items, "…and N more"."""
        if not self.count:
            return [Line(_("{title}: {none}").format(title=self.title, none=self.none), None, True)]
        heading = f"{self.title} ({self.count})" if self.counted else self.title
        if self.note:
            heading += " · " + self.note
        out = [Line(heading, None, True), *self.lines]
        hidden = self.count - len(self.lines)
        if hidden > 0:
            more = ngettext("…and {count} more", "…and {count} more", hidden).format(count=hidden)
            out.append(Line(" " * (MARK + GAP) + more, self.more))
        return out


@dataclass(frozen=True, slots=True)
class Count:
    """One figure of the to-do line; ``rank`` orders them, the most pressing first."""

    rank: int
    text: str


@dataclass(frozen=True, slots=True)
class DashboardView:
    """Everything the page shows, made in a worker thread."""

    members: int = 0
    mobile: int = 0
    counts: tuple[Count, ...] = ()
    groups: tuple[Group, ...] = ()
    lines: tuple[Line, ...] = field(default=())

    def to_do(self) -> str:
        """``To do: 3 contacts overdue · 1 certificate expired · 2 shifts short…``."""
        if not self.counts:
            return _("Nothing needs doing now.")
        ranked = sorted(self.counts, key=lambda count: count.rank)
        return _("To do: {counts}").format(counts=" · ".join(c.text for c in ranked))

    def roster(self) -> str:
        """``120 members on the roster, 8 of them mobile (moved in or away)``."""
        return ngettext(
            "{count} member on the roster, {mobile} of them mobile (moved in or away)",
            "{count} members on the roster, {mobile} of them mobile (moved in or away)",
            self.members,
        ).format(count=self.members, mobile=self.mobile)


def count(rank: int, message: str, n: int) -> Count:
    """A figure of the to-do line, e.g. ``3 contacts overdue`` (``message`` takes ``{n}``)."""
    return Count(rank, message.format(n=n))


def columns(cells: Sequence[str], widths: Sequence[int]) -> str:
    """Cells cut or padded to their widths, two spaces apart (CJK counted double)."""
    return "  ".join(
        set_cell_size(clean_line(cell), width) for cell, width in zip(cells, widths, strict=True)
    ).rstrip()


def day_text(day: dt.date | None) -> str:
    """``Wednesday 12-03`` (a day of this week or the last, so no year)."""
    if day is None:
        return "?"
    return f"{weekday_label(day.isoweekday())} {day:%m-%d}"


def times(start: dt.time | None, end: dt.time | None) -> str:
    return f"{start:%H:%M}-{end:%H:%M}" if start is not None and end is not None else ""
