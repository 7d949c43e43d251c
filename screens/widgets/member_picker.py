"""A form field that chooses one member by typing: a name, its pinyin initials or full pinyin.

The volunteer types in the field as in the roster's search (张三, ``zs``, ``zhangsan``, part of
a phone); the best matches are listed under it, and Up/Down pick among them while the caret
stays in the field (Enter moves on, as in every form). The chosen member is the highlighted
line; an empty field chooses nobody. Matches come from a :class:`store.members.ops.MemberIndex`
built for the person at the keyboard (so the privacy rule decides what can be found): the form
calls :meth:`MemberPicker.read_members`, which builds it in a worker and uses it once built (or
posts :class:`MemberPicker.IndexFailed` for the form to say), or hands one in with
:meth:`MemberPicker.use_index`.

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
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from screens.widgets.form import FieldInput, LabelledField, field_id
from screens.widgets.keys import translate_bindings
from screens.widgets.text import plain_line
from store.i18n import N_, _

if TYPE_CHECKING:
    from store.actor import Actor
    from store.engine.database import Database
    from store.members.ops import MemberIndex


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


class Matches(OptionList, can_focus=False):
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

    def __init__(
        self, field: str, label: str, *, member_id: str = "", member_name: str = ""
    ) -> None:
        super().__init__(field, label)
        self._input = PickerInput(member_name, compact=True, id=field_id(field) + "-input")
        self._input.cursor_blink = False
        translate_bindings(self._input)
        self._matches = Matches(markup=False, compact=True, id=field_id(field) + "-matches")
        self._index: MemberIndex | None = None
        self._found: list[Mapping[str, Any]] = []
        self._initial = (member_id, member_name)

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
    def member_id(self) -> str | None:
        """The chosen member's id; "" for nobody (empty field); None when nothing matches."""
        if not self._input.value.strip():
            return ""
        if self._index is None and self._input.value == self._initial[1]:
            return self._initial[0]  # not searched yet: still the member it was opened with
        highlighted = self._matches.highlighted
        if highlighted is None or highlighted >= len(self._found):
            return None
        return str(self._found[highlighted].get("id") or "")

    @property
    def member_name(self) -> str:
        """The chosen member's name as stored ("" for nobody, or when nothing matches)."""
        if not self._input.value.strip():
            return ""
        if self._index is None and self._input.value == self._initial[1]:
            return self._initial[1]
        highlighted = self._matches.highlighted
        if highlighted is None or highlighted >= len(self._found):
            return ""
        return str(self._found[highlighted].get("name") or "")

    def choose(self, member_id: str, member_name: str) -> None:
        """Show ``member_name`` chosen as ``member_id`` ("" for nobody), as when opened with
        them (a form reloading a record someone else saved)."""
        self._initial = (member_id, member_name)
        with self.prevent(Input.Changed):
            self._input.value = member_name
        self._search(keep=member_id)

    def read_members(self, db: Database, actor: Actor) -> None:
        """Build the index of the members ``actor`` may find, off the event loop (a large
        roster takes a moment), and search it once built."""
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
        member highlighted (a newer index comes when another session changed the members)."""
        highlighted = self._matches.highlighted
        current = ""
        if highlighted is not None and highlighted < len(self._found):
            current = str(self._found[highlighted].get("id") or "")
        self._index = index
        self._search(keep=current or self._initial[0])

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._search()

    def _search(self, keep: str = "") -> None:
        query = self._input.value.strip()
        if self._index is None or not query:
            self._found = []
        else:
            self._found = self._index.search(query)[:50]
        self._matches.set_options(
            Option(plain_line(member_line(doc)), id=str(doc.get("id") or "")) for doc in self._found
        )
        position = next((i for i, doc in enumerate(self._found) if doc.get("id") == keep), 0)
        self._matches.highlighted = position if self._found else None
        self.set_class(bool(self._found), "-matching")
        if query and self._index is not None and not self._found:
            self.set_error(_("No member matches; empty the field to link nobody."))
        else:
            self.set_error("")

    def move(self, step: int) -> None:
        """Highlight the next (1) or previous (-1) match."""
        if not self._found:
            return
        current = self._matches.highlighted or 0
        self._matches.highlighted = max(0, min(len(self._found) - 1, current + step))
