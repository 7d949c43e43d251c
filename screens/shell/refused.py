"""A save the store refused, answered one way by every form over one stored record.

The member, session, settings, shift and template forms and the account dialogs each had their
own copy of the same answer: the save worker turned the store's refusal into a message (bad
fields, someone else's save, the record deleted meanwhile, or one plain sentence), and the
form then stopped saving, cleared its line, and either asked the shared conflict question
(screens/shell/conflict.py), said the record was gone, or wrote each problem under its field.
:class:`SaveRefused` and :class:`AnswersRefusals` hold it once, so a new form inherits it; a
form says only its own words (its conflict question, what "gone" means for it).

It is a mixin, not a base screen, because the section forms are section screens
(screens/shell/form_screen.py ``RecordForm``) and the account forms are modal dialogs
(screens/manage/account_forms.py): the answer is the same, their Textual classes are not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from textual.message import Message

from store.errors import Conflict, NotFound, StoreError, ValidationError


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
