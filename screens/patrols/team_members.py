"""A team's members (m on a team, on the teams and zones screen): whom the assign list offers
first for the team's shifts.

One line per member (the leader says so). ``a`` adds one, found by typing as in the roster's
search (张三, ``zs``, ``zhangsan``), among the members as they are now: the picker follows
other sessions' changes to the members as every member picker does
(:class:`~screens.shell.live.LiveMembers`); Del takes the highlighted one off the team after asking
(the member stays in the roster and on the shifts they have). Each change is saved at once,
over the version of the team read, so two coordinators changing one team never lose either's
change unseen: the second is told and the list is read again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen

from screens.patrols.changes import ChangeDone, save_change
from screens.patrols.lines import LineList
from screens.shell.base import SectionScreen
from screens.shell.dialogs import ConfirmDialog
from screens.shell.live import LiveMembers
from screens.shell.session import Session
from screens.widgets.footer import FittingFooter
from screens.widgets.form import ENTER, EnterMovesOn
from screens.widgets.keys import translate_bindings
from screens.widgets.member_picker import GONE, MemberPicker
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.i18n import N_, _
from store.patrols import reads
from store.patrols.model import Team
from store.permissions import Action
from store.textsafe import clean_line

NO_MATCH = N_("No member matches; type a name, or Esc.")
"""Said at the picker when nothing matches (there is no "nobody" to choose here)."""


class PickMemberDialog(LiveMembers, EnterMovesOn, ModalScreen[str]):
    """Type a member's name (or pinyin); Enter returns the chosen id, Esc "".

    The picker's index follows the members (:class:`LiveMembers`): one another session added
    while the dialog is open is found by typing; one deleted meanwhile is said at the field and
    Enter adds nothing. What was typed and the member chosen stay through a new index.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
        ENTER,
    ]

    def __init__(self, session: Session, question: str) -> None:
        super().__init__(id="pick-member")
        translate_bindings(self)
        self.session = session
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pick-member-dialog"):
            yield SafeLabel(self.question, classes="dialog-question")
            yield MemberPicker("member", _("Member"), no_match=_(NO_MATCH))
            yield SafeLabel(
                _("Type a name, zs or zhangsan; Up/Down choose, Enter adds."), classes="dialog-hint"
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(MemberPicker).input.focus()
        self.read_members()

    def say_problems(self, errors: Mapping[str, str]) -> None:
        """What :class:`LiveMembers` has to say (the members could not be read): at the picker,
        the dialog's one field, as there is no other line to say it on."""
        self.query_one(MemberPicker).set_error("  ".join(text for text in errors.values() if text))

    def submit(self) -> None:
        """Enter: the highlighted member, if what was typed matches one still on the roster."""
        picker = self.query_one(MemberPicker)
        if picker.gone:
            picker.set_error(_(GONE))
        elif picker.member_id:
            self.dismiss(picker.member_id)
        else:
            picker.set_error(_(NO_MATCH))

    def action_cancel(self) -> None:
        self.dismiss("")


@dataclass(frozen=True, slots=True)
class TeamView:
    team: Team | None
    names: dict[str, str]


class TeamMembersScreen(SectionScreen):
    """The members of team ``team_id``: a adds, Del takes off."""

    NEEDS: ClassVar[Mapping[str, Action]] = {
        "add": Action.EDIT_SCHEDULE,
        "remove": Action.EDIT_SCHEDULE,
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", N_("Add a member")),
        Binding("delete", "remove", N_("Take off the team")),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, session: Session, title: str, team_id: str) -> None:
        super().__init__(session, title, id="team-members")
        self.team_id = team_id
        self.view = TeamView(None, {})

    def compose_body(self) -> ComposeResult:
        yield SafeLabel("", id="team-members-title", classes="patrol-heading")
        yield LineList(id="team-members-list")
        yield SafeLabel("", id="team-members-message")

    def on_mount(self) -> None:
        self.query_one(LineList).focus()

    # The team and its people's names: kept through saves of anything else.
    VIEW_TABLES = frozenset({reads.TEAMS, "members"})

    def view_key(self) -> str:
        return self.team_id

    def prepare(self, snapshot: Snapshot) -> TeamView:
        team = reads.team(snapshot, self.team_id)
        ids = set(team.member_ids) | {team.leader_id} if team else set()
        return TeamView(team, reads.member_names(snapshot, ids))

    def show(self, view: TeamView) -> None:
        self.view = view
        team = view.team
        if team is None:
            self.notify(_("That team no longer exists."), markup=False)
            self.dismiss(None)
            return
        self.query_one("#team-members-title", SafeLabel).update(
            _("{team}: its members, offered first for its shifts").format(
                team=clean_line(team.name)
            )
        )
        lines = []
        for member_id in team.member_ids:
            name = clean_line(view.names.get(member_id, "?"))
            if member_id == team.leader_id:
                name += "  " + _("(leader)")
            lines.append((member_id, name))
        self.query_one(LineList).show_lines(
            lines or [("", _("Nobody on this team yet: press a to add someone."))]
        )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action == "remove":
            return self.is_mounted and bool(self.query_one(LineList).current)
        return True

    def action_add(self) -> None:
        """Add a member to the team (a)."""
        team = self.view.team
        if team is None or not self.permitted(Action.EDIT_SCHEDULE):
            return

        def chosen(member_id: str | None) -> None:
            if member_id and member_id not in team.member_ids:
                self._save(team, [*team.member_ids, member_id], _("Added to the team."))
            elif member_id:
                self._said(_("Already on the team."))

        question = _("Add whom to {team}?").format(team=clean_line(team.name))
        self.app.push_screen(PickMemberDialog(self.session, question), chosen)

    def action_remove(self) -> None:
        """Take the highlighted member off the team (Del), after asking."""
        team, member_id = self.view.team, self.query_one(LineList).current
        if team is None or not member_id or not self.permitted(Action.EDIT_SCHEDULE):
            return
        name = clean_line(self.view.names.get(member_id, "?"))

        def answered(yes: bool | None) -> None:
            if yes:
                kept = [m for m in team.member_ids if m != member_id]
                self._save(team, kept, _("Taken off the team."))

        self.app.push_screen(
            ConfirmDialog(
                _("Take {name} off {team}? They stay in the roster and on their shifts.").format(
                    name=name, team=clean_line(team.name)
                ),
                yes=_("Take off"),
                no=_("Keep"),
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="change")
    def _save(self, team: Team, member_ids: list[str], said: str) -> None:
        from store.patrols import ops

        db, actor = self.session.db, self.session.acting
        changes = {"member_ids": member_ids}
        self.post_message(
            save_change(said, ops.update_team, db, actor, team.id, changes, team.version)
        )

    def _said(self, text: str) -> None:
        self.query_one("#team-members-message", SafeLabel).update(text)

    @on(ChangeDone)
    def _done(self, message: ChangeDone) -> None:
        self._said(message.message)
        if not message.ok:
            self.notify(message.message, severity="warning", markup=False)
        self.reload()

    def action_back(self) -> None:
        """Back to the teams and zones (Esc)."""
        self.dismiss(None)
