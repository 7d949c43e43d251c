"""Section 2, the roster: every member, found as you type, filtered, sorted, opened.

The screen reads the roster in a worker (:func:`~screens.roster.view.build_roster`: one small
row per member, as the logged-in user may see them) and keeps it; search, filter and sort then
only choose rows from it, on the UI thread, in a few milliseconds at 20,000 members. The list
draws only the rows in view (:class:`~screens.roster.list.RosterList`).

Keys (footer and help): / search (name, pinyin initials or full pinyin, phone digits,
address), f filter, s sort, Enter open, n new, e edit, Del archive (asks first), r restore an
archived member, Del on an archived member deletes for good (admins, after typing the name),
i import a spreadsheet, x export. Keys a role may not use are hidden, and the store refuses
them anyway. After a change the roster reloads and the cursor stays on the member.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

from screens.roster.filter import RosterFilterDialog
from screens.roster.list import RosterHeading, RosterList
from screens.roster.view import (
    SORTS_BY_ID,
    Roster,
    RosterFilter,
    Row,
    deletion_question,
    next_sort,
)
from screens.shell.base import SectionScreen
from screens.shell.dialogs import ConfirmDialog, TypeToConfirmDialog
from screens.shell.session import Session
from screens.widgets.form import FieldInput
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.enums import MemberStatus
from store.errors import StoreError
from store.i18n import N_, _, ngettext
from store.permissions import Action, allowed

# Actions that change the roster, and what each needs.
NEEDS = {
    "new": Action.EDIT_MEMBERS,
    "edit": Action.EDIT_MEMBERS,
    "archive": Action.EDIT_MEMBERS,
    "restore": Action.EDIT_MEMBERS,
    "delete": Action.DELETE_MEMBERS,
    "import": Action.IMPORT,
    "export": Action.EXPORT,
}


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


class RosterScreen(SectionScreen):
    """The base screen of section 2."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # "/", and Enter or Down in the search box, move the focus as they arrive (priority,
        # and set_focus at once): over a slow link "/zhang" comes in one packet, and letters
        # routed before a late focus change would reach the list as keys (e edits, n adds).
        Binding("slash", "search", N_("Search"), priority=True),
        Binding("f", "filter", N_("Filter")),
        Binding("s", "sort", N_("Sort")),
        Binding("n", "new", N_("New")),
        Binding("e", "edit", N_("Edit")),
        Binding("delete", "archive", N_("Archive")),
        Binding("delete", "delete", N_("Delete")),
        Binding("r", "restore", N_("Restore")),
        Binding("i", "import", N_("Import")),
        Binding("x", "export", N_("Export")),
        Binding("escape", "clear_search", N_("Clear search"), show=False),
        Binding("down,enter", "to_list", N_("To the list"), show=False, priority=True),
    ]

    @dataclass
    class Changed(Message):
        """A change the screen made went through; ``message`` says what, ``member_id`` who."""

        message: str
        member_id: str

    @dataclass
    class Failed(Message):
        """A change was refused; ``reason`` is the store's sentence."""

        reason: str

    # What the footer keeps first when 80 columns are too few (screens/widgets/footer.py): what
    # can be done to the member under the cursor, then adding; the rest is in F1.
    FOOTER_RANK: ClassVar[tuple[str, ...]] = (
        "search",
        "restore",
        "archive",
        "delete",
        "new",
        "edit",
        "filter",
        "sort",
    )

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="roster")
        self.roster: Roster | None = None
        self.filter = RosterFilter()
        self.sort = "name"
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
        yield SafeLabel("", id="roster-summary")
        yield SafeLabel("", id="roster-showing")
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

        return roster_of(snapshot, self.session.acting, self.session.db.today())

    def show(self, view: Roster) -> None:
        self.roster = view
        self.query_one("#roster-summary", SafeLabel).update(summary(view), layout=False)
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
            self.query_one("#roster-showing", SafeLabel).update(said, layout=False)
            return
        parts = [
            ngettext("Showing {n}", "Showing {n}", count).format(n=count),
            _("sorted by {order}").format(order=_(SORTS_BY_ID[self.sort].title)),
        ]
        if self.filter:
            parts.append(_("only: {filter}").format(filter=self.filter.describe()))
        self.list.empty_lines = self._why_empty() if count == 0 else ()
        # One line, always: no layout pass for a new count on every keystroke.
        self.query_one("#roster-showing", SafeLabel).update(" · ".join(parts), layout=False)

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

    # -- which keys apply ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        need = NEEDS.get(action)
        if need is not None and not allowed(self.session.acting, need):
            return False
        row = self.list.current if self.is_mounted else None
        in_search = self.focused is self.search
        applies = {
            "edit": row is not None,
            "archive": row is not None and row.current,
            "restore": row is not None and not row.current,
            "delete": row is not None and not row.current,
            "clear_search": bool(self.search.value),
            "to_list": in_search,
            "search": not in_search,  # in the box, "/" is just typed
        }
        return applies.get(action, True)

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

    # -- opening -------------------------------------------------------------------------------

    @on(RosterList.Opened)
    def _opened(self) -> None:
        # "/zsf", Enter, Enter in one packet: the list may see its Enter before the search box
        # has applied the letters. Open once the box has them, from the list they select.
        self.search.call_later(self._open_current)

    def _open_current(self) -> None:
        if self.search.value != self.shown_query:
            self.refill()
        row = self.list.current
        if row is not None:
            self.session.routes.open_member(self.app, row.id, self.section_title)

    def action_new(self) -> None:
        """Add a member (n)."""
        self._open_form(None, _("New member"))

    def action_edit(self) -> None:
        """Edit the member under the cursor (e)."""
        row = self.list.current
        if row is not None:
            self._open_form(row.id, _("Edit member"))

    def _open_form(self, member_id: str | None, title: str) -> None:
        if not self.permitted(Action.EDIT_MEMBERS):
            return

        def saved(member_id: str) -> None:
            self.keep = member_id

        self.session.routes.edit_member(self.app, member_id, title, saved)

    def action_import(self) -> None:
        """Bring in a spreadsheet (i)."""
        if not self.permitted(Action.IMPORT):
            return
        self.session.routes.import_members(self.app, _("Import members"))

    def action_export(self) -> None:
        """Write the roster to a CSV or Excel file (x)."""
        if not self.permitted(Action.EXPORT):
            return
        include_archived = self.filter.status != "current"
        self.session.routes.export_members(self.app, include_archived=include_archived)

    # -- archive, restore, delete --------------------------------------------------------------

    def action_archive(self) -> None:
        """Archive the member under the cursor (Del), after asking."""
        row = self.list.current
        if row is None or not row.current or not self.permitted(Action.EDIT_MEMBERS):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._set_status(row, MemberStatus.ARCHIVED)

        question = _(
            "Archive {name}? They will be hidden from the roster, and nothing is lost: "
            "f shows archived members, and r brings them back."
        ).format(name=row.name)
        self.app.push_screen(ConfirmDialog(question, yes=_("Archive"), no=_("Keep")), answered)

    def action_restore(self) -> None:
        """Bring the archived (or transferred-out) member under the cursor back (r)."""
        row = self.list.current
        if row is not None and not row.current and self.permitted(Action.EDIT_MEMBERS):
            self._set_status(row, MemberStatus.ACTIVE)

    def action_delete(self) -> None:
        """Delete the archived member under the cursor for good (admins), after typing the name."""
        row = self.list.current
        if row is None or row.current or not self.permitted(Action.DELETE_MEMBERS):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(row)

        question = deletion_question(row.name, row.id, self.session.db)
        self.app.push_screen(
            TypeToConfirmDialog(question, row.name, prompt=_("Type the name to delete")),
            answered,
        )

    @work(thread=True, exclusive=True, group="change")
    def _set_status(self, row: Row, status: MemberStatus) -> None:
        from store.members import ops as members

        try:
            members.set_status(self.session.db, self.session.acting, row.id, status, row.version)
        except StoreError as error:
            self.post_message(self.Failed(str(error)))
            return
        if status == MemberStatus.ARCHIVED:
            said = _("{name} archived. Press f to show archived members.").format(name=row.name)
        else:
            said = _("{name} is back on the roster.").format(name=row.name)
        self.post_message(self.Changed(said, row.id))

    @work(thread=True, exclusive=True, group="change")
    def _delete(self, row: Row) -> None:
        from store.members import ops as members

        try:
            members.delete(self.session.db, self.session.acting, row.id, row.version)
        except StoreError as error:
            self.post_message(self.Failed(str(error)))
            return
        self.post_message(self.Changed(_("{name} deleted.").format(name=row.name), row.id))

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        self.notify(message.message, markup=False)
        self.keep = message.member_id
        self.reload()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.reason, severity="warning", markup=False)
        self.reload()
