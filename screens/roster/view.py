"""The roster as rows, filters and sort orders, built without Textual so it runs in a worker.

A roster can hold 20,000 members, so the rows are built from the store's compact read model
(:mod:`store.members.summary`: one small record per member, shared by every screen reading the
same version of the file, and :mod:`store.contacts.summary`: each member's last contact), never
from whole documents. A row (:class:`~screens.roster.rows.Row`) adds only what depends on who
is looking and on today: the contact state, the age, and the phone and search text this user
may see (the same string objects as the summary's for a coordinator). Nothing on screen is
built per member: the list widget asks for the rows in view. A keystroke in the search box is
then one substring test per row over a list kept in the chosen sort order, a few milliseconds
at 20,000 (``make bench`` measures it).

Everything here is user data on its way to a terminal: every column is cleaned of control
characters (``clean_line``), and the list draws it as plain text, never markup.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from screens.roster.rows import Row, age_on
from screens.roster.words import category_label, management_label, status_label
from store.actor import Actor
from store.engine.database import Snapshot
from store.enums import Category
from store.i18n import N_, _, join_list
from store.members.search_keys import RANK_ELSEWHERE, match_rank, normalize_query
from store.settings.model import Settings

MOBILE = frozenset({Category.MOBILE_IN.value, Category.MOBILE_OUT.value})

MAX_KEPT = 8  # filtered row lists kept (each (filter, sort) the person went through)


# -- filters -----------------------------------------------------------------------------------

STATUS_CURRENT = "current"
STATUS_ALL = "all"
CONTACT_LAPSING = "lapsing"  # due or overdue
CONTACT_OVERDUE = "overdue"
CONTACT_NEVER = "never"


@dataclass(frozen=True, slots=True)
class RosterFilter:
    """What the list is narrowed to besides the search; the defaults show current members."""

    status: str = STATUS_CURRENT  # "current", "all", or one MemberStatus value
    category: str = ""
    management: str = ""
    grid: str = ""
    contact: str = ""  # "", "lapsing", "overdue" or "never"
    check: str = ""  # "" or "needed": only members an import marked "needs checking"

    def __bool__(self) -> bool:
        return self != RosterFilter()

    def keep(self, row: Row) -> bool:
        """Whether ``row`` passes every part of the filter."""
        if self.status == STATUS_CURRENT:
            status_ok = row.current
        else:
            status_ok = self.status in (STATUS_ALL, row.status)
        return (
            status_ok
            and (not self.category or row.category == self.category)
            and (not self.management or row.management == self.management)
            and (not self.grid or row.grid == self.grid)
            and _CONTACT_TESTS[self.contact](row)
            and (not self.check or row.checking)
        )

    def describe(self) -> str:
        """The filter in words for the line above the list ("" when it shows the default)."""
        parts = []
        if self.status == STATUS_ALL:
            parts.append(_("all statuses"))
        elif self.status != STATUS_CURRENT:
            parts.append(status_label(self.status))
        if self.category:
            parts.append(category_label(self.category))
        if self.management:
            parts.append(management_label(self.management))
        if self.grid:
            parts.append(self.grid)
        if self.contact:
            parts.append(_(CONTACT_CHOICES[self.contact]))
        if self.check:
            parts.append(_(CHECK_CHOICES[self.check]))
        return join_list(parts)


_CONTACT_TESTS: dict[str, Callable[[Row], bool]] = {
    "": lambda row: True,
    CONTACT_LAPSING: lambda row: bool(row.state),
    CONTACT_OVERDUE: lambda row: row.state == "overdue",
    CONTACT_NEVER: lambda row: not row.last_contact,
}
CHECK_NEEDED = "needed"
CHECK_CHOICES = {CHECK_NEEDED: N_("needs checking")}
CONTACT_CHOICES = {
    CONTACT_LAPSING: N_("contact due or overdue"),
    CONTACT_OVERDUE: N_("contact overdue"),
    CONTACT_NEVER: N_("never contacted"),
}


# -- sort orders -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SortOrder:
    """One way to order the roster: its name in words and its keys, most significant first.

    Each key gives an object the row already holds (no tuple per row): the roster is sorted
    once per key, least significant first, which Python's stable sort makes the same order as
    sorting by the tuple of keys, without 20,000 short-lived tuples.
    """

    id: str
    title: str  # msgid
    keys: tuple[Callable[[Row], Any], ...]

    def sort(self, rows: Iterable[Row]) -> list[Row]:
        """``rows`` in this order (a new list)."""
        found = list(rows)
        for key in reversed(self.keys):
            found.sort(key=key)
        return found


def _pinyin(row: Row) -> str:
    return row.pinyin


def _name(row: Row) -> str:
    return row.name


ROSTER_ORDER = (_pinyin, _name)  # every order's last keys: ties in pinyin, not file, order

SORTS: tuple[SortOrder, ...] = (
    SortOrder("name", N_("name"), ROSTER_ORDER),
    # Never contacted first (they are the ones to call), then the oldest contact.
    SortOrder(
        "contact",
        N_("last contact, oldest first"),
        (lambda row: row.last is not None, lambda row: row.last or date.min, *ROSTER_ORDER),
    ),
    SortOrder(
        "grid", N_("grid"), (lambda row: row.grid == "", lambda row: row.grid, *ROSTER_ORDER)
    ),
    SortOrder("category", N_("category"), (lambda row: row.category, *ROSTER_ORDER)),
    SortOrder(
        "age",
        N_("age, oldest first"),
        (lambda row: row.birth is None, lambda row: row.birth or date.min, *ROSTER_ORDER),
    ),
)
SORTS_BY_ID = {order.id: order for order in SORTS}


def next_sort(current: str) -> str:
    """The sort order after ``current`` (``s`` cycles through them)."""
    ids = [order.id for order in SORTS]
    return ids[(ids.index(current) + 1) % len(ids)] if current in ids else ids[0]


# -- the whole roster --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Counts:
    """The numbers in the line above the list (current members only)."""

    members: int = 0
    mobile: int = 0
    due: int = 0
    overdue: int = 0
    to_check: int = 0


@dataclass
class Roster:
    """Every member of one snapshot as rows, and the orders they can be shown in.

    Choosing rows is made cheap for typing: the rows passing a filter are kept per (filter,
    sort), and a query that extends the previous one ("zh" -> "zha") only narrows the
    previous result, since a blob holding "zha" also holds "zh".
    """

    rows: Sequence[Row]  # a list, or when followed a Chunked (screens/roster/chunked.py)
    counts: Counts
    grids: list[str]
    settings: Settings
    _orders: dict[str, Sequence[Row]] = field(default_factory=dict)
    _filtered: dict[tuple[RosterFilter, str], Sequence[Row]] = field(default_factory=dict)
    _last: tuple[Sequence[Row], str, list[Row]] | None = None

    def ordered(self, sort: str) -> Sequence[Row]:
        """All rows in sort order ``sort`` (sorted once per order, then kept)."""
        found = self._orders.get(sort)
        if found is None:
            order = SORTS_BY_ID.get(sort, SORTS[0])
            found = self._orders[sort] = order.sort(self.rows)
        return found

    def filtered(self, roster_filter: RosterFilter, sort: str) -> Sequence[Row]:
        """The rows passing ``roster_filter``, in sort order (kept for the next keystroke)."""
        key = (roster_filter, sort)
        found = self._filtered.get(key)
        if found is None:
            if len(self._filtered) >= MAX_KEPT:
                self._filtered.clear()
            found = [row for row in self.ordered(sort) if roster_filter.keep(row)]
            self._filtered[key] = found
        return found

    def select(self, query: str, roster_filter: RosterFilter, sort: str) -> Sequence[Row]:
        """The rows matching ``query`` (name, pinyin, phone digits, address) and the filter,
        best matches first (:func:`rank`), each rank in the sort order."""
        base = self.filtered(roster_filter, sort)
        needle = normalize_query(query)
        if not needle:
            return base
        pool = base
        if self._last is not None:
            last_base, last_needle, last_found = self._last
            if last_base is base and needle.startswith(last_needle):
                pool = last_found
        found = [row for row in pool if needle in row.blob]
        self._last = (base, needle, found)  # in sort order: the next keystroke narrows it
        return rank(found, needle)


def rank(rows: list[Row], needle: str) -> list[Row]:
    """``rows`` (all matching the folded query ``needle``) with the best matches first: the
    whole name, then the name's start in its surname's reading, then another reading's start,
    then the rest (store/members/search_keys.py ``match_rank``); a stable sort, so each rank
    keeps the order chosen with ``s``."""
    if len(rows) < 2:
        return rows

    def key(row: Row) -> int:
        member = row.member
        if not 0 <= row.blob.find(needle) < member.keys_end:  # not in the name: no slice
            return RANK_ELSEWHERE
        return match_rank(needle, row.blob[: member.keys_end], member.sort_key)

    return sorted(rows, key=key)


def build_roster(snapshot: Snapshot, actor: Actor, today: date) -> Roster:
    """Every member of ``snapshot`` as ``actor`` may see them, with contact states and counts.

    Built from the compact read models (built once per version of the file and shared with
    the dashboard), not from the documents.
    """
    from store.contacts import ops as contacts
    from store.contacts.summary import contacts_of
    from store.members.summary import members_of
    from store.privacy import phone_for, search_blob, sees_whole
    from store.settings import ops as settings

    current_settings = settings.current(snapshot)
    folded = contacts_of(snapshot)
    rows = []
    for member in members_of(snapshot):
        contacted = folded.last(member.id)
        state = contacts.lapse_state(
            member.current, member.added, contacted, today, current_settings
        )
        if sees_whole(actor, member.id):
            blob, masked = member.blob, None
        else:
            blob, masked = search_blob(member, actor), phone_for(actor, member.id, member.phone)
        rows.append(Row(member, contacted, state or "", blob, masked, age_on(member.birth, today)))
    current = [row for row in rows if row.current]
    state_counts = Counter(row.state for row in current)
    return Roster(
        rows=rows,
        counts=Counts(
            members=len(current),
            mobile=sum(1 for row in current if row.category in MOBILE),
            due=state_counts["warn"],
            overdue=state_counts["overdue"],
            to_check=sum(1 for row in current if row.checking),
        ),
        grids=sorted({row.grid for row in rows if row.grid}),
        settings=current_settings,
    )
