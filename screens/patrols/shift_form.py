"""The shift form: a new shift (n on the grid) or changes to one (e).

Date and times are typed as people write them (2026-12-03, 19:00, 晚上7点); a night shift may
end after midnight (22:00 to 02:00). Zone, team and leader are choices moved through with
Left/Right or Space. Enter moves to the next field; Ctrl+S saves; Esc goes back, asking first
when there are edits. The store checks everything at once and each problem is written under
its field. A leader without the certificate the settings require for patrol leaders is asked
about as a clash is: refuse, or type the reason to go ahead (kept on the shift and in the change
log). If someone saved the shift meanwhile, the person chooses: load theirs, overwrite (only the
fields changed here), or keep editing. Who is on the shift is changed with ``a`` (assign), never
here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message

from screens.patrols.view import SHIFT_TABLES, Slot
from screens.shell.form_screen import RecordForm
from screens.shell.session import Session
from screens.widgets.choice import ChoiceField
from screens.widgets.form import (
    FormField,
    LabelledField,
    clear_errors,
)
from screens.widgets.scroll import TextScroll
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.errors import StoreError, ValidationError
from store.i18n import N_, _
from store.patrols import reads
from store.patrols.model import Shift
from store.patrols.rules import Problem
from store.permissions import Action
from store.textsafe import clean_line

TEXTS = (
    ("date", N_("Date"), 20),
    ("start", N_("Starts"), 10),
    ("end", N_("Ends (next day if earlier)"), 10),
)
NUMBERS = (("min_people", N_("People needed"), 2), ("max_people", N_("At most"), 2))
NOTES = (("note", N_("Note"), 200), ("incident", N_("Incident report"), 500))


@dataclass(frozen=True, slots=True)
class FormData:
    """What the form needs: the shift (None when new or gone) and the choices."""

    shift: Shift | None
    zones: tuple[tuple[str, str], ...]
    teams: tuple[tuple[str, str], ...]
    people: tuple[tuple[str, str], ...]  # who is on the shift, for the leader


def shift_values(shift: Shift) -> dict[str, str]:
    """What each field shows for ``shift``."""
    return {
        "date": shift.date.isoformat() if shift.date else "",
        "start": f"{shift.start:%H:%M}" if shift.start else "",
        "end": f"{shift.end:%H:%M}" if shift.end else "",
        "zone_id": shift.zone_id,
        "team_id": shift.team_id,
        "leader_id": shift.leader_id,
        "min_people": str(shift.min_people),
        "max_people": str(shift.max_people),
        "note": " / ".join(shift.note.splitlines()),
        "incident": " / ".join(shift.incident.splitlines()),
    }


def new_values(day: dt.date, like: Slot | None, view: FormData) -> dict[str, str]:
    """A new shift's fields: on ``day``, in the times, zone and team of the grid's row or shift
    it was opened from (``like``; a place since deleted falls back), else the first zone and
    team."""
    values = {"date": day.isoformat(), "min_people": "2", "max_people": "4"}
    zones = [zone_id for zone_id, _name in view.zones]
    teams = [team_id for team_id, _name in view.teams]
    if zones:
        values["zone_id"] = zones[0]
    if teams:
        values["team_id"] = teams[0]
    if like is None:
        return values
    start, _sep, end = like.times.partition("-")
    values |= {"start": start, "end": end}
    if like.zone_id in zones:
        values["zone_id"] = like.zone_id
    if like.team_id in teams or not like.team_id:
        values["team_id"] = like.team_id  # a row without a team: none
    if like.low is not None and like.high is not None:
        values |= {"min_people": str(like.low), "max_people": str(like.high)}
    return values


class ShiftForm(RecordForm):
    """A new shift on ``day`` (``shift_id`` None; in the slot ``like`` if given) or a shift.

    After it is dismissed, :attr:`saved_id` is the id of the shift it saved, or None.
    """

    MESSAGE_ID = "shift-form-message"
    TABLE = "shifts"
    DROP_QUESTION = N_("Your changes to this shift are not saved. Drop them?")

    @dataclass
    class Saved(Message):
        doc: dict[str, Any]

    @dataclass
    class Warned(Message):
        """The leader breaks a rule that a reason may override (no certificate)."""

        values: dict[str, str]
        problems: list[Problem]
        expected_version: int

    def __init__(
        self,
        session: Session,
        title: str,
        shift_id: str | None,
        *,
        day: dt.date | None = None,
        like: Slot | None = None,
    ) -> None:
        super().__init__(session, title, shift_id, id="shift-form")
        self.shift_id = shift_id
        self.day = day or session.db.today()
        self.like = like

    def compose_body(self) -> ComposeResult:
        heading = _("New shift") if self.shift_id is None else _("Editing a shift")
        with TextScroll(id="shift-form-body"):
            yield SafeLabel(heading, id="shift-form-title")
            yield Vertical(id="shift-form-fields")
        yield SafeLabel("", id="shift-form-message")

    # -- loading -------------------------------------------------------------------------------

    # The shift, the places to choose and its people's names (the leader's choice). Once
    # filled the form shows none of it again, so another session's save elsewhere costs it
    # nothing: the view is kept through saves of anything else.
    VIEW_TABLES = SHIFT_TABLES

    def view_key(self) -> str:
        return self.shift_id or ""

    def prepare(self, snapshot: Snapshot) -> FormData:
        shift = reads.shift(snapshot, self.shift_id) if self.shift_id else None
        zones = tuple((z.id, clean_line(z.name)) for z in reads.zones(snapshot))
        teams = tuple((t.id, clean_line(t.name)) for t in reads.teams(snapshot))
        people: tuple[tuple[str, str], ...] = ()
        if shift is not None:
            names = reads.member_names(snapshot, [a.member_id for a in shift.assignments])
            people = tuple(
                (a.member_id, clean_line(names.get(a.member_id, "?"))) for a in shift.assignments
            )
        return FormData(shift, zones, teams, people)

    def show(self, view: FormData) -> None:
        if self.filled:
            return  # keep the person's edits; saving meets a newer version as a conflict
        if self.shift_id is not None and view.shift is None:
            self.notify(
                _("That shift no longer exists; someone may have deleted it."), markup=False
            )
            self.dismiss(None)
            return
        none = ("", _("(none)"))
        box = self.query_one("#shift-form-fields", Vertical)
        fields: list[LabelledField] = [FormField(n, _(t), max_length=m) for n, t, m in TEXTS]
        fields.append(ChoiceField("zone_id", _("Zone or route"), [none, *view.zones]))
        fields.append(ChoiceField("team_id", _("Team"), [none, *view.teams]))
        fields += [FormField(n, _(t), max_length=m) for n, t, m in NUMBERS]
        if view.people:
            fields.append(ChoiceField("leader_id", _("Leader"), [none, *view.people]))
        fields += [FormField(n, _(t), max_length=m) for n, t, m in NOTES]
        mounted = box.mount(*fields)
        if view.shift is not None:
            self.version = view.shift.version
            values = shift_values(view.shift)
        else:
            values = new_values(self.day, self.like, view)
        self.call_later(self.first_fill, mounted, values, 0 if self.shift_id is None else 1)

    def conflict_words(self) -> tuple[str, str]:
        return (
            _("Someone else saved this shift while you were editing."),
            _("Not saved: someone else changed this shift meanwhile."),
        )

    def stored_values(self, doc: Mapping[str, Any]) -> dict[str, str]:
        return shift_values(Shift.from_doc(doc))

    # -- saving --------------------------------------------------------------------------------

    def save_over(self, expected_version: int) -> None:
        self.action_save(expected_version=expected_version)

    def action_save(self, expected_version: int | None = None) -> None:
        """Save (Ctrl+S): the store checks every field and the version."""
        if not self.filled or self.saving or not self.permitted(Action.EDIT_SCHEDULE):
            return
        clear_errors(self.fields())
        self.say(_("Saving…"))
        self.saving = True
        version = self.version if expected_version is None else expected_version
        self._save(self.edits(), version)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, edits: dict[str, str], expected_version: int, reason: str = "") -> None:
        from store.patrols import ops
        from store.patrols.assign import RuleBroken

        db, actor = self.session.db, self.session.acting
        try:
            if self.shift_id is None:
                doc = ops.add_shift(db, actor, edits, leader_override=reason)
            else:
                doc = ops.update_shift(
                    db, actor, self.shift_id, edits, expected_version, leader_override=reason
                )
        except RuleBroken as broken:
            if broken.overridable:
                self.post_message(self.Warned(edits, broken.problems, expected_version))
            else:
                self.post_message(self.Refused({"leader_id": str(broken)}))
        except ValidationError as error:
            errors = dict(error.errors)
            if "assignments" in errors:  # more people on it than the new maximum
                errors["max_people"] = errors.pop("assignments")
            self.post_message(self.Refused(errors))
        except StoreError as error:
            self.post_message(self.Refused.of(error))
        else:
            self.post_message(self.Saved(doc))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saving = False
        self.take_baseline()
        self.notify(_("Shift saved."), markup=False)
        self.saved_id = str(message.doc["id"])
        self.dismiss(None)

    @on(Warned)
    def _warned(self, message: Warned) -> None:
        from screens.patrols.assign import LeaderReasonDialog

        leader = next((f for f in self.fields() if f.field == "leader_id"), None)
        name = leader.text if isinstance(leader, ChoiceField) else ""

        def answered(reason: str | None) -> None:
            if reason:
                self._save(message.values, message.expected_version, reason)
            else:
                self.saving = False
                self.say(_("Not saved: choose another leader, or give the reason."))
                if leader is not None:
                    leader.input.focus()

        self.app.push_screen(LeaderReasonDialog(name, message.problems), answered)
