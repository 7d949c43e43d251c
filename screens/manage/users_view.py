"""What the users screen shows, built in a worker from a snapshot: one plain line per account.

Every cell is user data or a translated word, laid out with :mod:`screens.widgets.columns`, so
the columns follow the content and the terminal's width in both languages. A state is always
written in words ("Disabled", "Locked until 14:35"), never shown by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from screens.shell.session import role_label
from screens.widgets.columns import Column, line, widths
from store.engine.database import Snapshot
from store.i18n import N_, _, ngettext
from store.textsafe import clean_line
from store.users.model import User

COLUMNS = (
    Column(N_("User name"), shrinks=True, minimum=8),
    Column(N_("Name"), shrinks=True, minimum=6),
    Column(N_("Role")),
    Column(N_("Member"), shrinks=True, minimum=6),
    Column(N_("Last login")),
    Column(N_("State")),
)


def when(moment: datetime | None) -> str:
    """A moment in local time as people read it: 2026-03-05 14:22 ("" for none)."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One account as the screen lists it (no hash ever reaches a screen)."""

    username: str
    display_name: str
    role: str
    member_id: str
    member_name: str
    last_login: str
    disabled: bool
    locked_until: str  # "HH:MM" while locked, else ""
    failed_attempts: int
    version: int

    @property
    def locked(self) -> bool:
        """Whether too many wrong tries keep the account out right now."""
        return bool(self.locked_until)

    def state(self) -> str:
        """The account's state in words ("" for one that may log in as usual)."""
        if self.disabled:
            return _("Disabled")
        if self.locked:
            return _("Locked until {time}").format(time=self.locked_until)
        if self.failed_attempts:
            return ngettext(
                "{count} wrong try", "{count} wrong tries", self.failed_attempts
            ).format(count=self.failed_attempts)
        return ""

    def cells(self) -> list[str]:
        """The row's cells, in :data:`COLUMNS` order."""
        return [
            self.username,
            self.display_name,
            role_label(self.role),
            self.member_name,
            self.last_login or _("never logged in"),
            self.state(),
        ]


@dataclass(frozen=True, slots=True)
class UsersView:
    """Every account, by user name."""

    rows: tuple[AccountRow, ...]

    def summary(self) -> str:
        """The line above the list: how many accounts, how many locked or disabled."""
        text = ngettext("{count} account", "{count} accounts", len(self.rows)).format(
            count=len(self.rows)
        )
        locked = sum(row.locked and not row.disabled for row in self.rows)
        disabled = sum(row.disabled for row in self.rows)
        if locked:
            text += " · " + _("{count} locked").format(count=locked)
        if disabled:
            text += " · " + _("{count} disabled").format(count=disabled)
        return text

    def lines(self, total: int) -> tuple[str, list[str]]:
        """The column titles and one line per account, fitted to ``total`` cells."""
        titles = [_(column.title) for column in COLUMNS]
        cells = [row.cells() for row in self.rows]
        sizes = widths(COLUMNS, [titles, *cells], total)
        return line(titles, sizes, total), [line(row, sizes, total) for row in cells]


def member_name(snapshot: Snapshot, member_id: str) -> str:
    """The linked member's name, "(not on the roster)" if the link points nowhere, or ""."""
    if not member_id:
        return ""
    doc = snapshot.get("members", member_id)
    if doc is None:
        return _("(not on the roster)")
    return clean_line(str(doc.get("name") or ""))


def build_view(snapshot: Snapshot, now: datetime) -> UsersView:
    """Every account of ``snapshot`` as the screen shows it at ``now``."""
    from store.users import ops as users

    return UsersView(tuple(_row(snapshot, user, now) for user in users.list_users(snapshot)))


def _row(snapshot: Snapshot, user: User, now: datetime) -> AccountRow:
    from store.users import ops as users

    until = users.locked_until(user, now)
    return AccountRow(
        username=clean_line(user.username),
        display_name=clean_line(user.display_name),
        role=user.role.value,
        member_id=user.member_id,
        member_name=member_name(snapshot, user.member_id),
        last_login=when(user.last_login),
        disabled=user.disabled,
        locked_until=until.astimezone().strftime("%H:%M") if until else "",
        failed_attempts=user.failed_attempts if user.locked_until is None else 0,
        version=user.version,
    )


def find_row(rows: Sequence[AccountRow], username: str) -> AccountRow | None:
    """The row of ``username``, if it is (still) there."""
    return next((row for row in rows if row.username == username), None)
