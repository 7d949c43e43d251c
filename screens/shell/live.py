"""Dialogs that show store data follow other sessions' changes, as section screens do.

The App watches the data file and posts :class:`~screens.shell.messages.DataChanged` to the
screens in view: the one on top and those a dialog leaves visible (tui/app.py). A section
screen re-reads on it (:class:`~screens.shell.base.SectionScreen`); a dialog that shows what
it read from the store (the assign list with its fairness hints, the members a form links
to) mixes in :class:`LiveDialog` and re-reads on the same message, so there is one watcher
and one path, whatever brings the change to the file or the store.

A dialog re-reads only when a change touched a table it shows (:attr:`LiveDialog.VIEW_TABLES`),
told the way section screens are told: ``DataChanged`` says only that the file changed; what
changed is carried by the store's versions, whose models follow the change log
(store/engine/follow.py). A section screen's view is kept with the version
(``Snapshot.kept``) while no change touches its tables; a dialog's read is too big to keep
after the dialog closes (the assign list holds every current member), so the dialog keeps a
*mark* there instead, a small object kept the same way, and takes the mark of the data it
shows. On a change it looks (a worker: the session's version followed, as the screens under
it do anyway): the same mark means nothing it shows changed, and it reads nothing. A change
the log cannot spell out (a restore, a file replaced) makes a version read whole, which
holds no mark: a new one, so the dialog reads again.

A re-read keeps the person's place: the dialog shows the new data under the search text
still typed and with the same record selected (by its id), as section screens' ``show`` does.

A dialog with a member picker (:class:`~screens.widgets.member_picker.MemberPicker`: a form
linking an account's member or a team's leader, the "add a team member" dialog) mixes in
:class:`LiveMembers`, which is that for the picker's index:
it reads the index, and reads it again when another session changed the members, so one added
meanwhile is found by typing and one deleted meanwhile is said at the field before the save;
the picker keeps what was typed and the member chosen, by id, through the new index.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from screens.shell.messages import DataChanged
from screens.shell.session import Session
from screens.widgets.member_picker import MemberPicker
from store.engine.storage import StatKey
from store.errors import StoreError

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from store.engine.snapshot import Snapshot
    from store.members.ops import MemberIndex


class Mark:
    """What a dialog's mark is: an object that is only ever compared by identity."""

    __slots__ = ()


def _new_mark(_snapshot: Snapshot) -> Mark:
    return Mark()


class LiveDialog:
    """Mix into a dialog (before its Textual class) that shows data read from the store.

    The dialog sets :attr:`VIEW_TABLES` (the tables its read is made from), takes
    :meth:`mark_of` the snapshot it reads in its worker, hands the snapshot's token and that
    mark to :meth:`now_shows` when its read lands, and implements :meth:`reread` (read again
    in a worker, then show it keeping the search text and the selection). A change the
    dialog already shows (its own save, re-read at once) costs one stat and nothing else; a
    change of other tables a look in a worker, no read.
    """

    VIEW_TABLES: ClassVar[frozenset[str] | None] = None
    """The tables the dialog's read is made from (None: read again on every change)."""

    session: Session
    data_token: StatKey | None = None
    """The token of the snapshot the dialog shows (None: nothing read yet)."""
    data_mark: Mark | None = None
    """The mark of the version the dialog's data was read from (see the module)."""

    if TYPE_CHECKING:

        def post_message(self, message: Message) -> bool: ...

    @dataclass
    class Looked(Message, bubble=False):
        """The worker looked at the current version: its token, and the mark of the tables
        the dialog shows (None: it could not say)."""

        token: StatKey | None
        mark: Mark | None

    def mark_of(self, snapshot: Snapshot) -> Mark | None:
        """The mark of :attr:`VIEW_TABLES` in ``snapshot`` (worker thread): the same object in
        every later version while no change touches one of them."""
        tables = self.VIEW_TABLES
        if tables is None:
            return None
        return snapshot.kept("live-mark:" + ",".join(sorted(tables)), tables, _new_mark)

    def now_shows(self, token: StatKey | None, mark: Mark | None) -> None:
        """The dialog's read landed (UI thread): what it shows is of ``token``, ``mark``."""
        self.data_token = token
        self.data_mark = mark

    def on_data_changed(self, message: DataChanged) -> None:
        """The App saw the data file change: re-read if what is shown is older and one of its
        tables changed (or what changed cannot be told)."""
        if self.data_token is not None and not self.session.db.changed_since(self.data_token):
            return
        if self.data_mark is None:
            self.reread()
        else:
            self._look()

    @work(thread=True, exclusive=True, group="live-look")
    def _look(self) -> None:
        try:
            snapshot = self.session.db.snapshot()
            mark = self.mark_of(snapshot)
        except StoreError:
            token, mark = None, None  # the re-read says what is wrong
        else:
            token = snapshot.token
        if not get_current_worker().is_cancelled:
            self.post_message(self.Looked(token, mark))

    def on_live_dialog_looked(self, message: LiveDialog.Looked) -> None:
        if message.mark is not None and message.mark is self.data_mark:
            self.data_token = message.token  # none of its tables changed: nothing to read
        else:
            self.reread()

    def reread(self) -> None:
        """Read the data again and show it, keeping the search text and the selection."""
        raise NotImplementedError


