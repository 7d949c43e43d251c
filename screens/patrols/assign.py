"""Assign (a on a shift): members to choose from, searched as in the roster, fairest first.

Each line carries the fairness hint (weeks since the member last patrolled, shifts this month
and this year, hours this year) and, in words, any rule they would break (``! clash``); those
a rule blocks come after the rest, those who can't be put on at all (``×``) last. Typing
searches everyone (name, pinyin initials, full pinyin); with nothing typed the list is the
shift's team, when it has members.

Enter assigns the selected member. When a rule stands in the way the dialog says which; a
rule that may be overridden asks for a reason (Esc refuses, and nothing is written), which
the store keeps beside the place and in the change log. The dialog stays open to assign
more; Esc closes it. When another session changes the data (someone assigned elsewhere, a
shift moved), the list is read again with the search text and the selected member kept
(:class:`~screens.shell.live.LiveDialog`); a save of a table the list is not made of (a
contact, a training) reads nothing again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList

from screens.patrols.lines import LineList
from screens.shell.live import LiveDialog, Mark
from screens.shell.session import Session
from screens.widgets.footer import FittingFooter
from screens.widgets.form import FieldInput, FormField, after_typed_keys
from screens.widgets.keys import translate_bindings
from screens.widgets.text import SafeLabel, fit
from store.engine.storage import StatKey
from store.errors import StoreError
from store.i18n import N_, _
from store.patrols.assign import Candidate, CandidateIndex, RuleBroken
from store.patrols.reads import SHIFTS, TEAMS
from store.patrols.rules import Problem
from store.settings.early import TABLE as SETTINGS

CODE_WORDS = {
    "clash": N_("clash"),
    "days": N_("days in a row"),
    "hours": N_("hours a day"),
    "away": N_("away"),
    "exempt": N_("exempt"),
    "full": N_("full"),
    "archived": N_("archived"),
    "transferred": N_("transferred"),
    "deceased": N_("deceased"),
    "cancelled": N_("cancelled"),
    "already": N_("on it"),
    "unknown": N_("unknown"),
}


def hint(candidate: Candidate, day: object) -> str:
    """``3w ago · month 1 · year 5 · 10h``: how much the member has patrolled."""
    import datetime as dt

    assert isinstance(day, dt.date)
    fair = candidate.fairness
    weeks = fair.weeks_since(day)
    last = _("never") if weeks is None else _("{weeks}w ago").format(weeks=weeks)
    return _("{last} · month {month} · year {year} · {hours}h").format(
        last=last, month=fair.month, year=fair.year, hours=f"{fair.hours:g}"
    )


def candidate_line(candidate: Candidate, day: object) -> str:
    mark = "×" if candidate.hard else ("!" if candidate.blocked else " ")
    words = " ".join(_(CODE_WORDS.get(p.code, p.code)) for p in candidate.problems)
    team = "*" if candidate.in_team else " "
    return f"{mark}{team}" + fit(candidate.name, 10) + " " + hint(candidate, day) + "  " + words


class ReasonDialog(ModalScreen[str]):
    """The rules an assignment breaks, and a field for the reason to go ahead anyway.

    Returns the reason typed (Enter), or "" (Esc: refuse, nothing is written).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "refuse", N_("Refuse")),
        Binding("enter", "override", N_("Assign anyway"), priority=True),
    ]

    def __init__(self, name: str, problems: list[Problem]) -> None:
        super().__init__()
        translate_bindings(self)
        self.who = name
        self.problems = problems

    def question(self) -> str:
        """What going ahead means, under the problems."""
        return _("Assign {name} anyway? Type the reason and press Enter; Esc refuses.").format(
            name=self.who
        )

    def compose(self) -> ComposeResult:
        text = "\n".join(p.message for p in self.problems)
        with Vertical(classes="dialog"):
            yield SafeLabel(text, classes="dialog-question")
            yield SafeLabel(self.question(), classes="reason-question")
            yield FormField("override", _("Reason"), max_length=200)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(FormField).input.focus()

    def action_override(self) -> None:
        field = self.query_one(FormField)
        after_typed_keys([field], lambda: self._check(field))

    def _check(self, field: FormField) -> None:
        if field.value.strip():
            self.dismiss(field.value.strip())
        else:
            field.set_error(_("Say why, or press Esc to refuse."))

    def action_refuse(self) -> None:
        self.dismiss("")


