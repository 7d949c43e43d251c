"""A form field that chooses one member by typing: a name, its pinyin initials or full pinyin.

The volunteer types in the field as in the roster's search (张三, ``zs``, ``zhangsan``, part of
a phone); the best matches are listed under it, and Up/Down pick among them while the caret
stays in the field (Enter moves on, as in every form). The chosen member is the highlighted
line; an empty field chooses nobody. Matches come from a :class:`store.members.ops.MemberIndex`
built for the person at the keyboard (so the privacy rule decides what can be found): the form
calls :meth:`MemberPicker.read_members`, which builds it in a worker and uses it once built (or
posts :class:`MemberPicker.IndexFailed` for the form to say), or hands one in with
:meth:`MemberPicker.use_index` (after :meth:`MemberPicker.read_from`).

A form shows a stored link by id alone (``MemberPicker(..., member_id=)``, :meth:`choose`): the
picker finds that member in its index, or reads them from the store when the index lacks them
(added since it was built), shows their name and keeps exactly them chosen, first among the
matches when the search would not list them, until the person types or moves. Two members of one
name are never taken for each other; one deleted meanwhile is said at the field.

Every line is user data: plain content from cleaned strings, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input
from textual.widgets.option_list import Option

from screens.widgets.form import FieldInput, LabelledField, field_id
from screens.widgets.keys import translate_bindings
from screens.widgets.option_lines import OptionLines
from screens.widgets.text import plain_line
from store.i18n import N_, _
from store.textsafe import clean_line

if TYPE_CHECKING:
    from store.actor import Actor
    from store.engine.database import Database
    from store.members.ops import MemberIndex

MATCHES_KEPT = 50
"""How many matches a search keeps (three show; Up/Down reach the rest)."""

GONE = N_("This member is no longer on the roster; type a name to choose another.")


def member_line(doc: Mapping[str, Any]) -> str:
    """How a member is told apart from others of the same name: name, birth year, grid."""
    parts = [str(doc.get("name") or "")]
    born = str(doc.get("birth_date") or "")[:4]
    if born:
        parts.append(born)
    grid = str(doc.get("grid") or "")
    if grid:
        parts.append(grid)
    return "  ".join(parts)


class Matches(OptionLines, can_focus=False):
    """The members matching what was typed; never focused (the caret stays in the field)."""

    DEFAULT_CSS = """
    Matches {
        height: auto;
        max-height: 3;
        border: none;
        padding: 0;
    }
    Matches > .option-list--option-highlighted {
        text-style: bold reverse;
    }
    """


class PickerInput(FieldInput):
    """The search field: Up and Down choose among the matches (an Input would scroll)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", N_("Next match"), show=False),
        Binding("up", "move(-1)", N_("Previous match"), show=False),
    ]

    def action_move(self, step: int) -> None:
        """Highlight the next (1) or previous (-1) match."""
        self.query_ancestor(MemberPicker).move(step)


