"""The weekly template form: days, times, place, staffing, from/until and holidays to skip.

Days are typed as people say them (周一、周三、周五, 1,3,5, 每天); holidays as dates separated
by commas or spaces. Ctrl+S saves; editing an existing template then asks whether its future
shifts change too (past shifts never do). If someone saved the template meanwhile, the person
chooses: load theirs, overwrite (only the fields changed here, with the answer about future
shifts already given), or keep editing. Esc asks before dropping edits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message

from screens.shell.dialogs import Choice, ChoiceDialog
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
from store.enums import weekday_label
from store.errors import StoreError
from store.i18n import N_, _, join_list, pgettext
from store.patrols import reads
from store.patrols.model import ShiftTemplate
from store.permissions import Action
from store.textsafe import clean_line

FIELDS = (
    ("weekdays", N_("Days (周一、周三 or 每天)"), 40),
    ("start", N_("Starts"), 10),
    ("end", N_("Ends (next day if earlier)"), 10),
)
MORE = (
    ("min_people", N_("People needed"), 2),
    ("max_people", N_("At most"), 2),
    ("active_from", N_("From"), 12),
    ("active_to", N_("Until (empty: no end)"), 12),
    ("skip_dates", N_("Skip these dates"), 200),
    ("note", N_("Note"), 200),
)


def template_values(template: ShiftTemplate) -> dict[str, str]:
    return {
        "name": template.name,
        "weekdays": join_list(weekday_label(d) for d in template.weekdays),
        "start": f"{template.start:%H:%M}" if template.start else "",
        "end": f"{template.end:%H:%M}" if template.end else "",
        "zone_id": template.zone_id,
        "team_id": template.team_id,
        "min_people": str(template.min_people),
        "max_people": str(template.max_people),
        "active_from": template.active_from.isoformat() if template.active_from else "",
        "active_to": template.active_to.isoformat() if template.active_to else "",
        "skip_dates": " ".join(d.isoformat() for d in template.skip_dates),
        "note": template.note,
    }


@dataclass(frozen=True, slots=True)
class TemplateData:
    template: ShiftTemplate | None
    zones: tuple[tuple[str, str], ...]
    teams: tuple[tuple[str, str], ...]


class TemplateForm(RecordForm):
    """A new template (``template_id`` None) or an existing one; :attr:`saved_id` after."""

    MESSAGE_ID = "template-form-message"
    TABLE = "shift_templates"
    DROP_QUESTION = N_("Your changes to this template are not saved. Drop them?")

    @dataclass
    class Saved(Message):
        doc: dict[str, Any]
        changed: int

    def __init__(self, session: Session, title: str, template_id: str | None) -> None:
        super().__init__(session, title, template_id, id="template-form")
        self.template_id = template_id
        self.future = False  # the last answer to "future shifts too?"

    def compose_body(self) -> ComposeResult:
        heading = _("New weekly template") if self.template_id is None else _("Editing a template")
        with TextScroll(id="template-form-body"):
            yield SafeLabel(heading, id="template-form-title")
            yield Vertical(id="template-form-fields")
        yield SafeLabel("", id="template-form-message")

    # The template and the places to choose: kept through saves of anything else (once
    # filled, the form shows none of it again).
    VIEW_TABLES = frozenset({reads.TEMPLATES, reads.ZONES, reads.TEAMS})

    def view_key(self) -> str:
        return self.template_id or ""

    def prepare(self, snapshot: Snapshot) -> TemplateData:
        template = reads.template(snapshot, self.template_id) if self.template_id else None
        zones = tuple((z.id, clean_line(z.name)) for z in reads.zones(snapshot))
        teams = tuple((t.id, clean_line(t.name)) for t in reads.teams(snapshot))
        return TemplateData(template, zones, teams)

    def show(self, view: TemplateData) -> None:
        if self.filled:
            return
        none = ("", _("(none)"))
        # A template's name, not a person's: 名称, not 姓名 (also in the conflict question).
        fields: list[LabelledField] = [FormField("name", pgettext("thing", "Name"), max_length=40)]
        fields += [FormField(n, _(t), max_length=m) for n, t, m in FIELDS]
        fields.append(ChoiceField("zone_id", _("Zone or route"), [none, *view.zones]))
        fields.append(ChoiceField("team_id", _("Team"), [none, *view.teams]))
        fields += [FormField(n, _(t), max_length=m) for n, t, m in MORE]
        mounted = self.query_one("#template-form-fields", Vertical).mount(*fields)
        if view.template is not None:
            self.version = view.template.version
            values = template_values(view.template)
        else:
            today = self.session.db.today()
            values = {"min_people": "2", "max_people": "4", "active_from": today.isoformat()}
            values["zone_id"] = view.zones[0][0] if view.zones else ""
            values["team_id"] = view.teams[0][0] if view.teams else ""
        self.call_later(self.first_fill, mounted, values, 0)

    def conflict_words(self) -> tuple[str, str]:
        return (
            _("Someone else saved this template while you were editing."),
            _("Not saved: someone else changed this template meanwhile."),
        )

    def stored_values(self, doc: Mapping[str, Any]) -> dict[str, str]:
        return template_values(ShiftTemplate.from_doc(doc))

    def action_save(self) -> None:
        """Save (Ctrl+S); an edit asks whether future shifts follow."""
        if not self.filled or self.saving or not self.permitted(Action.EDIT_SCHEDULE):
            return
        clear_errors(self.fields())
        if self.template_id is None:
            self.save_with(self.version, future=False)
            return

        def answered(answer: str | None) -> None:
            if answer in ("future", "only"):
                self.save_with(self.version, future=answer == "future")

        self.app.push_screen(
            ChoiceDialog(
                _("Change the future shifts this template made as well? Past shifts never change."),
                [
                    Choice("future", _("Yes, future shifts too"), "y"),
                    Choice("only", _("Only the template"), "o"),
                    Choice("cancel", _("Cancel"), "c"),
                ],
                cancel="cancel",
            ),
            answered,
        )

    def save_over(self, expected_version: int) -> None:
        """The conflict's "overwrite with mine": future shifts as answered before."""
        self.save_with(expected_version, future=self.future)

    def save_with(self, expected_version: int, *, future: bool) -> None:
        """Save the edits (:meth:`edits`) over ``expected_version``."""
        if self.saving:
            return
        self.say(_("Saving…"))
        self.saving = True
        self.future = future
        self._save(self.edits(), future, expected_version)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, edits: dict[str, str], future: bool, expected_version: int) -> None:
        from store.patrols import templates

        db, actor = self.session.db, self.session.acting
        try:
            if self.template_id is None:
                doc, changed = templates.add_template(db, actor, edits), 0
            else:
                doc, changed = templates.update_template(
                    db, actor, self.template_id, edits, expected_version, apply_to_future=future
                )
        except StoreError as error:
            self.post_message(self.Refused.of(error))
        else:
            self.post_message(self.Saved(doc, changed))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saving = False
        self.take_baseline()
        self.saved_id = str(message.doc["id"])
        said = _("Template saved.")
        if message.changed:
            said += " " + _("{count} future shifts changed.").format(count=message.changed)
        self.notify(said, markup=False)
        self.dismiss(None)
