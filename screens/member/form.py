"""The member form: a new member (n on the roster) or changes to one (e).

Every field of a member, in short groups under bold headings, in a column that scrolls (the
focused field is scrolled into view). Text is typed as people write it: dates like 1958-03-12,
1958.03 or 1958年3月, phones with spaces, dashes or +86; the store parses and tidies them, and
the form shows the stored form when it is opened again (a month-only date as 1958-03). Fixed
choices (gender, category...) are :class:`~screens.widgets.choice.ChoiceField` rows changed with
Left/Right or Space. Enter moves to the next field; Ctrl+S saves; Esc goes back, asking first
when there are edits.

Saving happens in a worker: it validates first (so the phone is in its stored form), looks for
a member who seems to be the same person (same name and birth date, or same phone: the import's
matching rule, :func:`store.members.ops.duplicates`) and, if there is one, asks on the UI thread
whether to save anyway. An edit sends only the fields the person changed, over the stored
record: when someone else saved the member meanwhile, the person chooses to load theirs,
overwrite (their changes to fields this form did not touch stay), or keep editing.

Notes are one line here; a stored note with line breaks shows them as " / ", and is kept as it
was unless the note is edited. The fields, their groups and texts are in
:mod:`screens.member.fields`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.events import ScreenResume
from textual.message import Message
from textual.widgets import Label

from screens.member.fields import (
    GROUPS,
    HINTS,
    MATCHED,
    duplicate_question,
    form_values,
    make_field,
)
from screens.shell.dialogs import ConfirmDialog
from screens.shell.form_screen import RecordForm
from screens.shell.session import Session
from screens.widgets.form import all_fields, clear_errors, problems
from screens.widgets.scroll import TextScroll
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.errors import NotFound, StoreError
from store.i18n import N_, _
from store.members.model import Member
from store.permissions import Action


class MemberFormScreen(RecordForm):
    """A new member (``member_id`` None) or the member with ``member_id``, as a form.

    After it is dismissed, :attr:`saved_id` is the id of the member it saved, or None.
    """

    MESSAGE_ID = "member-form-message"
    FOLDING_MESSAGE = True
    TABLE = "members"
    DROP_QUESTION = N_("Your changes to this member are not saved. Drop them?")
    OPENS_FOR = Action.EDIT_MEMBERS

    @dataclass
    class Saved(Message):
        """The store took the member; ``doc`` is the stored record."""

        doc: Mapping[str, Any]

    @dataclass
    class Duplicates(Message):
        """Members that look like the same person were found; nothing was saved yet."""

        found: list[Mapping[str, Any]]
        expected_version: int

    def __init__(self, session: Session, title: str, member_id: str | None = None) -> None:
        super().__init__(session, title, member_id, id="member-form-screen")
        self.member_id = member_id
        self.gone = False  # the member was deleted while the form was open
        self._leave_on_resume = False

    # -- building ------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with TextScroll(id="member-form"):
            yield SafeLabel(self._title_text(""), id="member-form-title")
            for heading, names in GROUPS:
                if heading:
                    yield Label(_(heading), classes="form-heading", markup=False)
                else:
                    yield Label("", classes="form-gap")
                for name in names:
                    yield make_field(name)
                    if name in HINTS:
                        yield Label(_(HINTS[name]), classes="field-hint", markup=False)
        # Below the scrolling fields, so it is seen wherever the form is scrolled to.
        yield SafeLabel("", id="member-form-message")

    def _title_text(self, name: str) -> str:
        if self.member_id is None:
            return _("New member")
        return _("Editing {name}").format(name=name) if name else _("Editing a member")

    def on_mount(self) -> None:
        all_fields(self)[0].input.focus()  # RecordForm's on_mount then closes it if refused

    # -- loading -------------------------------------------------------------------------------

    def prepare(self, snapshot: Snapshot) -> Mapping[str, Any] | None:
        from store.members.ops import TABLE

        if self.member_id is None:
            return {}  # a new member: the model's defaults
        return snapshot.get(TABLE, self.member_id)

    def show(self, view: Mapping[str, Any] | None) -> None:
        if view is None:
            self._member_gone()
            return
        if (self.member_id is None and self.filled) or self.has_unsaved_edits():
            return  # keep the person's edits; saving will meet the newer version
        self.fill_record(view)

    def conflict_words(self) -> tuple[str, str]:
        return (
            _("Someone else saved this member while you were editing."),
            _("Not saved: someone else changed this member meanwhile."),
        )

    def stored_values(self, doc: Mapping[str, Any]) -> dict[str, str]:
        return form_values(Member.from_doc(doc))

    def fill_record(self, doc: Mapping[str, Any]) -> None:
        """Show member ``doc`` in the form and take it as the unedited state."""
        member = Member.from_doc(doc)
        self.version = member.version
        clear_errors(self.fields())
        self.fill_values(form_values(member))
        self.query_one("#member-form-title", SafeLabel).update(self._title_text(member.name))

    def _member_gone(self) -> None:
        """The member is not in the file (deleted, perhaps by someone else)."""
        self.gone = True
        message = _("This member is no longer on the roster; someone may have deleted them.")
        if self.filled and self.has_edits():
            self.say(message + " " + _("Nothing can be saved."))
            return
        self.notify(message, severity="warning", markup=False)
        self._leave()

    def has_unsaved_edits(self) -> bool:
        return not self.gone and super().has_unsaved_edits()

    def field_problems(self) -> Mapping[str, str]:
        from store.members.validation import validate_member

        today = self.session.db.today()
        return problems(lambda: validate_member(self.values(), today=today))

    # -- saving --------------------------------------------------------------------------------

    def action_save(
        self, expected_version: int | None = None, check_duplicates: bool = True
    ) -> None:
        """Save the form (Ctrl+S); the store checks every field and the version."""
        if not self.filled or self.saving or not self.permitted(Action.EDIT_MEMBERS):
            return
        if self.gone:
            self.say(_("This member is no longer on the roster; nothing can be saved."))
            return
        clear_errors(self.fields())
        self.say(_("Saving…"))
        self.saving = True
        version = self.version if expected_version is None else expected_version
        # An edit sends only the fields changed (RecordForm.edits): a changed date is read from
        # its text (1958-03-01 typed over 1958-03 is the 1st); an untouched one keeps its stored
        # precision, month-only or not (store.members.ops.merge_edits).
        self._save(self.edits(), version, check_duplicates)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, edits: Mapping[str, object], expected_version: int, check: bool) -> None:
        from store.members import ops as members

        db, actor = self.session.db, self.session.acting
        try:
            if check:
                found = self._duplicates(edits)
                if found:
                    self.post_message(self.Duplicates(found, expected_version))
                    return
            if self.member_id is None:
                doc = members.add(db, actor, edits)
            else:
                doc = members.update(db, actor, self.member_id, edits, expected_version)
        except StoreError as error:  # bad fields, a newer version, gone, busy...
            self.post_message(self.Refused.of(error))
        else:
            self.post_message(self.Saved(doc))

    def _duplicates(self, edits: Mapping[str, object]) -> list[Mapping[str, Any]]:
        """Others who look like the member being saved, as the acting user may see them.

        Runs in the save worker. Validates first, so the phone and dates compare in their stored
        form; an edit that leaves name, birth date and phone as they were is not checked again.
        Raises ValidationError or NotFound like the save itself would.
        """
        from store.members import ops as members
        from store.members.validation import validate_member
        from store.privacy import member_view

        db = self.session.db
        snapshot = db.snapshot()
        if self.member_id is None:
            doc = validate_member(edits, today=db.today())
        else:
            current = snapshot.get(members.TABLE, self.member_id)
            if current is None:
                raise NotFound(_("This member is no longer on the roster."))
            doc = validate_member(members.merge_edits(current, edits), today=db.today())
            if all(doc.get(key) == current.get(key) for key in MATCHED):
                return []
        found = members.duplicates(snapshot, doc, exclude_id=self.member_id)
        return [member_view(other, self.session.acting) for other in found]

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saving = False
        self.saved_id = str(message.doc["id"])
        self.take_baseline()
        self.say("")
        name = str(message.doc.get("name", ""))
        self.notify(_("Saved {name}.").format(name=name), markup=False)
        self._leave()

    def record_gone(self, said: str) -> None:
        """Deleted meanwhile: nothing here can be saved any more (Esc leaves without asking)."""
        self.gone = True
        self.say(_("This member is no longer on the roster; nothing can be saved."))

    @on(Duplicates)
    def _duplicates_found(self, message: Duplicates) -> None:
        self.saving = False
        self.say("")

        def answered(save: bool | None) -> None:
            if save:
                self.action_save(expected_version=message.expected_version, check_duplicates=False)
            else:
                self.say(_("Not saved yet: check the member, then press Ctrl+S again."))

        self.app.push_screen(
            ConfirmDialog(
                duplicate_question(message.found), yes=_("Save anyway"), no=_("Keep editing")
            ),
            answered,
        )

    def save_over(self, expected_version: int) -> None:
        # Asked about duplicates already, before the save that met the conflict.
        self.action_save(expected_version=expected_version, check_duplicates=False)

    # -- leaving -------------------------------------------------------------------------------

    def _leave(self) -> None:
        """Close the form now, or when it is on top again (a dialog or help may cover it)."""
        if self.is_current:
            self.dismiss(None)
        else:
            self._leave_on_resume = True

    @on(ScreenResume)
    def _resumed_to_leave(self) -> None:
        if self._leave_on_resume:
            self._leave_on_resume = False
            self.dismiss(None)
