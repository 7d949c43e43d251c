"""The sessions list as rows, built without widgets so it runs in a worker.

:func:`build_sessions` reads the sessions of the chosen year and kind (through
:func:`store.training.sessions.list_sessions`, which applies what the logged-in user may see)
and turns each into a :class:`SessionRow` of plain strings; the screen only filters them by
what is typed and hands them to its list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from screens.training.lines import widest
from store.actor import Actor
from store.engine.database import Snapshot
from store.enums import AttendanceStatus, TrainingKind, label
from store.i18n import N_, _
from store.members.search_keys import fold
from store.training import sessions as store_sessions
from store.training.sessions import SessionSummary
from store.training.validation import MAX_DAY_HOURS

# Column titles (msgids); the widths come from :func:`layout`, the title's takes what is left.
COLUMNS = (N_("Date"), N_("Kind"), N_("Hours"), N_("Came"), N_("Title"))
WIDEST_HOURS = (MAX_DAY_HOURS - 0.5, MAX_DAY_HOURS)  # "23.5 h": the widest a session can credit
SERVICE_MARK = "+"  # after the hours of a session that also credits volunteer service


def hours_text(hours: float) -> str:
    """2 h, 1.5 h (the figure as people write it)."""
    return _("{hours} h").format(hours=f"{hours:g}")


@dataclass(frozen=True, slots=True)
class SessionRow:
    """One session as the list shows it; ``blob`` is what a typed search looks in."""

    id: str
    version: int
    day: str
    kind: str
    hours: str
    came: str
    title: str
    blob: str
    recorded: int

    def values(self) -> tuple[str, ...]:
        """The row's cells, in :data:`COLUMNS` order."""
        return (self.day, self.kind, self.hours, self.came, self.title)


def came_text(summary: SessionSummary, own_only: bool) -> str:
    """ "45/60" (present or made up, of those recorded); a volunteer: their own mark."""
    if own_only:
        return label(summary.mine) if summary.mine is not None else "—"
    if not summary.recorded:
        return "—"
    return f"{summary.present + summary.make_up}/{summary.recorded}"


def session_row(summary: SessionSummary, own_only: bool) -> SessionRow:
    session = summary.session
    hours = hours_text(session.hours)
    if session.service_hours:
        hours += SERVICE_MARK  # volunteer service too (a theme day); the legend says so
    title = session.title or label(session.kind)
    return SessionRow(
        id=session.id,
        version=session.version,
        day=session.date.isoformat() if session.date else "",
        kind=label(session.kind),
        hours=hours,
        came=came_text(summary, own_only),
        title=title,
        blob=fold(" ".join((title, session.trainer, session.place, label(session.kind)))),
        recorded=summary.recorded,
    )


def layout(rows: Sequence[SessionRow]) -> list[tuple[str, int]]:
    """The columns' titles and widths, each fixed one as wide as the widest value it can hold
    in the language in use (any kind, the most hours with the service mark) or holds now (the
    counts); the title takes what is left."""
    kinds = [label(kind) for kind in TrainingKind]
    hours = [hours_text(h) + SERVICE_MARK for h in WIDEST_HOURS]
    came = ["—", *(label(s) for s in AttendanceStatus), *(row.came for row in rows)]
    date_, kind, hours_, came_, title = (_(title) for title in COLUMNS)
    return [
        (date_, widest(["2026-12-31"], date_)),
        (kind, widest(kinds, kind)),
        (hours_, widest(hours, hours_)),
        (came_, widest(came, came_)),
        (title, 0),
    ]


def legend(rows: Sequence[SessionRow]) -> str:
    """What the service mark means, when a row shows it ("" when none does)."""
    if not any(row.hours.endswith(SERVICE_MARK) for row in rows):
        return ""
    return _("+ also counts as volunteer service hours (a theme day)")


@dataclass(frozen=True, slots=True)
class SessionsView:
    """What the sessions screen shows: its rows and the years there are sessions in."""

    rows: tuple[SessionRow, ...]
    years: tuple[int, ...]


def build_sessions(
    snapshot: Snapshot, actor: Actor, year: int | None, kind: TrainingKind | None
) -> SessionsView:
    """The sessions of ``year`` (None: all years) and ``kind`` (None: every kind)."""
    from store.training.access import own_member

    own_only = own_member(actor) is not None
    found = store_sessions.list_sessions(snapshot, actor, year=year, kind=kind)
    return SessionsView(
        rows=tuple(session_row(s, own_only) for s in found),
        years=tuple(store_sessions.years(snapshot)),
    )


def select(rows: tuple[SessionRow, ...], query: str) -> list[SessionRow]:
    """The rows whose title, trainer, place or kind contains what was typed."""
    needle = fold(query.strip())
    return [row for row in rows if needle in row.blob] if needle else list(rows)


def year_choices(years: tuple[int, ...], today: date) -> list[tuple[str, str]]:
    """The filter's years: this one, every year with sessions, and all years."""
    shown = sorted({today.year, *years}, reverse=True)
    return [*((str(y), str(y)) for y in shown), ("", _("all years"))]
