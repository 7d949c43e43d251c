"""The team or zone form (n and e on the teams and zones screen): a small dialog.

A team has a name, a leader (a member found by typing, as in the roster's search) and a note;
a zone or route a name and a description of where it goes. Enter moves to the next field and,
on the last, saves; Ctrl+S saves from anywhere; Esc asks first when something was typed. The
store checks everything (and refuses a volunteer); each problem is written under its field.
Someone else's save meanwhile is refused by the record's version and met by the question every
form asks (screens/shell/form_dialog.py): reload theirs, overwrite with mine, or keep editing.
The leader picker follows the members as the account dialog's does
(:class:`~screens.shell.live.LiveMembers`): a member added by another session while the form is
open can be found by typing, and a chosen leader deleted meanwhile is said at the field before
the save; what was typed and the leader chosen stay.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical

from screens.shell.form_dialog import FormDialog
from screens.shell.live import LiveMembers
from screens.shell.session import Session
from screens.widgets.footer import FittingFooter
from screens.widgets.form import FormField, after_typed_keys, all_fields, clear_errors, show_errors
from screens.widgets.member_picker import MemberPicker
from screens.widgets.text import SafeLabel
from store.errors import StoreError
from store.fields import NAME_MAX, NOTE_MAX
from store.i18n import N_, _, pgettext
from store.patrols.model import Team, Zone

TEAM, ZONE = "team", "zone"


class PlaceForm(LiveMembers, FormDialog[str | None]):
    """A new team or zone (``record`` None) or changes to one; returns the id saved, or None.

    The team's leader is given to the member picker by id: it finds their name itself.
    """

    MESSAGE_ID = "place-message"
    DROP_QUESTION = N_("What you typed here is not saved. Drop it?")

    def __init__(
        self,
        session: Session,
        kind: str,
        record: Team | Zone | None = None,
    ) -> None:
        super().__init__(session, id="place-form")
        self.kind = kind
        self.record = record
        self.version = record.version if record is not None else 0

    def heading(self) -> str:
        if self.kind == TEAM:
            return _("New team") if self.record is None else _("Editing a team")
        return _("New zone or route") if self.record is None else _("Editing a zone or route")

    def compose(self) -> ComposeResult:
        record = self.record
        with Vertical(classes="dialog", id="place-dialog"):
            yield SafeLabel(self.heading(), classes="dialog-question")
            yield FormField(  # a team's or zone's name, not a person's: 名称, not 姓名
                "name",
                pgettext("thing", "Name"),
                value=record.name if record else "",
                max_length=NAME_MAX,
            )
            if self.kind == TEAM:
                team = record if isinstance(record, Team) else None
                yield MemberPicker(
                    "leader_id", _("Leader"), member_id=team.leader_id if team else ""
                )
                yield FormField(
                    "note", _("Note"), value=team.note if team else "", max_length=NOTE_MAX
                )
            else:
                zone = record if isinstance(record, Zone) else None
                yield FormField(
                    "description",
                    _("Where it goes"),
                    value=zone.description if zone else "",
                    max_length=500,
                )
            yield SafeLabel("", id="place-message")
            yield SafeLabel(
                _("Enter on the last field or Ctrl+S saves; Esc cancels."), classes="dialog-hint"
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.take_baseline()
        all_fields(self)[0].input.focus()
        self.read_members()  # a team's leader picker (a zone has none)

    def values(self) -> dict[str, str]:
        """What each field holds; the leader as the chosen member's id ("?" if none matches)."""
        values: dict[str, str] = {}
        for field in self.fields():
            if isinstance(field, MemberPicker):
                chosen = field.member_id
                values[field.field] = "?" if chosen is None else chosen
            else:
                values[field.field] = field.value
        return values

    def action_save(self) -> None:
        """Save (Ctrl+S), once every key typed is in the fields."""
        if not self.saving:
            after_typed_keys(self.fields(), self._save_now)

    def _save_now(self) -> None:
        fields = self.fields()
        clear_errors(fields)
        values = self.values()
        if values.get("leader_id") == "?":
            show_errors(fields, {"leader_id": _("No member matches; empty the field for none.")})
            return
        self.saving = True
        self.say(_("Saving…"))
        self._save(values, self.version)

    @work(thread=True, exclusive=True, group="place-save")
    def _save(self, values: dict[str, str], expected_version: int) -> None:
        from store.patrols import ops

        db, actor = self.session.db, self.session.acting
        record = self.record
        try:
            if record is None:
                add = ops.add_team if self.kind == TEAM else ops.add_zone
                doc: dict[str, Any] = add(db, actor, values)
            else:
                update = ops.update_team if self.kind == TEAM else ops.update_zone
                doc = update(db, actor, record.id, self.edits(values), expected_version)
        except StoreError as error:  # bad fields, someone else's save, a volunteer, busy...
            self.post_message(self.Refused.of(error))
        else:
            self.post_message(self.Saved(str(doc["id"])))

    # -- someone else's save -------------------------------------------------------------------

    def record_id(self) -> str | None:
        return self.record.id if self.record is not None else None

    def conflict_words(self) -> tuple[str, str] | None:
        if self.record is None:
            return None
        if self.kind == TEAM:
            return (
                _("Someone else saved this team while you were editing."),
                _("Not saved: someone else changed this team meanwhile."),
            )
        return (
            _("Someone else saved this zone or route while you were editing."),
            _("Not saved: someone else changed this zone or route meanwhile."),
        )

    def stored_values(self, doc: Mapping[str, Any]) -> dict[str, str]:
        if self.kind == TEAM:
            team = Team.from_doc(doc)
            return {"name": team.name, "leader_id": team.leader_id, "note": team.note}
        zone = Zone.from_doc(doc)
        return {"name": zone.name, "description": zone.description}

    def fill_values(self, values: Mapping[str, str]) -> None:
        """Their record in the fields; the leader given to the picker by id."""
        for field in self.fields():
            if isinstance(field, MemberPicker):
                field.choose(values.get(field.field, ""))
            else:
                field.value = values.get(field.field, "")
        self.take_baseline()

    def save_over(self, expected_version: int) -> None:
        """Save the fields changed here over ``expected_version`` (overwrite with mine)."""
        if self.saving:
            return
        clear_errors(self.fields())
        self.saving = True
        self.say(_("Saving…"))
        self._save(self.values(), expected_version)

    def saved_text(self) -> str:
        return _("Team saved.") if self.kind == TEAM else _("Zone saved.")