class LeaderReasonDialog(ReasonDialog):
    """The same question for making ``name`` a shift's leader against a rule (the certificate
    the settings require of patrol leaders)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "refuse", N_("Leave the leader")),
        Binding("enter", "override", N_("Lead anyway"), priority=True),
    ]

    def question(self) -> str:
        return _(
            "Make {name} the leader anyway? Type the reason and press Enter; Esc refuses."
        ).format(name=self.who)


class AssignDialog(LiveDialog, ModalScreen[None]):
    """Choose members for shift ``shift_id``; each Enter assigns one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close")),
        Binding("slash", "search", N_("Search"), priority=True),
        Binding("down", "to_list", N_("To the list"), show=False, priority=True),
    ]

    VIEW_TABLES = frozenset({SHIFTS, TEAMS, "members", SETTINGS})
    """What :class:`CandidateIndex` reads: a contact or a training saved elsewhere reads
    nothing again."""

    @dataclass
    class Built(Message):
        index: CandidateIndex | None
        reason: str = ""
        token: StatKey | None = None
        mark: Mark | None = None

    @dataclass
    class Done(Message):
        message: str
        problems: list[Problem] | None = None
        member_id: str = ""
        name: str = ""

    def __init__(self, session: Session, shift_id: str) -> None:
        super().__init__(id="assign-dialog-screen")
        translate_bindings(self)
        self.session = session
        self.shift_id = shift_id
        self.index: CandidateIndex | None = None
        self.shown: list[Candidate] = []
        self.search = FieldInput(
            placeholder=_("/ to search: name, pinyin (zs)"), compact=True, id="assign-search"
        )
        self.search.cursor_blink = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="assign-dialog"):
            yield SafeLabel(_("Reading the database…"), id="assign-title")
            yield self.search
            yield LineList(id="assign-list")
            yield SafeLabel(
                _("* in the team  ! a rule is in the way  × can't be assigned"),
                id="assign-legend",
            )
        yield FittingFooter()

    @property
    def list(self) -> LineList:
        return self.query_one(LineList)

    def on_mount(self) -> None:
        self.list.focus()
        self.build()

    @work(thread=True, exclusive=True, group="build")
    def build(self) -> None:
        try:
            snapshot = self.session.db.snapshot()
            mark = self.mark_of(snapshot)
            index = CandidateIndex(snapshot, self.session.acting, self.shift_id)
        except StoreError as error:
            self.post_message(self.Built(None, str(error)))
            return
        self.post_message(self.Built(index, token=snapshot.token, mark=mark))

    def reread(self) -> None:
        """Another session changed the data: the candidates and their hints again (refill keeps
        the search text and the selected member)."""
        self.build()

    @on(Built)
    def _built(self, message: Built) -> None:
        if message.index is None:
            self.query_one("#assign-title", SafeLabel).update(message.reason)
            return
        self.index = message.index
        self.now_shows(message.token, message.mark)
        shift = message.index.shift
        title = _("Assign to {date} {start}-{end}: {staffed} of {low}-{high}").format(
            date=shift.date.isoformat() if shift.date else "",
            start=f"{shift.start:%H:%M}" if shift.start else "",
            end=f"{shift.end:%H:%M}" if shift.end else "",
            staffed=shift.staffed,
            low=shift.min_people,
            high=shift.max_people,
        )
        self.query_one("#assign-title", SafeLabel).update(title)
        self.refill()

    def refill(self) -> None:
        if self.index is None:
            return
        self.shown = self.index.search(self.search.value)
        day = self.index.day
        lines = [(c.member_id, candidate_line(c, day)) for c in self.shown]
        self.list.show_lines(lines or [("", _("Nobody matches."))])

    @on(Input.Changed, "#assign-search")
    def _typed(self) -> None:
        self.refill()

    def action_search(self) -> None:
        """Type to search (/)."""
        self.set_focus(self.search)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_list":
            return self.focused is self.search
        if action == "search":
            return self.focused is not self.search
        return True

    def action_to_list(self) -> None:
        self.set_focus(self.list)

    @on(Input.Submitted, "#assign-search")
    def _submitted(self) -> None:
        self.set_focus(self.list)

    @on(OptionList.OptionSelected, "#assign-list")
    def _chosen(self) -> None:
        member_id = self.list.current
        candidate = next((c for c in self.shown if c.member_id == member_id), None)
        if candidate is not None:
            self._assign(candidate.member_id, candidate.name, "")

    @work(thread=True, exclusive=True, group="assign")
    def _assign(self, member_id: str, name: str, reason: str) -> None:
        from store.patrols import assign

        try:
            assign.assign(
                self.session.db, self.session.acting, self.shift_id, member_id, override=reason
            )
        except RuleBroken as broken:
            if broken.overridable:
                self.post_message(self.Done("", broken.problems, member_id, name))
            else:
                self.post_message(self.Done(str(broken)))
            return
        except StoreError as error:
            self.post_message(self.Done(str(error)))
            return
        self.post_message(self.Done(_("{name} assigned.").format(name=name), member_id=member_id))

    @on(Done)
    def _done(self, message: Done) -> None:
        if message.problems:

            def answered(reason: str | None) -> None:
                if reason:
                    self._assign(message.member_id, message.name, reason)
                else:
                    self.notify(_("Not assigned."), markup=False)

            self.app.push_screen(ReasonDialog(message.name, message.problems), answered)
            return
        if message.member_id:
            self.notify(message.message, markup=False)
        else:
            self.notify(message.message, severity="warning", markup=False)
        self.build()

    def action_close(self) -> None:
        """Close (Esc)."""
        self.dismiss(None)
