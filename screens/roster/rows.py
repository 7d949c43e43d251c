"""One member as this user's roster shows and finds them (:class:`Row`), and the row's
marks and age column; built without Textual, like the rest of the roster's model
(:mod:`screens.roster.view`).

A row adds to the store's compact summary of a member (:mod:`store.members.summary`, shared by
every screen reading the same version of the file) only what depends on who is looking and on
today: the contact state, the age, and the phone and search text this user may see. Its text
is user data on its way to a terminal: the summary's columns are cleaned of control
characters, and the list draws them as plain text, never markup.
"""

from __future__ import annotations

from datetime import date

import msgspec

from store.enums import Category, Management
from store.members.model import age
from store.members.summary import MemberSummary

# The mark at the start of a row: contact state, or a member no longer current. In words in
# the line above the list, so nothing depends on colour.
MARK_OVERDUE = "!!"
MARK_DUE = "!"
MARK_INACTIVE = "×"
MARK_CHECK = "?"  # an import left a field empty: the member needs checking


class Row(msgspec.Struct, frozen=True, gc=False):
    """One member as this user's roster shows and finds them.

    ``member`` is the shared summary (display text already cleaned); ``blob`` is what this
    user may search (the summary's own string when they may see everything), ``masked`` the
    phone they see when it is not the member's own (None: theirs).
    """

    member: MemberSummary
    last: date | None  # the last contact, None when never contacted
    state: str  # "", "warn" or "overdue"
    blob: str
    masked: str | None
    age: str  # the age column ("" when the birth date is unknown)

    @property
    def phone(self) -> str:
        """The phone as this user may see it."""
        return self.member.phone if self.masked is None else self.masked

    @property
    def id(self) -> str:
        return self.member.id

    @property
    def version(self) -> int:
        return self.member.version

    @property
    def name(self) -> str:
        return self.member.name

    @property
    def gender(self) -> str:
        return self.member.gender

    @property
    def category(self) -> str:
        """Stored value; the column shows its short label."""
        return self.member.category or Category.OTHER.value

    @property
    def management(self) -> str:
        return self.member.management or Management.DIRECT.value

    @property
    def grid(self) -> str:
        return self.member.grid

    @property
    def status(self) -> str:
        return self.member.status

    @property
    def pinyin(self) -> str:
        """The sort key: the name's pinyin, surname reading first (store/members/sort_key.py)."""
        return self.member.sort_key

    @property
    def birth(self) -> date | None:
        return self.member.birth

    @property
    def last_contact(self) -> str:
        """The last contact as shown, "YYYY-MM-DD", or "" when never contacted."""
        return self.last.isoformat() if self.last else ""

    @property
    def checking(self) -> bool:
        """An import left a field empty (the member's ``to_check``)."""
        return self.member.checking

    @property
    def current(self) -> bool:
        """Active (archived, transferred-out and deceased members are hidden by default)."""
        return self.member.current

    @property
    def mark(self) -> str:
        """The row's mark: not current, overdue, due, or nothing; then ? if it needs checking
        (in two cells: "!?" is a contact due or overdue and a field to check)."""
        if not self.current:
            mark = MARK_INACTIVE
        else:
            mark = {"overdue": MARK_OVERDUE, "warn": MARK_DUE}.get(self.state, "")
        return mark[:1] + MARK_CHECK if self.checking else mark


_AGES = {years: str(years) for years in range(131)}


def age_on(birth: date | None, today: date) -> str:
    """The age column for a birth date; "" if there is none (or it is in the future)."""
    if birth is None:
        return ""
    years = age(birth, today)
    return _AGES.get(years) or (str(years) if years >= 0 else "")
