"""The roster's filter dialog: status, category, management, grid, contact state, and
whether an import marked the member "needs checking".

Each line is one question with its answer written in words: Up/Down pick the line, Left/Right
(or Space) change its answer, Enter shows the members that match, Esc keeps the filter as it
was, and Backspace sets every line back to "any". No dropdowns to open and close: a person who
has only used a phone sees every choice on one screen. The line being changed is shown in
reverse video with arrows around its answer, which survives 16 colours and ``NO_COLOR``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Label

from screens.roster.view import (
    CHECK_CHOICES,
    CONTACT_CHOICES,
    STATUS_ALL,
    STATUS_CURRENT,
    RosterFilter,
)
from screens.roster.words import category_label, management_label, status_label
from screens.widgets.footer import FittingFooter
from screens.widgets.keys import translate_bindings
from screens.widgets.text import fit
from store.enums import Category, Management, MemberStatus
from store.i18n import N_, _
from store.textsafe import clean_line

LABEL_WIDTH = 16
CHOSEN = Style(reverse=True, bold=True)


@dataclass(frozen=True, slots=True)
class Question:
    """One line of the dialog: the filter field it sets, its title and the answers."""

    field: str
    title: str  # msgid
    answers: tuple[tuple[str, str], ...]  # (value, words)


def questions(grids: list[str]) -> tuple[Question, ...]:
    """The dialog's lines; the grid answers are the grids members are in."""
    anyone = ("", _("any"))
    return (
        Question(
            "status",
            N_("Status"),
            (
                (STATUS_CURRENT, _("current members")),
                *((s.value, status_label(s.value)) for s in MemberStatus if s != "active"),
                (STATUS_ALL, _("everyone")),
            ),
        ),
        Question(
            "category", N_("Category"), (anyone, *((c.value, category_label(c)) for c in Category))
        ),
        Question(
            "management",
            N_("Managed"),
            (anyone, *((m.value, management_label(m)) for m in Management)),
        ),
        Question("grid", N_("Grid"), (anyone, *((g, clean_line(g)) for g in grids))),
        Question(
            "check",
            N_("Checking"),
            (anyone, *((value, _(words)) for value, words in CHECK_CHOICES.items())),
        ),
        Question(
            "contact",
            N_("Contact"),
            (anyone, *((value, _(words)) for value, words in CONTACT_CHOICES.items())),
        ),
    )


class FilterChoices(Widget, can_focus=True):
    """The questions, one per line, each with its current answer."""

    DEFAULT_CSS = """
    FilterChoices {
        height: auto;
        width: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "line(-1)", N_("Up"), show=False),
        Binding("down,j", "line(1)", N_("Down"), show=False),
        Binding("left,h", "change(-1)", N_("Previous answer"), show=False),
        Binding("right,l,space", "change(1)", N_("Next answer"), show=False),
    ]

    def __init__(self, asked: tuple[Question, ...], chosen: RosterFilter) -> None:
        super().__init__(id="filter-choices")
        translate_bindings(self)
        self.asked = asked
        self.line = 0
        self.answer = [self._position(q, getattr(chosen, q.field)) for q in asked]

    @staticmethod
    def _position(question: Question, value: str) -> int:
        values = [value for value, _words in question.answers]
        return values.index(value) if value in values else 0

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self.asked)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y >= len(self.asked):
            return Strip.blank(width, self.rich_style)
        question = self.asked[y]
        words = question.answers[self.answer[y]][1]
        many = len(question.answers) > 1
        answer = f"‹ {words} ›" if many and y == self.line else f"  {words}"
        title = fit(_(question.title), LABEL_WIDTH)
        style = CHOSEN if y == self.line and self.has_focus else Style()
        return Strip([Segment(fit(title + answer, width), style)], width)

    def value(self) -> RosterFilter:
        """The filter the answers describe."""
        chosen = {
            q.field: q.answers[self.answer[i]][0] for i, q in enumerate(self.asked) if q.answers
        }
        return replace(RosterFilter(), **chosen)

    def reset(self) -> None:
        """Every line back to its first answer (current members, any...)."""
        self.answer = [0] * len(self.asked)
        self.refresh()

    def action_line(self, step: int) -> None:
        """Pick the line above or below."""
        self.line = (self.line + step) % len(self.asked)
        self.refresh()

    def action_change(self, step: int) -> None:
        """The line's previous or next answer (wrapping around)."""
        count = len(self.asked[self.line].answers)
        self.answer[self.line] = (self.answer[self.line] + step) % count
        self.refresh()


class RosterFilterDialog(ModalScreen[RosterFilter | None]):
    """Pick what the roster shows; returns the new filter, or None to keep the old one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "apply", N_("Show")),
        Binding("backspace", "reset", N_("Clear all")),
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def __init__(self, current: RosterFilter, grids: list[str]) -> None:
        super().__init__()
        translate_bindings(self)
        self.choices = FilterChoices(questions(grids), current)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="roster-filter"):
            yield Label(_("Show only members who…"), classes="dialog-question", markup=False)
            yield self.choices
            yield Label(
                _("↑↓ pick a line, ←→ change it, Enter shows the members."),
                classes="dialog-hint",
                markup=False,
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.choices.focus()

    def action_apply(self) -> None:
        """Close with the chosen filter."""
        self.dismiss(self.choices.value())

    def action_reset(self) -> None:
        """Set every line back to "any" (and current members)."""
        self.choices.reset()

    def action_cancel(self) -> None:
        """Close and keep the filter as it was."""
        self.dismiss(None)
