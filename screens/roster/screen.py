"""Section 2, the roster: every member, found as you type, filtered, sorted, opened.

The list and what chooses its rows (loading, search, filter, sort) are
:class:`screens.roster.browse.RosterBrowse`; this screen adds the keys that act on members
(open, add, edit, archive, restore, delete, import, export) and says which of them apply.

Keys (footer and help): / search (name, pinyin initials or full pinyin, phone digits,
address), f filter, s sort, Enter open, n new, e edit, Del archive (asks first), r restore an
archived member, Del on an archived member deletes for good (admins, after typing the name),
i import a spreadsheet, x export. Keys a role may not use are hidden, and the store refuses
them anyway. After a change the roster reloads and the cursor stays on the member.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message

from screens.roster.browse import RosterBrowse
from screens.roster.list import RosterList
from screens.roster.rows import Row
from screens.roster.words import deletion_question
from screens.shell.dialogs import ConfirmDialog, TypeToConfirmDialog
from store.enums import MemberStatus
from store.errors import StoreError
from store.i18n import N_, _
from store.permissions import Action


class RosterScreen(RosterBrowse):
    """The base screen of section 2."""

    NEEDS: ClassVar[Mapping[str, Action]] = {  # what the role needs for each key
        "new": Action.EDIT_MEMBERS,
        "edit": Action.EDIT_MEMBERS,
        "archive": Action.EDIT_MEMBERS,
        "restore": Action.EDIT_MEMBERS,
        "delete": Action.DELETE_MEMBERS,
        "import": Action.IMPORT,
        "export": Action.EXPORT,
    }

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

    # -- which keys apply ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
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