class MemberPicker(LabelledField):
    """``label  [search]`` and up to three matches under it; :attr:`member_id` is the choice."""

    DEFAULT_CSS = """
    MemberPicker Input {
        width: 1fr;
        text-style: underline;
    }
    MemberPicker Matches {
        margin-left: 30;
        display: none;
    }
    MemberPicker.-matching Matches {
        display: block;
    }
    """

    @dataclass
    class IndexFailed(Message):
        """The members could not be read (:meth:`MemberPicker.read_members`); ``reason`` is
        the store's sentence, for the form to say where it says what belongs to no field."""

        reason: str

    @dataclass
    class IndexBuilt(Message, bubble=False):
        """The worker built the index; the picker itself takes it."""

        index: MemberIndex

    @dataclass
    class MemberRead(Message, bubble=False):
        """The worker read member ``member_id`` from the store: ``doc``, or None when there is
        no such member (deleted); the picker itself takes it."""

        member_id: str
        doc: Mapping[str, Any] | None

    def __init__(self, field: str, label: str, *, member_id: str = "", no_match: str = "") -> None:
        super().__init__(field, label)
        # What to say when nothing matches: a form's field may link nobody (emptied); a
        # dialog that is there to choose someone says what its own Enter and Esc do.
        self._no_match = no_match
        self._input = PickerInput(compact=True, id=field_id(field) + "-input")
        self._input.cursor_blink = False
        translate_bindings(self._input)
        self._matches = Matches(markup=False, compact=True, id=field_id(field) + "-matches")
        self._index: MemberIndex | None = None
        self._source: tuple[Database, Actor] | None = None
        self._found: list[Mapping[str, Any]] = []
        self._typed = False
        # The member kept chosen whatever the matches (given by the form, or highlighted when
        # a newer index came), until the person types or moves: its id, its document once
        # found, whether the field shows its name, and whether it turned out deleted.
        self._wanted = member_id
        self._wanted_doc: Mapping[str, Any] | None = None
        self._named = bool(member_id)
        self._gone = False

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield self.label_widget()
            yield self._input
        yield self._matches
        yield self.error_widget()

    @property
    def input(self) -> Input:
        """The search field."""
        return self._input

    @property
    def value(self) -> str:
        """What was typed."""
        return self._input.value

    @value.setter
    def value(self, value: str) -> None:
        self._input.value = value

    @property
    def typed_in(self) -> bool:
        """Whether the person typed in the field since it was opened or given a member."""
        return self._typed

    @property
    def member_id(self) -> str | None:
        """The chosen member's id; "" for nobody (empty field); None when nothing matches.

        A member given by the form stays chosen (even before their name shows, or when they
        were deleted meanwhile: the store then refuses a new link to them) until the person
        types or moves among the matches."""
        if self._wanted:
            return self._wanted
        if not self._input.value.strip():
            return ""
        highlighted = self._matches.highlighted
        if highlighted is None or highlighted >= len(self._found):
            return None
        return str(self._found[highlighted].get("id") or "")

    @property
    def gone(self) -> bool:
        """Whether the member kept chosen turned out deleted (said at the field): a dialog
        that acts on the choice at once (not through a store check) must not act on it."""
        return self._gone

    @property
    def member_name(self) -> str:
        """The chosen member's name as stored ("" for nobody, or when nothing matches)."""
        if self._wanted:
            return str(self._wanted_doc.get("name") or "") if self._wanted_doc else ""
        if not self._input.value.strip():
            return ""
        highlighted = self._matches.highlighted
        if highlighted is None or highlighted >= len(self._found):
            return ""
        return str(self._found[highlighted].get("name") or "")

    def choose(self, member_id: str) -> None:
        """Show member ``member_id`` chosen ("" for nobody), as when opened with them (a form
        reloading a record someone else saved); their name shows once found."""
        self._wanted, self._named, self._typed = member_id, bool(member_id), False
        with self.prevent(Input.Changed):
            self._input.value = ""
        self._resolve()

    def read_from(self, db: Database, actor: Actor) -> None:
        """Where a member the index lacks is read (as ``actor`` may see them)."""
        self._source = (db, actor)

    def read_members(self, db: Database, actor: Actor) -> None:
        """Build the index of the members ``actor`` may find, off the event loop (a large
        roster takes a moment), and search it once built."""
        self.read_from(db, actor)
        self._read_members(db, actor)

    @work(thread=True, exclusive=True, group="members")
    def _read_members(self, db: Database, actor: Actor) -> None:
        from store.errors import StoreError
        from store.members.ops import MemberIndex

        try:
            index = MemberIndex(db.snapshot(), actor)
        except StoreError as error:
            self.post_message(self.IndexFailed(str(error)))
            return
        self.post_message(self.IndexBuilt(index))

    @on(IndexBuilt)
    def _index_built(self, message: IndexBuilt) -> None:
        self.use_index(message.index)

    def use_index(self, index: MemberIndex) -> None:
        """Search ``index`` from now on (and at once, for what is typed already), keeping the
        member chosen (a newer index comes when another session changed the members)."""
        if not self._wanted:
            highlighted = self._matches.highlighted
            if highlighted is not None and highlighted < len(self._found):
                self._wanted = str(self._found[highlighted].get("id") or "")
                self._named = False  # what the person typed stays in the field
        self._index = index
        self._resolve()

    def _resolve(self) -> None:
        """Find the member kept chosen: in the index, else in the store (in a worker)."""
        self._wanted_doc, self._gone = None, False
        found = self._index.member(self._wanted) if self._index and self._wanted else None
        if found is not None:
            self._take(found)
            return
        if self._wanted and self._source is not None:
            self._read_member(*self._source, self._wanted)
        self._search()

    @work(thread=True, exclusive=True, group="member")
    def _read_member(self, db: Database, actor: Actor, member_id: str) -> None:
        from store.errors import StoreError
        from store.privacy import member_view

        try:
            doc = db.snapshot().get("members", member_id)
        except StoreError as error:
            self.post_message(self.IndexFailed(str(error)))
            return
        self.post_message(self.MemberRead(member_id, member_view(doc, actor) if doc else None))

    @on(MemberRead)
    def _member_read(self, message: MemberRead) -> None:
        if message.member_id != self._wanted:
            return  # the person typed, or the form chose another, meanwhile
        if message.doc is not None:
            self._take(message.doc)
        else:
            self._gone = True
            self._search()

    def _take(self, doc: Mapping[str, Any]) -> None:
        self._wanted_doc = doc
        if self._named:
            with self.prevent(Input.Changed):
                self._input.value = clean_line(str(doc.get("name") or ""))
        self._search()

    @on(Input.Changed)
    def _typed_now(self, event: Input.Changed) -> None:
        event.stop()
        self._typed = True
        self._wanted, self._wanted_doc, self._gone = "", None, False
        self._search()

    def _search(self) -> None:
        """List the matches of what is typed, the member kept chosen highlighted (put first
        when the search would not list them: a namesake past the kept matches, an archived
        member, one added after the index was built)."""
        query = self._input.value.strip()
        found = self._index.search(query)[:MATCHES_KEPT] if self._index and query else []
        position: int | None = 0 if found else None
        if self._wanted:
            position = next((i for i, d in enumerate(found) if d.get("id") == self._wanted), None)
            if position is None and self._wanted_doc is not None:
                found, position = [self._wanted_doc, *found[: MATCHES_KEPT - 1]], 0
        self._found = found
        self._matches.set_options(
            Option(plain_line(member_line(doc)), id=str(doc.get("id") or "")) for doc in found
        )
        self._matches.highlighted = position
        self.set_class(bool(found), "-matching")
        if self._gone:
            self.set_error(_(GONE))
        elif query and self._index is not None and not found and not self._wanted:
            self.set_error(
                self._no_match or _("No member matches; empty the field to link nobody.")
            )
        else:
            self.set_error("")

    def move(self, step: int) -> None:
        """Highlight the next (1) or previous (-1) match: the person chooses from now on."""
        if not self._found:
            return
        current = self._matches.highlighted or 0
        self._matches.highlighted = max(0, min(len(self._found) - 1, current + step))
        if self._wanted:
            self._wanted, self._wanted_doc, self._gone = "", None, False
            self.set_error("")
