"""The make-up dialog: a member made a session up (补课) on a day, for some hours.

Two fields, the day (today unless changed) and the hours (the session's unless fewer); Enter
on the last or Ctrl+S saves it at once through the store, which checks it (not before the
session, not in the future, not more hours than the session, not in a closed year): each
problem is written under its field and nothing is saved. A member outside the session's
audience is recorded only after a yes. Returns True when saved.

The save carries the session's version as the dialog opened it (a make-up replaces the
member's mark, which someone may have set meanwhile). When another session saved the session
since, the store refuses (Conflict) and the dialog answers on the shared refusal path
(screens/shell/refused.py) with the shared question (screens/shell/conflict.py): who saved and
what of it matters here (the member's mark, the session's hours, day or title), then "reload
theirs" takes the session as it is now, "overwrite with mine" saves the make-up over it, and
"cancel" saves nothing. Whatever the answer, the day and hours typed stay in the fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label

from screens.shell.conflict import resolve_conflict
from screens.shell.dialogs import ConfirmDialog
from screens.shell.form_dialog import FormDialog
from screens.shell.session import Session
from screens.widgets.footer import FittingFooter
from screens.widgets.form import FormField, form_fields
from screens.widgets.text import SafeLabel
from store.enums import label
from store.errors import Conflict, StoreError
from store.i18n import _
from store.training.model import Attendance, TrainingSession


class MakeupDialog(FormDialog[bool]):
    """Record one member's make-up of ``training``."""

    MESSAGE_ID = "makeup-message"
    CANCELLED = False

    @dataclass
    class Outside(Message):
        """The member is not in the session's audience: ask before recording it."""

        question: str

    def __init__(
        self,
        session: Session,
        training: TrainingSession,
        member_id: str,
        member_name: str,
        version: int,
    ) -> None:
        super().__init__(session, id="makeup")
        self.training = training
        self.member_id = member_id
        self.member_name = member_name
        self.version = version
        self.outside_allowed = False  # a yes to "not in the audience" was given

    def heading(self) -> str:
        return _("Make-up of “{title}” by {name}").format(
            title=self.training.title, name=self.member_name
        )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="makeup-dialog"):
            yield SafeLabel(self.heading(), classes="dialog-question", id="makeup-heading")
            today = self.session.db.today().isoformat()
            yield FormField("date", _("Made up on"), value=today, max_length=20)
            hours = f"{self.training.hours:g}"
            yield FormField("hours", _("Hours"), value=hours, max_length=8)
            yield SafeLabel("", id="makeup-message", classes="training-message")
            yield Label(
                _("Enter on the hours or Ctrl+S saves it now."),
                classes="dialog-hint",
                markup=False,
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        form_fields(self)[0].input.focus()

    def action_save(self, allow_outside: bool = False) -> None:
        """Save the make-up (Ctrl+S)."""
        if self.begin_save():
            self.outside_allowed = allow_outside
            self._save(self.values(), allow_outside)

    @work(thread=True, exclusive=True, group="makeup")
    def _save(self, raw: dict[str, str], allow_outside: bool) -> None:
        from store.training import ops

        try:
            ops.record_makeup(
                self.session.db,
                self.session.acting,
                self.training.id,
                self.member_id,
                raw,
                self.version,
                allow_outside=allow_outside,
            )
        except ops.OutsideAudience as error:
            self.post_message(self.Outside(str(error)))
        except StoreError as error:  # bad fields, a newer session, a volunteer, busy... (said)
            self.post_message(self.Refused.of(error))
        else:
            self.post_message(self.Saved(True))

    def saved_text(self) -> str:
        return _("Make-up saved for {name}.").format(name=self.member_name)

    @on(Outside)
    def _outside(self, message: Outside) -> None:
        self.saving = False

        def answered(yes: bool | None) -> None:
            if yes:
                self.action_save(allow_outside=True)

        self.app.push_screen(
            ConfirmDialog(message.question, yes=_("Record it"), no=_("Not yet")), answered
        )

    # -- someone else's save of the session ---------------------------------------------------

    def resolve(self, conflict: Conflict) -> None:
        """Another session saved the session since the dialog opened: say who and what of it
        matters to this make-up, and ask (see the module); what was typed stays."""
        current = conflict.current
        resolve_conflict(
            self,
            self.session,
            conflict,
            question=_("Someone else saved this session while you typed the make-up."),
            not_saved=_("The make-up is not saved; the day and hours you typed are still here."),
            changed=self.their_changes(TrainingSession.from_doc(current)),
            fill=lambda: self.take_session(current),
            save=self.save_over,
            say=self.say,
        )

    def their_changes(self, theirs: TrainingSession) -> list[str]:
        """What the other save changed that this make-up depends on ("王五: Present", the
        session's hours...), as the conflict question lists it."""
        mine = self.training
        changed: list[str] = []
        before, after = _row(mine, self.member_id), _row(theirs, self.member_id)
        if before != after:
            status = label(after.status) if after is not None else _("not marked")
            changed.append(_("{name}: {status}").format(name=self.member_name, status=status))
        for field, name in (("hours", _("Hours")), ("date", _("Date")), ("title", _("Title"))):
            if getattr(mine, field) != getattr(theirs, field):
                changed.append(name)
        others = [a for a in mine.attendance if a.member_id != self.member_id]
        if others != [a for a in theirs.attendance if a.member_id != self.member_id]:
            changed.append(_("others' marks"))
        return changed

    def take_session(self, doc: Mapping[str, Any]) -> None:
        """ "Reload theirs": the session as it is now, its version the one the next save goes
        over; the day and hours typed stay."""
        self.training = TrainingSession.from_doc(doc)
        self.version = int(doc.get("version") or 0)
        self.query_one("#makeup-heading", SafeLabel).update(self.heading())
        self.say(_("The session is read again as they saved it; Ctrl+S saves your make-up."))

    def save_over(self, expected_version: int) -> None:
        """ "Overwrite with mine": the make-up saved over the session as it is now."""
        self.version = expected_version
        self.action_save(allow_outside=self.outside_allowed)

    def record_gone(self, said: str) -> None:
        self.say(_("This session was deleted meanwhile; the make-up cannot be saved."))


def _row(training: TrainingSession, member_id: str) -> Attendance | None:
    return next((a for a in training.attendance if a.member_id == member_id), None)
