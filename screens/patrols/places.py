"""Teams and zones (z on the grid): the patrol teams, and the zones and routes they walk.

Two lists, teams above and zones below; Tab moves between them, and n, e, Del and r act on the
list that has the focus. n adds one, e edits it (screens/patrols/place_form.py), Del archives it
after asking (never deleted: old shifts and templates still name it) and r brings an archived
one back; m on a team lists its members (screens/patrols/team_members.py). Archived ones stay
listed, last, marked in words. Coordinators and admins only: the grid offers the key to them
alone, and the store refuses anyone else whatever the screen does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import DescendantFocus
from textual.widgets import OptionList

from screens.patrols.changes import ChangeDone, save_change
from screens.patrols.lines import LineList
from screens.patrols.place_form import TEAM, ZONE, PlaceForm
from screens.shell.base import SectionScreen
from screens.shell.dialogs import ConfirmDialog
from screens.shell.session import Session
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.i18n import N_, _, ngettext
from store.patrols import reads
from store.patrols.model import Team, Zone
from store.permissions import Action
from store.textsafe import clean_line


@dataclass(frozen=True, slots=True)
class Places:
    """What the screen shows: teams and zones (archived last), and the names it needs."""

    teams: tuple[Team, ...]
    zones: tuple[Zone, ...]
    names: dict[str, str]  # leaders' names by member id


def build_places(snapshot: Snapshot) -> Places:
    """Every team and zone by name, archived ones last, with the team leaders' names."""
    teams = sorted(reads.teams(snapshot, include_archived=True), key=lambda t: t.archived)
    zones = sorted(reads.zones(snapshot, include_archived=True), key=lambda z: z.archived)
    leaders = {t.leader_id for t in teams if t.leader_id}
    return Places(tuple(teams), tuple(zones), reads.member_names(snapshot, leaders))


def archived_mark() -> str:
    return "  [" + _("archived") + "]"


def team_line(team: Team, names: dict[str, str]) -> str:
    """``巡逻一队  leader 张三  3 members  [archived]``."""
    parts = [clean_line(team.name)]
    if team.leader_id:
        leader = clean_line(names.get(team.leader_id, "?"))
        parts.append(_("leader {name}").format(name=leader))
    count = len(team.member_ids)
    parts.append(ngettext("{n} team member", "{n} team members", count).format(n=count))
    if team.note:
        parts.append(clean_line(team.note))
    return "  ".join(parts) + (archived_mark() if team.archived else "")


def zone_line(zone: Zone) -> str:
    """``东区  from the north gate to building 12  [archived]``."""
    parts = [clean_line(zone.name)]
    if zone.description:
        parts.append(clean_line(zone.description))
    return "  ".join(parts) + (archived_mark() if zone.archived else "")


