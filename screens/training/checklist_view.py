"""The attendance checklist as rows, built without widgets so it runs in a worker, and the
marks a person makes on it before saving.

:func:`build_checklist` reads the session and its audience (the store decides who that is:
:func:`store.training.sessions.audience`) and, apart, every other current member, whom the
checklist shows only when asked (attendance for someone outside the audience is allowed after
a confirmation). :class:`Marks` holds the unsaved marks over the stored ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from store.actor import Actor
from store.engine.database import Snapshot
from store.enums import AttendanceStatus, Audience, Category, label
from store.i18n import N_, _, ngettext
from store.training import sessions as store_sessions
from store.training.model import Attendance, TrainingSession
from store.training.sessions import AudienceMember

Mark = AttendanceStatus | None
# Signs beside the words, for a quick look down the column (never colour alone).
SIGNS = {
    None: "·",
    AttendanceStatus.PRESENT: "✓",
    AttendanceStatus.MAKE_UP: "✓",
    AttendanceStatus.ABSENT: "✗",
    AttendanceStatus.EXCUSED: "~",
}


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    """A member on the checklist with what is stored for them."""

    member: AudienceMember
    stored: Mark
    hours: float
    made_up: date | None


@dataclass(frozen=True, slots=True)
class ChecklistView:
    """What the checklist shows: the session (None: deleted), its rows, everyone else."""

    session: TrainingSession | None
    rows: tuple[ChecklistRow, ...] = ()
    others: tuple[ChecklistRow, ...] = ()


def _row(member: AudienceMember, marks: dict[str, Attendance]) -> ChecklistRow:
    found = marks.get(member.id)
    if found is None:
        return ChecklistRow(member, None, 0.0, None)
    return ChecklistRow(member, found.status, found.hours, found.date)


def build_checklist(snapshot: Snapshot, actor: Actor, session_id: str) -> ChecklistView:
    """The session's checklist rows in pinyin order, and the other current members."""
    session = store_sessions.get_session(snapshot, actor, session_id)
    if session is None:
        return ChecklistView(None)
    listed, outside = store_sessions.audience_and_others(snapshot, actor, session)
    marks: dict[str, Attendance] = {}  # a look-up per row, not a search (1,000s of rows)
    for mark in session.attendance:
        marks.setdefault(mark.member_id, mark)  # the first, as the store reads a member's
    rows = tuple(_row(m, marks) for m in listed)
    others: tuple[ChecklistRow, ...] = ()
    if session.audience is not Audience.LIST and session.audience is not Audience.ALL:
        others = tuple(ChecklistRow(m, None, 0.0, None) for m in outside)
    return ChecklistView(session, rows, others)


def select_rows(rows: list[ChecklistRow], query: str) -> list[ChecklistRow]:
    """The rows whose member's name, full pinyin or pinyin initials hold what was typed
    (``zs``, ``zhangsan`` or 张三 find 张三, as on the roster); all of them for nothing typed."""
    from store.members.search_keys import normalize_query

    needle = normalize_query(query)
    return [row for row in rows if row.member.matches(needle)] if needle else rows


@dataclass
class Marks:
    """Unsaved marks by member id, over the stored ones (None: unmark)."""

    pending: dict[str, Mark] = field(default_factory=dict)

    def shown(self, row: ChecklistRow) -> Mark:
        """The mark the row shows: the unsaved one if any, else the stored one."""
        return self.pending.get(row.member.id, row.stored)

    def set(self, row: ChecklistRow, mark: Mark) -> None:
        """Mark ``row``; marking it back to what is stored drops the unsaved mark."""
        if mark == row.stored:
            self.pending.pop(row.member.id, None)
        else:
            self.pending[row.member.id] = mark

    def changed(self, row: ChecklistRow) -> bool:
        return row.member.id in self.pending

    def __len__(self) -> int:
        return len(self.pending)

    def for_store(self) -> dict[str, Mark]:
        """The unsaved marks as :func:`store.training.ops.record_attendance` takes them."""
        return dict(self.pending)


def mark_text(mark: Mark) -> str:
    """ "✓ Present", "✗ Absent", "· —" (the sign, then the word)."""
    return f"{SIGNS[mark]} {label(mark) if mark is not None else '—'}"


def counts_text(rows: list[ChecklistRow], marks: Marks) -> str:
    """ "60 listed · 45 present · 3 absent · 2 excused · 1 make-up · 9 not marked"."""
    tally = dict.fromkeys([*AttendanceStatus, None], 0)
    for row in rows:
        tally[marks.shown(row)] += 1
    parts = [
        ngettext("{n} listed", "{n} listed", len(rows)).format(n=len(rows)),
        _("{n} present").format(n=tally[AttendanceStatus.PRESENT]),
        ngettext("{n} absent", "{n} absent", tally[AttendanceStatus.ABSENT]).format(
            n=tally[AttendanceStatus.ABSENT]
        ),
        _("{n} excused").format(n=tally[AttendanceStatus.EXCUSED]),
    ]
    if tally[AttendanceStatus.MAKE_UP]:
        parts.append(_("{n} make-up").format(n=tally[AttendanceStatus.MAKE_UP]))
    if tally[None]:
        parts.append(_("{n} not marked").format(n=tally[None]))
    if len(marks):
        parts.append(
            ngettext("{n} unsaved", "{n} unsaved", len(marks)).format(n=len(marks)) + " (Ctrl+S)"
        )
    return " · ".join(parts)


def session_line(session: TrainingSession) -> str:
    """ "党课 · 2026-03-05 · 2 h · for: Retired" (what the checklist is of)."""
    from screens.training.view import hours_text

    audience = label(session.audience)
    if (
        session.audience is Audience.CATEGORY
        and session.audience_value in Category._value2member_map_
    ):
        audience = label(Category(session.audience_value))
    elif session.audience is Audience.BRANCH:
        audience = session.audience_value
    parts = [
        session.title,
        session.date.isoformat() if session.date else "",
        hours_text(session.hours),
        _("for: {audience}").format(audience=audience),
    ]
    return " · ".join(part for part in parts if part)


# Column titles (msgids), the first over the changed mark ("*"); widths from :func:`layout`.
COLUMNS = ("", N_("Name"), N_("Mark"), N_("Hours"), N_("Category"), N_("Branch"))
BRANCH = 12  # typed in: the usual "第1党支部" fits, a longer one is cut


def layout() -> list[tuple[str, int]]:
    """The columns' titles and widths: the mark (with a make-up's date), the hours and the
    category as wide as the widest they can say in the language in use; the name takes what
    is left. The first, one cell, is the changed mark's, so the titles sit over the rows'."""
    from screens.training.lines import widest
    from screens.training.view import WIDEST_HOURS, hours_text

    star, name, mark, hours, category, branch = (_(title) if title else "" for title in COLUMNS)
    marks = [f"{mark_text(m)} 12-31" for m in (*AttendanceStatus, None)]
    return [
        (star, 1),
        (name, 0),
        (mark, widest(marks, mark)),
        (hours, widest((hours_text(h) for h in WIDEST_HOURS), hours)),
        (category, widest((label(c) for c in Category), category)),
        (branch, max(BRANCH, widest((), branch))),
    ]
