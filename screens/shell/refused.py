"""A save the store refused, answered one way by every form over one stored record.

The member, session, settings, shift and template forms and the account dialogs each had their
own copy of the same answer: the save worker turned the store's refusal into a message (bad
fields, someone else's save, the record deleted meanwhile, or one plain sentence), and the
form then stopped saving, cleared its line, and either asked the shared conflict question
(screens/shell/conflict.py), said the record was gone, or wrote each problem under its field.
:class:`SaveRefused` and :class:`AnswersRefusals` hold it once, so a new form inherits it; a
form says only its own words (its conflict question, what "gone" means for it).

It is a mixin, not a base screen, because the section forms are section screens
(screens/shell/form_screen.py ``RecordForm``) and the dialogs, the account forms among them,
are modal dialogs (screens/shell/form_dialog.py ``FormDialog``): the answer is the same,
their Textual classes are not.

:class:`EditsStoredRecord` adds what editing one stored record means, the same for the section
forms (``RecordForm``) and the small dialogs (screens/shell/form_dialog.py ``FormDialog``),
which each had a near-copy of it: the edits are only the fields changed against what was
opened, "reload theirs" puts the stored record in the fields, and someone else's save is met
by the shared conflict question. A form gives its words (:meth:`~EditsStoredRecord.
conflict_words`) and what its fields show for a stored record
(:meth:`~EditsStoredRecord.stored_values`) one way, whichever Textual class it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from textual.message import Message
from textual.screen import Screen

from screens.shell.conflict import resolve_conflict
from screens.shell.session import Session
from screens.widgets.form import LabelledField, clear_errors
from store.errors import Conflict, NotFound, StoreError, ValidationError
from store.i18n import _
from store.records import whole


@dataclass
class SaveRefused(Message):
    """The store refused a save: field -> problem ("" for one that belongs to no field), or
    someone else's save (``conflict``), or the record deleted meanwhile (``gone``)."""

    errors: dict[str, str]
    conflict: Conflict | None = None
    gone: bool = False

    @classmethod
    def of(cls, error: StoreError) -> SaveRefused:
        """The refusal for ``error`` as the save worker caught it.

        A deleted record keeps the store's sentence, for a form that has no words of its own.
        """
        if isinstance(error, ValidationError):
            return cls(dict(error.errors))
        if isinstance(error, Conflict):
            return cls({}, error)
        if isinstance(error, NotFound):
            return cls({"": str(error)}, gone=True)
        return cls({"": str(error)})  # PermissionDenied, DatabaseBusy, WriteFailed...


class _Answering(Protocol):
    """What a form mixing in :class:`AnswersRefusals` has."""

    saving: bool

    def say(self, message: str) -> None: ...

    def say_problems(self, errors: Mapping[str, str]) -> None: ...

    def resolve(self, conflict: Conflict) -> None: ...

    def record_gone(self, said: str) -> None: ...


class AnswersRefusals:
    """Mix into a form (before its Textual class) whose save worker posts
    :class:`SaveRefused`; the form has ``saving``, ``say``, ``say_problems`` (each problem
    under its field, the rest on the line) and ``resolve`` (the conflict question), and may
    override :meth:`record_gone`.

    The handler goes by Textual's naming rule (``on_save_refused``), as a mixin's must: a
    form must not define another one, or both would run.
    """

    def on_save_refused(self: _Answering, message: SaveRefused) -> None:
        """Saving is over: ask about someone else's save, say the record is gone, or show the
        problems; nothing was saved and the person's edits stay in the fields."""
        self.saving = False
        self.say("")
        if message.conflict is not None:
            self.resolve(message.conflict)
        elif message.gone:
            self.record_gone(" ".join(message.errors.values()))
        else:
            self.say_problems(message.errors)

    def record_gone(self: _Answering, said: str) -> None:
        """Someone deleted the record while it was being edited: by default the store's
        sentence ``said`` under the form; a form says it in its own words."""
        self.say(said)


