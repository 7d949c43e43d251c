"""Export the schedule: .ics for phones, CSV, or the printed weekly sheet.

From the grid (x) a coordinator chooses the format, the week on screen or every shift, and whose
shifts: everyone's, one team's (Left/Right or Space) and/or one member's (typed as in the
roster's search; empty for everyone). From "my shifts" (x) anyone linked to a member exports
their own shifts, .ics first, for their phone's calendar; the store lets a volunteer export
those and nothing else (:func:`store.patrols.exporting.may_export`).

The path is suggested in the home folder and follows the choices until it is edited. Enter
moves down and, on the last row, writes (Ctrl+S writes from anywhere). The file is written whole
or not at all, readable only by you; a file already there is replaced only when the person says
so (screens/shell/replace.py, the question every export dialog asks).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message

from screens.shell.export_dialog import ExportDialog, file_stem
from screens.shell.session import Session
from screens.widgets.choice import ChoiceField
from screens.widgets.footer import FittingFooter
from screens.widgets.form import FormField, after_typed_keys, all_fields
from screens.widgets.member_picker import MemberPicker
from screens.widgets.paths import with_format
from screens.widgets.text import SafeLabel
from store.errors import StoreError
from store.i18n import N_, _
from store.patrols.weeks import week_name
from store.textsafe import clean_line

if TYPE_CHECKING:
    from store.members.ops import MemberIndex
    from store.patrols.exporting import Selection

SUFFIX = {"ics": ".ics", "csv": ".csv", "sheet": ".txt"}
EVERYONE = ""


class PatrolExportDialog(ExportDialog):
    """Write the week starting ``monday`` (or every shift) to a file.

    ``mine``: the acting user's own shifts only (no choice of whose); otherwise a planner's
    dialog, which may start on a member (``member_id``, ``member_name``) or a team.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "write", N_("Write"))]
    STATUS_ID = "patrol-export-message"

    @dataclass
    class Ready(Message):
        """The teams and the members to choose from were read."""

        teams: tuple[tuple[str, str], ...]
        index: MemberIndex

    def __init__(
        self,
        session: Session,
        monday: dt.date,
        *,
        mine: bool = False,
        member_id: str = "",
        member_name: str = "",
        team_id: str = "",
    ) -> None:
        super().__init__(session)
        self.monday = monday
        self.mine = mine
        self.member = (member_id, member_name)
        self.team_id = team_id
        self.team_names: dict[str, str] = {}
        self.suggested = ""

    def compose(self) -> ComposeResult:
        heading = _("Export my shifts") if self.mine else _("Export the patrol schedule")
        with Vertical(classes="dialog", id="patrol-export"):
            yield SafeLabel(heading, classes="patrol-heading")
            yield ChoiceField(
                "format",
                _("Format"),
                [("ics", _("Calendar .ics")), ("csv", "CSV"), ("sheet", _("Sheet to print"))],
                show_all=True,
            )
            yield ChoiceField(
                "scope",
                _("Which shifts"),
                [("week", week_name(self.monday)), ("all", _("Every shift"))],
                value="all" if self.mine else "week",
                show_all=True,
            )
            yield Vertical(id="patrol-export-whose")
            yield FormField("path", _("File"), max_length=1000)
            yield SafeLabel("", id="patrol-export-message")
            yield self.folder_hint()
        yield FittingFooter()

    def on_mount(self) -> None:
        self.suggested = self.suggestion()
        self.field("path").value = self.suggested
        all_fields(self)[0].input.focus()
        if not self.mine:
            self._read_choices()

    # -- whose shifts ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="export-read")
    def _read_choices(self) -> None:
        from store.members.ops import MemberIndex
        from store.patrols import reads

        try:
            snapshot = self.session.db.snapshot()
            teams = tuple((t.id, clean_line(t.name)) for t in reads.teams(snapshot))
            index = MemberIndex(snapshot, self.session.acting)
        except StoreError as error:
            self.post_message(self.Failed(str(error)))
            return
        self.post_message(self.Ready(teams, index))

    @on(Ready)
    async def _ready(self, message: Ready) -> None:
        self.team_names = dict(message.teams)
        team = ChoiceField(
            "team",
            _("Team"),
            [(EVERYONE, _("every team")), *message.teams],
            value=self.team_id if self.team_id in self.team_names else EVERYONE,
        )
        picker = MemberPicker("member", _("Member"), member_id=self.member[0])
        await self.query_one("#patrol-export-whose", Vertical).mount(team, picker)
        picker.read_from(self.session.db, self.session.acting)
        picker.use_index(message.index)

    def chosen_member(self) -> tuple[str, str] | None:
        """(id, name) of the member whose shifts go out; ("", "") for everyone; None when what
        was typed matches nobody."""
        if self.mine:
            return self.session.acting.member_id or "", ""
        pickers = list(self.query(MemberPicker))
        if not pickers:
            return self.member
        chosen = pickers[0].member_id
        if chosen is None:
            return None
        return chosen, pickers[0].member_name if chosen else ""

    def chosen_team(self) -> str:
        teams = list(self.query("#field-team").results(ChoiceField))
        return teams[0].value if teams else self.team_id

    # -- the file --------------------------------------------------------------------------------

    def field(self, name: str) -> ChoiceField | FormField:
        found = next(f for f in all_fields(self) if f.field == name)
        assert isinstance(found, ChoiceField | FormField)
        return found

    @property
    def fmt(self) -> str:
        return self.field("format").value

    def suggestion(self) -> str:
        """``~/patrols-张三-2026-W49.ics``: whose, which shifts and the format's ending."""
        scope = self.field("scope").value
        member = self.chosen_member() or ("", "")
        whose = member[1] or self.team_names.get(self.chosen_team(), "")
        if self.mine:
            whose = _("mine")
        when = week_name(self.monday) if scope == "week" or self.fmt == "sheet" else _("all")
        return f"~/{file_stem(_('patrols'), whose, when)}{SUFFIX[self.fmt]}"

    def _follow(self) -> None:
        """The path follows the choices while it is still the suggestion."""
        path = self.field("path")
        if path.value == self.suggested:
            self.suggested = self.suggestion()
            path.value = self.suggested

    @on(ChoiceField.Changed)
    def _choice_changed(self, message: ChoiceField.Changed) -> None:
        if message.control.field == "format":
            path = self.field("path")
            if path.value != self.suggested:  # edited: only its ending follows
                path.value = with_format(path.value, SUFFIX, message.value)
        self._follow()

    @on(events.DescendantBlur, "#field-member-input")
    def _member_left(self) -> None:
        self._follow()  # the person moved on from the member field: the name is chosen

    def action_write(self) -> None:
        """Write the file (Ctrl+S, or Enter on the last row)."""
        if not self.writing:
            after_typed_keys(all_fields(self), lambda: self._write_now(False))

    def _write_now(self, replace: bool) -> None:
        from store.patrols.exporting import Selection

        self._follow()
        member = self.chosen_member()
        if member is None:
            self.say(_("No member matches; empty the field for everyone."))
            return
        fmt, scope = self.fmt, self.field("scope").value
        team_id = self.chosen_team()
        selection = Selection(
            monday=self.monday if scope == "week" or fmt == "sheet" else None,
            member_id=member[0],
            member_name=member[1],
            team_id=team_id,
            team_name=self.team_names.get(team_id, ""),
        )
        self.writing = True
        self.field("path").set_error("")
        self.say(_("Exporting…"))
        self._write(fmt, selection, self.field("path").value, replace)

    def write_again(self) -> None:
        self._write_now(True)

    @work(thread=True, exclusive=True, group="write")
    def _write(self, fmt: str, selection: Selection, path_text: str, replace: bool) -> None:
        from store.patrols.exporting import export_patrols

        db, actor = self.session.db, self.session.acting

        def export(path: Path) -> str:
            count = export_patrols(db, actor, path, fmt, selection)
            return _("Wrote {count} shift(s) to {path}.").format(count=count, path=path)

        self.write_file(path_text, replace, export)