class PlacesScreen(SectionScreen):
    """The teams and the zones, each archived rather than deleted."""

    NEEDS: ClassVar[Mapping[str, Action]] = {
        "new": Action.EDIT_SCHEDULE,
        "edit": Action.EDIT_SCHEDULE,
        "archive": Action.EDIT_SCHEDULE,
        "restore": Action.EDIT_SCHEDULE,
        "members": Action.EDIT_SCHEDULE,
    }

    # At 80 columns in English not every key fits: a team's members (m) and the way back stay in
    # the footer, archive (Del) is left to F1 (screens/widgets/footer.py).
    FOOTER_RANK: ClassVar[tuple[str, ...]] = ("new", "edit", "members", "back", "archive")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New")),
        Binding("e", "edit", N_("Edit")),
        Binding("delete", "archive", N_("Archive")),
        Binding("r", "restore", N_("Restore")),
        Binding("m", "members", N_("Team members")),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="places")
        self.places = Places((), (), {})

    def compose_body(self) -> ComposeResult:
        yield SafeLabel(_("Teams"), classes="patrol-heading")
        yield LineList(id="teams-list")
        yield SafeLabel(_("Zones and routes"), classes="patrol-heading")
        yield LineList(id="zones-list")
        yield SafeLabel(_("Tab: teams or zones."), id="places-message")

    def on_mount(self) -> None:
        self.query_one("#teams-list", LineList).focus()

    # The teams, the zones and the leaders' names: kept through saves of anything else.
    VIEW_TABLES = frozenset({reads.TEAMS, reads.ZONES, "members"})

    def prepare(self, snapshot: Snapshot) -> Places:
        return build_places(snapshot)

    def show(self, view: Places) -> None:
        self.places = view
        teams = [(t.id, team_line(t, view.names)) for t in view.teams]
        zones = [(z.id, zone_line(z)) for z in view.zones]
        self.query_one("#teams-list", LineList).show_lines(
            teams or [("", _("No teams yet: press n to add one."))]
        )
        self.query_one("#zones-list", LineList).show_lines(
            zones or [("", _("No zones yet: press n to add one."))]
        )
        self.refresh_bindings()

    # -- which list, which record ----------------------------------------------------------------

    def kind(self) -> str:
        """TEAM or ZONE: the list that has the focus (teams when neither has)."""
        focused = self.focused
        return ZONE if focused is not None and focused.id == "zones-list" else TEAM

    def selected(self) -> Team | Zone | None:
        """The highlighted team or zone of the focused list."""
        kind = self.kind()
        current = self.query_one(f"#{kind}s-list", LineList).current
        found: tuple[Team | Zone, ...] = self.places.teams if kind == TEAM else self.places.zones
        return next((item for item in found if item.id == current), None)

    @on(DescendantFocus)
    @on(OptionList.OptionHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action not in ("new", "edit", "archive", "restore", "members"):
            return True
        item = self.selected() if self.is_mounted else None
        offered = {
            "new": True,
            "edit": item is not None,
            "archive": item is not None and not item.archived,
            "restore": item is not None and item.archived,
            "members": isinstance(item, Team),
        }
        return offered[action]

    # -- new and edit ----------------------------------------------------------------------------

    def action_new(self) -> None:
        """A new team or zone, for the list that has the focus (n)."""
        if self.permitted(Action.EDIT_SCHEDULE):
            self.app.push_screen(PlaceForm(self.session, self.kind()), self._form_closed)

    def action_edit(self) -> None:
        """Change the highlighted team or zone (e)."""
        item = self.selected()
        if item is None or not self.permitted(Action.EDIT_SCHEDULE):
            return
        form = PlaceForm(self.session, self.kind(), item)
        self.app.push_screen(form, self._form_closed)

    def _form_closed(self, saved: str | None) -> None:
        if saved:
            self.reload()

    def action_members(self) -> None:
        """The highlighted team's members: add and take off (m)."""
        team = self.selected()
        if isinstance(team, Team):
            from screens.patrols.team_members import TeamMembersScreen

            screen = TeamMembersScreen(self.session, self.section_title, team.id)
            self.app.push_screen(screen, lambda _r: self.reload())

    # -- archive and restore ---------------------------------------------------------------------

    def action_archive(self) -> None:
        """Archive the highlighted team or zone (Del), after asking."""
        item = self.selected()
        if item is None or item.archived or not self.permitted(Action.EDIT_SCHEDULE):
            return
        if isinstance(item, Team):
            question = _(
                "Archive the team {name}? Its shifts keep its name; r brings it back."
            ).format(name=clean_line(item.name))
        else:
            question = _(
                "Archive the zone {name}? Its shifts keep its name; r brings it back."
            ).format(name=clean_line(item.name))

        def answered(yes: bool | None) -> None:
            if yes:
                self._set_archived(item, True)

        self.app.push_screen(ConfirmDialog(question, yes=_("Archive"), no=_("Keep")), answered)

    def action_restore(self) -> None:
        """Bring the highlighted archived team or zone back (r)."""
        item = self.selected()
        if item is not None and item.archived and self.permitted(Action.EDIT_SCHEDULE):
            self._set_archived(item, False)

    @work(thread=True, exclusive=True, group="change")
    def _set_archived(self, item: Team | Zone, archived: bool) -> None:
        from store.patrols import ops

        db, actor = self.session.db, self.session.acting
        update = ops.update_team if isinstance(item, Team) else ops.update_zone
        name = clean_line(item.name)
        said = (
            _("{name} archived.").format(name=name)
            if archived
            else _("{name} restored.").format(name=name)
        )
        changes = {"archived": archived}
        self.post_message(save_change(said, update, db, actor, item.id, changes, item.version))

    @on(ChangeDone)
    def _done(self, message: ChangeDone) -> None:
        self.query_one("#places-message", SafeLabel).update(message.message)
        self.notify(
            message.message, severity="information" if message.ok else "warning", markup=False
        )
        self.reload()

    def action_back(self) -> None:
        """Back to the grid (Esc)."""
        self.dismiss(None)