class LiveMembers(LiveDialog):
    """Mix into a dialog (before its classes) whose :class:`MemberPicker` follows the members.

    The dialog calls :meth:`read_members` once mounted; the index is built in a worker, handed
    to the picker, and built again when another session changed the members (a contact or a
    shift saved elsewhere reads nothing). A read the store refuses is said by the dialog's
    ``say_problems`` (a form: on its line; a dialog whose only field is the picker: at the
    picker), as is a member the picker could not read. The handlers go by Textual's naming
    rule, as a mixin's must: the dialog must not handle these messages itself.
    """

    VIEW_TABLES = frozenset({"members"})
    """What the picker's index is read from."""

    if TYPE_CHECKING:

        def say_problems(self, errors: Mapping[str, str]) -> None: ...

    @dataclass
    class IndexReady(Message, bubble=False):
        """The members the picker finds were read, from the version of ``token``, ``mark``."""

        index: MemberIndex
        token: StatKey | None = None
        mark: Mark | None = None

    def _picker(self) -> MemberPicker | None:
        """The form's member picker (a form of the family may have none)."""
        pickers = cast("DOMNode", self).query(MemberPicker)
        return pickers.first() if pickers else None

    def read_members(self) -> None:
        """Read the picker's index (the form has just mounted); a member the index lacks is
        read from the store as the person at the keyboard may see them."""
        picker = self._picker()
        if picker is not None:
            picker.read_from(self.session.db, self.session.acting)
            self._read_members()

    def reread(self) -> None:
        """Another session changed the members: read the index again (what is typed and the
        member chosen stay)."""
        if self._picker() is not None:
            self._read_members()

    @work(thread=True, exclusive=True, group="live-members")
    def _read_members(self) -> None:
        from store.members.ops import MemberIndex

        try:
            snapshot = self.session.db.snapshot()
            mark = self.mark_of(snapshot)
            index = MemberIndex(snapshot, self.session.acting)
        except StoreError as error:
            self.post_message(MemberPicker.IndexFailed(str(error)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.IndexReady(index, snapshot.token, mark))

    def on_live_members_index_ready(self, message: LiveMembers.IndexReady) -> None:
        picker = self._picker()
        if picker is not None:
            self.now_shows(message.token, message.mark)
            picker.use_index(message.index)

    def on_member_picker_index_failed(self, message: MemberPicker.IndexFailed) -> None:
        message.stop()
        self.say_problems({"": message.reason})