class _Editing(_Answering, Protocol):
    """What a form mixing in :class:`EditsStoredRecord` has (its form base gives the rest)."""

    session: Session
    baseline: dict[str, str]
    version: int
    RELOADED: ClassVar[str]

    def record_id(self) -> str | None: ...

    def fields(self) -> list[LabelledField]: ...

    def values(self) -> dict[str, str]: ...

    def fill_values(self, values: Mapping[str, str]) -> None: ...

    def conflict_words(self) -> tuple[str, str] | None: ...

    def stored_values(self, doc: Mapping[str, Any]) -> dict[str, str]: ...

    def fill_record(self, doc: Mapping[str, Any]) -> None: ...

    def save_over(self, expected_version: int) -> None: ...


class EditsStoredRecord(AnswersRefusals):
    """Mix into a form over one stored record (before its Textual class), a section form or a
    dialog alike: :meth:`edits`, :meth:`fill_record` and :meth:`resolve` are written once.

    The form has what :class:`AnswersRefusals` asks, plus ``session``, ``baseline`` (the
    fields as opened: edits are what differs), ``version`` (the stored version the edits began
    from), ``record_id()`` (None for a new record), ``fields()``, ``values()`` and
    ``fill_values()`` (show values and take them as the unedited state). It gives its own:
    :meth:`conflict_words` (None: it only adds, and says the store's sentence),
    :meth:`stored_values` and :meth:`save_over`; it may override :meth:`fill_record` to show
    more than the fields (a title), and :meth:`edits` to send fields together.
    """

    RELOADED: ClassVar[str] = ""
    """Said under the fields once "reload theirs" shows their record (a msgid; "" for
    nothing)."""

    def conflict_words(self) -> tuple[str, str] | None:
        """What the conflict question asks and what "cancel" then says under the fields
        (translated); None for a form that does not edit a stored record: it says the store's
        sentence instead."""
        return None

    def stored_values(self, doc: Mapping[str, Any]) -> dict[str, str]:
        """What each field shows for the stored record ``doc`` (by store field)."""
        raise NotImplementedError

    def save_over(self, expected_version: int) -> None:
        """Save the edits over ``expected_version`` (the conflict's "overwrite with mine")."""
        raise NotImplementedError

    def edits(self: _Editing, values: Mapping[str, str] | None = None) -> dict[str, str]:
        """Every field of a new record; an edit's changed fields only (so that "overwrite with
        mine" writes nothing else over someone else's save).

        ``values`` is what the fields hold, read now when not given (a save worker, which may
        not read widgets, passes what the form read before it started).
        """
        held = self.values() if values is None else dict(values)
        if self.record_id() is None:
            return held
        return {k: v for k, v in held.items() if v != self.baseline.get(k)}

    def fill_record(self: _Editing, doc: Mapping[str, Any]) -> None:
        """Show the stored record ``doc`` as the unedited state (the conflict's "reload
        theirs": the record as someone else saved it), its version the one the next save
        begins from."""
        self.version = whole(doc, "version", 0)
        clear_errors(self.fields())
        self.fill_values(self.stored_values(doc))
        if self.RELOADED:
            self.say(_(self.RELOADED))

    def resolve(self: _Editing, conflict: Conflict) -> None:
        """Someone saved the record meanwhile: load theirs, overwrite with these edits, or
        keep editing (the question every form asks); a form that only adds says it."""
        words = self.conflict_words()
        if words is None:
            self.say(str(conflict))
            return
        assert isinstance(self, Screen)  # a form is a screen: the question goes over it
        question, not_saved = words
        current = conflict.current
        resolve_conflict(
            self,
            self.session,
            conflict,
            question=question,
            not_saved=not_saved,
            baseline=self.baseline,
            theirs=self.stored_values(current),
            fill=lambda: self.fill_record(current),
            save=self.save_over,
            say=self.say,
        )
