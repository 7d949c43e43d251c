"""The session form: a new training session (n) or changes to one (e).

One field a row: title, kind, date and start, how the hours are credited (a full day 8, a
half day 4, or as given) and the hours, the volunteer-service hours a theme day also credits,
trainer, place, who it is for (everyone, a category, a branch or a list) and, for a category
or a branch, which one, and a note. Choices change with Left/Right or Space; dates and hours
are typed the forgiving ways the store reads (2026-03-01, 3月1日; 2, 1.5小时). Enter moves on;
Ctrl+S saves; Esc goes back, asking first when there are edits.

The store checks everything in a worker (hours a number from 0.5 to 24 in half-hour steps, a
date not in a closed year...): each problem is written under its field and nothing is saved.
If someone saved the session meanwhile, the person chooses: load theirs, overwrite, or keep
editing. After it is dismissed, :attr:`SessionFormScreen.saved_id` is the saved session's id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message

from screens.shell.form_screen import RecordForm
from screens.shell.session import Session
from screens.widgets.choice import ChoiceField
from screens.widgets.form import (
    FormField,
    LabelledField,
    all_fields,
    clear_errors,
)
from screens.widgets.scroll import TextScroll
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.enums import Audience, Category, HoursRule, TrainingKind, choices, label
from store.errors import StoreError
from store.fields import NAME_MAX, NOTE_MAX
from store.i18n import N_, _
from store.permissions import Action
from store.training.model import TrainingSession

TEXTS = {
    "title": (N_("Title"), 80),
    "date": (N_("Date"), 20),
    "start": (N_("Start time"), 10),
    "hours": (N_("Study hours"), 8),
    "service_hours": (N_("Service hours (theme day)"), 8),
    "trainer": (N_("Trainer"), NAME_MAX),
    "place": (N_("Place"), 80),
    "audience_value": (N_("Which category or branch"), NAME_MAX),
    "note": (N_("Note"), NOTE_MAX),
}
CHOICES = {
    "kind": (N_("Kind"), TrainingKind, False),
    "rule": (N_("Hours credited"), HoursRule, True),
    "audience": (N_("For"), Audience, True),
}
ORDER = (
    "title",
    "kind",
    "date",
    "start",
    "rule",
    "hours",
    "service_hours",
    "trainer",
    "place",
    "audience",
    "audience_value",
    "note",
)


def number_text(value: float) -> str:
    return f"{value:g}" if value else ""


def form_values(session: TrainingSession) -> dict[str, str]:
    """What each field shows for ``session`` (a new one: the model's defaults)."""
    value = session.audience_value
    if session.audience is Audience.CATEGORY and value in Category._value2member_map_:
        value = label(Category(value))
    return {
        "title": session.title,
        "kind": session.kind.value,
        "date": session.date.isoformat() if session.date else "",
        "start": session.start.strftime("%H:%M") if session.start else "",
        "rule": session.rule.value,
        "hours": number_text(session.hours) if session.rule is HoursRule.GIVEN else "",
        "service_hours": number_text(session.service_hours),
        "trainer": session.trainer,
        "place": session.place,
        "audience": session.audience.value,
        "audience_value": value,
        "note": " / ".join(session.note.splitlines()),
    }


def make_field(name: str) -> LabelledField:
    if name in CHOICES:
        text, enum, show_all = CHOICES[name]
        options = [(member.value, words) for member, words in choices(enum)]
        return ChoiceField(name, _(text), options, show_all=show_all)
    text, size = TEXTS[name]
    return FormField(name, _(text), max_length=size)


class SessionFormScreen(RecordForm):
    """A new session (``session_id`` None) or the session with ``session_id``, as a form."""

    MESSAGE_ID = "session-form-message"
    FOLDING_MESSAGE = True
    TABLE = "trainings"
    DROP_QUESTION = N_("Your changes to this session are not saved. Drop them?")
    OPENS_FOR = Action.EDIT_TRAINING

    @dataclass
    class Saved(Message):
        """The store took the session; ``doc`` is the stored record."""

        doc: Mapping[str, Any]

    def __init__(self, session: Session, title: str, session_id: str | None = None) -> None:
        super().__init__(session, title, session_id, id="session-form-screen")
        self.session_id = session_id

    def compose_body(self) -> ComposeResult:
        heading = _("New training session") if self.session_id is None else _("Edit session")
        with TextScroll(id="session-form"):
            yield SafeLabel(heading, id="session-form-title")
            for name in ORDER:
                yield make_field(name)
        yield SafeLabel("", id="session-form-message")

    def on_mount(self) -> None:
        all_fields(self)[0].input.focus()  # RecordForm's on_mount then closes it if refused

    # -- loading -------------------------------------------------------------------------------

    def prepare(self, snapshot: Snapshot) -> TrainingSession | None:
        from store.training.sessions import get_session

        if self.session_id is None:
            return TrainingSession(date=self.session.db.today())
        return get_session(snapshot, self.session.acting, self.session_id)

    def show(self, view: TrainingSession | None) -> None:
        if view is None:
            self.notify(_("This session is no longer there."), severity="warning", markup=False)
            self.dismiss(None)
            return
        if (self.session_id is None and self.filled) or self.has_unsaved_edits():
            return
        self.fill(view)

    def fill(self, session: TrainingSession) -> None:
        """Show ``session`` and take it as the unedited state."""
        self.version = session.version
        clear_errors(self.fields())
        self.fill_values(form_values(session))

    def conflict_words(self) -> tuple[str, str]:
        return (
            _("Someone else saved this session while you were editing."),
            _("Not saved: someone else changed this session meanwhile."),
        )

    def stored_values(self, doc: Mapping[str, Any]) -> dict[str, str]:
        return form_values(TrainingSession.from_doc(doc))

    def fill_record(self, doc: Mapping[str, Any]) -> None:
        self.fill(TrainingSession.from_doc(doc))

    # -- saving --------------------------------------------------------------------------------

    def edits(self, values: Mapping[str, str] | None = None) -> dict[str, str]:
        """Every field of a new session; an edit's changed fields only (the rule and the hours
        both, when either changed: the store reads the pair together)."""
        held = self.values() if values is None else values
        changed = super().edits(held)
        if self.session_id is not None and ("rule" in changed or "hours" in changed):
            changed["rule"], changed["hours"] = held["rule"], held["hours"]
        return changed

    def action_save(self, expected_version: int | None = None) -> None:
        """Save the session (Ctrl+S); the store checks every field and the version."""
        if not self.filled or self.saving or not self.permitted(Action.EDIT_TRAINING):
            return
        clear_errors(self.fields())
        self.say(_("Saving…"))
        self.saving = True
        version = self.version if expected_version is None else expected_version
        self._save(self.edits(), version)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, edits: Mapping[str, object], expected_version: int) -> None:
        from store.training import ops

        db, actor = self.session.db, self.session.acting
        try:
            if self.session_id is None:
                doc = ops.add_session(db, actor, edits)
            else:
                doc = ops.update_session(db, actor, self.session_id, edits, expected_version)
        except StoreError as error:  # bad fields, a newer version, gone, busy...
            self.post_message(self.Refused.of(error))
        else:
            self.post_message(self.Saved(doc))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saving = False
        self.saved_id = str(message.doc["id"])
        self.take_baseline()
        self.notify(_("Saved {title}.").format(title=message.doc.get("title", "")), markup=False)
        self.dismiss(None)

    def save_over(self, expected_version: int) -> None:
        self.action_save(expected_version=expected_version)

    def record_gone(self, said: str) -> None:
        self.say(_("This session is no longer there; nothing can be saved."))
