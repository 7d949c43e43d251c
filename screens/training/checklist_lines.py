"""The attendance checklist's list: one line per member with the mark shown (stored or typed).

The screen (screens/training/checklist.py) holds the marks (:class:`Marks`) and hands them to
the list, which only draws: ``*`` for a mark not yet saved (its line bold), the name (with
"(outside)" for a member outside the session's audience), the mark in words and signs, the
hours credited, category and branch. Drawn a line at a time (screens/training/lines.py).
"""

from __future__ import annotations

from screens.training.checklist_view import ChecklistRow, Marks, mark_text
from screens.training.lines import LineList
from screens.training.view import hours_text
from store.enums import AttendanceStatus, label
from store.i18n import _


class Checklist(LineList[ChecklistRow]):
    """The members with their marks; the screen holds the marks (:class:`Marks`)."""

    def __init__(self, marks: Marks, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.marks = marks

    def values(self, row: ChecklistRow) -> tuple[str, ...]:
        mark = self.marks.shown(row)
        star = "*" if self.marks.changed(row) else " "
        name = (
            row.member.name
            if row.member.expected
            else _("{name} (outside)").format(name=row.member.name)
        )
        if mark is AttendanceStatus.MAKE_UP and row.made_up and not self.marks.changed(row):
            shown = f"{mark_text(mark)} {row.made_up:%m-%d}"
        else:
            shown = mark_text(mark)
        hours = hours_text(row.hours) if row.hours and not self.marks.changed(row) else ""
        return (star, name, shown, hours, label(row.member.category), row.member.branch)

    def emphasis(self, row: ChecklistRow) -> bool:
        return self.marks.changed(row)
