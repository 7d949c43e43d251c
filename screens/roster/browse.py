"""The roster's list and what chooses its rows: loading, search, filter and sort.

The screen reads the roster in a worker (:func:`~screens.roster.view.build_roster`: one small
row per member, as the logged-in user may see them) and keeps it; search, filter and sort then
only choose rows from it, on the UI thread, in a few milliseconds at 20,000 members. The list
draws only the rows in view (:class:`~screens.roster.list.RosterList`).

:class:`RosterBrowse` is that state; :class:`screens.roster.screen.RosterScreen` adds the keys
that open, add, change and bring in members, and which of them apply.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from screens.roster.filter import RosterFilterDialog
from screens.roster.list import RosterHeading, RosterList
from screens.roster.view import SORTS_BY_ID, Roster, RosterFilter, next_sort
from screens.shell.base import SectionScreen
from screens.shell.session import Session
from screens.widgets.form import FieldInput
from screens.widgets.line import TextLine
from store.actor import Actor
from store.engine.database import Snapshot
from store.i18n import _, ngettext
from store.permissions import Action, allowed


def summary(roster: Roster) -> str:
    """ "312 members · 41 mobile · 6 overdue (!!) · 9 due (!) · 6 to check (?)"."""
    counts = roster.counts
    parts = [
        ngettext("{n} member", "{n} members", counts.members).format(n=counts.members),
        _("{n} mobile").format(n=counts.mobile),
    ]
    if counts.overdue:
        parts.append(_("{n} overdue (!!)").format(n=counts.overdue))
    if counts.due:
        parts.append(_("{n} due (!)").format(n=counts.due))
    if counts.to_check:
        parts.append(_("{n} to check (?)").format(n=counts.to_check))
    return " · ".join(parts)


FIRST_SORT = "name"
"""The order the roster opens in."""


def warm(snapshot: Snapshot, actor: Actor, today: date) -> None:
    """Build the roster ``actor`` sees on ``today`` and the list it opens on (every member by
    name) before they open it (tui/sections.py ``warm_roster``): both are kept with the file's
    version, so ``2`` shows them at once."""
    from screens.roster.following import roster_of

    roster_of(snapshot, actor, today).filtered(RosterFilter(), FIRST_SORT)


class RosterBrowse(SectionScreen):
    """The roster's rows as searched, filtered and sorted, and the list that shows them."""

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="roster")
        self.roster: Roster | None = None
        self.filter = RosterFilter()
        self.sort = FIRST_SORT
        self.keep: str | None = None  # the member the cursor goes to on the next load
        self.shown_query = ""  # the search the list shows
        self._refill_due = False  # a search refill is waiting for the end of a burst of keys
        self._keys_state: tuple[bool, bool] | None = None
        # A volunteer's search sees the masked view (store/privacy.py): no address to find.
        hint = (
            _("/ to search: name, pinyin (zs), phone or address")
            if allowed(session.acting, Action.SEE_CONTACT_DETAILS)
            else _("/ to search: name or pinyin (zs)")
        )
        self.search = FieldInput(
            placeholder=hint,
            compact=True,
            id="roster-search",
        )
        self.search.cursor_blink = False

    def compose_body(self) -> ComposeResult:
        yield TextLine(id="roster-summary")
        yield TextLine(id="roster-showing")
        # The lines below the counts in a container of their own: Textual repaints every widget
        # whose clip meets a changed line, and a widget placed on the screen itself is clipped
        # to the whole screen. Clipped to the container, the list, its scroll bar, the heading
        # and the search box are left alone when another session's save changes only the counts.
        with Vertical(id="roster-body"):
            yield self.search
            yield RosterHeading(id="roster-heading")
            yield RosterList(id="roster-list")

    @property
    def list(self) -> RosterList:
        """The member list."""
        return self.query_one(RosterList)

    def on_mount(self) -> None:
        self.list.focus()

    # -- loading -------------------------------------------------------------------------------

    def prepare(self, snapshot: Snapshot) -> Roster:
        # The rows and the summaries they point at are msgspec structs the garbage collector
        # does not track (store/members/summary.py): a big roster adds no pause to collections.
        # Kept with the version, and followed to the next one when another session saves
        # (screens/roster/following.py): a save costs its rows, not the roster's.
        from screens.roster.following import roster_of

        roster = roster_of(snapshot, self.session.acting, self.session.db.today())
        # The rows the list shows first (the filter and sort in force), sorted and filtered
        # here: made in show() they held the UI thread for about 85 ms at 20,000 members when
        # the roster opened. Kept with the roster (a dict look-up on every later load), and
        # followed with it through other sessions' saves.
        roster.filtered(self.filter, self.sort)
        return roster

    def show(self, view: Roster) -> None:
        self.roster = view
        self.query_one("#roster-summary", TextLine).update(summary(view))
        keep, self.keep = self.keep or self._current_id(), None
        self.refill(keep=keep)

    def refill(self, *, keep: str | None = None) -> None:
        """Choose the rows for the search, filter and sort now in force."""
        if self.roster is None:
            return
        self.shown_query = self.search.value
        rows = self.roster.select(self.shown_query, self.filter, self.sort)
        self.list.show_rows(rows, keep=keep)
        self._say_showing(len(rows))
        self._sync_keys()

    def _sync_keys(self) -> None:
        """Refresh the footer only when which keys apply has changed.

        Redrawing the footer restyles a dozen widgets and resends its line to the terminal;
        per keystroke of a search that is most of the time and bytes spent.
        """
        row = self.list.current
        # Only what changes the footer: hidden keys (Esc clears the search) are checked by
        # check_action when pressed, so they need no redraw.
        state = (row is not None, row is not None and row.current)
        if state != self._keys_state:
            self._keys_state = state
            self.refresh_bindings()

    def _say_showing(self, count: int) -> None:
        if self.roster is not None and not self.roster.rows:
            # Day one: say how members get here, in the words of the keys this person has.
            if allowed(self.session.acting, Action.IMPORT):
                said = _("No members yet: press n to add one, or i to bring in a spreadsheet.")
            else:
                said = _("No members on the roster yet.")
            self.query_one("#roster-showing", TextLine).update(said)
            return
        parts = [
            ngettext("Showing {n}", "Showing {n}", count).format(n=count),
            _("sorted by {order}").format(order=_(SORTS_BY_ID[self.sort].title)),
        ]
        if self.filter:
            parts.append(_("only: {filter}").format(filter=self.filter.describe()))
        self.list.empty_lines = self._why_empty() if count == 0 else ()
        # One line, always: no layout pass for a new count on every keystroke.
        self.query_one("#roster-showing", TextLine).update(" · ".join(parts))

    def _why_empty(self) -> tuple[str, ...]:
        """Why a roster with members shows none, and the keys that bring them back."""
        searching = bool(self.shown_query)
        if searching and self.filter:
            return (
                _("No member matches the search and the filter."),
                _("Esc empties the search; f, then Backspace, clears the filter."),
            )
        if searching:
            return (_("No member matches the search."), _("Esc empties the search."))
        return (
            _("No member matches the filter."),
            _("Press f, then Backspace, to clear the filter."),
        )

    @on(RosterList.Moved)
    def _moved(self) -> None:
        self._sync_keys()

    # -- search, filter, sort ------------------------------------------------------------------

    def action_search(self) -> None:
        """Put the cursor in the search box (/)."""
        self.set_focus(self.search)

    @on(Input.Changed, "#roster-search")
    def _search_changed(self) -> None:
        """Refill once the keys that arrived together have all been typed.

        Letters typed fast, by an IME, or delivered in one packet by a slow link ("zhang")
        each change the box; refilling the list for each would draw (and send) it each time.
        The refill waits for the screen's next refresh, and is left to a later key while the
        App still holds keys of the burst for their turn (tui/typeahead.py): a burst costs one
        refill and one list to draw.
        """
        if not self._refill_due:
            self._refill_due = True
            self.call_after_refresh(self._refill_search)

    def _refill_search(self) -> None:
        self._refill_due = False
        if self.search.value == self.shown_query:
            return
        if getattr(self.app, "keys_waiting", False):
            return  # more of the burst is held for its turn (tui/typeahead.py): its last key
        # changes the box again and refills then
        # A new search starts at its first match; an emptied one stays on the member found.
        self.refill(keep=None if self.search.value else self._current_id())

    def action_to_list(self) -> None:
        """Down or Enter in the search box: on to the list, as a phone's "search" key would."""
        self.set_focus(self.list)

    def action_clear_search(self) -> None:
        """Empty the search box (Esc) and go back to the list."""
        self.search.value = ""
        self.set_focus(self.list)

    def action_filter(self) -> None:
        """Choose which members are shown (f)."""
        grids = self.roster.grids if self.roster else []

        def chosen(new: RosterFilter | None) -> None:
            if new is not None:
                self.filter = new
                self.refill(keep=self._current_id())

        self.app.push_screen(RosterFilterDialog(self.filter, grids), chosen)

    def action_sort(self) -> None:
        """The next sort order (s): name, last contact, grid, category, age."""
        self.sort = next_sort(self.sort)
        self.refill(keep=self._current_id())

    def _current_id(self) -> str | None:
        row = self.list.current
        return row.id if row else None
