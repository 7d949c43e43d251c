"""The sessions list as rows, built without widgets so it runs in a worker.

:func:`build_sessions` reads the sessions of the chosen year and kind (through
:func:`store.training.sessions.list_sessions`, which applies what the logged-in user may see)
and turns each into a :class:`SessionRow` of plain strings; the screen only filters them by
what is typed and hands them to its list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from store.actor import Actor
from store.engine.database import Snapshot
from store.enums import TrainingKind, label
from store.i18n import N_, _
from store.members.search_keys import fold
from store.training import sessions as store_sessions
from store.training.sessions import SessionSummary

# (title msgid, width in cells); 0: the title takes what is left.
COLUMNS = (
    (N_("Date"), 10),
    (N_("Kind"), 9),
    (N_("Hours"), 6),
    (N_("Came"), 7),
    (N_("Title"), 0),
)


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

    def cells(self) -> list[tuple[str, int]]:
        """The row's cells with the widths of :data:`COLUMNS`."""
        values = (self.day, self.kind, self.hours, self.came, self.title)
        return [(value, size) for value, (_title, size) in zip(values, COLUMNS, strict=True)]


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
        hours += "+"  # volunteer service too (a theme day)
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
